// SPDX-License-Identifier: GPL-2.0
/*
 * Chain allocators: the global bitmap and the inode/extent suballocators
 * keep chains of group descriptors, each with a bitmap of its bits.
 */
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

/* Bits in a cluster group: the whole block after the descriptor header. */
unsigned int ocfs2_cluster_group_bits(unsigned int blocksize)
{
	return 8 * ocfs2_group_bitmap_size(blocksize, 0, 0);
}

void ocfs2_group_init(struct ocfs2_fs *fs, struct ocfs2_group_desc *gd,
		      u64 blkno, u64 parent, u16 chain, u16 bits,
		      u16 bitmap_bytes)
{
	memset(gd, 0, fs->bs);
	memcpy(gd->bg_signature, OCFS2_GROUP_DESC_SIGNATURE,
	       sizeof(OCFS2_GROUP_DESC_SIGNATURE));
	gd->bg_generation = cpu_to_le32(fs->fs_generation);
	gd->bg_size = cpu_to_le16(bitmap_bytes);
	gd->bg_bits = cpu_to_le16(bits);
	gd->bg_free_bits_count = cpu_to_le16(bits);
	gd->bg_chain = cpu_to_le16(chain);
	gd->bg_parent_dinode = cpu_to_le64(parent);
	gd->bg_blkno = cpu_to_le64(blkno);
}

void ocfs2_group_set_bit(struct ocfs2_group_desc *gd, unsigned int bit)
{
	if (ocfs2_group_test_bit(gd, bit))
		return;
	gd->bg_bitmap[bit >> 3] |= 1U << (bit & 7);
	le16_add_cpu(&gd->bg_free_bits_count, -1);
}

int ocfs2_group_test_bit(const struct ocfs2_group_desc *gd, unsigned int bit)
{
	return (gd->bg_bitmap[bit >> 3] >> (bit & 7)) & 1;
}

unsigned int ocfs2_group_count_free(const struct ocfs2_group_desc *gd)
{
	unsigned int bit, n = 0, bits = le16_to_cpu(gd->bg_bits);

	for (bit = 0; bit < bits; bit++)
		n += !ocfs2_group_test_bit(gd, bit);
	return n;
}

/*
 * Visit every group of every chain of allocator @di.  A chain longer than
 * the volume has groups must loop, so the walk stops there with -ELOOP.
 */
int ocfs2_chain_iterate(struct ocfs2_fs *fs, struct ocfs2_dinode *di,
			ocfs2_group_fn fn, void *ctx)
{
	struct ocfs2_chain_list *cl = &di->id2.i_chain;
	u16 i, used = le16_to_cpu(cl->cl_next_free_rec);
	u16 cpg = le16_to_cpu(cl->cl_cpg);
	u64 max_groups = fs->blocks / 2 + 1;
	struct ocfs2_group_desc *gd;
	int ret = 0;

	/*
	 * A chain cannot hold more groups than the volume has room for;
	 * the tighter bound ends a looping chain quickly.
	 */
	if (cpg && fs->clusters / cpg + 1 < max_groups)
		max_groups = fs->clusters / cpg + 1;

	if (used > le16_to_cpu(cl->cl_count) ||
	    used > ocfs2_chain_recs_per_inode(fs->bs))
		return -EUCLEAN;
	gd = io_alloc(fs->bs);
	if (!gd)
		return -ENOMEM;
	for (i = 0; i < used && !ret; i++) {
		u64 blkno = le64_to_cpu(cl->cl_recs[i].c_blkno);
		u64 seen = 0;

		while (blkno && !ret) {
			if (++seen > max_groups) {
				ret = -ELOOP;
				break;
			}
			ret = ocfs2_read_meta(fs, OCFS2_BLK_GROUP, blkno, gd);
			if (!ret)
				ret = fn(fs, i, gd, ctx);
			if (le64_to_cpu(gd->bg_next_group) == blkno) {
				ret = ret ? ret : -ELOOP;
				break;
			}
			blkno = le64_to_cpu(gd->bg_next_group);
		}
	}
	free(gd);
	return ret > 0 ? 0 : ret;
}
