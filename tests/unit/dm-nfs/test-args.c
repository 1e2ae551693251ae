// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of dm-nfs's table argument parser (dm-nfs/dm-nfs-args.c),
 * built in userspace against small stand-ins for the kernel headers.
 */
#include <stdio.h>
#include <string.h>

#include "dm-nfs-args.h"

static int failures;

/* Expect @argv to parse (want == NULL) or fail with an error containing want. */
static void expect(const char *name, sector_t len, const char *want,
		   unsigned int argc, char **argv)
{
	struct dm_nfs_args args;
	char *error = NULL;
	int ret = dm_nfs_parse_args(argc, argv, len, &args, &error);

	if (!want && !ret) {
		printf("ok - %s\n", name);
	} else if (want && ret && error && strstr(error, want)) {
		printf("ok - %s: %s\n", name, error);
	} else {
		printf("not ok - %s: ret %d error %s\n", name, ret,
		       error ? error : "(none)");
		failures++;
	}
}

#define ARGS(...) (sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)), \
		  (char *[]){ __VA_ARGS__ }

static void test_good(void)
{
	struct dm_nfs_args a;
	char *err = NULL;
	char *v[] = { "/nfs/x.img", "1048576", "1000" };

	expect("two args", 8, NULL, ARGS("/nfs/x.img", "0"));
	expect("three args", 8, NULL, ARGS("/nfs/x.img", "0", "1000"));
	expect("largest uid", 8, NULL, ARGS("/nfs/x.img", "0", "4294967294"));
	expect("offset at the limit", 1, NULL,
	       ARGS("/nfs/x.img", "9223372036854775295"));
	if (dm_nfs_parse_args(3, v, 8, &a, &err) || a.offset != 1048576 ||
	    !a.has_uid || a.uid != 1000 || strcmp(a.path, "/nfs/x.img")) {
		printf("not ok - parsed values\n");
		failures++;
	} else {
		printf("ok - parsed values\n");
	}
}

static void test_bad(void)
{
	expect("no args", 8, "Invalid argument count", 0, (char *[]){ NULL });
	expect("one arg", 8, "Invalid argument count", ARGS("/nfs/x.img"));
	expect("four args", 8, "Invalid argument count",
	       ARGS("/nfs/x.img", "0", "0", "0"));
	expect("relative path", 8, "must be absolute", ARGS("x.img", "0"));
	expect("empty offset", 8, "Invalid offset", ARGS("/x", ""));
	expect("letters", 8, "Invalid offset", ARGS("/x", "abc"));
	expect("negative", 8, "Invalid offset", ARGS("/x", "-1"));
	expect("plus sign", 8, "Invalid offset", ARGS("/x", "+1"));
	expect("hex", 8, "Invalid offset", ARGS("/x", "0x10"));
	expect("junk after", 8, "Invalid offset", ARGS("/x", "12x"));
	expect("space before", 8, "Invalid offset", ARGS("/x", " 1"));
	expect("2^64", 8, "Invalid offset",
	       ARGS("/x", "18446744073709551616"));
	expect("past loff_t", 1, "overflows",
	       ARGS("/x", "9223372036854775296"));
	expect("length alone overflows", (sector_t)1 << 55, "overflows",
	       ARGS("/x", "0"));
	expect("uid letters", 8, "Invalid uid", ARGS("/x", "0", "root"));
	expect("uid negative", 8, "Invalid uid", ARGS("/x", "0", "-5"));
	expect("uid -1", 8, "is not a user", ARGS("/x", "0", "4294967295"));
	expect("uid 2^32", 8, "Invalid uid", ARGS("/x", "0", "4294967296"));
}

int main(void)
{
	test_good();
	test_bad();
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
