/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The o2dlm wire format: the payloads of the o2net messages o2dlm nodes
 * exchange (types 500..522), with the lock modes, flags and statuses they
 * carry.  Stock nodes speak exactly this; a mixed cluster depends on
 * every size and offset below, so each is asserted.
 */
#ifndef OCFS2_O2DLM_FMT_H
#define OCFS2_O2DLM_FMT_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#else
#include <assert.h>
#include <stddef.h>
#endif
#include <ocfs2/o2nm_abi.h>

/* the domain protocol this implementation speaks; peers may run lower */
#define O2DLM_PROTO_MAJOR	1
#define O2DLM_PROTO_MINOR	3

#define O2DLM_LOCKID_NAME_MAX	32
#define O2DLM_LVB_LEN		64
#define O2DLM_NODE_MAP_BYTES	((O2NM_MAX_NODES + 7) / 8)
#define O2DLM_REGION_NAME_LEN	32

/* join, cancel, query messages use this key; domain messages crc32_le */
#define O2DLM_MOD_KEY		0x666c6172

enum o2dlm_msg_type {
	O2DLM_MASTER_REQUEST_MSG	= 500,
	O2DLM_ASSERT_MASTER_MSG		= 502,
	O2DLM_CREATE_LOCK_MSG		= 503,
	O2DLM_CONVERT_LOCK_MSG		= 504,
	O2DLM_PROXY_AST_MSG		= 505,
	O2DLM_UNLOCK_LOCK_MSG		= 506,
	O2DLM_DEREF_LOCKRES_MSG		= 507,
	O2DLM_MIGRATE_REQUEST_MSG	= 508,
	O2DLM_MIG_LOCKRES_MSG		= 509,
	O2DLM_QUERY_JOIN_MSG		= 510,
	O2DLM_ASSERT_JOINED_MSG		= 511,
	O2DLM_CANCEL_JOIN_MSG		= 512,
	O2DLM_EXIT_DOMAIN_MSG		= 513,
	O2DLM_MASTER_REQUERY_MSG	= 514,
	O2DLM_LOCK_REQUEST_MSG		= 515,
	O2DLM_RECO_DATA_DONE_MSG	= 516,
	O2DLM_BEGIN_RECO_MSG		= 517,
	O2DLM_FINALIZE_RECO_MSG		= 518,
	O2DLM_QUERY_REGION_MSG		= 519,
	O2DLM_QUERY_NODEINFO_MSG	= 520,
	O2DLM_BEGIN_EXIT_DOMAIN_MSG	= 521,
	O2DLM_DEREF_LOCKRES_DONE_MSG	= 522,
};

/* lock modes; only NL, PR and EX are used by ocfs2 */
#define O2DLM_IVMODE		(-1)
#define O2DLM_NLMODE		0
#define O2DLM_PRMODE		3
#define O2DLM_EXMODE		5
#define O2DLM_MAXMODE		5

/* request flags (LKM_*), on the wire in create/convert/unlock/proxy */
#define O2DLM_LKM_LOCAL		0x00000080
#define O2DLM_LKM_VALBLK	0x00000100
#define O2DLM_LKM_NOQUEUE	0x00000200
#define O2DLM_LKM_CONVERT	0x00000400
#define O2DLM_LKM_CANCEL	0x00002000
#define O2DLM_LKM_INVVALBLK	0x00008000
#define O2DLM_LKM_FORCE		0x00800000
#define O2DLM_LKM_PUT_LVB	0x20000000	/* the message carries an LVB */
#define O2DLM_LKM_GET_LVB	0x40000000	/* the grant must carry one */

/* status codes: handler return values and lock results */
enum o2dlm_status {
	O2DLM_NORMAL = 0,
	O2DLM_GRANTED = 1,
	O2DLM_DENIED = 2,
	O2DLM_DENIED_NOLOCKS = 3,
	O2DLM_SYSERR = 8,
	O2DLM_CANCELGRANT = 10,
	O2DLM_IVLOCKID = 11,
	O2DLM_BADARGS = 19,
	O2DLM_NOTQUEUED = 21,
	O2DLM_IVBUFLEN = 22,
	O2DLM_BADPARAM = 24,
	O2DLM_REJECTED = 26,
	O2DLM_FORWARD = 32,
	O2DLM_RECOVERING = 39,
	O2DLM_MIGRATING = 40,
	O2DLM_MAXSTATS = 41,
};

/* proxy_ast.type */
#define O2DLM_AST		0
#define O2DLM_BAST		1

/* master request replies */
#define O2DLM_MASTER_RESP_NO	0
#define O2DLM_MASTER_RESP_YES	1
#define O2DLM_MASTER_RESP_MAYBE	2
#define O2DLM_MASTER_RESP_ERROR	3

/* assert_master.flags */
#define O2DLM_ASSERT_MASTER_MLE_CLEANUP		0x00000001
#define O2DLM_ASSERT_MASTER_REQUERY		0x00000002
#define O2DLM_ASSERT_MASTER_FINISH_MIGRATION	0x00000004
/* assert master reply bits */
#define O2DLM_ASSERT_RESPONSE_REASSERT		0x00000001
#define O2DLM_ASSERT_RESPONSE_MASTERY_REF	0x00000002

/* query join reply codes: the high byte of the handler's status */
#define O2DLM_JOIN_DISALLOW		0
#define O2DLM_JOIN_OK			1
#define O2DLM_JOIN_OK_NO_MAP		2
#define O2DLM_JOIN_PROTOCOL_MISMATCH	3

#define O2DLM_DEREF_RESPONSE_DONE	0
#define O2DLM_DEREF_RESPONSE_INPROG	1

/* a lock cookie: the creating node in the top byte, a sequence below */
#define O2DLM_COOKIE_NODE(c)	((u8)((c) >> 56))

struct o2dlm_protocol_version {
	__u8	pv_major;
	__u8	pv_minor;
};

struct o2dlm_master_request {
	__u8	node_idx;
	__u8	namelen;
	__be16	pad1;
	__be32	flags;
	__u8	name[O2NM_MAX_NAME_LEN];
};

struct o2dlm_assert_master {
	__u8	node_idx;
	__u8	namelen;
	__be16	pad1;
	__be32	flags;
	__u8	name[O2NM_MAX_NAME_LEN];
};

struct o2dlm_migrate_request {
	__u8	master;
	__u8	new_master;
	__u8	namelen;
	__u8	pad1;
	__be32	pad2;
	__u8	name[O2NM_MAX_NAME_LEN];
};

struct o2dlm_master_requery {
	__u8	pad1;
	__u8	pad2;
	__u8	node_idx;
	__u8	namelen;
	__be32	pad3;
	__u8	name[O2NM_MAX_NAME_LEN];
};

struct o2dlm_create_lock {
	__be64	cookie;
	__be32	flags;
	__u8	pad1;
	__u8	node_idx;
	__s8	requested_type;
	__u8	namelen;
	__u8	name[O2NM_MAX_NAME_LEN];
};

/* convert and unlock carry an LVB after the fixed part with PUT_LVB */
struct o2dlm_convert_lock {
	__be64	cookie;
	__be32	flags;
	__u8	pad1;
	__u8	node_idx;
	__s8	requested_type;
	__u8	namelen;
	__u8	name[O2NM_MAX_NAME_LEN];
	__s8	lvb[];
};

struct o2dlm_unlock_lock {
	__be64	cookie;
	__be32	flags;
	__be16	pad1;
	__u8	node_idx;
	__u8	namelen;
	__u8	name[O2NM_MAX_NAME_LEN];
	__s8	lvb[];
};

/* master -> holder: grant (AST, LVB with GET_LVB) or blocking AST */
struct o2dlm_proxy_ast {
	__be64	cookie;
	__be32	flags;
	__u8	node_idx;
	__u8	type;
	__u8	blocked_type;
	__u8	namelen;
	__u8	name[O2NM_MAX_NAME_LEN];
	__s8	lvb[];
};

struct o2dlm_query_join_request {
	__u8	node_idx;
	__u8	pad1[2];
	__u8	name_len;
	struct o2dlm_protocol_version dlm_proto;
	struct o2dlm_protocol_version fs_proto;
	__u8	domain[O2NM_MAX_NAME_LEN];
	__u8	node_map[O2DLM_NODE_MAP_BYTES];
};

struct o2dlm_assert_joined {
	__u8	node_idx;
	__u8	pad1[2];
	__u8	name_len;
	__u8	domain[O2NM_MAX_NAME_LEN];
};

struct o2dlm_cancel_join {
	__u8	node_idx;
	__u8	pad1[2];
	__u8	name_len;
	__u8	domain[O2NM_MAX_NAME_LEN];
};

struct o2dlm_query_region {
	__u8	qr_node;
	__u8	qr_numregions;
	__u8	qr_namelen;
	__u8	pad1;
	__u8	qr_domain[O2NM_MAX_NAME_LEN];
	__u8	qr_regions[O2DLM_REGION_NAME_LEN * O2NM_MAX_REGIONS];
};

struct o2dlm_node_info {
	__u8	ni_nodenum;
	__u8	pad1;
	__be16	ni_ipv4_port;
	__be32	ni_ipv4_address;
};

struct o2dlm_query_nodeinfo {
	__u8	qn_nodenum;
	__u8	qn_numnodes;
	__u8	qn_namelen;
	__u8	pad1;
	__u8	qn_domain[O2NM_MAX_NAME_LEN];
	struct o2dlm_node_info qn_nodes[O2NM_MAX_NODES];
};

struct o2dlm_exit_domain {
	__u8	node_idx;
	__u8	pad1[3];
};

/* recovery: lock request, data done and begin share this layout */
struct o2dlm_reco_msg {
	__u8	node_idx;
	__u8	dead_node;
	__be16	pad1;
	__be32	pad2;
};

/* RECO_DATA_DONE: stock sends (and takes) a value block nobody reads */
struct o2dlm_reco_data_done {
	struct o2dlm_reco_msg	hdr;
	__u8			reco_lvb[O2DLM_LVB_LEN];
};

struct o2dlm_finalize_reco {
	__u8	node_idx;
	__u8	dead_node;
	__u8	flags;
	__u8	pad1;
	__be32	pad2;
};

struct o2dlm_deref_lockres {
	__u32	pad1;
	__u16	pad2;
	__u8	node_idx;
	__u8	namelen;
	__u8	name[O2NM_MAX_NAME_LEN];
};

/* one lock in a migration or recovery message; list 0 granted, 1, 2 */
struct o2dlm_migratable_lock {
	__be64	cookie;
	__be16	pad1;
	__u8	list;
	__u8	flags;
	__s8	type;
	__s8	convert_type;
	__s8	highest_blocked;
	__u8	node;
};

#define O2DLM_MRES_RECOVERY	0x01
#define O2DLM_MRES_MIGRATION	0x02
#define O2DLM_MRES_ALL_DONE	0x04
#define O2DLM_MAX_MIGRATABLE_LOCKS	240

struct o2dlm_migratable_lockres {
	__u8	master;
	__u8	lockname_len;
	__u8	num_locks;
	__u8	flags;
	__be32	total_locks;
	__be64	mig_cookie;
	__u8	lockname[O2DLM_LOCKID_NAME_MAX];
	__u8	lvb[O2DLM_LVB_LEN];
	struct o2dlm_migratable_lock ml[];
};

#define O2DLM_MIG_LOCKRES_MAX_LEN					\
	(sizeof(struct o2dlm_migratable_lockres) +			\
	 sizeof(struct o2dlm_migratable_lock) * O2DLM_MAX_MIGRATABLE_LOCKS)

static_assert(sizeof(struct o2dlm_master_request) == 72);
static_assert(offsetof(struct o2dlm_master_request, name) == 8);
static_assert(sizeof(struct o2dlm_assert_master) == 72);
static_assert(sizeof(struct o2dlm_migrate_request) == 72);
static_assert(sizeof(struct o2dlm_master_requery) == 72);
static_assert(offsetof(struct o2dlm_master_requery, namelen) == 3);
static_assert(sizeof(struct o2dlm_create_lock) == 80);
static_assert(offsetof(struct o2dlm_create_lock, requested_type) == 14);
static_assert(sizeof(struct o2dlm_convert_lock) == 80);
static_assert(offsetof(struct o2dlm_convert_lock, lvb) == 80);
static_assert(sizeof(struct o2dlm_unlock_lock) == 80);
static_assert(offsetof(struct o2dlm_unlock_lock, node_idx) == 14);
static_assert(sizeof(struct o2dlm_proxy_ast) == 80);
static_assert(offsetof(struct o2dlm_proxy_ast, blocked_type) == 14);
static_assert(sizeof(struct o2dlm_query_join_request) == 104);
static_assert(offsetof(struct o2dlm_query_join_request, domain) == 8);
static_assert(sizeof(struct o2dlm_assert_joined) == 68);
static_assert(sizeof(struct o2dlm_cancel_join) == 68);
static_assert(sizeof(struct o2dlm_query_region) == 1092);
static_assert(sizeof(struct o2dlm_node_info) == 8);
static_assert(sizeof(struct o2dlm_query_nodeinfo) == 2108);
static_assert(sizeof(struct o2dlm_exit_domain) == 4);
static_assert(sizeof(struct o2dlm_reco_msg) == 8);
static_assert(sizeof(struct o2dlm_finalize_reco) == 8);
static_assert(sizeof(struct o2dlm_reco_data_done) == 72);
static_assert(sizeof(struct o2dlm_deref_lockres) == 72);
static_assert(sizeof(struct o2dlm_migratable_lock) == 16);
static_assert(offsetof(struct o2dlm_migratable_lockres, lockname) == 16);
static_assert(offsetof(struct o2dlm_migratable_lockres, ml) == 112);
static_assert(O2DLM_MIG_LOCKRES_MAX_LEN == 3952);

#endif /* OCFS2_O2DLM_FMT_H */
