// SPDX-License-Identifier: GPL-2.0
/*
 * The slot's truncate log (truncate_log:NNNN, id2.i_dealloc): clusters
 * freed by this node wait here before they go back to the global bitmap.
 *
 * Why: a freed cluster may have held journaled metadata (a directory
 * block, an index leaf, a symlink target, an xattr value) whose copy
 * sits in a committed transaction that is not checkpointed yet.  Given
 * to a file at once and written with data, the cluster would be
 * overwritten by that old copy when the journal is replayed after a
 * crash.  So a free only appends {start, clusters} to the log, in the
 * freeing transaction; a flush first checkpoints the journal (no old
 * copy is left to replay) and only then clears the clusters' bits.
 *
 * Appends run inside the callers' transactions and take tl_mutex only
 * for the record update, never across a journal start or checkpoint.
 * A flush works on the records present when it began: it checkpoints,
 * then removes those records one transaction each (the bits cleared
 * and the record dropped together, so a crash part-way loses nothing
 * and frees nothing twice); records appended meanwhile wait for the
 * next flush.  Flushes happen 2 s after the last append (as stock),
 * at sync and unmount, and before an allocating or freeing transaction
 * when the log is half full, lacks room for the records promised to it,
 * or the volume is nearly full (stock flushes when a reservation finds
 * no space; ours allocates inside the transaction, so the flush comes
 * before it).
 */
#include <linux/jbd2.h>
#include <linux/workqueue.h>
#include "ocfs2.h"

#define TL_FLUSH_DELAY		(2 * HZ)
/* one record's clusters freed per transaction at most (bounds credits) */
#define TL_CHUNK_CLUSTERS	(32U * 1024)

static struct ocfs2_truncate_log *tl_of(struct ocfs2_sb_info *osb)
{
	return &((struct ocfs2_dinode *)osb->tl_bh->b_data)->id2.i_dealloc;
}

static int check_log(struct ocfs2_sb_info *osb, const struct ocfs2_dinode *di)
{
	const struct ocfs2_truncate_log *tl = &di->id2.i_dealloc;
	u16 count = le16_to_cpu(tl->tl_count);
	u16 used = le16_to_cpu(tl->tl_used);
	u16 i;

	if (!(le32_to_cpu(di->i_flags) & OCFS2_DEALLOC_FL) || !count ||
	    count > ocfs2_truncate_recs_per_inode(osb->sb->s_blocksize) ||
	    used > count)
		goto bad;
	for (i = 0; i < used; i++) {
		u32 start = le32_to_cpu(tl->tl_recs[i].t_start);
		u32 len = le32_to_cpu(tl->tl_recs[i].t_clusters);

		if (start >= osb->total_clusters ||
		    len > osb->total_clusters - start)
			goto bad;
	}
	return 0;
bad:
	return ocfs2_fs_error(osb->sb, __func__,
			      "truncate_log:%04d: bad flags, capacity or record; run fsck.ocfs2",
			      osb->slot);
}

static u32 log_clusters(const struct ocfs2_truncate_log *tl)
{
	u16 i, used = le16_to_cpu(tl->tl_used);
	u32 sum = 0;

	for (i = 0; i < used; i++)
		sum += le32_to_cpu(tl->tl_recs[i].t_clusters);
	return sum;
}

/* The run follows the tail record: stock's merge rule (no new record). */
static bool can_merge(const struct ocfs2_truncate_log *tl, u32 start,
		      u32 count)
{
	u16 used = le16_to_cpu(tl->tl_used);
	const struct ocfs2_truncate_rec *tail;
	u32 len;

	if (!used)
		return false;
	tail = &tl->tl_recs[used - 1];
	len = le32_to_cpu(tail->t_clusters);
	return le32_to_cpu(tail->t_start) + len == start &&
	       len <= U32_MAX - count;
}

static int append_locked(handle_t *handle, struct ocfs2_sb_info *osb,
			 u32 start, u32 count)
{
	struct ocfs2_truncate_log *tl = tl_of(osb);
	u16 used = le16_to_cpu(tl->tl_used);
	int ret;

	ret = ocfs2_journal_access(handle, osb->tl_bh);
	if (ret)
		return ret;
	if (can_merge(tl, start, count)) {
		le32_add_cpu(&tl->tl_recs[used - 1].t_clusters, count);
	} else {
		tl->tl_recs[used].t_start = cpu_to_le32(start);
		tl->tl_recs[used].t_clusters = cpu_to_le32(count);
		tl->tl_used = cpu_to_le16(used + 1);
	}
	ocfs2_journal_dirty(handle, osb->tl_bh);
	osb->tl_clusters += count;
	return 0;
}

static bool log_full(struct ocfs2_sb_info *osb, u32 start, u32 count)
{
	struct ocfs2_truncate_log *tl = tl_of(osb);

	return le16_to_cpu(tl->tl_used) >= le16_to_cpu(tl->tl_count) &&
	       !can_merge(tl, start, count);
}

/*
 * Free @count clusters from @start in @handle: into the truncate log, or
 * straight to the global bitmap while no log is open (mount-time
 * recovery).  Each transaction was promised room for the records it
 * appends before it started (ocfs2_tl_reserve, flushing when needed);
 * only a transaction that frees more runs than it declared, or one
 * nested in another (no flush possible there), can find the log full:
 * then the run goes to the bitmap at once, with a warning.
 */
int ocfs2_release_clusters(handle_t *handle, struct ocfs2_sb_info *osb,
			   u32 start, u32 count)
{
	int ret;

	if (!count)
		return 0;
	if (start >= osb->total_clusters ||
	    count > osb->total_clusters - start)
		return ocfs2_fs_error(osb->sb, __func__,
				      "freeing clusters %u+%u outside the volume",
				      start, count);
	if (!osb->tl_bh)
		return ocfs2_free_clusters(handle, osb, start, count);
	mutex_lock(&osb->tl_mutex);
	if (log_full(osb, start, count)) {
		mutex_unlock(&osb->tl_mutex);
		pr_warn_ratelimited("ocfs2: %s: truncate_log:%04d is full; clusters %u+%u freed without waiting for a checkpoint\n",
				    osb->sb->s_id, osb->slot, start, count);
		return ocfs2_free_clusters(handle, osb, start, count);
	}
	ret = append_locked(handle, osb, start, count);
	mutex_unlock(&osb->tl_mutex);
	if (!ret)
		mod_delayed_work(system_unbound_wq, &osb->tl_work,
				 TL_FLUSH_DELAY);
	return ret;
}

/* Drop record @i of the log, the later ones moving up. */
static void drop_record(struct ocfs2_truncate_log *tl, u16 i)
{
	u16 used = le16_to_cpu(tl->tl_used);

	memmove(&tl->tl_recs[i], &tl->tl_recs[i + 1],
		(used - 1 - i) * sizeof(tl->tl_recs[0]));
	memset(&tl->tl_recs[used - 1], 0, sizeof(tl->tl_recs[0]));
	tl->tl_used = cpu_to_le16(used - 1);
}

/*
 * Take up to @limit clusters (a chunk at most) from the first (@front)
 * or last record: the front of the first, the tail of the last, so the
 * record keeps one run.  True when that emptied the record and dropped it.
 */
static bool take_piece(struct ocfs2_truncate_log *tl, bool front, u32 limit,
		       struct ocfs2_run *run)
{
	u16 i = front ? 0 : le16_to_cpu(tl->tl_used) - 1;
	struct ocfs2_truncate_rec *rec = &tl->tl_recs[i];
	u32 start = le32_to_cpu(rec->t_start);
	u32 len = le32_to_cpu(rec->t_clusters);

	run->count = min3(len, limit, TL_CHUNK_CLUSTERS);
	run->cluster = front ? start : start + len - run->count;
	if (run->count == len) {
		drop_record(tl, i);
		return true;
	}
	if (front)
		rec->t_start = cpu_to_le32(start + run->count);
	rec->t_clusters = cpu_to_le32(len - run->count);
	return false;
}

/*
 * In @handle: a piece of the first (@front) or last record of the
 * truncate log in @bh (a slot's; its lock or tl_mutex held) back to the
 * global bitmap, and the record shortened or dropped with it, so a crash
 * leaves both or neither.  *@run is what was taken.  The record goes even
 * when the free fails: the free reported the damage and changed no bit of
 * the group it failed in (bits found clear are free already, a group that
 * cannot be read leaks its clusters until fsck), and a record kept would
 * fail every later flush and mount.  Credits: ocfs2_tl_piece_credits().
 */
int ocfs2_tl_free_piece(handle_t *handle, struct ocfs2_sb_info *osb,
			struct buffer_head *bh, bool front, u32 limit,
			struct ocfs2_run *run, bool *dropped)
{
	struct ocfs2_truncate_log *tl =
		&((struct ocfs2_dinode *)bh->b_data)->id2.i_dealloc;
	int ret;

	run->count = 0;
	*dropped = false;
	if (!tl->tl_used)
		return 0;
	ret = ocfs2_journal_access(handle, bh);
	if (ret)
		return ret;
	*dropped = take_piece(tl, front, limit, run);
	ocfs2_journal_dirty(handle, bh);
	if (!run->count)
		return 0;
	return ocfs2_free_clusters(handle, osb, run->cluster, run->count);
}

int ocfs2_tl_piece_credits(struct ocfs2_sb_info *osb)
{
	return 1 + ocfs2_free_clusters_credits(osb, TL_CHUNK_CLUSTERS);
}

/* One transaction: a piece of the front record back to the bitmap. */
static int free_front(struct ocfs2_sb_info *osb, u32 limit, u32 *done,
		      bool *dropped)
{
	struct ocfs2_run run;
	handle_t *handle;
	int ret, ret2;

	ret = ocfs2_alloc_lock(osb, OCFS2_AL_BITMAP);
	if (ret)
		return ret;
	handle = ocfs2_start_trans(osb, ocfs2_tl_piece_credits(osb));
	if (IS_ERR(handle)) {
		ret = PTR_ERR(handle);
		goto out;
	}
	/* held across the free: statfs never sees the record and bits apart */
	mutex_lock(&osb->tl_mutex);
	ret = ocfs2_tl_free_piece(handle, osb, osb->tl_bh, true, limit, &run,
				  dropped);
	osb->tl_clusters -= run.count;
	*done = run.count;
	mutex_unlock(&osb->tl_mutex);
	ret2 = ocfs2_commit_trans(handle);
	ret = ret ?: ret2;
out:
	ocfs2_alloc_unlock(osb, OCFS2_AL_BITMAP);
	return ret;
}

/*
 * The records present now: how many, and how many clusters of the last
 * one (a later append may extend it).  Flushes take records from the
 * front and appends add or merge at the tail, so these stay the first
 * records until this flush has taken them.
 */
static u16 snapshot(struct ocfs2_sb_info *osb, u32 *last_len)
{
	struct ocfs2_truncate_log *tl;
	u16 used;

	mutex_lock(&osb->tl_mutex);
	tl = tl_of(osb);
	used = le16_to_cpu(tl->tl_used);
	*last_len = used ? le32_to_cpu(tl->tl_recs[used - 1].t_clusters) : 0;
	mutex_unlock(&osb->tl_mutex);
	return used;
}

static int flush_locked(struct ocfs2_sb_info *osb)
{
	u32 last_len, done;
	bool dropped;
	u16 recs;
	int ret = 0;

	recs = snapshot(osb, &last_len);
	if (!recs)
		return 0;
	/* every copy of the freed clusters' metadata reaches its home */
	ocfs2_checkpoint_wait(osb, ocfs2_checkpoint_seq(osb));
	if (!osb->journal || is_journal_aborted(osb->journal))
		return -EROFS;
	while (recs && !(recs == 1 && !last_len)) {
		dropped = false;
		ret = free_front(osb, recs == 1 ? last_len : U32_MAX, &done,
				 &dropped);
		if (ret)
			break;
		if (recs == 1)
			last_len -= done;
		if (dropped)
			recs--;
	}
	return ret;
}

/* Never with a handle open. */
int ocfs2_tl_flush(struct ocfs2_sb_info *osb)
{
	int ret;

	if (!osb->tl_bh)
		return 0;
	mutex_lock(&osb->tl_flush_mutex);
	ret = flush_locked(osb);
	mutex_unlock(&osb->tl_flush_mutex);
	if (ret)
		ocfs2_err(osb->sb, "flushing truncate_log:%04d failed (error %d); its clusters stay reserved until the next mount",
			  osb->slot, ret);
	return ret;
}

static void tl_worker(struct work_struct *work)
{
	struct ocfs2_sb_info *osb = container_of(to_delayed_work(work),
						 struct ocfs2_sb_info,
						 tl_work);

	ocfs2_tl_flush(osb);
}

/*
 * Free clusters of the global bitmap as last seen by this node's
 * allocations and frees (no lock taken: stock takes none here either);
 * read once under the bitmap's lock when nothing was seen yet.
 */
static u32 global_free(struct ocfs2_sb_info *osb)
{
	u32 seen = READ_ONCE(osb->global_free_seen);
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	u32 total, used;

	if (seen != U32_MAX)
		return seen;
	if (ocfs2_inode_lock(osb->global_bitmap, &bh, 0))
		return 0;
	di = (struct ocfs2_dinode *)bh->b_data;
	total = le32_to_cpu(di->id1.bitmap1.i_total);
	used = le32_to_cpu(di->id1.bitmap1.i_used);
	brelse(bh);
	ocfs2_inode_unlock(osb->global_bitmap, 0);
	seen = used < total ? total - used : 0;
	WRITE_ONCE(osb->global_free_seen, seen);
	return seen;
}

/*
 * Half full; or, for a transaction that may allocate from the bitmap
 * (not one served by the window), the bitmap nearly full.
 */
static bool must_flush(struct ocfs2_sb_info *osb, bool windowed)
{
	u16 used, count;

	mutex_lock(&osb->tl_mutex);
	used = le16_to_cpu(tl_of(osb)->tl_used);
	count = le16_to_cpu(tl_of(osb)->tl_count);
	mutex_unlock(&osb->tl_mutex);
	if (!used)
		return false;
	if (used >= count / 2)
		return true;
	return !windowed &&
	       global_free(osb) < max(osb->total_clusters / 64, 2048U);
}

/* The flush's own transactions committed: the bits may be handed out. */
static void flush_committed(struct ocfs2_sb_info *osb)
{
	if (!ocfs2_tl_flush(osb))
		jbd2_journal_force_commit(osb->journal);
}

/* Room for @recs more records beside those promised; tl_mutex held. */
static bool room_for(struct ocfs2_sb_info *osb, u16 recs)
{
	struct ocfs2_truncate_log *tl = tl_of(osb);

	return le16_to_cpu(tl->tl_used) + osb->tl_reserved + recs <=
	       le16_to_cpu(tl->tl_count);
}

/*
 * Before a transaction that may claim or free clusters (no allocator
 * lock held): promise it room for @recs records, flushing first when
 * the log lacks it, as stock flushes before a truncate; and give the
 * log's clusters back when the volume runs short, so that neither a
 * full log nor clusters waiting in it make an allocation fail.  Within
 * another transaction (no flush possible) the promise is made anyway;
 * ocfs2_release_clusters() copes with a full log.
 */
void ocfs2_tl_reserve(struct ocfs2_sb_info *osb, u16 recs, bool windowed)
{
	bool outer = !journal_current_handle();
	int tries = 3;

	if (!osb->tl_bh)
		return;
	if (outer && READ_ONCE(osb->tl_clusters) && must_flush(osb, windowed))
		flush_committed(osb);
	mutex_lock(&osb->tl_mutex);
	while (outer && tries-- && !room_for(osb, recs)) {
		mutex_unlock(&osb->tl_mutex);
		flush_committed(osb);
		mutex_lock(&osb->tl_mutex);
	}
	osb->tl_reserved += recs;
	mutex_unlock(&osb->tl_mutex);
}

void ocfs2_tl_unreserve(struct ocfs2_sb_info *osb, u16 recs)
{
	if (!osb->tl_bh || !recs)
		return;
	mutex_lock(&osb->tl_mutex);
	osb->tl_reserved -= min_t(u32, osb->tl_reserved, recs);
	mutex_unlock(&osb->tl_mutex);
}

/*
 * statfs: the bitmap's used count less the clusters waiting here (they
 * belong to no file and an allocation that needs them flushes the log;
 * stock shows them used until its flush).  Under the log's mutex: a
 * flush is never seen half done (record dropped, bits still set).
 */
u32 ocfs2_tl_bitmap_used(struct ocfs2_sb_info *osb,
			 const struct ocfs2_dinode *di)
{
	u32 used;

	if (!READ_ONCE(osb->tl_bh))
		return le32_to_cpu(di->id1.bitmap1.i_used);
	mutex_lock(&osb->tl_mutex);
	used = le32_to_cpu(di->id1.bitmap1.i_used);
	used -= min(used, osb->tl_clusters);
	mutex_unlock(&osb->tl_mutex);
	return used;
}

/* After the slot's allocators were recovered at mount: keep the log. */
int ocfs2_tl_open(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct buffer_head *bh;
	struct inode *inode;
	int ret;

	mutex_init(&osb->tl_mutex);
	mutex_init(&osb->tl_flush_mutex);
	INIT_DELAYED_WORK(&osb->tl_work, tl_worker);
	inode = ocfs2_get_system_inode(sb, TRUNCATE_LOG_SYSTEM_INODE,
				       osb->slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = ocfs2_read_meta(sb, OCFS2_I(inode)->blkno, OCFS2_BLOCK_DINODE,
			      &bh);
	if (!ret)
		ret = check_log(osb, (struct ocfs2_dinode *)bh->b_data);
	if (ret) {
		brelse(bh);
		iput(inode);
		return ret;
	}
	osb->tl_inode = inode;
	osb->tl_bh = bh;
	osb->tl_clusters = log_clusters(tl_of(osb));
	osb->tl_reserved = 0;
	return 0;
}

/*
 * An allocation failed with ENOSPC: if the log or the local alloc
 * window holds clusters, give them back (committed, so the allocator
 * may use them) and say to retry.
 */
bool ocfs2_tl_flush_for_space(struct ocfs2_sb_info *osb)
{
	bool freed = false;

	if (journal_current_handle())
		return false;
	if (osb->tl_bh && READ_ONCE(osb->tl_clusters) && !ocfs2_tl_flush(osb))
		freed = !jbd2_journal_force_commit(osb->journal);
	return ocfs2_la_give_back(osb) || freed;
}

/* Unmount or remount read-only, before the journal closes: empty it. */
void ocfs2_tl_close(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	if (!osb->tl_bh)
		return;
	cancel_delayed_work_sync(&osb->tl_work);
	if (osb->journal && !is_journal_aborted(osb->journal))
		ocfs2_tl_flush(osb);
	brelse(osb->tl_bh);
	osb->tl_bh = NULL;
	iput(osb->tl_inode);
	osb->tl_inode = NULL;
}
