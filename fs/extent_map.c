// SPDX-License-Identifier: GPL-2.0
/*
 * Extent tree lookups: from a logical cluster of a file (or of a directory
 * index, keyed by hash) to the leaf record that maps it.  Every extent
 * block on the way is validated, and the tree depth must fall by one at
 * each level, so a damaged tree cannot send the walk in circles.
 */
#include "ocfs2.h"

/* Index of the record with the largest start <= @cpos, or 0. */
static int floor_index(const struct ocfs2_extent_list *el, u32 cpos)
{
	int i;

	for (i = le16_to_cpu(el->l_next_free_rec) - 1; i > 0; i--)
		if (le32_to_cpu(el->l_recs[i].e_cpos) <= cpos)
			return i;
	return 0;
}

static int descend(struct inode *inode, const struct ocfs2_extent_list *el,
		   u32 cpos, struct buffer_head **bhp)
{
	struct super_block *sb = inode->i_sb;
	u64 owner = OCFS2_I(inode)->blkno;
	u16 depth = le16_to_cpu(el->l_tree_depth);
	const struct ocfs2_extent_list *child;
	struct ocfs2_extent_block *eb;
	u64 blkno;
	int ret;

	if (!el->l_next_free_rec)
		return ocfs2_fs_error(sb, __func__,
				      "inode %llu: empty interior extent list",
				      (unsigned long long)owner);
	blkno = le64_to_cpu(el->l_recs[floor_index(el, cpos)].e_blkno);
	ret = ocfs2_read_covered(inode, blkno, OCFS2_BLOCK_EXTENT, bhp);
	if (ret)
		return ret;
	eb = (struct ocfs2_extent_block *)(*bhp)->b_data;
	child = &eb->h_list;
	if (le16_to_cpu(child->l_tree_depth) + 1 != depth) {
		brelse(*bhp);
		*bhp = NULL;
		return ocfs2_fs_error(sb, __func__,
				      "inode %llu: extent block %llu has depth %u under depth %u",
				      (unsigned long long)owner,
				      (unsigned long long)blkno,
				      le16_to_cpu(child->l_tree_depth), depth);
	}
	return 0;
}

static void leaf_floor(const struct ocfs2_extent_list *el, u32 cpos,
		       struct ocfs2_leaf_floor *floor)
{
	int i, used = le16_to_cpu(el->l_next_free_rec);

	memset(&floor->rec, 0, sizeof(floor->rec));
	floor->next_cpos = U32_MAX;
	for (i = 0; i < used; i++) {
		const struct ocfs2_extent_rec *rec = &el->l_recs[i];

		/* a zero-length first record is legal: nothing to map */
		if (!rec->e_leaf_clusters)
			continue;
		if (le32_to_cpu(rec->e_cpos) > cpos) {
			floor->next_cpos = le32_to_cpu(rec->e_cpos);
			return;
		}
		floor->rec = *rec;
	}
}

int ocfs2_find_leaf_floor(struct inode *owner,
			  const struct ocfs2_extent_list *root, u32 cpos,
			  struct ocfs2_leaf_floor *floor)
{
	const struct ocfs2_extent_list *el = root;
	struct buffer_head *bh = NULL, *child;
	u32 limit = U32_MAX;
	int i, ret;

	while (el->l_tree_depth) {
		/*
		 * A hole past the last record of the leaf below ends where
		 * the next subtree begins, not at the end of the file.
		 */
		i = floor_index(el, cpos);
		if (i + 1 < le16_to_cpu(el->l_next_free_rec))
			limit = min(limit, le32_to_cpu(el->l_recs[i + 1].e_cpos));
		ret = descend(owner, el, cpos, &child);
		if (ret)
			goto out;
		brelse(bh);
		bh = child;
		el = &((struct ocfs2_extent_block *)bh->b_data)->h_list;
	}
	leaf_floor(el, cpos, floor);
	floor->next_cpos = min(floor->next_cpos, limit);
	ret = 0;
out:
	brelse(bh);
	return ret;
}

/* The data blocks a record maps must lie inside the volume. */
static int check_rec_range(struct inode *inode,
			   const struct ocfs2_extent_rec *rec)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	u64 start = le64_to_cpu(rec->e_blkno);
	u64 len = (u64)le16_to_cpu(rec->e_leaf_clusters) << osb->bpc_bits;

	if (ocfs2_blkno_valid(osb, start) &&
	    start + len <= osb->total_blocks)
		return 0;
	return ocfs2_fs_error(inode->i_sb, __func__,
			      "inode %lu: extent at cluster %u maps blocks %llu+%llu outside the volume",
			      inode->i_ino, le32_to_cpu(rec->e_cpos),
			      (unsigned long long)start,
			      (unsigned long long)len);
}

static int map_floor(struct inode *inode, u64 iblock,
		     const struct ocfs2_leaf_floor *floor,
		     struct ocfs2_extent_hit *hit)
{
	unsigned int bpc_bits = OCFS2_SB(inode->i_sb)->bpc_bits;
	u32 start = le32_to_cpu(floor->rec.e_cpos);
	u32 len = le16_to_cpu(floor->rec.e_leaf_clusters);
	u64 first = (u64)start << bpc_bits;
	u64 end = (u64)(start + (u64)len) << bpc_bits;
	int ret;

	memset(hit, 0, sizeof(*hit));
	if (len && iblock >= first && iblock < end) {
		ret = check_rec_range(inode, &floor->rec);
		if (ret)
			return ret;
		hit->phys = le64_to_cpu(floor->rec.e_blkno) + (iblock - first);
		hit->blocks = end - iblock;
		hit->unwritten = floor->rec.e_flags & OCFS2_EXT_UNWRITTEN;
		return 0;
	}
	/* a hole, up to the next record */
	hit->blocks = (((u64)floor->next_cpos) << bpc_bits) - iblock;
	return 0;
}

int ocfs2_map_in_list(struct inode *inode,
		      const struct ocfs2_extent_list *root, u64 iblock,
		      struct ocfs2_extent_hit *hit)
{
	struct ocfs2_leaf_floor floor;
	int ret;

	if (iblock >> OCFS2_SB(inode->i_sb)->bpc_bits > U32_MAX)
		return -EFBIG;
	ret = ocfs2_find_leaf_floor(inode, root,
				    iblock >> OCFS2_SB(inode->i_sb)->bpc_bits,
				    &floor);
	if (ret)
		return ret;
	return map_floor(inode, iblock, &floor, hit);
}

/* @nowait: -EAGAIN instead of waiting while the tree is being changed */
static int find_extent(struct inode *inode, u64 iblock,
		       struct ocfs2_extent_hit *hit, bool nowait)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct super_block *sb = inode->i_sb;
	struct buffer_head *bh;
	struct ocfs2_dinode *di;
	int ret;

	ret = ocfs2_read_covered(inode, oi->blkno, OCFS2_BLOCK_DINODE, &bh);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_DATA_FL) {
		ret = ocfs2_fs_error(sb, __func__,
				     "inode %lu: extent lookup on inline data",
				     inode->i_ino);
		goto out;
	}
	if (!nowait) {
		down_read(&oi->alloc_sem);
	} else if (!down_read_trylock(&oi->alloc_sem)) {
		ret = -EAGAIN;
		goto out;
	}
	ret = ocfs2_map_in_list(inode, &di->id2.i_list, iblock, hit);
	up_read(&oi->alloc_sem);
out:
	brelse(bh);
	return ret;
}

int ocfs2_extent_lookup(struct inode *inode, u64 iblock,
			struct ocfs2_extent_hit *hit)
{
	return find_extent(inode, iblock, hit, false);
}

int ocfs2_extent_lookup_nowait(struct inode *inode, u64 iblock,
			       struct ocfs2_extent_hit *hit)
{
	return find_extent(inode, iblock, hit, true);
}
