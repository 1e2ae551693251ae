// SPDX-License-Identifier: GPL-2.0
/*
 * A domain's life: creation and the join retry loop, the domain map kept
 * in step with heartbeat (a node that stops heartbeating leaves every
 * domain, and the domain's users hear of it through eviction callbacks),
 * clean exits of other nodes (BEGIN_EXIT / EXIT_DOMAIN), and our own
 * leaving.  Heartbeat callbacks run in the heartbeat thread.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dlm_internal.h"

#define O2DLM_JOIN_TIMEOUT_MS	90000
#define O2DLM_HB_NODE_DOWN_PRI	0xf000000
#define O2DLM_HB_NODE_UP_PRI	0x8000000

static DECLARE_RWSEM(o2dlm_evict_sem);
static DECLARE_WAIT_QUEUE_HEAD(o2dlm_domain_events);

void o2dlm_ctxt_release(struct kref *kref)
{
	struct o2dlm_ctxt *dlm = container_of(kref, struct o2dlm_ctxt, refs);

	spin_lock(&o2dlm_domain_lock);
	list_del_init(&dlm->list);
	spin_unlock(&o2dlm_domain_lock);
	wake_up(&o2dlm_domain_events);
	if (dlm->reco_wq)
		destroy_workqueue(dlm->reco_wq);
	if (dlm->wq)
		destroy_workqueue(dlm->wq);
	o2dlm_free_all_lockres(dlm);
	o2dlm_free_mles(dlm);
	kvfree(dlm->hash);
	kfree(dlm);
}

static struct o2dlm_ctxt *o2dlm_alloc_ctxt(const char *domain, u32 key)
{
	struct o2dlm_ctxt *dlm;
	int i;

	dlm = kzalloc(sizeof(*dlm), GFP_KERNEL);
	if (!dlm)
		return NULL;
	dlm->hash = kvcalloc(O2DLM_HASH_BUCKETS, sizeof(*dlm->hash),
			     GFP_KERNEL);
	if (!dlm->hash)
		goto out_free;
	for (i = 0; i < O2DLM_HASH_BUCKETS; i++)
		INIT_HLIST_HEAD(&dlm->hash[i]);
	dlm->wq = alloc_ordered_workqueue("o2dlm-%s", WQ_MEM_RECLAIM, domain);
	if (!dlm->wq)
		goto out_hash;
	/* recovery waits for ASTs, so it cannot share their queue */
	dlm->reco_wq = alloc_ordered_workqueue("o2dlm-reco-%s", WQ_MEM_RECLAIM,
					       domain);
	if (!dlm->reco_wq)
		goto out_wq;
	strscpy(dlm->name, domain, sizeof(dlm->name));
	dlm->key = key;
	dlm->node_num = o2nm_this_node();
	kref_init(&dlm->refs);
	spin_lock_init(&dlm->spinlock);
	spin_lock_init(&dlm->ast_lock);
	INIT_LIST_HEAD(&dlm->list);
	INIT_LIST_HEAD(&dlm->mles);
	INIT_LIST_HEAD(&dlm->ast_list);
	INIT_LIST_HEAD(&dlm->handlers);
	INIT_LIST_HEAD(&dlm->evict_cbs);
	INIT_WORK(&dlm->ast_work, o2dlm_ast_work);
	init_waitqueue_head(&dlm->events);
	dlm->joining_node = O2DLM_OWNER_UNKNOWN;
	dlm->dlm_proto.pv_major = O2DLM_PROTO_MAJOR;
	dlm->dlm_proto.pv_minor = O2DLM_PROTO_MINOR;
	o2dlm_recovery_init(dlm);
	return dlm;

out_wq:
	destroy_workqueue(dlm->wq);
out_hash:
	kvfree(dlm->hash);
out_free:
	kfree(dlm);
	return NULL;
}

static void o2dlm_fire_evictions(struct o2dlm_ctxt *dlm, int node)
{
	struct o2dlm_eviction_cb *cb;

	down_read(&o2dlm_evict_sem);
	list_for_each_entry(cb, &dlm->evict_cbs, ec_item)
		cb->ec_func(node, cb->ec_data);
	up_read(&o2dlm_evict_sem);
}

struct o2dlm_left {
	u8	node;
	bool	died;
};

/*
 * res->spinlock held, we master res: a writer that died may have left
 * the value block half updated, so it is blanked, as stock does.
 */
static void o2dlm_blank_dead_writer(struct o2dlm_lockres *res, u8 node)
{
	struct list_head *qs[] = { &res->granted, &res->converting };
	struct o2dlm_lock *lock;
	int i;

	for (i = 0; i < ARRAY_SIZE(qs); i++)
		list_for_each_entry(lock, qs[i], list)
			if (lock->node == node && lock->type == O2DLM_EXMODE) {
				memset(res->lvb, 0, O2DLM_LVB_LEN);
				return;
			}
}

/*
 * dlm->spinlock held.  A node that left cleanly migrated whatever we
 * used, so an unused resource it mastered is only forgotten (mastered
 * again on next use); a dead master's resources wait for recovery.
 */
static int o2dlm_drop_node_fn(struct o2dlm_ctxt *dlm,
			      struct o2dlm_lockres *res, void *arg)
{
	struct o2dlm_left *l = arg;
	bool forget = false;
	int lost = 0;

	spin_lock(&res->spinlock);
	clear_bit(l->node, res->refmap);
	if (res->owner == dlm->node_num) {
		if (l->died)
			o2dlm_blank_dead_writer(res, l->node);
		o2dlm_drop_node_locks(dlm, res, l->node);
	} else if (res->owner == l->node && !l->died &&
		   !o2dlm_res_has_locks(res) &&
		   !(res->state & (O2DLM_RES_IN_PROGRESS |
				   O2DLM_RES_MIGRATING))) {
		forget = true;
	} else if (res->owner == l->node) {
		/* its locks cannot be rebuilt without recovery */
		res->state |= O2DLM_RES_RECOVERING;
		lost = 1;
	}
	spin_unlock(&res->spinlock);
	if (forget) {
		hlist_del_init(&res->hash_node);
		/* the caller's walk holds the lock, not a reference */
		o2dlm_lockres_put(res);
	}
	wake_up(&res->wq);
	return lost;
}

/* a node left the domain (died: heartbeat said so) */
void o2dlm_node_left(struct o2dlm_ctxt *dlm, u8 node, bool died)
{
	struct o2dlm_left l = { .node = node, .died = died };
	int lost;

	o2dlm_mle_node_down(dlm, node);
	spin_lock(&dlm->spinlock);
	clear_bit(node, dlm->exit_map);
	spin_unlock(&dlm->spinlock);
	lost = o2dlm_for_each_lockres(dlm, o2dlm_drop_node_fn, &l);
	if (lost)
		pr_notice("o2dlm: domain %s: node %u %s mastering %d lock resources\n",
			  dlm->name, node, died ? "died" : "left", lost);
	wake_up(&dlm->events);
}

static void o2dlm_hb_down(struct o2nm_node *node, int idx, void *data)
{
	struct o2dlm_ctxt *dlm = data;
	bool member;

	spin_lock(&dlm->spinlock);
	clear_bit(idx, dlm->live_map);
	member = test_and_clear_bit(idx, dlm->domain_map);
	if (dlm->joining_node == idx)
		dlm->joining_node = O2DLM_OWNER_UNKNOWN;
	spin_unlock(&dlm->spinlock);
	if (!member) {
		wake_up(&dlm->events);
		return;
	}
	pr_notice("o2dlm: node %d (dead) leaves domain %s\n", idx, dlm->name);
	o2dlm_node_left(dlm, idx, true);
	o2dlm_fire_evictions(dlm, idx);
	o2dlm_start_recovery(dlm, idx);
}

static void o2dlm_hb_up(struct o2nm_node *node, int idx, void *data)
{
	struct o2dlm_ctxt *dlm = data;

	spin_lock(&dlm->spinlock);
	set_bit(idx, dlm->live_map);
	spin_unlock(&dlm->spinlock);
}

/*
 * A domain message must come from a member and name its sender where the
 * payload names one: a node outside the domain (or a confused one) must
 * not create, move or recover anybody's locks.  Stock trusts the payload.
 */
bool o2dlm_sender_ok(struct o2dlm_ctxt *dlm, struct o2net_msg *msg,
		     u8 claimed, const char *what)
{
	u8 from = o2net_msg_sender(msg);
	bool member;

	spin_lock(&dlm->spinlock);
	member = from < O2NM_MAX_NODES && test_bit(from, dlm->domain_map);
	spin_unlock(&dlm->spinlock);
	if (member && (claimed == from || claimed == O2DLM_OWNER_UNKNOWN))
		return true;
	pr_err_ratelimited("o2dlm: %s: dropped %s from node %u (%s)\n",
			   dlm->name, what, from,
			   member ? "names another node as sender" :
			   "not a member of the domain");
	return false;
}

/* logs a message that failed its checks; returns O2DLM_BADARGS */
int o2dlm_malformed(struct o2dlm_ctxt *dlm, const char *what, u32 len)
{
	pr_err_ratelimited("o2dlm: %s: dropped a malformed %s (len %u)\n",
			   dlm->name, what, len);
	return O2DLM_BADARGS;
}

static int o2dlm_exit_domain_handler(struct o2net_msg *msg, u32 len,
				     void *data, void **ret_data)
{
	struct o2dlm_exit_domain *e = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	bool member;

	if (len < sizeof(*msg) + sizeof(*e) || e->node_idx >= O2NM_MAX_NODES ||
	    !o2dlm_sender_ok(dlm, msg, e->node_idx, "an exit"))
		return 0;
	if (!o2dlm_grab(dlm))
		return 0;
	spin_lock(&dlm->spinlock);
	member = test_and_clear_bit(e->node_idx, dlm->domain_map);
	spin_unlock(&dlm->spinlock);
	if (member) {
		pr_notice("o2dlm: node %u leaves domain %s\n", e->node_idx,
			  dlm->name);
		o2dlm_node_left(dlm, e->node_idx, false);
	}
	o2dlm_put(dlm);
	return 0;
}

/*
 * BEGIN_EXIT: the node still answers until EXIT_DOMAIN, but is about to
 * hand its resources over and must not be handed ours.
 */
static int o2dlm_begin_exit_handler(struct o2net_msg *msg, u32 len,
				    void *data, void **ret_data)
{
	struct o2dlm_exit_domain *e = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;

	if (len < sizeof(*msg) + sizeof(*e) || e->node_idx >= O2NM_MAX_NODES ||
	    !o2dlm_sender_ok(dlm, msg, e->node_idx, "a begin-exit"))
		return 0;
	spin_lock(&dlm->spinlock);
	if (test_bit(e->node_idx, dlm->domain_map))
		set_bit(e->node_idx, dlm->exit_map);
	spin_unlock(&dlm->spinlock);
	return 0;
}

int o2dlm_register_domain_handlers(struct o2dlm_ctxt *dlm)
{
	int ret;

	o2hb_setup_callback(&dlm->hb_down, O2HB_NODE_DOWN_CB, o2dlm_hb_down,
			    dlm, O2DLM_HB_NODE_DOWN_PRI);
	o2hb_setup_callback(&dlm->hb_up, O2HB_NODE_UP_CB, o2dlm_hb_up, dlm,
			    O2DLM_HB_NODE_UP_PRI);
	ret = o2hb_register_callback(dlm->name, &dlm->hb_down);
	if (ret)
		return ret;
	ret = o2hb_register_callback(dlm->name, &dlm->hb_up);
	if (ret)
		goto out_down;
	ret = o2net_register_handler(O2DLM_EXIT_DOMAIN_MSG, dlm->key,
				     sizeof(struct o2dlm_exit_domain),
				     o2dlm_exit_domain_handler, dlm, NULL,
				     &dlm->handlers);
	if (!ret)
		ret = o2net_register_handler(O2DLM_BEGIN_EXIT_DOMAIN_MSG,
					     dlm->key,
					     sizeof(struct o2dlm_exit_domain),
					     o2dlm_begin_exit_handler, dlm,
					     NULL, &dlm->handlers);
	if (!ret)
		ret = o2dlm_register_master_handlers(dlm);
	if (!ret)
		ret = o2dlm_register_remote_handlers(dlm);
	if (!ret)
		ret = o2dlm_register_ast_handlers(dlm);
	if (!ret)
		ret = o2dlm_register_reco_handlers(dlm);
	if (!ret)
		ret = o2dlm_register_migrate_handlers(dlm);
	if (!ret)
		return 0;
	o2net_unregister_handler_list(&dlm->handlers);
	o2hb_unregister_callback(dlm->name, &dlm->hb_up);
out_down:
	o2hb_unregister_callback(dlm->name, &dlm->hb_down);
	return ret;
}

static void o2dlm_unregister_domain_handlers(struct o2dlm_ctxt *dlm)
{
	o2hb_unregister_callback(dlm->name, &dlm->hb_up);
	o2hb_unregister_callback(dlm->name, &dlm->hb_down);
	o2net_unregister_handler_list(&dlm->handlers);
}

static int o2dlm_join_domain(struct o2dlm_ctxt *dlm)
{
	unsigned int waited = 0, backoff;
	int ret;

	ret = o2dlm_register_domain_handlers(dlm);
	if (ret)
		return ret;
	for (;;) {
		ret = o2dlm_try_join(dlm);
		if (ret != -EAGAIN)
			break;
		if (signal_pending(current) || waited > O2DLM_JOIN_TIMEOUT_MS) {
			pr_err("o2dlm: gave up joining %s after %u ms\n",
			       dlm->name, waited);
			ret = -ERESTARTSYS;
			break;
		}
		backoff = (jiffies & 3) * 200 + 50;
		waited += backoff;
		msleep(backoff);
	}
	if (ret)
		o2dlm_unregister_domain_handlers(dlm);
	else
		o2dlm_debug_add(dlm);
	if (!ret)
		pr_notice("o2dlm: joining domain %s (DLM protocol %u.%u) as node %u\n",
			  dlm->name, dlm->dlm_proto.pv_major,
			  dlm->dlm_proto.pv_minor, dlm->node_num);
	wake_up(&o2dlm_domain_events);
	return ret;
}

static bool o2dlm_domain_settled(const char *domain)
{
	struct o2dlm_ctxt *dlm;
	bool settled;

	spin_lock(&o2dlm_domain_lock);
	dlm = o2dlm_lookup_domain(domain, strlen(domain));
	settled = !dlm || dlm->state == O2DLM_CTXT_JOINED;
	spin_unlock(&o2dlm_domain_lock);
	return settled;
}

/* an existing, joined context of that name, with a join counted */
static struct o2dlm_ctxt *o2dlm_reuse(const char *domain,
				      struct o2dlm_protocol_version *fs)
{
	struct o2dlm_ctxt *dlm;

	dlm = o2dlm_lookup_domain(domain, strlen(domain));
	if (!dlm)
		return NULL;
	if (dlm->state != O2DLM_CTXT_JOINED)
		return ERR_PTR(-EAGAIN);
	if (dlm->fs_proto.pv_major != fs->pv_major ||
	    dlm->fs_proto.pv_minor > fs->pv_minor)
		return ERR_PTR(-EPROTO);
	fs->pv_minor = dlm->fs_proto.pv_minor;
	kref_get(&dlm->refs);
	dlm->num_joins++;
	return dlm;
}

struct o2dlm_ctxt *o2dlm_register_domain(const char *domain, u32 key,
					 struct o2dlm_protocol_version *fs)
{
	struct o2dlm_ctxt *dlm, *new = NULL;
	int ret;

	if (strlen(domain) >= O2NM_MAX_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	if (o2nm_this_node() >= O2NM_MAX_NODES)
		return ERR_PTR(-EINVAL);
	for (;;) {
		spin_lock(&o2dlm_domain_lock);
		dlm = o2dlm_reuse(domain, fs);
		if (!dlm && new) {
			dlm = new;
			new = NULL;
			dlm->fs_proto = *fs;
			list_add_tail(&dlm->list, &o2dlm_domains);
			spin_unlock(&o2dlm_domain_lock);
			break;
		}
		spin_unlock(&o2dlm_domain_lock);
		if (dlm && PTR_ERR(dlm) == -EAGAIN) {
			if (wait_event_interruptible(o2dlm_domain_events,
						     o2dlm_domain_settled(domain)))
				return ERR_PTR(-ERESTARTSYS);
			continue;
		}
		if (dlm) {
			if (new)
				o2dlm_put(new);
			return dlm;
		}
		new = o2dlm_alloc_ctxt(domain, key);
		if (!new)
			return ERR_PTR(-ENOMEM);
	}
	ret = o2dlm_join_domain(dlm);
	if (ret) {
		o2dlm_put(dlm);
		return ERR_PTR(ret);
	}
	fs->pv_minor = dlm->fs_proto.pv_minor;
	return dlm;
}
EXPORT_SYMBOL_GPL(o2dlm_register_domain);

static void o2dlm_send_exits(struct o2dlm_ctxt *dlm, u32 type)
{
	struct o2dlm_exit_domain e = { .node_idx = dlm->node_num };
	unsigned long map[O2DLM_MAP_LONGS];
	int node, ret;

	spin_lock(&dlm->spinlock);
	bitmap_copy(map, dlm->domain_map, O2NM_MAX_NODES);
	spin_unlock(&dlm->spinlock);
	for_each_set_bit(node, map, O2NM_MAX_NODES) {
		if (node == dlm->node_num)
			continue;
		ret = o2net_send_message(type, dlm->key, &e, sizeof(e), node,
					 NULL);
		if (ret < 0 && !o2dlm_is_host_down(ret))
			pr_err("o2dlm: exit message %u to node %d failed: %d\n",
			       type, node, ret);
	}
}

static bool o2dlm_no_joiner(struct o2dlm_ctxt *dlm)
{
	bool none;

	spin_lock(&dlm->spinlock);
	none = dlm->joining_node == O2DLM_OWNER_UNKNOWN;
	spin_unlock(&dlm->spinlock);
	return none;
}

static void o2dlm_leave_domain(struct o2dlm_ctxt *dlm)
{
	o2dlm_debug_remove(dlm);
	/*
	 * ASTs still queued go out first, and our exit notice after them:
	 * each peer has handled every AST we posted before it hears we go
	 */
	o2dlm_flush_asts(dlm);
	o2dlm_send_exits(dlm, O2DLM_BEGIN_EXIT_DOMAIN_MSG);
	o2dlm_migrate_all(dlm);
	o2dlm_purge_all(dlm);
	/* a node in the middle of joining counted on our answer */
	for (;;) {
		wait_event(dlm->events, o2dlm_no_joiner(dlm));
		spin_lock(&o2dlm_domain_lock);
		spin_lock(&dlm->spinlock);
		if (dlm->joining_node == O2DLM_OWNER_UNKNOWN) {
			dlm->state = O2DLM_CTXT_LEAVING;
			spin_unlock(&dlm->spinlock);
			spin_unlock(&o2dlm_domain_lock);
			break;
		}
		spin_unlock(&dlm->spinlock);
		spin_unlock(&o2dlm_domain_lock);
	}
	spin_lock(&dlm->spinlock);
	clear_bit(dlm->node_num, dlm->domain_map);
	spin_unlock(&dlm->spinlock);
	wake_up(&dlm->reco_wait);
	cancel_work_sync(&dlm->reco_work);
	o2dlm_send_exits(dlm, O2DLM_EXIT_DOMAIN_MSG);
	o2dlm_unregister_domain_handlers(dlm);
	/* no handler can queue work now; none may outlive the context */
	flush_workqueue(dlm->wq);
	pr_notice("o2dlm: leaving domain %s\n", dlm->name);
}

void o2dlm_unregister_domain(struct o2dlm_ctxt *dlm)
{
	bool leave;

	spin_lock(&o2dlm_domain_lock);
	leave = --dlm->num_joins == 0;
	if (leave)
		dlm->state = O2DLM_CTXT_IN_SHUTDOWN;
	spin_unlock(&o2dlm_domain_lock);
	if (leave)
		o2dlm_leave_domain(dlm);
	o2dlm_put(dlm);
}
EXPORT_SYMBOL_GPL(o2dlm_unregister_domain);

void o2dlm_register_eviction_cb(struct o2dlm_ctxt *dlm,
				struct o2dlm_eviction_cb *cb)
{
	down_write(&o2dlm_evict_sem);
	list_add_tail(&cb->ec_item, &dlm->evict_cbs);
	up_write(&o2dlm_evict_sem);
}
EXPORT_SYMBOL_GPL(o2dlm_register_eviction_cb);

void o2dlm_unregister_eviction_cb(struct o2dlm_ctxt *dlm,
				  struct o2dlm_eviction_cb *cb)
{
	down_write(&o2dlm_evict_sem);
	list_del_init(&cb->ec_item);
	up_write(&o2dlm_evict_sem);
}
EXPORT_SYMBOL_GPL(o2dlm_unregister_eviction_cb);
