// SPDX-License-Identifier: GPL-2.0
/*
 * The directory changes repairs need: add an entry (reconnecting to
 * lost+found), rewrite a directory's "..", remove an entry by inode.
 * Only space already in the directory is used; a full directory is an
 * error the caller reports.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

typedef int (*area_fn)(struct fsck_ctx *ctx, char *area, unsigned int bytes,
		       bool first, void *arg);

/* Run @fn over each entry area of directory @dir, writing back changes. */
static int for_each_area(struct fsck_ctx *ctx, u64 dir, area_fn fn, void *arg)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	char *buf = io_alloc(fs->bs);
	u64 b, blocks;
	int ret;

	if (!di || !buf) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ocfs2_read_inode(fs, dir, di);
	if (ret)
		goto out;
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_DATA_FL) {
		ret = fn(ctx, (char *)di->id2.i_data.id_data,
			 (unsigned int)le64_to_cpu(di->i_size), true, arg);
		if (ret == 1)
			ret = fsck_write(ctx, OCFS2_BLK_INODE, dir, di);
		goto out;
	}
	blocks = le64_to_cpu(di->i_size) >> fs->bbits;
	for (b = 0, ret = 0; b < blocks && !ret; b++) {
		u64 pblk;
		u32 contig;
		u8 flags;

		ret = ocfs2_extent_map(fs, &di->id2.i_list,
				       (u32)((b << fs->bbits) >> fs->cbits),
				       &pblk, &contig, &flags);
		if (ret || !pblk)
			break;
		pblk += b & ((fs->cs >> fs->bbits) - 1);
		ret = io_read_blocks(fs->io, pblk, 1, buf);
		if (!ret)
			ret = fn(ctx, buf, ocfs2_dir_usable_bytes(fs), !b, arg);
		if (ret == 1)
			ret = fsck_write(ctx, OCFS2_BLK_DIR, pblk, buf);
		if (!ret)
			continue;
		if (ret == 2)	/* done after a write */
			ret = 0;
		break;
	}
out:
	free(di);
	free(buf);
	return ret;
}

struct add_arg {
	u64 ino;
	const char *name;
	u8 type;
	bool done;
};

/* Returns 1 (write, and keep going is not needed) when the entry went in. */
static int add_in_area(struct fsck_ctx *ctx, char *area, unsigned int bytes,
		       bool first, void *data)
{
	struct add_arg *a = data;
	unsigned int off = 0, need = OCFS2_DIR_REC_LEN(strlen(a->name));

	(void)ctx; (void)first;
	if (a->done)
		return 0;
	while (off + 12 <= bytes) {
		struct ocfs2_dir_entry *de = (void *)(area + off);
		unsigned int rec_len = le16_to_cpu(de->rec_len);
		unsigned int used = de->inode ?
			OCFS2_DIR_REC_LEN(de->name_len) : 0;

		if (rec_len < 12 || rec_len > bytes - off)
			return 0;
		if (rec_len - used >= need) {
			struct ocfs2_dir_entry *ne = de;

			if (used) {
				de->rec_len = cpu_to_le16(used);
				ne = (void *)(area + off + used);
				ne->rec_len = cpu_to_le16(rec_len - used);
			}
			ne->inode = cpu_to_le64(a->ino);
			ne->name_len = (u8)strlen(a->name);
			ne->file_type = a->type;
			memcpy(ne->name, a->name, ne->name_len);
			a->done = true;
			return 1;
		}
		off += rec_len;
	}
	return 0;
}

int fsck_dir_add_entry(struct fsck_ctx *ctx, u64 dir, u64 ino,
		       const char *name, u8 type)
{
	struct add_arg a = { .ino = ino, .name = name, .type = type };
	int ret = for_each_area(ctx, dir, add_in_area, &a);

	if (ret < 0)
		return ret;
	return a.done ? 0 : -ENOSPC;
}

struct dotdot_arg {
	u64 parent;
};

static int set_dotdot(struct fsck_ctx *ctx, char *area, unsigned int bytes,
		      bool first, void *data)
{
	struct dotdot_arg *a = data;
	struct ocfs2_dir_entry *de = (void *)area;
	unsigned int len;

	(void)ctx;
	if (!first)
		return 2;
	len = le16_to_cpu(de->rec_len);
	if (len < 12 || len + 12 > bytes)
		return -EUCLEAN;
	de = (void *)(area + len);
	if (de->name_len != 2 || memcmp(de->name, "..", 2))
		return -EUCLEAN;
	de->inode = cpu_to_le64(a->parent);
	return 1;
}

int fsck_dir_set_dotdot(struct fsck_ctx *ctx, u64 dir, u64 parent)
{
	struct dotdot_arg a = { parent };
	int ret = for_each_area(ctx, dir, set_dotdot, &a);

	return ret == 2 ? 0 : ret;
}

struct remove_arg {
	u64 ino;
	bool done;
};

static int remove_in_area(struct fsck_ctx *ctx, char *area,
			  unsigned int bytes, bool first, void *data)
{
	struct remove_arg *a = data;
	unsigned int off = 0;

	(void)ctx; (void)first;
	if (a->done)
		return 0;
	while (off + 12 <= bytes) {
		struct ocfs2_dir_entry *de = (void *)(area + off);
		unsigned int rec_len = le16_to_cpu(de->rec_len);

		if (rec_len < 12 || rec_len > bytes - off)
			return 0;
		if (le64_to_cpu(de->inode) == a->ino) {
			de->inode = 0;
			a->done = true;
			return 1;
		}
		off += rec_len;
	}
	return 0;
}

int fsck_dir_remove_ino(struct fsck_ctx *ctx, u64 dir, u64 ino)
{
	struct remove_arg a = { ino, false };
	int ret = for_each_area(ctx, dir, remove_in_area, &a);

	if (ret < 0)
		return ret;
	return a.done ? 0 : -ENOENT;
}
