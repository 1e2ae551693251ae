// SPDX-License-Identifier: GPL-2.0
/*
 * Lock state in transit (MIG_LOCKRES, stock's layout): after a master
 * dies each survivor sends the recovery master its own locks on every
 * resource the dead node mastered, one resource per message (a "dummy"
 * lock when it has none, so the new master still counts its reference),
 * and the recovery master rebuilds the queues from them.  Nothing a peer
 * sends here is trusted beyond the checks below.
 */
#include <linux/slab.h>

#include "dlm_internal.h"

static bool o2dlm_lvb_empty(const u8 *lvb)
{
	return !memchr_inv(lvb, 0, O2DLM_LVB_LEN);
}

static void o2dlm_init_mres(struct o2dlm_migratable_lockres *mres,
			    struct o2dlm_lockres *res, u8 master, int total)
{
	memset(mres, 0, O2NET_MAX_PAYLOAD_BYTES);
	mres->master = master;
	mres->lockname_len = res->namelen;
	memcpy(mres->lockname, res->name, res->namelen);
	mres->flags = O2DLM_MRES_RECOVERY;
	mres->total_locks = cpu_to_be32(total);
}

static void o2dlm_add_ml(struct o2dlm_migratable_lockres *mres,
			 struct o2dlm_lock *lock, int list)
{
	struct o2dlm_migratable_lock *ml = &mres->ml[mres->num_locks++];

	ml->cookie = cpu_to_be64(lock->cookie);
	ml->list = list;
	ml->flags = lock->lksb->flags &
		    (O2DLM_LKSB_PUT_LVB | O2DLM_LKSB_GET_LVB);
	ml->type = lock->type;
	ml->convert_type = lock->convert_type;
	ml->highest_blocked = O2DLM_IVMODE;
	ml->node = lock->node;
	/* a reader's or writer's copy is the best value block there is */
	if (list != O2DLM_Q_BLOCKED && o2dlm_lvb_empty(mres->lvb) &&
	    (lock->type == O2DLM_EXMODE || lock->type == O2DLM_PRMODE))
		memcpy(mres->lvb, lock->lksb->lvb, O2DLM_LVB_LEN);
}

/* res->spinlock held; fills mres with our locks, a dummy if none */
static void o2dlm_fill_mres(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			    struct o2dlm_migratable_lockres *mres)
{
	struct list_head *qs[] = { &res->granted, &res->converting,
				   &res->blocked };
	struct o2dlm_lock *lock;
	int i;

	for (i = 0; i < ARRAY_SIZE(qs); i++) {
		list_for_each_entry(lock, qs[i], list) {
			if (lock->node != dlm->node_num ||
			    mres->num_locks == O2DLM_MAX_MIGRATABLE_LOCKS)
				continue;
			o2dlm_add_ml(mres, lock, i);
		}
	}
	if (!mres->num_locks) {
		struct o2dlm_migratable_lock *ml = &mres->ml[0];

		ml->type = O2DLM_IVMODE;
		ml->convert_type = O2DLM_IVMODE;
		ml->highest_blocked = O2DLM_IVMODE;
		ml->node = dlm->node_num;
		ml->list = O2DLM_Q_BLOCKED;
		mres->num_locks = 1;
	}
	mres->total_locks = cpu_to_be32(mres->num_locks);
	mres->flags |= O2DLM_MRES_ALL_DONE;
}

static int o2dlm_send_one_res(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			      struct o2dlm_migratable_lockres *mres, u8 dead,
			      u8 to)
{
	int ret, status = 0;

	spin_lock(&res->spinlock);
	o2dlm_init_mres(mres, res, dead, 0);
	o2dlm_fill_mres(dlm, res, mres);
	spin_unlock(&res->spinlock);
	ret = o2net_send_message(O2DLM_MIG_LOCKRES_MSG, dlm->key, mres,
				 struct_size(mres, ml, mres->num_locks), to,
				 &status);
	return ret < 0 ? ret : status;
}

struct o2dlm_reco_collect {
	u8			dead;
	int			n;
	int			max;
	struct o2dlm_lockres	**res;
};

static int o2dlm_collect_fn(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			    void *arg)
{
	struct o2dlm_reco_collect *c = arg;

	if (res->owner != c->dead && res->owner != O2DLM_OWNER_UNKNOWN)
		return 0;
	if (c->res && c->n < c->max) {
		o2dlm_lockres_get(res);
		c->res[c->n] = res;
	}
	c->n++;
	return 1;
}

/* every resource the dead node mastered, with our locks, to the new one */
int o2dlm_send_reco_locks(struct o2dlm_ctxt *dlm, u8 dead, u8 to)
{
	struct o2dlm_reco_collect c = { .dead = dead };
	struct o2dlm_migratable_lockres *mres;
	int i, ret = 0;

	c.max = o2dlm_for_each_lockres(dlm, o2dlm_collect_fn, &c);
	c.n = 0;
	c.res = kvcalloc(c.max + 1, sizeof(*c.res), GFP_NOFS);
	mres = kmalloc(O2NET_MAX_PAYLOAD_BYTES, GFP_NOFS);
	if (!c.res || !mres) {
		ret = -ENOMEM;
		goto out;
	}
	o2dlm_for_each_lockres(dlm, o2dlm_collect_fn, &c);
	for (i = 0; i < min(c.n, c.max); i++) {
		if (!ret)
			ret = o2dlm_send_one_res(dlm, c.res[i], mres, dead, to);
		o2dlm_lockres_put(c.res[i]);
	}
out:
	kfree(mres);
	kvfree(c.res);
	return ret;
}

/* ---- migration: every node's locks, from a master that leaves ---- */

static int o2dlm_count_locks(struct o2dlm_lockres *res)
{
	struct list_head *qs[] = { &res->granted, &res->converting,
				   &res->blocked };
	struct list_head *pos;
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(qs); i++)
		list_for_each(pos, qs[i])
			n++;
	return n;
}

/* res->spinlock held: up to max entries, in queue order */
static int o2dlm_snapshot_locks(struct o2dlm_lockres *res,
				struct o2dlm_migratable_lock *all, int max)
{
	struct list_head *qs[] = { &res->granted, &res->converting,
				   &res->blocked };
	struct o2dlm_lock *lock;
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(qs); i++) {
		list_for_each_entry(lock, qs[i], list) {
			if (n == max)
				return n;
			all[n].cookie = cpu_to_be64(lock->cookie);
			all[n].list = i;
			all[n].flags = lock->lksb->flags &
				       (O2DLM_LKSB_PUT_LVB | O2DLM_LKSB_GET_LVB);
			all[n].type = lock->type;
			all[n].convert_type = lock->convert_type;
			/* a receiver rebuilds blocking state; stock insists */
			all[n].highest_blocked = O2DLM_IVMODE;
			all[n].node = lock->node;
			n++;
		}
	}
	return n;
}

static void o2dlm_dummy_ml(struct o2dlm_migratable_lock *ml, u8 node)
{
	memset(ml, 0, sizeof(*ml));
	ml->type = O2DLM_IVMODE;
	ml->convert_type = O2DLM_IVMODE;
	ml->highest_blocked = O2DLM_IVMODE;
	ml->node = node;
	ml->list = O2DLM_Q_BLOCKED;
}

static int o2dlm_send_mig_chunks(struct o2dlm_ctxt *dlm,
				 struct o2dlm_migratable_lockres *mres,
				 struct o2dlm_migratable_lock *all, int n,
				 u8 to)
{
	int sent = 0, chunk, ret, status;

	do {
		chunk = min(n - sent, O2DLM_MAX_MIGRATABLE_LOCKS);
		memcpy(mres->ml, all + sent, chunk * sizeof(*all));
		mres->num_locks = chunk;
		mres->flags = O2DLM_MRES_MIGRATION;
		if (sent + chunk == n)
			mres->flags |= O2DLM_MRES_ALL_DONE;
		status = 0;
		ret = o2net_send_message(O2DLM_MIG_LOCKRES_MSG, dlm->key, mres,
					 struct_size(mres, ml, chunk), to,
					 &status);
		if (ret >= 0)
			ret = status;
		sent += chunk;
	} while (!ret && sent < n);
	return ret;
}

/*
 * All of a MIGRATING resource's locks (its queues hold still) to the new
 * master, in as many messages as they need; a lone dummy lock carries
 * our own reference when nobody holds a lock.
 */
int o2dlm_send_mig_locks(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			 u8 to)
{
	struct o2dlm_migratable_lockres *mres;
	struct o2dlm_migratable_lock *all;
	int max, n, ret;

	spin_lock(&res->spinlock);
	max = o2dlm_count_locks(res);
	spin_unlock(&res->spinlock);
	all = kvcalloc(max + 1, sizeof(*all), GFP_NOFS);
	mres = kmalloc(O2NET_MAX_PAYLOAD_BYTES, GFP_NOFS);
	if (!all || !mres) {
		ret = -ENOMEM;
		goto out;
	}
	spin_lock(&res->spinlock);
	n = o2dlm_snapshot_locks(res, all, max);
	o2dlm_init_mres(mres, res, dlm->node_num, n);
	if (n)
		memcpy(mres->lvb, res->lvb, O2DLM_LVB_LEN);
	spin_unlock(&res->spinlock);
	if (n > O2DLM_MAX_MIGRATABLE_LOCKS)
		mres->mig_cookie = cpu_to_be64(get_jiffies_64() | 1);
	if (!n) {
		o2dlm_dummy_ml(&all[0], dlm->node_num);
		n = 1;
	}
	ret = o2dlm_send_mig_chunks(dlm, mres, all, n, to);
out:
	kfree(mres);
	kvfree(all);
	return ret;
}

/* ---- the receiving side ---- */

static bool o2dlm_ml_sane(const struct o2dlm_migratable_lock *ml)
{
	return ml->list <= O2DLM_Q_BLOCKED && ml->node < O2NM_MAX_NODES &&
	       ml->type >= O2DLM_NLMODE && ml->type <= O2DLM_MAXMODE &&
	       ml->convert_type >= O2DLM_IVMODE &&
	       ml->convert_type <= O2DLM_MAXMODE &&
	       (ml->convert_type == O2DLM_IVMODE) ==
	       (ml->list != O2DLM_Q_CONVERTING);
}

static struct list_head *o2dlm_queue_of(struct o2dlm_lockres *res, u8 list)
{
	if (list == O2DLM_Q_GRANTED)
		return &res->granted;
	return list == O2DLM_Q_CONVERTING ? &res->converting : &res->blocked;
}

/* res->spinlock held; our own locks are the caller's business */
void o2dlm_take_ml(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
		   struct o2dlm_migratable_lockres *mres,
		   struct o2dlm_migratable_lock *ml, struct o2dlm_lock **spare)
{
	struct o2dlm_lock *lock = *spare;

	set_bit(ml->node, res->refmap);
	if (!ml->cookie && ml->type == O2DLM_IVMODE)
		return;		/* a dummy: only the reference */
	if (ml->node == dlm->node_num || !o2dlm_ml_sane(ml) ||
	    o2dlm_find_lock(res, be64_to_cpu(ml->cookie), NULL))
		return;
	if (!lock) {
		pr_err("o2dlm: %s: no memory for a recovered lock of %.*s\n",
		       dlm->name, res->namelen, res->name);
		return;
	}
	*spare = NULL;
	o2dlm_lockres_get(res);
	lock->res = res;
	lock->convert_type = ml->convert_type;
	lock->own_lksb.flags = ml->flags & (O2DLM_LKSB_PUT_LVB |
					    O2DLM_LKSB_GET_LVB);
	if (ml->list != O2DLM_Q_BLOCKED && ml->type != O2DLM_NLMODE &&
	    !o2dlm_lvb_empty(mres->lvb)) {
		memcpy(res->lvb, mres->lvb, O2DLM_LVB_LEN);
		memcpy(lock->own_lvb, mres->lvb, O2DLM_LVB_LEN);
	}
	list_add_tail(&lock->list, o2dlm_queue_of(res, ml->list));
}

/* one lock per entry, made before res->spinlock is taken (they sleep) */
struct o2dlm_lock **o2dlm_alloc_ml_locks(struct o2dlm_migratable_lockres *mres)
{
	struct o2dlm_lock **locks;
	struct o2dlm_migratable_lock *ml;
	int i;

	locks = kcalloc(mres->num_locks, sizeof(*locks), GFP_NOFS);
	for (i = 0; locks && i < mres->num_locks; i++) {
		ml = &mres->ml[i];
		locks[i] = o2dlm_new_lock(ml->type, ml->node,
					  be64_to_cpu(ml->cookie));
	}
	return locks;
}

/* the ones o2dlm_take_ml did not use */
void o2dlm_free_ml_locks(struct o2dlm_lock **locks, int n)
{
	int i;

	for (i = 0; locks && i < n; i++)
		if (locks[i])
			o2dlm_lock_put(locks[i]);
	kfree(locks);
}

int o2dlm_take_reco_locks(struct o2dlm_ctxt *dlm,
			  struct o2dlm_migratable_lockres *mres, u8 *from)
{
	struct o2dlm_lockres *res;
	struct o2dlm_lock **locks;
	int i;

	locks = o2dlm_alloc_ml_locks(mres);
	res = o2dlm_find_or_add_lockres(dlm, mres->lockname,
					mres->lockname_len);
	if (!res || !locks) {
		if (res)
			o2dlm_lockres_put(res);
		o2dlm_free_ml_locks(locks, mres->num_locks);
		return -ENOMEM;
	}
	spin_lock(&res->spinlock);
	res->state |= O2DLM_RES_RECOVERING;
	if (mres->master != O2DLM_OWNER_UNKNOWN)
		res->owner = dlm->node_num;
	for (i = 0; i < mres->num_locks; i++) {
		o2dlm_take_ml(dlm, res, mres, &mres->ml[i], &locks[i]);
		*from = mres->ml[i].node;
	}
	spin_unlock(&res->spinlock);
	o2dlm_free_ml_locks(locks, mres->num_locks);
	o2dlm_lockres_put(res);
	return 0;
}
