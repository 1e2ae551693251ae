// SPDX-License-Identifier: GPL-2.0
/*
 * Allocator locks are taken before a transaction starts, never inside
 * one.  A task that waits for a cluster lock with a handle open holds up
 * its node's checkpoint; the node that has the lock may need exactly
 * that checkpoint's counterpart on its side, or wait for us, before it
 * can give the lock up, and two nodes doing that wait for each other.
 * So a transaction that may claim or free clusters or metadata blocks
 * first takes the allocators' meta locks exclusive here; the claim and
 * free functions take them again inside (a nested hold, granted at once).
 */
#include "ocfs2.h"

static struct inode *alloc_inode_of(struct ocfs2_sb_info *osb,
				    unsigned int bit)
{
	switch (bit) {
	case OCFS2_AL_INODE:
		return osb->inode_alloc;
	case OCFS2_AL_EXTENT:
		return osb->extent_alloc;
	default:
		return osb->global_bitmap;
	}
}

/* Always in this order: inode allocator, extent allocator, bitmap. */
static const unsigned int lock_order[] = {
	OCFS2_AL_INODE, OCFS2_AL_EXTENT, OCFS2_AL_BITMAP,
};

void ocfs2_alloc_unlock(struct ocfs2_sb_info *osb, unsigned int which)
{
	struct inode *alloc;
	int i;

	if (osb->locks.local)
		return;
	for (i = ARRAY_SIZE(lock_order) - 1; i >= 0; i--) {
		alloc = alloc_inode_of(osb, lock_order[i]);
		if ((which & lock_order[i]) && alloc)
			ocfs2_inode_unlock(alloc, 1);
	}
}

int ocfs2_alloc_lock(struct ocfs2_sb_info *osb, unsigned int which)
{
	unsigned int i, held = 0;
	struct inode *alloc;
	int ret;

	if (osb->locks.local)
		return 0;
	for (i = 0; i < ARRAY_SIZE(lock_order); i++) {
		if (!(which & lock_order[i]))
			continue;
		alloc = alloc_inode_of(osb, lock_order[i]);
		if (!alloc)
			continue;
		ret = ocfs2_inode_lock(alloc, NULL, 1);
		if (ret) {
			ocfs2_alloc_unlock(osb, held);
			return ret;
		}
		held |= lock_order[i];
	}
	return 0;
}

/* window bits a windowed transaction asks for: a page spans one cluster */
#define WINDOW_TRANS_BITS	2U
/* a suballocator this short of free bits may want a group of clusters */
#define SUBALLOC_LOW_BITS	32U

struct ocfs2_alloc_hold *ocfs2_alloc_hold_of(struct ocfs2_sb_info *osb)
{
	struct ocfs2_alloc_hold *h, *found = NULL;

	spin_lock(&osb->hold_lock);
	list_for_each_entry(h, &osb->holds, list) {
		if (h->task == current) {
			found = h;
			break;
		}
	}
	spin_unlock(&osb->hold_lock);
	return found;
}

static bool suballoc_low(struct ocfs2_sb_info *osb, unsigned int which)
{
	static const unsigned int subs[] = { OCFS2_AL_INODE, OCFS2_AL_EXTENT };
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	struct inode *alloc;
	bool low = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(subs) && !low; i++) {
		alloc = alloc_inode_of(osb, subs[i]);
		if (!(which & subs[i]) || !alloc)
			continue;
		/* held already: granted at once, the block is current */
		if (ocfs2_inode_lock(alloc, &bh, 1))
			return true;
		di = (struct ocfs2_dinode *)bh->b_data;
		low = le32_to_cpu(di->id1.bitmap1.i_total) -
		      le32_to_cpu(di->id1.bitmap1.i_used) < SUBALLOC_LOW_BITS;
		brelse(bh);
		ocfs2_inode_unlock(alloc, 1);
	}
	return low;
}

/*
 * A transaction served by the window leaves the global bitmap's lock
 * alone, unless a suballocator it uses may have to grow (that takes a
 * group from the bitmap, and its lock must come before the handle).  An
 * outer transaction that may take metadata blocks keeps another slot's
 * extent allocator at hand when ours may run dry (steal.c): locked after
 * ours and before the bitmap.
 */
static int lock_for(struct ocfs2_sb_info *osb, struct ocfs2_alloc_hold *hold,
		    bool outer)
{
	unsigned int subs = hold->locked & ~OCFS2_AL_BITMAP;
	bool bitmap = hold->locked & OCFS2_AL_BITMAP;
	int ret;

	if (osb->locks.local)
		return 0;
	ret = ocfs2_alloc_lock(osb, subs);
	if (ret)
		return ret;
	if (outer && (subs & OCFS2_AL_EXTENT)) {
		ret = ocfs2_steal_prepare(osb, hold);
		if (ret)
			goto fail;
	}
	if (bitmap && hold->la_bits)
		bitmap = suballoc_low(osb, subs);
	if (bitmap) {
		ret = ocfs2_alloc_lock(osb, OCFS2_AL_BITMAP);
		if (ret)
			goto fail;
	}
	hold->locked = subs | (bitmap ? OCFS2_AL_BITMAP : 0);
	return 0;
fail:
	ocfs2_steal_release(hold);
	ocfs2_alloc_unlock(osb, subs);
	return ret;
}

static void unlock_hold(struct ocfs2_sb_info *osb,
			struct ocfs2_alloc_hold *hold)
{
	if (osb->locks.local)
		return;
	ocfs2_alloc_unlock(osb, hold->locked & OCFS2_AL_BITMAP);
	ocfs2_steal_release(hold);
	ocfs2_alloc_unlock(osb, hold->locked & ~OCFS2_AL_BITMAP);
}

static void drop_hold(struct ocfs2_sb_info *osb, struct ocfs2_alloc_hold *hold)
{
	ocfs2_la_unreserve(osb, hold->la_bits);
	ocfs2_tl_unreserve(osb, hold->tl_recs);
	kfree(hold);
}

/*
 * Promises first, with no handle open: up to @bits window bits (a slide
 * may run its own transaction) and room in the truncate log for @runs
 * records (a flush may run), then the locks, then the handle.
 */
static handle_t *start_trans_promised(struct ocfs2_sb_info *osb,
				      unsigned int which, int credits,
				      u16 runs, u32 bits)
{
	bool outer = !journal_current_handle();
	struct ocfs2_alloc_hold *hold;
	handle_t *handle;
	int ret;

	hold = kzalloc(sizeof(*hold), GFP_NOFS);
	if (!hold)
		return ERR_PTR(-ENOMEM);
	hold->task = current;
	hold->locked = which & ~OCFS2_AL_WINDOW;
	if ((which & OCFS2_AL_WINDOW) && outer)
		hold->la_bits = ocfs2_la_reserve(osb, bits);
	else if (outer)
		ocfs2_la_before_global(osb);
	ocfs2_tl_reserve(osb, runs, hold->la_bits);
	hold->tl_recs = runs;
	ret = lock_for(osb, hold, outer);
	if (ret)
		goto fail;
	spin_lock(&osb->hold_lock);
	list_add(&hold->list, &osb->holds);
	spin_unlock(&osb->hold_lock);
	handle = ocfs2_start_trans(osb, credits);
	if (!IS_ERR(handle))
		return handle;
	ret = PTR_ERR(handle);
	spin_lock(&osb->hold_lock);
	list_del(&hold->list);
	spin_unlock(&osb->hold_lock);
	unlock_hold(osb, hold);
fail:
	drop_hold(osb, hold);
	return ERR_PTR(ret);
}

handle_t *ocfs2_start_free_trans(struct ocfs2_sb_info *osb,
				 unsigned int which, int credits, u16 runs)
{
	if (!(which & OCFS2_AL_BITMAP))
		return ocfs2_start_alloc_trans(osb, which, credits);
	return start_trans_promised(osb, which, credits, runs,
				    WINDOW_TRANS_BITS);
}

/*
 * A data allocation of up to @clusters clusters in one transaction (a
 * batched write): the window promises that many bits if it has them;
 * the rest comes from the bitmap.
 */
handle_t *ocfs2_start_clusters_trans(struct ocfs2_sb_info *osb, int credits,
				     u32 clusters)
{
	return start_trans_promised(osb, OCFS2_AL_CLUSTERS, credits, 1,
				    max(clusters, WINDOW_TRANS_BITS));
}

/* A transaction that frees at most one run (one truncate log record). */
handle_t *ocfs2_start_alloc_trans(struct ocfs2_sb_info *osb,
				  unsigned int which, int credits)
{
	handle_t *handle;
	int ret;

	if (which & OCFS2_AL_BITMAP)
		return ocfs2_start_free_trans(osb, which, credits, 1);
	ret = ocfs2_alloc_lock(osb, which);
	if (ret)
		return ERR_PTR(ret);
	handle = ocfs2_start_trans(osb, credits);
	if (IS_ERR(handle))
		ocfs2_alloc_unlock(osb, which);
	return handle;
}

int ocfs2_commit_alloc_trans(struct ocfs2_sb_info *osb, handle_t *handle,
			     unsigned int which)
{
	struct ocfs2_alloc_hold *hold = NULL;
	int ret = 0;

	if (which & OCFS2_AL_BITMAP)
		hold = ocfs2_alloc_hold_of(osb);
	/* blocks claimed ahead and not used: bits marked used for nothing */
	if (hold && hold->ahead) {
		ret = ocfs2_meta_give_back(handle, osb, hold);
		if (ret)
			jbd2_journal_abort(osb->journal, ret);
	}
	ret = ocfs2_commit_trans(handle) ?: ret;
	if (!hold) {
		ocfs2_alloc_unlock(osb, which);
		return ret;
	}
	spin_lock(&osb->hold_lock);
	list_del(&hold->list);
	spin_unlock(&osb->hold_lock);
	unlock_hold(osb, hold);
	drop_hold(osb, hold);
	return ret;
}

/*
 * Commit a transaction that claimed or freed: when @ret says it stopped
 * half way, the journal is aborted first so that none of it reaches the
 * disk.  The first error wins.
 */
int ocfs2_commit_or_abort(struct ocfs2_sb_info *osb, handle_t *handle,
			  unsigned int which, int ret)
{
	int ret2;

	if (ret)
		jbd2_journal_abort(osb->journal, ret);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, which);
	return ret ? ret : ret2;
}
