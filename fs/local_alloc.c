// SPDX-License-Identifier: GPL-2.0
/*
 * The slot's local alloc window (local_alloc:NNNN, id2.i_lab): one run
 * of the global bitmap, set there as a whole, from which this node
 * hands out data clusters without the global bitmap's lock.  Bit i of
 * la_bitmap stands for cluster la_bm_off + i and is set once a file
 * got it; i_total is the window's length and i_used its set bits, as
 * stock keeps them, so either module recovers the other's window.
 *
 * A transaction that may take window bits reserves them before it
 * starts (ocfs2_la_reserve from the allocating transaction's start,
 * under la_mutex); only then, with no handle open, can a used-up window
 * be replaced by a new one (a slide: the free bits go back and a new
 * run is claimed in one transaction of its own), and only when no bit
 * is promised to an open transaction.  Inside the transaction the claim
 * takes promised bits under la_lock; la_mutex is never taken with a
 * handle open, so a slide waiting for the journal cannot wait on a
 * claimer.
 *
 * When the bitmap has no run of the wanted size the window halves, and
 * below a megabyte it is off; after 30 s it grows back to full size.
 * When the bitmap runs dry while the window still holds free clusters
 * (an allocation that needs the bitmap itself), the window is given
 * back first.  At unmount it is returned whole.
 */
#include <linux/jbd2.h>
#include "ocfs2.h"

/* Off: every cluster comes from the bitmap, as before the window. */
static bool local_alloc = true;
module_param(local_alloc, bool, 0644);
MODULE_PARM_DESC(local_alloc, "allocate data clusters from the slot's local alloc window (read at mount)");

#define LA_RETRY_DELAY		(30 * HZ)
#define LA_MAX_DEFAULT_MB	256U
#define LA_SMALL_DEFAULT_MB	8U

static struct ocfs2_dinode *la_di(struct ocfs2_sb_info *osb)
{
	return (struct ocfs2_dinode *)osb->la_bh->b_data;
}

static u32 mb_to_clusters(struct ocfs2_sb_info *osb, u32 mb)
{
	return mb << (20 - osb->cluster_bits);
}

static u32 clusters_to_mb(struct ocfs2_sb_info *osb, u32 clusters)
{
	return clusters >> (20 - osb->cluster_bits);
}

/* Largest window the block can describe, in megabytes. */
static u32 max_mb(struct ocfs2_sb_info *osb)
{
	return clusters_to_mb(osb,
			      ocfs2_local_alloc_size(osb->sb->s_blocksize) * 8);
}

/*
 * Stock's default (ocfs2_la_default_mb): a cluster group less 16 MB,
 * at most 256 MB (or the group halved below it when two such windows
 * would not fit), no more than the slot's share of the volume.
 */
static u32 default_mb(struct ocfs2_sb_info *osb, u32 cpg)
{
	unsigned int bs = osb->sb->s_blocksize;
	u32 group_mb = clusters_to_mb(osb, cpg);
	u32 mb, share;

	if ((bs == 512 && osb->cluster_bits <= 13) ||
	    (bs == 1024 && osb->cluster_bits == 12))
		return LA_SMALL_DEFAULT_MB;
	mb = group_mb > 16 ? (group_mb - 16) & ~4U : group_mb;
	if (mb > LA_MAX_DEFAULT_MB && mb <= 2 * LA_MAX_DEFAULT_MB) {
		while (mb > LA_MAX_DEFAULT_MB)
			mb >>= 1;
	}
	mb = min(mb, LA_MAX_DEFAULT_MB);
	share = clusters_to_mb(osb, osb->total_clusters / osb->max_slots);
	return min3(mb, share, max_mb(osb));
}

/* localalloc=MB as stock reads it: 0 turns the window off. */
static u32 window_bits(struct ocfs2_sb_info *osb, u32 cpg)
{
	u32 mb = osb->opts.localalloc_mb;

	if (!local_alloc)
		return 0;
	if (mb == OCFS2_LOCALALLOC_UNSET)
		mb = default_mb(osb, cpg);
	return mb_to_clusters(osb, min(mb, max_mb(osb)));
}

static int read_cpg(struct ocfs2_sb_info *osb, u32 *cpg)
{
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_read_meta(osb->sb, OCFS2_I(osb->global_bitmap)->blkno,
			      OCFS2_BLOCK_DINODE, &bh);
	if (ret)
		return ret;
	*cpg = le16_to_cpu(((struct ocfs2_dinode *)bh->b_data)->id2.i_chain.cl_cpg);
	brelse(bh);
	return 0;
}

/* After the slot's allocators were recovered: the window is empty. */
int ocfs2_la_open(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	struct inode *inode;
	u32 cpg, bits;
	int ret;

	mutex_init(&osb->la_mutex);
	spin_lock_init(&osb->la_lock);
	osb->la_reserved = 0;
	ret = read_cpg(osb, &cpg);
	if (ret)
		return ret;
	bits = window_bits(osb, cpg);
	if (!bits)
		return 0;
	inode = ocfs2_get_system_inode(sb, LOCAL_ALLOC_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = ocfs2_read_meta(sb, OCFS2_I(inode)->blkno, OCFS2_BLOCK_DINODE,
			      &bh);
	if (ret)
		goto fail;
	di = (struct ocfs2_dinode *)bh->b_data;
	ret = ocfs2_check_window(osb, osb->slot, di);
	if (!ret && (di->id1.bitmap1.i_total || di->id2.i_lab.la_bm_off))
		ret = ocfs2_fs_error(sb, __func__,
				     "local_alloc:%04d was not recovered; run fsck.ocfs2",
				     osb->slot);
	if (ret) {
		brelse(bh);
		goto fail;
	}
	osb->la_default_bits = min_t(u32, bits,
				     le16_to_cpu(di->id2.i_lab.la_size) * 8U);
	osb->la_bits = osb->la_default_bits;
	osb->la_inode = inode;
	osb->la_bh = bh;
	return 0;
fail:
	iput(inode);
	return ret;
}

/* Unmount or remount read-only, before the truncate log closes. */
void ocfs2_la_close(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	if (!osb->la_bh)
		return;
	mutex_lock(&osb->la_mutex);
	osb->la_owner = current;
	if (la_di(osb)->id1.bitmap1.i_total && osb->journal &&
	    !is_journal_aborted(osb->journal))
		ocfs2_return_window(osb, osb->slot, osb->la_bh);
	osb->la_owner = NULL;
	mutex_unlock(&osb->la_mutex);
	brelse(osb->la_bh);
	osb->la_bh = NULL;
	iput(osb->la_inode);
	osb->la_inode = NULL;
}

/* The window's free bits; la_lock held (or la_mutex, for a slide). */
static u32 window_free(struct ocfs2_sb_info *osb)
{
	struct ocfs2_dinode *di = la_di(osb);
	u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
	u32 used = le32_to_cpu(di->id1.bitmap1.i_used);

	return used < total ? total - used : 0;
}

/* Free window bits nobody was promised; la_lock held. */
static u32 unpromised(struct ocfs2_sb_info *osb)
{
	u32 free = window_free(osb);

	return free > osb->la_reserved ? free - osb->la_reserved : 0;
}

static u32 promise(struct ocfs2_sb_info *osb, u32 want)
{
	u32 n;

	spin_lock(&osb->la_lock);
	n = min(unpromised(osb), want);
	osb->la_reserved += n;
	spin_unlock(&osb->la_lock);
	return n;
}

/* The largest run the bitmap gives, halving down to a megabyte. */
static int new_window(handle_t *handle, struct ocfs2_sb_info *osb)
{
	struct ocfs2_dinode *di = la_di(osb);
	struct ocfs2_run run;
	int ret = -ENOSPC;

	while (osb->la_bits) {
		ret = ocfs2_claim_contig(handle, osb, osb->la_bits, &run);
		if (ret != -ENOSPC)
			break;
		osb->la_bits >>= 1;
		if (osb->la_bits < mb_to_clusters(osb, 1))
			osb->la_bits = 0;
		osb->la_retry = jiffies + LA_RETRY_DELAY;
	}
	if (ret)
		return ret;
	ret = ocfs2_journal_access(handle, osb->la_bh);
	if (ret)
		return ret;
	spin_lock(&osb->la_lock);
	di->id2.i_lab.la_bm_off = cpu_to_le32(run.cluster);
	di->id1.bitmap1.i_total = cpu_to_le32(run.count);
	di->id1.bitmap1.i_used = 0;
	spin_unlock(&osb->la_lock);
	ocfs2_journal_dirty(handle, osb->la_bh);
	return 0;
}

/*
 * la_mutex held, nothing promised: the old window's free bits back and
 * a new window, in one transaction.  Off for a while if none is found;
 * the returned bits are committed then, for the bitmap's own callers.
 */
static int slide(struct ocfs2_sb_info *osb)
{
	u32 freed = 0;
	handle_t *handle;
	int ret, ret2;

	if (time_after_eq(jiffies, osb->la_retry))
		osb->la_bits = osb->la_default_bits;
	if (!osb->la_bits)
		return -ENOSPC;
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_BITMAP,
					 ocfs2_window_release_credits(osb, osb->la_bh) + 3);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_window_release(handle, osb, osb->la_bh, &freed);
	if (!ret)
		ret = new_window(handle, osb);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_BITMAP);
	if (ret == -ENOSPC && !ret2) {
		ocfs2_info(osb->sb, "local_alloc:%04d: no run of a megabyte left in the global bitmap; window off for %d s",
			   osb->slot, LA_RETRY_DELAY / HZ);
		jbd2_journal_force_commit(osb->journal);
	}
	return ret ? ret : ret2;
}

/*
 * Before an allocating transaction, no handle open and no allocator
 * lock held: promise up to @want window bits to it (sliding the window
 * when it is used up).  0: the transaction allocates from the bitmap.
 */
u32 ocfs2_la_reserve(struct ocfs2_sb_info *osb, u32 want)
{
	u32 got;

	if (!osb->la_bh)
		return 0;
	/* not under la_lock alone: a slide empties the window without it */
	mutex_lock(&osb->la_mutex);
	osb->la_owner = current;
	got = promise(osb, want);
	if (!got && !READ_ONCE(osb->la_reserved) && !slide(osb))
		got = promise(osb, want);
	osb->la_owner = NULL;
	mutex_unlock(&osb->la_mutex);
	return got;
}

void ocfs2_la_unreserve(struct ocfs2_sb_info *osb, u32 bits)
{
	if (!bits)
		return;
	spin_lock(&osb->la_lock);
	osb->la_reserved -= bits;
	spin_unlock(&osb->la_lock);
}

/* First clear bit: at the goal when it is in the window and free. */
static u32 pick_bit(const struct ocfs2_dinode *di, u32 goal)
{
	u32 off = le32_to_cpu(di->id2.i_lab.la_bm_off);
	u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
	const void *map = di->id2.i_lab.la_bitmap;

	if (goal >= off && goal - off < total &&
	    !test_bit_le(goal - off, map))
		return goal - off;
	return find_next_zero_bit_le(map, total, 0);
}

/*
 * In @handle: up to @want clusters from the bits promised to @hold,
 * contiguous from @goal when it is free.  -ENOSPC when none is
 * promised (the caller goes to the bitmap).
 */
int ocfs2_la_claim(handle_t *handle, struct ocfs2_sb_info *osb,
		   struct ocfs2_alloc_hold *hold, u32 goal, u32 want,
		   struct ocfs2_run *got)
{
	struct ocfs2_dinode *di;
	void *map;
	u32 bit, total, n = 0;
	int ret;

	want = min(want, hold->la_bits);
	if (!want)
		return -ENOSPC;
	ret = ocfs2_journal_access(handle, osb->la_bh);
	if (ret)
		return ret;
	spin_lock(&osb->la_lock);
	di = la_di(osb);
	map = di->id2.i_lab.la_bitmap;
	total = le32_to_cpu(di->id1.bitmap1.i_total);
	bit = pick_bit(di, goal);
	while (n < want && bit + n < total && !test_bit_le(bit + n, map)) {
		__set_bit_le(bit + n, map);
		n++;
	}
	le32_add_cpu(&di->id1.bitmap1.i_used, n);
	hold->la_bits -= n;
	osb->la_reserved -= n;
	got->cluster = le32_to_cpu(di->id2.i_lab.la_bm_off) + bit;
	got->count = n;
	spin_unlock(&osb->la_lock);
	ocfs2_journal_dirty(handle, osb->la_bh);
	if (n)
		return 0;
	return ocfs2_fs_error(osb->sb, __func__,
			      "local_alloc:%04d: promised bits are not free",
			      osb->slot);
}

/*
 * Give the window back (its free bits to the bitmap, committed) and
 * keep it off for a while: the bitmap ran dry while the window held
 * free clusters.  False when there was nothing to give or bits are
 * promised to open transactions.
 */
bool ocfs2_la_give_back(struct ocfs2_sb_info *osb)
{
	bool done = false;

	if (!osb->la_bh || journal_current_handle() ||
	    osb->la_owner == current)
		return false;
	mutex_lock(&osb->la_mutex);
	osb->la_owner = current;
	if (!READ_ONCE(osb->la_reserved) && la_di(osb)->id1.bitmap1.i_total) {
		done = !ocfs2_return_window(osb, osb->slot, osb->la_bh);
		osb->la_bits = 0;
		osb->la_retry = jiffies + LA_RETRY_DELAY;
	}
	osb->la_owner = NULL;
	mutex_unlock(&osb->la_mutex);
	if (done)
		jbd2_journal_force_commit(osb->journal);
	return done;
}

/*
 * Before a transaction that allocates from the bitmap itself: when the
 * bitmap had less than a megabyte free at our last look and the window
 * holds free clusters, give them back so that allocation finds them.
 */
void ocfs2_la_before_global(struct ocfs2_sb_info *osb)
{
	u32 seen = READ_ONCE(osb->global_free_seen);

	if (!osb->la_bh || osb->la_owner == current ||
	    seen >= mb_to_clusters(osb, 1) || !ocfs2_la_free_clusters(osb))
		return;
	ocfs2_la_give_back(osb);
}

/* The window's free clusters: free for this node, counted by statfs. */
u32 ocfs2_la_free_clusters(struct ocfs2_sb_info *osb)
{
	u32 free;

	if (!READ_ONCE(osb->la_bh))
		return 0;
	/* a slide in progress may show a window half emptied: 0 or less */
	spin_lock(&osb->la_lock);
	free = window_free(osb);
	spin_unlock(&osb->la_lock);
	return free;
}
