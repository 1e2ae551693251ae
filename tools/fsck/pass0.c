// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 0: the chain allocators (global bitmap, global inode allocator,
 * each slot's inode and extent allocators).  Walk every chain, check each
 * group descriptor and the counts that summarise it, remember the groups
 * and the inodes and extent blocks they say are allocated.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

struct chain_walk {
	struct fsck_ctx *ctx;
	struct ocfs2_dinode *di;	/* the allocator inode */
	u64 blkno;
	u8 kind;
	u16 slot;			/* whose allocator (0xffff global) */
	bool dirty;			/* allocator inode needs writing */
	u64 total, used;		/* summed over all groups */
	u64 *seen;
	size_t nseen, seen_cap;
};

static bool seen_before(struct chain_walk *w, u64 blkno)
{
	size_t i;

	for (i = 0; i < w->nseen; i++)
		if (w->seen[i] == blkno)
			return true;
	if (w->nseen == w->seen_cap) {
		size_t cap = w->seen_cap ? w->seen_cap * 2 : 64;
		u64 *n = realloc(w->seen, cap * sizeof(*n));

		if (!n)
			return true;	/* out of memory: stop walking */
		w->seen = n;
		w->seen_cap = cap;
	}
	w->seen[w->nseen++] = blkno;
	return false;
}

static bool group_is_discontig(struct ocfs2_fs *fs,
			       struct ocfs2_group_desc *gd)
{
	return fs->bs >= 1024 &&
	       le16_to_cpu(gd->bg_size) == OCFS2_MAX_BG_BITMAP_SIZE &&
	       gd->bg_list.l_next_free_rec;
}

/*
 * Block that bit @bit of a suballocator group stands for.  @blkno is where
 * the group was read from: under -n a wrong bg_blkno stays on disk, and
 * trusting it would invent clusters claimed twice.
 */
static u64 group_bit_block(struct ocfs2_fs *fs, struct ocfs2_group_desc *gd,
			   u64 blkno, unsigned int bit, u16 bpc)
{
	struct ocfs2_extent_list *el = &gd->bg_list;
	u16 i, used;

	if (!group_is_discontig(fs, gd))
		return blkno + bit;
	used = le16_to_cpu(el->l_next_free_rec);
	if (used > ocfs2_extent_recs_per_gd(fs->bs))
		return 0;
	for (i = 0; i < used; i++) {
		u32 bits = le16_to_cpu(el->l_recs[i].e_leaf_clusters) * bpc;

		if (bit < bits)
			return le64_to_cpu(el->l_recs[i].e_blkno) + bit;
		bit -= bits;
	}
	return 0;
}

static void mark_discontig(struct fsck_ctx *ctx, struct ocfs2_group_desc *gd)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_extent_list *el = &gd->bg_list;
	u16 i, used = le16_to_cpu(el->l_next_free_rec);

	if (used > ocfs2_extent_recs_per_gd(fs->bs))
		used = ocfs2_extent_recs_per_gd(fs->bs);
	for (i = 0; i < used; i++) {
		u64 blk = le64_to_cpu(el->l_recs[i].e_blkno);

		if (blk < fs->blocks)
			cmap_mark(ctx, ocfs2_blocks_to_clusters(fs, blk),
				  le16_to_cpu(el->l_recs[i].e_leaf_clusters));
	}
}

/* What a group's set bits mean: clusters in use, inodes, extent blocks. */
static void record_group(struct chain_walk *w, struct ocfs2_group_desc *gd,
			 u64 blkno)
{
	struct fsck_ctx *ctx = w->ctx;
	struct ocfs2_fs *fs = ctx->fs;
	u16 bpc = le16_to_cpu(w->di->id2.i_chain.cl_bpc);
	unsigned int bit, bits = le16_to_cpu(gd->bg_bits);
	struct group_ref g = {
		.blkno = blkno, .alloc = w->blkno,
		.chain = le16_to_cpu(gd->bg_chain), .bits = (u16)bits,
		.kind = w->kind,
	};

	group_add(ctx, &g);
	if (w->kind == GR_CLUSTER)
		return;
	/* a suballocator group occupies whole clusters, maybe scattered */
	if (group_is_discontig(fs, gd))
		mark_discontig(ctx, gd);
	else if (bpc)
		cmap_mark(ctx, ocfs2_blocks_to_clusters(fs, g.blkno),
			  (bits + bpc - 1) / bpc);
	for (bit = 1; bit < bits; bit++) {
		u64 b;

		if (!ocfs2_group_test_bit(gd, bit))
			continue;
		b = group_bit_block(fs, gd, g.blkno, bit, bpc);
		if (!b)
			continue;
		if (w->kind == GR_EXTENT) {
			eb_add(ctx, b);
		} else {
			struct inode_info *ii = ii_get(ctx, b, true);

			if (ii)
				ii->slot = w->slot;
		}
	}
}

static void check_group_fields(struct chain_walk *w,
			       struct ocfs2_group_desc *gd, u64 blkno,
			       u16 chain)
{
	struct fsck_ctx *ctx = w->ctx;
	unsigned int free_bits = ocfs2_group_count_free(gd);
	bool dirty = false;

	if (le64_to_cpu(gd->bg_blkno) != blkno &&
	    fix_problem(ctx, PR_GROUP_BLKNO,
			"Group descriptor at block %llu records block %llu",
			(unsigned long long)blkno,
			(unsigned long long)le64_to_cpu(gd->bg_blkno))) {
		gd->bg_blkno = cpu_to_le64(blkno);
		dirty = true;
	}
	if (le64_to_cpu(gd->bg_parent_dinode) != w->blkno &&
	    fix_problem(ctx, PR_GROUP_PARENT,
			"Group descriptor at block %llu is referenced by inode %llu but thinks its parent is %llu",
			(unsigned long long)blkno,
			(unsigned long long)w->blkno,
			(unsigned long long)le64_to_cpu(gd->bg_parent_dinode))) {
		gd->bg_parent_dinode = cpu_to_le64(w->blkno);
		dirty = true;
	}
	if (le16_to_cpu(gd->bg_chain) != chain &&
	    fix_problem(ctx, PR_GROUP_CHAIN,
			"Group descriptor at block %llu is in chain %u but records chain %u",
			(unsigned long long)blkno, chain,
			le16_to_cpu(gd->bg_chain))) {
		gd->bg_chain = cpu_to_le16(chain);
		dirty = true;
	}
	if (le16_to_cpu(gd->bg_free_bits_count) != free_bits &&
	    fix_problem(ctx, PR_GROUP_FREE_BITS,
			"Group descriptor at block %llu claims %u free bits but its bitmap has %u",
			(unsigned long long)blkno,
			le16_to_cpu(gd->bg_free_bits_count), free_bits)) {
		gd->bg_free_bits_count = cpu_to_le16(free_bits);
		dirty = true;
	}
	if (dirty)
		fsck_write(ctx, OCFS2_BLK_GROUP, blkno, gd);
}

/* Read a group for the chain walk; 1 = chain ends here (truncated). */
static int read_group(struct chain_walk *w, u64 blkno, u64 prev, u16 chain,
		      struct ocfs2_group_desc *gd)
{
	struct fsck_ctx *ctx = w->ctx;
	struct ocfs2_fs *fs = ctx->fs;
	int ret;

	if ((blkno <= OCFS2_SUPER_BLOCK_BLKNO || blkno >= fs->blocks) && !prev)
		return fix_problem(ctx, PR_CHAIN_HEAD_LINK_RANGE,
				   "Chain %u of allocator %llu starts at block %llu, outside the volume",
				   chain, (unsigned long long)w->blkno,
				   (unsigned long long)blkno) ? 1 : -EUCLEAN;
	if (blkno <= OCFS2_SUPER_BLOCK_BLKNO || blkno >= fs->blocks)
		return fix_problem(ctx, PR_CHAIN_LINK_RANGE,
				   "Chain %u of allocator %llu links (after block %llu) to block %llu, outside the volume",
				   chain, (unsigned long long)w->blkno,
				   (unsigned long long)prev,
				   (unsigned long long)blkno) ? 1 : -EUCLEAN;
	if (seen_before(w, blkno))
		return fix_problem(ctx, PR_GROUP_CHAIN_LOOP,
				   "Chain %u of allocator %llu loops back to group %llu",
				   chain, (unsigned long long)w->blkno,
				   (unsigned long long)blkno) ? 1 : -ELOOP;
	ret = io_read_blocks(fs->io, blkno, 1, gd);
	if (ret)
		return ret;
	if (memcmp(gd->bg_signature, OCFS2_GROUP_DESC_SIGNATURE,
		   sizeof(OCFS2_GROUP_DESC_SIGNATURE)))
		return fix_problem(ctx, PR_CHAIN_LINK_MAGIC,
				   "Chain %u of allocator %llu links to block %llu which is not a group descriptor",
				   chain, (unsigned long long)w->blkno,
				   (unsigned long long)blkno) ? 1 : -EUCLEAN;
	if (le32_to_cpu(gd->bg_generation) != fs->fs_generation)
		return fix_problem(ctx, PR_CHAIN_LINK_GEN,
				   "Group descriptor at block %llu has generation %u, the volume %u",
				   (unsigned long long)blkno,
				   le32_to_cpu(gd->bg_generation),
				   fs->fs_generation) ? 1 : -EUCLEAN;
	if (le16_to_cpu(gd->bg_bits) > 8 * le16_to_cpu(gd->bg_size) ||
	    le16_to_cpu(gd->bg_size) > fs->bs - 64)
		return fix_problem(ctx, PR_CHAIN_LINK_MAGIC,
				   "Group descriptor at block %llu claims %u bits in a %u-byte bitmap",
				   (unsigned long long)blkno,
				   le16_to_cpu(gd->bg_bits),
				   le16_to_cpu(gd->bg_size)) ? 1 : -EUCLEAN;
	if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_META_ECC) &&
	    ocfs2_block_check_validate(gd, fs->bs, &gd->bg_check) < 0 &&
	    fix_problem(ctx, PR_BAD_CRC32,
			"Group descriptor at block %llu fails its checksum",
			(unsigned long long)blkno))
		fsck_write(ctx, OCFS2_BLK_GROUP, blkno, gd);
	return 0;
}

/* Cut the chain after @prev (or empty the chain record). */
static void truncate_chain(struct chain_walk *w, u16 chain, u64 prev,
			   struct ocfs2_group_desc *gd)
{
	struct ocfs2_fs *fs = w->ctx->fs;

	if (!prev) {
		w->di->id2.i_chain.cl_recs[chain].c_blkno = 0;
		w->dirty = true;
		return;
	}
	if (io_read_blocks(fs->io, prev, 1, gd))
		return;
	gd->bg_next_group = 0;
	fsck_write(w->ctx, OCFS2_BLK_GROUP, prev, gd);
}

static int walk_chain(struct chain_walk *w, u16 chain,
		      struct ocfs2_group_desc *gd)
{
	struct ocfs2_chain_rec *rec = &w->di->id2.i_chain.cl_recs[chain];
	u64 blkno = le64_to_cpu(rec->c_blkno), prev = 0;
	u32 total = 0, free_bits = 0;
	int ret = 0;

	while (blkno) {
		ret = read_group(w, blkno, prev, chain, gd);
		if (ret == 1) {
			truncate_chain(w, chain, prev, gd);
			ret = 0;
			break;
		}
		if (ret)
			break;
		check_group_fields(w, gd, blkno, chain);
		record_group(w, gd, blkno);
		total += le16_to_cpu(gd->bg_bits);
		free_bits += le16_to_cpu(gd->bg_free_bits_count);
		prev = blkno;
		blkno = le64_to_cpu(gd->bg_next_group);
	}
	if ((le32_to_cpu(rec->c_total) != total ||
	     le32_to_cpu(rec->c_free) != free_bits) &&
	    fix_problem(w->ctx, PR_CHAIN_BITS,
			"Chain %u in allocator inode %llu has %u bits marked free out of %u total bits but the block groups in the chain have %u free out of %u total",
			chain, (unsigned long long)w->blkno,
			le32_to_cpu(rec->c_free), le32_to_cpu(rec->c_total),
			free_bits, total)) {
		rec->c_total = cpu_to_le32(total);
		rec->c_free = cpu_to_le32(free_bits);
		w->dirty = true;
	}
	w->total += total;
	w->used += total - free_bits;
	return ret;
}

static void check_chain_header(struct chain_walk *w)
{
	struct fsck_ctx *ctx = w->ctx;
	struct ocfs2_chain_list *cl = &w->di->id2.i_chain;
	u16 max = ocfs2_chain_recs_per_inode(ctx->fs->bs);

	if (le16_to_cpu(cl->cl_count) != max &&
	    fix_problem(ctx, PR_CHAIN_COUNT,
			"The chain list in allocator inode %llu claims %u records but the inode holds %u",
			(unsigned long long)w->blkno,
			le16_to_cpu(cl->cl_count), max)) {
		cl->cl_count = cpu_to_le16(max);
		w->dirty = true;
	}
	if (le16_to_cpu(cl->cl_next_free_rec) > le16_to_cpu(cl->cl_count) &&
	    fix_problem(ctx, PR_CHAIN_NEXT_FREE,
			"Allocator inode %llu claims %u chains in use but has room for %u",
			(unsigned long long)w->blkno,
			le16_to_cpu(cl->cl_next_free_rec),
			le16_to_cpu(cl->cl_count))) {
		cl->cl_next_free_rec = cl->cl_count;
		w->dirty = true;
	}
}

static void check_chain_totals(struct chain_walk *w)
{
	struct fsck_ctx *ctx = w->ctx;
	struct ocfs2_dinode *di = w->di;
	struct ocfs2_fs *fs = ctx->fs;
	u16 bpc = le16_to_cpu(di->id2.i_chain.cl_bpc);
	u32 clusters = bpc ? (u32)(w->total / bpc) : 0;

	if ((le32_to_cpu(di->id1.bitmap1.i_total) != w->total ||
	     le32_to_cpu(di->id1.bitmap1.i_used) != w->used) &&
	    fix_problem(ctx, PR_CHAIN_GROUP_BITS,
			"Allocator inode %llu has %u bits marked used out of %u total bits but the chains have %llu used out of %llu total",
			(unsigned long long)w->blkno,
			le32_to_cpu(di->id1.bitmap1.i_used),
			le32_to_cpu(di->id1.bitmap1.i_total),
			(unsigned long long)w->used,
			(unsigned long long)w->total)) {
		di->id1.bitmap1.i_total = cpu_to_le32((u32)w->total);
		di->id1.bitmap1.i_used = cpu_to_le32((u32)w->used);
		w->dirty = true;
	}
	if (w->kind != GR_CLUSTER && le32_to_cpu(di->i_clusters) != clusters &&
	    fix_problem(ctx, PR_CHAIN_I_CLUSTERS,
			"Allocator inode %llu has %u clusters but its groups hold %u",
			(unsigned long long)w->blkno,
			le32_to_cpu(di->i_clusters), clusters)) {
		di->i_clusters = cpu_to_le32(clusters);
		w->dirty = true;
	}
	if (le64_to_cpu(di->i_size) !=
	    (u64)le32_to_cpu(di->i_clusters) << fs->cbits &&
	    fix_problem(ctx, PR_CHAIN_I_SIZE,
			"Allocator inode %llu has i_size %llu but %u clusters",
			(unsigned long long)w->blkno,
			(unsigned long long)le64_to_cpu(di->i_size),
			le32_to_cpu(di->i_clusters))) {
		di->i_size = cpu_to_le64((u64)le32_to_cpu(di->i_clusters) <<
					 fs->cbits);
		w->dirty = true;
	}
}

static int check_allocator(struct fsck_ctx *ctx, u64 blkno, u8 kind,
			   u16 slot)
{
	struct chain_walk w = { .ctx = ctx, .blkno = blkno, .kind = kind,
				 .slot = slot };
	struct ocfs2_group_desc *gd = io_alloc(ctx->fs->bs);
	u16 i, used;
	int ret;

	w.di = io_alloc(ctx->fs->bs);
	if (!w.di || !gd) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ocfs2_read_inode(ctx->fs, blkno, w.di);
	if (ret)
		goto out;
	check_chain_header(&w);
	used = le16_to_cpu(w.di->id2.i_chain.cl_next_free_rec);
	if (used > ocfs2_chain_recs_per_inode(ctx->fs->bs))
		used = ocfs2_chain_recs_per_inode(ctx->fs->bs);
	for (i = 0; i < used && !ret; i++)
		ret = walk_chain(&w, i, gd);
	if (!ret)
		check_chain_totals(&w);
	if (!ret && w.dirty)
		ret = fsck_write(ctx, OCFS2_BLK_INODE, blkno, w.di);
out:
	free(w.seen);
	free(w.di);
	free(gd);
	return ret;
}

static int check_one(struct fsck_ctx *ctx, int type, int slot, u8 kind)
{
	u64 blkno;
	int ret;

	ret = ocfs2_lookup_system_inode(ctx->fs, type, slot, &blkno);
	if (ret) {
		fprintf(stderr, "fsck.ocfs2: cannot find system file %s (slot %d): %s\n",
			ocfs2_system_inode_name(type), slot, strerror(-ret));
		return ret;
	}
	ctx->sys_alloc[type][slot] = blkno;
	ret = check_allocator(ctx, blkno, kind,
			      ocfs2_system_inode_is_global(type) ?
			      OCFS2_INVALID_SLOT : (u16)slot);
	if (ret)
		fprintf(stderr, "fsck.ocfs2: allocator inode %llu: %s\n",
			(unsigned long long)blkno, strerror(-ret));
	return ret;
}

int fsck_pass0(struct fsck_ctx *ctx)
{
	int slots = le16_to_cpu(ctx->fs->sb->s_max_slots), s, ret, err = 0;

	printf("Pass 0a: Checking cluster allocation chains\n");
	ret = check_one(ctx, GLOBAL_BITMAP_SYSTEM_INODE, 0, GR_CLUSTER);
	if (ret)
		return ret;	/* without the bitmap nothing else can be judged */
	printf("Pass 0b: Checking inode allocation chains\n");
	err |= check_one(ctx, GLOBAL_INODE_ALLOC_SYSTEM_INODE, 0, GR_INODE);
	for (s = 0; s < slots; s++)
		err |= check_one(ctx, INODE_ALLOC_SYSTEM_INODE, s, GR_INODE);
	printf("Pass 0c: Checking extent block allocation chains\n");
	for (s = 0; s < slots; s++)
		err |= check_one(ctx, EXTENT_ALLOC_SYSTEM_INODE, s, GR_EXTENT);
	return err ? -EUCLEAN : 0;
}
