// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2_stack_o2cb: the stackglue plugin "o2cb".  It maps stackglue's
 * fs/dlm-style calls onto o2dlm: a connection is an o2dlm domain keyed by
 * crc32 of the group name, whose evictions become the connection's
 * recovery callback; modes are the same numbers; flags and statuses are
 * translated; the value block lives in the caller's ocfs2_dlm_lksb.
 */
#include <linux/bitmap.h>
#include <linux/crc32.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <ocfs2/stackglue.h>

#include "o2dlm.h"
#include "o2hb.h"
#include "o2net.h"
#include "o2nm.h"

/* joining waits this long for o2net to reach every heartbeating node */
#define O2CB_MAP_STABILIZE_SECS	60

static_assert(sizeof(struct o2dlm_lksb) <=
	      sizeof(((struct ocfs2_dlm_lksb *)0)->lksb_o2dlm));
static_assert(DLM_LOCK_NL == O2DLM_NLMODE && DLM_LOCK_PR == O2DLM_PRMODE &&
	      DLM_LOCK_EX == O2DLM_EXMODE);

struct o2cb_private {
	struct o2dlm_eviction_cb	evict;
};

static struct o2dlm_lksb *o2cb_lksb(struct ocfs2_dlm_lksb *lksb)
{
	return (struct o2dlm_lksb *)lksb->lksb_o2dlm;
}

static int o2cb_flags(u32 flags)
{
	static const struct { u32 from; int to; } map[] = {
		{ DLM_LKF_NOQUEUE, O2DLM_LKM_NOQUEUE },
		{ DLM_LKF_CANCEL, O2DLM_LKM_CANCEL },
		{ DLM_LKF_CONVERT, O2DLM_LKM_CONVERT },
		{ DLM_LKF_VALBLK, O2DLM_LKM_VALBLK },
		{ DLM_LKF_IVVALBLK, O2DLM_LKM_INVVALBLK },
		{ DLM_LKF_FORCEUNLOCK, O2DLM_LKM_FORCE },
	};
	int i, out = 0;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (flags & map[i].from)
			out |= map[i].to;
	return out;
}

static int o2cb_errno(enum o2dlm_status st)
{
	switch (st) {
	case O2DLM_NORMAL:
		return 0;
	case O2DLM_NOTQUEUED:
		return -EAGAIN;
	case O2DLM_DENIED:
	case O2DLM_DENIED_NOLOCKS:
		return -EACCES;
	case O2DLM_SYSERR:
		return -ENOMEM;
	case O2DLM_CANCELGRANT:
		return -EBUSY;
	case O2DLM_RECOVERING:
		return -ENOTCONN;
	case O2DLM_MIGRATING:
		return -ERESTART;
	default:
		return -EINVAL;
	}
}

static void o2cb_lock_ast(void *data)
{
	struct ocfs2_dlm_lksb *lksb = data;

	lksb->lksb_conn->cc_proto->lp_lock_ast(lksb);
}

static void o2cb_blocking_ast(void *data, int level)
{
	struct ocfs2_dlm_lksb *lksb = data;

	lksb->lksb_conn->cc_proto->lp_blocking_ast(lksb, level);
}

static void o2cb_unlock_ast(void *data, enum o2dlm_status st)
{
	struct ocfs2_dlm_lksb *lksb = data;

	/* the conversion it meant to cancel completes with a lock ast */
	if (st == O2DLM_CANCELGRANT)
		return;
	lksb->lksb_conn->cc_proto->lp_unlock_ast(lksb, o2cb_errno(st));
}

static int o2cb_dlm_lock(struct ocfs2_cluster_connection *conn, int mode,
			 struct ocfs2_dlm_lksb *lksb, u32 flags, void *name,
			 unsigned int namelen)
{
	struct o2dlm_lksb *ol = o2cb_lksb(lksb);

	if (mode < DLM_LOCK_NL || mode > DLM_LOCK_EX)
		return -EINVAL;
	ol->lvb = lksb->lksb_lvb;
	return o2cb_errno(o2dlm_lock(conn->cc_lockspace, mode, ol,
				     o2cb_flags(flags), name, namelen,
				     o2cb_lock_ast, lksb, o2cb_blocking_ast));
}

static int o2cb_dlm_unlock(struct ocfs2_cluster_connection *conn,
			   struct ocfs2_dlm_lksb *lksb, u32 flags)
{
	struct o2dlm_lksb *ol = o2cb_lksb(lksb);

	ol->lvb = lksb->lksb_lvb;
	return o2cb_errno(o2dlm_unlock(conn->cc_lockspace, ol,
				       o2cb_flags(flags), o2cb_unlock_ast,
				       lksb));
}

static int o2cb_dlm_lock_status(struct ocfs2_dlm_lksb *lksb)
{
	return o2cb_errno(o2cb_lksb(lksb)->status);
}

static int o2cb_dlm_lvb_valid(struct ocfs2_dlm_lksb *lksb)
{
	return 1;
}

static void *o2cb_dlm_lvb(struct ocfs2_dlm_lksb *lksb)
{
	return lksb->lksb_lvb;
}

static void o2cb_dump_lksb(struct ocfs2_dlm_lksb *lksb)
{
	struct o2dlm_lksb *ol = o2cb_lksb(lksb);

	pr_info("o2cb: lksb status %d flags 0x%x lock %p\n", ol->status,
		ol->flags, ol->lock);
}

/* o2net must reach every node heartbeat sees before a join makes sense */
static int o2cb_cluster_check(void)
{
	unsigned long hb[BITS_TO_LONGS(O2NM_MAX_NODES)];
	unsigned long net[BITS_TO_LONGS(O2NM_MAX_NODES)];
	u8 me = o2nm_this_node();
	int i;

	if (me >= O2NM_MAX_NODES) {
		pr_err("o2cb: this node is not configured (no local node)\n");
		return -EINVAL;
	}
	for (i = 0; i < O2CB_MAP_STABILIZE_SECS; i++) {
		o2hb_fill_node_map(hb, O2NM_MAX_NODES);
		if (!test_bit(me, hb)) {
			pr_err("o2cb: %s heartbeat has not been started\n",
			       o2hb_global_heartbeat_active() ? "global" :
								"local");
			return -EINVAL;
		}
		o2net_fill_node_map(net, sizeof(net));
		set_bit(me, net);
		if (bitmap_equal(hb, net, O2NM_MAX_NODES))
			return 0;
		msleep(1000);
	}
	pr_err("o2cb: heartbeating nodes %*pbl are not all connected (%*pbl)\n",
	       O2NM_MAX_NODES, hb, O2NM_MAX_NODES, net);
	return -ENOTCONN;
}

static void o2cb_evicted(int node, void *data)
{
	struct ocfs2_cluster_connection *conn = data;

	pr_notice("o2cb: o2dlm has evicted node %d from domain %.*s\n", node,
		  conn->cc_namelen, conn->cc_name);
	if (conn->cc_recovery_handler)
		conn->cc_recovery_handler(node, conn->cc_recovery_data);
}

static int o2cb_connect(struct ocfs2_cluster_connection *conn)
{
	struct o2dlm_protocol_version fs = {
		.pv_major = conn->cc_version.pv_major,
		.pv_minor = conn->cc_version.pv_minor,
	};
	struct o2cb_private *priv;
	struct o2dlm_ctxt *dlm;
	int ret;

	ret = o2cb_cluster_check();
	if (ret)
		return ret;
	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	INIT_LIST_HEAD(&priv->evict.ec_item);
	priv->evict.ec_func = o2cb_evicted;
	priv->evict.ec_data = conn;
	dlm = o2dlm_register_domain(conn->cc_name,
				    crc32_le(0, conn->cc_name, conn->cc_namelen),
				    &fs);
	if (IS_ERR(dlm)) {
		kfree(priv);
		return PTR_ERR(dlm);
	}
	conn->cc_version.pv_minor = fs.pv_minor;
	conn->cc_lockspace = dlm;
	conn->cc_private = priv;
	o2dlm_register_eviction_cb(dlm, &priv->evict);
	return 0;
}

static int o2cb_disconnect(struct ocfs2_cluster_connection *conn)
{
	struct o2cb_private *priv = conn->cc_private;
	struct o2dlm_ctxt *dlm = conn->cc_lockspace;

	o2dlm_unregister_eviction_cb(dlm, &priv->evict);
	o2dlm_unregister_domain(dlm);
	kfree(priv);
	conn->cc_private = NULL;
	conn->cc_lockspace = NULL;
	return 0;
}

static int o2cb_this_node(struct ocfs2_cluster_connection *conn,
			  unsigned int *node)
{
	u8 me = o2nm_this_node();

	if (me >= O2NM_MAX_NODES)
		return -ENOENT;
	*node = me;
	return 0;
}

static const struct ocfs2_stack_operations o2cb_stack_ops = {
	.connect	= o2cb_connect,
	.disconnect	= o2cb_disconnect,
	.this_node	= o2cb_this_node,
	.dlm_lock	= o2cb_dlm_lock,
	.dlm_unlock	= o2cb_dlm_unlock,
	.lock_status	= o2cb_dlm_lock_status,
	.lvb_valid	= o2cb_dlm_lvb_valid,
	.lock_lvb	= o2cb_dlm_lvb,
	.dump_lksb	= o2cb_dump_lksb,
};

static struct ocfs2_stack_plugin o2cb_stack = {
	.sp_name	= OCFS2_STACK_PLUGIN_O2CB,
	.sp_ops		= &o2cb_stack_ops,
	.sp_owner	= THIS_MODULE,
};

static int __init o2cb_stack_init(void)
{
	return ocfs2_stack_glue_register(&o2cb_stack);
}

static void __exit o2cb_stack_exit(void)
{
	ocfs2_stack_glue_unregister(&o2cb_stack);
}

MODULE_DESCRIPTION("ocfs2 stackglue plugin for the classic o2cb stack");
MODULE_LICENSE("GPL");
module_init(o2cb_stack_init);
module_exit(o2cb_stack_exit);
