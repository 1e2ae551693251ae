// SPDX-License-Identifier: GPL-2.0
/*
 * FICLONE (remap_file_range) of a whole file into an empty file of the
 * same volume, the way cp --reflink=always asks: the source gets a
 * refcount tree if it has none, the destination joins it, and every
 * extent of the source is shared: flagged REFCOUNTED in the source (if
 * not yet), its clusters' count raised (by 2 when the source held them
 * alone, else by 1), and the same extent inserted into the destination.
 * One piece (one extent record x one refcount record or hole) per
 * transaction; the destination's size is written last.  Ranges, offsets,
 * a destination with data and dedupe are refused (-EOPNOTSUPP), as is
 * everything with ocfs2.refcount_writes=0.  On a cluster mount both
 * files' rw and meta locks are held at EX (other nodes' cached pages
 * written back and dropped) and the tree's lock 'T' around its changes.
 */
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include "extent_tree.h"
#include "refcount.h"

/*
 * FICLONE on cluster mounts, under the tree's cluster lock.  Set to 0,
 * it is refused there (EOPNOTSUPP) as in session 11.
 */
static bool cluster_reflink = true;
module_param(cluster_reflink, bool, 0644);
MODULE_PARM_DESC(cluster_reflink,
		 "FICLONE on cluster mounts, under the tree's cluster lock (default on; 0 refuses it)");

struct clone {
	struct inode		*src, *dst;
	struct buffer_head	*sbh, *dbh;
};

static int clone_in_trans(handle_t *handle, struct clone *c, u32 cpos,
			  u32 len, u64 phys, u8 flags, unsigned int blocks,
			  bool *changed)
{
	unsigned int bpc_bits = OCFS2_SB(c->src->i_sb)->bpc_bits;
	u64 blkno = phys << bpc_bits;
	int ret;

	/* -ENOSPC here changed nothing: no half-shared piece */
	ret = ocfs2_meta_claim_ahead(handle, OCFS2_SB(c->src->i_sb), blocks);
	if (ret)
		return ret;
	*changed = true;
	if (!(flags & OCFS2_EXT_REFCOUNTED))
		ret = ocfs2_rc_remap(handle, c->src, c->sbh, cpos, len, blkno,
				     flags | OCFS2_EXT_REFCOUNTED);
	if (!ret)
		ret = ocfs2_rc_change(handle, c->src, c->sbh, phys, len,
				      flags & OCFS2_EXT_REFCOUNTED ? 1 : 2,
				      false);
	if (!ret)
		ret = ocfs2_insert_extent(handle, c->dst, c->dbh, cpos, blkno,
					  len, flags | OCFS2_EXT_REFCOUNTED);
	return ret;
}

/* Share the piece at the start of [cpos, cpos + *len); *len gets its size. */
static int clone_piece(struct clone *c, u32 cpos, u32 *len, u64 phys,
		       u8 flags)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(c->src->i_sb);
	int sdepth = le16_to_cpu(ocfs2_root_list(c->sbh)->l_tree_depth);
	int ddepth = le16_to_cpu(ocfs2_root_list(c->dbh)->l_tree_depth);
	unsigned int blocks, more = 0;
	struct ocfs2_rc_piece piece;
	bool changed = false;
	handle_t *handle;
	int ret;

	ret = ocfs2_rc_plan_add(c->src, c->sbh, phys, *len,
				flags & OCFS2_EXT_REFCOUNTED ? 1 : 2, &piece);
	if (ret)
		return ret;
	/*
	 * Blocks for the insert, the reference, and the source's remap,
	 * which cuts its record (from @cpos on) only for a shorter piece.
	 */
	ret = ocfs2_rc_tree_blocks(c->dst, c->dbh, cpos, 1, &blocks);
	if (!ret && !(flags & OCFS2_EXT_REFCOUNTED) && piece.len < *len)
		ret = ocfs2_rc_tree_blocks(c->src, c->sbh, cpos, 1, &more);
	*len = piece.len;
	if (ret)
		return ret;
	blocks += more + (piece.grows ? OCFS2_RC_NEW_BLOCKS : 0);
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 2 * ocfs2_insert_credits(sdepth) +
					 ocfs2_insert_credits(ddepth) +
					 OCFS2_RC_CREDITS + 2 +
					 OCFS2_META_AHEAD_CREDITS);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	down_write(&OCFS2_I(c->src)->alloc_sem);
	down_write_nested(&OCFS2_I(c->dst)->alloc_sem, SINGLE_DEPTH_NESTING);
	ret = clone_in_trans(handle, c, cpos, *len, phys, flags, blocks,
			     &changed);
	up_write(&OCFS2_I(c->dst)->alloc_sem);
	up_write(&OCFS2_I(c->src)->alloc_sem);
	/* a half-shared piece must not reach the disk */
	if (ret && changed)
		jbd2_journal_abort(osb->journal, ret);
	ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
	return ret;
}

/* Every extent of the source, piece by piece. */
static int clone_extents(struct clone *c)
{
	unsigned int bpc_bits = OCFS2_SB(c->src->i_sb)->bpc_bits;
	struct ocfs2_leaf_floor floor;
	u32 cpos = 0, start, len, n;
	int ret;

	while (cpos < U32_MAX) {
		/* a page fault of the source may be changing its tree */
		down_read(&OCFS2_I(c->src)->alloc_sem);
		ret = ocfs2_find_leaf_floor(c->src, ocfs2_root_list(c->sbh),
					    cpos, &floor);
		up_read(&OCFS2_I(c->src)->alloc_sem);
		if (ret)
			return ret;
		start = le32_to_cpu(floor.rec.e_cpos);
		len = le16_to_cpu(floor.rec.e_leaf_clusters);
		if (!len || start + len <= cpos) {
			cpos = floor.next_cpos;
			continue;
		}
		n = start + len - cpos;
		ret = clone_piece(c, cpos, &n,
				  (le64_to_cpu(floor.rec.e_blkno) >> bpc_bits) +
				  (cpos - start), floor.rec.e_flags);
		if (ret)
			return ret;
		cpos += n;
		cond_resched();
	}
	return 0;
}

/* The tree: the source's (made if need be), joined by the destination. */
static int share_tree(struct clone *c)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(c->src->i_sb);
	handle_t *handle;
	int ret = 0;

	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_EXTENT, 8);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	if (!ocfs2_inode_is_refcounted(c->src))
		ret = ocfs2_rc_new_tree(handle, c->src, c->sbh);
	if (!ret)
		ret = ocfs2_rc_join(handle, c->dst, c->dbh, c->sbh);
	/* -ENOSPC: the new root's claim, the first thing a new tree does */
	if (ret && ret != -ENOSPC)
		jbd2_journal_abort(osb->journal, ret);
	ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_EXTENT);
	return ret;
}

static int clone_locked(struct clone *c)
{
	bool fresh = !ocfs2_inode_is_refcounted(c->src);
	loff_t size = i_size_read(c->src);
	struct ocfs2_rc_held *held;
	struct timespec64 a, m, now;
	int ret = 0;

	/*
	 * A new tree is named by no other inode: no node reaches it while
	 * the source's meta lock is ours, and its lock can only be named
	 * once it exists.
	 */
	if (fresh)
		ret = share_tree(c);
	if (!ret)
		ret = ocfs2_rc_lock(c->src, c->sbh, &held);
	if (ret)
		return ret;
	if (!fresh)
		ret = share_tree(c);
	if (!ret)
		ret = clone_extents(c);
	ocfs2_rc_unlock(c->src, held);
	if (ret)
		return ret;
	c->dst->i_blocks = (u64)OCFS2_I(c->dst)->clusters <<
		(OCFS2_SB(c->dst->i_sb)->cluster_bits - 9);
	kc_inode_get_times(c->dst, &a, &m, &now);
	ktime_get_coarse_real_ts64(&now);
	kc_inode_set_times(c->dst, a, now, now);
	i_size_write(c->dst, size);
	return ocfs2_persist_inode_locked(c->dst, c->dbh, 0);
}

/* Both rw locks, then both meta locks (each in block order), the clone. */
static int clone_files(struct inode *src, struct inode *dst)
{
	struct clone c = { src, dst };
	bool src_first = OCFS2_I(src)->blkno < OCFS2_I(dst)->blkno;
	struct inode *one = src_first ? src : dst, *two = src_first ? dst : src;
	struct buffer_head *b1, *b2;
	int ret;

	ret = ocfs2_lock(&OCFS2_I(one)->rw_lock, OCFS2_LOCK_EX, 0);
	if (ret)
		return ret;
	ret = ocfs2_lock(&OCFS2_I(two)->rw_lock, OCFS2_LOCK_EX, 0);
	if (ret)
		goto out_rw1;
	ret = ocfs2_inode_lock(one, &b1, 1);
	if (ret)
		goto out_rw2;
	ret = ocfs2_inode_lock(two, &b2, 1);
	if (ret)
		goto out;
	c.sbh = src_first ? b1 : b2;
	c.dbh = src_first ? b2 : b1;
	ret = -EOPNOTSUPP;
	if (ocfs2_inode_is_refcounted(dst) || OCFS2_I(dst)->clusters ||
	    i_size_read(dst) || ocfs2_inode_is_inline(dst))
		goto out2;
	ret = clone_locked(&c);
out2:
	brelse(b2);
	ocfs2_inode_unlock(two, 1);
out:
	brelse(b1);
	ocfs2_inode_unlock(one, 1);
out_rw2:
	ocfs2_unlock(&OCFS2_I(two)->rw_lock, OCFS2_LOCK_EX);
out_rw1:
	ocfs2_unlock(&OCFS2_I(one)->rw_lock, OCFS2_LOCK_EX);
	return ret;
}

/* What this module clones: a whole regular, non-inline file. */
static int clone_refused(struct inode *src, struct inode *dst, loff_t pos_in,
			 loff_t pos_out, loff_t len)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(src->i_sb);

	if (!ocfs2_refcount_writes() || !osb->journal ||
	    (!osb->locks.local && !READ_ONCE(cluster_reflink)) ||
	    !ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_REFCOUNT_TREE))
		return -EOPNOTSUPP;
	if (pos_in || pos_out || len != i_size_read(src) ||
	    i_size_read(dst) || ocfs2_inode_is_inline(src))
		return -EOPNOTSUPP;
	return 0;
}

loff_t ocfs2_remap_file_range(struct file *file_in, loff_t pos_in,
			      struct file *file_out, loff_t pos_out,
			      loff_t len, unsigned int remap_flags)
{
	struct inode *src = file_inode(file_in), *dst = file_inode(file_out);
	int ret;

	if (remap_flags & ~REMAP_FILE_CAN_SHORTEN)
		return -EOPNOTSUPP;
	if (!ocfs2_refcount_writes())
		return -EOPNOTSUPP;
	if (src == dst)
		return -EINVAL;
	lock_two_nondirectories(src, dst);
	ret = generic_remap_file_range_prep(file_in, pos_in, file_out, pos_out,
					    &len, remap_flags);
	if (ret || !len)
		goto out;
	ret = clone_refused(src, dst, pos_in, pos_out, len);
	if (!ret && ocfs2_inode_is_inline(dst))
		ret = ocfs2_promote_inline(dst);
	if (!ret)
		ret = filemap_write_and_wait(src->i_mapping);
	if (!ret)
		ret = clone_files(src, dst);
out:
	unlock_two_nondirectories(src, dst);
	return ret < 0 ? ret : len;
}
