// SPDX-License-Identifier: GPL-2.0
/*
 * Recovering the slots of nodes that died while mounted (cluster mounts).
 *
 * A live node holds its slot's journal lock exclusive for its whole
 * mount, so a node whose trylock of that lock succeeds knows the slot's
 * owner is gone.  Recovery runs in two stages, as stock's does:
 *
 * The scan, under the superblock lock (exclusive, which serialises the
 * survivors): take each dead slot's journal lock and replay the journal
 * if it is DIRTY and its log is not empty.  Then the superblock lock
 * goes and file operations go on: until now, a meta lock newly granted
 * here waited (see ocfs2_slot_recovery_wait), so as not to read a block
 * the replay rewrites.  The scan needs nothing but the superblock lock
 * and the dead journals' locks, which no file operation holds, so a task
 * waiting for it inside a transaction or under other locks cannot stall
 * it.
 *
 * The finish, on its own work item with the dead journals' locks still
 * held (other survivors' trylocks fail, so they leave the slot to us):
 * give the slot's local alloc window and truncate log back to the global
 * bitmap, delete its orphans, checkpoint our journal so the disk shows
 * all that, and mark its journal clean (a new recovery generation, as
 * stock); then, with the journal lock let go, free the
 * slot in the map under the superblock lock.  This needs our journal and
 * other locks, like any file operation; a later scan never waits for it.
 * The journal is marked clean last: the replay emptied the log, so if
 * this node dies part-way, the next recoverer replays nothing and redoes
 * the (repeatable) allocator and orphan steps.
 *
 * At mount the dead slots' logs are replayed while the mount holds the
 * superblock lock, before this node reads any other metadata; the rest
 * runs when the mount is complete.  A node going down later (the stack's
 * node-down callback) queues the scan.
 *
 * A read-only mount (no journal of its own) scans and replays as well,
 * as stock's soft read-only mounts do: its reads must not see blocks the
 * dead node's log still rewrites, and no read-write node may be left to
 * replay.  It cannot finish (that needs a journal), so it lets the
 * journal locks go at once; the slot stays taken with its journal DIRTY
 * and its log empty, and the next read-write scan or mount finishes it.
 * Only a device that is itself read-only refuses a dirty dead slot.
 */
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "ocfs2.h"

struct ocfs2_dead_slot {
	struct inode	*journal;	/* meta lock held EX; NULL: unused */
	long		node;
	int		slot;
	bool		dirty;		/* its node died mounted: finish it */
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

static void unlock_dead_journal(struct ocfs2_dead_slot *d)
{
	ocfs2_unlock(&OCFS2_I(d->journal)->meta_lock, OCFS2_LOCK_EX);
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
 * Everything after the replay that needs the slot; needs our journal.
 * The allocators are returned whatever the journal says, as stock does:
 * the next node to take the slot trusts a clean journal to mean empty
 * allocators.
 *
 * That node (stock's mount) reads the slot's local alloc and truncate
 * log from disk without taking their cluster locks: the journal lock
 * makes the slot its own.  Our changes to them sit in our journal until
 * a checkpoint, so the checkpoint comes before the journal is marked
 * clean and its lock is let go; otherwise the next owner finds the old
 * window (stock refuses the mount: "clean journal with unrecovered
 * local alloc") or frees the old log's runs a second time.
 */
static int finish_dead(struct super_block *sb, struct ocfs2_dead_slot *d)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *odir;
	int ret;

	ret = ocfs2_recover_slot_allocs(osb, d->slot);
	if (ret)
		return ret;
	odir = ocfs2_get_system_inode(sb, ORPHAN_DIR_SYSTEM_INODE, d->slot);
	if (IS_ERR(odir))
		return PTR_ERR(odir);
	ocfs2_recover_orphans_in(sb, odir);
	iput(odir);
	ocfs2_checkpoint_wait(osb, ocfs2_checkpoint_seq(osb));
	if (!d->dirty)
		return 0;
	return ocfs2_journal_mark_recovered_held(d->journal);
}

/*
 * The journal lock is gone: free the slot under the superblock lock.
 * Never the other way round: stock's recovery takes the superblock lock
 * first and then waits for the journal lock.  A survivor that takes the
 * journal lock meanwhile finds it clean with a new recovery generation
 * and leaves it (stock), or frees the slot itself (ours); clearing is
 * done only while the map still names the dead node.
 */
static void free_dead_slot(struct super_block *sb,
			   const struct ocfs2_dead_slot *d)
{
	int ret;

	ret = ocfs2_lock(&OCFS2_SB(sb)->super_lock, OCFS2_LOCK_EX, 0);
	if (ret) {
		ocfs2_err(sb, "slot %d (node %ld) recovered, but the superblock lock failed (error %d); the next mount or node-down event frees it",
			  d->slot, d->node, ret);
		return;
	}
	ocfs2_slot_clear(sb, d->slot, d->node);
	ocfs2_unlock(&OCFS2_SB(sb)->super_lock, OCFS2_LOCK_EX);
	ocfs2_info(sb, "slot %d of node %ld recovered%s", d->slot, d->node,
		   d->dirty ? "" : " (its journal was clean)");
}

/* This node's finish stage holds @slot's journal lock already. */
static bool slot_finishing(struct ocfs2_sb_info *osb, int slot)
{
	bool busy;

	if (!osb->recovery_slots)
		return false;
	spin_lock(&osb->recovery_lock);
	busy = !!osb->recovery_slots[slot].journal;
	spin_unlock(&osb->recovery_lock);
	return busy;
}

/*
 * Lock and replay every other slot whose node is gone; *dead gets them,
 * their journal locks still held.  Stops at the first error; a slot
 * whose replay failed is let go (a later scan tries it again).
 */
static int gather_dead(struct super_block *sb, struct ocfs2_dead_slot *dead,
		       int *count)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_dead_slot *d;
	long *nodes;
	int i, ret;

	*count = 0;
	nodes = kcalloc(osb->max_slots, sizeof(*nodes), GFP_NOFS);
	if (!nodes)
		return -ENOMEM;
	ret = ocfs2_slot_nodes(sb, nodes);
	for (i = 0; !ret && i < osb->max_slots; i++) {
		if (i == osb->slot || nodes[i] < 0 || slot_finishing(osb, i))
			continue;
		d = &dead[*count];
		d->journal = lock_dead_journal(sb, i, &ret);
		if (!d->journal)
			continue;
		d->slot = i;
		d->node = nodes[i];
		d->dirty = false;
		ret = replay_dead(sb, d);
		if (ret)
			unlock_dead_journal(d);
		else
			(*count)++;
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

static struct ocfs2_dead_slot *alloc_dead(struct ocfs2_sb_info *osb)
{
	return kcalloc(osb->max_slots, sizeof(struct ocfs2_dead_slot),
		       GFP_NOFS);
}

/*
 * At mount, under the superblock lock, after our slot is claimed and its
 * journal lock taken: replay every dead node's journal before any other
 * metadata is read.
 */
int ocfs2_slot_recovery_replay(struct super_block *sb)
{
	struct ocfs2_dead_slot *dead = alloc_dead(OCFS2_SB(sb));
	int i, count, ret;

	if (!dead)
		return -ENOMEM;
	osb_recovery_enter(OCFS2_SB(sb));
	ret = gather_dead(sb, dead, &count);
	osb_recovery_leave(OCFS2_SB(sb));
	for (i = 0; i < count; i++)
		unlock_dead_journal(&dead[i]);
	kfree(dead);
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

/*
 * The finish stage owns the slots (and journal locks) the scan found.
 * Without a journal (read-only) the replay is all this node can do.
 */
static void hand_over(struct ocfs2_sb_info *osb, struct ocfs2_dead_slot *dead,
		      int count)
{
	int i;

	if (!osb->journal) {
		for (i = 0; i < count; i++) {
			ocfs2_info(osb->sb, "slot %d of node %ld %s; a read-write mount finishes its recovery",
				   dead[i].slot, dead[i].node,
				   dead[i].dirty ? "replayed" :
				   "has a clean journal");
			unlock_dead_journal(&dead[i]);
		}
		return;
	}
	spin_lock(&osb->recovery_lock);
	for (i = 0; i < count; i++)
		osb->recovery_slots[dead[i].slot] = dead[i];
	spin_unlock(&osb->recovery_lock);
	if (count)
		queue_work(system_unbound_wq, &osb->recovery_finish_work);
}

/* The scan: replay every dead slot under the superblock lock. */
static int scan_dead_slots(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_dead_slot *dead = NULL;
	int count = 0, ret = 0;
	u32 seen;

	mutex_lock(&osb->recovery_mutex);
	spin_lock(&osb->recovery_lock);
	seen = osb->recovery_events;
	spin_unlock(&osb->recovery_lock);
	osb_recovery_enter(osb);
	if (!osb->recovery_slots)
		goto out;	/* stopped */
	dead = alloc_dead(osb);
	ret = dead ? ocfs2_lock(&osb->super_lock, OCFS2_LOCK_EX, 0) : -ENOMEM;
	if (ret)
		goto out;
	ret = gather_dead(sb, dead, &count);
	ocfs2_unlock(&osb->super_lock, OCFS2_LOCK_EX);
	hand_over(osb, dead, count);
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

	scan_dead_slots(osb->sb);
}

/* The next slot handed to the finish stage, copied to @d; false: none. */
static bool next_finishing(struct ocfs2_sb_info *osb,
			   struct ocfs2_dead_slot *d)
{
	int i;

	spin_lock(&osb->recovery_lock);
	for (i = 0; i < osb->max_slots; i++) {
		if (osb->recovery_slots[i].journal) {
			*d = osb->recovery_slots[i];
			break;
		}
	}
	spin_unlock(&osb->recovery_lock);
	return i < osb->max_slots;
}

/* Unlock @d's journal and give its slot back to the scan. */
static void finished(struct ocfs2_sb_info *osb, struct ocfs2_dead_slot *d)
{
	int slot = d->slot;

	unlock_dead_journal(d);
	spin_lock(&osb->recovery_lock);
	osb->recovery_slots[slot].journal = NULL;
	spin_unlock(&osb->recovery_lock);
}

static void recovery_finish_work(struct work_struct *work)
{
	struct ocfs2_sb_info *osb = container_of(work, struct ocfs2_sb_info,
						 recovery_finish_work);
	struct ocfs2_dead_slot d;
	int ret;

	while (next_finishing(osb, &d)) {
		ret = finish_dead(osb->sb, &d);
		if (ret)
			ocfs2_err(osb->sb, "finishing the recovery of slot %d (node %ld) failed (error %d); the next mount or node-down event tries again",
				  d.slot, d.node, ret);
		finished(osb, &d);
		if (!ret)
			free_dead_slot(osb->sb, &d);
	}
}

void ocfs2_slot_recovery_init(struct ocfs2_sb_info *osb)
{
	spin_lock_init(&osb->recovery_lock);
	mutex_init(&osb->recovery_mutex);
	init_waitqueue_head(&osb->recovery_wq);
	INIT_WORK(&osb->recovery_work, recovery_work);
	INIT_WORK(&osb->recovery_finish_work, recovery_finish_work);
	osb->recovery_ready = false;
	osb->recovering = false;
	osb->recovery_task = NULL;
	osb->recovery_slots = NULL;
}

/*
 * The mount is complete (our journal open, our own orphans done): recover
 * the dead slots the replay found, then node-down events queue scans.
 * The mount waits for the finish stage, so it returns with them free.
 */
int ocfs2_slot_recovery_start(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_dead_slot *slots;
	int ret;

	if (osb->locks.local)
		return 0;
	slots = osb->recovery_slots ? NULL : alloc_dead(osb);
	/* events from now on queue a scan; earlier ones are covered by this */
	spin_lock(&osb->recovery_lock);
	if (!osb->recovery_slots)
		osb->recovery_slots = slots;
	osb->recovery_ready = true;
	spin_unlock(&osb->recovery_lock);
	if (!osb->recovery_slots) {
		ocfs2_err(sb, "no memory to recover dead nodes' slots");
		return -ENOMEM;
	}
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

/* The finish stage's slots not yet finished: their journals go. */
static void drop_finishing(struct ocfs2_sb_info *osb)
{
	struct ocfs2_dead_slot d;

	if (!osb->recovery_slots)
		return;
	while (next_finishing(osb, &d))
		finished(osb, &d);
	kfree(osb->recovery_slots);
	osb->recovery_slots = NULL;
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
	cancel_work_sync(&osb->recovery_finish_work);
	drop_finishing(osb);
}
