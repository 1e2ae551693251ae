// SPDX-License-Identifier: GPL-2.0
/*
 * File size changes and freeing a file's data.  Shrinking frees the
 * clusters past the new size in steps and writes the size last on sparse
 * volumes (see shrink()).  Growing is only a new size: the volume is
 * sparse.
 */
#include <linux/pagemap.h>
#include "extent_tree.h"
#include "refcount.h"

/* Whether writing @inode to @di changes nothing but the times. */
static bool times_only(struct inode *inode, const struct ocfs2_dinode *di)
{
	return le64_to_cpu(di->i_size) == i_size_read(inode) &&
	       le16_to_cpu(di->i_mode) == inode->i_mode &&
	       le32_to_cpu(di->i_uid) == i_uid_read(inode) &&
	       le32_to_cpu(di->i_gid) == i_gid_read(inode);
}

/*
 * The inode's size and times, journaled; new bytes reach disk first.  The
 * caller holds the meta lock at EX and passes the inode block it got.
 * A change of the times alone does not count for fdatasync (journal.c).
 */
int ocfs2_persist_inode_locked(struct inode *inode, struct buffer_head *ibh,
			       loff_t old_size)
{
	loff_t size = i_size_read(inode);
	struct ocfs2_dinode *di;
	handle_t *handle;
	bool times;
	int ret, ret2;

	handle = ocfs2_start_trans(OCFS2_SB(inode->i_sb),
				   OCFS2_INODE_UPDATE_CREDITS);
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		return ret;
	ret = ocfs2_journal_access(handle, ibh);
	if (!ret && size > old_size && !ocfs2_inode_is_inline(inode))
		ret = ocfs2_order_data(handle, inode, old_size,
				       size - old_size);
	if (!ret) {
		di = (struct ocfs2_dinode *)ibh->b_data;
		times = times_only(inode, di);
		di->i_size = cpu_to_le64(size);
		ocfs2_inode_to_disk(inode, di);
		if (times)
			ocfs2_journal_dirty_times(handle, ibh, inode);
		else
			ocfs2_journal_dirty(handle, ibh);
	}
	ret2 = ocfs2_commit_trans(handle);
	return ret ? ret : ret2;
}

/* The same, taking the meta lock itself. */
int ocfs2_persist_inode(struct inode *inode, loff_t old_size)
{
	struct buffer_head *ibh;
	int ret;

	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	ret = ocfs2_persist_inode_locked(inode, ibh, old_size);
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

static int resize_inline(struct inode *inode, loff_t old, loff_t size)
{
	struct ocfs2_dinode *di;
	struct buffer_head *ibh;
	handle_t *handle;
	int ret;

	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	handle = ocfs2_start_trans(OCFS2_SB(inode->i_sb),
				   OCFS2_INODE_UPDATE_CREDITS);
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		goto out;
	ret = ocfs2_journal_access(handle, ibh);
	if (!ret) {
		di = (struct ocfs2_dinode *)ibh->b_data;
		/* bytes past the size read as zeros when it grows again */
		memset(di->id2.i_data.id_data + min(old, size), 0,
		       max(old, size) - min(old, size));
		truncate_setsize(inode, size);
		di->i_size = cpu_to_le64(size);
		ocfs2_inode_to_disk(inode, di);
		ocfs2_journal_dirty(handle, ibh);
	}
	ocfs2_commit_trans(handle);
out:
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

/* Zero on disk the written blocks of [first, end) (past the size). */
static int zero_written(struct inode *inode, u64 first, u64 end)
{
	struct ocfs2_extent_hit hit;
	int ret;

	while (first < end) {
		ret = ocfs2_extent_lookup(inode, first, &hit);
		if (ret)
			return ret;
		if (!hit.blocks)
			break;
		hit.blocks = min(hit.blocks, end - first);
		if (hit.phys && !hit.unwritten) {
			ret = sb_issue_zeroout(inode->i_sb, hit.phys,
					       hit.blocks, GFP_NOFS);
			if (ret)
				return ret;
		}
		first += hit.blocks;
		cond_resched();
	}
	return 0;
}

/*
 * Blocks past the new end inside its last cluster keep their clusters;
 * zero them on disk so a later size increase shows zeros there.
 */
static int zero_cluster_tail(struct inode *inode, loff_t size)
{
	u64 first = (size + i_blocksize(inode) - 1) >> inode->i_blkbits;

	return zero_written(inode, first,
			    round_up(first, 1ULL << OCFS2_SB(inode->i_sb)->bpc_bits));
}

/*
 * Before the size grows from @old to @size: the bytes in between must
 * read as zeros.  The block holding @old is zeroed past it in the page
 * cache; written blocks after it (clusters a crash left past the size,
 * or stock's preallocation) are zeroed on disk.
 */
int ocfs2_zero_past_eof(struct inode *inode, loff_t old, loff_t size)
{
	unsigned int bits = inode->i_blkbits;
	int ret;

	ret = block_truncate_page(inode->i_mapping, old,
				  ocfs2_get_block_write);
	if (ret)
		return ret;
	return zero_written(inode, (old + (1 << bits) - 1) >> bits,
			    (size + (1 << bits) - 1) >> bits);
}

/*
 * A file left with no clusters leaves its refcount tree, as stock's
 * truncate does (not while xattrs may still share clusters through it).
 */
static int leave_tree_if_empty(struct inode *inode, struct buffer_head *ibh)
{
	if (!ocfs2_inode_is_refcounted(inode) || OCFS2_I(inode)->clusters ||
	    (OCFS2_I(inode)->dyn_features & OCFS2_HAS_XATTR_FL))
		return 0;
	return ocfs2_rc_detach(inode, ibh);
}

/*
 * Which comes first decides what a crash between the two leaves, and
 * stock fsck's rule decides which is allowed: on a sparse volume clusters
 * past the size are an error (INODE_SPARSE_SIZE) and a size past the
 * clusters is a hole, so the clusters go first and the size last; without
 * the sparse feature the size must stay inside the clusters, so the size
 * goes first.  The page cache is cut to the new size before either.
 */
static int shrink(struct inode *inode, loff_t old, loff_t size)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	bool sparse = ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC);
	u32 keep = (size + (1LL << osb->cluster_bits) - 1) >> osb->cluster_bits;
	struct buffer_head *ibh;
	int ret;

	/* a dry allocator refuses the cut here, before anything changes */
	ret = ocfs2_rc_remove_probe(inode, keep, U32_MAX);
	if (!ret)
		ret = ocfs2_rc_cow_range(inode, size,
				((loff_t)keep << osb->cluster_bits) - size);
	if (ret)
		return ret;
	ret = block_truncate_page(inode->i_mapping, size,
				  ocfs2_get_block_write);
	if (ret)
		return ret;
	truncate_setsize(inode, size);
	ret = zero_cluster_tail(inode, size);
	if (!ret && !sparse)
		ret = ocfs2_persist_inode(inode, old);
	if (ret)
		return ret;
	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	ret = ocfs2_trim_extents(inode, ibh, keep);
	inode->i_blocks = (u64)OCFS2_I(inode)->clusters <<
		(osb->cluster_bits - 9);
	if (!ret && sparse)
		ret = ocfs2_persist_inode_locked(inode, ibh, old);
	if (!ret)
		ret = leave_tree_if_empty(inode, ibh);
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

static int grow(struct inode *inode, loff_t old, loff_t size)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	int ret;

	if (!ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC)) {
		ocfs2_err(inode->i_sb, "inode %lu: growing a file leaves a hole, which this volume (no sparse feature) cannot hold; not supported yet",
			  inode->i_ino);
		return -EOPNOTSUPP;
	}
	ret = ocfs2_rc_cow_range(inode, old, size - old);
	if (!ret)
		ret = ocfs2_zero_past_eof(inode, old, size);
	if (ret)
		return ret;
	truncate_setsize(inode, size);
	return ocfs2_persist_inode(inode, old);
}

/* setattr's size change; the VFS holds the inode's i_rwsem. */
int ocfs2_change_size(struct inode *inode, loff_t size)
{
	loff_t old = i_size_read(inode);
	struct buffer_head *ibh;
	bool fits;
	int ret;

	if (ocfs2_refcount_refused(inode))
		return -EOPNOTSUPP;
	if (ocfs2_inode_is_inline(inode)) {
		ret = ocfs2_inode_lock(inode, &ibh, 0);
		if (ret)
			return ret;
		fits = ocfs2_inline_fits(inode, ibh, size);
		brelse(ibh);
		ocfs2_inode_unlock(inode, 0);
		if (fits)
			return resize_inline(inode, old, size);
		ret = ocfs2_promote_inline(inode);
		if (ret)
			return ret;
	}
	if (size < old)
		return shrink(inode, old, size);
	return grow(inode, old, size);
}

/* At delete: every cluster and extent block goes back. */
int ocfs2_free_file_data(struct inode *inode, struct buffer_head *ibh)
{
	int ret;

	/* a directory's index first: its blocks name the directory's */
	if (OCFS2_I(inode)->dx_root) {
		ret = ocfs2_dx_free_index(inode, ibh);
		if (ret)
			return ret;
	}
	/* shared clusters: namei refuses this unless refcount writes are on */
	if (ocfs2_refcount_refused(inode))
		return -EOPNOTSUPP;
	/* inline files, fast symlinks and devices own no extent list */
	if (!ocfs2_inode_is_inline(inode) && OCFS2_I(inode)->clusters) {
		ret = ocfs2_trim_extents(inode, ibh, 0);
		if (ret)
			return ret;
	}
	return ocfs2_rc_detach(inode, ibh);
}
