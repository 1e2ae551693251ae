// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 5's repair: the global quota file of one type is written anew from
 * the limits pass 5 kept and the usage it computed (a header block, the
 * radix tree of ids, data blocks packed in id order; the last data block
 * with room heads the free-entry list, as the kernel expects), and every
 * slot's local quota file is reset to a clean, empty one, since changes
 * pending in it were already counted from the inodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quota.h"

static const int local_sys[] = { LOCAL_USER_QUOTA_SYSTEM_INODE,
				  LOCAL_GROUP_QUOTA_SYSTEM_INODE };
static const u32 global_magic[] = { OCFS2_GLOBAL_USR_QMAGIC,
				    OCFS2_GLOBAL_GRP_QMAGIC };
static const u32 local_magic[] = { OCFS2_LOCAL_USR_QMAGIC,
				   OCFS2_LOCAL_GRP_QMAGIC };

/* the image of a file being built, grown a block at a time */
struct qimage {
	char *buf;
	u32 blocks, cap;
	unsigned int bs;
};

static int qimage_new_block(struct qimage *im, u32 *blk)
{
	if (im->blocks == im->cap) {
		u32 cap = im->cap ? im->cap * 2 : 16;
		char *b = realloc(im->buf, (size_t)cap * im->bs);

		if (!b)
			return -ENOMEM;
		memset(b + (size_t)im->cap * im->bs, 0,
		       (size_t)(cap - im->cap) * im->bs);
		im->buf = b;
		im->cap = cap;
	}
	*blk = im->blocks++;
	return 0;
}

static __le32 *tree_ref(struct qimage *im, u32 blk, u32 id, unsigned int depth)
{
	unsigned int refs = (im->bs - OCFS2_QBLK_RESERVED_SPACE) / 4;
	unsigned int below = ocfs2_qtree_depth(im->bs) - depth - 1;

	while (below--)
		id /= refs;
	return (__le32 *)(im->buf + (size_t)blk * im->bs) + id % refs;
}

/* the tree path of @id down to its data block @data */
static int link_id(struct qimage *im, u32 id, u32 data)
{
	unsigned int depth, levels = ocfs2_qtree_depth(im->bs);
	u32 blk = QT_TREEOFF, next;
	int ret;

	for (depth = 0; depth + 1 < levels; depth++) {
		next = le32_to_cpu(*tree_ref(im, blk, id, depth));
		if (!next) {
			ret = qimage_new_block(im, &next);
			if (ret)
				return ret;
			*tree_ref(im, blk, id, depth) = cpu_to_le32(next);
		}
		blk = next;
	}
	*tree_ref(im, blk, id, depth) = cpu_to_le32(data);
	return 0;
}

static void fill_entry(struct ocfs2_global_disk_dqblk *d, const struct qent *e)
{
	d->dqb_id = cpu_to_le32(e->id);
	d->dqb_ihardlimit = cpu_to_le64(e->ihard);
	d->dqb_isoftlimit = cpu_to_le64(e->isoft);
	d->dqb_bhardlimit = cpu_to_le64(e->bhard);
	d->dqb_bsoftlimit = cpu_to_le64(e->bsoft);
	d->dqb_curinodes = cpu_to_le64(e->inodes);
	d->dqb_curspace = cpu_to_le64(e->space);
	/* a grace period runs only while over the soft limit */
	d->dqb_itime = cpu_to_le64(e->isoft && e->inodes >= e->isoft ?
				   e->itime : 0);
	d->dqb_btime = cpu_to_le64(e->bsoft && e->space >= e->bsoft ?
				   e->btime : 0);
}

static int by_id(const void *a, const void *b)
{
	u32 x = (*(struct qent *const *)a)->id, y = (*(struct qent *const *)b)->id;

	return x < y ? -1 : x > y;
}

/* Entries worth keeping, in id order. */
static struct qent **kept_entries(struct qfile *qf, size_t *n)
{
	struct qent **v = calloc(qf->count + 1, sizeof(*v));
	size_t i;

	*n = 0;
	if (!v)
		return NULL;
	for (i = 0; i < qf->cap; i++) {
		struct qent *e = &qf->tab[i];

		if (e->used && (e->on_disk || e->space || e->inodes))
			v[(*n)++] = e;
	}
	qsort(v, *n, sizeof(*v), by_id);
	return v;
}

static int build_global(struct qfile *qf, struct qimage *im)
{
	unsigned int per = qf_entries_per_block(im->bs);
	struct ocfs2_global_disk_dqinfo *info;
	struct ocfs2_disk_dqheader *h;
	struct ocfs2_qt_data_header *dh = NULL;
	struct qent **v;
	size_t n, i;
	u32 blk, data = 0;
	int ret;

	ret = qimage_new_block(im, &blk);	/* header */
	if (!ret)
		ret = qimage_new_block(im, &blk);	/* tree root */
	v = ret ? NULL : kept_entries(qf, &n);
	if (!v)
		return ret ? ret : -ENOMEM;
	for (i = 0; i < n && !ret; i++) {
		if (i % per == 0) {
			ret = qimage_new_block(im, &data);
			if (ret)
				break;
		}
		dh = (void *)(im->buf + (size_t)data * im->bs);
		fill_entry((struct ocfs2_global_disk_dqblk *)(dh + 1) + i % per,
			   v[i]);
		dh->entries = cpu_to_le16(i % per + 1);
		ret = link_id(im, v[i]->id, data);
	}
	free(v);
	h = (void *)im->buf;
	info = (void *)(h + 1);
	h->dqh_magic = cpu_to_le32(global_magic[qf->type]);
	h->dqh_version = cpu_to_le32(OCFS2_GLOBAL_QVERSION);
	info->dqi_bgrace = cpu_to_le32(qf->bgrace);
	info->dqi_igrace = cpu_to_le32(qf->igrace);
	info->dqi_syncms = cpu_to_le32(qf->syncms);
	info->dqi_blocks = cpu_to_le32(im->blocks);
	if (dh && le16_to_cpu(dh->entries) < per)
		info->dqi_free_entry = cpu_to_le32(data);
	return ret;
}

static void seal(struct ocfs2_fs *fs, char *buf, u32 blocks)
{
	u32 i;

	if (!ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_META_ECC))
		return;
	for (i = 0; i < blocks; i++) {
		char *b = buf + (size_t)i * fs->bs;

		ocfs2_block_check_compute(b, fs->bs, (void *)(b + fs->bs -
					  OCFS2_QBLK_RESERVED_SPACE));
	}
}

/* Enough clusters under @di for @blocks blocks (pass 5 runs after the
 * bitmap check, so the cluster map needs no update). */
static int reserve(struct fsck_ctx *ctx, struct ocfs2_dinode *di, u32 blocks)
{
	struct ocfs2_fs *fs = ctx->fs;
	u32 want = ocfs2_bytes_to_clusters(fs, (u64)blocks << fs->bbits);

	if (want <= le32_to_cpu(di->i_clusters))
		return 0;
	return ocfs2_extend_file(fs, di, want,
				 ctx->sys_alloc[EXTENT_ALLOC_SYSTEM_INODE][0],
				 true, NULL);
}

static int write_file(struct fsck_ctx *ctx, u64 ino, struct ocfs2_dinode *di,
		      char *buf, u32 blocks)
{
	struct ocfs2_fs *fs = ctx->fs;
	char *blk = io_alloc(fs->bs);	/* aligned, for O_DIRECT */
	u32 i;
	int ret = blk ? 0 : -ENOMEM;

	seal(fs, buf, blocks);
	if (!ret)
		ret = reserve(ctx, di, blocks);
	for (i = 0; i < blocks && !ret; i++) {
		u64 pblk;
		u32 contig;
		u8 flags;

		ret = ocfs2_extent_map(fs, &di->id2.i_list,
				       (u32)(((u64)i << fs->bbits) >> fs->cbits),
				       &pblk, &contig, &flags);
		if (!ret && !pblk)
			ret = -EUCLEAN;
		memcpy(blk, buf + (size_t)i * fs->bs, fs->bs);
		if (!ret)
			ret = io_write_blocks(fs->io, pblk +
					(i & ((fs->cs >> fs->bbits) - 1)), 1, blk);
	}
	free(blk);
	if (ret)
		return ret;
	di->i_size = cpu_to_le64((u64)blocks << fs->bbits);
	return ocfs2_write_inode(fs, ino, di);
}

static int reset_local(struct fsck_ctx *ctx, int type, int slot)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	char *buf = io_alloc(2 * (size_t)fs->bs);
	struct ocfs2_disk_dqheader *h = (void *)buf;
	struct ocfs2_local_disk_dqinfo *info = (void *)(h + 1);
	u64 ino;
	int ret = di && buf ? 0 : -ENOMEM;

	if (!ret)
		ret = ocfs2_lookup_system_inode(fs, local_sys[type], slot, &ino);
	if (!ret)
		ret = ocfs2_read_inode(fs, ino, di);
	if (!ret) {
		h->dqh_magic = cpu_to_le32(local_magic[type]);
		h->dqh_version = cpu_to_le32(OCFS2_LOCAL_QVERSION);
		info->dqi_flags = cpu_to_le32(OLQF_CLEAN);
		info->dqi_chunks = cpu_to_le32(1);
		info->dqi_blocks = cpu_to_le32(2);
		ret = write_file(ctx, ino, di, buf, 2);
	}
	free(di);
	free(buf);
	return ret;
}

int fsck_quota_write(struct fsck_ctx *ctx, struct qfile *qf)
{
	struct qimage im = { .bs = ctx->fs->bs };
	int slot, slots = le16_to_cpu(ctx->fs->sb->s_max_slots);
	int ret = build_global(qf, &im);

	if (!ret)
		ret = write_file(ctx, qf->ino, qf->di, im.buf, im.blocks);
	for (slot = 0; slot < slots && !ret; slot++)
		ret = reset_local(ctx, qf->type, slot);
	free(im.buf);
	if (ret)
		fprintf(stderr, "fsck.ocfs2: %s while rewriting the %s quota files\n",
			strerror(-ret), qf->type ? "group" : "user");
	return ret;
}
