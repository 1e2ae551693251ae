// SPDX-License-Identifier: GPL-2.0
/*
 * The global bitmap: one bit per cluster of the volume, kept in cluster
 * groups whose descriptors sit at fixed places (the first group at
 * first_cluster_group, group N at cluster N * clusters-per-group).
 * Claiming and freeing change the group, its chain record and the
 * bitmap inode's used count in the caller's transaction.
 *
 * Bitmap blocks are journaled with undo access: a cluster freed in a
 * transaction that has not committed yet stays set in jbd2's committed
 * copy and is not handed out again, so a crash cannot leave a file that
 * was truncated pointing at another file's new data.
 *
 * Callers hold a transaction; osb->bitmap_mutex (taken here) serializes
 * the threads of this node, the global bitmap's meta lock the nodes.
 */
#include <linux/jbd2.h>
#include "ocfs2.h"

struct cluster_pos {
	u64		group;		/* descriptor block */
	unsigned int	bit;
};

static u32 cpg_of(struct ocfs2_dinode *di)
{
	return le16_to_cpu(di->id2.i_chain.cl_cpg);
}

static void cluster_to_pos(struct ocfs2_sb_info *osb, u32 cpg, u32 cluster,
			   struct cluster_pos *pos)
{
	u32 idx = cluster / cpg;

	pos->bit = cluster % cpg;
	pos->group = idx ? (u64)idx * cpg << osb->bpc_bits :
		osb->first_cluster_group;
}

static u32 group_first_cluster(struct ocfs2_sb_info *osb, u64 group)
{
	if (group == osb->first_cluster_group)
		return 0;
	return group >> osb->bpc_bits;
}

static int read_cluster_group(struct ocfs2_sb_info *osb, u64 blkno,
			      struct buffer_head **bhp)
{
	struct ocfs2_group_desc *gd;
	int ret;

	ret = ocfs2_read_covered(osb->global_bitmap, blkno, OCFS2_BLOCK_GROUP,
				 bhp);
	if (ret)
		return ret;
	gd = (struct ocfs2_group_desc *)(*bhp)->b_data;
	if (le64_to_cpu(gd->bg_parent_dinode) == osb->global_bitmap->i_ino &&
	    group_first_cluster(osb, blkno) + le16_to_cpu(gd->bg_bits) <=
	    osb->total_clusters)
		return 0;
	brelse(*bhp);
	*bhp = NULL;
	return ocfs2_fs_error(osb->sb, __func__,
			      "cluster group %llu: wrong parent or too many bits",
			      (unsigned long long)blkno);
}

/*
 * A bit can be handed out when it is clear both in the live bitmap and in
 * jbd2's copy of the last committed one.
 */
static bool bit_allocatable(struct buffer_head *gbh, unsigned int bit)
{
	struct ocfs2_group_desc *gd = (struct ocfs2_group_desc *)gbh->b_data;
	struct ocfs2_group_desc *old;
	struct journal_head *jh;
	bool ok = true;

	if (test_bit_le(bit, gd->bg_bitmap))
		return false;
	if (!buffer_jbd(gbh))
		return true;
	jh = bh2jh(gbh);
	spin_lock(&jh->b_state_lock);
	old = (struct ocfs2_group_desc *)jh->b_committed_data;
	if (old && test_bit_le(bit, old->bg_bitmap))
		ok = false;
	spin_unlock(&jh->b_state_lock);
	return ok;
}

/* Length of the allocatable run at @bit, at most @want. */
static u32 run_at(struct buffer_head *gbh, unsigned int bit, u32 want)
{
	struct ocfs2_group_desc *gd = (struct ocfs2_group_desc *)gbh->b_data;
	unsigned int bits = le16_to_cpu(gd->bg_bits);
	u32 n = 0;

	while (n < want && bit + n < bits && bit_allocatable(gbh, bit + n))
		n++;
	return n;
}

/* First allocatable run of at least @min in the group, or 0. */
static u32 first_run(struct buffer_head *gbh, u32 want, u32 min,
		     unsigned int *bitp)
{
	struct ocfs2_group_desc *gd = (struct ocfs2_group_desc *)gbh->b_data;
	unsigned int bits = le16_to_cpu(gd->bg_bits);
	unsigned int bit = 0;
	u32 n;

	while (bit < bits) {
		bit = find_next_zero_bit_le(gd->bg_bitmap, bits, bit);
		if (bit >= bits)
			break;
		n = run_at(gbh, bit, want);
		if (n && n >= min) {
			*bitp = bit;
			return n;
		}
		bit += n ? n : 1;
	}
	return 0;
}

/* Set or clear @n bits from @bit and keep every count in step. */
static int change_bits(handle_t *handle, struct ocfs2_sb_info *osb,
		       struct buffer_head *abh, struct buffer_head *gbh,
		       unsigned int bit, u32 n, bool set)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)abh->b_data;
	struct ocfs2_group_desc *gd = (struct ocfs2_group_desc *)gbh->b_data;
	unsigned int chain = le16_to_cpu(gd->bg_chain);
	int delta = set ? -(int)n : (int)n;
	unsigned int i;
	int ret;

	if (chain >= le16_to_cpu(di->id2.i_chain.cl_next_free_rec) ||
	    bit + n > le16_to_cpu(gd->bg_bits))
		return ocfs2_fs_error(osb->sb, __func__,
				      "cluster group %llu: chain %u or bits %u+%u out of range",
				      (unsigned long long)gbh->b_blocknr, chain,
				      bit, n);
	for (i = bit; i < bit + n; i++)
		if (test_bit_le(i, gd->bg_bitmap) == set)
			return ocfs2_fs_error(osb->sb, __func__,
					      "cluster group %llu: bit %u is already %s",
					      (unsigned long long)gbh->b_blocknr,
					      i, set ? "set" : "clear");
	ret = jbd2_journal_get_undo_access(handle, gbh);
	if (!ret)
		ret = ocfs2_journal_access(handle, abh);
	if (ret)
		return ret;
	for (i = bit; i < bit + n; i++) {
		if (set)
			__set_bit_le(i, gd->bg_bitmap);
		else
			__clear_bit_le(i, gd->bg_bitmap);
	}
	le16_add_cpu(&gd->bg_free_bits_count, delta);
	le32_add_cpu(&di->id2.i_chain.cl_recs[chain].c_free, delta);
	le32_add_cpu(&di->id1.bitmap1.i_used, -delta);
	ocfs2_journal_dirty(handle, gbh);
	ocfs2_journal_dirty(handle, abh);
	return 0;
}

/* Try the goal cluster first: sequential writes stay contiguous. */
static int claim_at_goal(handle_t *handle, struct ocfs2_sb_info *osb,
			 struct buffer_head *abh, u32 goal, u32 want,
			 struct ocfs2_run *got)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)abh->b_data;
	struct buffer_head *gbh;
	struct cluster_pos pos;
	u32 n;
	int ret;

	if (goal >= osb->total_clusters || !cpg_of(di))
		return 0;
	cluster_to_pos(osb, cpg_of(di), goal, &pos);
	ret = read_cluster_group(osb, pos.group, &gbh);
	if (ret)
		return ret;
	n = run_at(gbh, pos.bit, want);
	if (n) {
		ret = change_bits(handle, osb, abh, gbh, pos.bit, n, true);
		if (!ret) {
			got->cluster = goal;
			got->count = n;
		}
	}
	brelse(gbh);
	return ret;
}

/* The first group of chain @rec with a run to give. */
static int claim_in_chain(handle_t *handle, struct ocfs2_sb_info *osb,
			  struct buffer_head *abh,
			  const struct ocfs2_chain_rec *rec, u32 want, u32 min,
			  struct ocfs2_run *got)
{
	u64 blkno = le64_to_cpu(rec->c_blkno);
	u32 hops = osb->total_clusters;
	struct ocfs2_group_desc *gd;
	struct buffer_head *gbh;
	unsigned int bit;
	u32 n;
	int ret;

	while (blkno && hops--) {
		ret = read_cluster_group(osb, blkno, &gbh);
		if (ret)
			return ret;
		gd = (struct ocfs2_group_desc *)gbh->b_data;
		n = le16_to_cpu(gd->bg_free_bits_count) >= min ?
		    first_run(gbh, want, min, &bit) : 0;
		if (n) {
			ret = change_bits(handle, osb, abh, gbh, bit, n, true);
			if (!ret) {
				got->cluster = group_first_cluster(osb, blkno) +
					bit;
				got->count = n;
			}
			brelse(gbh);
			return ret;
		}
		blkno = le64_to_cpu(gd->bg_next_group);
		brelse(gbh);
	}
	if (blkno)
		return ocfs2_fs_error(osb->sb, __func__,
				      "global bitmap: chain loops");
	return 0;
}

static int claim_locked(handle_t *handle, struct ocfs2_sb_info *osb,
			struct buffer_head *abh, u32 goal, u32 want, u32 min,
			struct ocfs2_run *got)
{
	struct ocfs2_chain_list *cl =
		&((struct ocfs2_dinode *)abh->b_data)->id2.i_chain;
	unsigned int i, recs = le16_to_cpu(cl->cl_next_free_rec);
	int ret;

	if (min == 1) {
		ret = claim_at_goal(handle, osb, abh, goal, want, got);
		if (ret || got->count)
			return ret;
	}
	if (recs > le16_to_cpu(cl->cl_count))
		return ocfs2_fs_error(osb->sb, __func__,
				      "global bitmap: %u chains, room for %u",
				      recs, le16_to_cpu(cl->cl_count));
	for (i = 0; i < recs; i++) {
		if (le32_to_cpu(cl->cl_recs[i].c_free) < min)
			continue;
		ret = claim_in_chain(handle, osb, abh, &cl->cl_recs[i], want,
				     min, got);
		if (ret || got->count)
			return ret;
	}
	return -ENOSPC;
}

/* For the low-space checks made before a transaction, without a lock. */
static void note_free(struct ocfs2_sb_info *osb, struct buffer_head *abh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)abh->b_data;
	u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
	u32 used = le32_to_cpu(di->id1.bitmap1.i_used);

	WRITE_ONCE(osb->global_free_seen, used < total ? total - used : 0);
}

/*
 * Claim up to @want contiguous clusters, starting at @goal if it is free.
 * Gives at least one cluster or an error (-ENOSPC when the volume is full).
 */
static int claim(handle_t *handle, struct ocfs2_sb_info *osb, u32 goal,
		 u32 want, u32 min, struct ocfs2_run *got)
{
	struct buffer_head *abh;
	int ret;

	got->count = 0;
	if (!want)
		return -EINVAL;
	mutex_lock(&osb->bitmap_mutex);
	ret = ocfs2_inode_lock(osb->global_bitmap, &abh, 1);
	if (ret)
		goto out;
	ret = claim_locked(handle, osb, abh, goal, want, min, got);
	note_free(osb, abh);
	brelse(abh);
	ocfs2_inode_unlock(osb->global_bitmap, 1);
out:
	mutex_unlock(&osb->bitmap_mutex);
	return ret;
}

/*
 * Data clusters: from the local alloc window when the transaction was
 * promised window bits, else from the bitmap.
 */
int ocfs2_claim_clusters(handle_t *handle, struct ocfs2_sb_info *osb,
			 u32 goal, u32 want, struct ocfs2_run *got)
{
	struct ocfs2_alloc_hold *hold = NULL;
	int ret;

	if (READ_ONCE(osb->la_bh))
		hold = ocfs2_alloc_hold_of(osb);
	if (hold && hold->la_bits) {
		ret = ocfs2_la_claim(handle, osb, hold, goal, want, got);
		if (ret != -ENOSPC)
			return ret;
	}
	return claim(handle, osb, goal, want, 1, got);
}

/* Exactly @count contiguous clusters (a new suballocator group), or -ENOSPC. */
int ocfs2_claim_contig(handle_t *handle, struct ocfs2_sb_info *osb,
		       u32 count, struct ocfs2_run *got)
{
	return claim(handle, osb, 0, count, count, got);
}

/*
 * One run of at least @min and at most @want clusters from the bitmap
 * (a piece of a discontiguous suballocator group), or -ENOSPC.
 */
int ocfs2_claim_range(handle_t *handle, struct ocfs2_sb_info *osb,
		      u32 want, u32 min, struct ocfs2_run *got)
{
	if (!min || min > want)
		return -EINVAL;
	return claim(handle, osb, 0, want, min, got);
}

static int free_locked(handle_t *handle, struct ocfs2_sb_info *osb,
		       struct buffer_head *abh, u32 cluster, u32 count)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)abh->b_data;
	struct buffer_head *gbh;
	struct cluster_pos pos;
	u32 n;
	int ret;

	if (!cpg_of(di))
		return ocfs2_fs_error(osb->sb, __func__,
				      "global bitmap: zero clusters per group");
	while (count) {
		cluster_to_pos(osb, cpg_of(di), cluster, &pos);
		n = min_t(u32, count, cpg_of(di) - pos.bit);
		ret = read_cluster_group(osb, pos.group, &gbh);
		if (ret)
			return ret;
		ret = change_bits(handle, osb, abh, gbh, pos.bit, n, false);
		brelse(gbh);
		if (ret)
			return ret;
		cluster += n;
		count -= n;
	}
	return 0;
}

/* Give back @count clusters from @cluster; the run may cross groups. */
int ocfs2_free_clusters(handle_t *handle, struct ocfs2_sb_info *osb,
			u32 cluster, u32 count)
{
	struct buffer_head *abh;
	int ret;

	if (cluster >= osb->total_clusters ||
	    count > osb->total_clusters - cluster)
		return ocfs2_fs_error(osb->sb, __func__,
				      "freeing clusters %u+%u outside the volume",
				      cluster, count);
	mutex_lock(&osb->bitmap_mutex);
	ret = ocfs2_inode_lock(osb->global_bitmap, &abh, 1);
	if (ret)
		goto out;
	ret = free_locked(handle, osb, abh, cluster, count);
	note_free(osb, abh);
	brelse(abh);
	ocfs2_inode_unlock(osb->global_bitmap, 1);
out:
	mutex_unlock(&osb->bitmap_mutex);
	return ret;
}

/* Journal credits for freeing @count clusters: inode plus each group. */
int ocfs2_free_clusters_credits(struct ocfs2_sb_info *osb, u32 count)
{
	return 3 + count / 1024;
}

/*
 * For FITRIM (trim.c), the global bitmap's meta lock held by the caller:
 * @fn gets each run of at least @min clusters from @from up to @to (one
 * group at most) that no file holds, nor could hold again after a crash
 * (free in jbd2's committed copy too).  Under bitmap_mutex, so no task
 * here claims one of them while @fn works on it.
 */
int ocfs2_bitmap_free_runs(struct ocfs2_sb_info *osb, struct buffer_head *abh,
			   u32 from, u32 to, u32 min, ocfs2_run_fn fn,
			   void *arg)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)abh->b_data;
	struct ocfs2_group_desc *gd;
	struct buffer_head *gbh;
	struct cluster_pos pos;
	struct ocfs2_run run;
	unsigned int bit, end;
	int ret;

	if (!cpg_of(di) || from >= to || to > osb->total_clusters)
		return -EINVAL;
	cluster_to_pos(osb, cpg_of(di), from, &pos);
	mutex_lock(&osb->bitmap_mutex);
	ret = read_cluster_group(osb, pos.group, &gbh);
	if (ret)
		goto out;
	gd = (struct ocfs2_group_desc *)gbh->b_data;
	end = min_t(u32, le16_to_cpu(gd->bg_bits), pos.bit + (to - from));
	bit = pos.bit;
	while (!ret && bit < end) {
		bit = find_next_zero_bit_le(gd->bg_bitmap, end, bit);
		if (bit >= end)
			break;
		run.count = run_at(gbh, bit, end - bit);
		run.cluster = group_first_cluster(osb, pos.group) + bit;
		if (run.count && run.count >= min)
			ret = fn(osb, &run, arg);
		bit += run.count ? run.count : 1;
	}
	brelse(gbh);
out:
	mutex_unlock(&osb->bitmap_mutex);
	return ret;
}
