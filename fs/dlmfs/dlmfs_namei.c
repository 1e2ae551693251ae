// SPDX-License-Identifier: GPL-2.0
/*
 * Names: mkdir in the root joins a domain, rmdir of an empty domain
 * leaves it (when the directory inode goes); creating a file in a domain
 * makes a lock, unlinking it unlocks it at once.  Names follow stock's
 * limits so that every node names the same lock the same way: domains
 * shorter than 64 bytes, locks shorter than 32 and not starting with '$'
 * (the DLMs reserve those).  Nothing else can be created anywhere.
 */
#include <linux/err.h>
#include "dlmfs.h"
#include <kcompat.h>	/* after fs.h, for its fs wrappers */

static struct inode *dlmfs_new_inode(struct inode *dir, umode_t mode)
{
	struct inode *inode = new_inode(dir->i_sb);
	struct timespec64 now;

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode_init_owner(kc_nop_idmap, inode, dir, mode);
	now = current_time(inode);
	kc_inode_set_times(inode, now, now, now);
	DLMFS_I(inode)->di_conn = DLMFS_I(dir)->di_conn;
	return inode;
}

static int dlmfs_mkdir(struct kc_idmap *idmap, struct inode *dir,
		       struct dentry *dentry, umode_t mode)
{
	const struct qstr *name = &dentry->d_name;
	struct ocfs2_cluster_connection *conn;
	struct inode *inode;

	if (name->len >= DLMFS_DOMAIN_NAME_MAX) {
		pr_err("dlmfs: domain name \"%.*s\" is too long (max %d)\n",
		       name->len, name->name, DLMFS_DOMAIN_NAME_MAX - 1);
		return -EINVAL;
	}
	inode = dlmfs_new_inode(dir, mode | S_IFDIR);
	if (!inode)
		return -ENOMEM;
	conn = dlmfs_domain_join(name);
	if (IS_ERR(conn)) {
		iput(inode);
		return PTR_ERR(conn);
	}
	DLMFS_I(inode)->di_conn = conn;
	inode->i_op = &dlmfs_domain_iops;
	inode->i_fop = &simple_dir_operations;
	inc_nlink(inode);		/* "." */
	inc_nlink(dir);
	d_instantiate(dentry, inode);
	dget(dentry);			/* pinned until rmdir */
	return 0;
}

static int dlmfs_create(struct kc_idmap *idmap, struct inode *dir,
			struct dentry *dentry, umode_t mode, bool excl)
{
	const struct qstr *name = &dentry->d_name;
	struct dlmfs_inode *di;
	struct inode *inode;

	if (name->len >= DLMFS_LOCK_NAME_MAX || name->name[0] == '$') {
		pr_err("dlmfs: invalid lock name \"%.*s\"\n",
		       name->len, name->name);
		return -EINVAL;
	}
	inode = dlmfs_new_inode(dir, mode | S_IFREG);
	if (!inode)
		return -ENOMEM;
	di = DLMFS_I(inode);
	inode->i_op = &dlmfs_lock_iops;
	inode->i_fop = &dlmfs_lock_fops;
	i_size_write(inode, OCFS2_DLM_LVB_LEN);
	dlmfs_lock_init(&di->di_lock, name);
	/* the domain outlives its locks */
	di->di_parent = igrab(dir);
	d_instantiate(dentry, inode);
	dget(dentry);			/* pinned until unlink */
	return 0;
}

static int dlmfs_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	int ret;

	ret = dlmfs_lock_destroy(&DLMFS_I(inode)->di_lock);
	if (ret)
		return ret;
	return simple_unlink(dir, dentry);
}

const struct inode_operations dlmfs_root_iops = {
	.lookup		= simple_lookup,
	.mkdir		= dlmfs_mkdir,
	.rmdir		= simple_rmdir,
};

const struct inode_operations dlmfs_domain_iops = {
	.lookup		= simple_lookup,
	.create		= dlmfs_create,
	.unlink		= dlmfs_unlink,
};
