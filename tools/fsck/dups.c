// SPDX-License-Identifier: GPL-2.0
/*
 * Passes 1b-1d: clusters pass 1 found claimed more than once.  As stock
 * does, every file owner but one gets its own copy: walking system files
 * first, then the others, the first extent to reach a shared cluster keeps
 * it, and every later extent touching a kept cluster is copied whole to
 * free clusters and repointed.  A cluster whose only file owner competes
 * with metadata (a group, an extent block, a truncate log record) is
 * copied too, since the metadata cannot move.  Refcounted extents share
 * clusters by design and are never copied.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

struct dup_set {
	u32 *c;			/* the shared clusters, ascending */
	u16 *files;		/* file extents claiming each */
	u8 *kept;		/* an extent already keeps it */
	size_t n;
};

struct dup_clone {
	u64 ino, container;	/* the file; the inode or leaf holding the rec */
	u64 blkno;		/* the record as found: start block ... */
	u32 cpos;		/* ... and logical cluster */
	u16 clusters;
};

struct dup_walk {
	struct fsck_ctx *ctx;
	struct dup_set *set;
	u64 ino;
	bool decide;		/* second walk: keep or clone */
	struct dup_clone *clones;
	size_t nclones, cap;
	int err;
};

static bool dupmap_test(const struct fsck_ctx *ctx, u64 c)
{
	return (ctx->dupmap[c >> 3] >> (c & 7)) & 1;
}

static ssize_t dup_index(const struct dup_set *s, u32 c)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->c[mid] == c)
			return mid;
		if (s->c[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int dup_set_build(struct fsck_ctx *ctx, struct dup_set *s)
{
	u64 c, i = 0;

	s->n = ctx->dups;
	s->c = calloc(s->n ? s->n : 1, sizeof(*s->c));
	s->files = calloc(s->n ? s->n : 1, sizeof(*s->files));
	s->kept = calloc(s->n ? s->n : 1, 1);
	if (!s->c || !s->files || !s->kept)
		return -ENOMEM;
	for (c = 0; c < ctx->fs->clusters && i < s->n; c++) {
		if (!ctx->dupmap[c >> 3]) {
			c |= 7;
			continue;
		}
		if (dupmap_test(ctx, c))
			s->c[i++] = c;
	}
	s->n = i;
	return 0;
}

static int add_clone(struct dup_walk *w, const struct ocfs2_extent_rec *r,
		     u64 container)
{
	if (w->nclones == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct dup_clone *n = realloc(w->clones, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		w->clones = n;
		w->cap = cap;
	}
	w->clones[w->nclones++] = (struct dup_clone) {
		.ino = w->ino, .container = container,
		.blkno = le64_to_cpu(r->e_blkno),
		.cpos = le32_to_cpu(r->e_cpos),
		.clusters = le16_to_cpu(r->e_leaf_clusters),
	};
	return 0;
}

/* First walk: count file claims; second: keep the clusters or clone. */
static int leaf_cb(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *r,
		   int depth, u64 container, void *data)
{
	struct dup_walk *w = data;
	u64 first = ocfs2_blocks_to_clusters(fs, le64_to_cpu(r->e_blkno)), c;
	u64 end = first + le16_to_cpu(r->e_leaf_clusters);
	bool any = false, clone = false;
	ssize_t i;

	if (depth || (r->e_flags & OCFS2_EXT_REFCOUNTED))
		return 0;
	for (c = first; c < end && c < fs->clusters; c++) {
		i = dupmap_test(w->ctx, c) ? dup_index(w->set, c) : -1;
		if (i < 0)
			continue;
		any = true;
		if (!w->decide && w->set->files[i] < 0xffff)
			w->set->files[i]++;
		if (w->set->kept[i] || w->set->files[i] < 2)
			clone = true;
	}
	if (!w->decide || !any)
		return 0;
	if (clone)
		return add_clone(w, r, container);
	for (c = first; c < end && c < fs->clusters; c++) {
		i = dupmap_test(w->ctx, c) ? dup_index(w->set, c) : -1;
		if (i >= 0)
			w->set->kept[i] = 1;
	}
	return 0;
}

/* Walk every file's leaves: system files first, so they keep theirs. */
static int walk_files(struct fsck_ctx *ctx, struct dup_walk *w)
{
	struct ocfs2_dinode *di = io_alloc(ctx->fs->bs);
	int round;
	size_t i;

	if (!di)
		return -ENOMEM;
	for (round = 0; round < 2 && !w->err; round++) {
		for (i = 0; i < ctx->inode_cap && !w->err; i++) {
			struct inode_info *ii = &ctx->inodes[i];

			if (!ii->blkno || (ii->flags & II_BAD) ||
			    ((ii->flags & II_SYSTEM) ? 0 : 1) != round)
				continue;
			if (ocfs2_read_inode(ctx->fs, ii->blkno, di) ||
			    !ocfs2_has_extent_list(di))
				continue;
			w->ino = ii->blkno;
			/* an unreadable tree was pass 1's business */
			if (ocfs2_extent_iterate(ctx->fs, &di->id2.i_list,
						 ii->blkno, leaf_cb, w) == -ENOMEM)
				w->err = -ENOMEM;
		}
	}
	free(di);
	return w->err;
}

static bool in_local_alloc(const struct fsck_ctx *ctx, u64 c)
{
	int i;

	for (i = 0; i < ctx->nla; i++)
		if (c >= ctx->la_off[i] && c < (u64)ctx->la_off[i] +
		    ctx->la_total[i])
			return true;
	return false;
}

/* A run of @n clusters nobody claims and the bitmap has free. */
static int find_free_run(struct fsck_ctx *ctx, u32 n, u32 *start)
{
	u64 c, run = 0;
	bool used;

	for (c = 0; c < ctx->fs->clusters; c++) {
		if (cmap_test(ctx, c) || dupmap_test(ctx, c) ||
		    in_local_alloc(ctx, c) ||
		    ocfs2_cluster_test(ctx->fs, c, &used) || used) {
			run = 0;
			continue;
		}
		if (++run == n) {
			*start = c + 1 - n;
			return 0;
		}
	}
	return -ENOSPC;
}

static int copy_clusters(struct ocfs2_fs *fs, u64 from, u64 to, u32 n)
{
	u32 bpc = ocfs2_clusters_to_blocks(fs, 1), i;
	void *buf = io_alloc((size_t)fs->bs * bpc);
	int ret = buf ? 0 : -ENOMEM;

	for (i = 0; i < n && !ret; i++) {
		ret = io_read_blocks(fs->io, from + (u64)i * bpc, bpc, buf);
		if (!ret)
			ret = io_write_blocks(fs->io, to + (u64)i * bpc, bpc,
					      buf);
	}
	free(buf);
	return ret;
}

/* Point the record (found again by cpos and block) at @to. */
static int repoint(struct fsck_ctx *ctx, const struct dup_clone *d, u64 to)
{
	void *buf = io_alloc(ctx->fs->bs);
	bool inode = d->container == d->ino;
	struct ocfs2_extent_list *el;
	int ret, i;

	if (!buf)
		return -ENOMEM;
	ret = inode ? ocfs2_read_inode(ctx->fs, d->container, buf) :
		      ocfs2_read_meta(ctx->fs, OCFS2_BLK_EXTENT, d->container,
				      buf);
	if (ret)
		goto out;
	el = inode ? &((struct ocfs2_dinode *)buf)->id2.i_list :
		     &((struct ocfs2_extent_block *)buf)->h_list;
	ret = -ENOENT;
	for (i = 0; i < le16_to_cpu(el->l_next_free_rec) &&
		    i < le16_to_cpu(el->l_count); i++) {
		struct ocfs2_extent_rec *r = &el->l_recs[i];

		if (le32_to_cpu(r->e_cpos) != d->cpos ||
		    le64_to_cpu(r->e_blkno) != d->blkno)
			continue;
		r->e_blkno = cpu_to_le64(to);
		ret = fsck_write(ctx, inode ? OCFS2_BLK_INODE :
				 OCFS2_BLK_EXTENT, d->container, buf);
		break;
	}
out:
	free(buf);
	return ret;
}

static int clone_extent(struct fsck_ctx *ctx, const struct dup_clone *d)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 old = ocfs2_blocks_to_clusters(fs, d->blkno), c;
	u32 start, i;
	int ret;

	ret = find_free_run(ctx, d->clusters, &start);
	for (i = 0; !ret && i < d->clusters; i++)
		ret = ocfs2_cluster_set(fs, start + i, true);
	if (!ret)
		ret = copy_clusters(fs, d->blkno,
				    ocfs2_clusters_to_blocks(fs, start),
				    d->clusters);
	if (!ret)
		ret = repoint(ctx, d, ocfs2_clusters_to_blocks(fs, start));
	if (ret)
		return ret;
	cmap_mark(ctx, start, d->clusters);
	/* what only this extent held is now free; shared ones stay owned */
	for (c = old; c < old + d->clusters && c < fs->clusters; c++)
		if (!dupmap_test(ctx, c))
			ctx->cmap[c >> 3] &= ~(1U << (c & 7));
	return 0;
}

static int resolve(struct fsck_ctx *ctx, struct dup_walk *w)
{
	size_t i;
	int ret, failed = 0;

	printf("Pass 1d: Reconciling multiply-claimed clusters\n");
	for (i = 0; i < w->nclones; i++) {
		const struct dup_clone *d = &w->clones[i];

		if (!fix_problem(ctx, PR_DUP_CLUSTERS_CLONE,
				 "Inode %llu's extent at logical cluster %u (%u clusters at block %llu) shares clusters with another owner. Give the inode its own copy",
				 (unsigned long long)d->ino, d->cpos,
				 d->clusters, (unsigned long long)d->blkno))
			continue;
		ret = clone_extent(ctx, d);
		if (ret) {
			fprintf(stderr, "fsck.ocfs2: copying inode %llu's shared extent: %s\n",
				(unsigned long long)d->ino, strerror(-ret));
			ctx->fixed--;
			failed++;
		}
	}
	return failed;
}

int fsck_pass1_dups(struct fsck_ctx *ctx)
{
	struct dup_set set = { 0 };
	struct dup_walk w = { .ctx = ctx, .set = &set };
	int ret;

	if (!ctx->dups)
		return 0;
	printf("Running additional passes to resolve clusters claimed by more than one inode...\n");
	printf("Pass 1b: Determining ownership of multiply-claimed clusters\n");
	ret = dup_set_build(ctx, &set);
	if (!ret)
		ret = walk_files(ctx, &w);
	if (!ret) {
		w.decide = true;
		ret = walk_files(ctx, &w);
	}
	if (!ret && !resolve(ctx, &w) && !ctx->no) {
		/* every later owner has its own copy now */
		memset(ctx->dupmap, 0, (ctx->fs->clusters + 7) / 8);
		ctx->dups = 0;
	} else if (!ret && w.nclones) {
		ctx->dups = 0;	/* each was reported above */
	}
	free(w.clones);
	free(set.c);
	free(set.files);
	free(set.kept);
	return ret;
}
