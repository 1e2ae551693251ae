// SPDX-License-Identifier: GPL-2.0
/*
 * The slot's journal.  This stage only checks that it is clean: a volume
 * whose journal still needs replay is refused until replay over jbd2
 * lands here, because reading around an unreplayed journal would show
 * stale metadata.
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
