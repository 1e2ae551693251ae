// SPDX-License-Identifier: GPL-2.0
/*
 * The cluster domain of the lock core: requests go to the DLM through
 * stackglue, and what the DLM grants stays cached at its level after the
 * last holder leaves, so a node working alone pays no round trip per
 * operation.  When another node asks (a blocking AST), the resource is
 * queued for the domain's downconvert thread, which lets the lock type
 * write back and drop what it cached, stores the LVB if the lock was
 * exclusive, and converts down.  A lock regained from NL is marked for
 * refresh, which its first holder runs before using it.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "lock_core.h"

#define LEVEL_IV	(-1)
/* how long another node may wait for one of our locks before we say so */
#define OCFS2_STUCK_SECS	20
/* a wait behind holders is logged every this many STUCK_SECS */
#define OCFS2_WAIT_LOG_ROUNDS	6

/*
 * A file's cached PR that nobody here holds converts straight to EX (a
 * conversion deadlock is then broken by the cancel, see maybe_cancel)
 * instead of going to NL first, which costs a round trip and a reload of
 * the inode.  Off: the old way, kept for the bench's comparison.
 */
static bool upconvert_direct = true;
module_param(upconvert_direct, bool, 0644);
MODULE_PARM_DESC(upconvert_direct,
		 "a file's cached PR lock converts straight to EX, not through NL (default on)");

/*
 * On: a first request at the level wanted (see attach), never cancelled
 * (see may_cancel).  Off: every lock is created at NL, then converted
 * (two round trips), the way stock does.
 */
static bool attach_direct = true;
module_param(attach_direct, bool, 0644);
MODULE_PARM_DESC(attach_direct,
		 "ask for a new cluster lock at the level wanted, in one round trip (default on)");

static void cl_ast(struct ocfs2_dlm_lksb *lksb);
static void send_cancel(struct ocfs2_lockres *res);
static void cl_bast(struct ocfs2_dlm_lksb *lksb, int level);
static void cl_unlock_ast(struct ocfs2_dlm_lksb *lksb, int error);
static void queue_thread(struct ocfs2_lockres *res);
static void count_request(struct ocfs2_lockres *res, bool attach, u64 ns);
static void unpublished_put(struct ocfs2_lock_domain *dom,
			    atomic_t *unpublished);

/* the filesystem locking protocol stock speaks */
static struct ocfs2_locking_protocol ocfs2_fs_lproto = {
	.lp_max_version = {
		.pv_major = OCFS2_LOCKING_PROTOCOL_MAJOR,
		.pv_minor = OCFS2_LOCKING_PROTOCOL_MINOR,
	},
	.lp_lock_ast		= cl_ast,
	.lp_blocking_ast	= cl_bast,
	.lp_unlock_ast		= cl_unlock_ast,
};

/*
 * At module load, as stock: /sys/fs/ocfs2/max_locking_protocol then
 * tells the tools (mount.ocfs2 checks it) what this filesystem speaks.
 */
void ocfs2_dlm_declare_protocol(void)
{
	ocfs2_stack_glue_set_max_proto_version(&ocfs2_fs_lproto.lp_max_version);
}

static struct ocfs2_lockres *res_of(struct ocfs2_dlm_lksb *lksb)
{
	return container_of(lksb, struct ocfs2_lockres, lksb);
}

/* The highest level we may keep while another node waits for @blocking. */
static int compat_level(int blocking)
{
	return blocking == OCFS2_LOCK_EX ? OCFS2_LOCK_NL : OCFS2_LOCK_PR;
}

static bool holders_allow(struct ocfs2_lockres *res, int new_level)
{
	if (new_level == OCFS2_LOCK_NL)
		return !res->ro_holders && !res->ex_holders;
	return !res->ex_holders;
}

/*
 * res->lock held.  The domain counts its blocked resources so that the
 * idle thread's stuck-lock report walks the resource list only when one
 * exists, not every 20 s over every cached lock.
 */
static void set_blocked(struct ocfs2_lockres *res)
{
	/* a resource going away is not waited for: its unlock is on the way */
	if (res->flags & (OCFS2_LRF_BLOCKED | OCFS2_LRF_FREEING))
		return;
	res->flags |= OCFS2_LRF_BLOCKED;
	res->blocked_since = jiffies;
	atomic_inc(&res->domain->nr_blocked);
}

static void clear_blocked(struct ocfs2_lockres *res)
{
	if (!(res->flags & OCFS2_LRF_BLOCKED))
		return;
	res->flags &= ~OCFS2_LRF_BLOCKED;
	res->blocking = OCFS2_LOCK_NL;
	atomic_dec(&res->domain->nr_blocked);
	atomic64_add(jiffies_to_nsecs(jiffies - res->blocked_since),
		     &res->domain->stats.blocked_ns);
}

/* res->lock held: hand the resource to the downconvert thread once. */
static void queue_dc(struct ocfs2_lockres *res)
{
	struct ocfs2_lock_domain *dom = res->domain;

	if (res->flags & (OCFS2_LRF_QUEUED | OCFS2_LRF_DOWNCONVERTING |
			  OCFS2_LRF_FREEING | OCFS2_LRF_BUSY |
			  OCFS2_LRF_GRANTED_UP))
		return;
	if (!(res->flags & OCFS2_LRF_BLOCKED) ||
	    !holders_allow(res, compat_level(res->blocking)))
		return;
	res->flags |= OCFS2_LRF_QUEUED;
	spin_lock(&dom->dc_lock);
	list_add_tail(&res->dc_item, &dom->dc_list);
	spin_unlock(&dom->dc_lock);
	wake_up(&dom->dc_wq);
}

/*
 * res->lock held: a new object's request was granted.  Nobody waits for
 * it to hold it once, and what the lock covers is what this node just
 * wrote (nothing to refresh).  The directory's last one lets its
 * downconvert go (a retry of the parked ones) and its eviction.
 */
static void new_granted(struct ocfs2_lockres *res)
{
	struct ocfs2_lock_domain *dom = res->domain;
	atomic_t *unpublished = res->unpublished;

	res->flags &= ~OCFS2_LRF_NEW;
	res->unpublished = NULL;
	count_request(res, true, ktime_get_ns() - res->new_sent_ns);
	unpublished_put(dom, unpublished);
}

/*
 * res->lock held: the DLM failed a new object's request.  Its name may
 * already be known elsewhere only through a directory we keep, so the
 * only safe answer is to keep asking: the downconvert thread sends it
 * again, and the directory stays ours meanwhile.
 */
static void new_failed(struct ocfs2_lockres *res, int status)
{
	pr_err_ratelimited("ocfs2 (%s): DLM failed the request for new %s lock %.*s (%d); asking again\n",
			   res->domain->dev_name, res->type->name,
			   (int)res->name_len, res->name, status);
	res->flags |= OCFS2_LRF_RESEND;
	queue_thread(res);
}

static void cl_ast(struct ocfs2_dlm_lksb *lksb)
{
	struct ocfs2_lockres *res = res_of(lksb);
	int status, old;

	spin_lock(&res->lock);
	status = ocfs2_dlm_lock_status(lksb);
	if (res->flags & OCFS2_LRF_NEW) {
		if (status) {
			new_failed(res, status);
			spin_unlock(&res->lock);
			return;
		}
		res->level = res->requested;
		res->flags |= OCFS2_LRF_ATTACHED;
		new_granted(res);
		goto done;
	}
	res->status = status;
	if (!status) {
		old = res->level;
		res->level = res->requested;
		res->flags |= OCFS2_LRF_ATTACHED;
		if (res->level < old &&
		    res->level <= compat_level(res->blocking)) {
			clear_blocked(res);
		} else if (old == OCFS2_LOCK_NL && res->level > old &&
			   res->type->refresh) {
			res->flags |= OCFS2_LRF_NEEDS_REFRESH;
		}
		/*
		 * A node that asked meanwhile must not take it back before
		 * the task that waited for it used it once, or two nodes
		 * wanting it could pass it back and forth unused forever.
		 */
		if (res->level > old)
			res->flags |= OCFS2_LRF_GRANTED_UP;
	}
done:
	/* a cancel sent meanwhile found nothing to cancel */
	res->flags &= ~(OCFS2_LRF_BUSY | OCFS2_LRF_CANCEL);
	res->requested = LEVEL_IV;
	queue_dc(res);
	spin_unlock(&res->lock);
	wake_up(&res->wq);
}

/* res->lock held: the downconvert thread sends a cancel or a request. */
static void queue_thread(struct ocfs2_lockres *res)
{
	struct ocfs2_lock_domain *dom = res->domain;

	if (res->flags & OCFS2_LRF_QUEUED)
		return;
	res->flags |= OCFS2_LRF_QUEUED;
	spin_lock(&dom->dc_lock);
	list_add_tail(&res->dc_item, &dom->dc_list);
	spin_unlock(&dom->dc_lock);
	wake_up(&dom->dc_wq);
}

/*
 * res->lock held.  Only a conversion is ever cancelled, as stock does.
 * fs/dlm cannot take the cancel of a first request while that request
 * still waits for the resource's master (looked up, or looked up again
 * after a membership change): the resource is left with no master, and
 * the next local request on it trips an assertion in fs/dlm (a 6.12
 * panic in lab run 20261127-114916).  Nothing here can tell whether the
 * lookup is over, so a lock never granted is never cancelled.
 */
static bool may_cancel(struct ocfs2_lockres *res)
{
	return (res->flags & (OCFS2_LRF_BUSY | OCFS2_LRF_CANCEL |
			      OCFS2_LRF_ATTACHED)) ==
	       (OCFS2_LRF_BUSY | OCFS2_LRF_ATTACHED);
}

/*
 * res->lock held.  fs/dlm does not break conversion deadlocks for us
 * (stackglue asks it not to, as stock's does): two nodes holding PR that
 * both convert to EX would wait for each other forever.  When another
 * node is blocked by the level we hold while our own up-convert waits,
 * the downconvert thread cancels the convert; the requester then lets
 * the lock go down and asks again from the back of the queue.
 * A cancel that reaches the DLM before the convert it means does nothing
 * (there is nothing to cancel yet), and the convert then waits forever:
 * while the request is still being handed over (PENDING) the cancel is
 * only noted, and send_request queues it once the DLM has the request.
 * A resource already queued for the thread gets the cancel noted too.
 */
static void maybe_cancel(struct ocfs2_lockres *res)
{
	if (!may_cancel(res) ||
	    (res->flags & (OCFS2_LRF_FREEING | OCFS2_LRF_DOWNCONVERTING)) ||
	    res->requested <= res->level ||
	    res->level <= compat_level(res->blocking))
		return;
	res->flags |= OCFS2_LRF_CANCEL;
	if (!(res->flags & OCFS2_LRF_PENDING))
		queue_thread(res);
}

static void cl_bast(struct ocfs2_dlm_lksb *lksb, int level)
{
	struct ocfs2_lockres *res = res_of(lksb);

	spin_lock(&res->lock);
	set_blocked(res);
	if (level > res->blocking)
		res->blocking = level;
	queue_dc(res);
	maybe_cancel(res);
	spin_unlock(&res->lock);
	wake_up(&res->wq);
}

/*
 * Unlocks are only sent by ocfs2_dlm_lockres_free (FREEING); any other
 * call is a cancelled up-convert: the lock stays at its granted level.
 */
static void cl_unlock_ast(struct ocfs2_dlm_lksb *lksb, int error)
{
	struct ocfs2_lockres *res = res_of(lksb);

	spin_lock(&res->lock);
	if (error)
		pr_err("ocfs2 (%s): DLM unlock of %s lock %.*s failed (%d)\n",
		       res->domain->dev_name, res->type->name,
		       (int)res->name_len, res->name, error);
	if (res->flags & OCFS2_LRF_FREEING) {
		res->level = OCFS2_LOCK_NL;
		res->flags &= ~(OCFS2_LRF_BUSY | OCFS2_LRF_ATTACHED);
	} else if ((res->flags & (OCFS2_LRF_BUSY | OCFS2_LRF_CANCEL)) ==
		   (OCFS2_LRF_BUSY | OCFS2_LRF_CANCEL)) {
		res->flags &= ~(OCFS2_LRF_BUSY | OCFS2_LRF_CANCEL);
		res->requested = LEVEL_IV;
		res->status = -ECANCELED;
		queue_dc(res);
	}
	spin_unlock(&res->lock);
	wake_up(&res->wq);
}

static bool flags_clear(struct ocfs2_lockres *res, unsigned int mask)
{
	bool clear;

	spin_lock(&res->lock);
	clear = !(res->flags & mask);
	spin_unlock(&res->lock);
	return clear;
}

/* Waits for the DLM; a long wait says so, for reading a stuck cluster. */
static void wait_flags_clear(struct ocfs2_lockres *res, unsigned int mask)
{
	unsigned long start = jiffies;

	while (!wait_event_timeout(res->wq, flags_clear(res, mask),
				   OCFS2_STUCK_SECS * HZ))
		pr_info("ocfs2 (%s): %s lock %.*s: waiting for the DLM for %u s: level %d requested %d flags 0x%x holders ro %u ex %u\n",
			res->domain->dev_name, res->type->name,
			(int)res->name_len, res->name,
			jiffies_to_msecs(jiffies - start) / 1000,
			READ_ONCE(res->level), READ_ONCE(res->requested),
			READ_ONCE(res->flags), READ_ONCE(res->ro_holders),
			READ_ONCE(res->ex_holders));
}

/*
 * res->lock held.  A request is granted from the cached level unless
 * another node waits for an incompatible one; then only a holder's own
 * nested request goes on (see lock_owner.c; types not marked fair let
 * any request in while holders remain: the downconvert cannot start
 * under them anyway), and the downconvert thread's own write-back may
 * use what it is giving up.
 */
static bool may_grant(struct ocfs2_lockres *res, int level)
{
	if (res->level < level || (res->flags & OCFS2_LRF_REFRESHING))
		return false;
	if (current == res->domain->dc_task)
		return true;
	if (!(res->flags & OCFS2_LRF_BLOCKED))
		return !(res->flags & OCFS2_LRF_DOWNCONVERTING) ||
		       level <= res->requested;
	if (level <= compat_level(res->blocking))
		return true;
	return (res->ro_holders || res->ex_holders) &&
	       !(res->flags & OCFS2_LRF_DOWNCONVERTING) &&
	       !ocfs2_lock_newcomer_waits(res);
}

static void inc_holders(struct ocfs2_lockres *res, int level)
{
	if (level == OCFS2_LOCK_EX)
		res->ex_holders++;
	else
		res->ro_holders++;
	ocfs2_lock_owner_add(res);
}

static void dec_holders(struct ocfs2_lockres *res, int level)
{
	if (level == OCFS2_LOCK_EX)
		res->ex_holders--;
	else
		res->ro_holders--;
	ocfs2_lock_owner_del(res);
}

/* Called with res->lock held and the holder counted; drops res->lock. */
static int run_refresh(struct ocfs2_lockres *res, int level)
{
	u64 t0 = ktime_get_ns();
	int ret;

	res->flags |= OCFS2_LRF_REFRESHING;
	spin_unlock(&res->lock);
	ret = res->type->refresh(res);
	atomic64_inc(&res->domain->stats.refreshes);
	atomic64_add(ktime_get_ns() - t0, &res->domain->stats.refresh_ns);
	spin_lock(&res->lock);
	res->flags &= ~OCFS2_LRF_REFRESHING;
	if (!ret) {
		res->flags &= ~OCFS2_LRF_NEEDS_REFRESH;
	} else {
		dec_holders(res, level);
		queue_dc(res);
	}
	spin_unlock(&res->lock);
	wake_up(&res->wq);
	return ret;
}

/*
 * A first request waits as long as it takes (never cancelled, see
 * may_cancel); those that waited past OCFS2_SLOW_ATTACH_NS (a master
 * looked up across a membership change, conversions queued ahead)
 * are counted, so a test can tell it made some.
 */
#define OCFS2_SLOW_ATTACH_NS	(5 * NSEC_PER_SEC)

/* Adds one request to the per-kind lock_stats. */
static void count_request(struct ocfs2_lockres *res, bool attach, u64 ns)
{
	const char *k = strchr(OCFS2_STAT_KIND_CHARS, res->type->type_char);
	struct ocfs2_lock_kind_stats *st;

	if (attach && ns > OCFS2_SLOW_ATTACH_NS)
		atomic64_inc(&res->domain->stats.slow_attaches);

	st = &res->domain->stats.kind[k ? k - OCFS2_STAT_KIND_CHARS :
				      OCFS2_STAT_KINDS - 1];
	atomic64_inc(&st->count[!attach]);
	atomic64_add(ns, &st->ns[!attach]);
}

/* Our conversion still queued in the DLM is cancelled (cl_unlock_ast). */
static void cancel_request(struct ocfs2_lockres *res)
{
	bool cancel;

	spin_lock(&res->lock);
	cancel = may_cancel(res);
	if (cancel)
		res->flags |= OCFS2_LRF_CANCEL;
	spin_unlock(&res->lock);
	if (cancel)
		send_cancel(res);
}

/*
 * An interruptible request (flock, as stock's): a signal while the DLM
 * keeps it queued behind another node cancels it, and the requester
 * returns -ERESTARTSYS unless the grant came first.  Never leaving with
 * the request outstanding is what makes the lock usable afterwards.
 */
static void wait_interruptible(struct ocfs2_lockres *res)
{
	if (wait_event_interruptible(res->wq, flags_clear(res, OCFS2_LRF_BUSY)))
		cancel_request(res);
}

/* Called with res->lock held; drops it.  0: the DLM answered. */
static int send_request(struct ocfs2_lockres *res, int level,
			unsigned int flags)
{
	bool attach = !(res->flags & OCFS2_LRF_ATTACHED);
	u64 t0 = ktime_get_ns();
	u32 dflags = 0;
	int ret;

	if (!attach)
		dflags |= DLM_LKF_CONVERT;
	if (res->type->uses_lvb)
		dflags |= DLM_LKF_VALBLK;
	if (flags & OCFS2_LOCK_NOQUEUE)
		dflags |= DLM_LKF_NOQUEUE;
	res->flags |= OCFS2_LRF_BUSY | OCFS2_LRF_PENDING;
	res->requested = level;
	spin_unlock(&res->lock);
	ret = ocfs2_dlm_lock(res->domain->conn, level, &res->lksb, dflags,
			     res->name, res->name_len);
	spin_lock(&res->lock);
	res->flags &= ~OCFS2_LRF_PENDING;
	if (!ret) {
		/* a cancel asked for meanwhile can go now (see maybe_cancel) */
		if ((res->flags & (OCFS2_LRF_CANCEL | OCFS2_LRF_BUSY)) ==
		    (OCFS2_LRF_CANCEL | OCFS2_LRF_BUSY))
			queue_thread(res);
		spin_unlock(&res->lock);
	} else {
		res->flags &= ~(OCFS2_LRF_BUSY | OCFS2_LRF_CANCEL);
		res->requested = LEVEL_IV;
		queue_dc(res);
		spin_unlock(&res->lock);
		wake_up(&res->wq);
		/* a trylock another node holds is an answer, not a failure */
		if (ret != -EAGAIN || !(flags & OCFS2_LOCK_NOQUEUE))
			pr_err("ocfs2 (%s): DLM request for %s lock %.*s failed (%d)\n",
			       res->domain->dev_name, res->type->name,
			       (int)res->name_len, res->name, ret);
		return ret;
	}
	if (flags & OCFS2_LOCK_INTR)
		wait_interruptible(res);
	wait_flags_clear(res, OCFS2_LRF_BUSY);
	t0 = ktime_get_ns() - t0;
	atomic64_inc(&res->domain->stats.requests);
	atomic64_add(t0, &res->domain->stats.request_ns);
	count_request(res, attach, t0);
	return 0;
}

static u32 new_dflags(struct ocfs2_lockres *res)
{
	return res->type->uses_lvb ? DLM_LKF_VALBLK : 0;
}

/* One new request of a directory fewer outstanding (see new_granted). */
static void unpublished_put(struct ocfs2_lock_domain *dom,
			    atomic_t *unpublished)
{
	atomic64_dec(&dom->stats.new_pending);
	if (atomic_dec_and_test(unpublished)) {
		ocfs2_dlm_domain_retry(dom);
		wake_up_all(&dom->new_wq);
	}
}

/*
 * A new object's first request (lock_core.c's ocfs2_lock_new), queued
 * at the level wanted and never cancelled, like every first request
 * (see may_cancel); cl_ast takes the grant.  -EBUSY: the lock is in use
 * already (an inode cached before), and the caller waits the ordinary
 * way, as for any other error.
 */
int ocfs2_dlm_lock_new(struct ocfs2_lockres *res, int level, bool hold,
		       atomic_t *unpublished)
{
	int ret;

	spin_lock(&res->lock);
	if (res->flags & (OCFS2_LRF_ATTACHED | OCFS2_LRF_BUSY |
			  OCFS2_LRF_FREEING | OCFS2_LRF_QUEUED)) {
		spin_unlock(&res->lock);
		return -EBUSY;
	}
	res->flags |= OCFS2_LRF_NEW | OCFS2_LRF_BUSY;
	res->requested = level;
	res->unpublished = unpublished;
	res->new_sent_ns = ktime_get_ns();
	atomic_inc(unpublished);
	atomic64_inc(&res->domain->stats.new_pending);
	if (hold)
		inc_holders(res, level);
	spin_unlock(&res->lock);
	atomic64_inc(&res->domain->stats.new_requests);
	ret = ocfs2_dlm_lock(res->domain->conn, level, &res->lksb,
			     new_dflags(res), res->name, res->name_len);
	if (!ret)
		return 0;
	spin_lock(&res->lock);
	res->flags &= ~(OCFS2_LRF_NEW | OCFS2_LRF_BUSY);
	res->requested = LEVEL_IV;
	res->unpublished = NULL;
	if (hold)
		dec_holders(res, level);
	spin_unlock(&res->lock);
	unpublished_put(res->domain, unpublished);
	wake_up(&res->wq);
	pr_err("ocfs2 (%s): DLM request for new %s lock %.*s failed (%d); waiting for it instead\n",
	       res->domain->dev_name, res->type->name,
	       (int)res->name_len, res->name, ret);
	return ret;
}

/* The downconvert thread, for new_failed: the request goes again. */
static void resend_new(struct ocfs2_lockres *res)
{
	int ret;

	atomic64_inc(&res->domain->stats.resends);
	ret = ocfs2_dlm_lock(res->domain->conn, res->requested, &res->lksb,
			     new_dflags(res), res->name, res->name_len);
	if (!ret)
		return;
	/* not even handed over: again after a pause */
	msleep(100);
	spin_lock(&res->lock);
	new_failed(res, ret);
	spin_unlock(&res->lock);
}

/*
 * Called with res->lock held; drops it.  Creates the lock at NL, to be
 * converted: a new request waits until no conversion is queued on the
 * resource, so a node asking for the first time while two others pass
 * the lock back and forth (each a queued conversion) would wait as long
 * as they keep at it.  NL is granted at the first hand-over; from then on
 * we queue with them.
 */
static int attach_nl(struct ocfs2_lockres *res)
{
	int ret;

	ret = send_request(res, OCFS2_LOCK_NL, 0);
	if (ret)
		return ret;
	spin_lock(&res->lock);
	ret = res->status;
	res->status = 0;
	spin_unlock(&res->lock);
	if (ret)
		pr_err("ocfs2 (%s): DLM refused to create %s lock %.*s (%d)\n",
		       res->domain->dev_name, res->type->name,
		       (int)res->name_len, res->name, ret);
	return ret;
}

/*
 * res->lock held, after our request came back: the requester holds a
 * granted up-convert even if another node asked for it meanwhile (it
 * goes as soon as we unlock).  1: not taken, res->lock still held;
 * else the lock result, res->lock dropped.
 */
static int take_granted(struct ocfs2_lockres *res, int level)
{
	bool up = res->flags & OCFS2_LRF_GRANTED_UP;

	res->flags &= ~OCFS2_LRF_GRANTED_UP;
	if (up && !res->status && res->level >= level &&
	    !(res->flags & (OCFS2_LRF_REFRESHING | OCFS2_LRF_FREEING))) {
		res->status = 0;
		inc_holders(res, level);
		if (res->flags & OCFS2_LRF_NEEDS_REFRESH)
			return run_refresh(res, level);
		spin_unlock(&res->lock);
		return 0;
	}
	/* not ours to hold: a downconvert held back for it may go */
	queue_dc(res);
	return 1;
}

/*
 * Called with res->lock held.  A lock the DLM does not know yet is first
 * asked for at the level wanted, which costs one round trip where
 * creating it at NL and converting costs two (every inode a node reads
 * for the first time has a meta and an open lock: ls -l of a fresh
 * directory, a cold stat).  Unless marked ATTACH_QUEUED, as a trylock,
 * and a lock another node holds in the way goes the NL way (attach_nl),
 * which conversions queued ahead cannot starve.  A queued first request
 * (a file's locks, which nodes seldom pass back and forth) waits until
 * granted: it is never cancelled (see may_cancel).  Two other nodes
 * passing the lock to each other without a pause can hold it off
 * meanwhile (fs/dlm grants a new request only with no conversion
 * queued); it is granted at their first pause.  0: granted, res->lock
 * held; 1: attached at NL, res->lock held; < 0: error, res->lock dropped.
 */
static int attach(struct ocfs2_lockres *res, int level, unsigned int flags)
{
	int ret;

	if (!READ_ONCE(attach_direct))
		goto nl;
	/* never OCFS2_LOCK_INTR: a signal would cancel it (see may_cancel) */
	flags &= OCFS2_LOCK_NOQUEUE;
	if (!(res->flags & OCFS2_LRF_ATTACH_QUEUED))
		flags = OCFS2_LOCK_NOQUEUE;
	ret = send_request(res, level, flags);
	if (ret && ret != -EAGAIN)
		return ret;
	spin_lock(&res->lock);
	if (!ret) {
		ret = res->status;
		if (!ret)
			return 0;
		res->status = 0;
		if (ret != -EAGAIN && ret != -ECANCELED) {
			spin_unlock(&res->lock);
			pr_err("ocfs2 (%s): DLM refused to create %s lock %.*s (%d)\n",
			       res->domain->dev_name, res->type->name,
			       (int)res->name_len, res->name, ret);
			return ret;
		}
	}
nl:
	ret = attach_nl(res);
	if (ret)
		return ret;
	spin_lock(&res->lock);
	return 1;
}

/* res->lock held: whether this thread has to wait before asking. */
static bool must_wait(struct ocfs2_lockres *res)
{
	if (res->flags & (OCFS2_LRF_BUSY | OCFS2_LRF_DOWNCONVERTING |
			  OCFS2_LRF_REFRESHING | OCFS2_LRF_QUEUED))
		return true;
	if (!(res->flags & OCFS2_LRF_BLOCKED))
		return false;
	/* another node waits and nothing here holds it: let it go first */
	if (!res->ro_holders && !res->ex_holders)
		return true;
	/* a new holder waits for the other node's turn (lock_owner.c) */
	return ocfs2_lock_newcomer_waits(res);
}

static int do_downconvert(struct ocfs2_lockres *res, int old, int new);

/*
 * res->lock held, dropped and taken again.  A cached PR nobody here holds
 * goes to NL before we ask for EX.  Two nodes converting PR to EX wait
 * for each other (fs/dlm leaves conversion deadlocks to us), and every
 * create does that to its directory (lookup under PR, then EX).  Breaking
 * it takes a cancel, which once got lost (session 5: three creators in
 * one directory hung; see maybe_cancel).  A converter at NL blocks
 * nobody, so the requests simply queue in order.  The price is one more
 * DLM round trip when a node that read an object changes it; holders
 * here keep their PR and convert, with the cancel as the way out.
 */
static void drop_before_upconvert(struct ocfs2_lockres *res)
{
	res->flags |= OCFS2_LRF_DOWNCONVERTING;
	res->requested = OCFS2_LOCK_NL;
	spin_unlock(&res->lock);
	do_downconvert(res, OCFS2_LOCK_PR, OCFS2_LOCK_NL);
	spin_lock(&res->lock);
	res->flags &= ~OCFS2_LRF_DOWNCONVERTING;
	res->requested = LEVEL_IV;
	queue_dc(res);
	wake_up(&res->wq);
}

static bool grantable_or_free(struct ocfs2_lockres *res, int level)
{
	bool go;

	spin_lock(&res->lock);
	go = may_grant(res, level) || !must_wait(res);
	spin_unlock(&res->lock);
	return go;
}

/*
 * Waits behind a holder here or a request of another node.  That can
 * last as long as the stack recovers a dead node (fs/dlm stops the whole
 * lockspace meanwhile), so the wait wakes up now and then: a stalled
 * stack is no hung task, and a wait of minutes says what it waits for.
 */
static void wait_grantable(struct ocfs2_lockres *res, int level,
			   unsigned int flags)
{
	unsigned long start = jiffies;
	unsigned int rounds = 0;
	long left;

	for (;;) {
		if (flags & (OCFS2_LOCK_INTR | OCFS2_LOCK_SIGNALS))
			left = wait_event_interruptible_timeout(res->wq,
					grantable_or_free(res, level),
					OCFS2_STUCK_SECS * HZ);
		else
			left = wait_event_timeout(res->wq,
					grantable_or_free(res, level),
					OCFS2_STUCK_SECS * HZ);
		if (left)	/* grantable, or a signal for the caller */
			return;
		if (++rounds % OCFS2_WAIT_LOG_ROUNDS)
			continue;
		pr_info("ocfs2 (%s): %s lock %.*s: level %d wanted for %u s: level %d blocking %d requested %d flags 0x%x holders ro %u ex %u\n",
			res->domain->dev_name, res->type->name,
			(int)res->name_len, res->name, level,
			jiffies_to_msecs(jiffies - start) / 1000,
			READ_ONCE(res->level), READ_ONCE(res->blocking),
			READ_ONCE(res->requested), READ_ONCE(res->flags),
			READ_ONCE(res->ro_holders), READ_ONCE(res->ex_holders));
	}
}

int ocfs2_dlm_cluster_lock(struct ocfs2_lockres *res, int level,
			   unsigned int flags)
{
	int ret;

	spin_lock(&res->lock);
	for (;;) {
		if (res->flags & OCFS2_LRF_FREEING) {
			spin_unlock(&res->lock);
			return -EIO;
		}
		/* checked with no request of ours out, as stock does */
		if ((flags & (OCFS2_LOCK_INTR | OCFS2_LOCK_SIGNALS)) &&
		    signal_pending(current)) {
			spin_unlock(&res->lock);
			return -ERESTARTSYS;
		}
		if (may_grant(res, level)) {
			inc_holders(res, level);
			if (res->flags & OCFS2_LRF_NEEDS_REFRESH)
				return run_refresh(res, level);
			spin_unlock(&res->lock);
			return 0;
		}
		if (flags & OCFS2_LOCK_NONBLOCK) {
			spin_unlock(&res->lock);
			return -EAGAIN;
		}
		if (must_wait(res) || res->level >= level) {
			spin_unlock(&res->lock);
			wait_grantable(res, level, flags);
			spin_lock(&res->lock);
			continue;
		}
		if (!(res->flags & OCFS2_LRF_ATTACHED)) {
			ret = attach(res, level, flags);
			if (ret < 0)
				return ret;
			if (ret == 0) {
				ret = take_granted(res, level);
				if (ret <= 0)
					return ret;
			}
			continue;
		}
		if (level == OCFS2_LOCK_EX && res->level == OCFS2_LOCK_PR &&
		    !res->ro_holders && !res->ex_holders &&
		    !(READ_ONCE(upconvert_direct) &&
		      (res->flags & OCFS2_LRF_ATTACH_QUEUED))) {
			drop_before_upconvert(res);
			continue;
		}
		ret = send_request(res, level, flags);
		if (ret)
			return ret;
		spin_lock(&res->lock);
		ret = take_granted(res, level);
		if (ret <= 0)
			return ret;
		ret = res->status;
		res->status = 0;
		/* cancelled or refused as a deadlock: again, after going down */
		if (!ret || ret == -EDEADLK || ret == -ECANCELED)
			continue;
		if (ret) {
			spin_unlock(&res->lock);
			if (ret != -EAGAIN)
				pr_err("ocfs2 (%s): %s lock %.*s not granted (%d)\n",
				       res->domain->dev_name, res->type->name,
				       (int)res->name_len, res->name, ret);
			return ret;
		}
	}
}

/* An uncached lock goes back to NL in the unlocker's context. */
static void drop_now(struct ocfs2_lockres *res)
{
	int old;

	spin_lock(&res->lock);
	if (res->ro_holders || res->ex_holders ||
	    res->level == OCFS2_LOCK_NL ||
	    (res->flags & (OCFS2_LRF_BUSY | OCFS2_LRF_DOWNCONVERTING |
			   OCFS2_LRF_FREEING | OCFS2_LRF_QUEUED))) {
		spin_unlock(&res->lock);
		return;
	}
	old = res->level;
	res->flags |= OCFS2_LRF_DOWNCONVERTING;
	spin_unlock(&res->lock);
	do_downconvert(res, old, OCFS2_LOCK_NL);
	spin_lock(&res->lock);
	res->flags &= ~OCFS2_LRF_DOWNCONVERTING;
	queue_dc(res);
	spin_unlock(&res->lock);
	wake_up(&res->wq);
}

/* After a holder left: the downconvert may now be possible. */
void ocfs2_dlm_cluster_unlock(struct ocfs2_lockres *res)
{
	spin_lock(&res->lock);
	queue_dc(res);
	spin_unlock(&res->lock);
	wake_up(&res->wq);
	if (res->type->drop_on_unlock)
		drop_now(res);
}

/*
 * Returns -EAGAIN when the lock type is not ready to let go yet (the
 * caller parks the resource), else 0 once the DLM answered or failed.
 */
static int do_downconvert(struct ocfs2_lockres *res, int old, int new)
{
	const struct ocfs2_lock_type *type = res->type;
	struct ocfs2_lock_stats *st = &res->domain->stats;
	u32 dflags = DLM_LKF_CONVERT;
	u64 t0 = ktime_get_ns();
	int ret;

	if (type->downconvert) {
		ret = type->downconvert(res, new);
		atomic64_add(ktime_get_ns() - t0, &st->prepare_ns);
		if (ret == -EAGAIN) {
			atomic64_inc(&st->parked);
			return ret;
		}
		if (ret)
			pr_err("ocfs2 (%s): giving up %s lock %.*s: write-back failed (%d)\n",
			       res->domain->dev_name, type->name,
			       (int)res->name_len, res->name, ret);
	}
	if (type->uses_lvb) {
		dflags |= DLM_LKF_VALBLK;
		if (old == OCFS2_LOCK_EX && type->set_lvb)
			type->set_lvb(res);
	}
	spin_lock(&res->lock);
	res->flags |= OCFS2_LRF_BUSY;
	res->requested = new;
	spin_unlock(&res->lock);
	ret = ocfs2_dlm_lock(res->domain->conn, new, &res->lksb, dflags,
			     res->name, res->name_len);
	if (ret) {
		pr_err("ocfs2 (%s): downconvert of %s lock %.*s failed (%d)\n",
		       res->domain->dev_name, type->name,
		       (int)res->name_len, res->name, ret);
		spin_lock(&res->lock);
		res->flags &= ~OCFS2_LRF_BUSY;
		res->requested = LEVEL_IV;
		spin_unlock(&res->lock);
		return 0;
	}
	wait_flags_clear(res, OCFS2_LRF_BUSY);
	atomic64_inc(&st->downconverts);
	return 0;
}

static unsigned long retries_now(struct ocfs2_lock_domain *dom)
{
	unsigned long n;

	spin_lock(&dom->dc_lock);
	n = dom->dc_retries;
	spin_unlock(&dom->dc_lock);
	return n;
}

/*
 * res->lock held.  The lock type waits for something (a checkpoint): the
 * resource stays QUEUED, so local requests keep waiting behind the node
 * that asked, on the parked list until ocfs2_dlm_domain_retry().  What it
 * waits for may have come already (the type asked before we got here):
 * a retry since @seen sends it straight back to the thread.
 */
static void park(struct ocfs2_lockres *res, unsigned long seen)
{
	struct ocfs2_lock_domain *dom = res->domain;
	bool again;

	res->flags |= OCFS2_LRF_QUEUED;
	res->requested = LEVEL_IV;
	spin_lock(&dom->dc_lock);
	again = dom->dc_retries != seen;
	list_add_tail(&res->dc_item, again ? &dom->dc_list : &dom->dc_parked);
	spin_unlock(&dom->dc_lock);
	if (again)
		wake_up(&dom->dc_wq);
}

void ocfs2_dlm_domain_retry(struct ocfs2_lock_domain *dom)
{
	spin_lock(&dom->dc_lock);
	dom->dc_retries++;
	list_splice_tail_init(&dom->dc_parked, &dom->dc_list);
	spin_unlock(&dom->dc_lock);
	wake_up(&dom->dc_wq);
}

/* The convert may be granted meanwhile: then no cancel AST comes. */
static void send_cancel(struct ocfs2_lockres *res)
{
	int ret;

	ret = ocfs2_dlm_unlock(res->domain->conn, &res->lksb, DLM_LKF_CANCEL);
	if (!ret)
		return;
	pr_err("ocfs2 (%s): cancelling the convert of %s lock %.*s failed (%d)\n",
	       res->domain->dev_name, res->type->name, (int)res->name_len,
	       res->name, ret);
	spin_lock(&res->lock);
	res->flags &= ~OCFS2_LRF_CANCEL;
	spin_unlock(&res->lock);
}

/*
 * Called with res->lock held; drops it.  Another node wants a lock kept
 * past its object (lock_keep.c): its whole group goes back to the DLM,
 * unless an object adopted it meanwhile (then it goes down the ordinary
 * way, queued again) or another caller is giving it back already.
 */
static void release_kept(struct ocfs2_lockres *res)
{
	struct ocfs2_kept *kept = res->owner;
	bool mine;

	res->flags |= OCFS2_LRF_DOWNCONVERTING;
	spin_unlock(&res->lock);
	mine = ocfs2_lock_kept_take(kept);
	spin_lock(&res->lock);
	res->flags &= ~OCFS2_LRF_DOWNCONVERTING;
	if (!mine && !(res->flags & OCFS2_LRF_KEPT))
		queue_dc(res);
	spin_unlock(&res->lock);
	wake_up(&res->wq);
	if (mine)
		ocfs2_lock_kept_release(kept);
}

static void downconvert_one(struct ocfs2_lockres *res)
{
	unsigned long seen = retries_now(res->domain);
	int old, new, ret;

	spin_lock(&res->lock);
	res->flags &= ~OCFS2_LRF_QUEUED;
	if (res->flags & OCFS2_LRF_CANCEL) {
		/* still being handed over: send_request queues it again */
		bool pending = res->flags & OCFS2_LRF_PENDING;

		spin_unlock(&res->lock);
		if (!pending)
			send_cancel(res);
		return;
	}
	if (res->flags & OCFS2_LRF_RESEND) {
		res->flags &= ~OCFS2_LRF_RESEND;
		spin_unlock(&res->lock);
		resend_new(res);
		return;
	}
	if ((res->flags & (OCFS2_LRF_FREEING | OCFS2_LRF_BUSY |
			   OCFS2_LRF_GRANTED_UP)) ||
	    !(res->flags & OCFS2_LRF_BLOCKED))
		goto out;
	if (res->flags & OCFS2_LRF_KEPT) {
		release_kept(res);
		return;
	}
	new = compat_level(res->blocking);
	if (res->level <= new) {
		clear_blocked(res);
		goto out;
	}
	if (!holders_allow(res, new))
		goto out;	/* the last holder requeues it */
	old = res->level;
	res->flags |= OCFS2_LRF_DOWNCONVERTING;
	res->requested = new;
	spin_unlock(&res->lock);

	ret = do_downconvert(res, old, new);

	spin_lock(&res->lock);
	res->flags &= ~OCFS2_LRF_DOWNCONVERTING;
	if (ret == -EAGAIN)
		park(res, seen);
	else
		queue_dc(res);
out:
	spin_unlock(&res->lock);
	wake_up(&res->wq);
}

static struct ocfs2_lockres *next_queued(struct ocfs2_lock_domain *dom)
{
	struct ocfs2_lockres *res = NULL;

	spin_lock(&dom->dc_lock);
	if (!list_empty(&dom->dc_list)) {
		res = list_first_entry(&dom->dc_list, struct ocfs2_lockres,
				       dc_item);
		list_del_init(&res->dc_item);
	}
	spin_unlock(&dom->dc_lock);
	return res;
}

static bool dc_has_work(struct ocfs2_lock_domain *dom)
{
	bool work;

	spin_lock(&dom->dc_lock);
	work = !list_empty(&dom->dc_list);
	spin_unlock(&dom->dc_lock);
	return work || kthread_should_stop();
}

void ocfs2_dlm_lockres_add(struct ocfs2_lockres *res)
{
	struct ocfs2_lock_domain *dom = res->domain;

	spin_lock(&dom->dc_lock);
	list_add_tail(&res->all_item, &dom->all);
	spin_unlock(&dom->dc_lock);
}

/*
 * Another node has waited long for a lock of ours: say what state it is
 * in, so a stuck cluster can be read from the kernel logs.
 */
static void report_stuck(struct ocfs2_lock_domain *dom)
{
	struct ocfs2_lockres *res;

	if (!atomic_read(&dom->nr_blocked))
		return;
	spin_lock(&dom->dc_lock);
	list_for_each_entry(res, &dom->all, all_item) {
		if (!(READ_ONCE(res->flags) & OCFS2_LRF_BLOCKED) ||
		    time_before(jiffies, READ_ONCE(res->blocked_since) +
				OCFS2_STUCK_SECS * HZ))
			continue;
		pr_info("ocfs2 (%s): %s lock %.*s still wanted by another node after %u s: level %d blocking %d requested %d flags 0x%x holders ro %u ex %u\n",
			dom->dev_name, res->type->name, (int)res->name_len,
			res->name,
			jiffies_to_msecs(jiffies - res->blocked_since) / 1000,
			res->level, res->blocking, res->requested, res->flags,
			res->ro_holders, res->ex_holders);
	}
	spin_unlock(&dom->dc_lock);
}

static int dc_thread(void *arg)
{
	struct ocfs2_lock_domain *dom = arg;
	struct ocfs2_lockres *res;

	while (!kthread_should_stop()) {
		if (!wait_event_interruptible_timeout(dom->dc_wq,
						      dc_has_work(dom),
						      OCFS2_STUCK_SECS * HZ))
			report_stuck(dom);
		while ((res = next_queued(dom)))
			downconvert_one(res);
	}
	return 0;
}

/* o2cb's own line above says which: no cluster, no heartbeat, a node */
static const char *o2cb_connect_error(int err)
{
	switch (err) {
	case -EINVAL:
		return "the o2cb cluster is not online here or this node's heartbeat is not running (see the o2cb line above; bring the cluster online with 'o2cb register-cluster' and mount with mount.ocfs2, which starts the heartbeat)";
	case -ENOTCONN:
		return "a node heartbeats but o2net cannot reach it (a dead node not yet fenced, or a network fault; see the o2cb line above): fence that node or mend the network, then mount again";
	}
	return NULL;
}

static const char *connect_error(int err)
{
	switch (err) {
	case -EBUSY:
		return "the volume's cluster stack is not the running one (compare /sys/fs/ocfs2/cluster_stack with the volume's; fix with tunefs.ocfs2 --update-cluster-stack)";
	case -EBADR:
		return "the volume's cluster name is not the running cluster's name (fix with tunefs.ocfs2 --update-cluster-stack)";
	case -EUNATCH:
	case -ENOTCONN:
	case -EHOSTDOWN:
		return "the cluster is not online (start corosync and dlm_controld, or o2cb)";
	case -ENOENT:
		return "no cluster stack plugin could be loaded (load ocfs2_stack_user or ocfs2_stack_o2cb)";
	}
	return "joining the cluster lock domain failed";
}

static void report_connect_error(struct ocfs2_lock_domain *dom,
				 const struct ocfs2_domain_params *p, int err)
{
	const char *why = NULL;

	if (!p->stack[0] || !strcmp(p->stack, "o2cb"))
		why = o2cb_connect_error(err);
	if (!why)
		why = connect_error(err);
	pr_err("ocfs2 (%s): cannot mount: %s; stack \"%s\", cluster \"%s\", domain %s (error %d)\n",
	       dom->dev_name, why, p->stack[0] ? p->stack : "o2cb",
	       p->cluster, dom->group, err);
}

int ocfs2_dlm_domain_init(struct ocfs2_lock_domain *dom,
			  const struct ocfs2_domain_params *p)
{
	int i, ret;

	for (i = 0; i < 16; i++)
		snprintf(dom->group + 2 * i, 3, "%02X", p->uuid[i]);
	spin_lock_init(&dom->dc_lock);
	INIT_LIST_HEAD(&dom->dc_list);
	INIT_LIST_HEAD(&dom->dc_parked);
	INIT_LIST_HEAD(&dom->all);
	atomic_set(&dom->nr_blocked, 0);
	init_waitqueue_head(&dom->dc_wq);
	init_waitqueue_head(&dom->new_wq);
	ret = ocfs2_lock_keep_init(dom);
	if (ret)
		return ret;
	ret = ocfs2_cluster_connect(p->stack, p->cluster, strlen(p->cluster),
				    dom->group, strlen(dom->group),
				    &ocfs2_fs_lproto, p->node_down,
				    p->node_down_data, &dom->conn);
	if (ret) {
		report_connect_error(dom, p, ret);
		dom->conn = NULL;
		ocfs2_lock_keep_exit(dom);
		return ret;
	}
	/* a departure before this line takes the node-down path: safe */
	WRITE_ONCE(dom->conn->cc_left_handler, p->node_left);
	ret = ocfs2_cluster_this_node(dom->conn, &dom->node);
	if (ret) {
		pr_err("ocfs2 (%s): the cluster stack does not know this node's number (%d)\n",
		       dom->dev_name, ret);
		goto fail;
	}
	dom->dc_task = kthread_run(dc_thread, dom, "ocfs2dc-%.16s",
				   dom->group);
	if (IS_ERR(dom->dc_task)) {
		ret = PTR_ERR(dom->dc_task);
		dom->dc_task = NULL;
		goto fail;
	}
	ocfs2_lock_debug_add(dom);
	return 0;
fail:
	ocfs2_cluster_disconnect(dom->conn, 0);
	dom->conn = NULL;
	ocfs2_lock_keep_exit(dom);
	return ret;
}

/*
 * The kept locks go first; the thread, stopped next, finishes any group
 * it is giving back for a BAST.
 */
void ocfs2_dlm_domain_exit(struct ocfs2_lock_domain *dom)
{
	ocfs2_lock_kept_flush(dom);
	ocfs2_lock_debug_remove(dom);
	if (dom->dc_task)
		kthread_stop(dom->dc_task);
	dom->dc_task = NULL;
	ocfs2_lock_keep_exit(dom);
	if (!dom->conn)
		return;
	ocfs2_cluster_disconnect(dom->conn, 1);
	ocfs2_cluster_hangup(dom->group, strlen(dom->group));
	dom->conn = NULL;
}

/* Give the DLM lock back, with the LVB if we held it exclusive. */
void ocfs2_dlm_lockres_free(struct ocfs2_lockres *res)
{
	struct ocfs2_lock_domain *dom = res->domain;
	u32 dflags = 0;
	int ret;

	spin_lock(&res->lock);
	res->flags |= OCFS2_LRF_FREEING;
	clear_blocked(res);
	spin_lock(&dom->dc_lock);
	list_del_init(&res->all_item);
	/* a new lock's request to send again still goes (new_failed) */
	if ((res->flags & (OCFS2_LRF_QUEUED | OCFS2_LRF_RESEND)) ==
	    OCFS2_LRF_QUEUED && !list_empty(&res->dc_item)) {
		list_del_init(&res->dc_item);
		res->flags &= ~OCFS2_LRF_QUEUED;
	}
	spin_unlock(&dom->dc_lock);
	spin_unlock(&res->lock);
	wait_flags_clear(res, OCFS2_LRF_QUEUED | OCFS2_LRF_DOWNCONVERTING |
			 OCFS2_LRF_BUSY | OCFS2_LRF_REFRESHING);
	if (!(res->flags & OCFS2_LRF_ATTACHED))
		return;
	if (res->type->uses_lvb && res->level == OCFS2_LOCK_EX) {
		/* a kept lock's was set while its object existed */
		if (res->type->set_lvb && !(res->flags & OCFS2_LRF_KEPT))
			res->type->set_lvb(res);
		dflags |= DLM_LKF_VALBLK;
	}
	spin_lock(&res->lock);
	res->flags |= OCFS2_LRF_BUSY;
	spin_unlock(&res->lock);
	ret = ocfs2_dlm_unlock(dom->conn, &res->lksb, dflags);
	if (ret) {
		pr_err("ocfs2 (%s): DLM unlock of %s lock %.*s failed (%d)\n",
		       dom->dev_name, res->type->name, (int)res->name_len,
		       res->name, ret);
		return;
	}
	wait_flags_clear(res, OCFS2_LRF_BUSY);
}
