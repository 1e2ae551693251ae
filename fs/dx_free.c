// SPDX-License-Identifier: GPL-2.0
/*
 * A deleted directory's index goes back before its blocks do.  Its leaf
 * clusters and extent blocks go first, from the right, a record per
 * transaction (extent_remove.c; an index of any depth); then the root
 * block goes to the extent allocator that handed it out and the inode
 * forgets the index, in one transaction.  The directory is empty by
 * then, so an index cut short by a crash between the steps loses no
 * name: the delete starts again from the orphan directory.
 */
#include "extent_tree.h"

static int read_root(struct inode *dir, struct buffer_head **bhp)
{
	struct ocfs2_dx_root_block *dr;
	int ret;

	ret = ocfs2_read_covered(dir, OCFS2_I(dir)->dx_root,
				 OCFS2_BLOCK_DX_ROOT, bhp);
	if (ret)
		return ret;
	dr = (struct ocfs2_dx_root_block *)(*bhp)->b_data;
	if (le64_to_cpu(dr->dr_dir_blkno) == OCFS2_I(dir)->blkno)
		return 0;
	brelse(*bhp);
	*bhp = NULL;
	return ocfs2_fs_error(dir->i_sb, __func__,
			      "directory %lu: index root %llu belongs to %llu",
			      dir->i_ino,
			      (unsigned long long)OCFS2_I(dir)->dx_root,
			      (unsigned long long)le64_to_cpu(dr->dr_dir_blkno));
}

static int free_in_trans(handle_t *handle, struct inode *dir,
			 struct buffer_head *ibh, struct buffer_head *root_bh)
{
	struct ocfs2_dx_root_block *dr =
		(struct ocfs2_dx_root_block *)root_bh->b_data;
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct ocfs2_inode_info *oi = OCFS2_I(dir);
	int ret;

	ret = ocfs2_journal_access(handle, ibh);
	if (!ret)
		ret = ocfs2_free_suballoc_block(handle, dir->i_sb,
						root_bh->b_blocknr,
						le16_to_cpu(dr->dr_suballoc_slot),
						le16_to_cpu(dr->dr_suballoc_bit),
						le64_to_cpu(dr->dr_suballoc_loc));
	if (ret)
		return ret;
	oi->dyn_features &= ~OCFS2_INDEXED_DIR_FL;
	oi->dx_root = 0;
	di->i_dyn_features = cpu_to_le16(oi->dyn_features);
	di->i_dx_root = 0;
	ocfs2_journal_dirty(handle, ibh);
	return 0;
}

/* The leaves and extent blocks of a root that is not inline. */
static int free_tree(struct inode *dir, struct buffer_head *root_bh)
{
	struct ocfs2_dx_root_block *dr =
		(struct ocfs2_dx_root_block *)root_bh->b_data;
	struct ocfs2_extent_root er;

	if (dr->dr_flags & OCFS2_DX_FLAG_INLINE)
		return 0;
	if (dr->dr_list.l_tree_depth && !ocfs2_deep_trees()) {
		ocfs2_err(dir->i_sb, "directory %lu: an index with extent blocks is freed only with ocfs2.deep_trees=1",
			  dir->i_ino);
		return -EOPNOTSUPP;
	}
	ocfs2_er_dx_root(&er, dir, root_bh);
	return ocfs2_er_free_tree(&er);
}

/* Called at delete with the directory's meta lock (exclusive) and @ibh. */
int ocfs2_dx_free_index(struct inode *dir, struct buffer_head *ibh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	struct buffer_head *root_bh;
	handle_t *handle;
	int ret;

	ret = read_root(dir, &root_bh);
	if (ret)
		return ret;
	ret = free_tree(dir, root_bh);
	if (ret)
		goto out;
	/* inode, root's allocator inode and group */
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_EXTENT, 4);
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		goto out;
	ret = free_in_trans(handle, dir, ibh, root_bh);
	/* half the index freed must not reach the disk */
	ret = ocfs2_commit_or_abort(osb, handle, OCFS2_AL_EXTENT, ret);
out:
	brelse(root_bh);
	return ret;
}
