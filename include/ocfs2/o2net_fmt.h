/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The o2net wire format: every frame on an o2cb TCP connection starts
 * with this big-endian header; the first bytes each side sends are the
 * handshake.  Stock nodes speak exactly this, so it must never change.
 */
#ifndef OCFS2_O2NET_FMT_H
#define OCFS2_O2NET_FMT_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#else
#include <assert.h>
#include <stddef.h>
#endif

#define O2NET_MSG_MAGIC			0xfa55	/* a message for a handler */
#define O2NET_MSG_STATUS_MAGIC		0xfa56	/* the reply to one */
#define O2NET_MSG_KEEP_REQ_MAGIC	0xfa57
#define O2NET_MSG_KEEP_RESP_MAGIC	0xfa58

struct o2net_msg {
	__be16	magic;
	__be16	data_len;	/* payload bytes after the header */
	__be16	msg_type;
	__be16	pad1;
	__be32	sys_status;	/* replies: enum o2net_system_error */
	__be32	status;		/* replies: the handler's return value */
	__be32	key;
	__be32	msg_num;	/* matches a reply to its message */
	__u8	buf[];
};

static_assert(offsetof(struct o2net_msg, data_len) == 2);
static_assert(offsetof(struct o2net_msg, msg_type) == 4);
static_assert(offsetof(struct o2net_msg, sys_status) == 8);
static_assert(offsetof(struct o2net_msg, status) == 12);
static_assert(offsetof(struct o2net_msg, key) == 16);
static_assert(offsetof(struct o2net_msg, msg_num) == 20);
static_assert(sizeof(struct o2net_msg) == 24);

#define O2NET_MAX_FRAME_BYTES		4096
#define O2NET_MAX_PAYLOAD_BYTES		(O2NET_MAX_FRAME_BYTES - 24)

/* sys_status of a reply: the transport's verdict, not the handler's */
enum o2net_system_error {
	O2NET_ERR_NONE = 0,
	O2NET_ERR_NO_HNDLR,	/* no handler for (type, key) */
	O2NET_ERR_OVERFLOW,	/* payload longer than the handler takes */
	O2NET_ERR_DIED,		/* never sent on the wire: link went down */
	O2NET_ERR_MAX
};

#define O2NET_PROTOCOL_VERSION		11ULL
#define O2NET_CONNECTOR_ID		1ULL

/* Each side sends one on connect; any mismatch closes the connection. */
struct o2net_handshake {
	__be64	protocol_version;
	__be64	connector_id;
	__be32	o2hb_heartbeat_timeout_ms;	/* 2000 * (dead_threshold-1) */
	__be32	o2net_idle_timeout_ms;
	__be32	o2net_keepalive_delay_ms;
	__be32	o2net_reconnect_delay_ms;	/* sent, not compared */
};

static_assert(offsetof(struct o2net_handshake, connector_id) == 8);
static_assert(offsetof(struct o2net_handshake, o2hb_heartbeat_timeout_ms) == 16);
static_assert(offsetof(struct o2net_handshake, o2net_reconnect_delay_ms) == 28);
static_assert(sizeof(struct o2net_handshake) == 32);

#endif /* OCFS2_O2NET_FMT_H */
