// SPDX-License-Identifier: GPL-2.0
/*
 * Direct I/O over the block layer's generic direct-io code.  Reads map
 * through the extent tree (holes and unwritten extents read as zeros).
 * Writes go direct only where every block already has a written cluster
 * and the file does not grow, so direct I/O never allocates; anything
 * else (holes, appends, misaligned buffers, inline files) returns 0 and
 * the VFS finishes the request through the page cache.
 */
#include <linux/blkdev.h>
#include <linux/uio.h>
#include "ocfs2.h"

static bool aligned(struct kiocb *iocb, struct iov_iter *iter)
{
	struct block_device *bdev = file_inode(iocb->ki_filp)->i_sb->s_bdev;
	unsigned int mask = bdev_logical_block_size(bdev) - 1;

	return !((iocb->ki_pos | iov_iter_alignment(iter)) & mask);
}

static bool can_write_direct(struct inode *inode, loff_t pos, size_t count)
{
	u64 blk = pos >> inode->i_blkbits;
	u64 last = (pos + count - 1) >> inode->i_blkbits;
	struct ocfs2_extent_hit hit;

	if (pos + count > i_size_read(inode))
		return false;
	while (blk <= last) {
		if (ocfs2_extent_lookup(inode, blk, &hit) || !hit.phys ||
		    hit.unwritten || !hit.blocks)
			return false;
		blk += hit.blocks;
	}
	return true;
}

ssize_t ocfs2_direct_IO(struct kiocb *iocb, struct iov_iter *iter)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	size_t count = iov_iter_count(iter);

	if (!count || ocfs2_inode_is_inline(inode) || !aligned(iocb, iter))
		return 0;
	if (iov_iter_rw(iter) == WRITE &&
	    !can_write_direct(inode, iocb->ki_pos, count))
		return 0;
	return blockdev_direct_IO(iocb, inode, iter, ocfs2_get_block_write);
}
