// SPDX-License-Identifier: GPL-2.0
/*
 * Refcount trees.  Pass 1 notes, per tree, the inodes that name it and
 * every refcounted extent (file data and xattr values alike) of those
 * inodes; afterwards each tree is checked against them: its count of
 * inodes, and for every physical cluster the reference count its records
 * give against the number of extents that really share the cluster.  A
 * tree that is a single leaf has its records rebuilt from what was found;
 * in a deeper tree each leaf is checked over the range of clusters its
 * extent record gives it, and rebuilt alone (when the right records fit
 * it); a record outside its leaf's range is REFCOUNT_CLUSTER_RANGE, a leaf
 * that is no refcount block REFCOUNT_BLOCK_INVALID (reported only).
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

struct rc_ext {			/* a refcounted extent of an inode */
	u64 root, start;
	u32 len;
};

struct rc_seg {			/* clusters [start, end) shared @count times */
	u64 start, end;
	u32 count;
};

static struct rc_ext *exts;
static size_t nexts, ext_cap;
static u64 *users;		/* the root each refcounted inode names */
static size_t nusers, user_cap;
static bool lost;		/* out of memory: check nothing */

static bool grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *p;

	if (n < *cap)
		return true;
	p = realloc(*arr, (*cap ? *cap * 2 : 64) * size);
	if (!p) {
		lost = true;
		return false;
	}
	*arr = p;
	*cap = *cap ? *cap * 2 : 64;
	return true;
}

void fsck_rc_extent(struct fsck_ctx *ctx, u64 cluster, u32 len)
{
	if (!ctx->cur_rc_root || lost ||
	    !grow((void **)&exts, &ext_cap, nexts, sizeof(*exts)))
		return;
	exts[nexts++] = (struct rc_ext){ ctx->cur_rc_root, cluster, len };
}

/* The inode's refcount flag and location; sets ctx->cur_rc_root. */
bool fsck_check_refcount_flags(struct fsck_ctx *ctx, struct ocfs2_dinode *di)
{
	u64 ino = le64_to_cpu(di->i_blkno), loc = le64_to_cpu(di->i_refcount_loc);
	bool has = le16_to_cpu(di->i_dyn_features) & OCFS2_HAS_REFCOUNT_FL;
	bool dirty = false;

	ctx->cur_rc_root = 0;
	if (has && !ocfs2_has_incompat(ctx->fs,
				       OCFS2_FEATURE_INCOMPAT_REFCOUNT_TREE) &&
	    fix_problem(ctx, PR_REFCOUNT_FLAG_INVALID,
			"Inode %llu has the refcount flag but the volume lacks the refcount feature",
			(unsigned long long)ino)) {
		di->i_dyn_features &= ~cpu_to_le16(OCFS2_HAS_REFCOUNT_FL);
		has = false;
		dirty = true;
	}
	if (!has && loc &&
	    fix_problem(ctx, PR_REFCOUNT_LOC_INVALID,
			"Inode %llu has no refcount flag but names refcount block %llu",
			(unsigned long long)ino, (unsigned long long)loc)) {
		di->i_refcount_loc = 0;
		dirty = true;
	}
	if (!has || !loc || loc >= ctx->fs->blocks)
		return dirty;
	ctx->cur_rc_root = loc;
	if (grow((void **)&users, &user_cap, nusers, sizeof(*users)))
		users[nusers++] = loc;
	return dirty;
}

static int cmp_ext(const void *a, const void *b)
{
	const struct rc_ext *x = a, *y = b;

	if (x->root != y->root)
		return x->root < y->root ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The extents of one tree, as segments of constant sharing, ascending. */
static struct rc_seg *sweep(const struct rc_ext *e, size_t n, size_t *nseg)
{
	u64 *pts = malloc(2 * n * sizeof(*pts));
	struct rc_seg *seg = malloc(2 * n * sizeof(*seg));
	size_t i, j, k = 0, np = 0;

	if (!pts || !seg)
		goto fail;
	for (i = 0; i < n; i++) {
		pts[np++] = e[i].start;
		pts[np++] = e[i].start + e[i].len;
	}
	qsort(pts, np, sizeof(*pts), cmp_u64);
	for (i = 0; i + 1 < np; i++) {
		u32 c = 0;

		if (pts[i] == pts[i + 1])
			continue;
		for (j = 0; j < n && e[j].start < pts[i + 1]; j++)
			if (e[j].start <= pts[i] && e[j].start + e[j].len >= pts[i + 1])
				c++;
		if (!c)
			continue;
		if (k && seg[k - 1].end == pts[i] && seg[k - 1].count == c)
			seg[k - 1].end = pts[i + 1];
		else
			seg[k++] = (struct rc_seg){ pts[i], pts[i + 1], c };
	}
	free(pts);
	*nseg = k;
	return seg;
fail:
	free(pts);
	free(seg);
	return NULL;
}

/* The count the segments give cluster @c (0: no extent shares it). */
static u32 seg_count(const struct rc_seg *s, size_t n, u64 c)
{
	size_t i;

	for (i = 0; i < n && s[i].start <= c; i++)
		if (c < s[i].end)
			return s[i].count;
	return 0;
}

/* The first cluster where a leaf's records and the segments disagree. */
static bool leaf_mismatch(struct fsck_ctx *ctx, const struct ocfs2_refcount_list *rl,
			  size_t max, const struct rc_seg *s, size_t ns,
			  u64 *covered, u64 *at, u32 *says, u32 *is)
{
	size_t i;
	u64 c;

	for (i = 0; i < le16_to_cpu(rl->rl_used) && i < max; i++) {
		const struct ocfs2_refcount_rec *r = &rl->rl_recs[i];
		u64 start = le64_to_cpu(r->r_cpos);
		u64 end = start + le32_to_cpu(r->r_clusters);

		for (c = start; c < end && c < ctx->fs->clusters; c++) {
			*is = seg_count(s, ns, c);
			if (*is != le32_to_cpu(r->r_refcount)) {
				*at = c;
				*says = le32_to_cpu(r->r_refcount);
				return true;
			}
		}
		*covered += end - start;
	}
	return false;
}

/* A leaf root's records, rewritten from the segments. */
static void rebuild_leaf(struct fsck_ctx *ctx, struct ocfs2_refcount_block *rb,
			 const struct rc_seg *s, size_t ns)
{
	struct ocfs2_refcount_list *rl = &rb->rf_records;
	size_t i;

	if (ns > le16_to_cpu(rl->rl_count)) {
		printf("Not rebuilt: %zu records do not fit the leaf\n", ns);
		ctx->fixed--;
		return;
	}
	memset(rl->rl_recs, 0, le16_to_cpu(rl->rl_count) * sizeof(*rl->rl_recs));
	for (i = 0; i < ns; i++) {
		rl->rl_recs[i].r_cpos = cpu_to_le64(s[i].start);
		rl->rl_recs[i].r_clusters = cpu_to_le32(s[i].end - s[i].start);
		rl->rl_recs[i].r_refcount = cpu_to_le32(s[i].count);
	}
	rl->rl_used = cpu_to_le16(ns);
	fsck_write(ctx, OCFS2_BLK_REFCOUNT, le64_to_cpu(rb->rf_blkno), rb);
}

/* The segments clipped to [@lo, @hi), into @out (room for @ns). */
static size_t clip(const struct rc_seg *s, size_t ns, u64 lo, u64 hi,
		   struct rc_seg *out)
{
	size_t i, k = 0;

	for (i = 0; i < ns; i++) {
		u64 a = s[i].start > lo ? s[i].start : lo;
		u64 b = s[i].end < hi ? s[i].end : hi;

		if (a < b)
			out[k++] = (struct rc_seg){ a, b, s[i].count };
	}
	return k;
}

/*
 * One leaf's records against the segments over [@lo, @hi) (@shared adds
 * up the clusters shared there); a repair rewrites the leaf alone.
 */
static void check_leaf(struct fsck_ctx *ctx, struct ocfs2_refcount_block *rb,
		       u64 root, const struct rc_seg *s, size_t ns, u64 lo,
		       u64 hi, u64 *shared)
{
	const struct ocfs2_refcount_list *rl = &rb->rf_records;
	size_t max = ocfs2_refcount_recs_per_rb(ctx->fs->bs), i, nc;
	u64 at = 0, got = 0, want = 0;
	u32 says = 0, is = 0;
	struct rc_seg *mine;

	if (le16_to_cpu(rl->rl_count) > max) {
		fix_problem(ctx, PR_REFCOUNT_LIST_COUNT,
			    "Refcount block %llu claims %u records, holds %zu",
			    (unsigned long long)le64_to_cpu(rb->rf_blkno),
			    le16_to_cpu(rl->rl_count), max);
		return;
	}
	max = le16_to_cpu(rl->rl_count);
	mine = malloc((ns + 1) * sizeof(*mine));
	if (!mine)
		return;
	nc = clip(s, ns, lo, hi, mine);
	for (i = 0; i < nc; i++)
		want += mine[i].end - mine[i].start;
	*shared += want;
	for (i = 0; i < le16_to_cpu(rl->rl_used) && i < max; i++) {
		u64 c = le64_to_cpu(rl->rl_recs[i].r_cpos);

		if (c < lo || c + le32_to_cpu(rl->rl_recs[i].r_clusters) > hi) {
			fix_problem(ctx, PR_REFCOUNT_CLUSTER_RANGE,
				    "Refcount block %llu of tree %llu records clusters %llu+%u outside its range from %llu to %llu",
				    (unsigned long long)le64_to_cpu(rb->rf_blkno),
				    (unsigned long long)root, (unsigned long long)c,
				    le32_to_cpu(rl->rl_recs[i].r_clusters),
				    (unsigned long long)lo, (unsigned long long)hi);
			goto out;
		}
	}
	if (leaf_mismatch(ctx, rl, max, mine, nc, &got, &at, &says, &is)) {
		if (fix_problem(ctx, is ? PR_REFCOUNT_COUNT_INVALID :
					  PR_REFCOUNT_REC_REDUNDANT,
				"Refcount tree %llu (block %llu) gives cluster %llu a reference count of %u but %u extents share it",
				(unsigned long long)root,
				(unsigned long long)le64_to_cpu(rb->rf_blkno),
				(unsigned long long)at, says, is))
			rebuild_leaf(ctx, rb, mine, nc);
	} else if (got != want &&
		   fix_problem(ctx, PR_REFCOUNT_COUNT_INVALID,
			       "Refcount tree %llu (block %llu) has records for %llu clusters of its range but extents share %llu",
			       (unsigned long long)root,
			       (unsigned long long)le64_to_cpu(rb->rf_blkno),
			       (unsigned long long)got, (unsigned long long)want)) {
		rebuild_leaf(ctx, rb, mine, nc);
	}
out:
	free(mine);
}

struct leaf_ref {
	u64 cpos, blkno;
};

struct leaf_walk {
	struct leaf_ref *v;
	size_t n, cap;
};

static int leaf_rec(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *r,
		    int depth, u64 owner, void *data)
{
	struct leaf_walk *w = data;

	(void)fs; (void)owner;
	if (depth)
		return 0;
	if (!grow((void **)&w->v, &w->cap, w->n, sizeof(*w->v)))
		return -ENOMEM;
	w->v[w->n].cpos = le32_to_cpu(r->e_cpos);
	w->v[w->n++].blkno = le64_to_cpu(r->e_blkno);
	return 0;
}

static int cmp_leaf(const void *a, const void *b)
{
	u64 x = ((const struct leaf_ref *)a)->cpos;
	u64 y = ((const struct leaf_ref *)b)->cpos;

	return x < y ? -1 : x > y;
}

/*
 * A tree of leaves.  A leaf's extent record gives where its range starts
 * (its length is the leaf block's, one); the range ends where the next
 * leaf's starts.  Each leaf is checked over its range, then the totals.
 */
static void check_deep(struct fsck_ctx *ctx, struct ocfs2_refcount_block *root_rb,
		       u64 root, const struct rc_seg *s, size_t ns)
{
	struct ocfs2_refcount_block *rb = io_alloc(ctx->fs->bs);
	struct leaf_walk w = { 0 };
	u64 want = 0, shared = 0, hi;
	size_t i;

	if (!rb || ocfs2_extent_iterate(ctx->fs, &root_rb->rf_list, root,
					leaf_rec, &w))
		goto out;
	qsort(w.v, w.n, sizeof(*w.v), cmp_leaf);
	for (i = 0; i < w.n; i++) {
		hi = i + 1 < w.n ? w.v[i + 1].cpos : ~0ULL;
		if (ocfs2_read_meta(ctx->fs, OCFS2_BLK_REFCOUNT, w.v[i].blkno, rb) ||
		    !(le32_to_cpu(rb->rf_flags) & OCFS2_REFCOUNT_LEAF_FL)) {
			fix_problem(ctx, PR_REFCOUNT_BLOCK_INVALID,
				    "Refcount tree %llu names block %llu as a leaf, but it is not a refcount leaf",
				    (unsigned long long)root,
				    (unsigned long long)w.v[i].blkno);
			continue;
		}
		check_leaf(ctx, rb, root, s, ns, w.v[i].cpos, hi, &shared);
	}
	for (i = 0; i < ns; i++)
		want += s[i].end - s[i].start;
	/* shared clusters below the first leaf's range: no leaf to fix */
	if (shared != want)
		fix_problem(ctx, PR_REFCOUNT_CLUSTER_RANGE,
			    "Refcount tree %llu: extents share %llu clusters, its leaves' ranges hold %llu",
			    (unsigned long long)root, (unsigned long long)want,
			    (unsigned long long)shared);
out:
	free(w.v);
	free(rb);
}

static void check_records(struct fsck_ctx *ctx, struct ocfs2_refcount_block *rb,
			  u64 root, const struct rc_seg *s, size_t ns)
{
	size_t max = ocfs2_refcount_recs_per_rb(ctx->fs->bs), i;
	u64 covered = 0, shared = 0, at = 0;
	u32 says = 0, is = 0;

	if (le32_to_cpu(rb->rf_flags) & OCFS2_REFCOUNT_TREE_FL)
		return check_deep(ctx, rb, root, s, ns);
	if (le16_to_cpu(rb->rf_records.rl_count) > max) {
		fix_problem(ctx, PR_REFCOUNT_LIST_COUNT,
			    "Refcount block %llu claims %u records, holds %zu",
			    (unsigned long long)root,
			    le16_to_cpu(rb->rf_records.rl_count), max);
		return;
	}
	max = le16_to_cpu(rb->rf_records.rl_count);
	if (leaf_mismatch(ctx, &rb->rf_records, max, s, ns, &covered, &at,
			  &says, &is)) {
		if (fix_problem(ctx, is ? PR_REFCOUNT_COUNT_INVALID :
					  PR_REFCOUNT_REC_REDUNDANT,
				"Refcount tree %llu gives cluster %llu a reference count of %u but %u extents share it",
				(unsigned long long)root,
				(unsigned long long)at, says, is))
			rebuild_leaf(ctx, rb, s, ns);
		return;
	}
	for (i = 0; i < ns; i++)
		shared += s[i].end - s[i].start;
	if (covered != shared &&
	    fix_problem(ctx, PR_REFCOUNT_COUNT_INVALID,
			"Refcount tree %llu has records for %llu clusters but extents share %llu",
			(unsigned long long)root, (unsigned long long)covered,
			(unsigned long long)shared))
		rebuild_leaf(ctx, rb, s, ns);
}

static void check_tree(struct fsck_ctx *ctx, u64 root, u32 nusers_of,
		       const struct rc_ext *e, size_t n)
{
	struct ocfs2_refcount_block *rb = io_alloc(ctx->fs->bs);
	struct rc_seg *s = NULL;
	size_t ns = 0;

	if (!rb)
		return;
	if (ocfs2_read_meta(ctx->fs, OCFS2_BLK_REFCOUNT, root, rb)) {
		fix_problem(ctx, PR_REFCOUNT_ROOT_BLOCK_INVALID,
			    "Refcount tree root %llu, named by %u inodes, is not a valid refcount block",
			    (unsigned long long)root, nusers_of);
		goto out;
	}
	if (le32_to_cpu(rb->rf_count) != nusers_of &&
	    fix_problem(ctx, PR_REFCOUNT_COUNT,
			"Refcount tree %llu says %u inodes share it, %u do",
			(unsigned long long)root, le32_to_cpu(rb->rf_count),
			nusers_of)) {
		rb->rf_count = cpu_to_le32(nusers_of);
		fsck_write(ctx, OCFS2_BLK_REFCOUNT, root, rb);
	}
	s = n ? sweep(e, n, &ns) : NULL;
	if (!n || s)
		check_records(ctx, rb, root, s, ns);
out:
	free(s);
	free(rb);
}

int fsck_refcounts(struct fsck_ctx *ctx)
{
	size_t i = 0, j, k = 0;

	if (lost || !nusers)
		goto out;
	qsort(users, nusers, sizeof(*users), cmp_u64);
	qsort(exts, nexts, sizeof(*exts), cmp_ext);
	while (i < nusers) {
		u64 root = users[i];

		for (j = i; j < nusers && users[j] == root; j++)
			;
		while (k < nexts && exts[k].root < root)
			k++;
		{
			size_t e0 = k;

			while (k < nexts && exts[k].root == root)
				k++;
			check_tree(ctx, root, j - i, exts + e0, k - e0);
		}
		i = j;
	}
out:
	free(exts);
	free(users);
	exts = NULL;
	users = NULL;
	nexts = nusers = ext_cap = user_cap = 0;
	return 0;
}
