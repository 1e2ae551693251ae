// SPDX-License-Identifier: GPL-2.0
/*
 * fallocate: reserving clusters for a range of a file.  The holes of the
 * range get clusters mapped as unwritten extents (they read as zeros
 * until written) on volumes with the unwritten feature, else zeroed on
 * disk and mapped as written.  Punching holes and zeroing ranges are not
 * done yet.
 */
#include "extent_tree.h"
#include <linux/falloc.h>

/* One run of new clusters at @cpos, at most @count, in its own transaction. */
static int fill_step(struct inode *inode, u32 cpos, u32 count, u32 *done)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	u32 goal = ocfs2_alloc_goal(inode, cpos);
	bool unwritten = osb->ro_compat & OCFS2_FEATURE_RO_COMPAT_UNWRITTEN;
	struct buffer_head *ibh;
	struct ocfs2_run run;
	handle_t *handle;
	int ret;

	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 ocfs2_alloc_credits(ibh));
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		goto out;
	ret = ocfs2_claim_clusters(handle, osb, goal, min_t(u32, count, U16_MAX),
				   &run);
	if (ret)
		goto out_commit;
	if (!unwritten)
		ret = sb_issue_zeroout(inode->i_sb,
				       (sector_t)run.cluster << osb->bpc_bits,
				       (sector_t)run.count << osb->bpc_bits,
				       GFP_NOFS);
	if (!ret) {
		down_write(&OCFS2_I(inode)->alloc_sem);
		ret = ocfs2_insert_extent(handle, inode, ibh, cpos,
					  (u64)run.cluster << osb->bpc_bits,
					  run.count,
					  unwritten ? OCFS2_EXT_UNWRITTEN : 0);
		up_write(&OCFS2_I(inode)->alloc_sem);
	}
	if (ret)
		ret = ocfs2_free_clusters(handle, osb, run.cluster, run.count) ?: ret;
	inode->i_blocks = (u64)OCFS2_I(inode)->clusters << (osb->cluster_bits - 9);
	*done = run.count;
out_commit:
	ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
out:
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

/* Clusters [first, last] of @inode: allocate every hole. */
static int fill_holes(struct inode *inode, u32 first, u32 last)
{
	unsigned int bpc_bits = OCFS2_SB(inode->i_sb)->bpc_bits;
	struct ocfs2_extent_hit hit;
	u32 cpos = first, n, done;
	int ret;

	while (cpos <= last) {
		ret = ocfs2_extent_lookup(inode, (u64)cpos << bpc_bits, &hit);
		if (ret)
			return ret;
		n = min_t(u64, hit.blocks >> bpc_bits, (u64)last - cpos + 1);
		if (!n)
			return -EIO;
		if (!hit.phys) {
			ret = fill_step(inode, cpos, n, &done);
			if (ret)
				return ret;
			n = done;
		}
		cpos += n;
		cond_resched();
	}
	return 0;
}

static long fallocate_locked(struct inode *inode, int mode, loff_t offset,
			     loff_t len)
{
	unsigned int cbits = OCFS2_SB(inode->i_sb)->cluster_bits;
	loff_t end = offset + len, old = i_size_read(inode);
	int ret;

	ret = inode_newsize_ok(inode, end);
	if (ret)
		return ret;
	if (ocfs2_inode_is_inline(inode)) {
		ret = ocfs2_promote_inline(inode);
		if (ret)
			return ret;
	}
	if ((u64)(end - 1) >> cbits > U32_MAX - 1)
		return -EFBIG;
	/* a volume without sparse files has no holes: fill from the start */
	ret = fill_holes(inode, ocfs2_has_incompat(OCFS2_SB(inode->i_sb),
						   OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC) ?
			 offset >> cbits : 0, (end - 1) >> cbits);
	if (ret || (mode & FALLOC_FL_KEEP_SIZE) || end <= old)
		return ret;
	i_size_write(inode, end);
	return ocfs2_persist_inode(inode, old);
}

long ocfs2_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	long ret;

	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	if (!S_ISREG(inode->i_mode))
		return -ENODEV;
	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (!OCFS2_SB(inode->i_sb)->journal)
		return -EROFS;
	if (ocfs2_inode_is_refcounted(inode))
		return -EOPNOTSUPP;
	inode_lock(inode);
	ret = fallocate_locked(inode, mode, offset, len);
	inode_unlock(inode);
	return ret;
}
