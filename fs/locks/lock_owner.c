// SPDX-License-Identifier: GPL-2.0
/*
 * Which tasks hold a cluster lock here.  Once another node waits for a
 * lock, stock grants it to no new local holder, so a steady stream of
 * local users cannot keep the other node out.  Our write path takes an
 * inode's meta lock again below the write (allocation, page reads), so a
 * holder's nested request must still be granted or it would wait for
 * itself: a few tasks per resource are remembered for that.  When more
 * tasks hold it than there are slots, nobody can tell a nested request
 * from a new one and requests are granted while holders remain, as
 * before.  All calls with res->lock held.
 */
#include <linux/module.h>
#include <linux/sched.h>
#include "lock_core.h"

/* off: any request is granted while local holders remain (the old rule) */
static bool fair_locks = true;
module_param(fair_locks, bool, 0644);
MODULE_PARM_DESC(fair_locks,
		 "refuse new local holders of a meta or rw lock another node waits for, as stock (default on)");

static struct ocfs2_lock_owner *find_owner(struct ocfs2_lockres *res,
					   struct task_struct *task)
{
	int i;

	for (i = 0; i < OCFS2_LOCK_OWNERS; i++)
		if (res->owners[i].count && res->owners[i].task == task)
			return &res->owners[i];
	return NULL;
}

void ocfs2_lock_owner_add(struct ocfs2_lockres *res)
{
	struct ocfs2_lock_owner *o = find_owner(res, current);
	int i;

	if (o) {
		o->count++;
		return;
	}
	for (i = 0; i < OCFS2_LOCK_OWNERS; i++) {
		if (!res->owners[i].count) {
			res->owners[i].task = current;
			res->owners[i].count = 1;
			return;
		}
	}
	res->untracked++;
}

/*
 * A lock released by another task than the one that took it (held for a
 * mount's lifetime, say) takes the first slot's count: the totals stay
 * right, and with no holders left everything starts afresh.
 */
void ocfs2_lock_owner_del(struct ocfs2_lockres *res)
{
	struct ocfs2_lock_owner *o = find_owner(res, current);
	int i;

	if (!res->ro_holders && !res->ex_holders) {
		memset(res->owners, 0, sizeof(res->owners));
		res->untracked = 0;
		return;
	}
	if (!o && res->untracked) {
		res->untracked--;
		return;
	}
	for (i = 0; !o && i < OCFS2_LOCK_OWNERS; i++)
		if (res->owners[i].count)
			o = &res->owners[i];
	if (o)
		o->count--;
}

/* Whether a request of this task would be a new holder's, not a nested one. */
bool ocfs2_lock_newcomer_waits(struct ocfs2_lockres *res)
{
	if (!READ_ONCE(fair_locks) || !res->type->fair || res->untracked)
		return false;
	if (!res->ro_holders && !res->ex_holders)
		return false;
	return !find_owner(res, current);
}
