// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2 refcount: a file's refcount tree (or a refcount block
 * named by number), printed as stock prints it.  A tree deeper than one
 * leaf prints its root (with -e, its extent tree) and then every leaf,
 * from the highest physical cluster down, as stock walks it.
 */
#include <stdlib.h>
#include <string.h>
#include "debugfs.h"

static void print_rb_head(const struct ocfs2_refcount_block *rb)
{
	u32 fl = le32_to_cpu(rb->rf_flags);

	printf("\tSubAlloc Bit: %u   SubAlloc Slot: %u\n",
	       le16_to_cpu(rb->rf_suballoc_bit),
	       le16_to_cpu(rb->rf_suballoc_slot));
	printf("\tFS Generation: %u (0x%x)\n",
	       le32_to_cpu(rb->rf_fs_generation),
	       le32_to_cpu(rb->rf_fs_generation));
	printf("\tBlknum: %llu   Parent: %llu\n",
	       (unsigned long long)le64_to_cpu(rb->rf_blkno),
	       (unsigned long long)le64_to_cpu(rb->rf_parent));
	printf("\tCpos: %u   Last Leaf block: %llu\n", le32_to_cpu(rb->rf_cpos),
	       (unsigned long long)le64_to_cpu(rb->rf_last_eb_blk));
	printf("\tReftree Count: %u   Ref clusters: %u\n",
	       le32_to_cpu(rb->rf_count), le32_to_cpu(rb->rf_clusters));
	/* the names joined by spaces, none after the last (as stock) */
	printf("\tFlags: 0x%x %s%s%s\n", fl,
	       fl & OCFS2_REFCOUNT_LEAF_FL ? "Leaf" : "",
	       (fl & OCFS2_REFCOUNT_LEAF_FL) && (fl & OCFS2_REFCOUNT_TREE_FL) ?
	       " " : "", fl & OCFS2_REFCOUNT_TREE_FL ? "Tree" : "");
	printf("\tCRC32: %08x   ECC: %04x\n", le32_to_cpu(rb->rf_check.bc_crc32e),
	       le16_to_cpu(rb->rf_check.bc_ecc));
}

static void print_rb_records(const struct ocfs2_refcount_block *rb)
{
	const struct ocfs2_refcount_list *rl = &rb->rf_records;
	unsigned int i, n = le16_to_cpu(rl->rl_used);

	printf("\tRefcount records: %u   Used: %u\n", le16_to_cpu(rl->rl_count),
	       n);
	printf("\t### Physical cpos          Clusters       Reference count\n");
	if (n > ocfs2_refcount_recs_per_rb(dbg.fs->bs))
		n = ocfs2_refcount_recs_per_rb(dbg.fs->bs);
	for (i = 0; i < n; i++)
		printf("\t%-3u %-22llu %-14u %u\n", i,
		       (unsigned long long)le64_to_cpu(rl->rl_recs[i].r_cpos),
		       le32_to_cpu(rl->rl_recs[i].r_clusters),
		       le32_to_cpu(rl->rl_recs[i].r_refcount));
}

static int read_rb(const char *cmd, u64 blk, struct ocfs2_refcount_block *rb)
{
	int ret = ocfs2_read_meta(dbg.fs, OCFS2_BLK_REFCOUNT, blk, rb);

	if (!ret && memcmp(rb->rf_signature, OCFS2_REFCOUNT_BLOCK_SIGNATURE,
			   OCFS2_SIGNATURE_LEN))
		ret = -EUCLEAN;
	if (ret)
		fprintf(stderr, "%s: Bad magic number in extent block while reading refcount block %llu\n",
			cmd, (unsigned long long)blk);
	return ret;
}

struct leaf_ref {
	u32 cpos;
	u64 blkno;
};

struct leaf_list {
	struct leaf_ref *v;
	size_t n, cap;
};

static int collect_leaf(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *r,
			int depth, u64 owner, void *data)
{
	struct leaf_list *l = data;

	(void)fs; (void)owner;
	if (depth)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct leaf_ref *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].cpos = le32_to_cpu(r->e_cpos);
	l->v[l->n++].blkno = le64_to_cpu(r->e_blkno);
	return 0;
}

/* the leaf whose range holds @cpos: the highest start at or below it */
static const struct leaf_ref *leaf_at(const struct leaf_list *l, u32 cpos)
{
	const struct leaf_ref *best = NULL;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].cpos <= cpos && (!best || l->v[i].cpos > best->cpos))
			best = &l->v[i];
	return best;
}

/* Every leaf, from the one holding the highest cluster down. */
static void print_leaves(struct ocfs2_refcount_block *root, u64 root_blk)
{
	struct ocfs2_refcount_block *rb = io_alloc(dbg.fs->bs);
	struct leaf_list l = { 0 };
	const struct leaf_ref *leaf;
	u32 cpos = 0xffffffffU;
	size_t steps = 0;

	if (rb && !ocfs2_extent_iterate(dbg.fs, &root->rf_list, root_blk,
					collect_leaf, &l)) {
		while ((leaf = leaf_at(&l, cpos)) && steps++ < l.n) {
			if (read_rb("refcount", leaf->blkno, rb))
				break;
			print_rb_head(rb);
			print_rb_records(rb);
			if (!leaf->cpos)
				break;
			cpos = leaf->cpos - 1;
		}
	}
	free(l.v);
	free(rb);
}

int dbg_cmd_refcount(int argc, char **argv)
{
	struct ocfs2_refcount_block *rb;
	const char *spec = NULL;
	bool extent_tree = false;
	u64 blk;
	int i, ret = -EINVAL;

	if (dbg_need_fs(argv[0]))
		return -ENODEV;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-e"))
			spec = argv[i];
		else
			extent_tree = true;
	if (!spec) {
		fprintf(stderr, "usage: refcount [-e] <filespec>\n");
		return -EINVAL;
	}
	if (dbg_resolve(argv[0], spec, &blk))
		return -ENOENT;
	if (blk >= dbg.fs->blocks) {
		fprintf(stderr, "%s: Invalid block number - %llu\n", argv[0],
			(unsigned long long)blk);
		return -EINVAL;
	}
	rb = io_alloc(dbg.fs->bs);
	if (!rb)
		return -ENOMEM;
	if (io_read_blocks(dbg.fs->io, blk, 1, rb))
		goto out;
	if (!memcmp(rb, OCFS2_INODE_SIGNATURE, OCFS2_SIGNATURE_LEN)) {
		struct ocfs2_dinode *di = (void *)rb;

		if (!(le16_to_cpu(di->i_dyn_features) & OCFS2_HAS_REFCOUNT_FL)) {
			fprintf(stderr, "%s: Inode %llu does not have a refcount tree\n",
				argv[0], (unsigned long long)blk);
			goto out;
		}
		blk = le64_to_cpu(di->i_refcount_loc);
	}
	if (read_rb(argv[0], blk, rb))
		goto out;
	print_rb_head(rb);
	ret = 0;
	if (!(le32_to_cpu(rb->rf_flags) & OCFS2_REFCOUNT_TREE_FL)) {
		print_rb_records(rb);
		goto out;
	}
	if (extent_tree) {
		printf("\tExtent tree in refcount block %llu\n\tDepth: %u  Records: %u\n",
		       (unsigned long long)le64_to_cpu(rb->rf_blkno),
		       le16_to_cpu(rb->rf_list.l_tree_depth),
		       le16_to_cpu(rb->rf_list.l_next_free_rec));
		ocfs2_print_extent_tree(stdout, dbg.fs, &rb->rf_list);
	}
	print_leaves(rb, blk);
out:
	free(rb);
	return ret;
}
