// SPDX-License-Identifier: GPL-2.0
/*
 * Asking for a lock ahead of need.  A lookup of a name this node has not
 * seen takes the inode's meta lock, its open lock and the name's dentry
 * lock, three DLM round trips one after the other, though no answer
 * depends on another: kworkers may wait for the open and dentry locks
 * while the reader waits for the meta lock, and the reader collects them
 * afterwards.  ls -l of a directory another node just filled, a cold
 * stat and every create then wait about one round trip per name, not
 * three.  The lock is held (counted) by the kworker for the reader;
 * lock_owner.c lets another task release it.
 */
#include <linux/module.h>
#include <linux/workqueue.h>
#include "lock_core.h"

/* off: the open and dentry locks are asked for after the meta lock */
static bool lock_ahead = true;
module_param(lock_ahead, bool, 0644);
MODULE_PARM_DESC(lock_ahead,
		 "ask for a new inode's open and dentry locks while its meta lock is asked for (default on)");

static void lock_ahead_work(struct work_struct *work)
{
	struct ocfs2_lock_ahead *la = container_of(work, struct ocfs2_lock_ahead,
						   work);

	la->ret = ocfs2_lock(la->res, la->level, 0);
}

/* A local domain, or the parameter off: ocfs2_lock_ahead_wait() takes it. */
void ocfs2_lock_ahead_start(struct ocfs2_lock_ahead *la,
			    struct ocfs2_lockres *res, int level)
{
	la->res = res;
	la->level = level;
	la->ret = 0;
	la->held = false;
	la->queued = !res->domain->local && READ_ONCE(lock_ahead);
	if (!la->queued)
		return;
	/* granted here already (a kept lock adopted): no kworker */
	if (!ocfs2_lock(res, level, OCFS2_LOCK_NONBLOCK)) {
		la->queued = false;
		la->held = true;
		return;
	}
	INIT_WORK_ONSTACK(&la->work, lock_ahead_work);
	queue_work(system_unbound_wq, &la->work);
}

/* Every started request is waited for, on error paths too: 0 = held. */
int ocfs2_lock_ahead_wait(struct ocfs2_lock_ahead *la)
{
	if (la->held) {
		la->held = false;
		return 0;
	}
	if (!la->queued)
		return ocfs2_lock(la->res, la->level, 0);
	flush_work(&la->work);
	destroy_work_on_stack(&la->work);
	la->queued = false;
	return la->ret;
}

/* The caller no longer wants it: a request started is waited for and let go. */
void ocfs2_lock_ahead_drop(struct ocfs2_lock_ahead *la)
{
	if ((la->queued || la->held) && !ocfs2_lock_ahead_wait(la))
		ocfs2_unlock(la->res, la->level);
}
