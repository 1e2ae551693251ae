// SPDX-License-Identifier: GPL-2.0
/*
 * o2dlm_lock and o2dlm_unlock: find (or master) the resource, then hand
 * the request to the master's queues here or to the remote master.  They
 * may sleep (mastery, a round trip); completion is always asynchronous.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/sched/signal.h>

#include "dlm_internal.h"

#define O2DLM_RETRIES		50
#define O2DLM_RETRY_MS		100
#define O2DLM_MIG_RETRIES	600	/* a minute: a migration under load */

/* the resource with a known master, mastering it first if need be */
static struct o2dlm_lockres *o2dlm_get_resource(struct o2dlm_ctxt *dlm,
						const char *name, int len,
						int flags)
{
	struct o2dlm_lockres *res, *new = NULL;
	int ret;

	for (;;) {
		spin_lock(&dlm->spinlock);
		res = __o2dlm_lookup_lockres(dlm, name, len);
		if (!res && new) {
			res = new;
			new = NULL;
			res->state |= O2DLM_RES_IN_PROGRESS;
			__o2dlm_insert_lockres(dlm, res);
			spin_unlock(&dlm->spinlock);
			break;
		}
		spin_unlock(&dlm->spinlock);
		if (res) {
			if (new)
				o2dlm_lockres_put(new);
			wait_event(res->wq, !(READ_ONCE(res->state) &
					      O2DLM_RES_IN_PROGRESS));
			return res;
		}
		new = o2dlm_new_lockres(dlm, name, len);
		if (!new)
			return ERR_PTR(-ENOMEM);
	}
	ret = o2dlm_get_master(dlm, res, flags);
	spin_lock(&res->spinlock);
	res->state &= ~O2DLM_RES_IN_PROGRESS;
	spin_unlock(&res->spinlock);
	wake_up(&res->wq);
	if (ret) {
		o2dlm_lockres_put(res);
		return ERR_PTR(ret);
	}
	return res;
}

/*
 * Worth asking again?  A master being recovered answers once recovery
 * is done (the recovery lock itself never waits for recovery); a busy
 * one after a short while.
 */
static bool o2dlm_retry(struct o2dlm_lockres *res, enum o2dlm_status st,
			int flags, int *tries)
{
	if (st == O2DLM_RECOVERING && !(flags & O2DLM_LKM_RECOVERY)) {
		if (signal_pending(current))
			return false;
		msleep(O2DLM_RETRY_MS);
		o2dlm_wait_recovered(res);
		return true;
	}
	if (st == O2DLM_MIGRATING) {
		/* a migration ends with an assert that wakes res->wq */
		if (signal_pending(current) || ++*tries > O2DLM_MIG_RETRIES)
			return false;
		wait_event_timeout(res->wq, !(READ_ONCE(res->state) &
					      O2DLM_RES_MIGRATING),
				   msecs_to_jiffies(O2DLM_RETRY_MS));
		return true;
	}
	if (st != O2DLM_FORWARD)
		return false;
	if (++*tries > O2DLM_RETRIES)
		return false;
	msleep(O2DLM_RETRY_MS);
	return true;
}

/* RECOVERING or MIGRATING while the resource waits for its new master */
static enum o2dlm_status o2dlm_res_usable(struct o2dlm_lockres *res,
					  int flags)
{
	unsigned int state = READ_ONCE(res->state);

	if (state & O2DLM_RES_RECOVERING)
		return O2DLM_RECOVERING;
	if (state & O2DLM_RES_MIGRATING)
		return O2DLM_MIGRATING;
	return O2DLM_NORMAL;
}

static bool o2dlm_mastered_here(struct o2dlm_ctxt *dlm,
				struct o2dlm_lockres *res)
{
	return READ_ONCE(res->owner) == dlm->node_num;
}

static enum o2dlm_status o2dlm_do_convert(struct o2dlm_ctxt *dlm,
					  struct o2dlm_lock *lock, int mode,
					  int flags)
{
	struct o2dlm_lockres *res = lock->res;
	enum o2dlm_status st;
	int tries = 0;

	do {
		st = o2dlm_res_usable(res, flags);
		if (st != O2DLM_NORMAL)
			continue;
		if (o2dlm_mastered_here(dlm, res)) {
			spin_lock(&res->spinlock);
			st = __o2dlm_convert_master(dlm, res, lock, flags,
						    mode);
			spin_unlock(&res->spinlock);
		} else {
			st = o2dlm_remote_convert(dlm, res, lock, flags, mode);
		}
	} while (o2dlm_retry(res, st, flags, &tries));
	return st;
}

static enum o2dlm_status o2dlm_do_new(struct o2dlm_ctxt *dlm,
				      struct o2dlm_lock *lock, int flags)
{
	struct o2dlm_lockres *res = lock->res;
	enum o2dlm_status st;
	int tries = 0;

	do {
		st = o2dlm_res_usable(res, flags);
		if (st != O2DLM_NORMAL)
			continue;
		if (o2dlm_mastered_here(dlm, res)) {
			spin_lock(&res->spinlock);
			st = __o2dlm_lock_master(dlm, res, lock, flags);
			spin_unlock(&res->spinlock);
		} else {
			st = o2dlm_remote_lock(dlm, res, lock, flags);
		}
	} while (o2dlm_retry(res, st, flags, &tries));
	return st;
}

struct o2dlm_callbacks {
	o2dlm_ast_fn	*ast;
	o2dlm_bast_fn	*bast;
	void		*data;
};

static void o2dlm_set_callbacks(struct o2dlm_lock *lock,
				const struct o2dlm_callbacks *cb)
{
	lock->ast = cb->ast;
	lock->bast = cb->bast;
	lock->astdata = cb->data;
}

static enum o2dlm_status o2dlm_new_request(struct o2dlm_ctxt *dlm, int mode,
					   struct o2dlm_lksb *lksb, int flags,
					   const char *name, int namelen,
					   const struct o2dlm_callbacks *cb)
{
	struct o2dlm_lockres *res;
	struct o2dlm_lock *lock;
	enum o2dlm_status st;
	u64 cookie;

	res = o2dlm_get_resource(dlm, name, namelen, flags);
	if (IS_ERR(res))
		return PTR_ERR(res) == -ENOMEM ? O2DLM_SYSERR : O2DLM_DENIED;
	cookie = (u64)dlm->node_num << 56 |
		 (atomic64_inc_return(&dlm->cookie_seq) & ((1ULL << 56) - 1));
	lock = o2dlm_new_lock(mode, dlm->node_num, cookie);
	if (!lock) {
		o2dlm_lockres_put(res);
		return O2DLM_SYSERR;
	}
	lock->res = res;
	lock->lksb = lksb;
	o2dlm_set_callbacks(lock, cb);
	/* all set before the request: the grant may beat our return */
	lksb->lock = lock;
	lksb->status = O2DLM_NORMAL;
	lksb->flags = (flags & O2DLM_LKM_VALBLK) ? O2DLM_LKSB_GET_LVB : 0;
	st = o2dlm_do_new(dlm, lock, flags);
	if (st != O2DLM_NORMAL) {
		lksb->lock = NULL;
		o2dlm_lockres_get(res);
		o2dlm_lock_put(lock);
		/* a refused first request leaves nothing to keep a ref for */
		o2dlm_purge(dlm, res);
		o2dlm_lockres_put(res);
	}
	return st;
}

enum o2dlm_status o2dlm_lock(struct o2dlm_ctxt *dlm, int mode,
			     struct o2dlm_lksb *lksb, int flags,
			     const char *name, int namelen,
			     o2dlm_ast_fn *ast, void *data,
			     o2dlm_bast_fn *bast)
{
	struct o2dlm_callbacks cb = { .ast = ast, .bast = bast, .data = data };

	if (!lksb || !ast || !bast || mode < O2DLM_NLMODE ||
	    mode > O2DLM_MAXMODE)
		return O2DLM_BADARGS;
	if (flags & O2DLM_LKM_CONVERT) {
		if (!lksb->lock)
			return O2DLM_BADARGS;
		o2dlm_set_callbacks(lksb->lock, &cb);
		return o2dlm_do_convert(dlm, lksb->lock, mode, flags);
	}
	if (namelen <= 0 || namelen > O2DLM_LOCKID_NAME_MAX || !name)
		return O2DLM_IVBUFLEN;
	return o2dlm_new_request(dlm, mode, lksb, flags, name, namelen, &cb);
}
EXPORT_SYMBOL_GPL(o2dlm_lock);

enum o2dlm_status o2dlm_unlock(struct o2dlm_ctxt *dlm,
			       struct o2dlm_lksb *lksb, int flags,
			       o2dlm_unlock_ast_fn *unlock_ast, void *data)
{
	struct o2dlm_lock *lock = lksb ? lksb->lock : NULL;
	struct o2dlm_lockres *res;
	enum o2dlm_status st;
	int tries = 0;

	if (!lock)
		return O2DLM_BADARGS;
	res = lock->res;
	flags &= O2DLM_LKM_CANCEL | O2DLM_LKM_VALBLK | O2DLM_LKM_FORCE;
	do {
		st = o2dlm_res_usable(res, 0);
		if (st != O2DLM_NORMAL)
			continue;
		if (o2dlm_mastered_here(dlm, res)) {
			spin_lock(&res->spinlock);
			st = __o2dlm_unlock_master(dlm, res, lock, flags);
			spin_unlock(&res->spinlock);
		} else {
			st = o2dlm_remote_unlock(dlm, res, lock, flags);
		}
	} while (o2dlm_retry(res, st, 0, &tries));
	if (st != O2DLM_NORMAL && st != O2DLM_CANCELGRANT)
		return st;
	lock->unlock_ast = unlock_ast;
	lock->unlock_data = data;
	o2dlm_queue_unlock_ast(dlm, lock, st);
	/* a cancelled first request leaves no lock behind either */
	spin_lock(&res->spinlock);
	if (list_empty(&lock->list))
		flags &= ~O2DLM_LKM_CANCEL;
	spin_unlock(&res->spinlock);
	if (!(flags & O2DLM_LKM_CANCEL)) {
		lksb->lock = NULL;
		o2dlm_lockres_get(res);
		o2dlm_lock_put(lock);
		o2dlm_purge(dlm, res);
		o2dlm_lockres_put(res);
	}
	return O2DLM_NORMAL;
}
EXPORT_SYMBOL_GPL(o2dlm_unlock);
