// SPDX-License-Identifier: GPL-2.0
/*
 * Giving back what a slot's allocators held when its node died.
 *
 * A slot keeps two things outside the global bitmap's accounting: the
 * local alloc window (a run of global bits set aside for the slot, of
 * which only the bits set in the window's own bitmap went to files) and
 * the truncate log (runs freed from files whose global bits are still
 * set).  Once the slot's journal has been replayed, both go back to the
 * global bitmap, in one of two ways.
 *
 * Our own slot at mount (ocfs2_recover_slot_allocs): in transactions of
 * our journal, each clearing the global bits together with the record
 * that held them (the zeroed window, the shortened log), so a crash
 * part-way leaves a volume on which this simply runs again; no bit is
 * leaked or freed twice.  No other node looks at our slot meanwhile.
 *
 * A dead node's slot (ocfs2_take_slot_allocs, then
 * ocfs2_give_back_slot_allocs): the next node to take the slot, stock
 * included, reads its window and log from disk without any cluster lock
 * (the slot's journal lock makes them its own), and a stock recoverer
 * holds the superblock lock while it waits for that journal lock.  So the
 * recoverer copies both and writes them home empty while it holds the
 * superblock and journal locks, needing no journal of its own, and frees
 * the copied bits later, holding neither, as stock does.  A recoverer
 * dying in between leaks those bits until fsck.ocfs2 finds them.
 */
#include <linux/slab.h>
#include <ocfs2/blockcheck.h>
#include "ocfs2.h"

static int bad_slot_inode(struct ocfs2_sb_info *osb, const char *what,
			  int slot, const char *why)
{
	return ocfs2_fs_error(osb->sb, __func__, "%s:%04d %s; run fsck.ocfs2",
			      what, slot, why);
}

int ocfs2_check_window(struct ocfs2_sb_info *osb, int slot,
		       const struct ocfs2_dinode *di)
{
	const struct ocfs2_local_alloc *la = &di->id2.i_lab;
	u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
	u32 off = le32_to_cpu(la->la_bm_off);

	if (!(le32_to_cpu(di->i_flags) & OCFS2_LOCAL_ALLOC_FL))
		return bad_slot_inode(osb, "local_alloc", slot,
				      "lacks the local alloc flag");
	if (le16_to_cpu(la->la_size) >
	    ocfs2_local_alloc_size(osb->sb->s_blocksize) ||
	    total > le16_to_cpu(la->la_size) * 8U ||
	    le32_to_cpu(di->id1.bitmap1.i_used) > total)
		return bad_slot_inode(osb, "local_alloc", slot,
				      "has a window larger than its bitmap");
	if (off >= osb->total_clusters || total > osb->total_clusters - off)
		return bad_slot_inode(osb, "local_alloc", slot,
				      "has a window outside the volume");
	return 0;
}

/* Free every run of the window that no file took; *freed counts them. */
static int free_window_runs(handle_t *handle, struct ocfs2_sb_info *osb,
			    const struct ocfs2_dinode *di, u32 *freed)
{
	const void *map = di->id2.i_lab.la_bitmap;
	u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
	u32 off = le32_to_cpu(di->id2.i_lab.la_bm_off);
	u32 bit = 0, end;
	int ret;

	*freed = 0;
	while (bit < total) {
		bit = find_next_zero_bit_le(map, total, bit);
		if (bit >= total)
			break;
		end = find_next_bit_le(map, total, bit);
		ret = ocfs2_free_clusters(handle, osb, off + bit, end - bit);
		if (ret)
			return ret;
		*freed += end - bit;
		bit = end;
	}
	return 0;
}

static void clear_window(struct ocfs2_dinode *di)
{
	struct ocfs2_local_alloc *la = &di->id2.i_lab;

	di->id1.bitmap1.i_total = 0;
	di->id1.bitmap1.i_used = 0;
	la->la_bm_off = 0;
	memset(la->la_bitmap, 0, le16_to_cpu(la->la_size));
}

/*
 * In @handle: the window's free bits back to the global bitmap and the
 * window emptied, together.  The caller holds the bitmap's locks and
 * has credits for ocfs2_window_release_credits().
 */
int ocfs2_window_release(handle_t *handle, struct ocfs2_sb_info *osb,
			 struct buffer_head *bh, u32 *freed)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;
	int ret;

	ret = ocfs2_journal_access(handle, bh);
	if (!ret)
		ret = free_window_runs(handle, osb, di, freed);
	if (ret)
		return ret;
	clear_window(di);
	ocfs2_journal_dirty(handle, bh);
	return 0;
}

int ocfs2_window_release_credits(struct ocfs2_sb_info *osb,
				 struct buffer_head *bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;

	return ocfs2_free_clusters_credits(osb,
			le32_to_cpu(di->id1.bitmap1.i_total)) + 1;
}

/* The window returned in a transaction of its own. */
int ocfs2_return_window(struct ocfs2_sb_info *osb, int slot,
			struct buffer_head *bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;
	u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
	handle_t *handle;
	u32 freed = 0;
	int ret, ret2;

	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_BITMAP,
					 ocfs2_window_release_credits(osb, bh));
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_window_release(handle, osb, bh, &freed);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_BITMAP);
	if (!ret && !ret2)
		ocfs2_info(osb->sb, "local_alloc:%04d: returned %u free clusters of its %u-cluster window",
			   slot, freed, total);
	return ret ? ret : ret2;
}

/*
 * @inode's block, under its meta lock held EX, read from the disk.  That
 * lock does not cover a slot's local alloc and truncate log: stock nodes
 * never take it, so a copy this node cached under it (it recovered the
 * slot before, a stock node used the slot since) may be old.  The lock
 * only keeps our recoverers apart.  A copy with our own changes not yet
 * home (dirty or in our journal) is ours and newer: kept.
 */
static int lock_from_disk(struct inode *inode, struct buffer_head **bhp)
{
	int ret;

	ret = ocfs2_inode_lock(inode, NULL, 1);
	if (ret)
		return ret;
	ret = ocfs2_read_meta(inode->i_sb, OCFS2_I(inode)->blkno,
			      OCFS2_BLOCK_DINODE, bhp);
	if (ret)
		ocfs2_inode_unlock(inode, 1);
	return ret;
}

static int recover_window(struct ocfs2_sb_info *osb, int slot)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	struct inode *inode;
	int ret;

	inode = ocfs2_get_system_inode(osb->sb, LOCAL_ALLOC_SYSTEM_INODE,
				       slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	inode_lock(inode);
	ret = lock_from_disk(inode, &bh);
	if (ret)
		goto out;
	di = (struct ocfs2_dinode *)bh->b_data;
	ret = ocfs2_check_window(osb, slot, di);
	if (!ret && (di->id1.bitmap1.i_total || di->id2.i_lab.la_bm_off))
		ret = ocfs2_return_window(osb, slot, bh);
	brelse(bh);
	ocfs2_inode_unlock(inode, 1);
out:
	inode_unlock(inode);
	iput(inode);
	return ret;
}

static int check_log(struct ocfs2_sb_info *osb, int slot,
		     const struct ocfs2_dinode *di)
{
	const struct ocfs2_truncate_log *tl = &di->id2.i_dealloc;
	u16 i;

	if (!(le32_to_cpu(di->i_flags) & OCFS2_DEALLOC_FL))
		return bad_slot_inode(osb, "truncate_log", slot,
				      "lacks the dealloc flag");
	if (le16_to_cpu(tl->tl_count) >
	    ocfs2_truncate_recs_per_inode(osb->sb->s_blocksize) ||
	    le16_to_cpu(tl->tl_used) > le16_to_cpu(tl->tl_count))
		return bad_slot_inode(osb, "truncate_log", slot,
				      "holds more records than fit");
	for (i = 0; i < le16_to_cpu(tl->tl_used); i++) {
		u32 start = le32_to_cpu(tl->tl_recs[i].t_start);
		u32 len = le32_to_cpu(tl->tl_recs[i].t_clusters);

		if (start >= osb->total_clusters ||
		    len > osb->total_clusters - start)
			return bad_slot_inode(osb, "truncate_log", slot,
					      "has a record outside the volume");
	}
	return 0;
}

/*
 * The tail of the last record (a chunk at most) back to the bitmap, the
 * record shortened or dropped with it, in one transaction.
 */
static int free_log_tail(struct ocfs2_sb_info *osb, struct buffer_head *bh,
			 u32 *freed)
{
	struct ocfs2_run run;
	handle_t *handle;
	bool dropped;
	int ret, ret2;

	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_BITMAP,
					 ocfs2_tl_piece_credits(osb));
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_tl_free_piece(handle, osb, bh, false, U32_MAX, &run,
				  &dropped);
	if (!ret)
		*freed += run.count;
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_BITMAP);
	return ret ? ret : ret2;
}

static int recover_log(struct ocfs2_sb_info *osb, int slot)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	struct inode *inode;
	u32 freed = 0;
	u16 records;
	int ret;

	inode = ocfs2_get_system_inode(osb->sb, TRUNCATE_LOG_SYSTEM_INODE,
				       slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	inode_lock(inode);
	ret = lock_from_disk(inode, &bh);
	if (ret)
		goto out;
	di = (struct ocfs2_dinode *)bh->b_data;
	ret = check_log(osb, slot, di);
	records = le16_to_cpu(di->id2.i_dealloc.tl_used);
	while (!ret && di->id2.i_dealloc.tl_used)
		ret = free_log_tail(osb, bh, &freed);
	if (!ret && records)
		ocfs2_info(osb->sb, "truncate_log:%04d: freed %u clusters from %u records",
			   slot, freed, records);
	brelse(bh);
	ocfs2_inode_unlock(inode, 1);
out:
	inode_unlock(inode);
	iput(inode);
	return ret;
}

/*
 * Return our own @slot's local alloc window and truncate log to the
 * global bitmap, at mount, after the slot's journal has been replayed and
 * with this mount's journal open.  Safe to repeat: empty allocators cost
 * two inode reads.
 */
int ocfs2_recover_slot_allocs(struct ocfs2_sb_info *osb, int slot)
{
	int ret;

	if (slot < 0 || slot >= osb->max_slots)
		return -EINVAL;
	if (!osb->journal)
		return -EROFS;
	ret = recover_log(osb, slot);
	if (!ret)
		ret = recover_window(osb, slot);
	if (ret)
		ocfs2_err(osb->sb, "returning slot %d's allocators to the global bitmap failed (error %d)",
			  slot, ret);
	return ret;
}

/* A dead node's allocators, taken from its slot until they are freed. */
struct ocfs2_slot_allocs {
	int			slot;
	struct ocfs2_dinode	*window;	/* NULL: the window was empty */
	struct ocfs2_dinode	*log;		/* NULL: no records */
};

/* one truncate log record's clusters freed per transaction at most */
#define GIVE_BACK_CHUNK		(32U * 1024)

/*
 * A slot inode's block from the disk.  Its meta lock does not cover it:
 * stock nodes never take that lock, so a copy cached under it (this node
 * recovered the slot before, a stock node used it since) may be old.
 */
static int read_home(struct ocfs2_sb_info *osb, int type, int slot,
		     struct buffer_head **bhp)
{
	struct inode *inode;
	int ret;

	inode = ocfs2_get_system_inode(osb->sb, type, slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = ocfs2_read_meta(osb->sb, OCFS2_I(inode)->blkno,
			      OCFS2_BLOCK_DINODE, bhp);
	iput(inode);
	return ret;
}

static void clear_log(struct ocfs2_dinode *di)
{
	di->id2.i_dealloc.tl_used = 0;
}

/*
 * If @bh's allocator holds anything, *@copy gets a copy and the block is
 * written home emptied by @clear, outside any journal.  A failed write
 * drops the copy: the bits stay where the disk says they are, leaked at
 * worst, never freed twice.
 */
static int take_one(struct ocfs2_sb_info *osb, struct buffer_head *bh,
		    bool held, void (*clear)(struct ocfs2_dinode *),
		    struct ocfs2_dinode **copy)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;
	int ret;

	*copy = NULL;
	if (!held)
		return 0;
	*copy = kmemdup(bh->b_data, osb->sb->s_blocksize, GFP_NOFS);
	if (!*copy)
		return -ENOMEM;
	lock_buffer(bh);
	clear(di);
	if (ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_META_ECC))
		ocfs2_block_check_compute(bh->b_data, osb->sb->s_blocksize,
					  &di->i_check);
	unlock_buffer(bh);
	mark_buffer_dirty(bh);
	ret = sync_dirty_buffer(bh);
	if (ret) {
		kfree(*copy);
		*copy = NULL;
	}
	return ret;
}

static bool window_held(struct buffer_head *bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;

	return di->id1.bitmap1.i_total || di->id2.i_lab.la_bm_off;
}

static bool log_held(struct buffer_head *bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;

	return !!di->id2.i_dealloc.tl_used;
}

static int take_window(struct ocfs2_sb_info *osb, struct ocfs2_slot_allocs *t)
{
	struct buffer_head *bh;
	int ret;

	ret = read_home(osb, LOCAL_ALLOC_SYSTEM_INODE, t->slot, &bh);
	if (ret)
		return ret;
	ret = ocfs2_check_window(osb, t->slot,
				 (struct ocfs2_dinode *)bh->b_data);
	if (!ret)
		ret = take_one(osb, bh, window_held(bh), clear_window,
			       &t->window);
	brelse(bh);
	return ret;
}

static int take_log(struct ocfs2_sb_info *osb, struct ocfs2_slot_allocs *t)
{
	struct buffer_head *bh;
	int ret;

	ret = read_home(osb, TRUNCATE_LOG_SYSTEM_INODE, t->slot, &bh);
	if (ret)
		return ret;
	ret = check_log(osb, t->slot, (struct ocfs2_dinode *)bh->b_data);
	if (!ret)
		ret = take_one(osb, bh, log_held(bh), clear_log, &t->log);
	brelse(bh);
	return ret;
}

/*
 * Node recovery, holding the superblock lock and the dead @slot's journal
 * lock, its journal replayed: take the slot's window and truncate log
 * (see the top).  *@taken gets what was taken, NULL for nothing, also on
 * an error after one of the two was taken; give it to
 * ocfs2_give_back_slot_allocs() in any case.
 */
int ocfs2_take_slot_allocs(struct ocfs2_sb_info *osb, int slot,
			   struct ocfs2_slot_allocs **taken)
{
	struct ocfs2_slot_allocs *t;
	int ret;

	*taken = NULL;
	if (slot < 0 || slot >= osb->max_slots)
		return -EINVAL;
	t = kzalloc(sizeof(*t), GFP_NOFS);
	if (!t)
		return -ENOMEM;
	t->slot = slot;
	ret = take_window(osb, t);
	if (!ret)
		ret = take_log(osb, t);
	if (ret)
		ocfs2_err(osb->sb, "taking slot %d's local alloc and truncate log failed (error %d)",
			  slot, ret);
	if (t->window || t->log)
		*taken = t;
	else
		kfree(t);
	return ret;
}

/* The window's bits that no file took, in one transaction. */
static int give_back_window(struct ocfs2_sb_info *osb,
			    const struct ocfs2_dinode *di, int slot)
{
	u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
	handle_t *handle;
	u32 freed = 0;
	int ret, ret2;

	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_BITMAP,
					 ocfs2_free_clusters_credits(osb, total));
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = free_window_runs(handle, osb, di, &freed);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_BITMAP);
	if (!ret && !ret2)
		ocfs2_info(osb->sb, "local_alloc:%04d: returned %u free clusters of its %u-cluster window",
			   slot, freed, total);
	return ret ? ret : ret2;
}

static int give_back_run(struct ocfs2_sb_info *osb, u32 start, u32 count)
{
	handle_t *handle;
	int ret, ret2;

	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_BITMAP,
					 ocfs2_free_clusters_credits(osb, count));
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_free_clusters(handle, osb, start, count);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_BITMAP);
	return ret ? ret : ret2;
}

/* Every record's clusters, a chunk per transaction. */
static int give_back_log(struct ocfs2_sb_info *osb,
			 const struct ocfs2_dinode *di, int slot)
{
	const struct ocfs2_truncate_log *tl = &di->id2.i_dealloc;
	u16 i, records = le16_to_cpu(tl->tl_used);
	u32 start, left, n, freed = 0;
	int ret = 0;

	for (i = 0; !ret && i < records; i++) {
		start = le32_to_cpu(tl->tl_recs[i].t_start);
		left = le32_to_cpu(tl->tl_recs[i].t_clusters);
		while (!ret && left) {
			n = min(left, GIVE_BACK_CHUNK);
			ret = give_back_run(osb, start, n);
			if (!ret)
				freed += n;
			start += n;
			left -= n;
		}
	}
	if (!ret)
		ocfs2_info(osb->sb, "truncate_log:%04d: freed %u clusters from %u records",
			   slot, freed, records);
	return ret;
}

/*
 * Free the bits @t took, in transactions of our journal (open), holding
 * no lock of the slot; frees @t.  What fails stays set in the bitmap,
 * for fsck.ocfs2 to find.
 */
void ocfs2_give_back_slot_allocs(struct ocfs2_sb_info *osb,
				 struct ocfs2_slot_allocs *t)
{
	int ret = 0;

	if (!t)
		return;
	if (t->log)
		ret = give_back_log(osb, t->log, t->slot);
	if (!ret && t->window)
		ret = give_back_window(osb, t->window, t->slot);
	if (ret)
		ocfs2_err(osb->sb, "returning dead slot %d's local alloc and truncate log to the global bitmap failed (error %d); fsck.ocfs2 reclaims the clusters left",
			  t->slot, ret);
	kfree(t->window);
	kfree(t->log);
	kfree(t);
}
