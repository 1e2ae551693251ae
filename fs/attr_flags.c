// SPDX-License-Identifier: GPL-2.0
/*
 * The chattr flags (lsattr/chattr, FS_IOC_GETFLAGS/SETFLAGS through the
 * VFS fileattr calls).  OCFS2 keeps them in the inode's i_attr with the
 * generic FS_*_FL values; the ones the VFS enforces (immutable, append
 * only, sync, noatime, dirsync) are mirrored into the inode's S_ flags
 * whenever the inode is read, so a flag another module set is honoured.
 */
#include "ocfs2.h"
#include <linux/fileattr.h>

/* The flags chattr may change; the others are shown but kept as found. */
#define OCFS2_FL_CHANGEABLE	(OCFS2_SECRM_FL | OCFS2_UNRM_FL | \
				 OCFS2_COMPR_FL | OCFS2_SYNC_FL | \
				 OCFS2_IMMUTABLE_FL | OCFS2_APPEND_FL | \
				 OCFS2_NODUMP_FL | OCFS2_NOATIME_FL | \
				 OCFS2_DIRSYNC_FL)

void ocfs2_apply_attr_flags(struct inode *inode)
{
	u32 attr = OCFS2_I(inode)->attr;
	unsigned int f = 0;

	if (attr & OCFS2_SYNC_FL)
		f |= S_SYNC;
	if (attr & OCFS2_IMMUTABLE_FL)
		f |= S_IMMUTABLE;
	if (attr & OCFS2_APPEND_FL)
		f |= S_APPEND;
	if (attr & OCFS2_NOATIME_FL)
		f |= S_NOATIME;
	if (attr & OCFS2_DIRSYNC_FL)
		f |= S_DIRSYNC;
	inode_set_flags(inode, f, S_SYNC | S_IMMUTABLE | S_APPEND |
			S_NOATIME | S_DIRSYNC);
}

int ocfs2_fileattr_get(struct dentry *dentry, struct fileattr *fa)
{
	struct inode *inode = d_inode(dentry);
	int ret;

	ret = ocfs2_inode_lock(inode, NULL, 0);
	if (ret)
		return ret;
	fileattr_fill_flags(fa, OCFS2_I(inode)->attr & OCFS2_FL_VISIBLE);
	ocfs2_inode_unlock(inode, 0);
	return 0;
}

static void set_attr(struct inode *inode, struct ocfs2_dinode *di, void *arg)
{
	u32 attr = *(u32 *)arg;
	struct timespec64 a, m, c;

	OCFS2_I(inode)->attr = attr;
	ocfs2_apply_attr_flags(inode);
	kc_inode_get_times(inode, &a, &m, &c);
	ktime_get_coarse_real_ts64(&c);
	kc_inode_set_times(inode, a, m, c);
	di->i_attr = cpu_to_le32(attr);
}

/* The VFS checked ownership and CAP_LINUX_IMMUTABLE; i_rwsem is held. */
int ocfs2_fileattr_set(struct kc_idmap *idmap, struct dentry *dentry,
		       struct fileattr *fa)
{
	struct inode *inode = d_inode(dentry);
	u32 attr = OCFS2_I(inode)->attr;

	if (fileattr_has_fsx(fa))
		return -EOPNOTSUPP;
	/* as stock: flags chattr may not change are left as they are */
	attr = (attr & ~OCFS2_FL_CHANGEABLE) |
	       (fa->flags & OCFS2_FL_CHANGEABLE);
	if (attr == OCFS2_I(inode)->attr)
		return 0;
	return ocfs2_update_inode(inode, set_attr, &attr);
}
