// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 1: every inode the inode allocators say is in use.  Check the
 * inode itself and walk its extent tree, marking each cluster it uses;
 * the marks are compared with the global bitmap at the end of the run.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

struct extent_walk {
	struct fsck_ctx *ctx;
	u64 ino;
	u64 clusters;		/* leaf clusters found */
	u64 max_cpos;		/* one past the last mapped cluster */
	bool drop;		/* a record must go */
};

static int check_leaf(struct extent_walk *w, struct ocfs2_extent_rec *r)
{
	struct fsck_ctx *ctx = w->ctx;
	struct ocfs2_fs *fs = ctx->fs;
	u64 blk = le64_to_cpu(r->e_blkno);
	u32 n = le16_to_cpu(r->e_leaf_clusters);

	if (!n)
		return 0;
	if (blk & ((fs->cs >> fs->bbits) - 1)) {
		if (fix_problem(ctx, PR_EXTENT_BLKNO_UNALIGNED,
				"Inode %llu has an extent at block %llu which is not cluster aligned",
				(unsigned long long)w->ino,
				(unsigned long long)blk))
			w->drop = true;
		return 0;
	}
	if (blk + ocfs2_clusters_to_blocks(fs, n) > fs->blocks || blk < 3) {
		if (fix_problem(ctx, PR_EXTENT_BLKNO_RANGE,
				"Inode %llu has an extent of %u clusters at block %llu, outside the volume",
				(unsigned long long)w->ino, n,
				(unsigned long long)blk))
			w->drop = true;
		return 0;
	}
	if (r->e_flags & OCFS2_EXT_REFCOUNTED) {
		cmap_mark_shared(ctx, ocfs2_blocks_to_clusters(fs, blk), n);
		fsck_rc_extent(ctx, ocfs2_blocks_to_clusters(fs, blk), n);
	} else
		cmap_mark(ctx, ocfs2_blocks_to_clusters(fs, blk), n);
	w->clusters += n;
	if (le32_to_cpu(r->e_cpos) + (u64)n > w->max_cpos)
		w->max_cpos = le32_to_cpu(r->e_cpos) + (u64)n;
	if ((r->e_flags & OCFS2_EXT_UNWRITTEN) &&
	    !ocfs2_has_ro_compat(fs, OCFS2_FEATURE_RO_COMPAT_UNWRITTEN) &&
	    fix_problem(ctx, PR_EXTENT_MARKED_UNWRITTEN,
			"Inode %llu has an unwritten extent but the volume lacks the unwritten feature",
			(unsigned long long)w->ino))
		w->drop = true;
	return 0;
}

static int extent_cb(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *rec,
		     int depth, u64 owner, void *data)
{
	struct extent_walk *w = data;
	u64 blk = le64_to_cpu(rec->e_blkno);

	(void)owner;
	if (!depth)
		return check_leaf(w, (struct ocfs2_extent_rec *)rec);
	if (blk >= fs->blocks || blk <= OCFS2_SUPER_BLOCK_BLKNO ||
	    !eb_allocated(w->ctx, blk)) {
		if (fix_problem(w->ctx, PR_EXTENT_EB_INVALID,
				"Inode %llu refers to extent block %llu which is not an allocated extent block",
				(unsigned long long)w->ino,
				(unsigned long long)blk))
			w->drop = true;
		return -EUCLEAN;	/* do not descend into it */
	}
	eb_ref(w->ctx, blk);
	return 0;
}

/*
 * Mark the clusters of an extent list that is not an inode's own (a dx
 * root, an xattr tree or value); returns the clusters found or -errno.
 */
s64 fsck_mark_extents(struct fsck_ctx *ctx, struct ocfs2_extent_list *el,
		      unsigned int max_recs, u64 ino)
{
	struct extent_walk w = { .ctx = ctx, .ino = ino };
	int ret;

	if (!le16_to_cpu(el->l_count) || le16_to_cpu(el->l_count) > max_recs ||
	    le16_to_cpu(el->l_next_free_rec) > le16_to_cpu(el->l_count) ||
	    le16_to_cpu(el->l_tree_depth) > 8)
		return -EUCLEAN;
	ret = ocfs2_extent_iterate(ctx->fs, el, ino, extent_cb, &w);
	return ret ? ret : (s64)w.clusters;
}

/* Is top-level record @r of an inode's list usable? */
static bool top_rec_ok(struct fsck_ctx *ctx, u64 ino, int depth,
		       const struct ocfs2_extent_rec *r)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 blk = le64_to_cpu(r->e_blkno);
	u32 n = depth ? 1 : le16_to_cpu(r->e_leaf_clusters);

	if (depth && (blk >= fs->blocks || blk <= OCFS2_SUPER_BLOCK_BLKNO ||
		      !eb_allocated(ctx, blk)))
		return !fix_problem(ctx, PR_EXTENT_EB_INVALID,
				    "Inode %llu refers to extent block %llu which is not an allocated extent block",
				    (unsigned long long)ino,
				    (unsigned long long)blk);
	if (depth || !n)
		return true;
	if (blk & ((fs->cs >> fs->bbits) - 1))
		return !fix_problem(ctx, PR_EXTENT_BLKNO_UNALIGNED,
				    "Inode %llu has an extent at block %llu which is not cluster aligned",
				    (unsigned long long)ino,
				    (unsigned long long)blk);
	if (blk < 3 || blk + ocfs2_clusters_to_blocks(fs, n) > fs->blocks)
		return !fix_problem(ctx, PR_EXTENT_BLKNO_RANGE,
				    "Inode %llu has an extent of %u clusters at block %llu, outside the volume",
				    (unsigned long long)ino, n,
				    (unsigned long long)blk);
	return true;
}

/* Drop the records of the inode's own list that cannot be trusted. */
static int filter_top_list(struct fsck_ctx *ctx, u64 ino,
			   struct ocfs2_extent_list *el, bool *dirty)
{
	u16 i = 0, used = le16_to_cpu(el->l_next_free_rec);
	int depth = le16_to_cpu(el->l_tree_depth), kept_bad = 0;

	if (used > le16_to_cpu(el->l_count))
		used = le16_to_cpu(el->l_count);
	while (i < used) {
		if (top_rec_ok(ctx, ino, depth, &el->l_recs[i])) {
			i++;
			continue;
		}
		if (ctx->no) {
			kept_bad++;
			i++;
			continue;
		}
		memmove(&el->l_recs[i], &el->l_recs[i + 1],
			(used - i - 1) * sizeof(el->l_recs[0]));
		used--;
		memset(&el->l_recs[used], 0, sizeof(el->l_recs[0]));
		el->l_next_free_rec = cpu_to_le16(used);
		*dirty = true;
	}
	return kept_bad;
}

static void check_extents(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
			  bool *dirty)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct extent_walk w = { .ctx = ctx, .ino = le64_to_cpu(di->i_blkno) };
	struct ocfs2_extent_list *el = &di->id2.i_list;
	u16 max = ocfs2_extent_recs_per_inode(fs->bs);
	int ret;

	if (le16_to_cpu(el->l_count) != max &&
	    !(le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_XATTR_FL) &&
	    fix_problem(ctx, PR_EXTENT_LIST_COUNT,
			"Inode %llu's extent list claims %u records but holds %u",
			(unsigned long long)w.ino, le16_to_cpu(el->l_count),
			max)) {
		el->l_count = cpu_to_le16(max);
		*dirty = true;
	}
	if (le16_to_cpu(el->l_next_free_rec) > le16_to_cpu(el->l_count) &&
	    fix_problem(ctx, PR_EXTENT_LIST_FREE,
			"Inode %llu's extent list claims %u records in use but has room for %u",
			(unsigned long long)w.ino,
			le16_to_cpu(el->l_next_free_rec),
			le16_to_cpu(el->l_count))) {
		el->l_next_free_rec = el->l_count;
		*dirty = true;
	}
	if (le16_to_cpu(el->l_tree_depth) > 8 &&
	    fix_problem(ctx, PR_EXTENT_LIST_DEPTH,
			"Inode %llu's extent tree claims depth %u",
			(unsigned long long)w.ino,
			le16_to_cpu(el->l_tree_depth))) {
		ocfs2_extent_list_init(el, max);
		*dirty = true;
	}
	if (filter_top_list(ctx, w.ino, el, dirty))
		return;	/* reported, left alone (-n) */
	ret = ocfs2_extent_iterate(fs, el, w.ino, extent_cb, &w);
	if (ret && ret != -EUCLEAN && !w.drop)
		fprintf(stderr, "fsck.ocfs2: inode %llu: extent tree: %s\n",
			(unsigned long long)w.ino, strerror(-ret));
	if (le32_to_cpu(di->i_clusters) != w.clusters && !w.drop &&
	    !ret && fix_problem(ctx, PR_INODE_CLUSTERS,
				"Inode %llu has %u clusters but its extents cover %llu",
				(unsigned long long)w.ino,
				le32_to_cpu(di->i_clusters),
				(unsigned long long)w.clusters)) {
		di->i_clusters = cpu_to_le32((u32)w.clusters);
		*dirty = true;
	}
}

static void check_inline(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
			 bool *dirty)
{
	u64 ino = le64_to_cpu(di->i_blkno);
	u16 max = ocfs2_max_inline_data(ctx->fs->bs);

	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_XATTR_FL)
		max -= le16_to_cpu(di->i_xattr_inline_size);
	if (le16_to_cpu(di->id2.i_data.id_count) != max &&
	    fix_problem(ctx, PR_INLINE_DATA_COUNT_INVALID,
			"Inode %llu has inline data count %u, should be %u",
			(unsigned long long)ino,
			le16_to_cpu(di->id2.i_data.id_count), max)) {
		di->id2.i_data.id_count = cpu_to_le16(max);
		*dirty = true;
	}
	if (le64_to_cpu(di->i_size) > le16_to_cpu(di->id2.i_data.id_count) &&
	    fix_problem(ctx, PR_INODE_INLINE_SIZE,
			"Inode %llu has inline data but a size of %llu",
			(unsigned long long)ino,
			(unsigned long long)le64_to_cpu(di->i_size))) {
		di->i_size = cpu_to_le64(le16_to_cpu(di->id2.i_data.id_count));
		*dirty = true;
	}
	if (le32_to_cpu(di->i_clusters) &&
	    fix_problem(ctx, PR_INODE_INLINE_CLUSTERS,
			"Inode %llu has inline data but claims %u clusters",
			(unsigned long long)ino, le32_to_cpu(di->i_clusters))) {
		di->i_clusters = 0;
		*dirty = true;
	}
}

static void check_local_alloc(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
			      bool *dirty)
{
	struct ocfs2_local_alloc *la = &di->id2.i_lab;
	u16 max = ocfs2_local_alloc_size(ctx->fs->bs);
	u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
	u32 off = le32_to_cpu(la->la_bm_off);

	if (le16_to_cpu(la->la_size) > max &&
	    fix_problem(ctx, PR_LALLOC_SIZE,
			"Local alloc inode %llu claims a %u byte bitmap, at most %u fit",
			(unsigned long long)le64_to_cpu(di->i_blkno),
			le16_to_cpu(la->la_size), max)) {
		la->la_size = cpu_to_le16(max);
		*dirty = true;
	}
	if ((total > 8U * le16_to_cpu(la->la_size) ||
	     le32_to_cpu(di->id1.bitmap1.i_used) > total ||
	     (u64)off + total > ctx->fs->clusters) &&
	    fix_problem(ctx, PR_LALLOC_BM_OVERRUN,
			"Local alloc inode %llu covers clusters %u..%u beyond what it or the volume can hold",
			(unsigned long long)le64_to_cpu(di->i_blkno), off,
			off + total)) {
		di->id1.bitmap1.i_total = 0;
		di->id1.bitmap1.i_used = 0;
		la->la_bm_off = 0;
		memset(la->la_bitmap, 0, le16_to_cpu(la->la_size));
		*dirty = true;
		return;
	}
	/*
	 * The window stays allocated in the global bitmap while a slot
	 * holds it (after a crash, say), and the files that took clusters
	 * from it claim those too: it is marked at the end, as shared.
	 */
	if (total && ctx->nla < OCFS2_MAX_SLOTS) {
		ctx->la_off[ctx->nla] = off;
		ctx->la_total[ctx->nla++] = total;
	}
}

static void check_truncate_log(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
			       bool *dirty)
{
	struct ocfs2_truncate_log *tl = &di->id2.i_dealloc;
	u16 max = ocfs2_truncate_recs_per_inode(ctx->fs->bs), i;

	if (le16_to_cpu(tl->tl_count) != max &&
	    fix_problem(ctx, PR_DEALLOC_COUNT,
			"Truncate log inode %llu claims %u records, holds %u",
			(unsigned long long)le64_to_cpu(di->i_blkno),
			le16_to_cpu(tl->tl_count), max)) {
		tl->tl_count = cpu_to_le16(max);
		*dirty = true;
	}
	if (le16_to_cpu(tl->tl_used) > le16_to_cpu(tl->tl_count) &&
	    fix_problem(ctx, PR_DEALLOC_USED,
			"Truncate log inode %llu claims %u records in use of %u",
			(unsigned long long)le64_to_cpu(di->i_blkno),
			le16_to_cpu(tl->tl_used), le16_to_cpu(tl->tl_count))) {
		tl->tl_used = tl->tl_count;
		*dirty = true;
	}
	/* clusters waiting in the log are still allocated */
	for (i = 0; i < le16_to_cpu(tl->tl_used) && i < max; i++) {
		struct ocfs2_truncate_rec *r = &tl->tl_recs[i];
		u64 end = (u64)le32_to_cpu(r->t_start) +
			  le32_to_cpu(r->t_clusters);

		if (end > ctx->fs->clusters) {
			if (fix_problem(ctx, PR_TRUNCATE_REC_RANGE,
					"Truncate log inode %llu record %u covers clusters %u..%llu past the volume",
					(unsigned long long)le64_to_cpu(di->i_blkno),
					i, le32_to_cpu(r->t_start),
					(unsigned long long)end)) {
				r->t_start = 0;
				r->t_clusters = 0;
				*dirty = true;
			}
			continue;
		}
		cmap_mark(ctx, le32_to_cpu(r->t_start),
			  le32_to_cpu(r->t_clusters));
	}
}

static void check_dir_size(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
			   bool *dirty)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 size = le64_to_cpu(di->i_size);
	u64 max = (u64)le32_to_cpu(di->i_clusters) << fs->cbits;

	if ((size > max || (size & (fs->bs - 1))) &&
	    fix_problem(ctx, PR_INODE_SIZE,
			"Directory inode %llu has size %llu but %u clusters",
			(unsigned long long)le64_to_cpu(di->i_blkno),
			(unsigned long long)size, le32_to_cpu(di->i_clusters))) {
		di->i_size = cpu_to_le64(size > max ? max :
					 size & ~(u64)(fs->bs - 1));
		*dirty = true;
	}
	if (!le64_to_cpu(di->i_size))
		fix_problem(ctx, PR_DIR_ZERO,
			    "Directory inode %llu has no blocks",
			    (unsigned long long)le64_to_cpu(di->i_blkno));
}

static void check_body(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
		       bool *dirty)
{
	u32 flags = le32_to_cpu(di->i_flags);
	u16 mode = le16_to_cpu(di->i_mode);
	u16 dyn = le16_to_cpu(di->i_dyn_features);

	if (flags & OCFS2_CHAIN_FL)
		return;		/* pass 0 did the allocators */
	if (flags & OCFS2_LOCAL_ALLOC_FL)
		return check_local_alloc(ctx, di, dirty);
	if (flags & OCFS2_DEALLOC_FL)
		return check_truncate_log(ctx, di, dirty);
	if (dyn & OCFS2_INLINE_DATA_FL) {
		if (!ocfs2_has_incompat(ctx->fs,
					OCFS2_FEATURE_INCOMPAT_INLINE_DATA))
			fix_problem(ctx, PR_INLINE_DATA_FLAG_INVALID,
				    "Inode %llu has inline data but the volume lacks the inline-data feature",
				    (unsigned long long)le64_to_cpu(di->i_blkno));
		return check_inline(ctx, di, dirty);
	}
	if ((mode & 0170000) == 0120000 && !le32_to_cpu(di->i_clusters))
		return;		/* fast symlink */
	if ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000 ||
	    (mode & 0170000) == 0010000 || (mode & 0170000) == 0140000)
		return;
	check_extents(ctx, di, dirty);
	if ((mode & 0170000) == 0040000)
		check_dir_size(ctx, di, dirty);
	if (dyn & OCFS2_INDEXED_DIR_FL)
		fsck_check_dx_root(ctx, di);
}

static void check_inode(struct fsck_ctx *ctx, struct inode_info *ii,
			struct ocfs2_dinode *di)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 ino = ii->blkno;
	bool dirty = false;

	if (le32_to_cpu(di->i_fs_generation) != fs->fs_generation) {
		ii->flags |= II_BAD;
		if (fix_problem(ctx, PR_INODE_GEN,
				"Inode %llu has generation %u, the volume %u",
				(unsigned long long)ino,
				le32_to_cpu(di->i_fs_generation),
				fs->fs_generation))
			alloc_clear_bit(ctx, ii->slot == OCFS2_INVALID_SLOT ?
				ctx->sys_alloc[GLOBAL_INODE_ALLOC_SYSTEM_INODE][0] :
				ctx->sys_alloc[INODE_ALLOC_SYSTEM_INODE][ii->slot],
				ino);
		return;
	}
	if (le16_to_cpu(di->i_suballoc_slot) != ii->slot &&
	    fix_problem(ctx, PR_INODE_SUBALLOC,
			"Inode %llu claims suballocator slot %u but was found in slot %u's allocator",
			(unsigned long long)ino,
			le16_to_cpu(di->i_suballoc_slot), ii->slot)) {
		di->i_suballoc_slot = cpu_to_le16(ii->slot);
		dirty = true;
	}
	if (le64_to_cpu(di->i_dtime) && !(le32_to_cpu(di->i_flags) &
					  OCFS2_ORPHANED_FL) &&
	    fix_problem(ctx, PR_INODE_NZ_DTIME,
			"Inode %llu is in use but has a deletion time",
			(unsigned long long)ino)) {
		di->i_dtime = 0;
		dirty = true;
	}
	ii->mode = le16_to_cpu(di->i_mode);
	ii->links = le16_to_cpu(di->i_links_count) |
		    ((u32)le16_to_cpu(di->i_links_count_hi) <<
		     OCFS2_LINKS_HI_SHIFT);
	if ((ii->mode & 0170000) == 0040000)
		ii->flags |= II_DIR;
	/* the kernel looks both up as system files and BUG()s otherwise */
	if ((ino == ctx->root || ino == ctx->sysdir) &&
	    !(le32_to_cpu(di->i_flags) & OCFS2_SYSTEM_FL) &&
	    fix_problem(ctx, PR_ROOT_SYSTEM_FLAG,
			"%s directory inode %llu lacks the system flag",
			ino == ctx->root ? "Root" : "System",
			(unsigned long long)ino)) {
		di->i_flags |= cpu_to_le32(OCFS2_SYSTEM_FL);
		dirty = true;
	}
	if (le32_to_cpu(di->i_flags) & OCFS2_SYSTEM_FL)
		ii->flags |= II_SYSTEM;
	if (fsck_check_refcount_flags(ctx, di))
		dirty = true;
	check_body(ctx, di, &dirty);
	if (fsck_check_xattrs(ctx, di))
		dirty = true;
	fsck_check_refcount_tree(ctx, di);
	if (dirty)
		fsck_write(ctx, OCFS2_BLK_INODE, ino, di);
}

/* Read an allocated inode; 0 = usable, 1 = bad and (maybe) freed. */
static int load_inode(struct fsck_ctx *ctx, struct inode_info *ii,
		      struct ocfs2_dinode *di)
{
	struct ocfs2_fs *fs = ctx->fs;
	u64 ino = ii->blkno, alloc;
	int ret;

	alloc = ii->slot == OCFS2_INVALID_SLOT ?
		ctx->sys_alloc[GLOBAL_INODE_ALLOC_SYSTEM_INODE][0] :
		ctx->sys_alloc[INODE_ALLOC_SYSTEM_INODE][ii->slot];
	ret = io_read_blocks(fs->io, ino, 1, di);
	if (ret)
		return ret;
	if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_META_ECC) &&
	    ocfs2_block_check_validate(di, fs->bs, &di->i_check) < 0 &&
	    !memcmp(di->i_signature, OCFS2_INODE_SIGNATURE, 8) &&
	    le64_to_cpu(di->i_blkno) == ino &&
	    fix_problem(ctx, PR_BAD_CRC32,
			"Inode %llu fails its metadata checksum",
			(unsigned long long)ino))
		fsck_write(ctx, OCFS2_BLK_INODE, ino, di);
	if (memcmp(di->i_signature, OCFS2_INODE_SIGNATURE, 8) ||
	    !(le32_to_cpu(di->i_flags) & OCFS2_VALID_FL) ||
	    le64_to_cpu(di->i_blkno) != ino) {
		ii->flags |= II_BAD;
		if (fix_problem(ctx, PR_INODE_ALLOC_REPAIR,
				"Inode %llu is marked in use in its allocator but is not a valid inode",
				(unsigned long long)ino))
			alloc_clear_bit(ctx, alloc, ino);
		return 1;
	}
	return 0;
}

int fsck_pass1(struct fsck_ctx *ctx)
{
	struct ocfs2_dinode *di = io_alloc(ctx->fs->bs);
	size_t i;
	int ret = 0;

	printf("Pass 1: Checking inodes and blocks\n");
	if (!di)
		return -ENOMEM;
	for (i = 0; i < ctx->inode_cap && !ret; i++) {
		struct inode_info *ii = &ctx->inodes[i];

		if (!ii->blkno)
			continue;
		ret = load_inode(ctx, ii, di);
		if (ret == 1) {
			ret = 0;
			continue;
		}
		if (!ret)
			check_inode(ctx, ii, di);
	}
	free(di);
	return ret;
}
