// SPDX-License-Identifier: GPL-2.0
/*
 * Block suballocators (the per-slot inode_alloc and extent_alloc files):
 * chains of group descriptors, each a bitmap of blocks.  Claiming a bit
 * changes the group, its chain record and the allocator's used count in
 * one transaction, under osb->suballoc_mutex (the threads of this node)
 * and the allocator's meta lock (the nodes).  A full allocator gets a
 * new group of clusters from the global bitmap: one run, or on a
 * fragmented discontig-bg volume several.
 */
#include "ocfs2.h"

/* A chain never holds more groups than the volume has clusters. */
static int read_group(struct inode *alloc, u64 blkno, struct buffer_head **bhp)
{
	struct ocfs2_group_desc *gd;
	int ret;

	ret = ocfs2_read_covered(alloc, blkno, OCFS2_BLOCK_GROUP, bhp);
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

/* The chain a new group joins: the one with the fewest bits, as stock. */
static unsigned int smallest_chain(const struct ocfs2_chain_list *cl)
{
	unsigned int i, best = 0;

	for (i = 1; i < le16_to_cpu(cl->cl_count); i++)
		if (le32_to_cpu(cl->cl_recs[i].c_total) <
		    le32_to_cpu(cl->cl_recs[best].c_total))
			best = i;
	return best;
}

/* The clusters of a group being made: one run, or one per extent record. */
struct group_runs {
	unsigned int		n;
	unsigned int		max;
	u32			clusters;
	struct ocfs2_run	run[];
};

/* A discontiguous descriptor maps its bits through these extents. */
static void set_group_extents(struct ocfs2_group_desc *gd,
			      const struct group_runs *g, unsigned int bpc_bits,
			      unsigned int recs)
{
	struct ocfs2_extent_list *el = &gd->bg_list;
	u32 cpos = 0;
	unsigned int i;

	el->l_count = cpu_to_le16(recs);
	el->l_next_free_rec = cpu_to_le16(g->n);
	for (i = 0; i < g->n; i++) {
		el->l_recs[i].e_cpos = cpu_to_le32(cpos);
		el->l_recs[i].e_leaf_clusters = cpu_to_le16(g->run[i].count);
		el->l_recs[i].e_blkno =
			cpu_to_le64((u64)g->run[i].cluster << bpc_bits);
		cpos += g->run[i].count;
	}
}

/* The descriptor, in the first block of the group's first run. */
static int fill_group(handle_t *handle, struct inode *alloc,
		      const struct ocfs2_chain_list *cl, unsigned int chain,
		      const struct group_runs *g)
{
	struct super_block *sb = alloc->i_sb;
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	u64 blkno = (u64)g->run[0].cluster << osb->bpc_bits;
	struct ocfs2_group_desc *gd;
	struct buffer_head *bh;
	u32 bits = le16_to_cpu(cl->cl_cpg) * le16_to_cpu(cl->cl_bpc);
	int ret;

	ret = ocfs2_new_meta_block(handle, sb, blkno, &bh);
	if (ret)
		return ret;
	gd = (struct ocfs2_group_desc *)bh->b_data;
	memcpy(gd->bg_signature, OCFS2_GROUP_DESC_SIGNATURE,
	       sizeof(OCFS2_GROUP_DESC_SIGNATURE));
	gd->bg_generation = cpu_to_le32(osb->fs_generation);
	gd->bg_size = cpu_to_le16(ocfs2_group_bitmap_size(sb->s_blocksize, 1,
							   osb->incompat));
	gd->bg_chain = cpu_to_le16(chain);
	gd->bg_next_group = cl->cl_recs[chain].c_blkno;
	gd->bg_parent_dinode = cpu_to_le64(OCFS2_I(alloc)->blkno);
	gd->bg_blkno = cpu_to_le64(blkno);
	gd->bg_bits = cpu_to_le16(bits);
	/* a group of one whole run keeps no extent list, as stock */
	if (g->run[0].count != le16_to_cpu(cl->cl_cpg))
		set_group_extents(gd, g, osb->bpc_bits,
				  ocfs2_extent_recs_per_gd(sb->s_blocksize));
	/* bit 0 is the descriptor itself */
	__set_bit_le(0, gd->bg_bitmap);
	gd->bg_free_bits_count = cpu_to_le16(bits - 1);
	ocfs2_journal_dirty(handle, bh);
	brelse(bh);
	return 0;
}

/* new descriptor, global bitmap inode and up to two of its groups */
#define OCFS2_NEW_GROUP_CREDITS	4

/* Give back the runs gathered so far (same transaction: nothing left). */
static void drop_runs(handle_t *handle, struct ocfs2_sb_info *osb,
		      struct group_runs *g)
{
	int ret;

	while (g->n) {
		g->n--;
		ret = ocfs2_free_clusters(handle, osb, g->run[g->n].cluster,
					  g->run[g->n].count);
		/* the transaction must not commit a half-taken group */
		if (ret)
			jbd2_journal_abort(osb->journal, ret);
	}
	g->clusters = 0;
}

/* A run of at least @least clusters, halving @least down to one (as stock). */
static int claim_piece(handle_t *handle, struct ocfs2_sb_info *osb,
		       u32 want, u32 least, struct ocfs2_run *got)
{
	int ret = -ENOSPC;

	for (; least && ret == -ENOSPC; least >>= 1)
		ret = ocfs2_claim_range(handle, osb, want, least, got);
	return ret;
}

/*
 * No free run holds a whole group: gather its @cpg clusters from several
 * runs, one extent record each.  As stock: the first run at least half a
 * group long (else a quarter, and so on), each later one at least as
 * long as the one before (or what is still missing).  A group that
 * cannot be completed is given back whole.
 */
static int gather_runs(handle_t *handle, struct ocfs2_sb_info *osb, u32 cpg,
		       struct group_runs *g)
{
	u32 least = max(cpg / 2, 1U);
	int ret = 0;

	while (g->clusters < cpg) {
		/* each later run may touch one more cluster group */
		if (g->n == g->max ||
		    (g->n >= 2 && jbd2_journal_extend(handle, 1, 0))) {
			ret = -ENOSPC;
			break;
		}
		least = min(least, cpg - g->clusters);
		ret = claim_piece(handle, osb, cpg - g->clusters, least,
				  &g->run[g->n]);
		if (ret)
			break;
		least = g->run[g->n].count;
		g->clusters += least;
		g->n++;
	}
	if (ret)
		drop_runs(handle, osb, g);
	return ret;
}

/* cl_cpg clusters for a new group: one run, or pieces when discontig-bg. */
static int claim_group(handle_t *handle, struct ocfs2_sb_info *osb, u32 cpg,
		       struct group_runs *g)
{
	int ret;

	g->n = 0;
	g->clusters = 0;
	ret = ocfs2_claim_contig(handle, osb, cpg, &g->run[0]);
	if (!ret) {
		g->n = 1;
		g->clusters = cpg;
		return 0;
	}
	if (ret != -ENOSPC ||
	    !ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_DISCONTIG_BG))
		return ret;
	return gather_runs(handle, osb, cpg, g);
}

static int check_chain_list(struct inode *alloc,
			    const struct ocfs2_chain_list *cl)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(alloc->i_sb);
	u32 bits = le16_to_cpu(cl->cl_cpg) * le16_to_cpu(cl->cl_bpc);

	if (cl->cl_cpg && bits && bits <= ocfs2_group_bitmap_size(
		    alloc->i_sb->s_blocksize, 1, osb->incompat) * 8 &&
	    le16_to_cpu(cl->cl_count) <= ocfs2_chain_recs_per_inode(
		    alloc->i_sb->s_blocksize))
		return 0;
	return ocfs2_fs_error(alloc->i_sb, __func__,
			      "allocator %lu: bad chain list (cpg %u, bpc %u, count %u)",
			      alloc->i_ino, le16_to_cpu(cl->cl_cpg),
			      le16_to_cpu(cl->cl_bpc), le16_to_cpu(cl->cl_count));
}

/* The allocator inode counts the new group at the head of @chain. */
static void count_group(struct inode *alloc, struct ocfs2_dinode *di,
			unsigned int chain, u64 blkno)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(alloc->i_sb);
	struct ocfs2_chain_list *cl = &di->id2.i_chain;
	u32 bits = le16_to_cpu(cl->cl_cpg) * le16_to_cpu(cl->cl_bpc);

	le32_add_cpu(&cl->cl_recs[chain].c_free, bits - 1);
	le32_add_cpu(&cl->cl_recs[chain].c_total, bits);
	cl->cl_recs[chain].c_blkno = cpu_to_le64(blkno);
	if (chain >= le16_to_cpu(cl->cl_next_free_rec))
		cl->cl_next_free_rec = cpu_to_le16(chain + 1);
	le32_add_cpu(&di->id1.bitmap1.i_used, 1);
	le32_add_cpu(&di->id1.bitmap1.i_total, bits);
	le32_add_cpu(&di->i_clusters, le16_to_cpu(cl->cl_cpg));
	di->i_size = cpu_to_le64((u64)le32_to_cpu(di->i_clusters) <<
				 osb->cluster_bits);
	OCFS2_I(alloc)->clusters = le32_to_cpu(di->i_clusters);
	i_size_write(alloc, le64_to_cpu(di->i_size));
}

/*
 * The allocator is full: one more group of cl_cpg clusters from the
 * global bitmap, at the head of its chain, in the caller's transaction
 * (extended for it).  When no free run is a whole group long and the
 * volume has discontig-bg, the group is made of several runs, as stock
 * makes them; its descriptor sits at the start of the first.
 */
static int add_group(handle_t *handle, struct inode *alloc,
		     struct buffer_head *abh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(alloc->i_sb);
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)abh->b_data;
	struct ocfs2_chain_list *cl = &di->id2.i_chain;
	unsigned int recs = ocfs2_extent_recs_per_gd(alloc->i_sb->s_blocksize);
	unsigned int chain = smallest_chain(cl);
	struct group_runs *g;
	int ret;

	ret = check_chain_list(alloc, cl);
	if (ret)
		return ret;
	if (jbd2_journal_extend(handle, OCFS2_NEW_GROUP_CREDITS, 0))
		return -ENOSPC;
	g = kmalloc(struct_size(g, run, recs), GFP_NOFS);
	if (!g)
		return -ENOMEM;
	g->max = recs;
	ret = claim_group(handle, osb, le16_to_cpu(cl->cl_cpg), g);
	if (ret)
		goto out;
	ret = fill_group(handle, alloc, cl, chain, g);
	if (!ret)
		ret = ocfs2_journal_access(handle, abh);
	if (ret) {
		drop_runs(handle, osb, g);
		goto out;
	}
	count_group(alloc, di, chain, (u64)g->run[0].cluster << osb->bpc_bits);
	ocfs2_journal_dirty(handle, abh);
out:
	kfree(g);
	return ret;
}

static int claim_in_chains(handle_t *handle, struct inode *alloc,
			   struct buffer_head *abh, struct ocfs2_claim *claim)
{
	struct ocfs2_chain_list *cl =
		&((struct ocfs2_dinode *)abh->b_data)->id2.i_chain;
	struct buffer_head *gbh = NULL;
	unsigned int i;
	int ret = -ENOSPC;

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
	return ret;
}

static int claim_bit(handle_t *handle, struct inode *alloc,
		     struct ocfs2_claim *claim, bool grow)
{
	struct buffer_head *abh;
	int ret;

	mutex_lock(&OCFS2_SB(alloc->i_sb)->suballoc_mutex);
	ret = ocfs2_inode_lock(alloc, &abh, 1);
	if (ret)
		goto out;
	ret = claim_in_chains(handle, alloc, abh, claim);
	if (ret == -ENOSPC && grow) {
		ret = add_group(handle, alloc, abh);
		if (!ret)
			ret = claim_in_chains(handle, alloc, abh, claim);
	}
	brelse(abh);
	ocfs2_inode_unlock(alloc, 1);
out:
	mutex_unlock(&OCFS2_SB(alloc->i_sb)->suballoc_mutex);
	return ret;
}

/* A bit of @alloc, which gets a new group when it has none free. */
int ocfs2_claim_bit(handle_t *handle, struct inode *alloc,
		    struct ocfs2_claim *claim)
{
	return claim_bit(handle, alloc, claim, true);
}

/* A bit of @alloc (another slot's: it is never grown here), or -ENOSPC. */
int ocfs2_claim_free_bit(handle_t *handle, struct inode *alloc,
			 struct ocfs2_claim *claim)
{
	return claim_bit(handle, alloc, claim, false);
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
