// SPDX-License-Identifier: GPL-2.0
/*
 * Writing file data through the page cache.  Clusters are allocated when
 * a write (or a page fault) first touches them, in write_begin, inside a
 * transaction started before the page is locked; writeback then only
 * maps blocks that exist, so it never needs a transaction of its own
 * (jbd2's commit writes ordered data through writeback, and must not
 * wait for a transaction).
 *
 * A new cluster is zeroed on disk when it holds more than the block
 * being written, so no stale data shows through its other blocks; the
 * written block itself is zeroed around the write in the page (a new
 * buffer).  With data=ordered the new cluster's range is added to the
 * transaction, so its data reaches the disk before the extent does.
 */
#include <linux/buffer_head.h>
#include <linux/writeback.h>
#include <linux/mpage.h>
#include <linux/pagemap.h>
#include "extent_tree.h"

int ocfs2_alloc_credits(struct buffer_head *ibh)
{
	int depth = le16_to_cpu(ocfs2_root_list(ibh)->l_tree_depth);

	/*
	 * the insert, the bitmap inode and one group, the inode; a write
	 * into an unwritten extent inserts up to two pieces instead
	 */
	return 2 * ocfs2_insert_credits(depth) + 3;
}

int ocfs2_zero_new_cluster(struct super_block *sb, u32 cluster)
{
	unsigned int bpc_bits = OCFS2_SB(sb)->bpc_bits;

	if (!bpc_bits)
		return 0;
	return sb_issue_zeroout(sb, (sector_t)cluster << bpc_bits,
				1 << bpc_bits, GFP_NOFS);
}

int ocfs2_order_data(handle_t *handle, struct inode *inode, loff_t start,
		     loff_t len)
{
	if (OCFS2_SB(inode->i_sb)->opts.data_mode != OCFS2_DATA_ORDERED ||
	    len <= 0)
		return 0;
	return jbd2_journal_inode_ranged_write(handle, &OCFS2_I(inode)->jinode,
					       start, len);
}

/* jbd2 writes an ordered inode's dirty range before it commits. */
int ocfs2_submit_ordered_data(struct jbd2_inode *jinode)
{
	struct address_space *mapping = jinode->i_vfs_inode->i_mapping;
	struct writeback_control wbc = {
		.sync_mode	= WB_SYNC_ALL,
		.nr_to_write	= mapping->nrpages * 2,
		.range_start	= jinode->i_dirty_start,
		.range_end	= jinode->i_dirty_end,
	};

	return filemap_fdatawrite_wbc(mapping, &wbc);
}

/* Right after the cluster that maps the cluster before @cpos. */
u32 ocfs2_alloc_goal(struct inode *inode, u32 cpos)
{
	unsigned int bpc_bits = OCFS2_SB(inode->i_sb)->bpc_bits;
	struct ocfs2_extent_hit hit;

	if (!cpos || ocfs2_extent_lookup(inode, ((u64)cpos << bpc_bits) - 1,
					 &hit) || !hit.phys)
		return 0;
	return (hit.phys >> bpc_bits) + 1;
}

static int add_cluster(handle_t *handle, struct inode *inode, u32 cpos,
		       u64 *phys)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct buffer_head *ibh;
	struct ocfs2_run run;
	u32 goal = ocfs2_alloc_goal(inode, cpos);
	int ret;

	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	ret = ocfs2_claim_clusters(handle, osb, goal, 1, &run);
	if (ret)
		goto out;
	*phys = (u64)run.cluster << osb->bpc_bits;
	ret = ocfs2_zero_new_cluster(inode->i_sb, run.cluster);
	if (ret)
		goto out_abort;
	down_write(&OCFS2_I(inode)->alloc_sem);
	ret = ocfs2_insert_extent(handle, inode, ibh, cpos, *phys, 1, 0);
	up_write(&OCFS2_I(inode)->alloc_sem);
	inode->i_blocks = (u64)OCFS2_I(inode)->clusters <<
		(osb->cluster_bits - 9);
	/* no room in the tree (extent allocator full): give the cluster back */
	if (ret == -ENOSPC)
		ret = ocfs2_release_clusters(handle, osb, run.cluster, 1) ?: -ENOSPC;
out_abort:
	if (ret && ret != -ENOSPC)
		jbd2_journal_abort(osb->journal, ret);
out:
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

static int alloc_for_block(struct inode *inode, sector_t iblock,
			   struct buffer_head *bh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	handle_t *handle = journal_current_handle();
	u32 cpos = iblock >> osb->bpc_bits;
	u64 phys;
	int ret;

	if (!handle) {
		ocfs2_err(inode->i_sb, "inode %lu: block %llu has no cluster and no transaction to allocate one",
			  inode->i_ino, (unsigned long long)iblock);
		return -EIO;
	}
	if (!ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC) &&
	    cpos != OCFS2_I(inode)->clusters) {
		ocfs2_err(inode->i_sb, "inode %lu: a write past the end would leave a hole, which this volume (no sparse feature) cannot hold; not supported yet",
			  inode->i_ino);
		return -EOPNOTSUPP;
	}
	ret = add_cluster(handle, inode, cpos, &phys);
	if (ret)
		return ret;
	ret = ocfs2_order_data(handle, inode, (loff_t)cpos << osb->cluster_bits,
			       1LL << osb->cluster_bits);
	if (ret)
		return ret;
	map_bh(bh, inode->i_sb, phys + (iblock & ((1U << osb->bpc_bits) - 1)));
	bh->b_size = i_blocksize(inode);
	set_buffer_new(bh);
	return 0;
}

/* A write into an unwritten extent: its cluster becomes written. */
static int convert_for_block(struct inode *inode, sector_t iblock,
			     const struct ocfs2_extent_hit *hit,
			     struct buffer_head *bh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	handle_t *handle = journal_current_handle();
	u32 cpos = iblock >> osb->bpc_bits;
	struct buffer_head *ibh;
	int ret;

	if (!handle) {
		ocfs2_err(inode->i_sb, "inode %lu: block %llu is unwritten and there is no transaction to convert it",
			  inode->i_ino, (unsigned long long)iblock);
		return -EIO;
	}
	ret = ocfs2_zero_new_cluster(inode->i_sb, hit->phys >> osb->bpc_bits);
	if (!ret)
		ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	down_write(&OCFS2_I(inode)->alloc_sem);
	ret = ocfs2_mark_written(handle, inode, ibh, cpos);
	up_write(&OCFS2_I(inode)->alloc_sem);
	if (ret)
		jbd2_journal_abort(osb->journal, ret);
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	if (!ret)
		ret = ocfs2_order_data(handle, inode,
				       (loff_t)cpos << osb->cluster_bits,
				       1LL << osb->cluster_bits);
	if (ret)
		return ret;
	map_bh(bh, inode->i_sb, hit->phys);
	bh->b_size = i_blocksize(inode);
	set_buffer_new(bh);
	return 0;
}

int ocfs2_get_block_write(struct inode *inode, sector_t iblock,
			  struct buffer_head *bh, int create)
{
	struct ocfs2_extent_hit hit;
	int ret;

	ret = ocfs2_extent_lookup(inode, iblock, &hit);
	if (ret)
		return ret;
	if (hit.phys && !hit.unwritten) {
		map_bh(bh, inode->i_sb, hit.phys);
		bh->b_size = min_t(u64, bh->b_size,
				   hit.blocks << inode->i_blkbits);
		return 0;
	}
	if (!create)
		return 0;
	if (hit.unwritten)
		return convert_for_block(inode, iblock, &hit, bh);
	return alloc_for_block(inode, iblock, bh);
}

/* Whether some block of [pos, pos + len) has no written cluster. */
static int needs_alloc(struct inode *inode, loff_t pos, unsigned int len,
		       bool *need)
{
	u64 blk = pos >> inode->i_blkbits;
	u64 last = (pos + len - 1) >> inode->i_blkbits;
	struct ocfs2_extent_hit hit;
	int ret;

	*need = false;
	while (blk <= last) {
		ret = ocfs2_extent_lookup(inode, blk, &hit);
		if (ret)
			return ret;
		if (!hit.phys || hit.unwritten || !hit.blocks) {
			*need = true;
			return 0;
		}
		blk += hit.blocks;
	}
	return 0;
}

static handle_t *start_alloc_trans(struct inode *inode)
{
	struct buffer_head *ibh;
	handle_t *handle;
	int ret;

	ret = ocfs2_inode_lock(inode, &ibh, 0);
	if (ret)
		return ERR_PTR(ret);
	handle = ocfs2_start_alloc_trans(OCFS2_SB(inode->i_sb), OCFS2_AL_CLUSTERS,
					 ocfs2_alloc_credits(ibh));
	brelse(ibh);
	ocfs2_inode_unlock(inode, 0);
	return handle;
}

static int write_begin_once(struct address_space *mapping, loff_t pos,
			    unsigned int len, struct kc_wb_page **pagep,
			    void **fsdata)
{
	struct inode *inode = mapping->host;
	handle_t *handle = NULL;
	bool need;
	int ret;

	*fsdata = NULL;
	if (ocfs2_inode_is_inline(inode)) {
		ret = ocfs2_inline_write_begin(inode, pos, len, pagep, fsdata);
		if (ret != -EFBIG)
			return ret;
		ret = ocfs2_promote_inline(inode);
		if (ret)
			return ret;
	}
	ret = needs_alloc(inode, pos, len, &need);
	if (ret)
		return ret;
	if (need) {
		handle = start_alloc_trans(inode);
		if (IS_ERR(handle))
			return PTR_ERR(handle);
	}
	ret = block_write_begin(mapping, pos, len, pagep,
				ocfs2_get_block_write);
	if (ret && handle)
		ocfs2_commit_alloc_trans(OCFS2_SB(inode->i_sb), handle,
					 OCFS2_AL_CLUSTERS);
	else
		*fsdata = handle;
	return ret;
}

/* ENOSPC while the truncate log holds clusters: flush it, try once more. */
int ocfs2_write_begin(struct file *file, struct address_space *mapping,
		      loff_t pos, unsigned int len, struct kc_wb_page **pagep,
		      void **fsdata)
{
	int ret = write_begin_once(mapping, pos, len, pagep, fsdata);

	if (ret == -ENOSPC &&
	    ocfs2_tl_flush_for_space(OCFS2_SB(mapping->host->i_sb)))
		ret = write_begin_once(mapping, pos, len, pagep, fsdata);
	return ret;
}

/*
 * An extending write that allocated stores the size it reached in the
 * allocation's own transaction, as stock does: after a crash the size
 * then always covers the written clusters (a later size-only transaction
 * could be lost while the clusters were not, and fsck would then find
 * clusters past the size).  The bytes between the old size and the new
 * one are ordered into the same transaction, so the size never exposes
 * blocks the data has not reached.  The caller's write path holds the
 * meta lock at EX; the inode block is the one already in this handle.
 */
int ocfs2_size_in_alloc_trans(handle_t *handle, struct inode *inode)
{
	loff_t size = i_size_read(inode), old;
	struct ocfs2_dinode *di;
	struct buffer_head *ibh;
	int ret;

	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)ibh->b_data;
	old = le64_to_cpu(di->i_size);
	if (old < size) {
		ret = ocfs2_journal_access(handle, ibh);
		if (!ret)
			ret = ocfs2_order_data(handle, inode, old, size - old);
		if (!ret) {
			di->i_size = cpu_to_le64(size);
			ocfs2_journal_dirty(handle, ibh);
		}
	}
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

int ocfs2_write_end(struct file *file, struct address_space *mapping,
		    loff_t pos, unsigned int len, unsigned int copied,
		    struct kc_wb_page *page, void *fsdata)
{
	struct inode *inode = mapping->host;
	handle_t *handle = fsdata;
	int ret, ret2 = 0;

	if (ocfs2_inode_is_inline(inode))
		return ocfs2_inline_write_end(inode, pos, copied, page, fsdata);
	ret = generic_write_end(file, mapping, pos, len, copied, page, NULL);
	if (!handle)
		return ret;
	if (ret > 0)
		ret2 = ocfs2_size_in_alloc_trans(handle, inode);
	ret2 = ocfs2_commit_alloc_trans(OCFS2_SB(inode->i_sb), handle,
					OCFS2_AL_CLUSTERS) ?: ret2;
	return ret2 ? ret2 : ret;
}

int ocfs2_writepage(struct page *page, struct writeback_control *wbc)
{
	if (ocfs2_inode_is_inline(page->mapping->host)) {
		unlock_page(page);
		return 0;
	}
	return kc_block_write_full_page(page, ocfs2_get_block_write, wbc);
}

/*
 * Write-back's mapping.  mpage asks it about a page without buffers while
 * pages it already marked for write-back wait in a bio it has not sent.
 * A tree change holds alloc_sem while it waits for jbd2 write access to a
 * buffer the committing transaction is writing, and in data=ordered that
 * commit waits for those very pages: waiting for alloc_sem here would
 * never end.  So here the tree is read only when alloc_sem is free at
 * once; otherwise -EAGAIN sends mpage to its fallback, which sends its bio
 * first and maps the page through buffers attached to it (then this
 * function may wait).  A hole or an unwritten extent goes there too: the
 * ordinary path says what is wrong.
 */
static int ocfs2_get_block_wb(struct inode *inode, sector_t iblock,
			      struct buffer_head *bh, int create)
{
	struct ocfs2_extent_hit hit;
	int ret;

	if (folio_buffers(page_folio(bh->b_page)))
		return ocfs2_get_block_write(inode, iblock, bh, create);
	ret = ocfs2_extent_lookup_nowait(inode, iblock, &hit);
	if (ret)
		return ret;
	if (!hit.phys || hit.unwritten)
		return -EAGAIN;
	map_bh(bh, inode->i_sb, hit.phys);
	bh->b_size = min_t(u64, bh->b_size, hit.blocks << inode->i_blkbits);
	return 0;
}

/* Inline files keep their data in the inode block: nothing to write. */
int ocfs2_writepages(struct address_space *mapping,
		     struct writeback_control *wbc)
{
	if (ocfs2_inode_is_inline(mapping->host))
		return 0;
	return mpage_writepages(mapping, wbc, ocfs2_get_block_wb);
}
