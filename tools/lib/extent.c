// SPDX-License-Identifier: GPL-2.0
/*
 * Extent trees: walk every record, map a logical cluster to its block,
 * read file data through the tree.  Each level down must have a depth one
 * less than its parent, which bounds the walk even on a looping tree.
 */
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

void ocfs2_extent_list_init(struct ocfs2_extent_list *el, u16 count)
{
	memset(el, 0, sizeof(*el));
	el->l_count = cpu_to_le16(count);
}

int ocfs2_extent_list_append(struct ocfs2_extent_list *el, u32 cpos,
			     u64 blkno, u16 clusters, u8 flags)
{
	u16 i = le16_to_cpu(el->l_next_free_rec);
	struct ocfs2_extent_rec *rec;

	if (i >= le16_to_cpu(el->l_count))
		return -ENOSPC;
	rec = &el->l_recs[i];
	memset(rec, 0, sizeof(*rec));
	rec->e_cpos = cpu_to_le32(cpos);
	rec->e_leaf_clusters = cpu_to_le16(clusters);
	rec->e_flags = flags;
	rec->e_blkno = cpu_to_le64(blkno);
	el->l_next_free_rec = cpu_to_le16(i + 1);
	return 0;
}

static int walk_list(struct ocfs2_fs *fs, struct ocfs2_extent_list *el,
		     u64 owner, int want_depth, ocfs2_extent_fn fn, void *ctx,
		     void *scratch);

static int walk_child(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *rec,
		      int depth, ocfs2_extent_fn fn, void *ctx, void *scratch)
{
	u64 blkno = le64_to_cpu(rec->e_blkno);
	struct ocfs2_extent_block *eb;
	int ret;

	ret = ocfs2_read_meta(fs, OCFS2_BLK_EXTENT, blkno, scratch);
	if (ret)
		return ret;
	eb = scratch;
	if (le16_to_cpu(eb->h_list.l_tree_depth) != depth - 1) {
		fs->last_bad.what = "extent block depth does not descend";
		fs->last_bad.value = le16_to_cpu(eb->h_list.l_tree_depth);
		fs->last_bad_blkno = blkno;
		return -EUCLEAN;
	}
	return walk_list(fs, &eb->h_list, blkno, depth - 1, fn, ctx,
			 (char *)scratch + fs->bs);
}

static int walk_list(struct ocfs2_fs *fs, struct ocfs2_extent_list *el,
		     u64 owner, int depth, ocfs2_extent_fn fn, void *ctx,
		     void *scratch)
{
	u16 i, used = le16_to_cpu(el->l_next_free_rec);
	int ret;

	if (used > le16_to_cpu(el->l_count))
		return -EUCLEAN;
	for (i = 0; i < used; i++) {
		ret = fn(fs, &el->l_recs[i], depth, owner, ctx);
		if (ret)
			return ret;
		if (depth > 0) {
			ret = walk_child(fs, &el->l_recs[i], depth, fn, ctx,
					 scratch);
			if (ret)
				return ret;
		}
	}
	return 0;
}

#define OCFS2_MAX_TREE_DEPTH 8

/*
 * Call @fn for every record, interior ones first then their subtree.  @fn
 * returns 0 to go on, >0 to stop with that value, <0 to fail.
 */
int ocfs2_extent_iterate(struct ocfs2_fs *fs, struct ocfs2_extent_list *root,
			 u64 owner_blkno, ocfs2_extent_fn fn, void *ctx)
{
	int depth = le16_to_cpu(root->l_tree_depth);
	void *scratch;
	int ret;

	if (depth > OCFS2_MAX_TREE_DEPTH)
		return -EUCLEAN;
	scratch = io_alloc((size_t)fs->bs * (depth + 1));
	if (!scratch)
		return -ENOMEM;
	ret = walk_list(fs, root, owner_blkno, depth, fn, ctx, scratch);
	free(scratch);
	return ret;
}

static u32 rec_clusters(const struct ocfs2_extent_rec *rec, int depth)
{
	return depth ? le32_to_cpu(rec->e_int_clusters) :
		       le16_to_cpu(rec->e_leaf_clusters);
}

/*
 * Map logical cluster @cpos.  On a hole returns 0 with *pblk = 0 and
 * *contig = clusters until the next extent (0 if none follows).
 */
int ocfs2_extent_map(struct ocfs2_fs *fs, struct ocfs2_extent_list *root,
		     u32 cpos, u64 *pblk, u32 *contig, u8 *flags)
{
	struct ocfs2_extent_list *el = root;
	int depth = le16_to_cpu(root->l_tree_depth);
	void *buf;
	int ret = 0;

	if (depth > OCFS2_MAX_TREE_DEPTH)
		return -EUCLEAN;
	buf = io_alloc(fs->bs);
	if (!buf)
		return -ENOMEM;
	*pblk = 0;
	*contig = 0;
	*flags = 0;
	for (;;) {
		u16 i, used = le16_to_cpu(el->l_next_free_rec);
		const struct ocfs2_extent_rec *hit = NULL;

		if (used > le16_to_cpu(el->l_count)) {
			ret = -EUCLEAN;
			break;
		}
		for (i = 0; i < used; i++) {
			const struct ocfs2_extent_rec *r = &el->l_recs[i];
			u32 start = le32_to_cpu(r->e_cpos);

			if (cpos < start) {
				if (!*contig)
					*contig = start - cpos;
				break;
			}
			if (cpos - start < rec_clusters(r, depth) ||
			    (depth && i == used - 1)) {
				hit = r;
				break;
			}
		}
		if (!hit)
			break;
		if (!depth) {
			u32 off = cpos - le32_to_cpu(hit->e_cpos);

			*pblk = le64_to_cpu(hit->e_blkno) +
				ocfs2_clusters_to_blocks(fs, off);
			*contig = rec_clusters(hit, 0) - off;
			*flags = hit->e_flags;
			break;
		}
		ret = ocfs2_read_meta(fs, OCFS2_BLK_EXTENT,
				      le64_to_cpu(hit->e_blkno), buf);
		if (ret)
			break;
		el = &((struct ocfs2_extent_block *)buf)->h_list;
		if (le16_to_cpu(el->l_tree_depth) != depth - 1) {
			ret = -EUCLEAN;
			break;
		}
		depth--;
	}
	free(buf);
	return ret;
}

static int read_inline(struct ocfs2_dinode *di, unsigned int bs, void *buf,
		       size_t len, u64 off, size_t *got)
{
	u64 size = le64_to_cpu(di->i_size);
	unsigned int max = le16_to_cpu(di->id2.i_data.id_count);

	if (max > ocfs2_max_inline_data(bs))
		return -EUCLEAN;
	if (size > max)
		size = max;
	*got = 0;
	if (off >= size)
		return 0;
	if (len > size - off)
		len = size - off;
	memcpy(buf, di->id2.i_data.id_data + off, len);
	*got = len;
	return 0;
}

/* Read up to @len bytes of file data at @off; holes read as zeros. */
int ocfs2_file_read(struct ocfs2_fs *fs, struct ocfs2_dinode *di, void *buf,
		    size_t len, u64 off, size_t *got)
{
	u64 size = le64_to_cpu(di->i_size);
	char *blk, *out = buf;
	size_t done = 0;
	int ret = 0;

	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_DATA_FL)
		return read_inline(di, fs->bs, buf, len, off, got);
	*got = 0;
	if (off >= size)
		return 0;
	if (len > size - off)
		len = size - off;
	blk = io_alloc(fs->bs);
	if (!blk)
		return -ENOMEM;
	while (done < len) {
		u64 pos = off + done, pblk;
		u32 contig;
		u8 flags;
		unsigned int in_blk = pos & (fs->bs - 1);
		size_t n = fs->bs - in_blk;

		if (n > len - done)
			n = len - done;
		ret = ocfs2_extent_map(fs, &di->id2.i_list, pos >> fs->cbits,
				       &pblk, &contig, &flags);
		if (ret)
			break;
		if (!pblk || (flags & OCFS2_EXT_UNWRITTEN)) {
			memset(out + done, 0, n);
		} else {
			pblk += (pos & (fs->cs - 1)) >> fs->bbits;
			ret = io_read_blocks(fs->io, pblk, 1, blk);
			if (ret)
				break;
			memcpy(out + done, blk + in_blk, n);
		}
		done += n;
	}
	free(blk);
	*got = done;
	return ret;
}

/*
 * Whether id2 of @di is an extent list that maps data: a regular file,
 * directory or slow symlink; not an allocator, local alloc or truncate
 * log, not inline data, not a fast symlink or a device.
 */
bool ocfs2_has_extent_list(const struct ocfs2_dinode *di)
{
	u32 flags = le32_to_cpu(di->i_flags);
	u16 fmt = le16_to_cpu(di->i_mode) & 0170000;

	if (flags & (OCFS2_CHAIN_FL | OCFS2_LOCAL_ALLOC_FL | OCFS2_DEALLOC_FL))
		return false;
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_DATA_FL)
		return false;
	if (fmt == 0120000 && !le32_to_cpu(di->i_clusters))
		return false;
	return fmt == 0100000 || fmt == 0040000 || fmt == 0120000;
}
