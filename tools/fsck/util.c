// SPDX-License-Identifier: GPL-2.0
/*
 * fsck.ocfs2 bookkeeping: the inode table, the cluster-in-use map, the set
 * of allocated extent blocks and allocator groups, and the small repairs
 * shared by several passes (freeing an allocator bit).
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

static size_t hash_blkno(u64 b, size_t cap)
{
	return (size_t)((b * 0x9E3779B97F4A7C15ULL) >> 17) & (cap - 1);
}

static int ii_grow(struct fsck_ctx *ctx)
{
	size_t cap = ctx->inode_cap ? ctx->inode_cap * 2 : 4096, i;
	struct inode_info *n = calloc(cap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < ctx->inode_cap; i++) {
		struct inode_info *o = &ctx->inodes[i];
		size_t h;

		if (!o->blkno)
			continue;
		for (h = hash_blkno(o->blkno, cap); n[h].blkno;
		     h = (h + 1) & (cap - 1))
			;
		n[h] = *o;
	}
	free(ctx->inodes);
	ctx->inodes = n;
	ctx->inode_cap = cap;
	return 0;
}

struct inode_info *ii_get(struct fsck_ctx *ctx, u64 blkno, bool create)
{
	size_t h;

	if (!blkno)
		return NULL;
	if (create && (ctx->inode_count + 1) * 2 > ctx->inode_cap &&
	    ii_grow(ctx))
		return NULL;
	if (!ctx->inode_cap)
		return NULL;
	for (h = hash_blkno(blkno, ctx->inode_cap); ctx->inodes[h].blkno;
	     h = (h + 1) & (ctx->inode_cap - 1))
		if (ctx->inodes[h].blkno == blkno)
			return &ctx->inodes[h];
	if (!create)
		return NULL;
	ctx->inodes[h].blkno = blkno;
	ctx->inode_count++;
	return &ctx->inodes[h];
}

bool cmap_test(const struct fsck_ctx *ctx, u64 c)
{
	return (ctx->cmap[c >> 3] >> (c & 7)) & 1;
}

/* Mark clusters in use; one claimed twice is remembered as a duplicate. */
void cmap_mark(struct fsck_ctx *ctx, u64 cluster, u64 count)
{
	u64 c;

	for (c = cluster; c < cluster + count && c < ctx->fs->clusters; c++) {
		if (cmap_test(ctx, c)) {
			if (!((ctx->dupmap[c >> 3] >> (c & 7)) & 1))
				ctx->dups++;
			ctx->dupmap[c >> 3] |= 1U << (c & 7);
			continue;
		}
		ctx->cmap[c >> 3] |= 1U << (c & 7);
	}
}

/* Refcounted clusters have several owners by design: no duplicates. */
void cmap_mark_shared(struct fsck_ctx *ctx, u64 cluster, u64 count)
{
	u64 c;

	for (c = cluster; c < cluster + count && c < ctx->fs->clusters; c++)
		ctx->cmap[c >> 3] |= 1U << (c & 7);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

int eb_add(struct fsck_ctx *ctx, u64 blkno)
{
	if (ctx->neb == ctx->eb_cap) {
		size_t cap = ctx->eb_cap ? ctx->eb_cap * 2 : 1024;
		u64 *n = realloc(ctx->ebs, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		ctx->ebs = n;
		ctx->eb_cap = cap;
	}
	ctx->ebs[ctx->neb++] = blkno;
	return 0;
}

bool eb_allocated(struct fsck_ctx *ctx, u64 blkno)
{
	static size_t sorted;

	if (sorted != ctx->neb) {
		qsort(ctx->ebs, ctx->neb, sizeof(*ctx->ebs), cmp_u64);
		sorted = ctx->neb;
	}
	return ctx->neb && bsearch(&blkno, ctx->ebs, ctx->neb,
				   sizeof(*ctx->ebs), cmp_u64);
}

/*
 * Remember that something refers to extent-allocator block @blkno (an
 * extent, xattr, index root or refcount block).  Out of memory turns the
 * leak check off rather than inventing leaks.
 */
void eb_ref(struct fsck_ctx *ctx, u64 blkno)
{
	if (ctx->refs_lost)
		return;
	if (ctx->nrefs == ctx->ref_cap) {
		size_t cap = ctx->ref_cap ? ctx->ref_cap * 2 : 1024;
		u64 *n = realloc(ctx->eb_refs, cap * sizeof(*n));

		if (!n) {
			ctx->refs_lost = true;
			return;
		}
		ctx->eb_refs = n;
		ctx->ref_cap = cap;
	}
	ctx->eb_refs[ctx->nrefs++] = blkno;
}

int group_add(struct fsck_ctx *ctx, const struct group_ref *g)
{
	if (ctx->ngroups == ctx->group_cap) {
		size_t cap = ctx->group_cap ? ctx->group_cap * 2 : 256;
		struct group_ref *n = realloc(ctx->groups, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		ctx->groups = n;
		ctx->group_cap = cap;
	}
	ctx->groups[ctx->ngroups++] = *g;
	return 0;
}

int fsck_write(struct fsck_ctx *ctx, enum ocfs2_block_type t, u64 blkno,
	       void *buf)
{
	if (ctx->no)
		return 0;
	return ocfs2_write_meta(ctx->fs, t, blkno, buf);
}

/*
 * Free the suballocator bit of @block in allocator @alloc_blkno: flip it in
 * its group and take it off the group, chain and inode counts.
 */
int alloc_clear_bit(struct fsck_ctx *ctx, u64 alloc_blkno, u64 block)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_group_desc *gd = NULL;
	struct ocfs2_dinode *di = NULL;
	size_t i;
	int ret = -ENOENT;

	for (i = 0; i < ctx->ngroups; i++) {
		struct group_ref *g = &ctx->groups[i];
		unsigned int bit;

		if (g->alloc != alloc_blkno || block < g->blkno ||
		    block >= g->blkno + g->bits)
			continue;
		bit = (unsigned int)(block - g->blkno);
		gd = io_alloc(fs->bs);
		di = io_alloc(fs->bs);
		if (!gd || !di) {
			ret = -ENOMEM;
			break;
		}
		ret = ocfs2_read_meta(fs, OCFS2_BLK_GROUP, g->blkno, gd);
		if (!ret)
			ret = ocfs2_read_inode(fs, alloc_blkno, di);
		if (ret || !ocfs2_group_test_bit(gd, bit))
			break;
		gd->bg_bitmap[bit >> 3] &= ~(1U << (bit & 7));
		le16_add_cpu(&gd->bg_free_bits_count, 1);
		le32_add_cpu(&di->id2.i_chain.cl_recs[g->chain].c_free, 1);
		le32_add_cpu(&di->id1.bitmap1.i_used, -1);
		ret = fsck_write(ctx, OCFS2_BLK_GROUP, g->blkno, gd);
		if (!ret)
			ret = fsck_write(ctx, OCFS2_BLK_INODE, alloc_blkno, di);
		break;
	}
	free(gd);
	free(di);
	return ret;
}
