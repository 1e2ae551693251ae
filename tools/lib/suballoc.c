// SPDX-License-Identifier: GPL-2.0
/*
 * Suballocators of an unmounted volume (global_inode_alloc, a slot's
 * inode_alloc or extent_alloc): take a free bit, growing the allocator by
 * a new group of clusters from the global bitmap when it is full.
 */
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

struct take_ctx {
	u64 blkno;
	u16 bit;
	bool found;
	u64 gd_blkno;
};

static int find_free(struct ocfs2_fs *fs, int chain,
		     struct ocfs2_group_desc *gd, void *data)
{
	struct take_ctx *t = data;
	unsigned int b;

	(void)fs; (void)chain;
	if (!le16_to_cpu(gd->bg_free_bits_count) || gd->bg_list.l_next_free_rec)
		return 0;	/* full, or discontiguous: keep it simple */
	for (b = 1; b < le16_to_cpu(gd->bg_bits); b++) {
		if (ocfs2_group_test_bit(gd, b))
			continue;
		t->gd_blkno = le64_to_cpu(gd->bg_blkno);
		t->blkno = t->gd_blkno + b;
		t->bit = (u16)b;
		t->found = true;
		return 1;
	}
	return 0;
}

static int mark_bit(struct ocfs2_fs *fs, struct ocfs2_dinode *di, u64 alloc,
		    struct take_ctx *t)
{
	struct ocfs2_group_desc *gd = io_alloc(fs->bs);
	int ret;

	if (!gd)
		return -ENOMEM;
	ret = ocfs2_read_meta(fs, OCFS2_BLK_GROUP, t->gd_blkno, gd);
	if (!ret) {
		u16 chain = le16_to_cpu(gd->bg_chain);

		ocfs2_group_set_bit(gd, t->bit);
		le32_add_cpu(&di->id2.i_chain.cl_recs[chain].c_free, -1);
		le32_add_cpu(&di->id1.bitmap1.i_used, 1);
		ret = ocfs2_write_meta(fs, OCFS2_BLK_GROUP, t->gd_blkno, gd);
	}
	if (!ret)
		ret = ocfs2_write_inode(fs, alloc, di);
	free(gd);
	return ret;
}

/* Add a group of cl_cpg clusters to allocator @di, as its own chain. */
static int grow(struct ocfs2_fs *fs, struct ocfs2_dinode *di, u64 alloc)
{
	struct ocfs2_chain_list *cl = &di->id2.i_chain;
	u16 cpg = le16_to_cpu(cl->cl_cpg), bpc = le16_to_cpu(cl->cl_bpc);
	u16 chain = le16_to_cpu(cl->cl_next_free_rec);
	struct ocfs2_group_desc *gd;
	struct ocfs2_chain_rec *rec;
	u32 start, got;
	u64 blkno;
	int ret;

	if (!cpg || !bpc)
		return -EUCLEAN;
	if (chain >= le16_to_cpu(cl->cl_count))
		chain = 0;	/* all chains used: put it at the head of 0 */
	ret = ocfs2_alloc_clusters(fs, cpg, &start, &got);
	if (ret)
		return ret;
	if (got != cpg) {
		while (got--)
			ocfs2_cluster_set(fs, start + got, false);
		return -ENOSPC;
	}
	blkno = ocfs2_clusters_to_blocks(fs, start);
	ret = io_zero(fs->io, blkno << fs->bbits, (u64)cpg << fs->cbits);
	gd = io_alloc(fs->bs);
	if (!ret && !gd)
		ret = -ENOMEM;
	if (ret)
		goto out;
	rec = &cl->cl_recs[chain];
	ocfs2_group_init(fs, gd, blkno, alloc, chain, cpg * bpc,
			 ocfs2_group_bitmap_size(fs->bs, 1,
				le32_to_cpu(fs->sb->s_feature_incompat)));
	ocfs2_group_set_bit(gd, 0);
	gd->bg_next_group = rec->c_blkno;
	ret = ocfs2_write_meta(fs, OCFS2_BLK_GROUP, blkno, gd);
	if (ret)
		goto out;
	rec->c_blkno = cpu_to_le64(blkno);
	le32_add_cpu(&rec->c_total, cpg * bpc);
	le32_add_cpu(&rec->c_free, cpg * bpc - 1);
	if (chain == le16_to_cpu(cl->cl_next_free_rec))
		le16_add_cpu(&cl->cl_next_free_rec, 1);
	le32_add_cpu(&di->id1.bitmap1.i_total, cpg * bpc);
	le32_add_cpu(&di->id1.bitmap1.i_used, 1);
	le32_add_cpu(&di->i_clusters, cpg);
	le64_add_cpu(&di->i_size, (u64)cpg << fs->cbits);
	ret = ocfs2_write_inode(fs, alloc, di);
out:
	free(gd);
	return ret;
}

int ocfs2_suballoc_take(struct ocfs2_fs *fs, u64 alloc, u64 *blkno, u16 *bit)
{
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	struct take_ctx t = { 0 };
	int ret, tries;

	if (!di)
		return -ENOMEM;
	for (tries = 0; tries < 2; tries++) {
		ret = ocfs2_read_inode(fs, alloc, di);
		if (ret)
			break;
		ret = ocfs2_chain_iterate(fs, di, find_free, &t);
		if (ret || t.found)
			break;
		ret = grow(fs, di, alloc);
		if (ret)
			break;
	}
	if (!ret && !t.found)
		ret = -ENOSPC;
	if (!ret)
		ret = mark_bit(fs, di, alloc, &t);
	if (!ret) {
		*blkno = t.blkno;
		*bit = t.bit;
	}
	free(di);
	return ret;
}
