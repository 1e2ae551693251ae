// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 3: directory connectivity.  Every directory must be reachable from
 * the root (or the system directory); unreachable ones are reconnected to
 * lost+found.  Each directory's ".." must name the directory that names
 * it.  The ".." references are counted here, once they are right.
 */
#include <stdio.h>
#include <string.h>
#include "fsck.h"

static bool is_top(struct fsck_ctx *ctx, u64 ino)
{
	return ino == ctx->root || ino == ctx->sysdir;
}

/* Spread reachability from the tops until nothing changes. */
static void mark_reached(struct fsck_ctx *ctx)
{
	bool changed = true;
	size_t i;

	while (changed) {
		changed = false;
		for (i = 0; i < ctx->inode_cap; i++) {
			struct inode_info *ii = &ctx->inodes[i], *p;

			if (!ii->blkno || (ii->flags & II_REACHED) ||
			    (ii->flags & II_BAD))
				continue;
			if (is_top(ctx, ii->blkno)) {
				ii->flags |= II_REACHED;
				changed = true;
				continue;
			}
			p = ii_get(ctx, ii->found_in, false);
			if (p && (p->flags & II_REACHED)) {
				ii->flags |= II_REACHED;
				changed = true;
			}
		}
	}
}

static void reconnect_dir(struct fsck_ctx *ctx, struct inode_info *ii)
{
	char name[32];
	int ret;

	if (!fix_problem(ctx, PR_DIR_NOT_CONNECTED,
			 "Directory inode %llu isn't connected to the filesystem",
			 (unsigned long long)ii->blkno))
		return;
	if (!ctx->lost_found) {
		fprintf(stderr, "fsck.ocfs2: no lost+found to reconnect inode %llu to\n",
			(unsigned long long)ii->blkno);
		ctx->fixed--;
		return;
	}
	snprintf(name, sizeof(name), "#%llu", (unsigned long long)ii->blkno);
	ret = fsck_dir_add_entry(ctx, ctx->lost_found, ii->blkno, name,
				 OCFS2_FT_DIR);
	if (ret) {
		fprintf(stderr, "fsck.ocfs2: cannot add %s to lost+found: %s\n",
			name, strerror(-ret));
		ctx->fixed--;
		return;
	}
	ii->found_in = ctx->lost_found;
	ii->refs++;
}

static void check_dotdot(struct fsck_ctx *ctx, struct inode_info *ii)
{
	u64 want = is_top(ctx, ii->blkno) ? ii->blkno : ii->found_in;
	struct inode_info *p;

	if (ii->parent != want && want &&
	    fix_problem(ctx, PR_DIR_DOTDOT,
			"Directory inode %llu's '..' points to %llu but it is named by directory %llu",
			(unsigned long long)ii->blkno,
			(unsigned long long)ii->parent,
			(unsigned long long)want)) {
		if (!fsck_dir_set_dotdot(ctx, ii->blkno, want))
			ii->parent = want;
	}
	p = ii_get(ctx, ii->parent, false);
	if (p)
		p->refs++;
}

/* lost+found must exist and hang off the root before anything is put in. */
static void ensure_lost_found(struct fsck_ctx *ctx)
{
	struct inode_info *lf = ii_get(ctx, ctx->lost_found, false);
	int ret;

	if (lf && (lf->flags & II_DIR) && !(lf->flags & II_BAD) &&
	    (lf->flags & II_REACHED) && lf->found_in == ctx->root)
		return;
	ctx->lost_found = 0;
	if (!fix_problem(ctx, PR_LOSTFOUND_MISSING,
			 "/lost+found does not exist.  Create it so that we can possibly fill it with orphaned inodes"))
		return;
	ret = ctx->no ? -EROFS : fsck_make_lost_found(ctx);
	if (ret) {
		fprintf(stderr, "fsck.ocfs2: cannot create lost+found: %s\n",
			strerror(-ret));
		ctx->fixed--;
	}
}

int fsck_pass3(struct fsck_ctx *ctx)
{
	struct inode_info *root;
	size_t i;

	printf("Pass 3: Checking directory connectivity\n");
	root = ii_get(ctx, ctx->root, false);
	if (!root || (root->flags & II_BAD))
		fix_problem(ctx, PR_ROOT_DIR_MISSING,
			    "The root directory (inode %llu) is missing",
			    (unsigned long long)ctx->root);
	else if (!(root->flags & II_DIR))
		fix_problem(ctx, PR_ROOT_NOTDIR,
			    "The root inode %llu is not a directory",
			    (unsigned long long)ctx->root);
	mark_reached(ctx);
	ensure_lost_found(ctx);
	for (i = 0; i < ctx->inode_cap; i++) {
		struct inode_info *ii = &ctx->inodes[i];

		if (ii->blkno && (ii->flags & II_DIR) &&
		    !(ii->flags & (II_REACHED | II_BAD)))
			reconnect_dir(ctx, ii);
	}
	for (i = 0; i < ctx->inode_cap; i++) {
		struct inode_info *ii = &ctx->inodes[i];

		if (ii->blkno && (ii->flags & II_DIR) && !(ii->flags & II_BAD))
			check_dotdot(ctx, ii);
	}
	return 0;
}
