// SPDX-License-Identifier: GPL-2.0
/*
 * Metadata blocks claimed at the start of a transaction, before it
 * changes anything, for a change that cannot stop half way.  A copy on
 * write cuts an extent record and inserts its pieces again: an extent
 * allocator running dry between the two would leave the file without
 * some of its clusters, so the journal had to be aborted.  Claimed
 * first, a shortage shows while nothing is changed yet: what was got
 * goes back and the caller returns -ENOSPC with a transaction that holds
 * no half-made change (at most an allocator grown by a group, a whole
 * change of its own).  ocfs2_claim_meta hands the blocks out first; the
 * ones left go back before the commit (ocfs2_commit_alloc_trans).
 */
#include <linux/moduleparam.h>
#include "ocfs2.h"

/* 0: no claim ahead (the session 11 behaviour: ENOSPC mid-change aborts) */
static bool meta_ahead = true;
module_param(meta_ahead, bool, 0644);
MODULE_PARM_DESC(meta_ahead,
		 "copy on write and FICLONE claim their metadata blocks before changing anything (default on)");

int ocfs2_meta_give_back(handle_t *handle, struct ocfs2_sb_info *osb,
			 struct ocfs2_alloc_hold *hold)
{
	struct ocfs2_claim *c;
	int ret = 0, ret2;

	while (hold->ahead_left) {
		c = &hold->ahead[--hold->ahead_left];
		ret2 = ocfs2_free_suballoc_block(handle, osb->sb, c->blkno,
						 c->slot, c->bit, c->loc);
		if (!ret)
			ret = ret2;
	}
	kfree(hold->ahead);
	hold->ahead = NULL;
	return ret;
}

bool ocfs2_meta_take_ahead(struct ocfs2_sb_info *osb,
			   struct ocfs2_claim *claim)
{
	struct ocfs2_alloc_hold *hold = ocfs2_alloc_hold_of(osb);

	if (!hold || !hold->ahead_left)
		return false;
	*claim = hold->ahead[--hold->ahead_left];
	return true;
}

/*
 * Whether @count metadata blocks can be had now: claimed and given back
 * in a transaction of their own, before a change made of many
 * transactions starts (refcount_probe.c).
 */
int ocfs2_meta_probe(struct ocfs2_sb_info *osb, unsigned int count)
{
	handle_t *handle;
	int ret;

	if (!count || !READ_ONCE(meta_ahead))
		return 0;
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 OCFS2_META_AHEAD_CREDITS);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_meta_claim_ahead(handle, osb, count);
	/* what was claimed goes back at the commit */
	ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
	return ret;
}

/*
 * In @handle, before it changes anything: @count metadata blocks for
 * the claims of this transaction (opened with OCFS2_AL_EXTENT and the
 * bitmap, so that it has a hold).  On failure none is kept.
 */
int ocfs2_meta_claim_ahead(handle_t *handle, struct ocfs2_sb_info *osb,
			   unsigned int count)
{
	struct ocfs2_alloc_hold *hold = ocfs2_alloc_hold_of(osb);
	struct ocfs2_claim *got;
	unsigned int n = 0;
	int ret = 0, ret2;

	if (!count || !READ_ONCE(meta_ahead))
		return 0;
	if (!hold || hold->ahead)
		return -EINVAL;
	got = kcalloc(count, sizeof(*got), GFP_NOFS);
	if (!got)
		return -ENOMEM;
	/* not handed out while they are being claimed */
	while (n < count && !ret) {
		ret = ocfs2_claim_meta(handle, osb, &got[n]);
		if (!ret)
			n++;
	}
	hold->ahead = got;
	hold->ahead_left = n;
	if (!ret)
		return 0;
	ret2 = ocfs2_meta_give_back(handle, osb, hold);
	return ret2 ? ret2 : ret;
}
