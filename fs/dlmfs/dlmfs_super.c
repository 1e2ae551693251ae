// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2_dlmfs: cluster locks for userspace (mount -t ocfs2_dlmfs none
 * /dlm), as stock's module of the same name.  This file holds the module
 * entry, the filesystem type and the inode life cycle: an evicted lock
 * file unlocks its lock, an evicted domain directory leaves its domain.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "dlmfs.h"
#include <kcompat.h>	/* after fs.h, for its fs wrappers */

#define DLMFS_CAPABILITIES	"bast stackglue"

struct workqueue_struct *dlmfs_wq;
static struct kmem_cache *dlmfs_inode_cache;

/* what tools check before relying on poll and on stackglue domains */
static int dlmfs_caps_set(const char *val, const struct kernel_param *kp)
{
	return -EINVAL;
}

static int dlmfs_caps_get(char *buf, const struct kernel_param *kp)
{
	/* no newline, as stock */
	return scnprintf(buf, PAGE_SIZE, "%s", DLMFS_CAPABILITIES);
}

static const struct kernel_param_ops dlmfs_caps_ops = {
	.set	= dlmfs_caps_set,
	.get	= dlmfs_caps_get,
};
module_param_cb(capabilities, &dlmfs_caps_ops, NULL, 0444);
MODULE_PARM_DESC(capabilities, DLMFS_CAPABILITIES);

static struct inode *dlmfs_alloc_inode(struct super_block *sb)
{
	struct dlmfs_inode *di = alloc_inode_sb(sb, dlmfs_inode_cache,
						GFP_NOFS);

	if (!di)
		return NULL;
	di->di_conn = NULL;
	di->di_parent = NULL;
	return &di->di_vfs;
}

static void dlmfs_free_inode(struct inode *inode)
{
	kmem_cache_free(dlmfs_inode_cache, DLMFS_I(inode));
}

static void dlmfs_evict_inode(struct inode *inode)
{
	struct dlmfs_inode *di = DLMFS_I(inode);

	clear_inode(inode);
	if (S_ISREG(inode->i_mode)) {
		/* unlinked locks were unlocked already */
		if (!(di->di_lock.dl_flags & DL_TEARDOWN))
			dlmfs_lock_destroy(&di->di_lock);
		iput(di->di_parent);
	} else if (S_ISDIR(inode->i_mode) && di->di_conn) {
		/* a domain (the root has no connection) */
		dlmfs_domain_leave(di->di_conn);
	}
	di->di_conn = NULL;
	di->di_parent = NULL;
}

static const struct super_operations dlmfs_sops = {
	.statfs		= simple_statfs,
	.alloc_inode	= dlmfs_alloc_inode,
	.free_inode	= dlmfs_free_inode,
	.evict_inode	= dlmfs_evict_inode,
	.drop_inode	= generic_delete_inode,
};

static struct inode *dlmfs_root_inode(struct super_block *sb)
{
	struct inode *inode = new_inode(sb);
	struct timespec64 now;

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode_init_owner(kc_nop_idmap, inode, NULL, S_IFDIR | 0755);
	now = current_time(inode);
	kc_inode_set_times(inode, now, now, now);
	inc_nlink(inode);
	inode->i_op = &dlmfs_root_iops;
	inode->i_fop = &simple_dir_operations;
	return inode;
}

static int dlmfs_fill_super(struct super_block *sb, void *data, int silent)
{
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = DLMFS_MAGIC;
	sb->s_op = &dlmfs_sops;
	sb->s_root = d_make_root(dlmfs_root_inode(sb));
	return sb->s_root ? 0 : -ENOMEM;
}

static struct dentry *dlmfs_mount(struct file_system_type *type, int flags,
				  const char *dev, void *data)
{
	return mount_nodev(type, flags, data, dlmfs_fill_super);
}

static struct file_system_type dlmfs_type = {
	.owner		= THIS_MODULE,
	.name		= "ocfs2_dlmfs",
	.mount		= dlmfs_mount,
	.kill_sb	= kill_litter_super,
};
MODULE_ALIAS_FS("ocfs2_dlmfs");

static void dlmfs_inode_once(void *p)
{
	struct dlmfs_inode *di = p;

	inode_init_once(&di->di_vfs);
}

static int __init dlmfs_init(void)
{
	int ret;

	dlmfs_inode_cache = kmem_cache_create("dlmfs_inode_cache",
					      sizeof(struct dlmfs_inode), 0,
					      SLAB_HWCACHE_ALIGN |
					      SLAB_RECLAIM_ACCOUNT |
					      SLAB_ACCOUNT, dlmfs_inode_once);
	if (!dlmfs_inode_cache)
		return -ENOMEM;
	dlmfs_wq = alloc_workqueue("dlmfs", WQ_MEM_RECLAIM, 0);
	if (!dlmfs_wq) {
		ret = -ENOMEM;
		goto out_cache;
	}
	dlmfs_domain_init();
	ret = register_filesystem(&dlmfs_type);
	if (ret)
		goto out_wq;
	return 0;

out_wq:
	destroy_workqueue(dlmfs_wq);
out_cache:
	kmem_cache_destroy(dlmfs_inode_cache);
	return ret;
}

static void __exit dlmfs_exit(void)
{
	unregister_filesystem(&dlmfs_type);
	destroy_workqueue(dlmfs_wq);
	/* inodes are freed after an RCU grace period */
	rcu_barrier();
	kmem_cache_destroy(dlmfs_inode_cache);
}

module_init(dlmfs_init);
module_exit(dlmfs_exit);
MODULE_DESCRIPTION("OCFS2 DLM filesystem: cluster locks for userspace");
MODULE_LICENSE("GPL");
