// SPDX-License-Identifier: GPL-2.0
/*
 * Migration: a master leaving its domain first hands every resource that
 * other nodes still use (a lock, or only a reference) to one of them, so
 * their locks and the value block outlive it.  The old master marks the
 * resource MIGRATING (requests are answered O2DLM_MIGRATING and retried),
 * sends every lock in MIG_LOCKRES messages flagged MIGRATION, and waits.
 * The new master rebuilds the queues, tells the other members
 * (MIGRATE_REQUEST), asserts itself with FINISH_MIGRATION to them and to
 * the old master last, and serves the waiters.  A third node that heard
 * MIGRATE_REQUEST holds its own requests until that assert.  Stock nodes
 * play either part; the messages are theirs.
 */
#include <linux/delay.h>
#include <linux/slab.h>

#include "dlm_internal.h"

#define O2DLM_MIG_WAIT_MS	5000
#define O2DLM_MIG_WAITS		12
/*
 * a request being served ends well within 5 s of passes; a recovery
 * that must end first (a node died as we leave) within a minute
 */
#define O2DLM_MIG_BUSY_PASSES	50
#define O2DLM_MIG_PASSES	600
#define O2DLM_MIG_PASS_MS	100

/* ---- the old master's side ---- */

/* res->spinlock held: a lock of ours pins the resource here */
static bool __o2dlm_has_local_locks(struct o2dlm_ctxt *dlm,
				    struct o2dlm_lockres *res)
{
	struct list_head *qs[] = { &res->granted, &res->converting,
				   &res->blocked };
	struct o2dlm_lock *lock;
	int i;

	for (i = 0; i < ARRAY_SIZE(qs); i++)
		list_for_each_entry(lock, qs[i], list)
			if (lock->node == dlm->node_num)
				return true;
	return false;
}

/* both spinlocks held: may node take the resource over? */
static bool __o2dlm_can_take(struct o2dlm_ctxt *dlm, int node)
{
	return node != dlm->node_num && node < O2NM_MAX_NODES &&
	       test_bit(node, dlm->domain_map) &&
	       !test_bit(node, dlm->exit_map);
}

/* both spinlocks held: a lock holder first, else any referencing node */
static u8 __o2dlm_pick_target(struct o2dlm_ctxt *dlm,
			      struct o2dlm_lockres *res)
{
	struct list_head *qs[] = { &res->granted, &res->converting,
				   &res->blocked };
	struct o2dlm_lock *lock;
	int i, node;

	if (res->owner != dlm->node_num ||
	    (res->state & (O2DLM_RES_IN_PROGRESS | O2DLM_RES_RECOVERING |
			   O2DLM_RES_MIGRATING)) ||
	    __o2dlm_has_local_locks(dlm, res))
		return O2DLM_OWNER_UNKNOWN;
	for (i = 0; i < ARRAY_SIZE(qs); i++)
		list_for_each_entry(lock, qs[i], list)
			if (__o2dlm_can_take(dlm, lock->node))
				return lock->node;
	for_each_set_bit(node, res->refmap, O2NM_MAX_NODES)
		if (__o2dlm_can_take(dlm, node))
			return node;
	return O2DLM_OWNER_UNKNOWN;
}

/*
 * A resource still serving a request (a peer's convert or unlock arriving
 * while we leave) cannot be migrated now; it must not be skipped for good
 * either, or we would leave still mastering locks a peer holds.
 */
static u8 o2dlm_start_migration(struct o2dlm_ctxt *dlm,
				struct o2dlm_lockres *res, bool *busy)
{
	u8 target;

	spin_lock(&dlm->spinlock);
	spin_lock(&res->spinlock);
	target = __o2dlm_pick_target(dlm, res);
	if (target != O2DLM_OWNER_UNKNOWN) {
		res->state |= O2DLM_RES_MIGRATING;
		res->mig_peer = target;
	}
	*busy = target == O2DLM_OWNER_UNKNOWN &&
		res->owner == dlm->node_num &&
		(res->state & (O2DLM_RES_IN_PROGRESS | O2DLM_RES_MIGRATING));
	spin_unlock(&res->spinlock);
	spin_unlock(&dlm->spinlock);
	return target;
}

static bool o2dlm_mig_settled(struct o2dlm_ctxt *dlm,
			      struct o2dlm_lockres *res, u8 target)
{
	bool settled;

	spin_lock(&dlm->spinlock);
	settled = READ_ONCE(res->owner) == target ||
		  !test_bit(target, dlm->domain_map);
	spin_unlock(&dlm->spinlock);
	return settled;
}

/* the new master asserted itself: its copies of the locks now count */
static void o2dlm_end_migration(struct o2dlm_ctxt *dlm,
				struct o2dlm_lockres *res, u8 target)
{
	bool moved;

	spin_lock(&res->spinlock);
	moved = res->owner == target;
	if (moved)
		bitmap_zero(res->refmap, O2NM_MAX_NODES);
	else
		pr_err("o2dlm: %s: migrating %.*s to node %u failed; its locks stay here\n",
		       dlm->name, res->namelen, res->name, target);
	res->state &= ~O2DLM_RES_MIGRATING;
	spin_unlock(&res->spinlock);
	if (moved)
		o2dlm_free_lockres_locks(res);
	wake_up(&res->wq);
}

/* the target will not take it now: it stays ours, for a later pass */
static void o2dlm_defer_migration(struct o2dlm_lockres *res)
{
	spin_lock(&res->spinlock);
	res->state &= ~O2DLM_RES_MIGRATING;
	spin_unlock(&res->spinlock);
	wake_up(&res->wq);
}

/* false: busy serving a request, try again later */
static bool o2dlm_migrate_one(struct o2dlm_ctxt *dlm,
			      struct o2dlm_lockres *res)
{
	bool busy;
	u8 target = o2dlm_start_migration(dlm, res, &busy);
	int ret, waits = 0;

	if (target == O2DLM_OWNER_UNKNOWN)
		return !busy;
	/* grants and blocking notices already decided go out first */
	o2dlm_flush_asts(dlm);
	ret = o2dlm_send_mig_locks(dlm, res, target);
	if (ret == -EINVAL) {
		/*
		 * a stock target says so while it drops its reference (its
		 * DEREF is on the way; run 20261127-040611): once that is
		 * in, the resource needs no new master
		 */
		pr_info("o2dlm: %s: node %u is letting go of %.*s; migrating it later\n",
			dlm->name, target, res->namelen, res->name);
		o2dlm_defer_migration(res);
		return false;
	}
	if (ret) {
		pr_err("o2dlm: %s: node %u refused the locks of %.*s: %d\n",
		       dlm->name, target, res->namelen, res->name, ret);
		goto out;
	}
	while (!wait_event_timeout(res->wq, o2dlm_mig_settled(dlm, res, target),
				   msecs_to_jiffies(O2DLM_MIG_WAIT_MS)) &&
	       ++waits < O2DLM_MIG_WAITS)
		;
out:
	o2dlm_end_migration(dlm, res, target);
	return true;
}

struct o2dlm_res_list {
	int			n;
	int			max;
	struct o2dlm_lockres	**res;
};

static int o2dlm_collect_mastered(struct o2dlm_ctxt *dlm,
				  struct o2dlm_lockres *res, void *arg)
{
	struct o2dlm_res_list *l = arg;

	if (res->owner != dlm->node_num)
		return 0;
	if (l->res && l->n < l->max) {
		o2dlm_lockres_get(res);
		l->res[l->n++] = res;
	}
	return 1;
}

/* one pass over what we master; returns how many were busy */
static int o2dlm_migrate_pass(struct o2dlm_ctxt *dlm)
{
	struct o2dlm_res_list l = { 0 };
	int i, busy = 0;

	l.max = o2dlm_for_each_lockres(dlm, o2dlm_collect_mastered, &l);
	if (!l.max)
		return 0;
	l.res = kvcalloc(l.max, sizeof(*l.res), GFP_NOFS);
	if (!l.res) {
		pr_err("o2dlm: %s: no memory to migrate %d lock resources\n",
		       dlm->name, l.max);
		return 0;
	}
	o2dlm_for_each_lockres(dlm, o2dlm_collect_mastered, &l);
	for (i = 0; i < l.n; i++) {
		if (!o2dlm_migrate_one(dlm, l.res[i]))
			busy++;
		o2dlm_lockres_put(l.res[i]);
	}
	kvfree(l.res);
	return busy;
}

/* dlm->spinlock held: would another pass have work with res? */
static int o2dlm_still_to_hand(struct o2dlm_ctxt *dlm,
			       struct o2dlm_lockres *res, void *arg)
{
	int left;

	spin_lock(&res->spinlock);
	left = res->owner == dlm->node_num &&
	       (__o2dlm_pick_target(dlm, res) != O2DLM_OWNER_UNKNOWN ||
		(res->state & (O2DLM_RES_IN_PROGRESS | O2DLM_RES_RECOVERING |
			       O2DLM_RES_MIGRATING)));
	spin_unlock(&res->spinlock);
	return left;
}

/*
 * The last check and migrate_done are one step under dlm->spinlock, as
 * stock does it: a master request answered YES between them would make
 * a peer count on a master that leaves without migrating, and recovery
 * could hand us resources after our last pass.  From here on master
 * requests are answered NO and we recover nothing.
 */
static bool o2dlm_mark_migrated(struct o2dlm_ctxt *dlm)
{
	bool done;

	spin_lock(&dlm->spinlock);
	done = bitmap_empty(dlm->recovery_map, O2NM_MAX_NODES) &&
	       !__o2dlm_for_each_lockres(dlm, o2dlm_still_to_hand, NULL);
	dlm->migrate_done = done;
	spin_unlock(&dlm->spinlock);
	return done;
}

/*
 * leaving: every resource we master that others use gets a new master;
 * passes repeat until nothing is left to hand over (stock loops too)
 */
void o2dlm_migrate_all(struct o2dlm_ctxt *dlm)
{
	int pass, busy = 0, busy_passes = 0;

	for (pass = 0; pass < O2DLM_MIG_PASSES; pass++) {
		busy = o2dlm_migrate_pass(dlm);
		if (!busy && o2dlm_mark_migrated(dlm))
			return;
		if (busy && ++busy_passes >= O2DLM_MIG_BUSY_PASSES)
			break;
		msleep(O2DLM_MIG_PASS_MS);
	}
	pr_err("o2dlm: %s: lock resources still to hand over after %d passes (%d busy); leaving without migrating them\n",
	       dlm->name, pass, busy);
}

/* ---- the new master's side ---- */

/* res->spinlock held: our own lock, as the old master lists it */
static void o2dlm_place_local(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			      struct o2dlm_migratable_lockres *mres,
			      struct o2dlm_migratable_lock *ml)
{
	struct list_head *qs[] = { &res->granted, &res->converting,
				   &res->blocked };
	enum o2dlm_queue q;
	struct o2dlm_lock *lock;

	lock = o2dlm_find_lock(res, be64_to_cpu(ml->cookie), &q);
	if (!lock || lock->node != dlm->node_num) {
		pr_err("o2dlm: %s: migrated %.*s lists a lock of ours we do not have; dropped\n",
		       dlm->name, res->namelen, res->name);
		return;
	}
	/* waiters are served in order: keep the old master's */
	if (q == ml->list)
		list_move_tail(&lock->list, qs[q]);
	/* better than stock: our own holders keep the value block too */
	if (ml->list != O2DLM_Q_BLOCKED && ml->type > O2DLM_NLMODE &&
	    memchr_inv(mres->lvb, 0, O2DLM_LVB_LEN))
		memcpy(res->lvb, mres->lvb, O2DLM_LVB_LEN);
}

struct o2dlm_finish_work {
	struct work_struct	work;
	struct o2dlm_ctxt	*dlm;
	struct o2dlm_lockres	*res;
	u8			old;
};

/* the other members hear of the move; a stock one may need a ref */
static void o2dlm_send_migrate_requests(struct o2dlm_ctxt *dlm,
					struct o2dlm_lockres *res,
					unsigned long *map, u8 old)
{
	struct o2dlm_migrate_request mr = { .master = old,
					    .new_master = dlm->node_num };
	int node, ret, status;

	mr.namelen = res->namelen;
	memcpy(mr.name, res->name, res->namelen);
	for_each_set_bit(node, map, O2NM_MAX_NODES) {
		status = 0;
		ret = o2net_send_message(O2DLM_MIGRATE_REQUEST_MSG, dlm->key,
					 &mr, sizeof(mr), node, &status);
		if (ret < 0) {
			if (!o2dlm_is_host_down(ret))
				pr_err("o2dlm: %s: migrate request to node %d failed: %d\n",
				       dlm->name, node, ret);
			continue;
		}
		if (status == 1) {
			spin_lock(&res->spinlock);
			set_bit(node, res->refmap);
			spin_unlock(&res->spinlock);
		}
	}
}

static void o2dlm_finish_worker(struct work_struct *work)
{
	struct o2dlm_finish_work *fw = container_of(work, typeof(*fw), work);
	struct o2dlm_ctxt *dlm = fw->dlm;
	struct o2dlm_lockres *res = fw->res;
	unsigned long map[O2DLM_MAP_LONGS];

	spin_lock(&dlm->spinlock);
	bitmap_copy(map, dlm->domain_map, O2NM_MAX_NODES);
	spin_unlock(&dlm->spinlock);
	clear_bit(dlm->node_num, map);
	clear_bit(fw->old, map);
	o2dlm_send_migrate_requests(dlm, res, map, fw->old);
	o2dlm_assert_mastery(dlm, res, map,
			     O2DLM_ASSERT_MASTER_FINISH_MIGRATION);
	bitmap_zero(map, O2NM_MAX_NODES);
	set_bit(fw->old, map);
	o2dlm_assert_mastery(dlm, res, map,
			     O2DLM_ASSERT_MASTER_FINISH_MIGRATION);

	spin_lock(&res->spinlock);
	res->state &= ~O2DLM_RES_MIGRATING;
	__o2dlm_shuffle(dlm, res);
	spin_unlock(&res->spinlock);
	wake_up(&res->wq);
	pr_notice("o2dlm: %s: took over %.*s from node %u\n", dlm->name,
		  res->namelen, res->name, fw->old);
	o2dlm_lockres_put(res);
	o2dlm_put(dlm);
	kfree(fw);
}

static void o2dlm_queue_finish(struct o2dlm_ctxt *dlm,
			       struct o2dlm_lockres *res, u8 old)
{
	struct o2dlm_finish_work *fw = kzalloc(sizeof(*fw), GFP_NOFS);

	if (!fw || !o2dlm_grab(dlm)) {
		kfree(fw);
		pr_err("o2dlm: %s: cannot finish the migration of %.*s\n",
		       dlm->name, res->namelen, res->name);
		return;
	}
	INIT_WORK(&fw->work, o2dlm_finish_worker);
	fw->dlm = dlm;
	fw->res = res;
	fw->old = old;
	o2dlm_lockres_get(res);
	queue_work(dlm->wq, &fw->work);
}

/*
 * MIG_LOCKRES with MIGRATION: the locks of a resource whose master
 * leaves.  Never a negative answer: a stock sender treats any as fatal.
 */
int o2dlm_mig_target(struct o2dlm_ctxt *dlm,
		     struct o2dlm_migratable_lockres *mres)
{
	struct o2dlm_lockres *res;
	struct o2dlm_lock **locks;
	bool done = mres->flags & O2DLM_MRES_ALL_DONE;
	u8 old = mres->master;
	int i;

	if (old >= O2NM_MAX_NODES || old == dlm->node_num) {
		pr_err("o2dlm: %s: dropped a migration from node %u\n",
		       dlm->name, old);
		return 0;
	}
	locks = o2dlm_alloc_ml_locks(mres);
	res = o2dlm_find_or_add_lockres(dlm, mres->lockname,
					mres->lockname_len);
	if (!res || !locks) {
		pr_err("o2dlm: %s: no memory to take %.*s over from node %u\n",
		       dlm->name, mres->lockname_len, mres->lockname, old);
		goto out;
	}
	spin_lock(&res->spinlock);
	if (res->state & O2DLM_RES_RECOVERING) {
		spin_unlock(&res->spinlock);
		pr_err("o2dlm: %s: node %u migrates %.*s, which we recover; dropped\n",
		       dlm->name, old, mres->lockname_len, mres->lockname);
		goto out;
	}
	res->state |= O2DLM_RES_MIGRATING;
	res->mig_peer = old;
	res->owner = dlm->node_num;
	for (i = 0; i < mres->num_locks; i++) {
		if (mres->ml[i].node == dlm->node_num &&
		    (mres->ml[i].cookie || mres->ml[i].type != O2DLM_IVMODE))
			o2dlm_place_local(dlm, res, mres, &mres->ml[i]);
		else
			o2dlm_take_ml(dlm, res, mres, &mres->ml[i],
				      &locks[i]);
	}
	/* the old master keeps a reference until it lets go (DEREF) */
	set_bit(old, res->refmap);
	spin_unlock(&res->spinlock);
	if (done)
		o2dlm_queue_finish(dlm, res, old);
out:
	o2dlm_free_ml_locks(locks, mres->num_locks);
	if (res)
		o2dlm_lockres_put(res);
	return 0;
}

/* ---- a third member's side ---- */

static int o2dlm_migrate_request_handler(struct o2net_msg *msg, u32 len,
					 void *data, void **ret_data)
{
	struct o2dlm_migrate_request *mr = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	struct o2dlm_lockres *res;

	if (len < sizeof(*msg) + sizeof(*mr) ||
	    mr->namelen > O2DLM_LOCKID_NAME_MAX ||
	    mr->master >= O2NM_MAX_NODES || mr->new_master >= O2NM_MAX_NODES) {
		pr_err("o2dlm: dropped a malformed migrate request (len %u)\n",
		       len);
		return 0;
	}
	if (!o2dlm_sender_ok(dlm, msg, mr->new_master, "a migrate request"))
		return 0;
	if (!o2dlm_grab(dlm))
		return 0;
	/* a vote in progress for this name has its answer */
	o2dlm_mle_set_master(dlm, mr->name, mr->namelen, mr->new_master);
	res = o2dlm_lookup_lockres(dlm, mr->name, mr->namelen);
	if (res) {
		spin_lock(&res->spinlock);
		if (res->owner != dlm->node_num) {
			res->state |= O2DLM_RES_MIGRATING;
			res->mig_peer = mr->new_master;
		}
		spin_unlock(&res->spinlock);
		o2dlm_lockres_put(res);
	}
	o2dlm_put(dlm);
	return 0;
}

int o2dlm_register_migrate_handlers(struct o2dlm_ctxt *dlm)
{
	return o2net_register_handler(O2DLM_MIGRATE_REQUEST_MSG, dlm->key,
				      sizeof(struct o2dlm_migrate_request),
				      o2dlm_migrate_request_handler, dlm, NULL,
				      &dlm->handlers);
}
