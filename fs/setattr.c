// SPDX-License-Identifier: GPL-2.0
/*
 * Changing inode attributes: mode, owner and times, journaled as one
 * update of the inode block under the inode's exclusive meta lock.  Size
 * changes are truncate.c's, done first.
 */
#include "ocfs2.h"

static int update_inode_block(struct inode *inode, struct kc_idmap *idmap,
			      struct iattr *attr)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct buffer_head *bh;
	handle_t *handle;
	int ret;

	ret = ocfs2_inode_lock(inode, &bh, 1);
	if (ret)
		return ret;
	handle = ocfs2_start_trans(osb, OCFS2_INODE_UPDATE_CREDITS);
	if (IS_ERR(handle)) {
		ret = PTR_ERR(handle);
		goto out_unlock;
	}
	ret = ocfs2_journal_access(handle, bh);
	if (ret)
		goto out_commit;
	setattr_copy(idmap, inode, attr);
	ocfs2_inode_to_disk(inode, (struct ocfs2_dinode *)bh->b_data);
	ocfs2_journal_dirty(handle, bh);
out_commit:
	ocfs2_commit_trans(handle);
out_unlock:
	brelse(bh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

int ocfs2_setattr(struct kc_idmap *idmap, struct dentry *dentry,
		  struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
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
	return update_inode_block(inode, idmap, attr);
}
