// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 5: quota.  For each quota type the volume has, the global quota
 * file is read as the kernel would (header, radix tree of ids, data blocks
 * of entries) and what it says is checked: a bad header (QMAGIC_INVALID),
 * a tree block failing its checksum (QTREE_BLK_INVALID), entries in a data
 * block that fails its checks (DQBLK_INVALID, DUP_DQBLK_INVALID) and ids
 * found twice (DUP_DQBLK_VALID).  The limits kept are then set beside the
 * usage the inodes add up to; a usage the file gets wrong is QUOTA_USAGE
 * (no stock check: stock fsck rewrites the files under -y without saying
 * why, and -n never looks).  Any repair rewrites the global file from
 * what was kept (quota_write.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quota.h"

static const char *const qtype_name[] = { "user", "group" };
static const int global_sys[] = { USER_QUOTA_SYSTEM_INODE,
				  GROUP_QUOTA_SYSTEM_INODE };
static const u32 global_magic[] = { OCFS2_GLOBAL_USR_QMAGIC,
				    OCFS2_GLOBAL_GRP_QMAGIC };
#define QFILE_MAX_BYTES	(256U << 20)	/* refuse to load anything bigger */

unsigned int qf_entries_per_block(unsigned int bs)
{
	return (bs - OCFS2_QBLK_RESERVED_SPACE -
		sizeof(struct ocfs2_qt_data_header)) /
	       sizeof(struct ocfs2_global_disk_dqblk);
}

static int qf_grow(struct qfile *qf)
{
	struct qent *old = qf->tab;
	size_t i, oldcap = qf->cap;

	qf->cap = oldcap ? oldcap * 2 : 256;
	qf->tab = calloc(qf->cap, sizeof(*qf->tab));
	if (!qf->tab) {
		qf->tab = old;
		qf->cap = oldcap;
		return -ENOMEM;
	}
	qf->count = 0;
	for (i = 0; i < oldcap; i++) {
		if (!old[i].used)
			continue;
		*qf_get(qf, old[i].id, true) = old[i];
	}
	free(old);
	return 0;
}

/* The entry of @id, made (zeroed) when @create; NULL when absent or out of memory. */
struct qent *qf_get(struct qfile *qf, u32 id, bool create)
{
	size_t i;

	if (create && (qf->count + 1) * 2 > qf->cap && qf_grow(qf))
		return NULL;
	if (!qf->cap)
		return NULL;
	for (i = (id * 2654435761U) & (qf->cap - 1);; i = (i + 1) & (qf->cap - 1)) {
		if (qf->tab[i].used && qf->tab[i].id == id)
			return &qf->tab[i];
		if (!qf->tab[i].used)
			break;
	}
	if (!create)
		return NULL;
	memset(&qf->tab[i], 0, sizeof(qf->tab[i]));
	qf->tab[i].used = true;
	qf->tab[i].id = id;
	qf->count++;
	return &qf->tab[i];
}

static char *qblock(struct qfile *qf, unsigned int bs, u32 blk)
{
	return qf->data + (size_t)blk * bs;
}

static bool qblock_sound(struct fsck_ctx *ctx, char *buf)
{
	unsigned int bs = ctx->fs->bs;

	if (!ocfs2_has_incompat(ctx->fs, OCFS2_FEATURE_INCOMPAT_META_ECC))
		return true;
	return ocfs2_block_check_validate(buf, bs, (void *)(buf + bs -
					  OCFS2_QBLK_RESERVED_SPACE)) >= 0;
}

static bool ref_ok(struct qfile *qf, u32 blk)
{
	return blk >= QT_TREEOFF && blk < qf->blocks;
}

/* Header and info: QMAGIC_INVALID when they do not describe this file. */
static void check_header(struct fsck_ctx *ctx, struct qfile *qf)
{
	struct ocfs2_disk_dqheader *h = (void *)qf->data;
	struct ocfs2_global_disk_dqinfo *info = (void *)(h + 1);
	u32 blocks = le32_to_cpu(info->dqi_blocks);
	u32 free_blk = le32_to_cpu(info->dqi_free_blk);
	u32 free_entry = le32_to_cpu(info->dqi_free_entry);

	qf->bgrace = le32_to_cpu(info->dqi_bgrace);
	qf->igrace = le32_to_cpu(info->dqi_igrace);
	qf->syncms = le32_to_cpu(info->dqi_syncms);
	if (le32_to_cpu(h->dqh_magic) == global_magic[qf->type] &&
	    le32_to_cpu(h->dqh_version) <= OCFS2_GLOBAL_QVERSION &&
	    blocks == qf->blocks && (!free_blk || ref_ok(qf, free_blk)) &&
	    (!free_entry || ref_ok(qf, free_entry)) &&
	    qblock_sound(ctx, qf->data))
		return;
	qf->header_bad = true;
	if (fix_problem(ctx, PR_QMAGIC_INVALID,
			"The %s quota file's header is damaged (magic 0x%x, version %u, %u blocks of %u); grace times %u s and %u s, sync %u ms; keep those times",
			qtype_name[qf->type], le32_to_cpu(h->dqh_magic),
			le32_to_cpu(h->dqh_version), blocks, qf->blocks,
			qf->bgrace, qf->igrace, qf->syncms)) {
		qf->rewrite = true;
		return;
	}
	qf->bgrace = qf->igrace = 7 * 24 * 3600;
	qf->syncms = OCFS2_DEF_QUOTA_SYNC_MS;
	if (!ctx->no)
		qf->rewrite = true;
}

static bool entry_unused(const struct ocfs2_global_disk_dqblk *d)
{
	static const struct ocfs2_global_disk_dqblk zero;

	return !memcmp(d, &zero, sizeof(zero));
}

static void keep_limits(struct qent *e, const struct ocfs2_global_disk_dqblk *d)
{
	e->on_disk = true;
	e->ihard = le64_to_cpu(d->dqb_ihardlimit);
	e->isoft = le64_to_cpu(d->dqb_isoftlimit);
	e->bhard = le64_to_cpu(d->dqb_bhardlimit);
	e->bsoft = le64_to_cpu(d->dqb_bsoftlimit);
	e->btime = le64_to_cpu(d->dqb_btime);
	e->itime = le64_to_cpu(d->dqb_itime);
	e->disk_space = le64_to_cpu(d->dqb_curspace);
	e->disk_inodes = le64_to_cpu(d->dqb_curinodes);
}

/* One entry of a data block: keep it unless it is doubtful and declined. */
static int take_entry(struct fsck_ctx *ctx, struct qfile *qf, u32 blk,
		      const struct ocfs2_global_disk_dqblk *d, bool sound)
{
	u32 id = le32_to_cpu(d->dqb_id);
	struct qent *e = qf_get(qf, id, false);
	const char *t = qtype_name[qf->type];
	bool keep;

	if (e && e->on_disk)
		keep = sound ?
			fix_problem(ctx, PR_DUP_DQBLK_VALID,
				    "The %s quota file holds id %u twice (again in block %u); use the limits found last (space %llu/%llu, inodes %llu/%llu)",
				    t, id, blk,
				    (unsigned long long)le64_to_cpu(d->dqb_bsoftlimit),
				    (unsigned long long)le64_to_cpu(d->dqb_bhardlimit),
				    (unsigned long long)le64_to_cpu(d->dqb_isoftlimit),
				    (unsigned long long)le64_to_cpu(d->dqb_ihardlimit)) :
			fix_problem(ctx, PR_DUP_DQBLK_INVALID,
				    "The %s quota file holds id %u again in damaged block %u; use those limits instead",
				    t, id, blk);
	else
		keep = sound || fix_problem(ctx, PR_DQBLK_INVALID,
				"The %s quota entry of id %u is in damaged block %u; use its limits (space %llu/%llu, inodes %llu/%llu)",
				t, id, blk,
				(unsigned long long)le64_to_cpu(d->dqb_bsoftlimit),
				(unsigned long long)le64_to_cpu(d->dqb_bhardlimit),
				(unsigned long long)le64_to_cpu(d->dqb_isoftlimit),
				(unsigned long long)le64_to_cpu(d->dqb_ihardlimit));
	if (!sound || (e && e->on_disk))
		qf->rewrite |= !ctx->no;
	if (!keep)
		return 0;
	e = qf_get(qf, id, true);
	if (!e)
		return -ENOMEM;
	keep_limits(e, d);
	return 0;
}

static int walk_data(struct fsck_ctx *ctx, struct qfile *qf, u32 blk)
{
	unsigned int bs = ctx->fs->bs, i, per = qf_entries_per_block(bs);
	char *buf = qblock(qf, bs, blk);
	struct ocfs2_qt_data_header *dh = (void *)buf;
	struct ocfs2_global_disk_dqblk *d = (void *)(dh + 1);
	u32 next = le32_to_cpu(dh->next_free), prev = le32_to_cpu(dh->prev_free);
	bool sound;
	int ret = 0;

	if (qf->seen[blk])
		return 0;
	qf->seen[blk] = 1;
	sound = qblock_sound(ctx, buf) && (!next || ref_ok(qf, next)) &&
		(!prev || ref_ok(qf, prev)) && le16_to_cpu(dh->entries) <= per;
	for (i = 0; i < per && !ret; i++)
		if (!entry_unused(&d[i]))
			ret = take_entry(ctx, qf, blk, &d[i], sound);
	return ret;
}

static int walk_tree(struct fsck_ctx *ctx, struct qfile *qf, u32 blk,
		     unsigned int depth)
{
	unsigned int bs = ctx->fs->bs, i;
	unsigned int refs = (bs - OCFS2_QBLK_RESERVED_SPACE) / 4;
	const __le32 *ref = (void *)qblock(qf, bs, blk);
	int ret = 0;

	if (qf->seen[blk])
		return 0;	/* a loop or a shared block: walked once */
	qf->seen[blk] = 1;
	if (!qblock_sound(ctx, (char *)ref)) {
		if (!fix_problem(ctx, PR_QTREE_BLK_INVALID,
				 "Block %u of the %s quota tree fails its checksum; follow its references anyway",
				 blk, qtype_name[qf->type]))
			return 0;
		qf->rewrite = true;
	}
	for (i = 0; i < refs && !ret; i++) {
		u32 r = le32_to_cpu(ref[i]);

		if (!r)
			continue;
		if (!ref_ok(qf, r)) {
			if (ctx->verbose)
				printf("ignoring %s quota reference %u in block %u\n",
				       qtype_name[qf->type], r, blk);
			qf->rewrite |= !ctx->no;
			continue;
		}
		ret = depth + 1 < ocfs2_qtree_depth(bs) ?
			walk_tree(ctx, qf, r, depth + 1) :
			walk_data(ctx, qf, r);
	}
	return ret;
}

static int load_file(struct fsck_ctx *ctx, struct qfile *qf)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 size;
	size_t got;
	int ret;

	ret = ocfs2_lookup_system_inode(fs, global_sys[qf->type], 0, &qf->ino);
	qf->di = io_alloc(fs->bs);
	if (ret || !qf->di)
		return ret ? ret : -ENOMEM;
	ret = ocfs2_read_inode(fs, qf->ino, qf->di);
	if (ret)
		return ret;
	size = le64_to_cpu(qf->di->i_size);
	if (size < 2ULL * fs->bs || size > QFILE_MAX_BYTES || size % fs->bs)
		return -EUCLEAN;
	qf->blocks = size / fs->bs;
	qf->data = calloc(1, size);
	qf->seen = calloc(1, qf->blocks);
	if (!qf->data || !qf->seen)
		return -ENOMEM;
	ret = ocfs2_file_read(fs, qf->di, qf->data, size, 0, &got);
	return ret ? ret : (got == size ? 0 : -EIO);
}

/* What every inode charges: the kernel charges its data clusters and,
 * for an indexed directory, the clusters of its index. */
static u64 charged_bytes(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
			 void *scratch)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_dx_root_block *dx = scratch;
	u64 bytes = (u64)le32_to_cpu(di->i_clusters) << fs->cbits;

	if ((le16_to_cpu(di->i_dyn_features) & OCFS2_INDEXED_DIR_FL) &&
	    !ocfs2_read_meta(fs, OCFS2_BLK_DX_ROOT,
			     le64_to_cpu(di->i_dx_root), dx) &&
	    !(dx->dr_flags & OCFS2_DX_FLAG_INLINE))
		bytes += (u64)le32_to_cpu(dx->dr_clusters) << fs->cbits;
	return bytes;
}

static int add_usage(struct qfile *qf, u32 id, u64 bytes)
{
	struct qent *e;

	if (!qf)
		return 0;
	e = qf_get(qf, id, true);
	if (!e)
		return -ENOMEM;
	e->space += bytes;
	e->inodes++;
	return 0;
}

static int compute_usage(struct fsck_ctx *ctx, struct qfile *usr,
			 struct qfile *grp)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	void *scratch = io_alloc(fs->bs);
	size_t i;
	int ret = di && scratch ? 0 : -ENOMEM;

	for (i = 0; i < ctx->inode_cap && !ret; i++) {
		u64 ino = ctx->inodes[i].blkno, bytes;

		if (!ino || (ctx->inodes[i].flags & II_BAD) ||
		    io_read_blocks(fs->io, ino, 1, di) ||
		    memcmp(di->i_signature, OCFS2_INODE_SIGNATURE, 8) ||
		    le32_to_cpu(di->i_fs_generation) != fs->fs_generation ||
		    !(le32_to_cpu(di->i_flags) & OCFS2_VALID_FL))
			continue;
		if ((le32_to_cpu(di->i_flags) & OCFS2_SYSTEM_FL) &&
		    ino != ctx->root)
			continue;
		bytes = charged_bytes(ctx, di, scratch);
		ret = add_usage(usr, le32_to_cpu(di->i_uid), bytes);
		if (!ret)
			ret = add_usage(grp, le32_to_cpu(di->i_gid), bytes);
	}
	free(di);
	free(scratch);
	return ret;
}

/*
 * Stock mkfs.ocfs2 charges id 0 with one inode, the root directory, and
 * not lost+found, and the kernel carries that offset forever: one inode
 * short for id 0 is how every stock-made volume looks, not damage.
 */
static bool usage_agrees(const struct qent *e)
{
	if (e->disk_space != e->space)
		return false;
	return e->disk_inodes == e->inodes ||
	       (e->id == 0 && e->disk_inodes + 1 == e->inodes);
}

static void check_usage(struct fsck_ctx *ctx, struct qfile *qf)
{
	size_t i;

	for (i = 0; i < qf->cap; i++) {
		struct qent *e = &qf->tab[i];

		if (!e->used || usage_agrees(e))
			continue;
		if (!e->on_disk && !e->space && !e->inodes)
			continue;
		if (fix_problem(ctx, PR_QUOTA_USAGE,
				"The %s quota file charges id %u with %llu bytes and %llu inodes; its files use %llu bytes and %llu inodes",
				qtype_name[qf->type], e->id,
				(unsigned long long)e->disk_space,
				(unsigned long long)e->disk_inodes,
				(unsigned long long)e->space,
				(unsigned long long)e->inodes))
			qf->rewrite = true;
	}
}

static void qfile_free(struct qfile *qf)
{
	free(qf->di);
	free(qf->data);
	free(qf->seen);
	free(qf->tab);
}

static int load_type(struct fsck_ctx *ctx, struct qfile *qf, int type)
{
	int ret;

	qf->type = type;
	ret = qf_grow(qf);
	if (!ret)
		ret = load_file(ctx, qf);
	if (ret == -EUCLEAN || ret == -ENOENT) {
		fprintf(stderr, "fsck.ocfs2: the global %s quota file is missing or unreadable; its limits are not checked\n",
			qtype_name[type]);
		return ret;
	}
	if (ret)
		return ret;
	check_header(ctx, qf);
	return walk_tree(ctx, qf, QT_TREEOFF, 0);
}

int fsck_pass5(struct fsck_ctx *ctx)
{
	static const u32 feat[] = { OCFS2_FEATURE_RO_COMPAT_USRQUOTA,
				    OCFS2_FEATURE_RO_COMPAT_GRPQUOTA };
	struct qfile qf[2] = { 0 };
	bool have[2];
	int t, ret = 0;

	for (t = 0; t < 2; t++)
		have[t] = ocfs2_has_ro_compat(ctx->fs, feat[t]);
	if (!have[0] && !have[1])
		return 0;
	printf("Pass 5: Checking quota information\n");
	for (t = 0; t < 2 && !ret; t++) {
		if (!have[t])
			continue;
		ret = load_type(ctx, &qf[t], t);
		if (ret == -EUCLEAN || ret == -ENOENT) {
			have[t] = false;
			ret = 0;
		}
	}
	if (!ret)
		ret = compute_usage(ctx, have[0] ? &qf[0] : NULL,
				    have[1] ? &qf[1] : NULL);
	for (t = 0; t < 2 && !ret; t++) {
		if (!have[t])
			continue;
		check_usage(ctx, &qf[t]);
		if (qf[t].rewrite && !ctx->no)
			ret = fsck_quota_write(ctx, &qf[t]);
	}
	qfile_free(&qf[0]);
	qfile_free(&qf[1]);
	return ret;
}
