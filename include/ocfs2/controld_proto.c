// SPDX-License-Identifier: GPL-2.0
/*
 * Codecs for the ocfs2_controld client protocol and the /dev/ocfs2_control
 * messages (see controld_proto.h).  Pure functions over buffers: every
 * input is untrusted, every rejection says why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controld_proto.h"

struct msg_desc {
	const char *name;
	int argc;
};

static const struct msg_desc msg_table[CM_NR] = {
	[CM_MOUNT]		= { "MOUNT", 5 },
	[CM_MRESULT]		= { "MRESULT", 4 },
	[CM_UNMOUNT]		= { "UNMOUNT", 3 },
	[CM_STATUS]		= { "STATUS", 2 },
	[CM_LISTFS]		= { "LISTFS", 2 },
	[CM_LISTMOUNTS]		= { "LISTMOUNTS", 2 },
	[CM_LISTCLUSTERS]	= { "LISTCLUSTERS", 0 },
	[CM_ITEMCOUNT]		= { "ITEMCOUNT", 1 },
	[CM_ITEM]		= { "ITEM", 1 },
	[CM_DUMP]		= { "DUMP", 0 },
};

_Static_assert(CONTROLD_MSG_LEN == 256, "ocfs2-tools 1.8 message size");
_Static_assert(sizeof("DOWN ") - 1 + OCFS2_CONTROL_UUID_LEN + 1 + 8 + 1 ==
	       OCFS2_CONTROL_DOWN_LEN, "DOWN layout");
_Static_assert(sizeof("SETN ") - 1 + 8 + 1 == OCFS2_CONTROL_SETN_LEN,
	       "SETN layout");
_Static_assert(sizeof("SETV ") - 1 + 2 + 1 + 2 + 1 == OCFS2_CONTROL_SETV_LEN,
	       "SETV layout");

const char *controld_msg_name(enum controld_msg type)
{
	if ((unsigned int)type >= CM_NR)
		return "?";
	return msg_table[type].name;
}

int controld_msg_argc(enum controld_msg type)
{
	if ((unsigned int)type >= CM_NR)
		return -1;
	return msg_table[type].argc;
}

/* The name ends at the first space; an exact match is required. */
static int lookup_name(const char *buf, size_t *name_len)
{
	const char *sp = strchr(buf, ' ');
	size_t n;
	int i;

	if (!sp)
		return -1;
	n = sp - buf;
	for (i = 0; i < CM_NR; i++) {
		if (strlen(msg_table[i].name) == n &&
		    !memcmp(buf, msg_table[i].name, n)) {
			*name_len = n;
			return i;
		}
	}
	return -1;
}

/*
 * Split the arguments after the name.  The last wanted argument keeps the
 * rest of the line (spaces included); earlier ones must be non-empty.
 */
static int split_args(char *p, int want, struct controld_msg_in *m,
		      const char **why)
{
	int i;

	m->argc = 0;
	if (want == 0) {
		if (*p) {
			*why = "arguments given to a message that takes none";
			return -EBADMSG;
		}
		return 0;
	}
	for (i = 0; i < want; i++) {
		char *sp;

		m->argv[i] = p;
		if (i == want - 1)
			break;
		sp = strchr(p, ' ');
		if (!sp) {
			*why = "too few arguments";
			return -EBADMSG;
		}
		*sp = '\0';
		if (sp == p) {
			*why = "empty argument";
			return -EBADMSG;
		}
		p = sp + 1;
	}
	m->argc = want;
	m->argv[want] = NULL;
	return 0;
}

/* Text must be printable and NUL padded to the end of the message. */
static int check_text(const char *buf, size_t len, const char **why)
{
	size_t i, end = strnlen(buf, len);

	if (end == len) {
		*why = "message not NUL terminated";
		return -EBADMSG;
	}
	for (i = 0; i < end; i++) {
		unsigned char c = buf[i];

		if (c < 0x20 || c == 0x7f) {
			*why = "control character in message";
			return -EBADMSG;
		}
	}
	for (i = end; i < len; i++) {
		if (buf[i]) {
			*why = "bytes after the terminating NUL";
			return -EBADMSG;
		}
	}
	return 0;
}

int controld_msg_parse(const void *wire, size_t len, struct controld_msg_in *m,
		       const char **why)
{
	const char *dummy;
	size_t name_len;
	int type, rc;

	if (!why)
		why = &dummy;
	*why = NULL;
	memset(m, 0, sizeof(*m));
	if (len != CONTROLD_MSG_LEN) {
		*why = "message is not 256 bytes";
		return -EBADMSG;
	}
	memcpy(m->buf, wire, len);
	m->buf[len] = '\0';
	rc = check_text(m->buf, len, why);
	if (rc)
		return rc;
	type = lookup_name(m->buf, &name_len);
	if (type < 0) {
		*why = "unknown message";
		return -EBADMSG;
	}
	m->type = type;
	return split_args(m->buf + name_len + 1, msg_table[type].argc, m, why);
}

static int check_out_arg(const char *arg, int last)
{
	const char *c;

	if (!arg)
		return -EINVAL;
	if (!last && (!*arg || strchr(arg, ' ')))
		return -EINVAL;
	for (c = arg; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return -EINVAL;
	return 0;
}

int controld_msg_format(void *wire, enum controld_msg type, int argc,
			const char *const argv[])
{
	char *out = wire;
	size_t used;
	int i;

	if ((unsigned int)type >= CM_NR || argc != msg_table[type].argc)
		return -EINVAL;
	memset(out, 0, CONTROLD_MSG_LEN);
	used = snprintf(out, CONTROLD_MSG_LEN, "%s ", msg_table[type].name);
	for (i = 0; i < argc; i++) {
		size_t n;

		if (check_out_arg(argv[i], i == argc - 1))
			return -EINVAL;
		n = strlen(argv[i]) + (i ? 1 : 0);
		if (used + n >= CONTROLD_MSG_LEN) {
			memset(out, 0, CONTROLD_MSG_LEN);
			return -E2BIG;
		}
		used += snprintf(out + used, CONTROLD_MSG_LEN - used, "%s%s",
				 i ? " " : "", argv[i]);
	}
	return 0;
}

/* ---- /dev/ocfs2_control ---- */

int ocfs2_control_parse_tags(const char *buf, size_t len)
{
	size_t off;
	int found = 0;

	if (len == 0 || len % OCFS2_CONTROL_TAG_LEN)
		return -EBADMSG;
	for (off = 0; off < len; off += OCFS2_CONTROL_TAG_LEN) {
		const char *t = buf + off;
		int i;

		if (t[3] != '\n')
			return -EBADMSG;
		for (i = 0; i < 3; i++)
			if (t[i] < '0' || t[i] > 'Z' ||
			    (t[i] > '9' && t[i] < 'A'))
				return -EBADMSG;
		if (!memcmp(t, OCFS2_CONTROL_PROTO, 3))
			found = 1;
	}
	return found;
}

static int is_upper_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static int is_hex(char c)
{
	return is_upper_hex(c) || (c >= 'a' && c <= 'f');
}

int ocfs2_control_uuid_valid(const char *uuid)
{
	int i;

	if (!uuid)
		return 0;
	for (i = 0; i < OCFS2_CONTROL_UUID_LEN; i++)
		if (!is_upper_hex(uuid[i]))
			return 0;
	return uuid[i] == '\0';
}

int ocfs2_control_fmt_setn(char *buf, size_t size, unsigned int node)
{
	if (size < OCFS2_CONTROL_SETN_LEN + 1)
		return -EINVAL;
	snprintf(buf, size, "SETN %08X\n", node);
	return OCFS2_CONTROL_SETN_LEN;
}

int ocfs2_control_fmt_setv(char *buf, size_t size, unsigned int major,
			   unsigned int minor)
{
	if (size < OCFS2_CONTROL_SETV_LEN + 1 || major > 0xff || minor > 0xff)
		return -EINVAL;
	snprintf(buf, size, "SETV %02X %02X\n", major, minor);
	return OCFS2_CONTROL_SETV_LEN;
}

int ocfs2_control_fmt_down(char *buf, size_t size, const char *uuid,
			   unsigned int node)
{
	if (size < OCFS2_CONTROL_DOWN_LEN + 1 || !ocfs2_control_uuid_valid(uuid))
		return -EINVAL;
	snprintf(buf, size, "DOWN %s %08X\n", uuid, node);
	return OCFS2_CONTROL_DOWN_LEN;
}

/* n hex digits at p, nothing else. */
static int parse_hex(const char *p, int n, unsigned int *val)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (!is_hex(c))
			return -EINVAL;
		v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	*val = v;
	return 0;
}

static int parse_setn(const char *buf, struct ocfs2_control_msg *msg)
{
	msg->op = OC_SETN;
	if (buf[4] != ' ')
		return -EINVAL;
	return parse_hex(buf + 5, 8, &msg->node);
}

static int parse_setv(const char *buf, struct ocfs2_control_msg *msg)
{
	msg->op = OC_SETV;
	if (buf[4] != ' ' || buf[7] != ' ')
		return -EINVAL;
	if (parse_hex(buf + 5, 2, &msg->major) ||
	    parse_hex(buf + 8, 2, &msg->minor))
		return -EINVAL;
	return 0;
}

static int parse_down(const char *buf, struct ocfs2_control_msg *msg)
{
	msg->op = OC_DOWN;
	if (buf[4] != ' ' || buf[5 + OCFS2_CONTROL_UUID_LEN] != ' ')
		return -EINVAL;
	memcpy(msg->uuid, buf + 5, OCFS2_CONTROL_UUID_LEN);
	msg->uuid[OCFS2_CONTROL_UUID_LEN] = '\0';
	if (!ocfs2_control_uuid_valid(msg->uuid))
		return -EINVAL;
	return parse_hex(buf + 6 + OCFS2_CONTROL_UUID_LEN, 8, &msg->node);
}

int ocfs2_control_parse_msg(const char *buf, size_t len,
			    struct ocfs2_control_msg *msg)
{
	memset(msg, 0, sizeof(*msg));
	if (len < 5 || buf[len - 1] != '\n')
		return -EINVAL;
	if (len == OCFS2_CONTROL_SETN_LEN && !memcmp(buf, "SETN", 4))
		return parse_setn(buf, msg);
	if (len == OCFS2_CONTROL_SETV_LEN && !memcmp(buf, "SETV", 4))
		return parse_setv(buf, msg);
	if (len == OCFS2_CONTROL_DOWN_LEN && !memcmp(buf, "DOWN", 4))
		return parse_down(buf, msg);
	return -EINVAL;
}
