// SPDX-License-Identifier: GPL-2.0
/*
 * The slot's allocators for a read-write mount.  Clusters come straight
 * from the global bitmap; the slot's local alloc window and truncate log
 * stay empty, as a clean unmount by any module leaves them.  A volume
 * whose window or log still holds clusters was not shut down cleanly and
 * needs the recovery this module does not do yet, so it is refused.
 */
#include "ocfs2.h"

static int check_local_alloc(struct super_block *sb, int slot)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	struct inode *inode;
	int ret;

	inode = ocfs2_get_system_inode(sb, LOCAL_ALLOC_SYSTEM_INODE, slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = ocfs2_inode_lock(inode, &bh, 0);
	if (ret)
		goto out;
	di = (struct ocfs2_dinode *)bh->b_data;
	if (di->id1.bitmap1.i_total || di->id1.bitmap1.i_used ||
	    di->id2.i_lab.la_bm_off) {
		ocfs2_err(sb, "local_alloc:%04d still holds a window of %u clusters (not unmounted cleanly); run fsck.ocfs2 or mount once with the stock module",
			  slot, le32_to_cpu(di->id1.bitmap1.i_total));
		ret = -EUCLEAN;
	}
	brelse(bh);
	ocfs2_inode_unlock(inode, 0);
out:
	iput(inode);
	return ret;
}

static int check_truncate_log(struct super_block *sb, int slot)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	struct inode *inode;
	int ret;

	inode = ocfs2_get_system_inode(sb, TRUNCATE_LOG_SYSTEM_INODE, slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = ocfs2_inode_lock(inode, &bh, 0);
	if (ret)
		goto out;
	di = (struct ocfs2_dinode *)bh->b_data;
	if (di->id2.i_dealloc.tl_used) {
		ocfs2_err(sb, "truncate_log:%04d still holds %u records (not unmounted cleanly); run fsck.ocfs2 or mount once with the stock module",
			  slot, le16_to_cpu(di->id2.i_dealloc.tl_used));
		ret = -EUCLEAN;
	}
	brelse(bh);
	ocfs2_inode_unlock(inode, 0);
out:
	iput(inode);
	return ret;
}

int ocfs2_alloc_open(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;
	int ret;

	mutex_init(&osb->bitmap_mutex);
	mutex_init(&osb->suballoc_mutex);
	ret = check_local_alloc(sb, osb->slot);
	if (!ret)
		ret = check_truncate_log(sb, osb->slot);
	if (ret)
		return ret;
	inode = ocfs2_get_system_inode(sb, EXTENT_ALLOC_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	osb->extent_alloc = inode;
	return 0;
}

void ocfs2_alloc_close(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	iput(osb->extent_alloc);
	osb->extent_alloc = NULL;
}
