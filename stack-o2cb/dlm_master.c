// SPDX-License-Identifier: GPL-2.0
/*
 * Mastery: which node keeps a lock resource's queues.  The first node to
 * want a resource asks every domain member (MASTER_REQUEST): YES means
 * "I master it", MAYBE "I want it too", NO "not me".  When every node has
 * answered and nobody said YES, the lowest-numbered contender asserts
 * itself (ASSERT_MASTER) to the nodes it asked.  A node answering NO to a
 * request for a resource it does not know keeps a "block" entry, so that
 * if it wants the resource before the assert arrives it waits for that
 * assert instead of starting a vote of its own.  The master records which
 * nodes hold a reference (refmap) as stock masters do; a node that said
 * YES also asserts to everybody so the others drop their block entries.
 */
#include <linux/delay.h>
#include <linux/slab.h>

#include "dlm_internal.h"

#define O2DLM_MASTERY_WAIT_MS	1000

enum o2dlm_mle_type { O2DLM_MLE_BLOCK, O2DLM_MLE_MASTER };

/* a mastery in progress for one name; under dlm->spinlock */
struct o2dlm_mle {
	struct list_head	list;
	struct kref		refs;
	u8			name[O2DLM_LOCKID_NAME_MAX];
	u8			namelen;
	enum o2dlm_mle_type	type;
	u8			master;
	bool			restart;	/* a voter died: vote again */
	bool			woken;
	unsigned long		maybe_map[O2DLM_MAP_LONGS];
	unsigned long		vote_map[O2DLM_MAP_LONGS];
	unsigned long		response_map[O2DLM_MAP_LONGS];
	wait_queue_head_t	wq;
};

static void o2dlm_mle_release(struct kref *kref)
{
	kfree(container_of(kref, struct o2dlm_mle, refs));
}

static void o2dlm_mle_put(struct o2dlm_mle *mle)
{
	kref_put(&mle->refs, o2dlm_mle_release);
}

static struct o2dlm_mle *__o2dlm_find_mle(struct o2dlm_ctxt *dlm,
					  const u8 *name, unsigned int len)
{
	struct o2dlm_mle *mle;

	list_for_each_entry(mle, &dlm->mles, list)
		if (mle->namelen == len && !memcmp(mle->name, name, len))
			return mle;
	return NULL;
}

static void o2dlm_init_mle(struct o2dlm_mle *mle, enum o2dlm_mle_type type,
			   const u8 *name, unsigned int len)
{
	INIT_LIST_HEAD(&mle->list);
	kref_init(&mle->refs);
	memcpy(mle->name, name, len);
	mle->namelen = len;
	mle->type = type;
	mle->master = O2DLM_OWNER_UNKNOWN;
	init_waitqueue_head(&mle->wq);
}

/* dlm->spinlock held; the list's reference goes */
static void __o2dlm_unlink_mle(struct o2dlm_mle *mle)
{
	if (list_empty(&mle->list))
		return;
	list_del_init(&mle->list);
	o2dlm_mle_put(mle);
}

static void o2dlm_mle_wake(struct o2dlm_mle *mle)
{
	mle->woken = true;
	wake_up(&mle->wq);
}

void o2dlm_mle_node_down(struct o2dlm_ctxt *dlm, u8 node)
{
	struct o2dlm_mle *mle, *tmp;

	spin_lock(&dlm->spinlock);
	list_for_each_entry_safe(mle, tmp, &dlm->mles, list) {
		if (mle->type == O2DLM_MLE_BLOCK) {
			/* the node that made us wait will never assert */
			if (test_bit(node, mle->maybe_map)) {
				mle->restart = true;
				o2dlm_mle_wake(mle);
				__o2dlm_unlink_mle(mle);
			}
			continue;
		}
		if (test_bit(node, mle->vote_map) || mle->master == node) {
			mle->restart = true;
			o2dlm_mle_wake(mle);
		}
	}
	spin_unlock(&dlm->spinlock);
}

void o2dlm_free_mles(struct o2dlm_ctxt *dlm)
{
	struct o2dlm_mle *mle, *tmp;

	spin_lock(&dlm->spinlock);
	list_for_each_entry_safe(mle, tmp, &dlm->mles, list)
		__o2dlm_unlink_mle(mle);
	spin_unlock(&dlm->spinlock);
}

/* ---- asking ---- */

static void o2dlm_do_master_request(struct o2dlm_ctxt *dlm,
				    struct o2dlm_lockres *res,
				    struct o2dlm_mle *mle, int to)
{
	struct o2dlm_master_request req = { .node_idx = dlm->node_num };
	int ret, resp = 0;

	req.namelen = res->namelen;
	memcpy(req.name, res->name, res->namelen);
	for (;;) {
		ret = o2net_send_message(O2DLM_MASTER_REQUEST_MSG, dlm->key,
					 &req, sizeof(req), to, &resp);
		if (ret < 0) {
			/* a dead node answers through heartbeat instead */
			if (!o2dlm_is_host_down(ret))
				pr_err("o2dlm: %s: master request to node %d failed: %d\n",
				       dlm->name, to, ret);
			return;
		}
		if (resp != O2DLM_MASTER_RESP_ERROR)
			break;
		msleep(50);
	}
	spin_lock(&dlm->spinlock);
	set_bit(to, mle->response_map);
	if (resp == O2DLM_MASTER_RESP_YES)
		mle->master = to;
	else if (resp == O2DLM_MASTER_RESP_MAYBE)
		set_bit(to, mle->maybe_map);
	else if (resp != O2DLM_MASTER_RESP_NO)
		pr_err("o2dlm: %s: node %d answered a master request with %d\n",
		       dlm->name, to, resp);
	spin_unlock(&dlm->spinlock);
}

/*
 * Requests go out in ascending node order and stop at the master (as
 * stock's do).  A node asked after the master has answered may see the
 * request after the master's cleanup assert: its block entry would then
 * never be cleaned, and its own next use of the name would wait for an
 * assert that is never coming.  A master known from an assert but not
 * yet asked is still asked, so that it counts our reference.
 */
static bool o2dlm_asked_far_enough(struct o2dlm_ctxt *dlm,
				   struct o2dlm_mle *mle, int node)
{
	bool done;

	spin_lock(&dlm->spinlock);
	done = mle->master != O2DLM_OWNER_UNKNOWN && mle->master <= node;
	spin_unlock(&dlm->spinlock);
	return done;
}

static void o2dlm_vote(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
		       struct o2dlm_mle *mle)
{
	unsigned long map[O2DLM_MAP_LONGS];
	int node;

	spin_lock(&dlm->spinlock);
	bitmap_copy(mle->vote_map, dlm->domain_map, O2NM_MAX_NODES);
	clear_bit(dlm->node_num, mle->vote_map);
	bitmap_zero(mle->response_map, O2NM_MAX_NODES);
	bitmap_copy(map, mle->vote_map, O2NM_MAX_NODES);
	mle->type = O2DLM_MLE_MASTER;
	mle->restart = false;
	spin_unlock(&dlm->spinlock);
	for_each_set_bit(node, map, O2NM_MAX_NODES) {
		o2dlm_do_master_request(dlm, res, mle, node);
		if (o2dlm_asked_far_enough(dlm, mle, node))
			break;
	}
}

/* send ASSERT_MASTER to map; returns nodes that asked for a reassert */
static bool o2dlm_do_assert(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			    unsigned long *map, u32 flags)
{
	struct o2dlm_assert_master am = { .node_idx = dlm->node_num };
	bool again = false;
	int node, ret, r;

	am.namelen = res->namelen;
	am.flags = cpu_to_be32(flags);
	memcpy(am.name, res->name, res->namelen);
	for_each_set_bit(node, map, O2NM_MAX_NODES) {
		if (node == dlm->node_num)
			continue;
		r = 0;
		ret = o2net_send_message(O2DLM_ASSERT_MASTER_MSG, dlm->key,
					 &am, sizeof(am), node, &r);
		if (ret < 0) {
			if (!o2dlm_is_host_down(ret))
				pr_err("o2dlm: %s: assert master to node %d failed: %d\n",
				       dlm->name, node, ret);
			continue;
		}
		if (r < 0) {
			pr_err("o2dlm: %s: node %d refused our mastery of %.*s (%d)\n",
			       dlm->name, node, res->namelen, res->name, r);
			continue;
		}
		if (r & O2DLM_ASSERT_RESPONSE_MASTERY_REF) {
			spin_lock(&res->spinlock);
			set_bit(node, res->refmap);
			spin_unlock(&res->spinlock);
		}
		if (r & O2DLM_ASSERT_RESPONSE_REASSERT)
			again = true;
	}
	return again;
}

void o2dlm_assert_mastery(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			  unsigned long *map, u32 flags)
{
	int tries = 0;

	while (o2dlm_do_assert(dlm, res, map, flags) && ++tries < 10)
		msleep(50);
}

/* dlm->spinlock held: the decided master, or UNKNOWN to keep waiting */
static u8 __o2dlm_mastery_result(struct o2dlm_ctxt *dlm,
				 struct o2dlm_mle *mle)
{
	int lowest;

	if (mle->master != O2DLM_OWNER_UNKNOWN)
		return mle->master;
	if (mle->type == O2DLM_MLE_BLOCK ||
	    !bitmap_subset(mle->vote_map, mle->response_map, O2NM_MAX_NODES))
		return O2DLM_OWNER_UNKNOWN;
	lowest = find_first_bit(mle->maybe_map, O2NM_MAX_NODES);
	return dlm->node_num <= lowest ? dlm->node_num : O2DLM_OWNER_UNKNOWN;
}

/* a vote that settles nothing this long is taken again */
#define O2DLM_MASTERY_STALE	5

static u8 o2dlm_wait_mastery(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			     struct o2dlm_mle *mle)
{
	int waits = 0;
	bool restart;
	u8 m;

	for (;;) {
		spin_lock(&dlm->spinlock);
		/*
		 * A block entry made from a request that raced with its
		 * master's assert is never cleaned by an assert: ask again.
		 */
		if (++waits > O2DLM_MASTERY_STALE) {
			mle->restart = true;
			waits = 0;
		}
		restart = mle->restart;
		m = restart ? O2DLM_OWNER_UNKNOWN :
			      __o2dlm_mastery_result(dlm, mle);
		mle->woken = false;
		spin_unlock(&dlm->spinlock);
		if (m != O2DLM_OWNER_UNKNOWN)
			return m;
		if (restart) {
			spin_lock(&dlm->spinlock);
			mle->master = O2DLM_OWNER_UNKNOWN;
			bitmap_zero(mle->maybe_map, O2NM_MAX_NODES);
			if (list_empty(&mle->list)) {
				kref_get(&mle->refs);
				list_add_tail(&mle->list, &dlm->mles);
			}
			spin_unlock(&dlm->spinlock);
			o2dlm_vote(dlm, res, mle);
			continue;
		}
		wait_event_timeout(mle->wq, READ_ONCE(mle->woken),
				   msecs_to_jiffies(O2DLM_MASTERY_WAIT_MS));
	}
}

/* called with a new, hashed res marked IN_PROGRESS; sleeps */
int o2dlm_get_master(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
		     int flags)
{
	struct o2dlm_mle *mle, *new;
	unsigned long map[O2DLM_MAP_LONGS];
	bool blocked;
	u8 m;

	new = kzalloc(sizeof(*new), GFP_NOFS);
	if (!new)
		return -ENOMEM;
	o2dlm_init_mle(new, O2DLM_MLE_MASTER, res->name, res->namelen);
	spin_lock(&dlm->spinlock);
	mle = __o2dlm_find_mle(dlm, res->name, res->namelen);
	blocked = mle != NULL;
	if (!mle) {
		mle = new;
		new = NULL;
		kref_get(&mle->refs);
		list_add_tail(&mle->list, &dlm->mles);
	} else {
		kref_get(&mle->refs);
	}
	spin_unlock(&dlm->spinlock);
	kfree(new);

	if (!blocked && !(flags & O2DLM_LKM_LOCAL))
		o2dlm_vote(dlm, res, mle);
	m = (flags & O2DLM_LKM_LOCAL) ? dlm->node_num :
					o2dlm_wait_mastery(dlm, res, mle);

	/* owner set before the entry goes: requests then see the answer */
	spin_lock(&dlm->spinlock);
	spin_lock(&res->spinlock);
	res->owner = m;
	spin_unlock(&res->spinlock);
	bitmap_copy(map, mle->vote_map, O2NM_MAX_NODES);
	__o2dlm_unlink_mle(mle);
	spin_unlock(&dlm->spinlock);
	o2dlm_mle_put(mle);
	if (m == dlm->node_num)
		o2dlm_assert_mastery(dlm, res, map, 0);
	return 0;
}

/* ---- answering ---- */

struct o2dlm_assert_work {
	struct work_struct	work;
	struct o2dlm_ctxt	*dlm;
	struct o2dlm_lockres	*res;
};

static void o2dlm_assert_worker(struct work_struct *work)
{
	struct o2dlm_assert_work *aw = container_of(work, typeof(*aw), work);
	unsigned long map[O2DLM_MAP_LONGS];

	spin_lock(&aw->dlm->spinlock);
	bitmap_copy(map, aw->dlm->domain_map, O2NM_MAX_NODES);
	spin_unlock(&aw->dlm->spinlock);
	o2dlm_assert_mastery(aw->dlm, aw->res, map,
			     O2DLM_ASSERT_MASTER_MLE_CLEANUP);
	o2dlm_lockres_put(aw->res);
	o2dlm_put(aw->dlm);
	kfree(aw);
}

/* tell everybody again, from the work queue: a handler may not send */
static void o2dlm_dispatch_assert(struct o2dlm_ctxt *dlm,
				  struct o2dlm_lockres *res)
{
	struct o2dlm_assert_work *aw = kzalloc(sizeof(*aw), GFP_NOFS);

	if (!aw || !o2dlm_grab(dlm)) {
		kfree(aw);
		return;
	}
	INIT_WORK(&aw->work, o2dlm_assert_worker);
	aw->dlm = dlm;
	aw->res = res;
	o2dlm_lockres_get(res);
	queue_work(dlm->wq, &aw->work);
}

/* dlm->spinlock held; the answer for a resource we have */
static int __o2dlm_answer_res(struct o2dlm_ctxt *dlm,
			      struct o2dlm_lockres *res, u8 from)
{
	struct o2dlm_mle *mle;
	int resp;

	spin_lock(&res->spinlock);
	/* asked again once the new master is known */
	if (res->state & (O2DLM_RES_RECOVERING | O2DLM_RES_MIGRATING)) {
		resp = O2DLM_MASTER_RESP_ERROR;
	} else if (res->owner == dlm->node_num) {
		set_bit(from, res->refmap);
		resp = O2DLM_MASTER_RESP_YES;
	} else if (res->owner != O2DLM_OWNER_UNKNOWN) {
		resp = O2DLM_MASTER_RESP_NO;
	} else {
		mle = __o2dlm_find_mle(dlm, res->name, res->namelen);
		resp = O2DLM_MASTER_RESP_NO;
		if (mle && mle->type == O2DLM_MLE_MASTER) {
			resp = O2DLM_MASTER_RESP_MAYBE;
			set_bit(from, mle->maybe_map);
		} else if (mle) {
			set_bit(from, mle->maybe_map);
		} else if (res->state & O2DLM_RES_IN_PROGRESS) {
			/*
			 * Hashed, its vote not started yet: a NO would let
			 * the asker master it while we go on to master it
			 * too.  Our vote asks the asker in turn.
			 */
			resp = O2DLM_MASTER_RESP_MAYBE;
		}
	}
	spin_unlock(&res->spinlock);
	return resp;
}

/* dlm->spinlock held; nothing here wants it: remember who does */
static int __o2dlm_answer_unknown(struct o2dlm_ctxt *dlm, const u8 *name,
				  u8 len, u8 from, struct o2dlm_mle **newp)
{
	struct o2dlm_mle *mle = __o2dlm_find_mle(dlm, name, len);

	if (mle) {
		set_bit(from, mle->maybe_map);
		return mle->type == O2DLM_MLE_MASTER ? O2DLM_MASTER_RESP_MAYBE :
						       O2DLM_MASTER_RESP_NO;
	}
	if (!*newp)
		return O2DLM_MASTER_RESP_ERROR;
	mle = *newp;
	*newp = NULL;
	o2dlm_init_mle(mle, O2DLM_MLE_BLOCK, name, len);
	set_bit(from, mle->maybe_map);
	list_add_tail(&mle->list, &dlm->mles);
	return O2DLM_MASTER_RESP_NO;
}

static int o2dlm_master_request_handler(struct o2net_msg *msg, u32 len,
					void *data, void **ret_data)
{
	struct o2dlm_master_request *req = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	struct o2dlm_lockres *res;
	struct o2dlm_mle *spare;
	int resp;

	if (len < sizeof(*msg) + sizeof(*req) ||
	    req->namelen > O2DLM_LOCKID_NAME_MAX ||
	    req->node_idx >= O2NM_MAX_NODES) {
		pr_err("o2dlm: dropped a malformed master request (len %u)\n",
		       len);
		return O2DLM_MASTER_RESP_NO;
	}
	if (!o2dlm_sender_ok(dlm, msg, req->node_idx, "a master request"))
		return O2DLM_MASTER_RESP_NO;
	if (!o2dlm_grab(dlm))
		return O2DLM_MASTER_RESP_NO;
	if (!o2dlm_joined(dlm)) {
		o2dlm_put(dlm);
		return O2DLM_MASTER_RESP_NO;
	}
	spare = kzalloc(sizeof(*spare), GFP_NOFS);
	spin_lock(&dlm->spinlock);
	/* leaving with nothing left to hand over: we master nothing now */
	res = dlm->migrate_done ? NULL :
	      __o2dlm_lookup_lockres(dlm, req->name, req->namelen);
	if (res)
		resp = __o2dlm_answer_res(dlm, res, req->node_idx);
	else if (dlm->migrate_done)
		resp = O2DLM_MASTER_RESP_NO;
	else
		resp = __o2dlm_answer_unknown(dlm, req->name, req->namelen,
					      req->node_idx, &spare);
	spin_unlock(&dlm->spinlock);
	kfree(spare);
	if (res) {
		if (resp == O2DLM_MASTER_RESP_YES)
			o2dlm_dispatch_assert(dlm, res);
		o2dlm_lockres_put(res);
	}
	o2dlm_put(dlm);
	return resp;
}

/* dlm->spinlock held: a vote for that name has its answer */
static void __o2dlm_mle_set_master(struct o2dlm_ctxt *dlm, const u8 *name,
				   u8 len, u8 master)
{
	struct o2dlm_mle *mle = __o2dlm_find_mle(dlm, name, len);

	if (!mle)
		return;
	mle->master = master;
	o2dlm_mle_wake(mle);
	__o2dlm_unlink_mle(mle);
}

void o2dlm_mle_set_master(struct o2dlm_ctxt *dlm, const u8 *name, u8 len,
			  u8 master)
{
	spin_lock(&dlm->spinlock);
	__o2dlm_mle_set_master(dlm, name, len, master);
	spin_unlock(&dlm->spinlock);
}

/* res->spinlock held: the end of a migration to node */
static int __o2dlm_take_migration(struct o2dlm_ctxt *dlm,
				  struct o2dlm_lockres *res, u8 node)
{
	if (res->owner == dlm->node_num) {
		/* our own migration ends when o2dlm_migrate_one sees this */
		if (!(res->state & O2DLM_RES_MIGRATING) ||
		    res->mig_peer != node) {
			pr_err("o2dlm: %s: node %u finishes a migration of %.*s we did not start; ignored\n",
			       dlm->name, node, res->namelen, res->name);
			return 0;
		}
	} else {
		res->state &= ~O2DLM_RES_MIGRATING;
	}
	res->owner = node;
	return O2DLM_ASSERT_RESPONSE_MASTERY_REF;
}

/* dlm->spinlock held */
static int __o2dlm_take_assert(struct o2dlm_ctxt *dlm,
			       struct o2dlm_assert_master *am)
{
	struct o2dlm_lockres *res;
	int ret = 0;

	__o2dlm_mle_set_master(dlm, am->name, am->namelen, am->node_idx);
	res = __o2dlm_lookup_lockres(dlm, am->name, am->namelen);
	if (!res)
		return 0;
	spin_lock(&res->spinlock);
	if (be32_to_cpu(am->flags) & O2DLM_ASSERT_MASTER_FINISH_MIGRATION) {
		ret = __o2dlm_take_migration(dlm, res, am->node_idx);
	} else if (res->owner == O2DLM_OWNER_UNKNOWN ||
		   res->owner == am->node_idx ||
		   (res->state & O2DLM_RES_RECOVERING) ||
		   dlm->migrate_done) {
		/* leaving, we answered NO for what nobody else used here */
		res->owner = am->node_idx;
		res->state &= ~O2DLM_RES_RECOVERING;
		ret = O2DLM_ASSERT_RESPONSE_MASTERY_REF;
	} else {
		pr_err("o2dlm: %s: node %u asserts mastery of %.*s, mastered by %u; ignored\n",
		       dlm->name, am->node_idx, am->namelen, am->name,
		       res->owner);
	}
	spin_unlock(&res->spinlock);
	wake_up(&res->wq);
	o2dlm_lockres_put(res);
	return ret;
}

static int o2dlm_assert_master_handler(struct o2net_msg *msg, u32 len,
				       void *data, void **ret_data)
{
	struct o2dlm_assert_master *am = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	int ret;

	/* never negative: a stock master treats that as a fatal bug */
	if (len < sizeof(*msg) + sizeof(*am) ||
	    am->namelen > O2DLM_LOCKID_NAME_MAX ||
	    am->node_idx >= O2NM_MAX_NODES) {
		pr_err("o2dlm: dropped a malformed assert master (len %u)\n",
		       len);
		return 0;
	}
	if (!o2dlm_sender_ok(dlm, msg, am->node_idx, "an assert master"))
		return 0;
	if (!o2dlm_grab(dlm))
		return 0;
	spin_lock(&dlm->spinlock);
	ret = __o2dlm_take_assert(dlm, am);
	spin_unlock(&dlm->spinlock);
	o2dlm_put(dlm);
	return ret;
}

static int o2dlm_deref_handler(struct o2net_msg *msg, u32 len, void *data,
			       void **ret_data)
{
	struct o2dlm_deref_lockres *d = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	struct o2dlm_lockres *res;

	if (len < sizeof(*msg) + sizeof(*d) ||
	    d->namelen > O2DLM_LOCKID_NAME_MAX || d->node_idx >= O2NM_MAX_NODES) {
		o2dlm_malformed(dlm, "deref", len);
		return O2DLM_DEREF_RESPONSE_DONE;
	}
	if (!o2dlm_sender_ok(dlm, msg, d->node_idx, "a deref"))
		return O2DLM_DEREF_RESPONSE_DONE;
	if (!o2dlm_grab(dlm))
		return O2DLM_DEREF_RESPONSE_DONE;
	res = o2dlm_lookup_lockres(dlm, d->name, d->namelen);
	if (res) {
		spin_lock(&res->spinlock);
		if (res->owner == dlm->node_num)
			clear_bit(d->node_idx, res->refmap);
		spin_unlock(&res->spinlock);
		o2dlm_lockres_put(res);
	}
	o2dlm_put(dlm);
	return O2DLM_DEREF_RESPONSE_DONE;
}

static int o2dlm_deref_done_handler(struct o2net_msg *msg, u32 len,
				    void *data, void **ret_data)
{
	return 0;
}

int o2dlm_register_master_handlers(struct o2dlm_ctxt *dlm)
{
	int ret;

	ret = o2net_register_handler(O2DLM_MASTER_REQUEST_MSG, dlm->key,
				     sizeof(struct o2dlm_master_request),
				     o2dlm_master_request_handler, dlm, NULL,
				     &dlm->handlers);
	if (!ret)
		ret = o2net_register_handler(O2DLM_ASSERT_MASTER_MSG, dlm->key,
					     sizeof(struct o2dlm_assert_master),
					     o2dlm_assert_master_handler, dlm,
					     NULL, &dlm->handlers);
	if (!ret)
		ret = o2net_register_handler(O2DLM_DEREF_LOCKRES_MSG, dlm->key,
					     sizeof(struct o2dlm_deref_lockres),
					     o2dlm_deref_handler, dlm, NULL,
					     &dlm->handlers);
	if (!ret)
		ret = o2net_register_handler(O2DLM_DEREF_LOCKRES_DONE_MSG,
					     dlm->key,
					     sizeof(struct o2dlm_deref_lockres),
					     o2dlm_deref_done_handler, dlm,
					     NULL, &dlm->handlers);
	return ret;
}

/*
 * The resource's master died and nobody recovers it for us ($RECOVERY
 * itself): forget the master and its locks, and vote again.
 */
int o2dlm_remaster(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res)
{
	int ret;

	spin_lock(&res->spinlock);
	if (res->state & O2DLM_RES_IN_PROGRESS) {
		spin_unlock(&res->spinlock);
		return 0;
	}
	o2dlm_drop_node_locks(dlm, res, res->owner);
	res->owner = O2DLM_OWNER_UNKNOWN;
	res->state |= O2DLM_RES_IN_PROGRESS;
	res->state &= ~O2DLM_RES_RECOVERING;
	spin_unlock(&res->spinlock);
	ret = o2dlm_get_master(dlm, res, 0);
	spin_lock(&res->spinlock);
	res->state &= ~O2DLM_RES_IN_PROGRESS;
	spin_unlock(&res->spinlock);
	wake_up(&res->wq);
	return ret;
}

/*
 * An unused resource another node masters leaves our hash, and the
 * master hears so (DEREF_LOCKRES): a stock master keeps a resource, and
 * cannot leave its domain, while any node still holds a reference.  The
 * caller holds a reference of its own.
 */
void o2dlm_purge(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res)
{
	struct o2dlm_deref_lockres d = { .node_idx = dlm->node_num };
	int ret, r = 0;
	bool drop;
	u8 owner;

	spin_lock(&dlm->spinlock);
	spin_lock(&res->spinlock);
	owner = res->owner;
	drop = owner != dlm->node_num && owner < O2NM_MAX_NODES &&
	       !o2dlm_res_has_locks(res) && !hlist_unhashed(&res->hash_node) &&
	       !(res->state & (O2DLM_RES_IN_PROGRESS | O2DLM_RES_RECOVERING));
	if (drop)
		hlist_del_init(&res->hash_node);
	spin_unlock(&res->spinlock);
	spin_unlock(&dlm->spinlock);
	if (!drop)
		return;
	d.namelen = res->namelen;
	memcpy(d.name, res->name, res->namelen);
	ret = o2net_send_message(O2DLM_DEREF_LOCKRES_MSG, dlm->key, &d,
				 sizeof(d), owner, &r);
	if (ret < 0 && !o2dlm_is_host_down(ret))
		pr_err("o2dlm: %s: deref of %.*s to node %u failed: %d\n",
		       dlm->name, res->namelen, res->name, owner, ret);
	o2dlm_lockres_put(res);
}

static int o2dlm_collect_remote(struct o2dlm_ctxt *dlm,
				struct o2dlm_lockres *res, void *arg)
{
	struct o2dlm_lockres **slot = arg;

	if (*slot || res->owner == dlm->node_num ||
	    res->owner >= O2NM_MAX_NODES)
		return 0;
	o2dlm_lockres_get(res);
	*slot = res;
	return 1;
}

/* leaving: give every reference back to its master */
void o2dlm_purge_all(struct o2dlm_ctxt *dlm)
{
	struct o2dlm_lockres *res;
	int left = 10000;

	while (left--) {
		res = NULL;
		o2dlm_for_each_lockres(dlm, o2dlm_collect_remote, &res);
		if (!res)
			return;
		spin_lock(&dlm->spinlock);
		spin_lock(&res->spinlock);
		/* locks left behind at leave die with the domain */
		if (o2dlm_res_has_locks(res) ||
		    (res->state & O2DLM_RES_RECOVERING)) {
			hlist_del_init(&res->hash_node);
			spin_unlock(&res->spinlock);
			spin_unlock(&dlm->spinlock);
			o2dlm_free_lockres_locks(res);
			o2dlm_lockres_put(res);
		} else {
			spin_unlock(&res->spinlock);
			spin_unlock(&dlm->spinlock);
			o2dlm_purge(dlm, res);
		}
		o2dlm_lockres_put(res);
	}
}
