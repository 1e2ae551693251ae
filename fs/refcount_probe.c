// SPDX-License-Identifier: GPL-2.0
/*
 * Before a truncate or a punch of a reflinked file changes anything (the
 * size, the page cache, the zeroed edges of a hole): whether the extent
 * allocator can give the blocks its steps will take.  A step that frees
 * shared clusters from inside a refcount record splits the record, and a
 * full refcount leaf then needs new blocks; a hole cut out of one extent
 * record puts its right piece in again, and a full extent leaf splits.
 * Each step claims its own blocks before it changes anything
 * (extent_remove.c), so a dry allocator stops it with -ENOSPC and no
 * journal abort, but by then the file may be cut part way.  So the steps
 * that need blocks are counted here and as many claimed, and given back,
 * in a transaction of their own: -ENOSPC from here leaves the file as it
 * was.  (Another writer may take the blocks in between: the steps' own
 * claims still stop the change cleanly then, part way.)
 */
#include "extent_tree.h"
#include "refcount.h"

/* no more blocks are counted: a probe of that many is proof enough */
#define OCFS2_PROBE_MAX		32

/* Blocks the release of shared physical clusters [@first, +@len) takes. */
static int shared_blocks(struct inode *inode, struct buffer_head *ibh,
			 u64 first, u32 len, unsigned int *blocks)
{
	struct ocfs2_rc_piece head, tail;
	int ret;

	/* only the pieces at either end may lie inside a record: a split */
	ret = ocfs2_rc_plan(inode, ibh, first, len, false, &head);
	if (ret)
		return ret;
	if (head.grows)
		*blocks += OCFS2_RC_NEW_BLOCKS;
	if (head.len == len)
		return 0;
	ret = ocfs2_rc_plan(inode, ibh, first, len, true, &tail);
	if (!ret && tail.grows)
		*blocks += OCFS2_RC_NEW_BLOCKS;
	return ret;
}

/* What removing [@cpos, @end) from the extent record @rec (holding @cpos) takes. */
static int record_blocks(struct inode *inode, struct buffer_head *ibh,
			 const struct ocfs2_extent_rec *rec, u32 cpos, u32 end,
			 unsigned int *blocks)
{
	unsigned int bpc_bits = OCFS2_SB(inode->i_sb)->bpc_bits;
	u32 start = le32_to_cpu(rec->e_cpos);
	u32 rend = start + le16_to_cpu(rec->e_leaf_clusters);
	u32 to = min(end, rend);
	unsigned int more;
	int ret;

	if (cpos > start && to < rend) {
		ret = ocfs2_rc_tree_blocks(inode, ibh, cpos, 1, &more);
		if (ret)
			return ret;
		*blocks += more;
	}
	if (!(rec->e_flags & OCFS2_EXT_REFCOUNTED))
		return 0;
	return shared_blocks(inode, ibh,
			     (le64_to_cpu(rec->e_blkno) >> bpc_bits) +
			     (cpos - start), to - cpos, blocks);
}

/* The blocks freeing clusters [@cpos, @end) of the file takes, at most. */
static int count_blocks(struct inode *inode, struct buffer_head *ibh,
			u32 cpos, u32 end, unsigned int *blocks)
{
	struct ocfs2_leaf_floor floor;
	u32 start, rend;
	int ret = 0;

	*blocks = 0;
	while (cpos < end && *blocks < OCFS2_PROBE_MAX) {
		down_read(&OCFS2_I(inode)->alloc_sem);
		ret = ocfs2_find_leaf_floor(inode, ocfs2_root_list(ibh), cpos,
					    &floor);
		up_read(&OCFS2_I(inode)->alloc_sem);
		if (ret)
			break;
		start = le32_to_cpu(floor.rec.e_cpos);
		rend = start + le16_to_cpu(floor.rec.e_leaf_clusters);
		if (!floor.rec.e_leaf_clusters || rend <= cpos) {
			/* a hole up to the next record */
			if (floor.next_cpos <= cpos)
				break;
			cpos = floor.next_cpos;
			continue;
		}
		ret = record_blocks(inode, ibh, &floor.rec, cpos, end, blocks);
		if (ret)
			break;
		cpos = rend;
	}
	return ret;
}

int ocfs2_rc_remove_probe(struct inode *inode, u32 first, u32 end)
{
	struct ocfs2_rc_held *held;
	struct buffer_head *ibh;
	unsigned int blocks = 0;
	int ret;

	/* checked again under the lock: the common file costs no lock */
	if (first >= end || ocfs2_inode_is_inline(inode) ||
	    !ocfs2_inode_is_refcounted(inode))
		return 0;
	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	if (!ocfs2_inode_is_refcounted(inode))
		goto out;
	/* the tree stays as counted while it is read */
	ret = ocfs2_rc_lock(inode, ibh, &held);
	if (ret)
		goto out;
	ret = count_blocks(inode, ibh, first, end, &blocks);
	ocfs2_rc_unlock(inode, held);
	if (!ret)
		ret = ocfs2_meta_probe(OCFS2_SB(inode->i_sb),
				       min(blocks, OCFS2_PROBE_MAX));
out:
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}
