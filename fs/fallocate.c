// SPDX-License-Identifier: GPL-2.0
/*
 * fallocate: reserving clusters for a range of a file.  The holes of the
 * range get clusters mapped as unwritten extents (they read as zeros
 * until written) on volumes with the unwritten feature, else zeroed on
 * disk and mapped as written.
 *
 * Punching a hole frees the whole clusters inside the range and zeroes
 * the bytes of the partial clusters at its edges (through the page cache,
 * as a write would, and only where data is mapped and written: holes and
 * unwritten extents read as zeros already).  Zeroing a range punches it,
 * then fills it again as fallocate does, and grows the size unless told
 * to keep it.
 */
#include "extent_tree.h"
#include "refcount.h"
#include <linux/falloc.h>
#include <linux/highmem.h>

/* One run of new clusters at @cpos, at most @count, in its own transaction. */
static int fill_step(struct inode *inode, u32 cpos, u32 count, u32 *done)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	u32 goal = ocfs2_alloc_goal(inode, cpos);
	bool unwritten = osb->ro_compat & OCFS2_FEATURE_RO_COMPAT_UNWRITTEN;
	struct buffer_head *ibh;
	struct ocfs2_run run;
	handle_t *handle;
	int ret;

	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 ocfs2_alloc_credits(ibh));
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		goto out;
	ret = ocfs2_claim_clusters(handle, osb, goal, min_t(u32, count, U16_MAX),
				   &run);
	if (ret)
		goto out_commit;
	if (!unwritten)
		ret = sb_issue_zeroout(inode->i_sb,
				       (sector_t)run.cluster << osb->bpc_bits,
				       (sector_t)run.count << osb->bpc_bits,
				       GFP_NOFS);
	if (!ret) {
		down_write(&OCFS2_I(inode)->alloc_sem);
		ret = ocfs2_insert_extent(handle, inode, ibh, cpos,
					  (u64)run.cluster << osb->bpc_bits,
					  run.count,
					  unwritten ? OCFS2_EXT_UNWRITTEN : 0);
		up_write(&OCFS2_I(inode)->alloc_sem);
	}
	if (ret)
		ret = ocfs2_release_clusters(handle, osb, run.cluster, run.count) ?: ret;
	inode->i_blocks = (u64)OCFS2_I(inode)->clusters << (osb->cluster_bits - 9);
	*done = run.count;
out_commit:
	ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
out:
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

/* Clusters [first, last] of @inode: allocate every hole. */
static int fill_holes(struct inode *inode, u32 first, u32 last)
{
	unsigned int bpc_bits = OCFS2_SB(inode->i_sb)->bpc_bits;
	struct ocfs2_extent_hit hit;
	u32 cpos = first, n, done;
	int ret;

	while (cpos <= last) {
		ret = ocfs2_extent_lookup(inode, (u64)cpos << bpc_bits, &hit);
		if (ret)
			return ret;
		n = min_t(u64, hit.blocks >> bpc_bits, (u64)last - cpos + 1);
		if (!n)
			return -EIO;
		if (!hit.phys) {
			ret = fill_step(inode, cpos, n, &done);
			if (ret)
				return ret;
			n = done;
		}
		cpos += n;
		cond_resched();
	}
	return 0;
}

static long fallocate_locked(struct inode *inode, int mode, loff_t offset,
			     loff_t len)
{
	unsigned int cbits = OCFS2_SB(inode->i_sb)->cluster_bits;
	loff_t end = offset + len, old = i_size_read(inode);
	int ret;

	ret = inode_newsize_ok(inode, end);
	if (ret)
		return ret;
	if (ocfs2_inode_is_inline(inode)) {
		ret = ocfs2_promote_inline(inode);
		if (ret)
			return ret;
	}
	if ((u64)(end - 1) >> cbits > U32_MAX - 1)
		return -EFBIG;
	/* a volume without sparse files has no holes: fill from the start */
	ret = fill_holes(inode, ocfs2_has_incompat(OCFS2_SB(inode->i_sb),
						   OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC) ?
			 offset >> cbits : 0, (end - 1) >> cbits);
	if (ret || (mode & FALLOC_FL_KEEP_SIZE) || end <= old)
		return ret;
	i_size_write(inode, end);
	return ocfs2_persist_inode(inode, old);
}

/* Zero [pos, pos + len), inside one page, as a write of zeros would. */
static int zero_in_page(struct file *file, loff_t pos, unsigned int len)
{
	struct address_space *mapping = file->f_mapping;
	struct kc_wb_page *page;
	struct folio *folio;
	void *fsdata;
	int ret;

	ret = ocfs2_write_begin(file, mapping, pos, len, &page, &fsdata);
	if (ret)
		return ret;
	folio = kc_wb_folio(page);
	folio_zero_range(folio, offset_in_folio(folio, pos), len);
	ret = ocfs2_write_end(file, mapping, pos, len, len, page, fsdata);
	return ret < 0 ? ret : 0;
}

/* Zero the written bytes of [start, end) below the size. */
static int zero_partial(struct file *file, loff_t start, loff_t end)
{
	struct inode *inode = file_inode(file);
	struct ocfs2_extent_hit hit;
	unsigned int n;
	int ret;

	end = min(end, i_size_read(inode));
	while (start < end) {
		n = min_t(loff_t, end - start, PAGE_SIZE - offset_in_page(start));
		ret = ocfs2_extent_lookup(inode, start >> inode->i_blkbits, &hit);
		if (!ret && hit.phys && !hit.unwritten)
			ret = zero_in_page(file, start, n);
		if (ret)
			return ret;
		start += n;
	}
	return 0;
}

/* Free the clusters [first, end) after dropping their cached pages. */
static int punch_clusters(struct inode *inode, u64 first, u64 end)
{
	unsigned int cbits = OCFS2_SB(inode->i_sb)->cluster_bits;
	struct buffer_head *ibh;
	int ret;

	if (first >= end)
		return 0;
	end = min_t(u64, end, U32_MAX);
	ret = filemap_write_and_wait_range(inode->i_mapping, first << cbits,
					   (end << cbits) - 1);
	if (ret)
		return ret;
	truncate_pagecache_range(inode, first << cbits, (end << cbits) - 1);
	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	ret = ocfs2_punch_extents(inode, ibh, first, end);
	inode->i_blocks = (u64)OCFS2_I(inode)->clusters << (cbits - 9);
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	/* a fault may have read a block back in before it went */
	truncate_pagecache_range(inode, first << cbits, (end << cbits) - 1);
	return ret;
}

static int punch_hole(struct file *file, loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	unsigned int cbits = OCFS2_SB(inode->i_sb)->cluster_bits;
	loff_t end = offset + len;
	u64 first = round_up(offset, 1ULL << cbits) >> cbits;
	u64 last = end >> cbits;	/* first cluster not wholly inside */
	int ret;

	if (first > last) {
		/* inside one cluster: nothing to free */
		ret = zero_partial(file, offset, end);
	} else {
		ret = zero_partial(file, offset, first << cbits);
		if (!ret)
			ret = zero_partial(file, last << cbits, end);
	}
	if (!ret)
		ret = punch_clusters(inode, first, last);
	return ret;
}

/*
 * The partial clusters at a punch's edges are zeroed in place, and a
 * zeroed range past the size zeroes from the size on: copies first.
 */
static int cow_for_punch(struct inode *inode, int mode, loff_t offset,
			 loff_t end, loff_t old)
{
	loff_t csize = 1LL << OCFS2_SB(inode->i_sb)->cluster_bits;
	loff_t head = min(end, round_up(offset, csize));
	loff_t tail = max(head, round_down(end, csize));
	int ret;

	ret = ocfs2_rc_cow_range(inode, offset, head - offset);
	if (!ret)
		ret = ocfs2_rc_cow_range(inode, tail, end - tail);
	if (!ret && (mode & FALLOC_FL_ZERO_RANGE) && end > old)
		ret = ocfs2_rc_cow_range(inode, old, end - old);
	return ret;
}

/* Times change, and the size for a zeroed range past it. */
static int punch_done(struct inode *inode, loff_t old)
{
	struct timespec64 a, m, c;

	kc_inode_get_times(inode, &a, &m, &c);
	ktime_get_coarse_real_ts64(&c);
	kc_inode_set_times(inode, a, c, c);
	return ocfs2_persist_inode(inode, old);
}

/* The whole clusters of [offset, end) (punch_hole frees them). */
static int remove_probe(struct inode *inode, loff_t offset, loff_t end)
{
	unsigned int cbits = OCFS2_SB(inode->i_sb)->cluster_bits;
	u64 first = round_up(offset, 1ULL << cbits) >> cbits;
	u64 last = min_t(u64, end >> cbits, U32_MAX);

	if (first >= last)
		return 0;
	return ocfs2_rc_remove_probe(inode, first, last);
}

static long punch_or_zero(struct file *file, int mode, loff_t offset,
			  loff_t len)
{
	struct inode *inode = file_inode(file);
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	loff_t old = i_size_read(inode), end = offset + len;
	long ret;

	ret = inode_newsize_ok(inode, end);
	if (ret)
		return ret;
	ret = ocfs2_lock(&oi->rw_lock, OCFS2_LOCK_EX, 0);
	if (ret)
		return ret;
	inode_dio_wait(inode);
	if (ocfs2_inode_is_inline(inode))
		ret = ocfs2_promote_inline(inode);
	/* a dry allocator refuses the punch here, before anything changes */
	if (!ret)
		ret = remove_probe(inode, offset, end);
	if (!ret)
		ret = cow_for_punch(inode, mode, offset, end, old);
	if (!ret)
		ret = punch_hole(file, offset, len);
	/* a zeroed range past the size: the bytes up to it read zeros */
	if (!ret && (mode & FALLOC_FL_ZERO_RANGE) &&
	    !(mode & FALLOC_FL_KEEP_SIZE) && end > old)
		ret = ocfs2_zero_past_eof(inode, old, end);
	if (!ret && (mode & FALLOC_FL_ZERO_RANGE))
		ret = fallocate_locked(inode, mode & FALLOC_FL_KEEP_SIZE,
				       offset, len);
	if (!ret)
		ret = punch_done(inode, old);
	ocfs2_unlock(&oi->rw_lock, OCFS2_LOCK_EX);
	return ret;
}

#define OCFS2_FALLOC_MODES	(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | \
				 FALLOC_FL_ZERO_RANGE)

long ocfs2_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	long ret;

	if (mode & ~OCFS2_FALLOC_MODES)
		return -EOPNOTSUPP;
	if (!S_ISREG(inode->i_mode))
		return -ENODEV;
	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (!OCFS2_SB(inode->i_sb)->journal)
		return -EROFS;
	if (ocfs2_refcount_refused(inode))
		return -EOPNOTSUPP;
	inode_lock(inode);
	if (mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
		ret = punch_or_zero(file, mode, offset, len);
	else
		ret = fallocate_locked(inode, mode, offset, len);
	inode_unlock(inode);
	return ret;
}
