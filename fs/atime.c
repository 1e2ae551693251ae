// SPDX-License-Identifier: GPL-2.0
/*
 * Access times.  The VFS is told the volume is noatime (SB_NOATIME) and
 * the module stores atime itself, as stock does, so that the mount
 * options decide how often a read costs a journaled inode update: never
 * with noatime (or the inode's noatime flag, or nodiratime for
 * directories); with relatime only when the atime is not after the mtime
 * or the ctime; otherwise once the atime is more than atime_quantum
 * seconds old.  Best effort: a read never fails because of its atime.
 */
#include <linux/mount.h>
#include "ocfs2.h"

static bool atime_due(struct inode *inode, const struct vfsmount *mnt)
{
	struct timespec64 a, m, c, now;

	/*
	 * Local mounts only for now: on a cluster mount a read would take the
	 * meta lock exclusive, which the cluster lock tests have not met.
	 */
	if (sb_rdonly(inode->i_sb) || !OCFS2_SB(inode->i_sb)->journal ||
	    !OCFS2_SB(inode->i_sb)->locks.local)
		return false;
	if ((inode->i_flags & S_NOATIME) || (mnt->mnt_flags & MNT_NOATIME))
		return false;
	if (S_ISDIR(inode->i_mode) &&
	    ((inode->i_sb->s_flags & SB_NODIRATIME) ||
	     (mnt->mnt_flags & MNT_NODIRATIME)))
		return false;
	kc_inode_get_times(inode, &a, &m, &c);
	if (mnt->mnt_flags & MNT_RELATIME)
		return timespec64_compare(&a, &m) <= 0 ||
		       timespec64_compare(&a, &c) <= 0;
	ktime_get_coarse_real_ts64(&now);
	return now.tv_sec - a.tv_sec > OCFS2_SB(inode->i_sb)->opts.atime_quantum;
}

static void set_atime(struct inode *inode, struct ocfs2_dinode *di, void *arg)
{
	struct timespec64 a, m, c;

	kc_inode_get_times(inode, &a, &m, &c);
	ktime_get_coarse_real_ts64(&a);
	kc_inode_set_times(inode, a, m, c);
}

/* After a read of @file's data or entries; no cluster lock or mmap_lock held. */
void ocfs2_update_atime(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct buffer_head *bh;

	if (!atime_due(inode, file->f_path.mnt))
		return;
	if (ocfs2_inode_lock(inode, &bh, 1))
		return;
	/* the lock may have brought another node's newer atime */
	if (atime_due(inode, file->f_path.mnt))
		ocfs2_update_inode_locked(inode, bh, set_atime, NULL);
	brelse(bh);
	ocfs2_inode_unlock(inode, 1);
}
