// SPDX-License-Identifier: GPL-2.0
/*
 * Directory inode operations.  So far: lookup, which reads the name under
 * the directory's meta lock and gives the new dentry its dentry lock.
 */
#include "ocfs2.h"

static struct inode *lookup_inode(struct inode *dir, const struct qstr *q)
{
	struct ocfs2_dir_match match;
	int ret;

	ret = ocfs2_find_entry(dir, q->name, q->len, &match);
	if (ret == -ENOENT)
		return NULL;
	if (ret)
		return ERR_PTR(ret);
	if (match.ino == OCFS2_I(dir)->blkno) {
		ret = ocfs2_fs_error(dir->i_sb, __func__,
				     "directory %lu: entry \"%.*s\" points at the directory itself",
				     dir->i_ino, q->len, q->name);
		return ERR_PTR(ret);
	}
	return ocfs2_iget(dir->i_sb, match.ino);
}

static struct dentry *ocfs2_lookup(struct inode *dir, struct dentry *dentry,
				   unsigned int flags)
{
	struct dentry *alias, *target;
	struct inode *inode;
	int ret;

	if (dentry->d_name.len > OCFS2_MAX_FILENAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	ret = ocfs2_inode_lock(dir, NULL, 0);
	if (ret)
		return ERR_PTR(ret);
	inode = lookup_inode(dir, &dentry->d_name);
	if (IS_ERR(inode)) {
		alias = ERR_CAST(inode);
		goto out;
	}
	alias = d_splice_alias(inode, dentry);
	if (IS_ERR(alias) || !inode)
		goto out;
	target = alias ? alias : dentry;
	ret = ocfs2_dentry_attach_lock(target, inode, OCFS2_I(dir)->blkno);
	if (ret) {
		dput(alias);
		alias = ERR_PTR(ret);
	}
out:
	ocfs2_inode_unlock(dir, 0);
	return alias;
}

const struct inode_operations ocfs2_dir_iops = {
	.setattr	= ocfs2_setattr,
	.lookup		= ocfs2_lookup,
	.listxattr	= ocfs2_listxattr,
};
