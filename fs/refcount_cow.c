// SPDX-License-Identifier: GPL-2.0
/*
 * Copy-on-write of shared (refcounted) clusters, before a write, a
 * page fault or a size change touches them.  Whole clusters, one piece
 * per transaction, a piece being the part of one extent record that one
 * refcount record covers (at most 1 MiB):
 *  - the file holds the last reference: the extent only loses its
 *    REFCOUNTED flag and the record goes (nothing is copied, as stock);
 *  - otherwise new clusters are claimed, the old ones' blocks copied to
 *    them on disk (waited for, so the copy is there before the commit
 *    that maps it), the extent piece mapped to them without the flag,
 *    and the old clusters' count lowered.
 * A crash before the commit leaves the old mapping and the claim undone;
 * after it, the copy.  Page cache buffers of the piece are unmapped after
 * the commit, so the next write or writeback maps them to the copy.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/pagemap.h>
#include "extent_tree.h"
#include "refcount.h"

/* pages copied per request */
#define COPY_PAGES	16

static int copy_bio(struct super_block *sb, struct page **pages,
		    unsigned int n, sector_t sector, blk_opf_t op)
{
	struct bio *bio = bio_alloc(sb->s_bdev, n, op, GFP_NOFS);
	unsigned int i;
	int ret;

	bio->bi_iter.bi_sector = sector;
	for (i = 0; i < n; i++)
		__bio_add_page(bio, pages[i], PAGE_SIZE, 0);
	ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret;
}

/* Clusters [@from, @from + @count) copied to @to on disk. */
static int copy_clusters(struct super_block *sb, u64 from, u64 to, u32 count)
{
	unsigned int shift = OCFS2_SB(sb)->cluster_bits - 9;
	u64 pages = (u64)count << (OCFS2_SB(sb)->cluster_bits - PAGE_SHIFT);
	struct page *page[COPY_PAGES] = { };
	sector_t src = from << shift, dst = to << shift;
	unsigned int i, n;
	int ret = -ENOMEM;

	for (i = 0; i < COPY_PAGES; i++) {
		page[i] = alloc_page(GFP_NOFS);
		if (!page[i])
			goto out;
	}
	ret = 0;
	while (pages && !ret) {
		n = min_t(u64, pages, COPY_PAGES);
		ret = copy_bio(sb, page, n, src, REQ_OP_READ);
		if (!ret)
			ret = copy_bio(sb, page, n, dst, REQ_OP_WRITE);
		src += (sector_t)n << (PAGE_SHIFT - 9);
		dst += (sector_t)n << (PAGE_SHIFT - 9);
		pages -= n;
		cond_resched();
	}
out:
	for (i = 0; i < COPY_PAGES; i++)
		if (page[i])
			__free_page(page[i]);
	return ret;
}

static int find_rec(struct inode *inode, struct ocfs2_extent_list *el,
		    u32 cpos, u32 len)
{
	int i, used = le16_to_cpu(el->l_next_free_rec);

	for (i = 0; i < used; i++) {
		struct ocfs2_extent_rec *rec = &el->l_recs[i];

		if (le32_to_cpu(rec->e_cpos) <= cpos &&
		    cpos + len <= ocfs2_rec_end(el, rec))
			return i;
	}
	return ocfs2_fs_error(inode->i_sb, __func__,
			      "inode %lu: clusters %u+%u are in no one extent",
			      inode->i_ino, cpos, len);
}

/*
 * Logical clusters [@cpos, @cpos + @len), inside one record, now map
 * @blkno with @flags: the record keeps its part before the piece (or
 * becomes the piece), the rest is inserted again.
 */
int ocfs2_rc_remap(handle_t *handle, struct inode *inode,
		   struct buffer_head *ibh, u32 cpos, u32 len, u64 blkno,
		   u8 flags)
{
	unsigned int bpc_bits = OCFS2_SB(inode->i_sb)->bpc_bits;
	struct ocfs2_extent_rec *rec, old;
	struct ocfs2_path path;
	u32 start, end;
	int i, ret;

	ret = ocfs2_path_find(inode, ibh, cpos, false, &path);
	if (ret)
		return ret;
	ret = ocfs2_path_access(handle, &path);
	i = ret ? ret : find_rec(inode, path.el[path.depth], cpos, len);
	if (i < 0) {
		ocfs2_path_release(&path);
		return i;
	}
	rec = &path.el[path.depth]->l_recs[i];
	old = *rec;
	start = le32_to_cpu(old.e_cpos);
	end = ocfs2_rec_end(path.el[path.depth], rec);
	if (cpos > start) {
		rec->e_leaf_clusters = cpu_to_le16(cpos - start);
	} else {
		rec->e_leaf_clusters = cpu_to_le16(len);
		rec->e_blkno = cpu_to_le64(blkno);
		rec->e_flags = flags;
	}
	ocfs2_path_fix_interior(&path);
	ocfs2_path_dirty(handle, &path);
	ocfs2_path_release(&path);
	if (cpos > start)
		ret = ocfs2_reinsert_extent(handle, inode, ibh, cpos, blkno,
					    len, flags);
	if (!ret && end > cpos + len)
		ret = ocfs2_reinsert_extent(handle, inode, ibh, cpos + len,
				le64_to_cpu(old.e_blkno) +
				((u64)(cpos + len - start) << bpc_bits),
				end - cpos - len, old.e_flags);
	return ret;
}

/* Buffers of cached pages over the piece map blocks it no longer has. */
static void unmap_cached(struct inode *inode, u32 cpos, u32 len)
{
	unsigned int shift = OCFS2_SB(inode->i_sb)->cluster_bits - PAGE_SHIFT;
	pgoff_t index = (pgoff_t)cpos << shift;
	pgoff_t end = (pgoff_t)(cpos + len) << shift;
	struct buffer_head *head, *bh;
	struct page *page;

	for (; index < end; index++) {
		page = find_lock_page(inode->i_mapping, index);
		if (!page)
			continue;
		if (page_has_buffers(page)) {
			head = page_buffers(page);
			bh = head;
			do {
				clear_buffer_mapped(bh);
				bh = bh->b_this_page;
			} while (bh != head);
		}
		unlock_page(page);
		put_page(page);
	}
}

struct cow_piece {
	u32	cpos;		/* logical */
	u32	len;
	u64	old;		/* physical cluster */
	u8	flags;		/* the extent's */
	bool	last_ref;
	u32	goal;		/* where new clusters are sought */
	unsigned int blocks;	/* metadata blocks the change may take */
	bool	changed;	/* the transaction holds a change */
};

int ocfs2_rc_tree_blocks(struct inode *inode, struct buffer_head *ibh,
			 u32 cpos, unsigned int recs, unsigned int *blocks)
{
	struct ocfs2_extent_list *el;
	struct ocfs2_path path;
	unsigned int i;
	int ret;

	down_read(&OCFS2_I(inode)->alloc_sem);
	ret = ocfs2_path_find(inode, ibh, cpos, false, &path);
	up_read(&OCFS2_I(inode)->alloc_sem);
	if (ret)
		return ret;
	el = path.el[path.depth];
	*blocks = 0;
	/* insert i splits every level of a tree up to i levels deeper */
	if (le16_to_cpu(el->l_next_free_rec) + recs > le16_to_cpu(el->l_count))
		for (i = 0; i < recs; i++)
			*blocks += path.depth + 1 + i;
	ocfs2_path_release(&path);
	return 0;
}

static int cow_in_trans(handle_t *handle, struct inode *inode,
			struct buffer_head *ibh, struct cow_piece *p)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	u8 flags = p->flags & ~OCFS2_EXT_REFCOUNTED;
	struct ocfs2_run run = { (u32)p->old, p->len };
	int ret;

	/* -ENOSPC here changed nothing: no half-made remap for want of blocks */
	ret = ocfs2_meta_claim_ahead(handle, osb, p->blocks);
	if (ret)
		return ret;
	if (!p->last_ref) {
		/* -ENOSPC here changed nothing: the write just fails */
		ret = ocfs2_claim_clusters(handle, osb, p->goal, p->len, &run);
		if (ret)
			return ret;
		p->changed = true;
		p->len = run.count;
		ret = copy_clusters(inode->i_sb, p->old, run.cluster, p->len);
		if (ret)
			return ret;
	}
	p->changed = true;
	ret = ocfs2_rc_remap(handle, inode, ibh, p->cpos, p->len,
			     (u64)run.cluster << osb->bpc_bits, flags);
	if (!ret)
		ret = ocfs2_rc_release(handle, inode, ibh, p->old, p->len,
				       false);
	return ret;
}

static int cow_piece(struct inode *inode, struct buffer_head *ibh,
		     struct cow_piece *p)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	int depth = le16_to_cpu(ocfs2_root_list(ibh)->l_tree_depth);
	struct ocfs2_rc_piece rc;
	handle_t *handle;
	int ret;

	ret = ocfs2_rc_plan(inode, ibh, p->old, p->len, false, &rc);
	if (ret)
		return ret;
	p->len = min_t(u32, rc.len, max(1U, SZ_1M >> osb->cluster_bits));
	p->last_ref = rc.count == 1;
	/* a shorter piece may cut its record where the whole one did not */
	if (p->len < rc.len)
		ret = ocfs2_rc_plan(inode, ibh, p->old, p->len, false, &rc);
	if (!ret)
		ret = ocfs2_rc_tree_blocks(inode, ibh, p->cpos, 2, &p->blocks);
	if (ret)
		return ret;
	if (rc.grows)
		p->blocks += OCFS2_RC_NEW_BLOCKS;
	/* a lookup takes alloc_sem, held for writing in the transaction */
	p->goal = p->last_ref ? 0 : ocfs2_alloc_goal(inode, p->cpos);
	p->changed = false;
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_CLUSTERS,
					 ocfs2_alloc_credits(ibh) +
					 ocfs2_insert_credits(depth) +
					 OCFS2_RC_CREDITS +
					 OCFS2_META_AHEAD_CREDITS);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	down_write(&OCFS2_I(inode)->alloc_sem);
	ret = cow_in_trans(handle, inode, ibh, p);
	up_write(&OCFS2_I(inode)->alloc_sem);
	/* a half-made copy must not reach the disk */
	if (ret && p->changed)
		jbd2_journal_abort(osb->journal, ret);
	ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_CLUSTERS);
	if (!ret)
		unmap_cached(inode, p->cpos, p->len);
	return ret;
}

/*
 * The next piece at or after @cpos (before @end) that is shared: false
 * when there is none.
 */
static int next_shared(struct inode *inode, struct buffer_head *ibh,
		       u32 *cpos, u32 end, struct cow_piece *p, bool *found)
{
	unsigned int bpc_bits = OCFS2_SB(inode->i_sb)->bpc_bits;
	struct ocfs2_leaf_floor floor;
	u32 start, len;
	int ret;

	*found = false;
	while (*cpos < end) {
		/* a page fault of this file may be changing the tree */
		down_read(&OCFS2_I(inode)->alloc_sem);
		ret = ocfs2_find_leaf_floor(inode, ocfs2_root_list(ibh), *cpos,
					    &floor);
		up_read(&OCFS2_I(inode)->alloc_sem);
		if (ret)
			return ret;
		start = le32_to_cpu(floor.rec.e_cpos);
		len = le16_to_cpu(floor.rec.e_leaf_clusters);
		if (!len || start + len <= *cpos) {
			*cpos = floor.next_cpos;
			continue;
		}
		if (!(floor.rec.e_flags & OCFS2_EXT_REFCOUNTED)) {
			*cpos = start + len;
			continue;
		}
		p->cpos = *cpos;
		p->len = min(end, start + len) - *cpos;
		p->old = (le64_to_cpu(floor.rec.e_blkno) >> bpc_bits) +
			 (*cpos - start);
		p->flags = floor.rec.e_flags;
		*found = true;
		return 0;
	}
	return 0;
}

int ocfs2_rc_cow(struct inode *inode, struct buffer_head *ibh, loff_t pos,
		 u64 len)
{
	unsigned int bits = OCFS2_SB(inode->i_sb)->cluster_bits;
	struct ocfs2_rc_held *held;
	u32 cpos, end;
	struct cow_piece p;
	bool found;
	int ret = 0;

	if (!ocfs2_inode_is_refcounted(inode) || !len || pos < 0)
		return 0;
	if (ocfs2_refcount_refused(inode))
		return -EOPNOTSUPP;
	cpos = pos >> bits;
	end = min_t(u64, ((pos + len - 1) >> bits) + 1, U32_MAX);
	ret = ocfs2_rc_lock(inode, ibh, &held);
	if (ret)
		return ret;
	while (cpos < end && !ret) {
		ret = next_shared(inode, ibh, &cpos, end, &p, &found);
		if (ret || !found)
			break;
		ret = cow_piece(inode, ibh, &p);
		cpos = p.cpos + p.len;
		cond_resched();
	}
	ocfs2_rc_unlock(inode, held);
	return ret;
}

/*
 * The same, for a caller holding no inode lock (a size change or a
 * fallocate): takes the meta lock EX around the copy.
 */
int ocfs2_rc_cow_range(struct inode *inode, loff_t pos, loff_t len)
{
	struct buffer_head *ibh;
	int ret;

	if (!ocfs2_inode_is_refcounted(inode) || len <= 0)
		return 0;
	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	ret = ocfs2_rc_cow(inode, ibh, pos, len);
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}
