// SPDX-License-Identifier: GPL-2.0
/*
 * The slot's allocators for a read-write mount.  Data clusters come from
 * the local alloc window (local_alloc.c) or the global bitmap (bitmap.c),
 * freed ones wait in the truncate log (truncate_log.c).  Whatever a crash
 * left in the window and the log is given back by
 * ocfs2_recover_slot_allocs() (alloc_recover.c) once the journal is open.
 */
#include "ocfs2.h"

int ocfs2_alloc_open(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;

	mutex_init(&osb->bitmap_mutex);
	mutex_init(&osb->suballoc_mutex);
	spin_lock_init(&osb->hold_lock);
	INIT_LIST_HEAD(&osb->holds);
	osb->global_free_seen = U32_MAX;
	inode = ocfs2_get_system_inode(sb, EXTENT_ALLOC_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	osb->extent_alloc = inode;
	return 0;
}

void ocfs2_alloc_close(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	iput(osb->extent_alloc);
	osb->extent_alloc = NULL;
}
