/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wire formats of the userspace cluster stack that stock nodes and
 * daemons share with us:
 *  - the value block of the "version_lock" lock in every fs/dlm lockspace
 *    a connection creates, through which nodes agree on the filesystem
 *    locking protocol;
 *  - the text messages of /dev/ocfs2_control (protocol "T01"), one whole
 *    message per write, fixed widths, upper-case hex numbers.
 * Stock ocfs2 and ocfs2_controld speak exactly these; never change them.
 */
#ifndef OCFS2_STACK_USER_FMT_H
#define OCFS2_STACK_USER_FMT_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#else
#include <assert.h>
#include <stddef.h>
#endif

/* the lock every node takes (PR) for as long as it is connected */
#define OCFS2_VERSION_LOCK_NAME		"version_lock"

/*
 * The first node in a lockspace writes its protocol here under EX and
 * converts to PR; later nodes read it under PR.  The rest of the 64-byte
 * value block stays zero.
 */
struct ocfs2_version_lvb {
	__u8	vl_major;
	__u8	vl_minor;
};

static_assert(sizeof(struct ocfs2_version_lvb) == 2);
static_assert(offsetof(struct ocfs2_version_lvb, vl_minor) == 1);

/* /dev/ocfs2_control: reading to EOF lists the protocols, one a line */
#define OCFS2_CONTROL_PROTO		"T01\n"
#define OCFS2_CONTROL_PROTO_LEN		4

#define OCFS2_CONTROL_OP_LEN		4
#define OCFS2_CONTROL_OP_SETNODE	"SETN"
#define OCFS2_CONTROL_OP_SETVERSION	"SETV"
#define OCFS2_CONTROL_OP_DOWN		"DOWN"
#define OCFS2_CONTROL_NODENUM_LEN	8
#define OCFS2_CONTROL_VERNUM_LEN	2
#define OCFS2_CONTROL_UUID_LEN		32

/* "SETN %08X\n": this node's number; sent first */
struct ocfs2_control_setn {
	char	op[OCFS2_CONTROL_OP_LEN];
	char	space;
	char	node[OCFS2_CONTROL_NODENUM_LEN];
	char	newline;
};

/* "SETV %02X %02X\n": the locking protocol the daemon runs */
struct ocfs2_control_setv {
	char	op[OCFS2_CONTROL_OP_LEN];
	char	space1;
	char	major[OCFS2_CONTROL_VERNUM_LEN];
	char	space2;
	char	minor[OCFS2_CONTROL_VERNUM_LEN];
	char	newline;
};

/* "DOWN <32-char UUID> %08X\n": a node died; recover it on that mount */
struct ocfs2_control_down {
	char	op[OCFS2_CONTROL_OP_LEN];
	char	space1;
	char	uuid[OCFS2_CONTROL_UUID_LEN];
	char	space2;
	char	node[OCFS2_CONTROL_NODENUM_LEN];
	char	newline;
};

#define OCFS2_CONTROL_SETN_LEN		14
#define OCFS2_CONTROL_SETV_LEN		11
#define OCFS2_CONTROL_DOWN_LEN		47
#define OCFS2_CONTROL_MSG_MAX		OCFS2_CONTROL_DOWN_LEN

static_assert(sizeof(struct ocfs2_control_setn) == OCFS2_CONTROL_SETN_LEN);
static_assert(sizeof(struct ocfs2_control_setv) == OCFS2_CONTROL_SETV_LEN);
static_assert(sizeof(struct ocfs2_control_down) == OCFS2_CONTROL_DOWN_LEN);
static_assert(offsetof(struct ocfs2_control_down, uuid) == 5);
static_assert(offsetof(struct ocfs2_control_down, node) == 38);

#endif /* OCFS2_STACK_USER_FMT_H */
