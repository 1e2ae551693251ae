// SPDX-License-Identifier: GPL-2.0
/*
 * Indexed xattr blocks (bucket trees), read side.  Stock turns a full
 * xattr block into the root of an extent tree keyed by name hash: each
 * record maps a run of clusters holding 4 KiB buckets, the first bucket
 * of a run saying how many of them are in use, and every bucket is one
 * area of entries, names and values like an xattr block's with offsets
 * counting from the bucket's start.  Every bucket is visited (no hash
 * search); changes to an indexed inode are refused (xattr_set.c), and
 * so is its last unlink (freeing the tree is not done).
 */
#include "ocfs2.h"
#include "xattr.h"

struct bucket_walk {
	struct inode	*inode;
	u64		xblk;		/* the indexed block, for messages */
	area_fn		fn;
	void		*arg;
	u8		*buf;		/* one bucket, its blocks put together */
};

static unsigned int blocks_per_bucket(struct super_block *sb)
{
	return OCFS2_XATTR_BUCKET_SIZE >> sb->s_blocksize_bits;
}

static int bad_tree(struct bucket_walk *w, const char *what, u64 value)
{
	return ocfs2_fs_error(w->inode->i_sb, __func__,
			      "inode %lu: indexed xattr block %llu: %s (value %llu)",
			      w->inode->i_ino, (unsigned long long)w->xblk, what,
			      (unsigned long long)value);
}

static int read_bucket(struct bucket_walk *w, u64 blkno)
{
	struct super_block *sb = w->inode->i_sb;
	unsigned int i, n = blocks_per_bucket(sb);
	struct buffer_head *bh;

	for (i = 0; i < n; i++) {
		bh = sb_bread(sb, blkno + i);
		if (!bh)
			return -EIO;
		memcpy(w->buf + (i << sb->s_blocksize_bits), bh->b_data,
		       sb->s_blocksize);
		brelse(bh);
	}
	return 0;
}

/* One bucket as an area of entries; 1 when @fn stopped the walk. */
static int visit_bucket(struct bucket_walk *w, u64 blkno)
{
	struct xattr_area a = {
		.base = w->buf, .limit = OCFS2_XATTR_BUCKET_SIZE,
		.xh = (const struct ocfs2_xattr_header *)w->buf,
		.blkno = blkno,
	};
	int ret;

	ret = read_bucket(w, blkno);
	if (ret)
		return ret;
	if (sizeof(*a.xh) + le16_to_cpu(a.xh->xh_count) *
	    sizeof(struct ocfs2_xattr_entry) > a.limit)
		return ocfs2_bad_xattr(w->inode, &a, "too many entries",
				       le16_to_cpu(a.xh->xh_count));
	return w->fn(w->inode, &a, w->arg);
}

/* The buckets of one record's clusters. */
static int visit_record(struct bucket_walk *w,
			const struct ocfs2_extent_rec *rec)
{
	struct super_block *sb = w->inode->i_sb;
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	u64 blkno = le64_to_cpu(rec->e_blkno);
	u32 clusters = le16_to_cpu(rec->e_leaf_clusters);
	unsigned int i, n, bpb = blocks_per_bucket(sb);
	u64 max = ((u64)clusters << osb->bpc_bits) / bpb;
	int ret;

	if (blkno + ((u64)clusters << osb->bpc_bits) > osb->total_blocks)
		return bad_tree(w, "bucket run past the volume's end", blkno);
	ret = read_bucket(w, blkno);
	if (ret)
		return ret;
	n = le16_to_cpu(((struct ocfs2_xattr_header *)w->buf)->xh_num_buckets);
	if (!n || n > max)
		return bad_tree(w, "bucket count", n);
	for (i = 0; i < n; i++) {
		ret = visit_bucket(w, blkno + (u64)i * bpb);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The records from the highest hash down, as the tree is searched by
 * hash: each step looks for the record below the last one's start, so
 * every leaf of a deeper tree is reached and a loop cannot happen.
 */
static int visit_tree(struct bucket_walk *w,
		      const struct ocfs2_extent_list *root)
{
	struct ocfs2_leaf_floor floor;
	u32 cpos = U32_MAX, start;
	int ret;

	for (;;) {
		ret = ocfs2_find_leaf_floor(w->inode, root, cpos, &floor);
		if (ret)
			return ret;
		if (!floor.rec.e_leaf_clusters)
			return 0;
		start = le32_to_cpu(floor.rec.e_cpos);
		if (start > cpos)
			return bad_tree(w, "records out of order", start);
		ret = visit_record(w, &floor.rec);
		if (ret || !start)
			return ret;
		cpos = start - 1;
	}
}

/* Visit every bucket under the indexed block @xbh with @fn. */
int ocfs2_xattr_walk_buckets(struct inode *inode, struct buffer_head *xbh,
			     area_fn fn, void *arg)
{
	struct ocfs2_xattr_block *xb = (struct ocfs2_xattr_block *)xbh->b_data;
	struct bucket_walk w = {
		.inode = inode, .xblk = xbh->b_blocknr, .fn = fn, .arg = arg,
	};
	int ret;

	if (inode->i_sb->s_blocksize > OCFS2_XATTR_BUCKET_SIZE)
		return bad_tree(&w, "block size over the bucket size",
				inode->i_sb->s_blocksize);
	w.buf = kmalloc(OCFS2_XATTR_BUCKET_SIZE, GFP_NOFS);
	if (!w.buf)
		return -ENOMEM;
	ret = visit_tree(&w, &xb->xb_attrs.xb_root.xt_list);
	kfree(w.buf);
	return ret;
}

/*
 * 1 if @inode's xattr block is indexed, 0 if not (or none), < 0 on error.
 * Freeing a bucket tree is not done yet, so the last unlink of such an
 * inode is refused before anything changes rather than leaving it in the
 * orphan directory for good.
 */
int ocfs2_xattr_is_indexed(struct inode *inode)
{
	u64 loc = OCFS2_I(inode)->xattr_loc;
	struct ocfs2_xattr_block *xb;
	struct buffer_head *bh;
	int ret;

	if (!loc)
		return 0;
	ret = ocfs2_read_covered(inode, loc, OCFS2_BLOCK_XATTR, &bh);
	if (ret)
		return ret;
	xb = (struct ocfs2_xattr_block *)bh->b_data;
	ret = !!(le16_to_cpu(xb->xb_flags) & OCFS2_XATTR_INDEXED);
	brelse(bh);
	if (ret)
		ocfs2_err(inode->i_sb, "inode %lu: freeing its indexed xattr block %llu (bucket tree) is not supported yet; not removed",
			  inode->i_ino, (unsigned long long)loc);
	return ret;
}
