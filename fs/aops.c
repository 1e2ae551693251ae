// SPDX-License-Identifier: GPL-2.0
/*
 * Address space operations: file data through the page cache.  Extent
 * files map blocks through the extent tree (holes and unwritten extents
 * read as zeros); inline-data files copy from the inode block.  The
 * mapping never uses large folios, so a folio here is one page.  The
 * write side is in data_write.c and inline.c.
 */
#include <linux/highmem.h>
#include <linux/mpage.h>
#include <linux/pagemap.h>
#include "ocfs2.h"

static int ocfs2_get_block_read(struct inode *inode, sector_t iblock,
				struct buffer_head *bh, int create)
{
	struct ocfs2_extent_hit hit;
	int ret;

	/* allocation comes with the write path; nothing asks for it yet */
	if (create)
		return -EROFS;
	ret = ocfs2_extent_lookup(inode, iblock, &hit);
	if (ret)
		return ret;
	if (hit.phys && !hit.unwritten) {
		map_bh(bh, inode->i_sb, hit.phys);
		bh->b_size = min_t(u64, bh->b_size,
				   hit.blocks << inode->i_blkbits);
	}
	return 0;
}

static void read_inline(struct inode *inode, struct folio *folio,
			const struct ocfs2_dinode *di)
{
	loff_t size = i_size_read(inode);
	size_t copy = 0;
	void *kaddr;

	if (folio->index == 0)
		copy = min_t(loff_t, size,
			     le16_to_cpu(di->id2.i_data.id_count));
	kaddr = kmap_local_folio(folio, 0);
	memcpy(kaddr, di->id2.i_data.id_data, copy);
	memset(kaddr + copy, 0, PAGE_SIZE - copy);
	kunmap_local(kaddr);
	flush_dcache_folio(folio);
	folio_mark_uptodate(folio);
	folio_unlock(folio);
}

static int ocfs2_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_inode_lock_nonblock(inode, &bh);
	if (ret == -EAGAIN) {
		/*
		 * Giving the lock up may need this page (write-back, drop):
		 * wait for the lock with the page unlocked, then retry.
		 */
		folio_unlock(folio);
		if (!ocfs2_inode_lock(inode, NULL, 0))
			ocfs2_inode_unlock(inode, 0);
		return AOP_TRUNCATED_PAGE;
	}
	if (ret) {
		folio_unlock(folio);
		return ret;
	}
	if (ocfs2_inode_is_inline(inode))
		read_inline(inode, folio, (struct ocfs2_dinode *)bh->b_data);
	else
		ret = mpage_read_folio(folio, ocfs2_get_block_read);
	brelse(bh);
	ocfs2_inode_unlock(inode, 0);
	return ret;
}

/*
 * The read-ahead window of regular files in KiB, 0 for the device's
 * (read_ahead_kb, 128 KiB on virtio).  A sequential reader keeps about
 * one window of requests in flight; with 1 MiB reads and the device's
 * window that is one 1 MiB request at a time.
 */
static unsigned int readahead_kb;
module_param(readahead_kb, uint, 0644);
MODULE_PARM_DESC(readahead_kb, "read-ahead window of regular files in KiB, up to 16384 (0: the device's)");

/* Before a read of @file: its window is at least readahead_kb. */
void ocfs2_file_ra_window(struct file *file)
{
	unsigned long pages = min(READ_ONCE(readahead_kb), 16384U) >>
			      (PAGE_SHIFT - 10);

	/* fadvise(RANDOM) asked for no read-ahead: leave it so */
	if (pages > file->f_ra.ra_pages && !(file->f_mode & FMODE_RANDOM))
		file->f_ra.ra_pages = pages;
}

/* Inline files are left to read_folio: they have one page of data. */
static void ocfs2_readahead(struct readahead_control *rac)
{
	struct inode *inode = rac->mapping->host;

	if (ocfs2_inode_is_inline(inode))
		return;
	/* pages are locked here: never wait for a downconvert */
	if (ocfs2_inode_lock_nonblock(inode, NULL))
		return;
	mpage_readahead(rac, ocfs2_get_block_read);
	ocfs2_inode_unlock(inode, 0);
}

/* jbd2 maps the journal file through this; so does FIBMAP. */
static sector_t ocfs2_bmap(struct address_space *mapping, sector_t block)
{
	if (ocfs2_inode_is_inline(mapping->host))
		return 0;
	return generic_block_bmap(mapping, block, ocfs2_get_block_read);
}

const struct address_space_operations ocfs2_aops = {
	.read_folio		= ocfs2_read_folio,
	.readahead		= ocfs2_readahead,
	.bmap			= ocfs2_bmap,
	.write_begin		= ocfs2_write_begin,
	.write_end		= ocfs2_write_end,
	KC_WRITEPAGE_OP(ocfs2_writepage)
	.writepages		= ocfs2_writepages,
	.dirty_folio		= block_dirty_folio,
	.invalidate_folio	= block_invalidate_folio,
	.migrate_folio		= buffer_migrate_folio,
	.is_partially_uptodate	= block_is_partially_uptodate,
	.direct_IO		= ocfs2_direct_IO,
};
