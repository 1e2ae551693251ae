// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 1, what hangs off an inode besides its extent tree: the index root
 * of an indexed directory, and extended attributes (in the inode, in an
 * xattr block, or in a tree of buckets), whose clusters (dx leaves,
 * buckets, out-of-line values) must be counted as in use, and whose
 * entries' name hashes must be right (lookups and bucket order use them).
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

#define XATTR_VALUE_ROOT_MIN	(sizeof(struct ocfs2_xattr_value_root) + \
				 sizeof(struct ocfs2_extent_rec))

static void report_unreadable(struct fsck_ctx *ctx, u64 ino, const char *what,
			      u64 blkno)
{
	fprintf(stderr, "fsck.ocfs2: inode %llu: cannot read its %s at block %llu; its clusters are not counted\n",
		(unsigned long long)ino, what, (unsigned long long)blkno);
	ctx->found++;
}

void fsck_check_dx_root(struct fsck_ctx *ctx, struct ocfs2_dinode *di)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 ino = le64_to_cpu(di->i_blkno), blkno = le64_to_cpu(di->i_dx_root);
	struct ocfs2_dx_root_block *dr = io_alloc(fs->bs);

	if (!dr)
		return;
	eb_ref(ctx, blkno);
	if (ocfs2_read_meta(fs, OCFS2_BLK_DX_ROOT, blkno, dr)) {
		report_unreadable(ctx, ino, "directory index root", blkno);
	} else if (!(dr->dr_flags & OCFS2_DX_FLAG_INLINE) &&
		   fsck_mark_extents(ctx, &dr->dr_list,
				     ocfs2_extent_recs_per_dx_root(fs->bs),
				     ino) < 0) {
		report_unreadable(ctx, ino, "directory index tree", blkno);
	}
	free(dr);
}

/*
 * The kernel's xattr name hash: rotate-xor over the stored name (without
 * its prefix) from s_uuid_hash, each byte taken as a signed char as the
 * kernel's `const char *` walk does.
 */
static u32 xattr_name_hash(u32 seed, const char *name, unsigned int len)
{
	u32 hash = seed;
	unsigned int i;

	for (i = 0; i < len; i++)
		hash = (hash << 5) ^ (hash >> 27) ^ (u32)(s32)(signed char)name[i];
	return hash;
}

/* XATTR_HASH_INVALID for @xe; true when the entry was changed. */
static bool check_name_hash(struct fsck_ctx *ctx, u64 ino, char *base,
			    unsigned int limit, struct ocfs2_xattr_entry *xe)
{
	unsigned int off = le16_to_cpu(xe->xe_name_offset);
	u32 want;

	if (!xe->xe_name_len || off + xe->xe_name_len > limit)
		return false;
	want = xattr_name_hash(le32_to_cpu(ctx->fs->sb->s_uuid_hash),
			       base + off, xe->xe_name_len);
	if (want == le32_to_cpu(xe->xe_name_hash) ||
	    !fix_problem(ctx, PR_XATTR_HASH_INVALID,
			 "Extended attribute '%.*s' of inode %llu has name hash 0x%08x instead of 0x%08x",
			 xe->xe_name_len, base + off, (unsigned long long)ino,
			 le32_to_cpu(xe->xe_name_hash), want))
		return false;
	xe->xe_name_hash = cpu_to_le32(want);
	return true;
}

/*
 * The entries under @xh (@base being what name offsets count from): name
 * hashes, and the clusters of out-of-line values (each non-local entry
 * keeps a value root after its name).  True when an entry was repaired
 * and the caller must write the area back.
 */
static bool check_entries(struct fsck_ctx *ctx, u64 ino, char *base,
			  unsigned int limit, struct ocfs2_xattr_header *xh)
{
	bool dirty = false;
	unsigned int i, count = le16_to_cpu(xh->xh_count);
	unsigned int max = (limit - sizeof(*xh)) /
			   sizeof(struct ocfs2_xattr_entry);

	if ((char *)xh < base || (char *)xh - base > (long)limit)
		return false;
	if (count > max)
		count = max;
	for (i = 0; i < count; i++) {
		struct ocfs2_xattr_entry *xe = &xh->xh_entries[i];
		unsigned int off = le16_to_cpu(xe->xe_name_offset) +
				   OCFS2_XATTR_SIZE(xe->xe_name_len);
		struct ocfs2_xattr_value_root *vr;

		dirty |= check_name_hash(ctx, ino, base, limit, xe);
		if (xe->xe_type & OCFS2_XATTR_ENTRY_LOCAL)
			continue;
		if (off + XATTR_VALUE_ROOT_MIN > limit) {
			report_unreadable(ctx, ino, "xattr value root", off);
			continue;
		}
		vr = (void *)(base + off);
		if (fsck_mark_extents(ctx, &vr->xr_list,
				      (limit - off - sizeof(*vr)) /
				      sizeof(struct ocfs2_extent_rec), ino) < 0)
			report_unreadable(ctx, ino, "xattr value", off);
	}
	return dirty;
}

struct bucket_walk {
	struct fsck_ctx *ctx;
	u64 ino;
	char *bucket;
};

/*
 * A repaired bucket goes back whole.  With metaecc its check covers the
 * whole bucket, which the library cannot compute yet: left as found.
 */
static void write_bucket(struct fsck_ctx *ctx, void *bucket, u64 off)
{
	if (ctx->no)
		return;
	if (ocfs2_has_incompat(ctx->fs, OCFS2_FEATURE_INCOMPAT_META_ECC)) {
		printf("Not written: the bucket's metaecc check cannot be recomputed yet\n");
		ctx->fixed--;
		return;
	}
	io_pwrite(ctx->fs->io, bucket, OCFS2_XATTR_BUCKET_SIZE, off);
}

/* Each leaf extent of an xattr tree holds buckets of 4 KB. */
static int bucket_cb(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *rec,
		     int depth, u64 owner, void *data)
{
	struct bucket_walk *bw = data;
	u64 blk = le64_to_cpu(rec->e_blkno);
	u32 n = le16_to_cpu(rec->e_leaf_clusters), b, used;
	struct ocfs2_xattr_header *xh = (void *)bw->bucket;

	(void)owner;
	if (depth || !n || blk + ocfs2_clusters_to_blocks(fs, n) > fs->blocks)
		return 0;
	if (io_pread(fs->io, bw->bucket, OCFS2_XATTR_BUCKET_SIZE,
		     blk << fs->bbits))
		return 0;
	/* the first bucket says how many of the extent's buckets are used */
	used = le16_to_cpu(xh->xh_num_buckets);
	if ((u64)used * OCFS2_XATTR_BUCKET_SIZE > (u64)n << fs->cbits)
		used = (u32)(((u64)n << fs->cbits) / OCFS2_XATTR_BUCKET_SIZE);
	for (b = 0; b < used; b++) {
		u64 off = (blk << fs->bbits) + (u64)b * OCFS2_XATTR_BUCKET_SIZE;

		if (b && io_pread(fs->io, bw->bucket, OCFS2_XATTR_BUCKET_SIZE,
				  off))
			break;
		if (check_entries(bw->ctx, bw->ino, bw->bucket,
				  OCFS2_XATTR_BUCKET_SIZE, xh))
			write_bucket(bw->ctx, bw->bucket, off);
	}
	return 0;
}

static void check_xattr_block(struct fsck_ctx *ctx, u64 ino, u64 blkno)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_xattr_block *xb = io_alloc(fs->bs);
	struct bucket_walk bw = { .ctx = ctx, .ino = ino };

	if (!xb)
		return;
	eb_ref(ctx, blkno);
	if (blkno >= fs->blocks || io_read_blocks(fs->io, blkno, 1, xb) ||
	    memcmp(xb->xb_signature, OCFS2_XATTR_BLOCK_SIGNATURE, 8) ||
	    le64_to_cpu(xb->xb_blkno) != blkno) {
		report_unreadable(ctx, ino, "xattr block", blkno);
		goto out;
	}
	if (!(le16_to_cpu(xb->xb_flags) & OCFS2_XATTR_INDEXED)) {
		if (check_entries(ctx, ino, (char *)&xb->xb_attrs.xb_header,
				  fs->bs - offsetof(struct ocfs2_xattr_block,
						    xb_attrs),
				  &xb->xb_attrs.xb_header))
			fsck_write(ctx, OCFS2_BLK_XATTR, blkno, xb);
		goto out;
	}
	bw.bucket = io_alloc(OCFS2_XATTR_BUCKET_SIZE);
	if (!bw.bucket)
		goto out;
	/* the tree's own clusters are the buckets: mark, then look inside */
	if (fsck_mark_extents(ctx, &xb->xb_attrs.xb_root.xt_list,
			      ocfs2_xattr_recs_per_xb(fs->bs), ino) < 0)
		report_unreadable(ctx, ino, "xattr tree", blkno);
	else
		ocfs2_extent_iterate(fs, &xb->xb_attrs.xb_root.xt_list, ino,
				     bucket_cb, &bw);
	free(bw.bucket);
out:
	free(xb);
}

/* True when the inode's own (inline) xattrs were repaired. */
bool fsck_check_xattrs(struct fsck_ctx *ctx, struct ocfs2_dinode *di)
{
	bool dirty = false;
	struct ocfs2_fs *fs = ctx->fs;
	u16 dyn = le16_to_cpu(di->i_dyn_features);
	u64 ino = le64_to_cpu(di->i_blkno);
	unsigned int size = le16_to_cpu(di->i_xattr_inline_size);

	if ((dyn & OCFS2_INLINE_XATTR_FL) && size >= sizeof(struct ocfs2_xattr_header) &&
	    size <= fs->bs - OCFS2_DINODE_ID2_OFF) {
		char *base = (char *)di + fs->bs - size;

		dirty = check_entries(ctx, ino, base, size, (void *)base);
	}
	if ((dyn & OCFS2_HAS_XATTR_FL) && le64_to_cpu(di->i_xattr_loc))
		check_xattr_block(ctx, ino, le64_to_cpu(di->i_xattr_loc));
	return dirty;
}
