/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two wire protocols around ocfs2_controld, defined once for the daemon,
 * mount.ocfs2 and the unit tests:
 *
 *  1. the client protocol on the abstract unix socket "ocfs2_controld_sock"
 *     (mount.ocfs2, o2cb <-> daemon), message-for-message the one of
 *     ocfs2-tools 1.8 so a stock mount.ocfs2 talks to our daemon;
 *  2. the text protocol of /dev/ocfs2_control (daemon -> ocfs2_stack_user):
 *     T01 handshake, SETN, SETV, DOWN.
 *
 * The codecs (controld_proto.c) are pure: no I/O, no logging, so they can
 * be fed garbage in unit tests and reused by any tool.
 */
#ifndef OCFS2_CONTROLD_PROTO_H
#define OCFS2_CONTROLD_PROTO_H

/* ---- client protocol ---------------------------------------------------- */

/*
 * Every message is exactly CONTROLD_MSG_LEN bytes: "NAME arg arg ...", NUL
 * padded.  The name is always followed by a space, even with no arguments.
 * The last argument of a message takes the rest of the line, spaces
 * included (STATUS carries a free-text reason there).
 */
#define CONTROLD_MSG_LEN	256
#define CONTROLD_MAX_ARGS	16
#define CONTROLD_SOCK_NAME	"ocfs2_controld_sock"	/* abstract namespace */
#define CONTROLD_FSTYPE		"ocfs2"

enum controld_msg {
	CM_MOUNT,	/* fstype uuid cluster device mountpoint */
	CM_MRESULT,	/* fstype uuid errno mountpoint */
	CM_UNMOUNT,	/* fstype uuid mountpoint */
	CM_STATUS,	/* errno text (reply to every request) */
	CM_LISTFS,	/* fstype cluster */
	CM_LISTMOUNTS,	/* fstype uuid */
	CM_LISTCLUSTERS,
	CM_ITEMCOUNT,	/* n (list replies: ITEMCOUNT, n x ITEM, STATUS) */
	CM_ITEM,	/* item */
	CM_DUMP,
	CM_NR
};

/* A received message: argv points into buf. */
struct controld_msg_in {
	enum controld_msg type;
	int argc;
	char *argv[CONTROLD_MAX_ARGS + 1];
	char buf[CONTROLD_MSG_LEN + 1];
};

const char *controld_msg_name(enum controld_msg type);
int controld_msg_argc(enum controld_msg type);

/*
 * Parse one whole message of len bytes (len must be CONTROLD_MSG_LEN).
 * Returns 0, or -EBADMSG with *why set to a short reason.
 */
int controld_msg_parse(const void *wire, size_t len, struct controld_msg_in *m,
		       const char **why);

/*
 * Format a message from argv (argc must match the type) into
 * wire[CONTROLD_MSG_LEN].  Arguments other than the last may not be empty
 * or hold spaces.  Returns 0, -EINVAL or -E2BIG.
 */
int controld_msg_format(void *wire, enum controld_msg type, int argc,
			const char *const argv[]);

/* ---- /dev/ocfs2_control --------------------------------------------------- */

#define OCFS2_CONTROL_DEVICE		"/dev/misc/ocfs2_control"
#define OCFS2_CONTROL_DEVICE_ALT	"/dev/ocfs2_control"
#define OCFS2_CONTROL_PROTO		"T01"
#define OCFS2_CONTROL_TAG_LEN		4	/* "T01\n" */
#define OCFS2_CONTROL_SETN_LEN		14	/* "SETN %08X\n" */
#define OCFS2_CONTROL_SETV_LEN		11	/* "SETV %02X %02X\n" */
#define OCFS2_CONTROL_DOWN_LEN		47	/* "DOWN <32 hex> %08X\n" */
#define OCFS2_CONTROL_UUID_LEN		32
#define OCFS2_CONTROL_MAX_LEN		OCFS2_CONTROL_DOWN_LEN

enum ocfs2_control_op { OC_SETN, OC_SETV, OC_DOWN };

struct ocfs2_control_msg {
	enum ocfs2_control_op op;
	unsigned int node;		/* SETN, DOWN */
	unsigned int major, minor;	/* SETV */
	char uuid[OCFS2_CONTROL_UUID_LEN + 1];	/* DOWN */
};

/*
 * The tag list read from the device until EOF: one 3-character tag and a
 * newline each.  Returns 1 if T01 is offered, 0 if not, -EBADMSG if the
 * list is malformed.
 */
int ocfs2_control_parse_tags(const char *buf, size_t len);

/* Encoders: return the message length (always the fixed one) or -EINVAL. */
int ocfs2_control_fmt_setn(char *buf, size_t size, unsigned int node);
int ocfs2_control_fmt_setv(char *buf, size_t size, unsigned int major,
			   unsigned int minor);
int ocfs2_control_fmt_down(char *buf, size_t size, const char *uuid,
			   unsigned int node);

/*
 * Decoder with the kernel's rules (whole message per write, exact length,
 * upper-case hex): what a message on the device would mean, or -EINVAL.
 */
int ocfs2_control_parse_msg(const char *buf, size_t len,
			    struct ocfs2_control_msg *msg);

/* A volume UUID as the kernel names its lockspace: 32 upper-case hex. */
int ocfs2_control_uuid_valid(const char *uuid);

#endif
