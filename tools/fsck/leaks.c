// SPDX-License-Identifier: GPL-2.0
/*
 * Blocks of the extent allocators (extent, xattr, index-root and refcount
 * blocks) that are marked in use but that nothing refers to: space lost
 * until fsck gives it back.  Pass 1 records every reference (eb_ref); the
 * refcount trees, shared by their inodes, are walked here once each.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Every record of a refcount tree names a block of the extent allocator. */
static int refcount_rec(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *rec,
			int depth, u64 owner, void *data)
{
	(void)fs; (void)depth; (void)owner;
	eb_ref(data, le64_to_cpu(rec->e_blkno));
	return 0;
}

static bool seen_root(struct fsck_ctx *ctx, u64 root)
{
	size_t i;
	u64 *n;

	for (i = 0; i < ctx->nrc; i++)
		if (ctx->rc_roots[i] == root)
			return true;
	if (ctx->nrc == ctx->rc_cap) {
		size_t cap = ctx->rc_cap ? ctx->rc_cap * 2 : 16;

		n = realloc(ctx->rc_roots, cap * sizeof(*n));
		if (!n)
			return false;	/* walked again: harmless */
		ctx->rc_roots = n;
		ctx->rc_cap = cap;
	}
	ctx->rc_roots[ctx->nrc++] = root;
	return false;
}

/* The refcount tree an inode shares: its root, extent and leaf blocks. */
void fsck_check_refcount_tree(struct fsck_ctx *ctx, struct ocfs2_dinode *di)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 root = le64_to_cpu(di->i_refcount_loc);
	struct ocfs2_refcount_block *rb;

	if (!(le16_to_cpu(di->i_dyn_features) & OCFS2_HAS_REFCOUNT_FL) ||
	    !root || root >= fs->blocks || seen_root(ctx, root))
		return;
	eb_ref(ctx, root);
	rb = io_alloc(fs->bs);
	if (!rb)
		return;
	if (!ocfs2_read_meta(fs, OCFS2_BLK_REFCOUNT, root, rb) &&
	    (le32_to_cpu(rb->rf_flags) & OCFS2_REFCOUNT_TREE_FL) &&
	    ocfs2_extent_iterate(fs, &rb->rf_list, root, refcount_rec, ctx)) {
		/* a tree we cannot read whole: claim no leaks at all */
		ctx->refs_lost = true;
	}
	free(rb);
}

static const struct group_ref *group_of(struct fsck_ctx *ctx, u64 blk)
{
	size_t i;

	for (i = 0; i < ctx->ngroups; i++) {
		const struct group_ref *g = &ctx->groups[i];

		if (g->kind == GR_EXTENT && blk > g->blkno &&
		    blk < g->blkno + g->bits)
			return g;
	}
	return NULL;
}

int fsck_extent_leaks(struct fsck_ctx *ctx)
{
	size_t i;

	if (ctx->refs_lost)
		return 0;
	qsort(ctx->eb_refs, ctx->nrefs, sizeof(*ctx->eb_refs), cmp_u64);
	eb_allocated(ctx, 0);	/* sorts the allocated list */
	for (i = 0; i < ctx->neb; i++) {
		u64 b = ctx->ebs[i];
		const struct group_ref *g;

		if (bsearch(&b, ctx->eb_refs, ctx->nrefs, sizeof(b), cmp_u64))
			continue;
		g = group_of(ctx, b);
		if (!fix_problem(ctx, PR_EXTENT_BLOCK_LEAKED,
				 "Block %llu is in use in extent allocator %llu but nothing refers to it",
				 (unsigned long long)b,
				 (unsigned long long)(g ? g->alloc : 0)))
			continue;
		if (!g || alloc_clear_bit(ctx, g->alloc, b)) {
			printf("Not freed: its group could not be updated\n");
			ctx->fixed--;
		}
	}
	return 0;
}
