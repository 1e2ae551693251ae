// SPDX-License-Identifier: GPL-2.0
/*
 * Batched allocation for sequential buffered writes on local mounts.
 *
 * The page-at-a-time path (data_write.c) allocates in write_begin and
 * stores the size in write_end, one transaction per page: a 128 MiB
 * append of 4 KiB clusters is 32768 transactions.  Here a write that
 * starts past the end of the file's allocation gets the clusters of a
 * chunk of it (up to BATCH_BYTES, whole clusters) in one transaction,
 * which stays open while the chunk's pages are copied and then stores
 * the size the chunk reached, as the page path does per page.  The
 * transaction cannot commit while it is open, and data=ordered writes
 * the chunk's pages before it does, so the size never covers blocks the
 * data has not reached and no cluster sits past the size after a crash
 * (stock fsck's INODE_SPARSE_SIZE).
 *
 * The source is faulted in before the handle starts and the copy never
 * faults (a fault under a handle could wait on mmap_lock behind a task
 * that waits for this transaction); balance_dirty_pages waits between
 * chunks, with no handle open.  A short copy ends the chunk: the size
 * is what was copied, and the clusters past it are freed after the
 * commit (a crash between the two leaves clusters past the size, which
 * stock fsck asks about; their blocks never show, being past the size).
 *
 * Only whole clusters of a write that starts at the end of the file and
 * past everything it maps, on a sparse volume, under a local mount; the
 * rest of the write (and every other write) takes the page path.
 * On by default since fs/10, fs/11 (300 MiB files both ways, appends
 * from a partly unreadable buffer) and the fs/07 stress passed with it
 * on both kernels; ocfs2.batched_writes=0 restores the page path.
 */
#include <linux/buffer_head.h>
#include <linux/pagemap.h>
#include <linux/uio.h>
#include <linux/writeback.h>
#include "ocfs2.h"

static bool batched_writes = true;
module_param(batched_writes, bool, 0644);
MODULE_PARM_DESC(batched_writes, "allocate a sequential write's clusters a chunk at a time, in one transaction per chunk (local mounts; default on)");

/* a chunk: 64 pages of 4 KiB; its handle is open while they are copied */
#define BATCH_BYTES	(256 * 1024)

/*
 * Bytes from the start of the write that the batch may take, 0 for
 * none: whole clusters from a cluster boundary at or past the size,
 * where the file maps nothing up to the end of the tree.
 */
static size_t batch_len(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	u64 csize = 1ULL << osb->cluster_bits;
	loff_t pos = iocb->ki_pos;
	struct ocfs2_extent_hit hit;
	size_t len;

	if (!READ_ONCE(batched_writes) || !osb->locks.local ||
	    (iocb->ki_flags & IOCB_DIRECT) ||
	    !ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC) ||
	    ocfs2_inode_is_inline(inode) || pos < i_size_read(inode) ||
	    (pos & (csize - 1)))
		return 0;
	len = min_t(size_t, iov_iter_count(from), BATCH_BYTES);
	len = round_down(len, csize);
	if (len < 2 * PAGE_SIZE)
		return 0;
	if (ocfs2_extent_lookup(inode, pos >> inode->i_blkbits, &hit) ||
	    hit.phys ||
	    hit.blocks != ((u64)U32_MAX << osb->bpc_bits) -
			  (pos >> inode->i_blkbits))
		return 0;
	return len;
}

/*
 * In @handle: clusters for [@cpos, @cpos + @want), as few runs as the
 * allocators give; *@got says how many were mapped (the chunk shrinks to
 * them when an allocator or the handle's credits run out).
 */
static int alloc_runs(handle_t *handle, struct inode *inode,
		      struct buffer_head *ibh, u32 cpos, u32 want, u32 *got)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_alloc_hold *hold = ocfs2_alloc_hold_of(osb);
	u32 goal = ocfs2_alloc_goal(inode, cpos);
	int credits = ocfs2_alloc_credits(ibh);
	struct ocfs2_run run;
	int ret = 0;

	/*
	 * What the window promised, when it promised anything: the chunk
	 * shrinks rather than take its tail from the bitmap, and the next
	 * chunk slides the window, so the file grows in window-long runs
	 * as it does page by page.
	 */
	if (hold && hold->la_bits)
		want = min(want, hold->la_bits);
	*got = 0;
	while (*got < want) {
		if (jbd2_handle_buffer_credits(handle) < credits &&
		    jbd2_journal_extend(handle, credits, 0))
			break;
		ret = ocfs2_claim_clusters(handle, osb, goal, want - *got, &run);
		if (ret)
			break;
		down_write(&OCFS2_I(inode)->alloc_sem);
		ret = ocfs2_insert_extent(handle, inode, ibh, cpos + *got,
					  (u64)run.cluster << osb->bpc_bits,
					  run.count, 0);
		up_write(&OCFS2_I(inode)->alloc_sem);
		if (ret == -ENOSPC)
			ret = ocfs2_release_clusters(handle, osb, run.cluster,
						     run.count) ?: -ENOSPC;
		if (ret)
			break;
		*got += run.count;
		goal = run.cluster + run.count;
	}
	inode->i_blocks = (u64)OCFS2_I(inode)->clusters <<
		(osb->cluster_bits - 9);
	if (ret == -ENOSPC && *got)
		ret = 0;
	if (ret && ret != -ENOSPC)
		jbd2_journal_abort(osb->journal, ret);
	return ret;
}

/* Copy @len bytes (whole pages) into the page cache; the bytes copied. */
static size_t copy_pages(struct kiocb *iocb, struct iov_iter *from,
			 size_t len)
{
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	loff_t pos = iocb->ki_pos;
	struct kc_wb_page *page;
	size_t done = 0, copied;
	int ret;

	while (done < len && !fatal_signal_pending(current)) {
		ret = block_write_begin(mapping, pos, PAGE_SIZE, &page,
					ocfs2_get_block_write);
		if (ret)
			break;
		if (mapping_writably_mapped(mapping))
			flush_dcache_folio(kc_wb_folio(page));
		copied = kc_wb_copy_atomic(page, 0, PAGE_SIZE, from);
		flush_dcache_folio(kc_wb_folio(page));
		ret = generic_write_end(file, mapping, pos, PAGE_SIZE, copied,
					page, NULL);
		if (ret < (int)PAGE_SIZE) {
			iov_iter_revert(from, copied - max(ret, 0));
			if (ret > 0)
				done += ret;
			break;
		}
		done += PAGE_SIZE;
		pos += PAGE_SIZE;
	}
	return done;
}

/* After a short copy: the clusters past the size go (own transactions). */
static int free_past_size(struct inode *inode, struct buffer_head *ibh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	loff_t size = i_size_read(inode);
	u32 keep = (size + (1LL << osb->cluster_bits) - 1) >> osb->cluster_bits;
	int ret;

	truncate_pagecache(inode, size);
	ret = ocfs2_trim_extents(inode, ibh, keep);
	inode->i_blocks = (u64)OCFS2_I(inode)->clusters <<
		(osb->cluster_bits - 9);
	return ret;
}

/* One chunk: its clusters, its pages, its size, in one transaction. */
static ssize_t write_chunk(struct kiocb *iocb, struct iov_iter *from,
			   struct buffer_head *ibh, size_t len)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	u32 cpos = iocb->ki_pos >> osb->cluster_bits;
	u32 want = len >> osb->cluster_bits, got = 0;
	handle_t *handle;
	size_t done = 0;
	int ret, ret2;

	handle = ocfs2_start_clusters_trans(osb, 2 * ocfs2_alloc_credits(ibh),
					    want);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = alloc_runs(handle, inode, ibh, cpos, want, &got);
	if (!ret) {
		len = (size_t)got << osb->cluster_bits;
		ret = ocfs2_order_data(handle, inode, iocb->ki_pos, len);
	}
	if (!ret) {
		done = copy_pages(iocb, from, len);
		iocb->ki_pos += done;
		ret = ocfs2_size_in_alloc_trans(handle, inode);
	}
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_CLUSTERS);
	ret = ret ?: ret2;
	/* also after an error: nothing allocated here stays past the size */
	if (got && done < len) {
		ret2 = free_past_size(inode, ibh);
		ret = ret ?: ret2;
	}
	if (ret)
		return ret;
	return done;
}

/*
 * The batched part of a buffered write, from iocb->ki_pos on (moved past
 * what was written).  0: nothing batched; the caller writes the rest
 * through the page path.  The caller holds the inode lock, the rw lock
 * and the meta lock at EX (@ibh its block), and checked the write.
 */
ssize_t ocfs2_write_batched(struct kiocb *iocb, struct iov_iter *from,
			    struct buffer_head *ibh)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	ssize_t written = 0, ret;
	size_t len = batch_len(iocb, from);

	if (!len)
		return 0;
	ret = file_modified(iocb->ki_filp);
	if (ret)
		return ret;
	while (len) {
		if (fault_in_iov_iter_readable(from, len))
			break;
		ret = write_chunk(iocb, from, ibh, len);
		if (ret <= 0)
			break;
		written += ret;
		balance_dirty_pages_ratelimited(mapping);
		if ((size_t)ret < len)
			break;
		len = batch_len(iocb, from);
	}
	/* no room: the page path flushes the truncate log and tries again */
	if (written || ret == -ENOSPC)
		return written;
	return ret;
}
