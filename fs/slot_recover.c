// SPDX-License-Identifier: GPL-2.0
/*
 * Recovering the slots of nodes that died while mounted (cluster mounts).
 *
 * A live node holds its slot's journal lock exclusive for its whole
 * mount, so a node whose trylock of that lock succeeds knows the slot's
 * owner is gone.  Recovery runs in two stages, as stock's does:
 *
 * The scan, under the superblock lock (exclusive, which serialises the
 * survivors and the mounts): take each dead slot's journal lock, replay
 * the journal if it is DIRTY and its log is not empty, copy the slot's
 * local alloc window and truncate log and write both home empty, mark
 * the journal clean (a new recovery generation, as stock), let the
 * journal lock go and free the slot in the map.  Until the scan is done,
 * a meta lock newly granted here waits (see ocfs2_slot_recovery_wait),
 * so as not to read a block the replay rewrites.  The scan needs nothing
 * but the superblock lock and the dead journals' locks, which no file
 * operation holds, and no journal of its own (every write is direct, as
 * stock's), so a task waiting for it inside a transaction or under other
 * locks cannot stall it.  A dead journal's lock is never held outside the
 * superblock lock: a stock survivor waits for it holding that lock.
 *
 * The finish, on its own work item, holding no lock of the slot: free
 * the copied window's and log's bits in transactions of our journal and
 * delete the slot's orphans (the slot may have a new owner by then; the
 * orphans' own locks keep them apart).  If this node dies before, those
 * bits leak until fsck.ocfs2 finds them (stock's recovery leaks the
 * same way); the next owner of the slot finds it consistent.
 *
 * At mount the dead slots' logs are replayed while the mount holds the
 * superblock lock, before this node reads any other metadata; the rest
 * runs when the mount is complete.  A node going down later (the stack's
 * node-down callback) queues the scan.
 *
 * A read-only mount (no journal of its own) scans and replays as well,
 * as stock's soft read-only mounts do: its reads must not see blocks the
 * dead node's log still rewrites, and no read-write node may be left to
 * replay.  It cannot free bits (that needs a journal), so it takes
 * nothing; the slot stays taken with its journal DIRTY and its log
 * empty, and the next read-write scan or mount recovers the rest.  Only
 * a device that is itself read-only refuses a dirty dead slot.
 */
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "ocfs2.h"

struct ocfs2_dead_slot {
	struct inode	*journal;	/* meta lock held EX */
	long		node;
	int		slot;
	bool		dirty;		/* its node died mounted */
};

/* A slot the scan recovered, for the finish. */
struct ocfs2_recovered {
	struct list_head		list;
	struct ocfs2_slot_allocs	*allocs;	/* bits to free */
	long				node;
	int				slot;
	bool				dirty;
	bool				freed;	/* all done but the finish */
};

/* What the scan does with a dead slot besides replaying it. */
enum ocfs2_gather {
	GATHER_REPLAY,		/* the mount, before its journal is open */
	GATHER_READONLY,	/* no journal: say a read-write node must */
	GATHER_TAKE,		/* take its allocators and free the slot */
};

/* The slot's journal inode with its lock held exclusive, or NULL if busy. */
static struct inode *lock_dead_journal(struct super_block *sb, int slot,
				       int *err)
{
	struct inode *inode;

	inode = ocfs2_get_system_inode(sb, JOURNAL_SYSTEM_INODE, slot);
	if (IS_ERR(inode)) {
		*err = PTR_ERR(inode);
		return NULL;
	}
	*err = ocfs2_lock(&OCFS2_I(inode)->il->meta, OCFS2_LOCK_EX,
			  OCFS2_LOCK_NOQUEUE);
	if (*err) {
		if (*err == -EAGAIN)	/* its node is alive */
			*err = 0;
		iput(inode);
		return NULL;
	}
	return inode;
}

static void unlock_dead_journal(struct ocfs2_dead_slot *d)
{
	ocfs2_unlock(&OCFS2_I(d->journal)->il->meta, OCFS2_LOCK_EX);
	iput(d->journal);
	d->journal = NULL;
}

/*
 * @d's node died mounted (its journal DIRTY): replay the log unless it is
 * empty (replayed already, by the mount that found the slot, by a
 * read-only node, or by a recoverer that died before marking the journal
 * clean).
 */
static int replay_dead(struct super_block *sb, struct ocfs2_dead_slot *d)
{
	int ret;

	ret = ocfs2_journal_dirty_flag(d->journal);
	if (ret <= 0)
		return ret;
	if (bdev_read_only(sb->s_bdev)) {
		ocfs2_err(sb, "slot %d (node %ld) died with a dirty journal and the device is read-only; make it writable and mount again to recover it",
			  d->slot, d->node);
		return -EROFS;
	}
	d->dirty = true;
	ret = ocfs2_journal_log_empty(d->journal);
	if (ret > 0) {
		/* so a test (and an admin) can tell it from a lost replay */
		ocfs2_info(sb, "slot %d of dead node %ld: journal:%04d is dirty with an empty log (checkpointed before the death, or replayed already): nothing to replay",
			   d->slot, d->node, d->slot);
		return 0;
	}
	if (!ret) {
		ocfs2_info(sb, "recovering slot %d of dead node %ld: replaying journal:%04d",
			   d->slot, d->node, d->slot);
		ret = ocfs2_journal_replay(OCFS2_SB(sb), d->journal, d->slot);
	}
	if (ret)
		ocfs2_err(sb, "replaying journal:%04d of dead node %ld failed (error %d); run fsck.ocfs2",
			  d->slot, d->node, ret);
	return ret;
}

/*
 * Under the superblock lock, @d's journal lock held and its journal
 * replayed: take the allocators, mark the journal clean and free the
 * slot (see the top).  Stock takes the allocators whatever the journal
 * says: the next node to take the slot trusts a clean journal to mean
 * empty allocators.  *@r gets what the finish must do, also after an
 * error once bits were taken; the slot stays taken then, for the next
 * scan.
 */
static int take_dead(struct super_block *sb, struct ocfs2_dead_slot *d,
		     struct ocfs2_recovered **r)
{
	struct ocfs2_recovered *rec;
	int ret;

	*r = NULL;
	rec = kzalloc(sizeof(*rec), GFP_NOFS);
	if (!rec)
		return -ENOMEM;
	rec->node = d->node;
	rec->slot = d->slot;
	rec->dirty = d->dirty;
	ret = ocfs2_take_slot_allocs(OCFS2_SB(sb), d->slot, &rec->allocs);
	if (!ret && d->dirty)
		ret = ocfs2_journal_mark_recovered_held(d->journal);
	if (!ret) {
		ocfs2_slot_clear(sb, d->slot, d->node);
		rec->freed = true;
	}
	if (rec->allocs || rec->freed)
		*r = rec;
	else
		kfree(rec);
	return ret;
}

/* One dead slot, its journal lock held for this call only. */
static int recover_dead(struct super_block *sb, struct ocfs2_dead_slot *d,
			enum ocfs2_gather how, struct list_head *found)
{
	struct ocfs2_recovered *r = NULL;
	int ret;

	ret = replay_dead(sb, d);
	if (!ret && how == GATHER_TAKE)
		ret = take_dead(sb, d, &r);
	else if (!ret && how == GATHER_READONLY)
		ocfs2_info(sb, "slot %d of node %ld %s; a read-write mount finishes its recovery",
			   d->slot, d->node,
			   d->dirty ? "replayed" : "has a clean journal");
	if (r)
		list_add_tail(&r->list, found);
	if (ret)
		ocfs2_err(sb, "recovering slot %d (node %ld) failed (error %d); the next mount or node-down event tries again",
			  d->slot, d->node, ret);
	unlock_dead_journal(d);
	return ret;
}

/*
 * Recover every other slot whose node is gone; the finish's share goes
 * on @found (GATHER_TAKE).  Stops at the first error.
 */
static int gather_dead(struct super_block *sb, enum ocfs2_gather how,
		       struct list_head *found)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_dead_slot d;
	long *nodes;
	int i, ret;

	nodes = kcalloc(osb->max_slots, sizeof(*nodes), GFP_NOFS);
	if (!nodes)
		return -ENOMEM;
	ret = ocfs2_slot_nodes(sb, nodes);
	for (i = 0; !ret && i < osb->max_slots; i++) {
		if (i == osb->slot || nodes[i] < 0)
			continue;
		d.journal = lock_dead_journal(sb, i, &ret);
		if (!d.journal)
			continue;
		d.slot = i;
		d.node = nodes[i];
		d.dirty = false;
		ret = recover_dead(sb, &d, how, found);
	}
	kfree(nodes);
	return ret;
}

/* This task recovers: the meta locks it takes must not wait for it. */
static void osb_recovery_enter(struct ocfs2_sb_info *osb)
{
	WRITE_ONCE(osb->recovery_task, current);
}

static void osb_recovery_leave(struct ocfs2_sb_info *osb)
{
	WRITE_ONCE(osb->recovery_task, NULL);
}

/*
 * At mount, under the superblock lock, after our slot is claimed and its
 * journal lock taken: replay every dead node's journal before any other
 * metadata is read.
 */
int ocfs2_slot_recovery_replay(struct super_block *sb)
{
	int ret;

	osb_recovery_enter(OCFS2_SB(sb));
	ret = gather_dead(sb, GATHER_REPLAY, NULL);
	osb_recovery_leave(OCFS2_SB(sb));
	return ret;
}

/*
 * Newly granted meta locks may read again: every dead slot found by the
 * scan that began at event @seen is replayed, and no node died since.
 */
static void release_waiters(struct ocfs2_sb_info *osb, u32 seen)
{
	spin_lock(&osb->recovery_lock);
	if (osb->recovery_events == seen)
		osb->recovering = false;
	spin_unlock(&osb->recovery_lock);
	wake_up_all(&osb->recovery_wq);
}

/* The finish stage gets the slots the scan recovered. */
static void hand_over(struct ocfs2_sb_info *osb, struct list_head *found)
{
	if (list_empty(found))
		return;
	spin_lock(&osb->recovery_lock);
	list_splice_tail_init(found, &osb->recovery_done);
	spin_unlock(&osb->recovery_lock);
	queue_work(system_unbound_wq, &osb->recovery_finish_work);
}

/* The scan: recover every dead slot under the superblock lock. */
static int scan_dead_slots(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	enum ocfs2_gather how;
	LIST_HEAD(found);
	int ret = 0;
	u32 seen;

	mutex_lock(&osb->recovery_mutex);
	spin_lock(&osb->recovery_lock);
	seen = osb->recovery_events;
	spin_unlock(&osb->recovery_lock);
	osb_recovery_enter(osb);
	if (!READ_ONCE(osb->recovery_ready))
		goto out;	/* stopped */
	ret = ocfs2_lock(&osb->super_lock, OCFS2_LOCK_EX, 0);
	if (ret)
		goto out;
	how = osb->journal ? GATHER_TAKE : GATHER_READONLY;
	ret = gather_dead(sb, how, &found);
	ocfs2_unlock(&osb->super_lock, OCFS2_LOCK_EX);
	hand_over(osb, &found);
out:
	release_waiters(osb, seen);
	osb_recovery_leave(osb);
	mutex_unlock(&osb->recovery_mutex);
	if (ret)
		ocfs2_err(sb, "recovering dead nodes' slots failed (error %d); the next mount or node-down event tries again",
			  ret);
	return ret;
}

static void recovery_work(struct work_struct *work)
{
	struct ocfs2_sb_info *osb =
		container_of(work, struct ocfs2_sb_info, recovery_work);

	scan_dead_slots(osb->sb);
}

/* The oldest slot handed to the finish stage, or NULL. */
static struct ocfs2_recovered *next_recovered(struct ocfs2_sb_info *osb)
{
	struct ocfs2_recovered *r;

	spin_lock(&osb->recovery_lock);
	r = list_first_entry_or_null(&osb->recovery_done,
				     struct ocfs2_recovered, list);
	if (r)
		list_del(&r->list);
	spin_unlock(&osb->recovery_lock);
	return r;
}

/* Needs our journal and the locks of what it frees, like any file op. */
static void finish_recovered(struct super_block *sb, struct ocfs2_recovered *r)
{
	struct inode *odir;

	ocfs2_give_back_slot_allocs(OCFS2_SB(sb), r->allocs);
	if (!r->freed)
		return;
	odir = ocfs2_get_system_inode(sb, ORPHAN_DIR_SYSTEM_INODE, r->slot);
	if (IS_ERR(odir)) {
		ocfs2_err(sb, "slot %d (node %ld): orphan directory not found (error %ld); the orphan scan deletes what it holds",
			  r->slot, r->node, PTR_ERR(odir));
	} else {
		ocfs2_recover_orphans_in(sb, odir);
		iput(odir);
	}
	ocfs2_info(sb, "slot %d of node %ld recovered%s", r->slot, r->node,
		   r->dirty ? "" : " (its journal was clean)");
}

static void recovery_finish_work(struct work_struct *work)
{
	struct ocfs2_sb_info *osb = container_of(work, struct ocfs2_sb_info,
						 recovery_finish_work);
	struct ocfs2_recovered *r;

	while ((r = next_recovered(osb))) {
		finish_recovered(osb->sb, r);
		kfree(r);
	}
}

void ocfs2_slot_recovery_init(struct ocfs2_sb_info *osb)
{
	spin_lock_init(&osb->recovery_lock);
	mutex_init(&osb->recovery_mutex);
	init_waitqueue_head(&osb->recovery_wq);
	INIT_WORK(&osb->recovery_work, recovery_work);
	INIT_WORK(&osb->recovery_finish_work, recovery_finish_work);
	INIT_LIST_HEAD(&osb->recovery_done);
	osb->recovery_ready = false;
	osb->recovering = false;
	osb->recovery_task = NULL;
}

/*
 * The mount is complete (our journal open, our own orphans done): recover
 * the dead slots the replay found, then node-down events queue scans.
 * The mount waits for the finish stage, so it returns with them done.
 */
int ocfs2_slot_recovery_start(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	int ret;

	if (osb->locks.local)
		return 0;
	/* events from now on queue a scan; earlier ones are covered by this */
	spin_lock(&osb->recovery_lock);
	osb->recovery_ready = true;
	spin_unlock(&osb->recovery_lock);
	ret = scan_dead_slots(sb);
	flush_work(&osb->recovery_finish_work);
	return ret;
}

/*
 * Must not block.  From now until the scan has replayed every dead slot,
 * newly granted meta locks wait.  False: the mount is not complete yet
 * (its own scan covers the event).
 */
static bool queue_scan(struct ocfs2_sb_info *osb)
{
	bool ready;

	spin_lock(&osb->recovery_lock);
	ready = osb->recovery_ready;
	if (ready) {
		osb->recovery_events++;
		osb->recovering = true;
		queue_work(system_unbound_wq, &osb->recovery_work);
	}
	spin_unlock(&osb->recovery_lock);
	return ready;
}

/* From the stack's node-down callback: a node died. */
void ocfs2_slot_recovery_queue(struct ocfs2_sb_info *osb, int node)
{
	bool ready = queue_scan(osb);

	ocfs2_info(osb->sb, "node %d left the cluster; %s", node,
		   ready ? "recovering its slot" :
		   "its slot is checked when our mount completes");
}

/*
 * From the stack, for a node that left without a failure report (must not
 * block).  Almost always a clean unmount, which emptied its slot first,
 * so the scan finds nothing and nothing is logged; but a node killed and
 * back before its failure was seen looks the same, so fresh grants wait
 * for the scan as after a death, and a slot it finds is recovered (and
 * logged) as usual.
 */
void ocfs2_slot_recovery_check(struct ocfs2_sb_info *osb, int node)
{
	queue_scan(osb);
}

/*
 * A meta lock was just granted to this node (it had none): if a node died
 * and its journal is not replayed yet, the block may still be rewritten
 * by the replay, so wait, as stock does, before reading it.  Only fresh
 * grants come here (the lock layer's refresh): a lock this node held
 * across the death covers nothing the dead node changed, so tasks
 * nesting locks they already hold never wait.  The scan needs only the
 * superblock lock and dead journals' locks, which file operations never
 * hold, so a waiter inside a transaction cannot stall it.  Nonzero: a
 * fatal signal ended the wait.
 */
int ocfs2_slot_recovery_wait(struct ocfs2_sb_info *osb)
{
	if (osb->locks.local || READ_ONCE(osb->recovery_task) == current)
		return 0;
	/*
	 * Killable (stock waits uninterruptibly): a recovery stalled by
	 * the cluster stack (a lockspace waiting for fencing or quorum)
	 * must not read as a hung task, and a waiter can still be killed.
	 */
	return wait_event_killable(osb->recovery_wq,
				   !READ_ONCE(osb->recovering));
}

/* Unmount or remount read-only, before the journal closes. */
void ocfs2_slot_recovery_stop(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	spin_lock(&osb->recovery_lock);
	osb->recovery_ready = false;
	osb->recovering = false;
	spin_unlock(&osb->recovery_lock);
	wake_up_all(&osb->recovery_wq);
	cancel_work_sync(&osb->recovery_work);
	/* the bits taken are freed while the journal is still open */
	flush_work(&osb->recovery_finish_work);
}
