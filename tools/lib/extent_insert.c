// SPDX-License-Identifier: GPL-2.0
/*
 * Growing an inode's extent tree on an unmounted volume: append an extent
 * past the current end, merging with the last one when contiguous, adding
 * leaves when the rightmost one is full and growing the tree in depth when
 * the inode's own list is full (its records move down into a new block).
 * New extent blocks come from the slot's extent allocator.
 */
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

#define MAX_DEPTH 8

struct path {
	int depth;			/* of the root */
	u64 blk[MAX_DEPTH + 1];		/* blk[0] = 0: the inode */
	struct ocfs2_extent_list *el[MAX_DEPTH + 1];
	void *buf[MAX_DEPTH + 1];
};

static void free_path(struct path *p)
{
	int i;

	for (i = 1; i <= MAX_DEPTH; i++) {
		free(p->buf[i]);
		p->buf[i] = NULL;
	}
}

/* Follow the last record down to the rightmost leaf. */
static int load_right_path(struct ocfs2_fs *fs, struct ocfs2_dinode *di,
			   struct path *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->depth = le16_to_cpu(di->id2.i_list.l_tree_depth);
	if (p->depth > MAX_DEPTH)
		return -EUCLEAN;
	p->el[0] = &di->id2.i_list;
	for (i = 1; i <= p->depth; i++) {
		struct ocfs2_extent_list *up = p->el[i - 1];
		u16 n = le16_to_cpu(up->l_next_free_rec);
		struct ocfs2_extent_block *eb;
		int ret;

		if (!n || n > le16_to_cpu(up->l_count))
			return -EUCLEAN;
		p->blk[i] = le64_to_cpu(up->l_recs[n - 1].e_blkno);
		p->buf[i] = io_alloc(fs->bs);
		if (!p->buf[i])
			return -ENOMEM;
		ret = ocfs2_read_meta(fs, OCFS2_BLK_EXTENT, p->blk[i], p->buf[i]);
		if (ret)
			return ret;
		eb = p->buf[i];
		p->el[i] = &eb->h_list;
		if (le16_to_cpu(eb->h_list.l_tree_depth) != p->depth - i)
			return -EUCLEAN;
	}
	return 0;
}

static int new_eb(struct ocfs2_fs *fs, u64 alloc, u16 slot, u16 depth,
		  u64 *blkno, struct ocfs2_extent_block **out)
{
	struct ocfs2_extent_block *eb;
	u16 bit;
	int ret;

	ret = ocfs2_suballoc_take(fs, alloc, blkno, &bit);
	if (ret)
		return ret;
	eb = io_alloc(fs->bs);
	if (!eb)
		return -ENOMEM;
	memcpy(eb->h_signature, OCFS2_EXTENT_BLOCK_SIGNATURE,
	       sizeof(OCFS2_EXTENT_BLOCK_SIGNATURE));
	eb->h_suballoc_slot = cpu_to_le16(slot);
	eb->h_suballoc_bit = cpu_to_le16(bit);
	eb->h_fs_generation = cpu_to_le32(fs->fs_generation);
	eb->h_blkno = cpu_to_le64(*blkno);
	ocfs2_extent_list_init(&eb->h_list, ocfs2_extent_recs_per_eb(fs->bs));
	eb->h_list.l_tree_depth = cpu_to_le16(depth);
	*out = eb;
	return 0;
}

static u32 list_clusters(struct ocfs2_extent_list *el)
{
	u16 n = le16_to_cpu(el->l_next_free_rec);
	struct ocfs2_extent_rec *r;

	if (!n)
		return 0;
	r = &el->l_recs[n - 1];
	return le32_to_cpu(r->e_cpos) - le32_to_cpu(el->l_recs[0].e_cpos) +
	       (el->l_tree_depth ? le32_to_cpu(r->e_int_clusters) :
				   le16_to_cpu(r->e_leaf_clusters));
}

/* Move the inode's records into a new block one level down. */
static int grow_depth(struct ocfs2_fs *fs, struct ocfs2_dinode *di, u64 alloc,
		      u16 slot)
{
	struct ocfs2_extent_list *root = &di->id2.i_list;
	u16 depth = le16_to_cpu(root->l_tree_depth);
	struct ocfs2_extent_block *eb;
	u64 blkno;
	u32 clusters = list_clusters(root);
	int ret;

	if (depth >= MAX_DEPTH)
		return -E2BIG;
	ret = new_eb(fs, alloc, slot, depth, &blkno, &eb);
	if (ret)
		return ret;
	memcpy(eb->h_list.l_recs, root->l_recs,
	       le16_to_cpu(root->l_next_free_rec) * sizeof(root->l_recs[0]));
	eb->h_list.l_next_free_rec = root->l_next_free_rec;
	ret = ocfs2_write_meta(fs, OCFS2_BLK_EXTENT, blkno, eb);
	free(eb);
	if (ret)
		return ret;
	memset(root->l_recs, 0,
	       le16_to_cpu(root->l_count) * sizeof(root->l_recs[0]));
	root->l_tree_depth = cpu_to_le16(depth + 1);
	root->l_next_free_rec = cpu_to_le16(1);
	root->l_recs[0].e_int_clusters = cpu_to_le32(clusters);
	root->l_recs[0].e_blkno = cpu_to_le64(blkno);
	if (!depth)
		di->i_last_eb_blk = cpu_to_le64(blkno);
	return 0;
}

/*
 * Hang a new empty branch under the lowest level of @p that has room,
 * down to a new rightmost leaf; returns -ENOSPC if no level has room.
 */
static int add_branch(struct ocfs2_fs *fs, struct ocfs2_dinode *di,
		      struct path *p, u32 cpos, u64 alloc, u16 slot)
{
	struct ocfs2_extent_block *eb;
	struct ocfs2_extent_list *el;
	int level, ret, d;
	u64 blkno, child = 0;

	for (level = p->depth - 1; level >= 0; level--)
		if (le16_to_cpu(p->el[level]->l_next_free_rec) <
		    le16_to_cpu(p->el[level]->l_count))
			break;
	if (level < 0)
		return -ENOSPC;
	/* build bottom-up: a leaf, then interior blocks down to it */
	for (d = 0; d < p->depth - level; d++) {
		ret = new_eb(fs, alloc, slot, d, &blkno, &eb);
		if (ret)
			return ret;
		if (d) {
			eb->h_list.l_recs[0].e_cpos = cpu_to_le32(cpos);
			eb->h_list.l_recs[0].e_blkno = cpu_to_le64(child);
			eb->h_list.l_next_free_rec = cpu_to_le16(1);
		} else {
			/* the old rightmost leaf now links to this one */
			struct ocfs2_extent_block *old = p->buf[p->depth];

			old->h_next_leaf_blk = cpu_to_le64(blkno);
			ret = ocfs2_write_meta(fs, OCFS2_BLK_EXTENT,
					       p->blk[p->depth], old);
			di->i_last_eb_blk = cpu_to_le64(blkno);
		}
		if (!ret)
			ret = ocfs2_write_meta(fs, OCFS2_BLK_EXTENT, blkno, eb);
		free(eb);
		if (ret)
			return ret;
		child = blkno;
	}
	el = p->el[level];
	d = le16_to_cpu(el->l_next_free_rec);
	el->l_recs[d].e_cpos = cpu_to_le32(cpos);
	el->l_recs[d].e_int_clusters = 0;
	el->l_recs[d].e_blkno = cpu_to_le64(child);
	el->l_next_free_rec = cpu_to_le16(d + 1);
	if (level)
		ret = ocfs2_write_meta(fs, OCFS2_BLK_EXTENT, p->blk[level],
				       p->buf[level]);
	return ret;
}

/* Put the extent into the rightmost leaf and fix the counts above it. */
static int append_to_leaf(struct ocfs2_fs *fs, struct path *p, u32 cpos,
			  u64 pblk, u16 clusters, u8 flags)
{
	struct ocfs2_extent_list *leaf = p->el[p->depth];
	u16 n = le16_to_cpu(leaf->l_next_free_rec);
	struct ocfs2_extent_rec *last = n ? &leaf->l_recs[n - 1] : NULL;
	int i, ret = 0;

	if (last && last->e_flags == flags &&
	    le32_to_cpu(last->e_cpos) + le16_to_cpu(last->e_leaf_clusters) ==
	    cpos && le64_to_cpu(last->e_blkno) +
	    ocfs2_clusters_to_blocks(fs, le16_to_cpu(last->e_leaf_clusters)) ==
	    pblk && le16_to_cpu(last->e_leaf_clusters) + clusters <= 0xffff) {
		le16_add_cpu(&last->e_leaf_clusters, clusters);
	} else {
		ret = ocfs2_extent_list_append(leaf, cpos, pblk, clusters,
					       flags);
		if (ret)
			return ret;
	}
	/* every interior record on the path covers up to the new end */
	for (i = p->depth - 1; i >= 0; i--) {
		struct ocfs2_extent_list *el = p->el[i];
		struct ocfs2_extent_rec *r =
			&el->l_recs[le16_to_cpu(el->l_next_free_rec) - 1];

		r->e_int_clusters = cpu_to_le32(cpos + clusters -
						le32_to_cpu(r->e_cpos));
	}
	for (i = 1; i <= p->depth && !ret; i++)
		ret = ocfs2_write_meta(fs, OCFS2_BLK_EXTENT, p->blk[i],
				       p->buf[i]);
	return ret;
}

static bool leaf_has_room(struct path *p, u32 cpos, u64 pblk,
			  struct ocfs2_fs *fs)
{
	struct ocfs2_extent_list *leaf = p->el[p->depth];
	u16 n = le16_to_cpu(leaf->l_next_free_rec);

	(void)cpos; (void)pblk; (void)fs;
	return n < le16_to_cpu(leaf->l_count);
}

/*
 * Append @clusters at @pblk as logical cluster @cpos of inode @di (which
 * the caller writes afterwards).  @cpos must be past the current end.
 * Extent blocks come from allocator @alloc (slot @slot's extent_alloc).
 */
int ocfs2_extent_append(struct ocfs2_fs *fs, struct ocfs2_dinode *di,
			u32 cpos, u64 pblk, u16 clusters, u8 flags, u64 alloc,
			u16 slot)
{
	struct path p;
	int ret, tries;

	for (tries = 0; tries < 3; tries++) {
		ret = load_right_path(fs, di, &p);
		if (ret)
			break;
		if (!p.depth && le16_to_cpu(p.el[0]->l_next_free_rec) <
		    le16_to_cpu(p.el[0]->l_count)) {
			ret = append_to_leaf(fs, &p, cpos, pblk, clusters,
					     flags);
			break;
		}
		if (p.depth && leaf_has_room(&p, cpos, pblk, fs)) {
			ret = append_to_leaf(fs, &p, cpos, pblk, clusters,
					     flags);
			break;
		}
		/* merging needs no room: try it before growing anything */
		ret = append_to_leaf(fs, &p, cpos, pblk, clusters, flags);
		if (ret != -ENOSPC)
			break;
		ret = p.depth ? add_branch(fs, di, &p, cpos, alloc, slot) :
				-ENOSPC;
		if (ret == -ENOSPC)
			ret = grow_depth(fs, di, alloc, slot);
		free_path(&p);
		if (ret)
			return ret;
	}
	free_path(&p);
	if (!ret)
		le32_add_cpu(&di->i_clusters, clusters);
	return ret;
}

/*
 * Grow @di to @want clusters from the global bitmap (zeroed when @zero),
 * appending to its extent tree (new extent blocks from @alloc) and
 * counting them in i_clusters; i_size and writing the inode are the
 * caller's.  *@first_new is
 * the first new cluster's logical position.
 */
int ocfs2_extend_file(struct ocfs2_fs *fs, struct ocfs2_dinode *di, u32 want,
		      u64 alloc, bool zero, u32 *first_new)
{
	u32 cpos = le32_to_cpu(di->i_clusters), start, got;
	int ret = 0;

	if (first_new)
		*first_new = cpos;
	while (cpos < want && !ret) {
		/* an extent record holds at most 0xffff clusters */
		u32 n = want - cpos > 0xffff ? 0xffff : want - cpos;

		ret = ocfs2_alloc_clusters(fs, n, &start, &got);
		if (!ret && zero)
			ret = io_zero(fs->io, (u64)start << fs->cbits,
				      (u64)got << fs->cbits);
		if (!ret)
			ret = ocfs2_extent_append(fs, di, cpos,
					ocfs2_clusters_to_blocks(fs, start),
					(u16)got, 0, alloc, 0);
		cpos += got;	/* ocfs2_extent_append counted them in */
	}
	return ret;
}
