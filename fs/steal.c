// SPDX-License-Identifier: GPL-2.0
/*
 * Metadata blocks from another slot's extent allocator, as stock steals
 * them, when this slot's allocator is empty and the volume has no
 * clusters left for a new group of its own (a node that joins a volume
 * another node filled).  The block records the slot it came from, so it
 * goes back there when freed.
 *
 * Allocator locks come before the transaction (alloc_lock.c), so the
 * choice is made there: on a cluster mount, when this slot's extent
 * allocator is nearly empty and the global bitmap cannot give it a
 * group, the first other slot (after ours, as stock looks) whose extent
 * allocator has free bits is locked too, between our extent allocator
 * and the bitmap in the lock order.  Inside the transaction, claims try
 * our own allocator first (growing it if it can) and only then that one.
 */
#include "ocfs2.h"

/* our allocator this short of free bits takes a stolen one as well */
#define STEAL_LOW_BITS	32U

/* Free bits of a chain allocator locked exclusive by this task. */
static int free_bits(struct inode *alloc, u32 *free, u32 *cpg)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	int ret;

	/* held already: granted at once, the block is current */
	ret = ocfs2_inode_lock(alloc, &bh, 1);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	*free = le32_to_cpu(di->id1.bitmap1.i_total) -
		min(le32_to_cpu(di->id1.bitmap1.i_used),
		    le32_to_cpu(di->id1.bitmap1.i_total));
	*cpg = le16_to_cpu(di->id2.i_chain.cl_cpg);
	brelse(bh);
	ocfs2_inode_unlock(alloc, 1);
	return 0;
}

/*
 * Whether a new group of @cpg clusters may still come from the bitmap:
 * its free count, read under its lock (taken and dropped here, after
 * our extent allocator's in the lock order).  A volume without
 * discontig-bg needs one free run of @cpg, which the count cannot tell:
 * there a stolen allocator is kept at hand whenever ours runs low.
 */
static int bitmap_can_grow(struct ocfs2_sb_info *osb, u32 cpg, bool *can)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	u32 total, used;
	int ret;

	*can = false;
	if (!ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_DISCONTIG_BG))
		return 0;
	ret = ocfs2_inode_lock(osb->global_bitmap, &bh, 0);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	total = le32_to_cpu(di->id1.bitmap1.i_total);
	used = le32_to_cpu(di->id1.bitmap1.i_used);
	brelse(bh);
	ocfs2_inode_unlock(osb->global_bitmap, 0);
	*can = used < total && total - used >= cpg;
	return 0;
}

/* @slot's extent allocator, locked exclusive if it has a free bit. */
static struct inode *lock_if_free(struct ocfs2_sb_info *osb, int slot)
{
	struct inode *alloc;
	u32 free, cpg;
	int ret;

	alloc = ocfs2_get_system_inode(osb->sb, EXTENT_ALLOC_SYSTEM_INODE,
				       slot);
	if (IS_ERR(alloc))
		return alloc;
	ret = ocfs2_inode_lock(alloc, NULL, 1);
	if (ret)
		goto fail;
	ret = free_bits(alloc, &free, &cpg);
	if (!ret && free)
		return alloc;
	ocfs2_inode_unlock(alloc, 1);
	if (!ret)
		ret = -ENOSPC;
fail:
	iput(alloc);
	return ERR_PTR(ret);
}

/* The first other slot, from the one after ours, with a free bit. */
static int steal_from_others(struct ocfs2_sb_info *osb,
			     struct ocfs2_alloc_hold *hold)
{
	struct inode *alloc;
	int i, slot;

	for (i = 1; i < osb->max_slots; i++) {
		slot = (osb->slot + i) % osb->max_slots;
		alloc = lock_if_free(osb, slot);
		if (!IS_ERR(alloc)) {
			hold->steal = alloc;
			hold->steal_slot = slot;
			return 0;
		}
		if (PTR_ERR(alloc) != -ENOSPC)
			return PTR_ERR(alloc);
	}
	return 0;
}

/*
 * With our extent allocator locked, before the bitmap's lock and the
 * transaction: keep another slot's allocator at hand when ours may not
 * be able to give (nearly empty, and the bitmap has no group for it).
 * Finding none is no error: the claim then fails as it would have.
 */
int ocfs2_steal_prepare(struct ocfs2_sb_info *osb,
			struct ocfs2_alloc_hold *hold)
{
	u32 free, cpg;
	bool can;
	int ret;

	if (osb->locks.local || osb->max_slots < 2 || !osb->extent_alloc)
		return 0;
	ret = free_bits(osb->extent_alloc, &free, &cpg);
	if (ret || free >= STEAL_LOW_BITS)
		return ret;
	ret = bitmap_can_grow(osb, cpg, &can);
	if (ret || can)
		return ret;
	return steal_from_others(osb, hold);
}

void ocfs2_steal_release(struct ocfs2_alloc_hold *hold)
{
	if (!hold->steal)
		return;
	ocfs2_inode_unlock(hold->steal, 1);
	iput(hold->steal);
	hold->steal = NULL;
}

/* The stolen allocator of any open transaction of this task, or NULL. */
static struct ocfs2_alloc_hold *steal_of(struct ocfs2_sb_info *osb)
{
	struct ocfs2_alloc_hold *h, *found = NULL;

	spin_lock(&osb->hold_lock);
	list_for_each_entry(h, &osb->holds, list) {
		if (h->task == current && h->steal) {
			found = h;
			break;
		}
	}
	spin_unlock(&osb->hold_lock);
	return found;
}

/*
 * A metadata block (extent block, index root, xattr block) for a
 * transaction that locked OCFS2_AL_EXTENT: from our extent allocator,
 * grown when the bitmap can; else from the slot chosen before the
 * transaction; first from the blocks it claimed ahead (meta_ahead.c).
 * @claim->slot names the allocator that gave it.
 */
int ocfs2_claim_meta(handle_t *handle, struct ocfs2_sb_info *osb,
		     struct ocfs2_claim *claim)
{
	struct ocfs2_alloc_hold *hold;
	int ret;

	if (ocfs2_meta_take_ahead(osb, claim))
		return 0;
	ret = ocfs2_claim_bit(handle, osb->extent_alloc, claim);
	claim->slot = osb->slot;
	if (ret != -ENOSPC)
		return ret;
	hold = steal_of(osb);
	if (!hold)
		return ret;
	ret = ocfs2_claim_free_bit(handle, hold->steal, claim);
	claim->slot = hold->steal_slot;
	return ret;
}
