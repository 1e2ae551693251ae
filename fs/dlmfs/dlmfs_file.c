// SPDX-License-Identifier: GPL-2.0
/*
 * Lock files.  open() takes the lock: read-only opens PR, opens for
 * writing EX, O_NONBLOCK makes it a trylock that fails with ETXTBSY when
 * another node holds the lock incompatibly (stock's choice of errno:
 * EAGAIN would read as "try the same call again").  close() drops it.
 * read() returns the 64-byte value block (nothing when it is invalid),
 * write() fills it under EX, poll() reports EPOLLIN once another node
 * wants the lock.  The file size is fixed; truncation is ignored.
 */
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "dlmfs.h"
#include <kcompat.h>	/* after fs.h, for its fs wrappers */

static int dlmfs_open_level(struct file *file)
{
	return (file->f_flags & (O_WRONLY | O_RDWR)) ? DLM_LOCK_EX :
						       DLM_LOCK_PR;
}

static int dlmfs_open(struct inode *inode, struct file *file)
{
	int level = dlmfs_open_level(file);
	bool trylock = file->f_flags & O_NONBLOCK;
	int ret;

	/* the value block has no end to append to */
	file->f_flags &= ~O_APPEND;
	ret = dlmfs_lock_get(&DLMFS_I(inode)->di_lock, level, trylock);
	if (ret == -EAGAIN && trylock)
		return -ETXTBSY;
	return ret;
}

static int dlmfs_release(struct inode *inode, struct file *file)
{
	dlmfs_lock_put(&DLMFS_I(inode)->di_lock, dlmfs_open_level(file));
	return 0;
}

static __poll_t dlmfs_poll(struct file *file, poll_table *wait)
{
	struct dlmfs_lock *dl = &DLMFS_I(file_inode(file))->di_lock;

	poll_wait(file, &dl->dl_wq, wait);
	return dlmfs_lock_blocked(dl) ? EPOLLIN | EPOLLRDNORM : 0;
}

static ssize_t dlmfs_read(struct file *file, char __user *buf, size_t count,
			  loff_t *ppos)
{
	struct dlmfs_lock *dl = &DLMFS_I(file_inode(file))->di_lock;
	char lvb[OCFS2_DLM_LVB_LEN];

	if (!dlmfs_lock_read_lvb(dl, lvb))
		return 0;
	return simple_read_from_buffer(buf, count, ppos, lvb, sizeof(lvb));
}

/* as stock: the bytes land at the start of the value block */
static ssize_t dlmfs_write(struct file *file, const char __user *buf,
			   size_t count, loff_t *ppos)
{
	struct dlmfs_lock *dl = &DLMFS_I(file_inode(file))->di_lock;
	char lvb[OCFS2_DLM_LVB_LEN];
	int ret;

	if (*ppos >= OCFS2_DLM_LVB_LEN)
		return -ENOSPC;
	count = min_t(size_t, count, OCFS2_DLM_LVB_LEN - *ppos);
	if (!count)
		return 0;
	if (copy_from_user(lvb, buf, count))
		return -EFAULT;
	ret = dlmfs_lock_write_lvb(dl, lvb, count);
	return ret ? ret : count;
}

static int dlmfs_setattr(struct kc_idmap *idmap, struct dentry *dentry,
			 struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	int ret;

	attr->ia_valid &= ~ATTR_SIZE;
	ret = setattr_prepare(idmap, dentry, attr);
	if (ret)
		return ret;
	setattr_copy(idmap, inode, attr);
	mark_inode_dirty(inode);
	return 0;
}

const struct file_operations dlmfs_lock_fops = {
	.open		= dlmfs_open,
	.release	= dlmfs_release,
	.poll		= dlmfs_poll,
	.read		= dlmfs_read,
	.write		= dlmfs_write,
	.llseek		= default_llseek,
};

const struct inode_operations dlmfs_lock_iops = {
	.getattr	= simple_getattr,
	.setattr	= dlmfs_setattr,
};
