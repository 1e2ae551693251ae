// SPDX-License-Identifier: GPL-2.0
/*
 * The slot's journal: the kernel's jbd2 over the journal:%04d system file,
 * and the transaction helpers every metadata change goes through.  While
 * a read-write mount is up, the journal inode carries the DIRTY flag, so
 * a crash leaves a journal that must be replayed.  Replay itself is not
 * done here yet: a volume whose journal needs it is refused at mount.
 */
#include "ocfs2.h"

static int check_journal_inode(struct inode *inode, int slot)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_inode_lock(inode, &bh, 0);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	if (!(le32_to_cpu(di->i_flags) & OCFS2_JOURNAL_FL)) {
		ret = ocfs2_fs_error(inode->i_sb, __func__,
				     "journal:%04d (inode %lu) lacks the journal flag",
				     slot, inode->i_ino);
	} else if (le32_to_cpu(di->id1.journal1.ij_flags) &
		   OCFS2_JOURNAL_DIRTY_FL) {
		ocfs2_err(inode->i_sb, "journal:%04d needs recovery, which this module cannot do yet; run fsck.ocfs2 or mount once with the stock module",
			  slot);
		ret = -EUCLEAN;
	}
	brelse(bh);
	ocfs2_inode_unlock(inode, 0);
	return ret;
}

int ocfs2_journal_check_clean(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;
	int ret;

	inode = ocfs2_get_system_inode(sb, JOURNAL_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = check_journal_inode(inode, osb->slot);
	iput(inode);
	return ret;
}

/*
 * The DIRTY flag is written straight to disk, outside any transaction:
 * it must be on disk before the first transaction and must stay until
 * the last one is checkpointed.
 */
static int set_journal_dirty(struct inode *inode, bool dirty)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	u32 flags;
	int ret;

	ret = ocfs2_inode_lock(inode, &bh, 1);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	lock_buffer(bh);
	flags = le32_to_cpu(di->id1.journal1.ij_flags);
	if (dirty)
		flags |= OCFS2_JOURNAL_DIRTY_FL;
	else
		flags &= ~OCFS2_JOURNAL_DIRTY_FL;
	di->id1.journal1.ij_flags = cpu_to_le32(flags);
	unlock_buffer(bh);
	mark_buffer_dirty(bh);
	ret = sync_dirty_buffer(bh);
	brelse(bh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

static int load_journal(struct ocfs2_sb_info *osb, struct inode *inode)
{
	journal_t *journal;
	int ret;

	/*
	 * jbd2 owns a reference (jbd2_journal_destroy drops it); ours stays
	 * for clearing the DIRTY flag afterwards.  Before 6.6 a failure is
	 * NULL, from 6.6 an ERR_PTR.
	 */
	ihold(inode);
	journal = jbd2_journal_init_inode(inode);
	if (IS_ERR_OR_NULL(journal)) {
		iput(inode);
		ocfs2_err(osb->sb, "cannot set up jbd2 on journal inode %lu",
			  inode->i_ino);
		return journal ? PTR_ERR(journal) : -EINVAL;
	}
	journal->j_private = osb;
	journal->j_commit_interval = osb->opts.commit_secs * HZ;
	if (!osb->opts.barrier)
		journal->j_flags &= ~JBD2_BARRIER;
	else
		journal->j_flags |= JBD2_BARRIER;
	ret = jbd2_journal_load(journal);
	if (ret) {
		ocfs2_err(osb->sb, "cannot load the journal (error %d)", ret);
		jbd2_journal_destroy(journal);
		return ret;
	}
	osb->journal = journal;
	return 0;
}

int ocfs2_journal_open(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;
	int ret;

	inode = ocfs2_get_system_inode(sb, JOURNAL_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = load_journal(osb, inode);
	if (ret)
		goto fail_load;
	ret = set_journal_dirty(inode, true);
	if (ret)
		goto fail_dirty;
	osb->journal_inode = inode;
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
	aborted = is_journal_aborted(osb->journal);
	if (jbd2_journal_destroy(osb->journal) || aborted)
		ocfs2_err(sb, "journal closed with errors; leaving it marked for recovery");
	else
		set_journal_dirty(osb->journal_inode, false);
	osb->journal = NULL;
	iput(osb->journal_inode);
	osb->journal_inode = NULL;
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

void ocfs2_journal_dirty(handle_t *handle, struct buffer_head *bh)
{
	int ret = jbd2_journal_dirty_metadata(handle, bh);

	if (ret)
		jbd2_journal_abort(handle->h_transaction->t_journal, ret);
}
