// SPDX-License-Identifier: GPL-2.0
/*
 * flock(2) across the cluster, as stock does it: every open file has its
 * own DLM lock on the inode's flock resource ('F'), taken at EX for a
 * write lock and PR for a read lock (trylock for LOCK_NB), and put back
 * to NL at unlock, never cached.  The VFS keeps the local record too.
 * Local mounts and the localflocks option use the VFS alone.
 */
#include <linux/slab.h>
#include "ocfs2.h"

static const struct ocfs2_lock_type ocfs2_flock_lock_type = {
	.type_char	= 'F',
	.name		= "flock",
	.drop_on_unlock	= true,
};

struct ocfs2_file_private {
	struct ocfs2_lockres	flock;
	int			level;	/* held, NL when none */
};

static bool cluster_flocks(struct inode *inode)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);

	return !osb->locks.local && !osb->opts.localflocks;
}

int ocfs2_file_open(struct inode *inode, struct file *file)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct ocfs2_file_private *fp;
	char name[OCFS2_LOCK_NAME_MAX];
	unsigned int len;
	int ret;

	ret = generic_file_open(inode, file);
	if (ret || !cluster_flocks(inode))
		return ret;
	fp = kzalloc(sizeof(*fp), GFP_KERNEL);
	if (!fp)
		return -ENOMEM;
	len = ocfs2_lock_name(name, 'F', oi->blkno, oi->generation);
	ocfs2_lockres_init(&fp->flock, &OCFS2_SB(inode->i_sb)->locks,
			   &ocfs2_flock_lock_type, fp, name, len);
	fp->level = OCFS2_LOCK_NL;
	file->private_data = fp;
	return 0;
}

int ocfs2_file_release(struct inode *inode, struct file *file)
{
	struct ocfs2_file_private *fp = file->private_data;

	if (!fp)
		return 0;
	file->private_data = NULL;
	ocfs2_lockres_free(&fp->flock);
	kfree(fp);
	return 0;
}

static void flock_drop(struct ocfs2_file_private *fp)
{
	if (fp->level != OCFS2_LOCK_NL)
		ocfs2_unlock(&fp->flock, fp->level);
	fp->level = OCFS2_LOCK_NL;
}

int ocfs2_flock(struct file *file, int cmd, struct file_lock *fl)
{
	struct ocfs2_file_private *fp = file->private_data;
	int level, ret;

	if (!(kc_fl_flags(fl) & FL_FLOCK))
		return -ENOLCK;
	if (!fp)
		return locks_lock_file_wait(file, fl);
	if (kc_fl_type(fl) == F_UNLCK) {
		flock_drop(fp);
		return locks_lock_file_wait(file, fl);
	}
	level = kc_fl_type(fl) == F_WRLCK ? OCFS2_LOCK_EX : OCFS2_LOCK_PR;
	/* a change of mode is an unlock and a new lock, as flock(2) says */
	flock_drop(fp);
	/* a wait for another node's flock ends at a signal, as stock's */
	ret = ocfs2_lock(&fp->flock, level, (kc_fl_flags(fl) & FL_SLEEP) ?
			 OCFS2_LOCK_INTR : OCFS2_LOCK_NOQUEUE);
	if (ret)
		return ret == -EAGAIN ? -EWOULDBLOCK : ret;
	fp->level = level;
	ret = locks_lock_file_wait(file, fl);
	if (ret)
		flock_drop(fp);
	return ret;
}
