// SPDX-License-Identifier: GPL-2.0
/*
 * Regular file operations and the inode operations of regular and
 * special files.  Reads go through the page cache; the meta lock taken
 * first is where a cluster mount learns of another node's changes.
 */
#include "ocfs2.h"

static ssize_t ocfs2_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	int ret;

	ret = ocfs2_inode_lock(inode, NULL, 0);
	if (ret)
		return ret;
	ocfs2_inode_unlock(inode, 0);
	return generic_file_read_iter(iocb, to);
}

const struct file_operations ocfs2_file_fops = {
	.llseek		= generic_file_llseek,
	.read_iter	= ocfs2_file_read_iter,
	.mmap		= generic_file_readonly_mmap,
	.splice_read	= kc_generic_splice_read,
	.open		= generic_file_open,
};

const struct inode_operations ocfs2_file_iops = {
	.setattr	= ocfs2_setattr,
	.listxattr	= ocfs2_listxattr,
};

const struct inode_operations ocfs2_special_iops = {
	.setattr	= ocfs2_setattr,
	.listxattr	= ocfs2_listxattr,
};
