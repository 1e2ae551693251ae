// SPDX-License-Identifier: GPL-2.0
/*
 * Block suballocators (the per-slot inode_alloc and extent_alloc files):
 * chains of group descriptors, each a bitmap of blocks.  Claiming a bit
 * changes the group, its chain record and the allocator's used count in
 * one transaction, under osb->suballoc_mutex (the threads of this node)
 * and the allocator's meta lock (the nodes).  Growing an allocator with
 * a new group is not done yet: a full allocator gives -ENOSPC.
 */
#include "ocfs2.h"

/* A chain never holds more groups than the volume has clusters. */
static int read_group(struct inode *alloc, u64 blkno, struct buffer_head **bhp)
{
	struct ocfs2_group_desc *gd;
	int ret;

	ret = ocfs2_read_meta(alloc->i_sb, blkno, OCFS2_BLOCK_GROUP, bhp);
	if (ret)
		return ret;
	gd = (struct ocfs2_group_desc *)(*bhp)->b_data;
	if (le64_to_cpu(gd->bg_parent_dinode) == OCFS2_I(alloc)->blkno)
		return 0;
	brelse(*bhp);
	*bhp = NULL;
	return ocfs2_fs_error(alloc->i_sb, __func__,
			      "group %llu belongs to %llu, not allocator %lu",
			      (unsigned long long)blkno,
			      (unsigned long long)le64_to_cpu(gd->bg_parent_dinode),
			      alloc->i_ino);
}

/*
 * The block of @bit: contiguous groups start at the descriptor;
 * discontiguous ones map bits through their extents, and only their
 * members record the group (suballoc_loc), as stock does.
 */
static int bit_to_block(struct inode *alloc, const struct ocfs2_group_desc *gd,
			unsigned int bit, unsigned int bpc,
			struct ocfs2_claim *claim)
{
	u64 *blkno = &claim->blkno;

	unsigned int i, used = le16_to_cpu(gd->bg_list.l_next_free_rec);
	bool discontig = ocfs2_has_incompat(OCFS2_SB(alloc->i_sb),
					    OCFS2_FEATURE_INCOMPAT_DISCONTIG_BG);

	claim->loc = 0;
	if (!discontig || !used) {
		*blkno = le64_to_cpu(gd->bg_blkno) + bit;
		return 0;
	}
	for (i = 0; i < used && i < ocfs2_extent_recs_per_gd(alloc->i_sb->s_blocksize); i++) {
		const struct ocfs2_extent_rec *rec = &gd->bg_list.l_recs[i];
		u32 first = le32_to_cpu(rec->e_cpos) * bpc;
		u32 count = le16_to_cpu(rec->e_leaf_clusters) * bpc;

		if (bit >= first && bit < first + count) {
			*blkno = le64_to_cpu(rec->e_blkno) + (bit - first);
			claim->loc = le64_to_cpu(gd->bg_blkno);
			return 0;
		}
	}
	return ocfs2_fs_error(alloc->i_sb, __func__,
			      "group %llu: bit %u is in none of its extents",
			      (unsigned long long)le64_to_cpu(gd->bg_blkno), bit);
}

/* First group on chain @rec with a free bit, or NULL (no error). */
static int find_group(struct inode *alloc, const struct ocfs2_chain_rec *rec,
		      struct buffer_head **bhp)
{
	u64 blkno = le64_to_cpu(rec->c_blkno);
	u32 hops = OCFS2_SB(alloc->i_sb)->total_clusters;
	struct ocfs2_group_desc *gd;
	int ret;

	*bhp = NULL;
	while (blkno && hops--) {
		ret = read_group(alloc, blkno, bhp);
		if (ret)
			return ret;
		gd = (struct ocfs2_group_desc *)(*bhp)->b_data;
		if (gd->bg_free_bits_count)
			return 0;
		blkno = le64_to_cpu(gd->bg_next_group);
		brelse(*bhp);
		*bhp = NULL;
	}
	if (blkno)
		return ocfs2_fs_error(alloc->i_sb, __func__,
				      "allocator %lu: chain loops", alloc->i_ino);
	return 0;
}

static int take_bit(handle_t *handle, struct inode *alloc,
		    struct buffer_head *abh, struct buffer_head *gbh,
		    struct ocfs2_claim *claim)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)abh->b_data;
	struct ocfs2_group_desc *gd = (struct ocfs2_group_desc *)gbh->b_data;
	unsigned int bit, chain = le16_to_cpu(gd->bg_chain);
	int ret;

	bit = find_next_zero_bit_le(gd->bg_bitmap, le16_to_cpu(gd->bg_bits), 0);
	if (bit >= le16_to_cpu(gd->bg_bits) ||
	    chain >= le16_to_cpu(di->id2.i_chain.cl_next_free_rec))
		return ocfs2_fs_error(alloc->i_sb, __func__,
				      "group %llu: free count %u but no usable bit (chain %u)",
				      (unsigned long long)gbh->b_blocknr,
				      le16_to_cpu(gd->bg_free_bits_count), chain);
	ret = bit_to_block(alloc, gd, bit,
			   le16_to_cpu(di->id2.i_chain.cl_bpc), claim);
	if (ret)
		return ret;
	ret = ocfs2_journal_access(handle, abh);
	if (!ret)
		ret = ocfs2_journal_access(handle, gbh);
	if (ret)
		return ret;
	__set_bit_le(bit, gd->bg_bitmap);
	le16_add_cpu(&gd->bg_free_bits_count, -1);
	le32_add_cpu(&di->id2.i_chain.cl_recs[chain].c_free, -1);
	le32_add_cpu(&di->id1.bitmap1.i_used, 1);
	ocfs2_journal_dirty(handle, gbh);
	ocfs2_journal_dirty(handle, abh);
	claim->bit = bit;
	claim->group = gbh->b_blocknr;
	return 0;
}

int ocfs2_claim_bit(handle_t *handle, struct inode *alloc,
		    struct ocfs2_claim *claim)
{
	struct buffer_head *abh, *gbh = NULL;
	struct ocfs2_chain_list *cl;
	unsigned int i;
	int ret;

	mutex_lock(&OCFS2_SB(alloc->i_sb)->suballoc_mutex);
	ret = ocfs2_inode_lock(alloc, &abh, 1);
	if (ret)
		goto out;
	cl = &((struct ocfs2_dinode *)abh->b_data)->id2.i_chain;
	ret = -ENOSPC;
	for (i = 0; i < le16_to_cpu(cl->cl_next_free_rec); i++) {
		if (!cl->cl_recs[i].c_free)
			continue;
		ret = find_group(alloc, &cl->cl_recs[i], &gbh);
		if (ret)
			break;
		if (gbh) {
			ret = take_bit(handle, alloc, abh, gbh, claim);
			break;
		}
		ret = -ENOSPC;
	}
	brelse(gbh);
	brelse(abh);
	ocfs2_inode_unlock(alloc, 1);
out:
	mutex_unlock(&OCFS2_SB(alloc->i_sb)->suballoc_mutex);
	return ret;
}

static int give_back_bit(handle_t *handle, struct inode *alloc,
			 struct buffer_head *abh, struct buffer_head *gbh,
			 unsigned int bit)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)abh->b_data;
	struct ocfs2_group_desc *gd = (struct ocfs2_group_desc *)gbh->b_data;
	unsigned int chain = le16_to_cpu(gd->bg_chain);
	int ret;

	if (bit >= le16_to_cpu(gd->bg_bits) || !test_bit_le(bit, gd->bg_bitmap) ||
	    chain >= le16_to_cpu(di->id2.i_chain.cl_next_free_rec))
		return ocfs2_fs_error(alloc->i_sb, __func__,
				      "group %llu: freeing bit %u that is not in use",
				      (unsigned long long)gbh->b_blocknr, bit);
	ret = ocfs2_journal_access(handle, abh);
	if (!ret)
		ret = ocfs2_journal_access(handle, gbh);
	if (ret)
		return ret;
	__clear_bit_le(bit, gd->bg_bitmap);
	le16_add_cpu(&gd->bg_free_bits_count, 1);
	le32_add_cpu(&di->id2.i_chain.cl_recs[chain].c_free, 1);
	le32_add_cpu(&di->id1.bitmap1.i_used, -1);
	ocfs2_journal_dirty(handle, gbh);
	ocfs2_journal_dirty(handle, abh);
	return 0;
}

int ocfs2_free_bit(handle_t *handle, struct inode *alloc, u64 group,
		   unsigned int bit)
{
	struct buffer_head *abh, *gbh;
	int ret;

	mutex_lock(&OCFS2_SB(alloc->i_sb)->suballoc_mutex);
	ret = ocfs2_inode_lock(alloc, &abh, 1);
	if (ret)
		goto out;
	ret = read_group(alloc, group, &gbh);
	if (!ret) {
		ret = give_back_bit(handle, alloc, abh, gbh, bit);
		brelse(gbh);
	}
	brelse(abh);
	ocfs2_inode_unlock(alloc, 1);
out:
	mutex_unlock(&OCFS2_SB(alloc->i_sb)->suballoc_mutex);
	return ret;
}
