// SPDX-License-Identifier: GPL-2.0
/*
 * The lock behind each dlmfs file, over stackglue.  Opens take holders
 * at PR or EX; the first holder at a level the node does not yet have
 * sends a request (a new lock or an upconvert) and sleeps until the
 * DLM's AST.  Closing drops the holder but keeps the lock at its level:
 * only a BAST (another node wants it) queues the work that lowers the
 * level, once no local holder is in the way.  A pending upconvert that
 * blocks another node's request is cancelled so the two cannot wait for
 * each other.  The value block travels with EX grants and downconverts.
 *
 * Only NL, PR and EX are used.  Every DLM callback may arrive on fs/dlm's
 * or o2dlm's callback thread; state changes happen under dl_spin.
 */
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "dlmfs.h"

/* result of a request cancelled to let a downconvert through: retry */
#define DLMFS_RETRY	1
/* the requester's result slot before the AST fills it */
#define DLMFS_PENDING	2
/* granted, and the requester's holder already taken by the AST */
#define DLMFS_HELD	3

static struct dlmfs_lock *dl_from_lksb(struct ocfs2_dlm_lksb *lksb)
{
	return container_of(lksb, struct dlmfs_lock, dl_lksb);
}

/* the highest level this node may keep while another wants @blocking */
static int dl_compat_level(int blocking)
{
	if (blocking == DLM_LOCK_EX)
		return DLM_LOCK_NL;
	if (blocking == DLM_LOCK_PR)
		return DLM_LOCK_PR;
	return DLM_LOCK_EX;
}

static bool dl_holders_in_way(struct dlmfs_lock *dl)
{
	if (dl->dl_blocking == DLM_LOCK_EX)
		return dl->dl_ex_holders || dl->dl_pr_holders;
	return dl->dl_ex_holders;
}

/* dl_spin held; the work item pins the inode until it has run */
static void dl_queue_work(struct dlmfs_lock *dl)
{
	if (dl->dl_flags & DL_QUEUED)
		return;
	if (!igrab(&dlmfs_lock_owner(dl)->di_vfs))
		return;		/* being evicted: teardown unlocks it */
	dl->dl_flags |= DL_QUEUED;
	queue_work(dlmfs_wq, &dl->dl_work);
}

/* dl_spin held: hand the outcome to whoever sent the request */
static void dl_report(struct dlmfs_lock *dl, int result)
{
	if (dl->dl_result) {
		WRITE_ONCE(*dl->dl_result, result);
		dl->dl_result = NULL;
	}
}

static void dl_add_holder(struct dlmfs_lock *dl, int level)
{
	if (level == DLM_LOCK_EX)
		dl->dl_ex_holders++;
	else
		dl->dl_pr_holders++;
}

static void dlmfs_ast(struct ocfs2_dlm_lksb *lksb)
{
	struct dlmfs_lock *dl = dl_from_lksb(lksb);
	int status;

	spin_lock(&dl->dl_spin);
	status = ocfs2_dlm_lock_status(lksb);
	if (!status) {
		bool down = dl->dl_requested < dl->dl_level;

		if (down && dl->dl_requested <= dl_compat_level(dl->dl_blocking)) {
			dl->dl_blocking = DLM_LOCK_NL;
			dl->dl_flags &= ~DL_BLOCKED;
		}
		dl->dl_level = dl->dl_requested;
		dl->dl_flags |= DL_ATTACHED;
		/*
		 * The opener that asked for this level holds it before any
		 * BAST can take it back: else a BAST that beats the opener
		 * to the CPU (or the grant that beats the master's reply)
		 * gives the lock away unused, and two nodes that both
		 * want it trade it to and fro without either using it.
		 */
		if (dl->dl_result && !down) {
			dl_add_holder(dl, dl->dl_requested);
			status = DLMFS_HELD;
		}
	}
	/* a grant that raced with our cancel makes the cancel moot */
	dl->dl_flags &= ~(DL_BUSY | DL_CANCELING | DL_NOQUEUE_REQ);
	dl->dl_requested = DLM_LOCK_IV;
	dl_report(dl, status);
	/* a BAST that came while we were upconverting is still owed */
	if ((dl->dl_flags & DL_BLOCKED) && !dl_holders_in_way(dl))
		dl_queue_work(dl);
	spin_unlock(&dl->dl_spin);
	wake_up(&dl->dl_wq);
}

static void dlmfs_bast(struct ocfs2_dlm_lksb *lksb, int level)
{
	struct dlmfs_lock *dl = dl_from_lksb(lksb);

	spin_lock(&dl->dl_spin);
	dl->dl_flags |= DL_BLOCKED;
	if (level > dl->dl_blocking)
		dl->dl_blocking = level;
	dl_queue_work(dl);
	spin_unlock(&dl->dl_spin);
	/* pollers learn that someone wants the lock */
	wake_up(&dl->dl_wq);
}

static void dlmfs_unlock_ast(struct ocfs2_dlm_lksb *lksb, int error)
{
	struct dlmfs_lock *dl = dl_from_lksb(lksb);

	spin_lock(&dl->dl_spin);
	if (dl->dl_flags & DL_CANCELING) {
		dl->dl_flags &= ~DL_CANCELING;
		if (!error) {
			/* the upconvert is gone; its requester retries */
			dl->dl_flags &= ~(DL_BUSY | DL_NOQUEUE_REQ);
			dl->dl_requested = DLM_LOCK_IV;
			dl_report(dl, DLMFS_RETRY);
			if (dl->dl_flags & DL_BLOCKED)
				dl_queue_work(dl);
		}
		/* else the grant came first and its AST finishes it */
	} else {
		if (error)
			pr_err("dlmfs: unlock of %.*s failed (%d)\n",
			       dl->dl_namelen, dl->dl_name, error);
		dl->dl_level = DLM_LOCK_IV;
		dl->dl_flags &= ~(DL_BUSY | DL_ATTACHED);
	}
	spin_unlock(&dl->dl_spin);
	wake_up(&dl->dl_wq);
}

struct ocfs2_locking_protocol dlmfs_lproto = {
	.lp_max_version = {
		.pv_major = OCFS2_LOCKING_PROTOCOL_MAJOR,
		.pv_minor = OCFS2_LOCKING_PROTOCOL_MINOR,
	},
	.lp_lock_ast		= dlmfs_ast,
	.lp_blocking_ast	= dlmfs_bast,
	.lp_unlock_ast		= dlmfs_unlock_ast,
};

static struct ocfs2_cluster_connection *dl_conn(struct dlmfs_lock *dl)
{
	return dlmfs_lock_owner(dl)->di_conn;
}

/* A BUSY lock with an upconvert pending that blocks another node. */
static void dl_cancel_upconvert(struct dlmfs_lock *dl)
{
	int ret;

	dl->dl_flags |= DL_CANCELING;
	spin_unlock(&dl->dl_spin);
	ret = ocfs2_dlm_unlock(dl_conn(dl), &dl->dl_lksb, DLM_LKF_CANCEL);
	if (ret) {
		/* already granted or gone: its AST settles the state */
		spin_lock(&dl->dl_spin);
		dl->dl_flags &= ~DL_CANCELING;
		spin_unlock(&dl->dl_spin);
	}
}

static void dl_downconvert(struct dlmfs_lock *dl)
{
	int level = dl_compat_level(dl->dl_blocking);
	int ret;

	if (level >= dl->dl_level) {
		dl->dl_flags &= ~DL_BLOCKED;
		dl->dl_blocking = DLM_LOCK_NL;
		spin_unlock(&dl->dl_spin);
		wake_up(&dl->dl_wq);
		return;
	}
	dl->dl_flags |= DL_BUSY;
	dl->dl_requested = level;
	spin_unlock(&dl->dl_spin);
	ret = ocfs2_dlm_lock(dl_conn(dl), level, &dl->dl_lksb,
			     DLM_LKF_CONVERT | DLM_LKF_VALBLK, dl->dl_name,
			     dl->dl_namelen);
	if (ret) {
		pr_err("dlmfs: downconvert of %.*s failed (%d)\n",
		       dl->dl_namelen, dl->dl_name, ret);
		spin_lock(&dl->dl_spin);
		dl->dl_flags &= ~DL_BUSY;
		dl->dl_requested = DLM_LOCK_IV;
		spin_unlock(&dl->dl_spin);
		wake_up(&dl->dl_wq);
	}
}

/* The work item: give up what another node asked for, if we can. */
static void dlmfs_unblock(struct work_struct *work)
{
	struct dlmfs_lock *dl = container_of(work, struct dlmfs_lock, dl_work);
	struct inode *inode = &dlmfs_lock_owner(dl)->di_vfs;

	spin_lock(&dl->dl_spin);
	dl->dl_flags &= ~DL_QUEUED;
	if (!(dl->dl_flags & DL_BLOCKED) || (dl->dl_flags & DL_TEARDOWN) ||
	    (dl->dl_flags & DL_BUSY && dl->dl_flags & DL_CANCELING) ||
	    dl_holders_in_way(dl)) {
		spin_unlock(&dl->dl_spin);
	} else if (dl->dl_flags & DL_BUSY) {
		if (dl->dl_requested > dl->dl_level)
			dl_cancel_upconvert(dl);
		else
			spin_unlock(&dl->dl_spin);
	} else {
		dl_downconvert(dl);
	}
	iput(inode);
}

void dlmfs_lock_init(struct dlmfs_lock *dl, const struct qstr *name)
{
	memset(dl, 0, sizeof(*dl));
	spin_lock_init(&dl->dl_spin);
	init_waitqueue_head(&dl->dl_wq);
	INIT_WORK(&dl->dl_work, dlmfs_unblock);
	dl->dl_level = DLM_LOCK_IV;
	dl->dl_requested = DLM_LOCK_IV;
	dl->dl_blocking = DLM_LOCK_NL;
	dl->dl_namelen = min_t(unsigned int, name->len, DLMFS_LOCK_NAME_MAX);
	memcpy(dl->dl_name, name->name, dl->dl_namelen);
}

/*
 * Send a request for @level and wait for its outcome.  Returns 0 when
 * it was granted (the caller looks again), DLMFS_RETRY when it was
 * cancelled, or an error.  Called with dl_spin held; returns without.
 */
static int dl_request(struct dlmfs_lock *dl, int level, bool trylock)
{
	u32 flags = DLM_LKF_VALBLK;
	int result = DLMFS_PENDING;
	int ret;

	if (dl->dl_level != DLM_LOCK_IV)
		flags |= DLM_LKF_CONVERT;
	if (trylock) {
		flags |= DLM_LKF_NOQUEUE;
		dl->dl_flags |= DL_NOQUEUE_REQ;
	}
	dl->dl_flags |= DL_BUSY;
	dl->dl_requested = level;
	dl->dl_result = &result;
	spin_unlock(&dl->dl_spin);

	ret = ocfs2_dlm_lock(dl_conn(dl), level, &dl->dl_lksb, flags,
			     dl->dl_name, dl->dl_namelen);
	if (ret) {
		spin_lock(&dl->dl_spin);
		dl->dl_flags &= ~(DL_BUSY | DL_NOQUEUE_REQ);
		dl->dl_requested = DLM_LOCK_IV;
		dl->dl_result = NULL;
		spin_unlock(&dl->dl_spin);
		wake_up(&dl->dl_wq);
		return ret;
	}
	if (wait_event_killable(dl->dl_wq,
				READ_ONCE(result) != DLMFS_PENDING)) {
		/* the grant, if it comes, stays cached for the next open */
		spin_lock(&dl->dl_spin);
		if (dl->dl_result == &result)
			dl->dl_result = NULL;
		spin_unlock(&dl->dl_spin);
		/* granted meanwhile: give back the holder taken for us */
		if (READ_ONCE(result) == DLMFS_HELD)
			dlmfs_lock_put(dl, level);
		return -ERESTARTSYS;
	}
	return result;
}

/* dl_spin held: must we wait before asking for @level? */
static bool dl_must_wait(struct dlmfs_lock *dl, int level)
{
	if ((dl->dl_flags & DL_BUSY) && level > dl->dl_level)
		return true;
	return (dl->dl_flags & DL_BLOCKED) &&
	       level > dl_compat_level(dl->dl_blocking);
}

/*
 * A trylock does not wait behind another node's request or a local
 * blocking one; it only waits out another trylock, which ends at once.
 */
static bool dl_trylock_busy(struct dlmfs_lock *dl, int level)
{
	if ((dl->dl_flags & DL_BLOCKED) &&
	    level > dl_compat_level(dl->dl_blocking))
		return true;
	return (dl->dl_flags & DL_BUSY) && level > dl->dl_level &&
	       !(dl->dl_flags & DL_NOQUEUE_REQ);
}

/* Take a holder at PR or EX; a trylock fails with -EAGAIN when busy. */
int dlmfs_lock_get(struct dlmfs_lock *dl, int level, bool trylock)
{
	int ret;

	if (level != DLM_LOCK_PR && level != DLM_LOCK_EX)
		return -EINVAL;
	for (;;) {
		if (signal_pending(current))
			return -ERESTARTSYS;
		spin_lock(&dl->dl_spin);
		if (dl->dl_flags & DL_TEARDOWN) {
			spin_unlock(&dl->dl_spin);
			return -EAGAIN;
		}
		if (trylock && dl_trylock_busy(dl, level)) {
			spin_unlock(&dl->dl_spin);
			return -EAGAIN;
		}
		if (dl_must_wait(dl, level)) {
			spin_unlock(&dl->dl_spin);
			if (wait_event_killable(dl->dl_wq,
						!dl_must_wait(dl, level)))
				return -ERESTARTSYS;
			continue;
		}
		if (level <= dl->dl_level) {
			dl_add_holder(dl, level);
			spin_unlock(&dl->dl_spin);
			return 0;
		}
		ret = dl_request(dl, level, trylock);
		if (ret < 0 || ret == DLMFS_HELD)
			return ret == DLMFS_HELD ? 0 : ret;
	}
}

void dlmfs_lock_put(struct dlmfs_lock *dl, int level)
{
	spin_lock(&dl->dl_spin);
	if (level == DLM_LOCK_EX && dl->dl_ex_holders)
		dl->dl_ex_holders--;
	else if (level == DLM_LOCK_PR && dl->dl_pr_holders)
		dl->dl_pr_holders--;
	else
		pr_err("dlmfs: %.*s: no holder at level %d to drop\n",
		       dl->dl_namelen, dl->dl_name, level);
	if ((dl->dl_flags & DL_BLOCKED) && !dl_holders_in_way(dl))
		dl_queue_work(dl);
	spin_unlock(&dl->dl_spin);
}

bool dlmfs_lock_blocked(struct dlmfs_lock *dl)
{
	bool blocked;

	spin_lock(&dl->dl_spin);
	blocked = dl->dl_flags & DL_BLOCKED;
	spin_unlock(&dl->dl_spin);
	return blocked;
}

/* false when the value block is not valid (a holder died with it) */
bool dlmfs_lock_read_lvb(struct dlmfs_lock *dl, char *lvb)
{
	bool valid;

	spin_lock(&dl->dl_spin);
	valid = dl->dl_level >= DLM_LOCK_PR &&
		ocfs2_dlm_lvb_valid(&dl->dl_lksb);
	if (valid)
		memcpy(lvb, ocfs2_dlm_lvb(&dl->dl_lksb), OCFS2_DLM_LVB_LEN);
	spin_unlock(&dl->dl_spin);
	return valid;
}

/* like stock, a write fills the value block from its start */
int dlmfs_lock_write_lvb(struct dlmfs_lock *dl, const char *buf, size_t len)
{
	int ret = 0;

	spin_lock(&dl->dl_spin);
	if (dl->dl_level < DLM_LOCK_EX || len > OCFS2_DLM_LVB_LEN)
		ret = -EBADF;
	else
		memcpy(ocfs2_dlm_lvb(&dl->dl_lksb), buf, len);
	spin_unlock(&dl->dl_spin);
	return ret;
}

static bool dl_idle(struct dlmfs_lock *dl)
{
	bool idle;

	spin_lock(&dl->dl_spin);
	idle = !(dl->dl_flags & DL_BUSY);
	spin_unlock(&dl->dl_spin);
	return idle;
}

/*
 * Unlock for good (unlink, eviction).  -EBUSY while a file holds it;
 * the value block goes back to the DLM with the unlock.
 */
int dlmfs_lock_destroy(struct dlmfs_lock *dl)
{
	int ret;

	spin_lock(&dl->dl_spin);
	if (dl->dl_flags & DL_TEARDOWN) {
		spin_unlock(&dl->dl_spin);
		return -EBUSY;
	}
	dl->dl_flags |= DL_TEARDOWN;
	while (dl->dl_flags & DL_BUSY) {
		spin_unlock(&dl->dl_spin);
		wait_event(dl->dl_wq, dl_idle(dl));
		spin_lock(&dl->dl_spin);
	}
	if (dl->dl_pr_holders || dl->dl_ex_holders) {
		dl->dl_flags &= ~DL_TEARDOWN;
		spin_unlock(&dl->dl_spin);
		return -EBUSY;
	}
	if (!(dl->dl_flags & DL_ATTACHED)) {
		spin_unlock(&dl->dl_spin);
		return 0;
	}
	dl->dl_flags |= DL_BUSY;
	spin_unlock(&dl->dl_spin);

	ret = ocfs2_dlm_unlock(dl_conn(dl), &dl->dl_lksb, DLM_LKF_VALBLK);
	if (ret) {
		pr_err("dlmfs: unlock of %.*s failed (%d)\n",
		       dl->dl_namelen, dl->dl_name, ret);
		spin_lock(&dl->dl_spin);
		dl->dl_flags &= ~(DL_BUSY | DL_TEARDOWN);
		spin_unlock(&dl->dl_spin);
		return ret;
	}
	wait_event(dl->dl_wq, dl_idle(dl));
	return 0;
}
