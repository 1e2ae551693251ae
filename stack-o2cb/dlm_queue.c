// SPDX-License-Identifier: GPL-2.0
/*
 * The master's lock queues.  Every lock on a resource this node masters
 * is on one of granted, converting (granted at one mode, waiting for
 * another) or blocked (waiting for its first grant).  A new request is
 * granted at once when it fits the granted and converting locks; an
 * upconvert when it fits the others.  Waiters are served in order:
 * conversions first, and no blocked lock passes a waiting conversion.
 * Holders in the way get one blocking AST per level they block.  A
 * NOQUEUE request that does not fit fails at once and disturbs nobody.
 * Everything here runs under res->spinlock.
 */
#include "dlm_internal.h"

bool o2dlm_compatible(int held, int wanted)
{
	/* rows: held NL..EX, bit n: compatible with wanted mode n */
	static const u8 compat[O2DLM_MAXMODE + 1] = {
		0x3f, 0x1f, 0x07, 0x0b, 0x03, 0x01,
	};

	if (held < 0 || wanted < 0)
		return true;
	return compat[held] & (1 << wanted);
}

/* the resource's value block travels with grants that asked for it */
static void o2dlm_grant_lvb(struct o2dlm_lockres *res, struct o2dlm_lock *lock)
{
	if (lock->lksb->flags & O2DLM_LKSB_GET_LVB)
		memcpy(lock->lksb->lvb, res->lvb, O2DLM_LVB_LEN);
}

/*
 * Only the mode a lock holds now is in the way of the waiter served
 * next, as in stock: a conversion queued behind it waits its turn.
 * Counting what that one waits for would keep the head from its grant
 * and send the waiter behind a BAST that makes it cancel and ask again
 * (two round trips more per hand-off when two nodes want EX in turn).
 */
static void o2dlm_blocks(struct o2dlm_ctxt *dlm, struct o2dlm_lock *holder,
			 int wanted, bool *fits)
{
	if (o2dlm_compatible(holder->type, wanted))
		return;
	*fits = false;
	if (holder->highest_blocked < wanted) {
		holder->highest_blocked = wanted;
		__o2dlm_queue_bast(dlm, holder, wanted);
	}
}

/* would wanted fit beside every other lock?  BASTs the ones in the way */
static bool o2dlm_fits(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
		       struct o2dlm_lock *target, int wanted, bool bast)
{
	struct list_head *qs[] = { &res->granted, &res->converting };
	struct o2dlm_lock *lock;
	bool fits = true;
	int i;

	for (i = 0; i < ARRAY_SIZE(qs); i++) {
		list_for_each_entry(lock, qs[i], list) {
			if (lock == target)
				continue;
			if (bast) {
				o2dlm_blocks(dlm, lock, wanted, &fits);
			} else if (!o2dlm_compatible(lock->type, wanted) ||
				   !o2dlm_compatible(lock->convert_type, wanted)) {
				return false;
			}
		}
	}
	return fits;
}

static void o2dlm_grant(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			struct o2dlm_lock *lock, int mode)
{
	lock->type = mode;
	lock->convert_type = O2DLM_IVMODE;
	lock->highest_blocked = O2DLM_IVMODE;
	list_move_tail(&lock->list, &res->granted);
	o2dlm_grant_lvb(res, lock);
	__o2dlm_queue_ast(dlm, lock);
}

void __o2dlm_shuffle(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res)
{
	struct o2dlm_lock *target;

	for (;;) {
		target = list_first_entry_or_null(&res->converting,
						  struct o2dlm_lock, list);
		if (target) {
			if (!o2dlm_fits(dlm, res, target, target->convert_type,
					true))
				return;
			o2dlm_grant(dlm, res, target, target->convert_type);
			continue;
		}
		target = list_first_entry_or_null(&res->blocked,
						  struct o2dlm_lock, list);
		if (!target ||
		    !o2dlm_fits(dlm, res, target, target->type, true))
			return;
		o2dlm_grant(dlm, res, target, target->type);
	}
}

enum o2dlm_status __o2dlm_lock_master(struct o2dlm_ctxt *dlm,
				      struct o2dlm_lockres *res,
				      struct o2dlm_lock *lock, int flags)
{
	o2dlm_lock_get(lock);
	if (o2dlm_fits(dlm, res, lock, lock->type, false)) {
		list_add_tail(&lock->list, &res->granted);
		o2dlm_grant_lvb(res, lock);
		__o2dlm_queue_ast(dlm, lock);
		return O2DLM_NORMAL;
	}
	if (flags & O2DLM_LKM_NOQUEUE) {
		o2dlm_lock_put(lock);
		return O2DLM_NOTQUEUED;
	}
	list_add_tail(&lock->list, &res->blocked);
	__o2dlm_shuffle(dlm, res);
	return O2DLM_NORMAL;
}

bool o2dlm_on(struct list_head *q, struct o2dlm_lock *target)
{
	struct o2dlm_lock *lock;

	list_for_each_entry(lock, q, list)
		if (lock == target)
			return true;
	return false;
}

static void o2dlm_convert_lvb_flags(struct o2dlm_lock *lock, int flags,
				    int mode)
{
	lock->lksb->flags &= ~(O2DLM_LKSB_GET_LVB | O2DLM_LKSB_PUT_LVB);
	if (!(flags & O2DLM_LKM_VALBLK))
		return;
	if (lock->type == O2DLM_EXMODE)
		lock->lksb->flags |= O2DLM_LKSB_PUT_LVB;
	else if (mode > O2DLM_NLMODE)
		lock->lksb->flags |= O2DLM_LKSB_GET_LVB;
}

enum o2dlm_status __o2dlm_convert_master(struct o2dlm_ctxt *dlm,
					 struct o2dlm_lockres *res,
					 struct o2dlm_lock *lock, int flags,
					 int mode)
{
	if (lock->convert_type != O2DLM_IVMODE ||
	    !o2dlm_on(&res->granted, lock))
		return O2DLM_DENIED;
	o2dlm_convert_lvb_flags(lock, flags, mode);
	if (lock->lksb->flags & O2DLM_LKSB_PUT_LVB)
		memcpy(res->lvb, lock->lksb->lvb, O2DLM_LVB_LEN);
	if (mode <= lock->type ||
	    o2dlm_fits(dlm, res, lock, mode, false)) {
		o2dlm_grant(dlm, res, lock, mode);
		/* a downconvert may let waiters in */
		__o2dlm_shuffle(dlm, res);
		return O2DLM_NORMAL;
	}
	if (flags & O2DLM_LKM_NOQUEUE) {
		lock->lksb->flags &= ~O2DLM_LKSB_GET_LVB;
		return O2DLM_NOTQUEUED;
	}
	lock->convert_type = mode;
	list_move_tail(&lock->list, &res->converting);
	__o2dlm_shuffle(dlm, res);
	return O2DLM_NORMAL;
}

static enum o2dlm_status o2dlm_cancel(struct o2dlm_ctxt *dlm,
				      struct o2dlm_lockres *res,
				      struct o2dlm_lock *lock)
{
	if (o2dlm_on(&res->blocked, lock)) {
		list_del_init(&lock->list);
		o2dlm_lock_put(lock);
	} else if (o2dlm_on(&res->converting, lock)) {
		lock->convert_type = O2DLM_IVMODE;
		list_move_tail(&lock->list, &res->granted);
	} else if (o2dlm_on(&res->granted, lock)) {
		return O2DLM_CANCELGRANT;
	} else {
		return O2DLM_IVLOCKID;
	}
	__o2dlm_shuffle(dlm, res);
	return O2DLM_NORMAL;
}

enum o2dlm_status __o2dlm_unlock_master(struct o2dlm_ctxt *dlm,
					struct o2dlm_lockres *res,
					struct o2dlm_lock *lock, int flags)
{
	if (flags & O2DLM_LKM_CANCEL)
		return o2dlm_cancel(dlm, res, lock);
	if (!o2dlm_on(&res->granted, lock))
		return O2DLM_DENIED;
	/* only a writer's copy of the value block is worth keeping */
	if ((flags & O2DLM_LKM_VALBLK) && lock->type == O2DLM_EXMODE)
		memcpy(res->lvb, lock->lksb->lvb, O2DLM_LVB_LEN);
	list_del_init(&lock->list);
	o2dlm_lock_put(lock);
	__o2dlm_shuffle(dlm, res);
	return O2DLM_NORMAL;
}

static void o2dlm_drop_from(struct list_head *q, u8 node)
{
	struct o2dlm_lock *lock, *tmp;

	list_for_each_entry_safe(lock, tmp, q, list) {
		if (lock->node != node)
			continue;
		list_del_init(&lock->list);
		o2dlm_lock_put(lock);
	}
}

/* a node left: its locks on a resource we master go, waiters move on */
void o2dlm_drop_node_locks(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			   u8 node)
{
	o2dlm_drop_from(&res->granted, node);
	o2dlm_drop_from(&res->converting, node);
	o2dlm_drop_from(&res->blocked, node);
	__o2dlm_shuffle(dlm, res);
}
