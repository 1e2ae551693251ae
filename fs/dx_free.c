// SPDX-License-Identifier: GPL-2.0
/*
 * A deleted directory's index goes back before its blocks do: the leaf
 * clusters to the global bitmap, the root block to the extent allocator
 * that handed it out, and the inode forgets the index, in one
 * transaction.  A crash before it leaves the directory in the orphan
 * directory with its index whole; after it, a plain block directory.
 * Roots whose extent list has interior blocks (stock makes those only
 * for indexes of hundreds of clusters) are refused with -EOPNOTSUPP.
 */
#include "ocfs2.h"

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

static int free_leaves(handle_t *handle, struct inode *dir,
		       const struct ocfs2_dx_root_block *dr)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	const struct ocfs2_extent_list *el = &dr->dr_list;
	unsigned int i;
	int ret;

	if (dr->dr_flags & OCFS2_DX_FLAG_INLINE)
		return 0;
	for (i = 0; i < le16_to_cpu(el->l_next_free_rec); i++) {
		const struct ocfs2_extent_rec *rec = &el->l_recs[i];
		u64 first = le64_to_cpu(rec->e_blkno) >> osb->bpc_bits;
		u32 n = le16_to_cpu(rec->e_leaf_clusters);

		if (!n)
			continue;
		if (first + n > osb->total_clusters)
			return ocfs2_fs_error(dir->i_sb, __func__,
					      "directory %lu: index leaves at cluster %llu lie outside the volume",
					      dir->i_ino,
					      (unsigned long long)first);
		ret = ocfs2_release_clusters(handle, osb, first, n);
		if (ret)
			return ret;
	}
	return 0;
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
		ret = free_leaves(handle, dir, dr);
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

/* Called at delete with the directory's meta lock (exclusive) and @ibh. */
int ocfs2_dx_free_index(struct inode *dir, struct buffer_head *ibh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	struct ocfs2_dx_root_block *dr;
	struct buffer_head *root_bh;
	handle_t *handle;
	int ret, ret2, credits;

	ret = read_root(dir, &root_bh);
	if (ret)
		return ret;
	dr = (struct ocfs2_dx_root_block *)root_bh->b_data;
	if (!(dr->dr_flags & OCFS2_DX_FLAG_INLINE) && dr->dr_list.l_tree_depth) {
		ocfs2_err(dir->i_sb, "directory %lu: an index with extent blocks is not freed yet",
			  dir->i_ino);
		ret = -EOPNOTSUPP;
		goto out;
	}
	/* inode, root's allocator and group, bitmap and a group per run */
	credits = 4 + 2 * ((dr->dr_flags & OCFS2_DX_FLAG_INLINE) ? 0 :
			   le16_to_cpu(dr->dr_list.l_next_free_rec));
	handle = ocfs2_start_free_trans(osb, OCFS2_AL_DATA, credits,
					(credits - 4) / 2);
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		goto out;
	ret = free_in_trans(handle, dir, ibh, root_bh);
	/* half the index freed must not reach the disk */
	if (ret)
		jbd2_journal_abort(osb->journal, ret);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
	if (!ret)
		ret = ret2;
out:
	brelse(root_bh);
	return ret;
}
