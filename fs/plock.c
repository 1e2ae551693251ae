// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX (fcntl) record locks.  On a cluster mount whose stack has a
 * lock service for them (the user stack: fs/dlm's plocks, which
 * dlm_controld keeps across the cluster) every request goes there, so a
 * lock conflicts with locks held on any node, F_GETLK names a holder on
 * another node by its pid, a waiter is woken when a remote holder lets
 * go, and a dead node's locks go once the cluster has removed (fenced)
 * it.  The number fs/dlm files a lock under is the inode's block
 * number, as stock's, so both modules' locks meet.
 * The o2cb stack has no such service: there, on local mounts and with
 * the localflocks option the locks are this node's only, as in stock.
 */
#include "ocfs2.h"

static bool cluster_plocks(struct inode *inode)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);

	return !osb->locks.local && !osb->opts.localflocks &&
	       ocfs2_stack_supports_plocks();
}

/*
 * What the VFS itself does when a filesystem has no ->lock: a deferred
 * F_SETLKW (FILE_LOCK_DEFERRED) is waited for by the caller.
 */
static int local_plock(struct file *file, int cmd, struct file_lock *fl)
{
	if (cmd == F_CANCELLK)
		return 0;
	if (IS_GETLK(cmd)) {
		posix_test_lock(file, fl);
		return 0;
	}
	return posix_lock_file(file, fl, NULL);
}

int ocfs2_posix_lock(struct file *file, int cmd, struct file_lock *fl)
{
	struct inode *inode = file_inode(file);

	if (!cluster_plocks(inode))
		return local_plock(file, cmd, fl);
	/* only fcntl's record locks come here (flock has its own op) */
	if (!(kc_fl_flags(fl) & FL_POSIX))
		return -ENOLCK;
	return ocfs2_plock(OCFS2_SB(inode->i_sb)->locks.conn,
			   OCFS2_I(inode)->blkno, file, cmd, fl);
}
