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

handle_t *ocfs2_start_alloc_trans(struct ocfs2_sb_info *osb,
				  unsigned int which, int credits)
{
	handle_t *handle;
	int ret;

	if (which & OCFS2_AL_BITMAP)
		ocfs2_tl_before_alloc(osb);
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
	int ret = ocfs2_commit_trans(handle);

	ocfs2_alloc_unlock(osb, which);
	return ret;
}
