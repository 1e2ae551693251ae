// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 4: orphans and link counts.  4a clears inodes left in the orphan
 * directories (their unlink never finished); 4b compares each inode's
 * link count with the directory entries that name it, and reconnects
 * named-by-nobody inodes to lost+found.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

static u64 inode_alloc_of(struct fsck_ctx *ctx, struct inode_info *ii)
{
	if (ii->slot == OCFS2_INVALID_SLOT)
		return ctx->sys_alloc[GLOBAL_INODE_ALLOC_SYSTEM_INODE][0];
	if (ii->slot >= OCFS2_MAX_SLOTS)
		return 0;
	return ctx->sys_alloc[INODE_ALLOC_SYSTEM_INODE][ii->slot];
}

/* Forget the clusters of @di in the in-use map so the bitmap frees them. */
static int unmark_cb(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *r,
		     int depth, u64 owner, void *data)
{
	struct fsck_ctx *ctx = data;
	u64 c, first, n;

	(void)owner;
	if (depth)
		return 0;
	first = ocfs2_blocks_to_clusters(fs, le64_to_cpu(r->e_blkno));
	n = le16_to_cpu(r->e_leaf_clusters);
	for (c = first; c < first + n && c < fs->clusters; c++)
		if (!((ctx->dupmap[c >> 3] >> (c & 7)) & 1))
			ctx->cmap[c >> 3] &= ~(1U << (c & 7));
	return 0;
}

static void clear_orphan(struct fsck_ctx *ctx, struct inode_info *ii)
{
	struct ocfs2_dinode *di = io_alloc(ctx->fs->bs);

	if (!di || ocfs2_read_inode(ctx->fs, ii->blkno, di))
		goto out;
	if (!(le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_DATA_FL))
		ocfs2_extent_iterate(ctx->fs, &di->id2.i_list, ii->blkno,
				     unmark_cb, ctx);
	di->i_flags &= ~cpu_to_le32(OCFS2_VALID_FL | OCFS2_ORPHANED_FL);
	di->i_links_count = 0;
	fsck_write(ctx, OCFS2_BLK_INODE, ii->blkno, di);
	fsck_dir_remove_ino(ctx, ii->found_in, ii->blkno);
	alloc_clear_bit(ctx, inode_alloc_of(ctx, ii), ii->blkno);
	ii->flags |= II_BAD;
out:
	free(di);
}

static void pass4a(struct fsck_ctx *ctx)
{
	size_t i;

	printf("Pass 4a: Checking for orphaned inodes\n");
	for (i = 0; i < ctx->inode_cap; i++) {
		struct inode_info *ii = &ctx->inodes[i];

		if (!ii->blkno || !(ii->flags & II_ORPHAN) ||
		    (ii->flags & II_BAD))
			continue;
		if (fix_problem(ctx, PR_INODE_ORPHANED,
				"Inode %llu was found in the orphan directory. Delete its contents and unlink it",
				(unsigned long long)ii->blkno))
			clear_orphan(ctx, ii);
	}
}

static void set_links(struct fsck_ctx *ctx, u64 ino, u32 links)
{
	struct ocfs2_dinode *di = io_alloc(ctx->fs->bs);

	if (di && !ocfs2_read_inode(ctx->fs, ino, di)) {
		di->i_links_count = cpu_to_le16(links & 0xffff);
		di->i_links_count_hi = cpu_to_le16(links >>
						   OCFS2_LINKS_HI_SHIFT);
		fsck_write(ctx, OCFS2_BLK_INODE, ino, di);
	}
	free(di);
}

static void reconnect_file(struct fsck_ctx *ctx, struct inode_info *ii)
{
	char name[32];

	if (!fix_problem(ctx, PR_INODE_NOT_CONNECTED,
			 "Inode %llu isn't referenced by any directory entries",
			 (unsigned long long)ii->blkno))
		return;
	snprintf(name, sizeof(name), "#%llu", (unsigned long long)ii->blkno);
	if (!ctx->lost_found ||
	    fsck_dir_add_entry(ctx, ctx->lost_found, ii->blkno, name,
			       ocfs2_mode_to_ftype(ii->mode))) {
		fprintf(stderr, "fsck.ocfs2: cannot reconnect inode %llu to lost+found\n",
			(unsigned long long)ii->blkno);
		ctx->fixed--;
		return;
	}
	ii->refs = 1;
}

static void pass4b(struct fsck_ctx *ctx)
{
	size_t i;

	printf("Pass 4b: Checking inodes link counts\n");
	for (i = 0; i < ctx->inode_cap; i++) {
		struct inode_info *ii = &ctx->inodes[i];

		if (!ii->blkno || (ii->flags & (II_BAD | II_ORPHAN)))
			continue;
		if (!ii->refs && !(ii->flags & II_DIR))
			reconnect_file(ctx, ii);
		if (ii->refs == ii->links || !ii->refs)
			continue;
		if (fix_problem(ctx, PR_INODE_COUNT,
				"Inode %llu has a link count of %u on disk but directory entry references come to %u",
				(unsigned long long)ii->blkno, ii->links,
				ii->refs))
			set_links(ctx, ii->blkno, ii->refs);
	}
}

int fsck_pass4(struct fsck_ctx *ctx)
{
	pass4a(ctx);
	pass4b(ctx);
	return 0;
}
