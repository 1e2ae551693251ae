// SPDX-License-Identifier: GPL-2.0
/*
 * The slot's journal: the kernel's jbd2 over the journal:%04d system file,
 * and the transaction helpers every metadata change goes through.  While
 * a read-write mount is up, the journal inode carries the DIRTY flag, so
 * a crash leaves a journal that the next mount replays (jbd2 recovers it
 * while loading) before any other metadata is read.
 */
#include <linux/blkdev.h>
#include <ocfs2/blockcheck.h>
#include "ocfs2.h"

/*
 * The journal flags are written straight to disk, outside any transaction:
 * DIRTY must be on disk before the first transaction and must stay until
 * the last one is checkpointed.  A replay also bumps the recovery
 * generation, which tells other nodes the slot was recovered.
 */
static int set_journal_flags(struct super_block *sb, struct buffer_head *bh,
			     bool dirty, bool recovered)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;
	u32 flags;

	lock_buffer(bh);
	flags = le32_to_cpu(di->id1.journal1.ij_flags);
	if (dirty)
		flags |= OCFS2_JOURNAL_DIRTY_FL;
	else
		flags &= ~OCFS2_JOURNAL_DIRTY_FL;
	di->id1.journal1.ij_flags = cpu_to_le32(flags);
	if (recovered)
		le32_add_cpu(&di->id1.journal1.ij_recovery_generation, 1);
	if (ocfs2_has_incompat(OCFS2_SB(sb), OCFS2_FEATURE_INCOMPAT_META_ECC))
		ocfs2_block_check_compute(bh->b_data, sb->s_blocksize,
					  &di->i_check);
	unlock_buffer(bh);
	mark_buffer_dirty(bh);
	return sync_dirty_buffer(bh);
}

static int write_journal_flags(struct inode *inode, bool dirty,
			       bool recovered)
{
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_inode_lock(inode, &bh, 1);
	if (ret)
		return ret;
	ret = set_journal_flags(inode->i_sb, bh, dirty, recovered);
	brelse(bh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

/*
 * jbd2 checks its superblock buffer once and marks it verified; a later
 * journal on the same buffer (after the replay at mount, or after a
 * remount read-only and back) would then skip its own set-up (6.1 leaves
 * the revoke record count at zero, and the first transaction divides by
 * it).  Make jbd2 look at the superblock again.
 */
static void forget_verified_super(struct inode *inode)
{
	struct ocfs2_extent_hit hit;
	struct buffer_head *bh;

	if (ocfs2_extent_lookup(inode, 0, &hit) || !hit.phys)
		return;
	bh = sb_find_get_block(inode->i_sb, hit.phys);
	if (!bh)
		return;
	clear_buffer_verified(bh);
	brelse(bh);
}

/*
 * Set jbd2 up on @inode and load it; jbd2 replays whatever a crash left
 * in the log while loading.
 */
static journal_t *load_journal(struct ocfs2_sb_info *osb, struct inode *inode)
{
	journal_t *journal;
	int ret;

	/*
	 * jbd2 owns a reference (jbd2_journal_destroy drops it); the
	 * caller's stays.  Before 6.6 a failure is NULL, from 6.6 an ERR_PTR.
	 */
	forget_verified_super(inode);
	ihold(inode);
	journal = jbd2_journal_init_inode(inode);
	if (IS_ERR_OR_NULL(journal)) {
		iput(inode);
		ocfs2_err(osb->sb, "cannot set up jbd2 on journal inode %lu",
			  inode->i_ino);
		return journal ? journal : ERR_PTR(-EINVAL);
	}
	journal->j_private = osb;
	/* data=ordered: new clusters' data is written before their extents */
	journal->j_submit_inode_data_buffers = ocfs2_submit_ordered_data;
	journal->j_finish_inode_data_buffers =
		jbd2_journal_finish_inode_data_buffers;
	journal->j_commit_interval = osb->opts.commit_secs * HZ;
	if (!osb->opts.barrier)
		journal->j_flags &= ~JBD2_BARRIER;
	else
		journal->j_flags |= JBD2_BARRIER;
	ret = jbd2_journal_load(journal);
	if (ret) {
		ocfs2_err(osb->sb, "cannot load the journal (error %d); run fsck.ocfs2",
			  ret);
		jbd2_journal_destroy(journal);
		return ERR_PTR(ret);
	}
	return journal;
}

/*
 * Another node wrote this journal since we may have cached its blocks
 * (we replayed the slot before, and a new owner used it since): jbd2
 * trusts an up-to-date buffer, so every cached clean copy is dropped
 * and read again from disk.
 */
static void forget_cached_log(struct inode *inode)
{
	u64 v, i, nblocks = i_size_read(inode) >> inode->i_blkbits;
	struct ocfs2_extent_hit hit;
	struct buffer_head *bh;

	for (v = 0; v < nblocks; v += hit.blocks) {
		if (ocfs2_extent_lookup(inode, v, &hit) || !hit.blocks)
			return;
		for (i = 0; hit.phys && i < hit.blocks; i++) {
			bh = sb_find_get_block(inode->i_sb, hit.phys + i);
			if (!bh)
				continue;
			lock_buffer(bh);
			if (!buffer_dirty(bh)) {
				clear_buffer_uptodate(bh);
				clear_buffer_verified(bh);
			}
			unlock_buffer(bh);
			brelse(bh);
		}
		cond_resched();
	}
}

/*
 * Whether @inode's log holds transactions: jbd2's superblock (the
 * journal's first block) names the first one in s_start, zero once the
 * log was replayed or checkpointed.  1: empty, 0: not, < 0: error.
 */
int ocfs2_journal_log_empty(struct inode *inode)
{
	journal_superblock_t *jsb;
	struct ocfs2_extent_hit hit;
	struct buffer_head *bh;
	int ret;

	forget_cached_log(inode);
	ret = ocfs2_extent_lookup(inode, 0, &hit);
	if (ret)
		return ret;
	if (!hit.phys)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "journal inode %lu has no first block",
				      inode->i_ino);
	bh = sb_bread(inode->i_sb, hit.phys);
	if (!bh)
		return -EIO;
	jsb = (journal_superblock_t *)bh->b_data;
	if (jsb->s_header.h_magic != cpu_to_be32(JBD2_MAGIC_NUMBER))
		ret = ocfs2_fs_error(inode->i_sb, __func__,
				     "journal inode %lu: no jbd2 superblock",
				     inode->i_ino);
	else
		ret = jsb->s_start == 0;
	brelse(bh);
	return ret;
}

/*
 * Replay @slot's journal (ours at mount, or a dead node's), write every
 * replayed block home and leave the log empty, so a second replay of the
 * same journal finds nothing to do.
 */
int ocfs2_journal_replay(struct ocfs2_sb_info *osb, struct inode *inode,
			 int slot)
{
	journal_t *journal;
	int ret, ret2;

	forget_cached_log(inode);
	journal = load_journal(osb, inode);
	if (IS_ERR(journal))
		return PTR_ERR(journal);
	ret = jbd2_journal_errno(journal);
	if (ret) {
		ocfs2_err(osb->sb, "journal:%04d recorded an abort (error %d) before the crash; run fsck.ocfs2",
			  slot, ret);
		jbd2_journal_clear_err(journal);
	}
	jbd2_journal_lock_updates(journal);
	ret2 = jbd2_journal_flush(journal, 0);
	jbd2_journal_unlock_updates(journal);
	if (!ret2)
		ret2 = jbd2_journal_destroy(journal);
	else
		jbd2_journal_destroy(journal);
	return ret2;
}

/* The slot is recovered: clean, and its recovery generation moves on. */
int ocfs2_journal_mark_recovered(struct inode *inode)
{
	return write_journal_flags(inode, false, true);
}

/*
 * The same for a dead node's journal whose lock the recovery scan holds
 * EX already: the journal inode's block is read from disk (the lock
 * makes that copy current) and written straight back, with no second
 * request for the lock (one once queued behind a stock node waiting for
 * it, which waited for us: pcmk's 6.1 run 20261127-040906, hung task).
 */
int ocfs2_journal_mark_recovered_held(struct inode *inode)
{
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_read_meta(inode->i_sb, OCFS2_I(inode)->blkno,
			      OCFS2_BLOCK_DINODE, &bh);
	if (ret)
		return ret;
	ret = set_journal_flags(inode->i_sb, bh, false, true);
	brelse(bh);
	return ret;
}

/* The journal inode's DIRTY flag, read under its lock (held by the caller). */
int ocfs2_journal_dirty_flag(struct inode *inode)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_inode_lock(inode, &bh, 0);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	if (!(le32_to_cpu(di->i_flags) & OCFS2_JOURNAL_FL))
		ret = ocfs2_fs_error(inode->i_sb, __func__,
				     "journal inode %lu lacks the journal flag",
				     inode->i_ino);
	else
		ret = !!(le32_to_cpu(di->id1.journal1.ij_flags) &
			 OCFS2_JOURNAL_DIRTY_FL);
	brelse(bh);
	ocfs2_inode_unlock(inode, 0);
	return ret;
}

/*
 * At mount, before any other metadata is read: a journal left DIRTY by a
 * crash is replayed (also for read-only mounts, as stock does, unless the
 * device itself is read-only).  Returns 1 when it replayed, so the mount
 * goes on to recover the slot's orphans.
 */
int ocfs2_journal_recover(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;
	int ret;

	inode = ocfs2_get_system_inode(sb, JOURNAL_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = ocfs2_journal_dirty_flag(inode);
	if (ret <= 0)
		goto out;
	if (bdev_read_only(sb->s_bdev)) {
		ocfs2_err(sb, "journal:%04d needs recovery but the device is read-only; make it writable and mount again",
			  osb->slot);
		ret = -EROFS;
		goto out;
	}
	ocfs2_info(sb, "journal:%04d was not closed cleanly; replaying it",
		   osb->slot);
	ret = ocfs2_journal_replay(osb, inode, osb->slot);
	if (!ret)
		ret = ocfs2_journal_mark_recovered(inode);
	if (ret) {
		ocfs2_err(sb, "replaying journal:%04d failed (error %d); run fsck.ocfs2",
			  osb->slot, ret);
		goto out;
	}
	ocfs2_info(sb, "journal:%04d replayed", osb->slot);
	ret = 1;
out:
	iput(inode);
	return ret;
}

/*
 * Inodes cached when the journal opens (system files read before it,
 * every inode at a remount read-write) hold tids of no journal or of the
 * last one: they start at the new journal's newest transaction.
 */
static void restart_tids(struct super_block *sb)
{
	struct inode *inode;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		ocfs2_inode_tids_init(inode);
	spin_unlock(&sb->s_inode_list_lock);
}

int ocfs2_journal_open(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;
	int ret;

	inode = ocfs2_get_system_inode(sb, JOURNAL_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	osb->journal = load_journal(osb, inode);
	if (IS_ERR(osb->journal)) {
		ret = PTR_ERR(osb->journal);
		osb->journal = NULL;
		goto fail_load;
	}
	ret = write_journal_flags(inode, true, false);
	if (ret)
		goto fail_dirty;
	osb->journal_inode = inode;
	restart_tids(sb);
	return 0;

fail_dirty:
	jbd2_journal_destroy(osb->journal);
	osb->journal = NULL;
fail_load:
	iput(inode);
	return ret;
}

/* Checkpoint everything, then mark the journal clean. */
void ocfs2_journal_close(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	bool aborted;

	if (!osb->journal)
		return;
	mutex_lock(&osb->ckpt_mutex);
	aborted = is_journal_aborted(osb->journal);
	if (jbd2_journal_destroy(osb->journal) || aborted)
		ocfs2_err(sb, "journal closed with errors; leaving it marked for recovery");
	else
		write_journal_flags(osb->journal_inode, false, false);
	osb->journal = NULL;
	mutex_unlock(&osb->ckpt_mutex);
	wake_up_all(&osb->ckpt_wait);
	iput(osb->journal_inode);
	osb->journal_inode = NULL;
}

/*
 * Checkpoints for other nodes.  Another node reads what we changed from
 * disk once it has the lock, so before a meta lock held exclusive goes
 * down, everything journaled under it must be written home.  A full
 * jbd2 flush needs new handles held off for its whole length; the
 * downconvert thread must never do that itself (a task holding a handle
 * may wait for a lock only that thread can give up), so it asks this
 * work item, which holds no cluster lock, and comes back when it is done.
 *
 * ckpt_done counts completed checkpoints (from 1).  It moves only while
 * updates are locked, when no handle is open: a change made before a
 * checkpoint starts is covered by it, one made later sees the new count.
 * So an object whose last change saw count N is home once the count
 * passes N.
 */
static void checkpoint_work(struct work_struct *work)
{
	struct ocfs2_sb_info *osb = container_of(work, struct ocfs2_sb_info,
						 ckpt_work);
	journal_t *journal;
	int ret = 0;

	mutex_lock(&osb->ckpt_mutex);
	journal = osb->journal;
	if (journal) {
		jbd2_journal_lock_updates(journal);
		ret = jbd2_journal_flush(journal, 0);
		atomic64_inc(&osb->ckpt_done);
		jbd2_journal_unlock_updates(journal);
	}
	mutex_unlock(&osb->ckpt_mutex);
	if (ret)
		ocfs2_err(osb->sb, "checkpointing the journal failed (error %d); other nodes may read old metadata",
			  ret);
	wake_up_all(&osb->ckpt_wait);
	ocfs2_lock_domain_retry(&osb->locks);
}

int ocfs2_checkpoint_init(struct ocfs2_sb_info *osb)
{
	mutex_init(&osb->ckpt_mutex);
	init_waitqueue_head(&osb->ckpt_wait);
	atomic64_set(&osb->ckpt_done, 1);
	INIT_WORK(&osb->ckpt_work, checkpoint_work);
	osb->ckpt_queue = alloc_ordered_workqueue("ocfs2ckpt-%s",
						  WQ_MEM_RECLAIM,
						  osb->sb->s_id);
	return osb->ckpt_queue ? 0 : -ENOMEM;
}

/* After the lock domain is gone: nothing can ask for a checkpoint. */
void ocfs2_checkpoint_exit(struct ocfs2_sb_info *osb)
{
	if (!osb->ckpt_queue)
		return;
	destroy_workqueue(osb->ckpt_queue);
	osb->ckpt_queue = NULL;
}

u64 ocfs2_checkpoint_seq(struct ocfs2_sb_info *osb)
{
	return atomic64_read(&osb->ckpt_done);
}

bool ocfs2_checkpointed(struct ocfs2_sb_info *osb, u64 need)
{
	return !READ_ONCE(osb->journal) ||
	       atomic64_read(&osb->ckpt_done) > need;
}

void ocfs2_checkpoint_kick(struct ocfs2_sb_info *osb)
{
	if (osb->ckpt_queue)
		queue_work(osb->ckpt_queue, &osb->ckpt_work);
}

/* Never with a handle open or from the downconvert thread. */
void ocfs2_checkpoint_wait(struct ocfs2_sb_info *osb, u64 need)
{
	if (ocfs2_checkpointed(osb, need))
		return;
	ocfs2_checkpoint_kick(osb);
	wait_event(osb->ckpt_wait, ocfs2_checkpointed(osb, need));
}

int ocfs2_journal_sync(struct super_block *sb, int wait)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	if (!osb->journal)
		return 0;
	if (!wait) {
		jbd2_journal_start_commit(osb->journal, NULL);
		return 0;
	}
	return jbd2_journal_force_commit(osb->journal);
}

/*
 * On by default (as stock).  Off: every fsync forces a commit and flushes
 * the device after it, one flush more than stock whenever the commit sent
 * one itself.
 */
static bool fsync_commit_flush = true;
module_param(fsync_commit_flush, bool, 0644);
MODULE_PARM_DESC(fsync_commit_flush,
		 "fsync flushes the device only when the commit it waits for sends no flush (as stock)");

/*
 * Stock's per-inode commit tids.  On by default (as stock): fdatasync of
 * a regular file waits only for the last transaction that changed what
 * its data needs (its inode block other than the times, its extent
 * tree), so an overwrite in place followed by fdatasync commits no
 * transaction holding only the new times.  Off: every fsync waits for
 * the running transaction.  The tids are kept whether on or not.
 */
static bool datasync_tid = true;
module_param(datasync_tid, bool, 0644);
MODULE_PARM_DESC(datasync_tid,
		 "fdatasync skips a commit of times only, as stock (default on)");

/*
 * On: a full fsync of a regular file waits only for the last transaction
 * that changed the file (its sync tid: any change of its inode block,
 * times and xattrs included, or of its extent tree), as stock, not for
 * the running one when that holds only other files' changes.  Off (the
 * default until it has run through the crash chains): the newest.
 */
static bool sync_tid;
module_param(sync_tid, bool, 0644);
MODULE_PARM_DESC(sync_tid,
		 "fsync of a regular file skips a commit of other files' changes, as stock (default off)");

/*
 * The newest transaction a change may be in: the running one, else the
 * one committing, else the last committed.
 */
static tid_t newest_tid(journal_t *journal)
{
	tid_t tid;

	read_lock(&journal->j_state_lock);
	if (journal->j_running_transaction)
		tid = journal->j_running_transaction->t_tid;
	else if (journal->j_committing_transaction)
		tid = journal->j_committing_transaction->t_tid;
	else
		tid = journal->j_commit_sequence;
	read_unlock(&journal->j_state_lock);
	return tid;
}

/*
 * A new in-memory inode: whatever changed it before (while it was not
 * cached, or its creation) is in the newest transaction at the latest.
 */
void ocfs2_inode_tids_init(struct inode *inode)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	journal_t *journal = OCFS2_SB(inode->i_sb)->journal;
	tid_t tid = journal ? newest_tid(journal) : 0;

	oi->sync_tid = tid;
	oi->datasync_tid = tid;
}

/* handles of two transactions may note out of order: keep the newest */
static void raise_tid(tid_t *slot, tid_t tid)
{
	tid_t old = READ_ONCE(*slot), seen;

	while (tid_gt(tid, old)) {
		seen = cmpxchg(slot, old, tid);
		if (seen == old)
			break;
		old = seen;
	}
}

/* @handle changed @inode; @data: something its data needs, not times */
void ocfs2_note_trans(handle_t *handle, struct inode *inode, bool data)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	transaction_t *t = handle->h_transaction;

	if (!t)
		return;
	raise_tid(&oi->sync_tid, t->t_tid);
	if (data)
		raise_tid(&oi->datasync_tid, t->t_tid);
}

/*
 * An inode block was changed: if its inode is cached, the change counts
 * for fdatasync.  Every change of an inode block goes through here
 * except the times-only one (ocfs2_journal_dirty_times), so nothing a
 * file's data needs is missed; an inode not cached gets the newest tid
 * when it is read again.  Freed in-memory inodes wait for RCU.
 */
static void note_inode_block(handle_t *handle, struct buffer_head *bh)
{
	const struct ocfs2_dinode *di = (const void *)bh->b_data;
	struct ocfs2_sb_info *osb;
	struct inode *inode;

	if (!handle->h_transaction ||
	    memcmp(di->i_signature, OCFS2_INODE_SIGNATURE,
		   sizeof(OCFS2_INODE_SIGNATURE) - 1) ||
	    le64_to_cpu(di->i_blkno) != bh->b_blocknr)
		return;
	osb = handle->h_transaction->t_journal->j_private;
	rcu_read_lock();
	inode = find_inode_by_ino_rcu(osb->sb, bh->b_blocknr);
	if (inode)
		ocfs2_note_trans(handle, inode, true);
	rcu_read_unlock();
}

/*
 * The transaction an fsync of @inode waits for: for a regular file, with
 * datasync_tid and fdatasync the last one that changed its data's
 * metadata, with sync_tid the last one that changed it at all; otherwise
 * (directories too) the newest.
 */
static tid_t fsync_tid(struct inode *inode, bool datasync)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	journal_t *journal = OCFS2_SB(inode->i_sb)->journal;

	if (S_ISREG(inode->i_mode)) {
		if (datasync && READ_ONCE(datasync_tid))
			return READ_ONCE(oi->datasync_tid);
		if (READ_ONCE(sync_tid))
			return READ_ONCE(oi->sync_tid);
	}
	return newest_tid(journal);
}

/*
 * fsync, once the file's data has been written and waited for: commit
 * what the journal holds for it, and make the data durable with one
 * cache flush.  With barriers jbd2 writes each commit record behind a
 * flush, so a commit that has not yet reached that point covers the data
 * written before it; only when none will (nothing to commit, or the
 * commit already past its flush: a data-only change) is the device
 * flushed here.
 */
int ocfs2_journal_fsync(struct inode *inode, bool datasync)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	journal_t *journal = osb->journal;
	bool flush;
	tid_t tid;
	int ret, err;

	if (!fsync_commit_flush) {
		ret = jbd2_journal_force_commit(journal);
		if (!ret && osb->opts.barrier)
			ret = blkdev_issue_flush(osb->sb->s_bdev);
		return ret;
	}
	tid = fsync_tid(inode, datasync);
	flush = osb->opts.barrier &&
		!jbd2_trans_will_send_data_barrier(journal, tid);
	ret = jbd2_complete_transaction(journal, tid);
	if (flush) {
		err = blkdev_issue_flush(osb->sb->s_bdev);
		if (!ret)
			ret = err;
	}
	return ret;
}

handle_t *ocfs2_start_trans(struct ocfs2_sb_info *osb, int credits)
{
	if (sb_rdonly(osb->sb) || !osb->journal)
		return ERR_PTR(-EROFS);
	return jbd2_journal_start(osb->journal, credits);
}

int ocfs2_commit_trans(handle_t *handle)
{
	return jbd2_journal_stop(handle);
}

int ocfs2_journal_access(handle_t *handle, struct buffer_head *bh)
{
	return jbd2_journal_get_write_access(handle, bh);
}

static void dirty_block(handle_t *handle, struct buffer_head *bh)
{
	int ret;

	if (!is_handle_aborted(handle))
		ocfs2_metaecc_on_dirty(handle->h_transaction->t_journal->j_private,
				       bh);
	ret = jbd2_journal_dirty_metadata(handle, bh);
	if (ret)
		jbd2_journal_abort(handle->h_transaction->t_journal, ret);
}

void ocfs2_journal_dirty(handle_t *handle, struct buffer_head *bh)
{
	dirty_block(handle, bh);
	note_inode_block(handle, bh);
}

/* @inode's block @bh, of which only the times changed in @handle */
void ocfs2_journal_dirty_times(handle_t *handle, struct buffer_head *bh,
			       struct inode *inode)
{
	dirty_block(handle, bh);
	ocfs2_note_trans(handle, inode, false);
}
