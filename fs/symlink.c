// SPDX-License-Identifier: GPL-2.0
/*
 * Symlinks: fast ones keep the target in the inode block (copied into
 * memory when the inode is read); longer ones keep it in a data extent,
 * read through the page cache like file data.
 */
#include "ocfs2.h"

const struct inode_operations ocfs2_fast_symlink_iops = {
	.setattr	= ocfs2_setattr,
	.getattr	= ocfs2_getattr,
	.get_link	= simple_get_link,
	.listxattr	= ocfs2_listxattr,
};

const struct inode_operations ocfs2_symlink_iops = {
	.setattr	= ocfs2_setattr,
	.getattr	= ocfs2_getattr,
	.get_link	= page_get_link,
	.listxattr	= ocfs2_listxattr,
};
