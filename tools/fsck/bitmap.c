// SPDX-License-Identifier: GPL-2.0
/*
 * The global bitmap against reality: after the passes have marked every
 * cluster something uses, each cluster group's bitmap must say the same.
 * Mismatching groups are rewritten and the chain and inode totals redone.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

/* What is in use without belonging to any file. */
static void mark_fixed_areas(struct fsck_ctx *ctx)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 first = le64_to_cpu(fs->sb->s_first_cluster_group);
	u64 blknos[OCFS2_MAX_BACKUP_SUPERBLOCKS];
	size_t i;
	int n;

	cmap_mark(ctx, 0, ocfs2_blocks_to_clusters(fs, first) + 1);
	for (i = 0; i < (size_t)ctx->nla; i++)
		cmap_mark_shared(ctx, ctx->la_off[i], ctx->la_total[i]);
	for (i = 0; i < ctx->ngroups; i++) {
		struct group_ref *g = &ctx->groups[i];

		if (g->kind == GR_CLUSTER && g->blkno != first)
			cmap_mark(ctx, ocfs2_blocks_to_clusters(fs, g->blkno), 1);
	}
	if (!ocfs2_has_compat(fs, OCFS2_FEATURE_COMPAT_BACKUP_SB))
		return;
	n = ocfs2_backup_super_list(fs->blocks, fs->bbits, fs->cbits, blknos);
	while (n-- > 0)
		cmap_mark(ctx, ocfs2_blocks_to_clusters(fs, blknos[n]), 1);
}

struct mismatch {
	u32 in_use_free, free_in_use;
};

static struct mismatch compare_group(struct fsck_ctx *ctx,
				     struct ocfs2_group_desc *gd, u64 base)
{
	struct mismatch m = { 0, 0 };
	unsigned int bit, bits = le16_to_cpu(gd->bg_bits);

	for (bit = 0; bit < bits && base + bit < ctx->fs->clusters; bit++) {
		bool used = cmap_test(ctx, base + bit);
		bool marked = ocfs2_group_test_bit(gd, bit);

		if (used && !marked)
			m.in_use_free++;
		else if (!used && marked)
			m.free_in_use++;
	}
	return m;
}

static void rewrite_group(struct fsck_ctx *ctx, struct ocfs2_group_desc *gd,
			  u64 base)
{
	unsigned int bit, bits = le16_to_cpu(gd->bg_bits), free_bits = 0;

	for (bit = 0; bit < bits; bit++) {
		bool used = base + bit < ctx->fs->clusters &&
			    cmap_test(ctx, base + bit);

		if (used)
			gd->bg_bitmap[bit >> 3] |= 1U << (bit & 7);
		else
			gd->bg_bitmap[bit >> 3] &= ~(1U << (bit & 7));
		free_bits += !used;
	}
	gd->bg_free_bits_count = cpu_to_le16(free_bits);
}

/* Redo the global bitmap inode's chain and total counts from its groups. */
static int retotal(struct fsck_ctx *ctx, u64 alloc)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	struct ocfs2_group_desc *gd = io_alloc(fs->bs);
	u32 used = 0;
	size_t i;
	u16 c;
	int ret;

	if (!di || !gd) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ocfs2_read_inode(fs, alloc, di);
	if (ret)
		goto out;
	for (c = 0; c < le16_to_cpu(di->id2.i_chain.cl_next_free_rec); c++)
		di->id2.i_chain.cl_recs[c].c_free = 0;
	for (i = 0; i < ctx->ngroups && !ret; i++) {
		struct group_ref *g = &ctx->groups[i];

		if (g->alloc != alloc)
			continue;
		ret = ocfs2_read_meta(fs, OCFS2_BLK_GROUP, g->blkno, gd);
		if (ret)
			break;
		le32_add_cpu(&di->id2.i_chain.cl_recs[g->chain].c_free,
			     le16_to_cpu(gd->bg_free_bits_count));
		used += le16_to_cpu(gd->bg_bits) -
			le16_to_cpu(gd->bg_free_bits_count);
	}
	di->id1.bitmap1.i_used = cpu_to_le32(used);
	if (!ret)
		ret = fsck_write(ctx, OCFS2_BLK_INODE, alloc, di);
out:
	free(di);
	free(gd);
	return ret;
}

int fsck_cluster_bitmap(struct fsck_ctx *ctx)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_group_desc *gd = io_alloc(fs->bs);
	u64 alloc = ctx->sys_alloc[GLOBAL_BITMAP_SYSTEM_INODE][0];
	u32 cpg = ocfs2_cluster_group_bits(fs->bs);
	bool changed = false;
	size_t i;
	int ret = 0;

	if (!gd)
		return -ENOMEM;
	mark_fixed_areas(ctx);
	for (i = 0; i < ctx->ngroups && !ret; i++) {
		struct group_ref *g = &ctx->groups[i];
		u64 base;
		struct mismatch m;

		if (g->kind != GR_CLUSTER)
			continue;
		/*
		 * Raw read: pass 0 vetted this group and reported its
		 * fields; under -n a declined fix (say a wrong bg_blkno)
		 * must not stop the bitmap comparison.
		 */
		ret = io_read_blocks(fs->io, g->blkno, 1, gd);
		if (ret)
			break;
		base = ocfs2_blocks_to_clusters(fs, g->blkno) / cpg * cpg;
		m = compare_group(ctx, gd, base);
		if (!m.in_use_free && !m.free_in_use)
			continue;
		if (!fix_problem(ctx, PR_CLUSTER_ALLOC_BIT,
				 "Cluster group at block %llu (clusters %llu..%llu): %u clusters in use are marked free and %u unused clusters are marked in use",
				 (unsigned long long)g->blkno,
				 (unsigned long long)base,
				 (unsigned long long)base +
				 le16_to_cpu(gd->bg_bits) - 1,
				 m.in_use_free, m.free_in_use))
			continue;
		rewrite_group(ctx, gd, base);
		ret = fsck_write(ctx, OCFS2_BLK_GROUP, g->blkno, gd);
		changed = true;
	}
	if (!ret && changed)
		ret = retotal(ctx, alloc);
	if (ctx->dups)
		fix_problem(ctx, PR_DUP_CLUSTERS_METADATA,
			    "%u clusters are claimed by more than one owner",
			    ctx->dups);
	free(gd);
	return ret;
}
