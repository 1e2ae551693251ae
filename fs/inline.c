// SPDX-License-Identifier: GPL-2.0
/*
 * Inline data: a small file keeps its bytes in the inode block.  A write
 * that fits goes through page 0 of the page cache and is copied into the
 * inode block in the same transaction, so the page is never dirty and
 * writeback never sees it.  A write (or size change) that does not fit
 * promotes the file: the inode gets an empty extent list and the old
 * bytes are written again through the normal, allocating write path.
 */
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include "extent_tree.h"

bool ocfs2_inline_fits(struct inode *inode, struct buffer_head *ibh,
		       loff_t end)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;

	return end <= le16_to_cpu(di->id2.i_data.id_count);
}

static void fill_page(struct inode *inode, struct folio *folio,
		      const struct ocfs2_dinode *di)
{
	size_t size = min_t(loff_t, i_size_read(inode),
			    le16_to_cpu(di->id2.i_data.id_count));
	void *kaddr = kmap_local_folio(folio, 0);

	memcpy(kaddr, di->id2.i_data.id_data, size);
	memset(kaddr + size, 0, PAGE_SIZE - size);
	kunmap_local(kaddr);
	flush_dcache_folio(folio);
	folio_mark_uptodate(folio);
}

/*
 * -EFBIG: the write does not fit inline (or a page fault promoted the
 * file meanwhile); the caller promotes.  On success the promote mutex
 * stays held until write_end, so no fault promotes the file under the
 * write (the VFS copies into the page without faulting).
 */
int ocfs2_inline_write_begin(struct inode *inode, loff_t pos,
			     unsigned int len, struct kc_wb_page **pagep,
			     void **fsdata)
{
	struct buffer_head *ibh;
	struct page *page;
	handle_t *handle;
	int ret;

	mutex_lock(&OCFS2_I(inode)->promote_mutex);
	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		goto fail;
	if (!ocfs2_inode_is_inline(inode) ||
	    !ocfs2_inline_fits(inode, ibh, pos + len)) {
		ret = -EFBIG;
		goto out;
	}
	handle = ocfs2_start_trans(OCFS2_SB(inode->i_sb),
				   OCFS2_INODE_UPDATE_CREDITS);
	if (IS_ERR(handle)) {
		ret = PTR_ERR(handle);
		goto out;
	}
	page = grab_cache_page_write_begin(inode->i_mapping, 0);
	if (!page) {
		ocfs2_commit_trans(handle);
		ret = -ENOMEM;
		goto out;
	}
	if (!PageUptodate(page))
		fill_page(inode, page_folio(page),
			  (struct ocfs2_dinode *)ibh->b_data);
	*pagep = kc_wb_from_page(page);
	*fsdata = handle;
out:
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
fail:
	if (ret)
		mutex_unlock(&OCFS2_I(inode)->promote_mutex);
	return ret;
}

static int copy_to_inode(handle_t *handle, struct inode *inode,
			 struct folio *folio, loff_t pos, unsigned int copied)
{
	struct ocfs2_dinode *di;
	struct buffer_head *ibh;
	void *kaddr;
	int ret;

	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	ret = ocfs2_journal_access(handle, ibh);
	if (ret)
		goto out;
	di = (struct ocfs2_dinode *)ibh->b_data;
	kaddr = kmap_local_folio(folio, 0);
	memcpy(di->id2.i_data.id_data + pos, kaddr + pos, copied);
	kunmap_local(kaddr);
	if (pos + copied > i_size_read(inode))
		i_size_write(inode, pos + copied);
	di->i_size = cpu_to_le64(i_size_read(inode));
	ocfs2_journal_dirty(handle, ibh);
out:
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

int ocfs2_inline_write_end(struct inode *inode, loff_t pos,
			   unsigned int copied, struct kc_wb_page *page,
			   void *fsdata)
{
	struct folio *folio = kc_wb_folio(page);
	handle_t *handle = fsdata;
	int ret, ret2;

	flush_dcache_folio(folio);
	ret = copy_to_inode(handle, inode, folio, pos, copied);
	folio_unlock(folio);
	folio_put(folio);
	ret2 = ocfs2_commit_trans(handle);
	mutex_unlock(&OCFS2_I(inode)->promote_mutex);
	if (ret || ret2)
		return ret ? ret : ret2;
	return copied;
}

/* An empty extent list where the inline data was. */
static void make_extent_root(struct inode *inode, struct ocfs2_dinode *di)
{
	unsigned int room = inode->i_sb->s_blocksize - OCFS2_DINODE_ID2_OFF;
	struct ocfs2_extent_list *el = &di->id2.i_list;

	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_XATTR_FL)
		room -= le16_to_cpu(di->i_xattr_inline_size);
	memset(&di->id2, 0, room);
	el->l_count = cpu_to_le16((room - sizeof(*el)) / sizeof(el->l_recs[0]));
	le16_add_cpu(&di->i_dyn_features, -OCFS2_INLINE_DATA_FL);
	OCFS2_I(inode)->dyn_features = le16_to_cpu(di->i_dyn_features);
}

/* The old bytes, written again at offset 0 through the allocating path. */
static int rewrite_data(struct inode *inode, const void *buf, size_t size)
{
	struct kc_wb_page *page;
	struct folio *folio;
	void *kaddr;
	int ret;

	ret = block_write_begin(inode->i_mapping, 0, size, &page,
				ocfs2_get_block_write);
	if (ret)
		return ret;
	folio = kc_wb_folio(page);
	kaddr = kmap_local_folio(folio, 0);
	memcpy(kaddr, buf, size);
	kunmap_local(kaddr);
	flush_dcache_folio(folio);
	block_write_end(NULL, inode->i_mapping, 0, size, size, page, NULL);
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}

static int promote_in_trans(handle_t *handle, struct inode *inode,
			    struct buffer_head *ibh, const void *buf,
			    size_t size)
{
	int ret;

	ret = ocfs2_journal_access(handle, ibh);
	if (ret)
		return ret;
	make_extent_root(inode, (struct ocfs2_dinode *)ibh->b_data);
	ocfs2_journal_dirty(handle, ibh);
	return size ? rewrite_data(inode, buf, size) : 0;
}

static int promote_locked(struct inode *inode)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_dinode *di;
	struct buffer_head *ibh;
	handle_t *handle;
	size_t size;
	void *buf;
	int ret;

	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)ibh->b_data;
	/* a page fault and a write may both have asked */
	ret = 0;
	if (!(le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_DATA_FL))
		goto out;
	size = min_t(loff_t, i_size_read(inode),
		     le16_to_cpu(di->id2.i_data.id_count));
	buf = kmemdup(di->id2.i_data.id_data, size, GFP_NOFS);
	ret = -ENOMEM;
	if (!buf)
		goto out;
	/* the inline area is no extent list yet: credits for depth 0 */
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 ocfs2_insert_credits(0) + 4);
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		goto out_free;
	ret = promote_in_trans(handle, inode, ibh, buf, size);
	if (ret)
		jbd2_journal_abort(osb->journal, ret);
	ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
out_free:
	kfree(buf);
out:
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

/* Writers hold i_rwsem, page faults do not: the mutex orders them. */
int ocfs2_promote_inline(struct inode *inode)
{
	int ret;

	mutex_lock(&OCFS2_I(inode)->promote_mutex);
	ret = promote_locked(inode);
	mutex_unlock(&OCFS2_I(inode)->promote_mutex);
	return ret;
}
