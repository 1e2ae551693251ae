// SPDX-License-Identifier: GPL-2.0
/*
 * dm-nfs: parse and check the target arguments of a table line.  Only the
 * numbers are checked here; the file itself is checked in dm-nfs-file.c.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>

#include "dm-nfs-args.h"

/* Numbers are plain decimal: no sign, no 0x, nothing after the digits. */
static int parse_u64(const char *s, u64 *out)
{
	unsigned long long v;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	if (kstrtoull(s, 10, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_uid(const char *s, struct dm_nfs_args *args, char **error)
{
	u64 v;

	if (parse_u64(s, &v) || v > U32_MAX) {
		*error = "Invalid uid: not a decimal number below 2^32";
		return -EINVAL;
	}
	/* (uid_t)-1 means "no user" to every kernel interface. */
	if (v == U32_MAX) {
		*error = "Invalid uid: 4294967295 is not a user";
		return -EINVAL;
	}
	args->uid = v;
	args->has_uid = true;
	return 0;
}

/*
 * The last byte the table reaches, offset + len * 512 - 1, must fit in a
 * loff_t or the file positions we compute would wrap.
 */
static bool table_overflows(u64 offset, sector_t len)
{
	if (len > (u64)LLONG_MAX >> 9)
		return true;
	return offset > (u64)LLONG_MAX - (len << 9);
}

int dm_nfs_parse_args(unsigned int argc, char **argv, sector_t len,
		      struct dm_nfs_args *args, char **error)
{
	int ret;

	if (argc < 2 || argc > 3) {
		*error = "Invalid argument count: need <path> <offset> [<uid>]";
		return -EINVAL;
	}

	/* Relative paths would resolve against dmsetup's working directory. */
	if (argv[0][0] != '/') {
		*error = "Invalid path: must be absolute";
		return -EINVAL;
	}
	args->path = argv[0];

	if (parse_u64(argv[1], &args->offset)) {
		*error = "Invalid offset: not a decimal byte count below 2^64";
		return -EINVAL;
	}
	if (table_overflows(args->offset, len)) {
		*error = "Invalid offset: offset + length overflows";
		return -EINVAL;
	}

	args->has_uid = false;
	args->uid = 0;
	if (argc == 3) {
		ret = parse_uid(argv[2], args, error);
		if (ret)
			return ret;
	}
	return 0;
}
