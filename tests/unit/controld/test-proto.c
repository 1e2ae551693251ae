// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ocfs2_controld wire codecs: the client protocol (as
 * stock mount.ocfs2 formats it) and the /dev/ocfs2_control messages,
 * including garbage that must be refused with a reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ocfs2/controld_proto.h"

static int failures, checks;

#define CHECK(cond) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

static const char UUID[] = "0123456789ABCDEF0123456789ABCDEF";

/* A message as a stock client puts it on the wire: text, NUL padded. */
static void wire_of(char *wire, const char *text)
{
	memset(wire, 0, CONTROLD_MSG_LEN);
	memcpy(wire, text, strlen(text));
}

static int parse_text(const char *text, struct controld_msg_in *m,
		      const char **why)
{
	char wire[CONTROLD_MSG_LEN];

	wire_of(wire, text);
	return controld_msg_parse(wire, sizeof(wire), m, why);
}

static void test_stock_messages(void)
{
	struct controld_msg_in m;
	const char *why;

	CHECK(parse_text("MOUNT ocfs2 " "0123456789ABCDEF0123456789ABCDEF lab /dev/vda /mnt/a b", &m, &why) == 0);
	CHECK(m.type == CM_MOUNT && m.argc == 5);
	CHECK(!strcmp(m.argv[0], "ocfs2") && !strcmp(m.argv[1], UUID));
	CHECK(!strcmp(m.argv[2], "lab") && !strcmp(m.argv[3], "/dev/vda"));
	CHECK(!strcmp(m.argv[4], "/mnt/a b"));	/* last takes the rest */
	CHECK(m.argv[5] == NULL);

	CHECK(parse_text("MRESULT ocfs2 0123456789ABCDEF0123456789ABCDEF -16 /mnt", &m, &why) == 0);
	CHECK(m.type == CM_MRESULT && !strcmp(m.argv[2], "-16"));
	CHECK(parse_text("UNMOUNT ocfs2 0123456789ABCDEF0123456789ABCDEF /mnt", &m, &why) == 0);
	CHECK(m.type == CM_UNMOUNT && !strcmp(m.argv[2], "/mnt"));
	CHECK(parse_text("STATUS 114 Already mounted, go ahead", &m, &why) == 0);
	CHECK(m.type == CM_STATUS && !strcmp(m.argv[0], "114"));
	CHECK(!strcmp(m.argv[1], "Already mounted, go ahead"));
	CHECK(parse_text("LISTCLUSTERS ", &m, &why) == 0 && m.type == CM_LISTCLUSTERS);
	CHECK(parse_text("DUMP ", &m, &why) == 0 && m.type == CM_DUMP && m.argc == 0);
	CHECK(parse_text("LISTFS ocfs2 lab", &m, &why) == 0 && m.type == CM_LISTFS);
	CHECK(parse_text("LISTMOUNTS ocfs2 X", &m, &why) == 0 && m.type == CM_LISTMOUNTS);
	CHECK(parse_text("ITEMCOUNT 3", &m, &why) == 0 && m.type == CM_ITEMCOUNT);
	CHECK(parse_text("ITEM lab", &m, &why) == 0 && m.type == CM_ITEM);
}

static void expect_bad(const char *text, const char *reason)
{
	struct controld_msg_in m;
	const char *why = NULL;

	CHECK(parse_text(text, &m, &why) == -EBADMSG);
	CHECK(why && strstr(why, reason));
	if (why && !strstr(why, reason))
		fprintf(stderr, "  \"%s\": got \"%s\", want \"%s\"\n", text, why, reason);
}

static void test_garbage(void)
{
	struct controld_msg_in m;
	const char *why;
	char wire[CONTROLD_MSG_LEN];
	int i, round;

	expect_bad("", "unknown");
	expect_bad("MOUNT", "unknown");		/* no space after the name */
	expect_bad("MOUNTX ocfs2", "unknown");
	expect_bad("mount ocfs2 a b c d", "unknown");
	expect_bad("HELLO world", "unknown");
	expect_bad("MOUNT ocfs2 uuid lab /dev/vda", "too few");
	expect_bad("MOUNT ocfs2  lab /dev/vda /mnt", "empty");
	expect_bad("DUMP now", "none");
	expect_bad("LISTCLUSTERS x", "none");
	expect_bad("STATUS 0\tOK", "control character");
	expect_bad("MOUNT ocfs2 a b c d\n", "control character");

	/* no terminating NUL anywhere */
	memset(wire, 'A', sizeof(wire));
	CHECK(controld_msg_parse(wire, sizeof(wire), &m, &why) == -EBADMSG);
	CHECK(why && strstr(why, "NUL"));
	/* bytes hidden after the NUL */
	wire_of(wire, "DUMP ");
	wire[200] = 'x';
	CHECK(controld_msg_parse(wire, sizeof(wire), &m, &why) == -EBADMSG);
	CHECK(why && strstr(why, "after"));
	/* short and long reads */
	wire_of(wire, "DUMP ");
	CHECK(controld_msg_parse(wire, 100, &m, &why) == -EBADMSG);
	CHECK(controld_msg_parse(wire, 0, &m, &why) == -EBADMSG);

	/* random bytes never crash and never parse as valid with junk */
	srand(42);
	for (round = 0; round < 20000; round++) {
		int rc;

		for (i = 0; i < CONTROLD_MSG_LEN; i++)
			wire[i] = rand() % 4 ? rand() & 0xff : 0;
		rc = controld_msg_parse(wire, sizeof(wire), &m, &why);
		CHECK(rc == 0 || (rc == -EBADMSG && why));
	}
}

static void test_format_roundtrip(void)
{
	const char *mount[] = { "ocfs2", UUID, "lab", "/dev/vda", "/mnt/x y" };
	const char *status[] = { "-22", "Invalid cluster name lab2" };
	const char *bad[] = { "ocfs2", "has space", "lab", "/dev", "/m" };
	const char *empty[] = { "ocfs2", "", "lab", "/dev", "/m" };
	char wire[CONTROLD_MSG_LEN], big[300];
	const char *toolong[] = { big };
	struct controld_msg_in m;

	CHECK(controld_msg_format(wire, CM_MOUNT, 5, mount) == 0);
	CHECK(!strcmp(wire, "MOUNT ocfs2 0123456789ABCDEF0123456789ABCDEF lab /dev/vda /mnt/x y"));
	CHECK(controld_msg_parse(wire, sizeof(wire), &m, NULL) == 0);
	CHECK(m.type == CM_MOUNT && !strcmp(m.argv[4], "/mnt/x y"));
	CHECK(controld_msg_format(wire, CM_STATUS, 2, status) == 0);
	CHECK(!strcmp(wire, "STATUS -22 Invalid cluster name lab2"));
	CHECK(controld_msg_format(wire, CM_LISTCLUSTERS, 0, NULL) == 0);
	CHECK(!strcmp(wire, "LISTCLUSTERS "));
	CHECK(controld_msg_format(wire, CM_MOUNT, 4, mount) == -EINVAL);
	CHECK(controld_msg_format(wire, CM_MOUNT, 5, bad) == -EINVAL);
	CHECK(controld_msg_format(wire, CM_MOUNT, 5, empty) == -EINVAL);
	CHECK(controld_msg_format(wire, CM_NR, 0, NULL) == -EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(controld_msg_format(wire, CM_ITEM, 1, toolong) == -E2BIG);
	big[CONTROLD_MSG_LEN - 6] = '\0';	/* "ITEM " + 250 + NUL = 256 */
	CHECK(controld_msg_format(wire, CM_ITEM, 1, toolong) == 0);
	big[CONTROLD_MSG_LEN - 6] = 'x';
	big[CONTROLD_MSG_LEN - 5] = '\0';	/* one more does not fit */
	CHECK(controld_msg_format(wire, CM_ITEM, 1, toolong) == -E2BIG);
	CHECK(!strcmp(controld_msg_name(CM_MRESULT), "MRESULT"));
	CHECK(controld_msg_argc(CM_UNMOUNT) == 3);
}

static void test_control_encode(void)
{
	char buf[64];

	CHECK(ocfs2_control_fmt_setn(buf, sizeof(buf), 3) == 14);
	CHECK(!strcmp(buf, "SETN 00000003\n"));
	CHECK(ocfs2_control_fmt_setv(buf, sizeof(buf), 1, 0) == 11);
	CHECK(!strcmp(buf, "SETV 01 00\n"));
	CHECK(ocfs2_control_fmt_setv(buf, sizeof(buf), 256, 0) == -EINVAL);
	CHECK(ocfs2_control_fmt_down(buf, sizeof(buf), UUID, 0x2a) == 47);
	CHECK(!strcmp(buf, "DOWN 0123456789ABCDEF0123456789ABCDEF 0000002A\n"));
	CHECK(ocfs2_control_fmt_down(buf, sizeof(buf), "0123456789abcdef0123456789abcdef", 1) == -EINVAL);
	CHECK(ocfs2_control_fmt_down(buf, sizeof(buf), "0123", 1) == -EINVAL);
	CHECK(ocfs2_control_fmt_down(buf, sizeof(buf), "0123456789ABCDEF0123456789ABCDEF0", 1) == -EINVAL);
	CHECK(ocfs2_control_fmt_down(buf, 20, UUID, 1) == -EINVAL);
	CHECK(ocfs2_control_fmt_setn(buf, 14, 1) == -EINVAL);
}

static int parse_ctl(const char *s, struct ocfs2_control_msg *msg)
{
	return ocfs2_control_parse_msg(s, strlen(s), msg);
}

static void test_control_decode(void)
{
	struct ocfs2_control_msg msg;

	CHECK(parse_ctl("SETN 0000000a\n", &msg) == 0 && msg.op == OC_SETN && msg.node == 10);
	CHECK(parse_ctl("SETV 01 02\n", &msg) == 0 && msg.major == 1 && msg.minor == 2);
	CHECK(parse_ctl("DOWN 0123456789ABCDEF0123456789ABCDEF 00000002\n", &msg) == 0);
	CHECK(msg.op == OC_DOWN && msg.node == 2 && !strcmp(msg.uuid, UUID));
	/* garbage the kernel refuses too */
	CHECK(parse_ctl("SETN 1\n", &msg) == -EINVAL);
	CHECK(parse_ctl("SETN 0000000G\n", &msg) == -EINVAL);
	CHECK(parse_ctl("SETN 00000001", &msg) == -EINVAL);
	CHECK(parse_ctl("SETN-00000001\n", &msg) == -EINVAL);
	CHECK(parse_ctl("SETV 1 0\n", &msg) == -EINVAL);
	CHECK(parse_ctl("SETV 01:00\n", &msg) == -EINVAL);
	CHECK(parse_ctl("DOWN 0123456789abcdef0123456789abcdef 00000002\n", &msg) == -EINVAL);
	CHECK(parse_ctl("DOWN 0123456789ABCDEF0123456789ABCDEF 0000002\n", &msg) == -EINVAL);
	CHECK(parse_ctl("T01\n", &msg) == -EINVAL);
	CHECK(parse_ctl("", &msg) == -EINVAL);
	CHECK(parse_ctl("GARBAGE GARBAGE\n", &msg) == -EINVAL);
	/* tag lists */
	CHECK(ocfs2_control_parse_tags("T01\n", 4) == 1);
	CHECK(ocfs2_control_parse_tags("T02\nT01\n", 8) == 1);
	CHECK(ocfs2_control_parse_tags("T02\n", 4) == 0);
	CHECK(ocfs2_control_parse_tags("T01", 3) == -EBADMSG);
	CHECK(ocfs2_control_parse_tags("T01 ", 4) == -EBADMSG);
	CHECK(ocfs2_control_parse_tags("t0\x01\n", 4) == -EBADMSG);
	CHECK(ocfs2_control_parse_tags("", 0) == -EBADMSG);
	CHECK(ocfs2_control_uuid_valid(UUID));
	CHECK(!ocfs2_control_uuid_valid(NULL));
}

int main(void)
{
	test_stock_messages();
	test_garbage();
	test_format_roundtrip();
	test_control_encode();
	test_control_decode();
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
