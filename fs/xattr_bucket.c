// SPDX-License-Identifier: GPL-2.0
/*
 * Indexed xattr blocks (bucket trees), read side.  Stock turns a full
 * xattr block into the root of an extent tree keyed by name hash: each
 * record maps a run of clusters holding 4 KiB buckets, the first bucket
 * of a run saying how many of them are in use, and every bucket is one
 * area of entries sorted by hash, names and values like an xattr block's
 * with offsets counting from the bucket's start.  A name is looked up as
 * stock looks it up: the record whose start is the highest at or below
 * the name's hash, then a binary search of that run's buckets by their
 * first and last hash.  Listing visits every bucket.  Changes are
 * xattr_tree.c's.
 */
#include <ocfs2/blockcheck.h>
#include "ocfs2.h"
#include "xattr.h"

unsigned int ocfs2_xattr_bpb(struct super_block *sb)
{
	return OCFS2_XATTR_BUCKET_SIZE >> sb->s_blocksize_bits;
}

/* buckets that fit in one cluster */
unsigned int ocfs2_xattr_buckets_per_cluster(struct super_block *sb)
{
	return (1U << OCFS2_SB(sb)->bpc_bits) / ocfs2_xattr_bpb(sb);
}

int ocfs2_xattr_bad_tree(struct inode *inode, u64 xblk, const char *what,
			 u64 value)
{
	return ocfs2_fs_error(inode->i_sb, __func__,
			      "inode %lu: indexed xattr block %llu: %s (value %llu)",
			      inode->i_ino, (unsigned long long)xblk, what,
			      (unsigned long long)value);
}

static int check_bucket(struct inode *inode, u64 blkno, u8 *buf)
{
	struct ocfs2_xattr_header *xh = (struct ocfs2_xattr_header *)buf;
	struct xattr_area a = { .blkno = blkno };
	int ret;

	if (ocfs2_has_incompat(OCFS2_SB(inode->i_sb),
			       OCFS2_FEATURE_INCOMPAT_META_ECC)) {
		ret = ocfs2_block_check_validate(buf, OCFS2_XATTR_BUCKET_SIZE,
						 &xh->xh_check);
		if (ret < 0)
			return ocfs2_bad_xattr(inode, &a,
					       "bucket checksum mismatch",
					       le32_to_cpu(xh->xh_check.bc_crc32e));
		if (ret > 0)
			ocfs2_info(inode->i_sb, "xattr bucket %llu: repaired a single-bit error",
				   (unsigned long long)blkno);
	}
	if (sizeof(*xh) + le16_to_cpu(xh->xh_count) *
	    sizeof(struct ocfs2_xattr_entry) > OCFS2_XATTR_BUCKET_SIZE)
		return ocfs2_bad_xattr(inode, &a, "too many entries",
				       le16_to_cpu(xh->xh_count));
	return 0;
}

/*
 * The bucket at @blkno, its blocks put together in @buf and checked
 * (checksum on metaecc volumes: stock's covers the whole bucket).
 */
int ocfs2_xattr_bucket_read(struct inode *inode, u64 blkno, u8 *buf)
{
	struct super_block *sb = inode->i_sb;
	unsigned int i, n = ocfs2_xattr_bpb(sb);
	struct buffer_head *bh;
	int ret;

	for (i = 0; i < n; i++) {
		ret = ocfs2_read_covered(inode, blkno + i, OCFS2_BLOCK_DATA,
					 &bh);
		if (ret)
			return ret;
		memcpy(buf + (i << sb->s_blocksize_bits), bh->b_data,
		       sb->s_blocksize);
		brelse(bh);
	}
	return check_bucket(inode, blkno, buf);
}

void ocfs2_xattr_bucket_area(u8 *buf, u64 blkno, struct xattr_area *a)
{
	a->base = buf;
	a->limit = OCFS2_XATTR_BUCKET_SIZE;
	a->xh = (const struct ocfs2_xattr_header *)buf;
	a->blkno = blkno;
}

/* The run of @rec: in the volume, and how many buckets it uses. */
static int read_run_head(struct inode *inode, u64 xblk,
			 const struct ocfs2_extent_rec *rec, u8 *buf,
			 struct xattr_bucket_pos *pos)
{
	struct super_block *sb = inode->i_sb;
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	u32 clusters = le16_to_cpu(rec->e_leaf_clusters);
	u64 blkno = le64_to_cpu(rec->e_blkno);
	u64 max = (u64)clusters * ocfs2_xattr_buckets_per_cluster(sb);
	unsigned int n;
	int ret;

	if (!blkno || blkno & ((1ULL << osb->bpc_bits) - 1) ||
	    blkno + ((u64)clusters << osb->bpc_bits) > osb->total_blocks)
		return ocfs2_xattr_bad_tree(inode, xblk, "bad bucket run",
					    blkno);
	ret = ocfs2_xattr_bucket_read(inode, blkno, buf);
	if (ret)
		return ret;
	n = le16_to_cpu(((struct ocfs2_xattr_header *)buf)->xh_num_buckets);
	if (!n || n > max)
		return ocfs2_xattr_bad_tree(inode, xblk, "bucket count", n);
	pos->run = blkno;
	pos->cpos = le32_to_cpu(rec->e_cpos);
	pos->clusters = clusters;
	pos->nb = n;
	pos->index = 0;
	return 0;
}

static u32 entry_hash(const u8 *buf, unsigned int i)
{
	const struct ocfs2_xattr_header *xh = (const void *)buf;

	return le32_to_cpu(xh->xh_entries[i].xe_name_hash);
}

/*
 * Stock's search of a run: a bucket whose first hash is above @hash is
 * too high, one whose last hash is below it too low (an empty bucket
 * keeps the hash of its last entry in its first slot); when the hash
 * falls between two buckets the lower one is where it would go.
 */
static int search_run(struct inode *inode, u32 hash, u8 *buf,
		      struct xattr_bucket_pos *pos)
{
	unsigned int bpb = ocfs2_xattr_bpb(inode->i_sb);
	int low = 0, high = pos->nb - 1, mid, count, ret;
	int lower = 0;

	while (low <= high) {
		mid = (low + high) / 2;
		ret = ocfs2_xattr_bucket_read(inode,
					      pos->run + (u64)mid * bpb, buf);
		if (ret)
			return ret;
		if (hash < entry_hash(buf, 0)) {
			high = mid - 1;
			continue;
		}
		lower = mid;
		count = le16_to_cpu(((struct ocfs2_xattr_header *)buf)->xh_count);
		if (hash > entry_hash(buf, count ? count - 1 : 0)) {
			low = mid + 1;
			continue;
		}
		break;
	}
	pos->index = lower;
	return ocfs2_xattr_bucket_read(inode, pos->run + (u64)lower * bpb,
				       buf);
}

/*
 * The bucket where a name of hash @hash is or would go, read into @buf;
 * -ENODATA when the tree has no record at all.
 */
int ocfs2_xattr_bucket_find(struct inode *inode, struct buffer_head *xbh,
			    u32 hash, u8 *buf, struct xattr_bucket_pos *pos)
{
	struct ocfs2_xattr_block *xb = (struct ocfs2_xattr_block *)xbh->b_data;
	const struct ocfs2_extent_list *root = &xb->xb_attrs.xb_root.xt_list;
	struct ocfs2_leaf_floor floor;
	int ret;

	if (inode->i_sb->s_blocksize > OCFS2_XATTR_BUCKET_SIZE)
		return ocfs2_xattr_bad_tree(inode, xbh->b_blocknr,
					    "block size over the bucket size",
					    inode->i_sb->s_blocksize);
	if (!root->l_next_free_rec)
		return -ENODATA;
	ret = ocfs2_find_leaf_floor(inode, root, hash, &floor);
	if (ret)
		return ret;
	/* the first record starts at hash 0: every hash has one */
	if (!floor.rec.e_leaf_clusters)
		return ocfs2_xattr_bad_tree(inode, xbh->b_blocknr,
					    "no record for hash", hash);
	ret = read_run_head(inode, xbh->b_blocknr, &floor.rec, buf, pos);
	if (ret)
		return ret;
	return search_run(inode, hash, buf, pos);
}

/* Visit with @fn the one bucket where names of hash @hash live. */
int ocfs2_xattr_visit_hash(struct inode *inode, struct buffer_head *xbh,
			   u32 hash, area_fn fn, void *arg)
{
	struct xattr_bucket_pos pos;
	struct xattr_area a;
	u8 *buf;
	int ret;

	buf = kmalloc(OCFS2_XATTR_BUCKET_SIZE, GFP_NOFS);
	if (!buf)
		return -ENOMEM;
	ret = ocfs2_xattr_bucket_find(inode, xbh, hash, buf, &pos);
	if (!ret) {
		ocfs2_xattr_bucket_area(buf, ocfs2_xattr_pos_blkno(inode->i_sb,
								   &pos), &a);
		ret = fn(inode, &a, arg);
	} else if (ret == -ENODATA) {
		ret = 0;
	}
	kfree(buf);
	return ret;
}

struct bucket_walk {
	struct inode	*inode;
	u64		xblk;		/* the indexed block, for messages */
	area_fn		fn;
	void		*arg;
	u8		*buf;		/* one bucket, its blocks put together */
};

/* The buckets of one record's run. */
static int visit_record(struct bucket_walk *w,
			const struct ocfs2_extent_rec *rec)
{
	unsigned int i, bpb = ocfs2_xattr_bpb(w->inode->i_sb);
	struct xattr_bucket_pos pos;
	struct xattr_area a;
	u64 blkno;
	int ret;

	ret = read_run_head(w->inode, w->xblk, rec, w->buf, &pos);
	for (i = 0; !ret && i < pos.nb; i++) {
		blkno = pos.run + (u64)i * bpb;
		if (i)
			ret = ocfs2_xattr_bucket_read(w->inode, blkno, w->buf);
		ocfs2_xattr_bucket_area(w->buf, blkno, &a);
		if (!ret)
			ret = w->fn(w->inode, &a, w->arg);
	}
	return ret;
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
			return ocfs2_xattr_bad_tree(w->inode, w->xblk,
						    "records out of order",
						    start);
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
		return ocfs2_xattr_bad_tree(inode, w.xblk,
					    "block size over the bucket size",
					    inode->i_sb->s_blocksize);
	w.buf = kmalloc(OCFS2_XATTR_BUCKET_SIZE, GFP_NOFS);
	if (!w.buf)
		return -ENOMEM;
	ret = visit_tree(&w, &xb->xb_attrs.xb_root.xt_list);
	kfree(w.buf);
	return ret;
}
