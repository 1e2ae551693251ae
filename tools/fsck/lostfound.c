// SPDX-License-Identifier: GPL-2.0
/*
 * Making a new /lost+found when it is gone: take a free inode bit from
 * slot 0's inode allocator, write an empty directory (inline when the
 * volume has inline-data, else one cluster that the bitmap pass will then
 * mark), and name it in the root directory.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fsck.h"

/* Find and take a free bit in one of allocator @alloc's groups. */
static int take_inode_bit(struct fsck_ctx *ctx, u64 alloc, u64 *ino, u16 *bit)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_group_desc *gd = io_alloc(fs->bs);
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	size_t i;
	int ret = -ENOSPC;

	for (i = 0; gd && di && i < ctx->ngroups && ret == -ENOSPC; i++) {
		struct group_ref *g = &ctx->groups[i];
		unsigned int b;

		if (g->alloc != alloc ||
		    ocfs2_read_meta(fs, OCFS2_BLK_GROUP, g->blkno, gd))
			continue;
		for (b = 1; b < g->bits; b++) {
			if (ocfs2_group_test_bit(gd, b) ||
			    ii_get(ctx, g->blkno + b, false))
				continue;
			ocfs2_group_set_bit(gd, b);
			ret = ocfs2_read_inode(fs, alloc, di);
			if (ret)
				break;
			le32_add_cpu(&di->id2.i_chain.cl_recs[g->chain].c_free,
				     -1);
			le32_add_cpu(&di->id1.bitmap1.i_used, 1);
			ret = fsck_write(ctx, OCFS2_BLK_GROUP, g->blkno, gd);
			if (!ret)
				ret = fsck_write(ctx, OCFS2_BLK_INODE, alloc, di);
			*ino = g->blkno + b;
			*bit = (u16)b;
			break;
		}
	}
	free(gd);
	free(di);
	return ret;
}

static u32 free_cluster(struct fsck_ctx *ctx)
{
	u32 c;

	for (c = ctx->fs->clusters - 1; c > 0; c--)
		if (!cmap_test(ctx, c))
			return c;
	return 0;
}

static void fill_entries(struct ocfs2_fs *fs, char *area, unsigned int bytes,
			 u64 self, u64 parent)
{
	unsigned int off = 0, last;

	ocfs2_dir_fill(fs, area, bytes, &off, self, ".", OCFS2_FT_DIR);
	last = off;
	ocfs2_dir_fill(fs, area, bytes, &off, parent, "..", OCFS2_FT_DIR);
	ocfs2_dir_close_block(fs, area, bytes, last);
}

static int write_dir_body(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
			  u64 ino)
{
	struct ocfs2_fs *fs = ctx->fs;
	char *buf;
	u32 c;
	int ret;

	if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_INLINE_DATA)) {
		unsigned int max = ocfs2_max_inline_data(fs->bs);

		di->i_dyn_features = cpu_to_le16(OCFS2_INLINE_DATA_FL);
		di->id2.i_data.id_count = cpu_to_le16(max);
		di->i_size = cpu_to_le64(max);
		fill_entries(fs, (char *)di->id2.i_data.id_data, max, ino,
			     ctx->root);
		return 0;
	}
	c = free_cluster(ctx);
	buf = io_alloc(fs->bs);
	if (!c || !buf) {
		free(buf);
		return -ENOSPC;
	}
	cmap_mark(ctx, c, 1);
	ocfs2_extent_list_init(&di->id2.i_list,
			       ocfs2_extent_recs_per_inode(fs->bs));
	ocfs2_extent_list_append(&di->id2.i_list, 0,
				 ocfs2_clusters_to_blocks(fs, c), 1, 0);
	di->i_clusters = cpu_to_le32(1);
	di->i_size = cpu_to_le64(fs->bs);
	fill_entries(fs, buf, ocfs2_dir_usable_bytes(fs), ino, ctx->root);
	if (ocfs2_dir_has_trailer(fs))
		ocfs2_dir_trailer_init(fs, buf, ocfs2_clusters_to_blocks(fs, c),
				       ino);
	ret = fsck_write(ctx, OCFS2_BLK_DIR, ocfs2_clusters_to_blocks(fs, c),
			 buf);
	free(buf);
	return ret;
}

int fsck_make_lost_found(struct fsck_ctx *ctx)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 alloc = ctx->sys_alloc[INODE_ALLOC_SYSTEM_INODE][0], ino = 0;
	struct ocfs2_dinode *di;
	struct inode_info *ii;
	u16 bit = 0;
	int ret;

	ret = take_inode_bit(ctx, alloc, &ino, &bit);
	if (ret)
		return ret;
	di = io_alloc(fs->bs);
	if (!di)
		return -ENOMEM;
	memcpy(di->i_signature, OCFS2_INODE_SIGNATURE, 8);
	di->i_generation = cpu_to_le32(fs->fs_generation);
	di->i_fs_generation = cpu_to_le32(fs->fs_generation);
	di->i_blkno = cpu_to_le64(ino);
	di->i_suballoc_bit = cpu_to_le16(bit);
	di->i_mode = cpu_to_le16(0040755);
	di->i_links_count = cpu_to_le16(2);
	di->i_flags = cpu_to_le32(OCFS2_VALID_FL);
	di->i_atime = di->i_ctime = di->i_mtime = cpu_to_le64(time(NULL));
	ret = write_dir_body(ctx, di, ino);
	if (!ret)
		ret = fsck_write(ctx, OCFS2_BLK_INODE, ino, di);
	if (!ret)
		ret = fsck_dir_add_entry(ctx, ctx->root, ino, "lost+found",
					 OCFS2_FT_DIR);
	free(di);
	if (ret)
		return ret;
	ii = ii_get(ctx, ino, true);
	if (!ii)
		return -ENOMEM;
	ii->mode = 0040755;
	ii->flags = II_DIR | II_REACHED;
	ii->found_in = ctx->root;
	ii->parent = ctx->root;
	ii->links = 2;
	ii->refs = 2;		/* its entry in the root and its "." */
	ctx->lost_found = ino;
	return 0;
}
