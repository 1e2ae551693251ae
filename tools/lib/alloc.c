// SPDX-License-Identifier: GPL-2.0
/*
 * Changing the global bitmap of a volume that is not mounted: test, set
 * and clear the bit of a cluster, and take runs of free clusters, keeping
 * the group, chain and inode counts in step.
 */
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

struct bitmap_ctx {
	struct ocfs2_dinode *di;	/* global_bitmap inode */
	struct ocfs2_group_desc *gd;
	u64 di_blkno;
	u64 gd_blkno;
	u32 cpg;
};

static int bitmap_open(struct ocfs2_fs *fs, struct bitmap_ctx *b)
{
	int ret;

	memset(b, 0, sizeof(*b));
	b->di = io_alloc(fs->bs);
	b->gd = io_alloc(fs->bs);
	if (!b->di || !b->gd)
		return -ENOMEM;
	ret = ocfs2_lookup_system_inode(fs, GLOBAL_BITMAP_SYSTEM_INODE, 0,
					&b->di_blkno);
	if (!ret)
		ret = ocfs2_read_inode(fs, b->di_blkno, b->di);
	b->cpg = le16_to_cpu(b->di->id2.i_chain.cl_cpg);
	if (!ret && !b->cpg)
		ret = -EUCLEAN;
	return ret;
}

static void bitmap_close(struct bitmap_ctx *b)
{
	free(b->di);
	free(b->gd);
}

static u64 group_blkno(struct ocfs2_fs *fs, struct bitmap_ctx *b, u32 g)
{
	if (!g)
		return le64_to_cpu(fs->sb->s_first_cluster_group);
	return ocfs2_clusters_to_blocks(fs, g * b->cpg);
}

static int load_group(struct ocfs2_fs *fs, struct bitmap_ctx *b, u32 g)
{
	u64 blkno = group_blkno(fs, b, g);
	int ret;

	if (b->gd_blkno == blkno)
		return 0;
	ret = ocfs2_read_meta(fs, OCFS2_BLK_GROUP, blkno, b->gd);
	if (!ret)
		b->gd_blkno = blkno;
	return ret;
}

/* Set (@used) or clear cluster @c's bit; no-op if already so. */
static int change_bit(struct ocfs2_fs *fs, struct bitmap_ctx *b, u32 c,
		      bool used)
{
	unsigned int bit = c % b->cpg;
	u16 chain;
	int ret;

	ret = load_group(fs, b, c / b->cpg);
	if (ret)
		return ret;
	if (bit >= le16_to_cpu(b->gd->bg_bits))
		return -ERANGE;
	if (ocfs2_group_test_bit(b->gd, bit) == used)
		return 0;
	chain = le16_to_cpu(b->gd->bg_chain);
	if (chain >= le16_to_cpu(b->di->id2.i_chain.cl_next_free_rec))
		return -EUCLEAN;
	b->gd->bg_bitmap[bit >> 3] ^= 1U << (bit & 7);
	le16_add_cpu(&b->gd->bg_free_bits_count, used ? -1 : 1);
	le32_add_cpu(&b->di->id2.i_chain.cl_recs[chain].c_free,
		     used ? -1 : 1);
	le32_add_cpu(&b->di->id1.bitmap1.i_used, used ? 1 : -1);
	ret = ocfs2_write_meta(fs, OCFS2_BLK_GROUP, b->gd_blkno, b->gd);
	return ret ? ret : ocfs2_write_inode(fs, b->di_blkno, b->di);
}

int ocfs2_cluster_test(struct ocfs2_fs *fs, u32 c, bool *used)
{
	struct bitmap_ctx b;
	int ret = bitmap_open(fs, &b);

	if (!ret && c >= fs->clusters)
		ret = -ERANGE;
	if (!ret)
		ret = load_group(fs, &b, c / b.cpg);
	if (!ret)
		*used = ocfs2_group_test_bit(b.gd, c % b.cpg);
	bitmap_close(&b);
	return ret;
}

int ocfs2_cluster_set(struct ocfs2_fs *fs, u32 c, bool used)
{
	struct bitmap_ctx b;
	int ret = bitmap_open(fs, &b);

	if (!ret && c >= fs->clusters)
		ret = -ERANGE;
	if (!ret)
		ret = change_bit(fs, &b, c, used);
	bitmap_close(&b);
	return ret;
}

/*
 * Take up to @want free clusters in one run: the run that starts at the
 * first free cluster of the volume.  *@got says how many were taken.
 */
int ocfs2_alloc_clusters(struct ocfs2_fs *fs, u32 want, u32 *start, u32 *got)
{
	struct bitmap_ctx b;
	u32 c, run = 0, i;
	int ret = bitmap_open(fs, &b);

	*got = 0;
	for (c = 0; !ret && c < fs->clusters && run < want; c++) {
		ret = load_group(fs, &b, c / b.cpg);
		if (ret)
			break;
		if (ocfs2_group_test_bit(b.gd, c % b.cpg)) {
			if (run)
				break;	/* the first free run ends here */
			continue;
		}
		if (!run)
			*start = c;
		run++;
	}
	if (!ret && !run)
		ret = -ENOSPC;
	for (i = 0; !ret && i < run; i++)
		ret = change_bit(fs, &b, *start + i, true);
	if (!ret)
		*got = run;
	bitmap_close(&b);
	return ret;
}
