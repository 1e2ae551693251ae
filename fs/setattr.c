// SPDX-License-Identifier: GPL-2.0
/*
 * Changing inode attributes: mode, owner and times, journaled as one
 * update of the inode block under the inode's exclusive meta lock.  Size
 * changes are truncate.c's, done first.  The journaled single-inode update
 * is shared with chattr flags (attr_flags.c) and atime (atime.c).
 */
#include "ocfs2.h"

/*
 * One journaled change of @inode's own block, its meta lock already held
 * EX with @bh its block: @change edits the in-memory inode (and the dinode
 * for what the VFS inode does not carry), then the inode is written whole.
 */
int ocfs2_update_inode_locked(struct inode *inode, struct buffer_head *bh,
			      ocfs2_inode_change_t change, void *arg)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;
	handle_t *handle;
	int ret;

	handle = ocfs2_start_trans(OCFS2_SB(inode->i_sb),
				   OCFS2_INODE_UPDATE_CREDITS);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_journal_access(handle, bh);
	if (ret)
		goto out_commit;
	change(inode, di, arg);
	ocfs2_inode_to_disk(inode, di);
	ocfs2_journal_dirty(handle, bh);
out_commit:
	ocfs2_commit_trans(handle);
	return ret;
}

/* The same, taking and dropping the meta lock around it. */
int ocfs2_update_inode(struct inode *inode, ocfs2_inode_change_t change,
		       void *arg)
{
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_inode_lock(inode, &bh, 1);
	if (ret)
		return ret;
	ret = ocfs2_update_inode_locked(inode, bh, change, arg);
	brelse(bh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

struct setattr_args {
	struct kc_idmap *idmap;
	struct iattr *attr;
};

static void copy_attr(struct inode *inode, struct ocfs2_dinode *di, void *arg)
{
	struct setattr_args *sa = arg;

	setattr_copy(sa->idmap, inode, sa->attr);
}

int ocfs2_setattr(struct kc_idmap *idmap, struct dentry *dentry,
		  struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	struct setattr_args sa = { .idmap = idmap, .attr = attr };
	int ret;

	ret = setattr_prepare(idmap, dentry, attr);
	if (ret)
		return ret;
	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size != inode->i_size) {
		if (!S_ISREG(inode->i_mode))
			return -EINVAL;
		ret = ocfs2_change_size(inode, attr->ia_size);
		if (ret)
			return ret;
	}
	attr->ia_valid &= ~ATTR_SIZE;
	if (!(attr->ia_valid & ~(ATTR_FILE | ATTR_OPEN)))
		return 0;
	ret = ocfs2_update_inode(inode, copy_attr, &sa);
	/* the access ACL follows the new mode, in a transaction of its own */
	if (!ret && (attr->ia_valid & ATTR_MODE))
		ret = ocfs2_acl_chmod(inode);
	return ret;
}
