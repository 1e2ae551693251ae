// SPDX-License-Identifier: GPL-2.0
/*
 * mkfs.ocfs2 quota files (usrquota/grpquota): the global file per type is
 * a quota tree (header block, one block per tree level: four, five below
 * 2K blocks, one data block) holding
 * the entry for id 0; each slot's local file is a clean header and one
 * empty chunk.  Layout as stock mkfs.ocfs2 writes it.
 */
#include <stdlib.h>
#include <string.h>
#include "mkfs.h"

#define GLOBAL_QBLOCKS(bs)	(2 + ocfs2_qtree_depth(bs))	/* header, tree, data */
#define LOCAL_QBLOCKS		2
#define DEFAULT_GRACE		(7 * 24 * 3600)

static void seal_blocks(struct mkfs_state *st, char *buf, unsigned int n)
{
	unsigned int i, bs = st->fs->bs;

	if (!(st->feat.incompat & OCFS2_FEATURE_INCOMPAT_META_ECC))
		return;
	for (i = 0; i < n; i++) {
		char *b = buf + (size_t)i * bs;

		ocfs2_block_check_compute(b, bs, (void *)(b + bs -
					  OCFS2_QBLK_RESERVED_SPACE));
	}
}

static void build_global(struct mkfs_state *st, char *buf, u32 magic)
{
	unsigned int bs = st->fs->bs, i;
	struct ocfs2_disk_dqheader *h = (void *)buf;
	struct ocfs2_global_disk_dqinfo *info = (void *)(buf + sizeof(*h));
	struct ocfs2_qt_data_header *dh;
	struct ocfs2_global_disk_dqblk *dq;

	h->dqh_magic = cpu_to_le32(magic);
	h->dqh_version = cpu_to_le32(OCFS2_GLOBAL_QVERSION);
	info->dqi_bgrace = cpu_to_le32(DEFAULT_GRACE);
	info->dqi_igrace = cpu_to_le32(DEFAULT_GRACE);
	info->dqi_syncms = cpu_to_le32(OCFS2_DEF_QUOTA_SYNC_MS);
	info->dqi_blocks = cpu_to_le32(GLOBAL_QBLOCKS(bs));
	info->dqi_free_entry = cpu_to_le32(GLOBAL_QBLOCKS(bs) - 1);
	/* id 0 indexes slot 0 at every level: a straight chain of blocks */
	for (i = 1; i <= ocfs2_qtree_depth(bs); i++)
		*(__le32 *)(buf + (size_t)i * bs) = cpu_to_le32(i + 1);
	dh = (void *)(buf + (size_t)(ocfs2_qtree_depth(bs) + 1) * bs);
	dh->entries = cpu_to_le16(1);
	dq = (void *)(dh + 1);
	dq->dqb_curinodes = cpu_to_le64(1);	/* the root directory */
}

static void build_local(char *buf, unsigned int bs, u32 magic)
{
	struct ocfs2_disk_dqheader *h = (void *)buf;
	struct ocfs2_local_disk_dqinfo *info = (void *)(buf + sizeof(*h));

	(void)bs;
	h->dqh_magic = cpu_to_le32(magic);
	h->dqh_version = cpu_to_le32(OCFS2_LOCAL_QVERSION);
	info->dqi_flags = cpu_to_le32(OLQF_CLEAN);
	info->dqi_chunks = cpu_to_le32(1);
	info->dqi_blocks = cpu_to_le32(LOCAL_QBLOCKS);
}

static int write_qfile(struct mkfs_state *st, struct ocfs2_dinode *di,
		       char *buf, unsigned int nblocks)
{
	unsigned int bs = st->fs->bs;
	u32 clusters = (nblocks * bs + st->fs->cs - 1) / st->fs->cs;
	struct crun runs[MAX_RUNS];
	u32 cpos = 0;
	int n, i, ret = 0;

	n = mkfs_alloc(st, clusters, runs, MAX_RUNS);
	if (n < 0)
		return n;
	ocfs2_extent_list_init(&di->id2.i_list,
			       ocfs2_extent_recs_per_inode(bs));
	for (i = 0; i < n && !ret; i++) {
		ret = ocfs2_extent_list_append(&di->id2.i_list, cpos,
					       (u64)runs[i].start * st->bpc,
					       (u16)runs[i].len, 0);
		cpos += runs[i].len;
	}
	di->i_clusters = cpu_to_le32(clusters);
	di->i_size = cpu_to_le64((u64)nblocks * bs);
	/* small files: write block by block through the runs */
	for (i = 0; !ret && (unsigned int)i < nblocks; i++) {
		u64 lblk = i, pblk = 0;
		int r;

		for (r = 0; r < n; r++) {
			u64 blocks = (u64)runs[r].len * st->bpc;

			if (lblk < blocks) {
				pblk = (u64)runs[r].start * st->bpc + lblk;
				break;
			}
			lblk -= blocks;
		}
		ret = io_write_blocks(st->fs->io, pblk, 1,
				      buf + (size_t)i * bs);
	}
	return ret ? ret : ocfs2_write_inode(st->fs,
					     le64_to_cpu(di->i_blkno), di);
}

static int write_type(struct mkfs_state *st, struct ocfs2_dinode *di,
		      int global_type, int local_type, u32 gmagic, u32 lmagic)
{
	unsigned int bs = st->fs->bs, slot;
	char *buf = io_alloc((size_t)GLOBAL_QBLOCKS(bs) * bs);
	int ret;

	if (!buf)
		return -ENOMEM;
	build_global(st, buf, gmagic);
	seal_blocks(st, buf, GLOBAL_QBLOCKS(bs));
	mkfs_sysfile_init(st, di, global_type, 0);
	ret = write_qfile(st, di, buf, GLOBAL_QBLOCKS(bs));
	for (slot = 0; slot < st->o->slots && !ret; slot++) {
		memset(buf, 0, (size_t)LOCAL_QBLOCKS * bs);
		build_local(buf, bs, lmagic);
		seal_blocks(st, buf, LOCAL_QBLOCKS);
		mkfs_sysfile_init(st, di, local_type, slot);
		ret = write_qfile(st, di, buf, LOCAL_QBLOCKS);
	}
	free(buf);
	return ret;
}

int mkfs_write_quota_files(struct mkfs_state *st, struct ocfs2_dinode *di)
{
	int ret = 0;

	if (st->feat.ro_compat & OCFS2_FEATURE_RO_COMPAT_USRQUOTA)
		ret = write_type(st, di, USER_QUOTA_SYSTEM_INODE,
				 LOCAL_USER_QUOTA_SYSTEM_INODE,
				 OCFS2_GLOBAL_USR_QMAGIC,
				 OCFS2_LOCAL_USR_QMAGIC);
	if (!ret && (st->feat.ro_compat & OCFS2_FEATURE_RO_COMPAT_GRPQUOTA))
		ret = write_type(st, di, GROUP_QUOTA_SYSTEM_INODE,
				 LOCAL_GROUP_QUOTA_SYSTEM_INODE,
				 OCFS2_GLOBAL_GRP_QMAGIC,
				 OCFS2_LOCAL_GRP_QMAGIC);
	return ret;
}
