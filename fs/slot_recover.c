// SPDX-License-Identifier: GPL-2.0
/*
 * Recovering the slots of nodes that died while mounted (cluster mounts).
 *
 * A live node holds its slot's journal lock exclusive for its whole
 * mount, so a node whose trylock of that lock succeeds knows the slot's
 * owner is gone.  Recovery, under the superblock lock (exclusive, which
 * serialises the survivors: the first finds the work, the others find
 * it done): replay each dead slot's journal if it is DIRTY; let file
 * operations go on (they waited so as not to read metadata the replay
 * rewrites); then give the slot's local alloc window and truncate log
 * back to the global bitmap, delete its orphans, mark its journal clean
 * (a new recovery generation, as stock) and free the slot in the map.
 *
 * The journal is marked clean last: the replay empties the log, so if
 * this node dies part-way, the next recoverer replays nothing and redoes
 * the (repeatable) allocator and orphan steps.
 *
 * At mount the dead slots' logs are replayed while the mount holds the
 * superblock lock, before this node reads any other metadata; the rest
 * runs when the mount is complete.  A node going down later (the stack's
 * node-down callback) queues the same scan on a work item.
 */
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "ocfs2.h"

struct dead_slot {
	struct inode	*journal;	/* meta lock held EX */
	long		node;
	int		slot;
	bool		replayed;
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
	*err = ocfs2_lock(&OCFS2_I(inode)->meta_lock, OCFS2_LOCK_EX,
			  OCFS2_LOCK_NOQUEUE);
	if (*err) {
		if (*err == -EAGAIN)	/* its node is alive */
			*err = 0;
		iput(inode);
		return NULL;
	}
	return inode;
}

static void unlock_dead_journal(struct dead_slot *d)
{
	ocfs2_unlock(&OCFS2_I(d->journal)->meta_lock, OCFS2_LOCK_EX);
	iput(d->journal);
	d->journal = NULL;
}

/* Replay @d's journal if its node died with it DIRTY. */
static int replay_dead(struct super_block *sb, struct dead_slot *d,
		       bool read_only)
{
	int ret, dirty;

	dirty = ocfs2_journal_dirty_flag(d->journal);
	if (dirty <= 0)
		return dirty;
	if (read_only) {
		ocfs2_err(sb, "cannot mount read-only: slot %d (node %ld) died with a dirty journal; mount read-write once to recover it",
			  d->slot, d->node);
		return -EROFS;
	}
	ocfs2_info(sb, "recovering slot %d of dead node %ld: replaying journal:%04d",
		   d->slot, d->node, d->slot);
	ret = ocfs2_journal_replay(OCFS2_SB(sb), d->journal, d->slot);
	if (ret) {
		ocfs2_err(sb, "replaying journal:%04d of dead node %ld failed (error %d); run fsck.ocfs2",
			  d->slot, d->node, ret);
		return ret;
	}
	d->replayed = true;
	return 0;
}

/* Everything after the replay; needs this mount's journal. */
static int finish_dead(struct super_block *sb, struct dead_slot *d)
{
	struct inode *odir;
	int ret;

	if (d->replayed) {
		ret = ocfs2_recover_slot_allocs(OCFS2_SB(sb), d->slot);
		if (ret)
			return ret;
		odir = ocfs2_get_system_inode(sb, ORPHAN_DIR_SYSTEM_INODE,
					      d->slot);
		if (IS_ERR(odir))
			return PTR_ERR(odir);
		ocfs2_recover_orphans_in(sb, odir);
		iput(odir);
		ret = ocfs2_journal_mark_recovered(d->journal);
		if (ret)
			return ret;
	}
	ocfs2_slot_clear(sb, d->slot, d->node);
	ocfs2_info(sb, "slot %d of node %ld recovered%s", d->slot, d->node,
		   d->replayed ? "" : " (its journal was clean)");
	return 0;
}

/*
 * Lock and replay every other slot whose node is gone; *dead gets them,
 * their journal locks still held.  Stops at the first error (the slots
 * gathered so far are returned too).
 */
static int gather_dead(struct super_block *sb, struct dead_slot *dead,
		       int *count, bool read_only)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct dead_slot *d;
	long *nodes;
	int i, ret;

	*count = 0;
	nodes = kcalloc(osb->max_slots, sizeof(*nodes), GFP_NOFS);
	if (!nodes)
		return -ENOMEM;
	ret = ocfs2_slot_nodes(sb, nodes);
	for (i = 0; !ret && i < osb->max_slots; i++) {
		if (i == osb->slot || nodes[i] < 0)
			continue;
		d = &dead[*count];
		d->journal = lock_dead_journal(sb, i, &ret);
		if (!d->journal)
			continue;
		d->slot = i;
		d->node = nodes[i];
		d->replayed = false;
		(*count)++;
		ret = replay_dead(sb, d, read_only);
	}
	kfree(nodes);
	return ret;
}

/* This task recovers: its inode locks must not wait for recovery. */
static void osb_recovery_enter(struct ocfs2_sb_info *osb)
{
	WRITE_ONCE(osb->recovery_task, current);
}

static void osb_recovery_leave(struct ocfs2_sb_info *osb)
{
	WRITE_ONCE(osb->recovery_task, NULL);
}

static struct dead_slot *alloc_dead(struct ocfs2_sb_info *osb)
{
	return kcalloc(osb->max_slots, sizeof(struct dead_slot), GFP_NOFS);
}

/*
 * At mount, under the superblock lock, after our slot is claimed and its
 * journal lock taken: replay every dead node's journal before any other
 * metadata is read.  A read-only mount refuses a slot that needs replay.
 */
int ocfs2_slot_recovery_replay(struct super_block *sb)
{
	struct dead_slot *dead = alloc_dead(OCFS2_SB(sb));
	int i, count, ret;

	if (!dead)
		return -ENOMEM;
	osb_recovery_enter(OCFS2_SB(sb));
	ret = gather_dead(sb, dead, &count, sb_rdonly(sb));
	osb_recovery_leave(OCFS2_SB(sb));
	for (i = 0; i < count; i++)
		unlock_dead_journal(&dead[i]);
	kfree(dead);
	return ret;
}

/*
 * File operations may read metadata again: every dead slot found by the
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

static void finish_all(struct super_block *sb, struct dead_slot *dead,
		       int count, int *ret)
{
	int i;

	for (i = 0; i < count; i++) {
		if (!*ret)
			*ret = finish_dead(sb, &dead[i]);
		unlock_dead_journal(&dead[i]);
	}
}

/* Take the superblock lock and recover every dead slot completely. */
static int recover_dead_slots(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct dead_slot *dead = NULL;
	int count = 0, ret = 0;
	u32 seen;

	mutex_lock(&osb->recovery_mutex);
	spin_lock(&osb->recovery_lock);
	seen = osb->recovery_events;
	spin_unlock(&osb->recovery_lock);
	osb_recovery_enter(osb);
	if (!osb->journal)	/* read-only: nothing to recover with */
		goto out;
	dead = alloc_dead(osb);
	ret = dead ? ocfs2_lock(&osb->super_lock, OCFS2_LOCK_EX, 0) : -ENOMEM;
	if (ret)
		goto out;
	ret = gather_dead(sb, dead, &count, false);
	release_waiters(osb, seen);
	finish_all(sb, dead, count, &ret);
	ocfs2_unlock(&osb->super_lock, OCFS2_LOCK_EX);
out:
	release_waiters(osb, seen);
	osb_recovery_leave(osb);
	mutex_unlock(&osb->recovery_mutex);
	kfree(dead);
	if (ret)
		ocfs2_err(sb, "recovering dead nodes' slots failed (error %d); the next mount or node-down event tries again",
			  ret);
	return ret;
}

static void recovery_work(struct work_struct *work)
{
	struct ocfs2_sb_info *osb =
		container_of(work, struct ocfs2_sb_info, recovery_work);

	recover_dead_slots(osb->sb);
}

void ocfs2_slot_recovery_init(struct ocfs2_sb_info *osb)
{
	spin_lock_init(&osb->recovery_lock);
	mutex_init(&osb->recovery_mutex);
	init_waitqueue_head(&osb->recovery_wq);
	INIT_WORK(&osb->recovery_work, recovery_work);
	osb->recovery_ready = false;
	osb->recovering = false;
	osb->recovery_task = NULL;
}

/*
 * The mount is complete (our journal open, our own orphans done): finish
 * the dead slots the replay found, then node-down events queue scans.
 */
int ocfs2_slot_recovery_start(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	if (osb->locks.local)
		return 0;
	/* events from now on queue a scan; earlier ones are covered by this */
	spin_lock(&osb->recovery_lock);
	osb->recovery_ready = true;
	spin_unlock(&osb->recovery_lock);
	return recover_dead_slots(sb);
}

/*
 * From the stack's node-down callback (must not block): from now until
 * the dead slot is replayed, file operations wait before taking locks.
 */
void ocfs2_slot_recovery_queue(struct ocfs2_sb_info *osb, int node)
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
	ocfs2_info(osb->sb, "node %d left the cluster; %s", node,
		   ready ? "recovering its slot" :
		   "its slot is checked when our mount completes");
}

/* Before an inode lock: wait while a dead node's journal awaits replay. */
void ocfs2_slot_recovery_wait(struct ocfs2_sb_info *osb)
{
	if (osb->locks.local || READ_ONCE(osb->recovery_task) == current)
		return;
	wait_event(osb->recovery_wq, !READ_ONCE(osb->recovering));
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
}
