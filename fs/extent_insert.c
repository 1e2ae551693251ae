// SPDX-License-Identifier: GPL-2.0
/*
 * Adding a run of clusters to a file's extent tree.  The run joins the
 * record it continues when it can (sequential writes keep one record);
 * otherwise it gets a record of its own in the leaf that covers it.  A
 * full leaf is split, a full interior block too, and when every level up
 * to the root is full the root moves down into a new block, so the tree
 * grows one level.  Each of those steps leaves a valid tree, then the
 * path is found again, so no step has to know what the others did.
 */
#include "extent_tree.h"

#define MAX_LEAF_CLUSTERS	U16_MAX

struct new_run {
	u32	cpos;
	u32	clusters;
	u64	blkno;
	u8	flags;
};

static bool list_full(const struct ocfs2_extent_list *el)
{
	return le16_to_cpu(el->l_next_free_rec) >= le16_to_cpu(el->l_count);
}

/* Index of the first record starting after @cpos. */
static int insert_index(const struct ocfs2_extent_list *el, u32 cpos)
{
	int i, used = le16_to_cpu(el->l_next_free_rec);

	for (i = 0; i < used; i++)
		if (le32_to_cpu(el->l_recs[i].e_cpos) > cpos)
			break;
	return i;
}

static bool joins_left(struct super_block *sb, const struct ocfs2_extent_rec *r,
		       const struct new_run *run)
{
	u32 len = le16_to_cpu(r->e_leaf_clusters);

	return r->e_flags == run->flags &&
	       le32_to_cpu(r->e_cpos) + len == run->cpos &&
	       le64_to_cpu(r->e_blkno) +
	       ((u64)len << OCFS2_SB(sb)->bpc_bits) == run->blkno &&
	       len + run->clusters <= MAX_LEAF_CLUSTERS;
}

static bool joins_right(struct super_block *sb, const struct ocfs2_extent_rec *r,
			const struct new_run *run)
{
	return r->e_flags == run->flags &&
	       run->cpos + run->clusters == le32_to_cpu(r->e_cpos) &&
	       run->blkno + ((u64)run->clusters << OCFS2_SB(sb)->bpc_bits) ==
	       le64_to_cpu(r->e_blkno) &&
	       le16_to_cpu(r->e_leaf_clusters) + run->clusters <=
	       MAX_LEAF_CLUSTERS;
}

static int overlaps(struct inode *inode, const struct ocfs2_extent_list *el,
		    int at, const struct new_run *run)
{
	const struct ocfs2_extent_rec *left = at ? &el->l_recs[at - 1] : NULL;
	const struct ocfs2_extent_rec *right = at < le16_to_cpu(el->l_next_free_rec) ?
		&el->l_recs[at] : NULL;

	if ((left && ocfs2_rec_end(el, left) > run->cpos) ||
	    (right && le32_to_cpu(right->e_cpos) < run->cpos + run->clusters))
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: a new extent at cluster %u would overlap one it has",
				      inode->i_ino, run->cpos);
	return 0;
}

/* Put the run into a leaf with room (or join a neighbour). */
static int add_to_leaf(struct inode *inode, struct ocfs2_extent_list *el,
		       const struct new_run *run)
{
	struct super_block *sb = inode->i_sb;
	int at = insert_index(el, run->cpos);
	int used = le16_to_cpu(el->l_next_free_rec);
	struct ocfs2_extent_rec *rec;
	int ret;

	ret = overlaps(inode, el, at, run);
	if (ret)
		return ret;
	if (at && joins_left(sb, &el->l_recs[at - 1], run)) {
		le16_add_cpu(&el->l_recs[at - 1].e_leaf_clusters, run->clusters);
		return 0;
	}
	if (at < used && joins_right(sb, &el->l_recs[at], run)) {
		rec = &el->l_recs[at];
		rec->e_cpos = cpu_to_le32(run->cpos);
		rec->e_blkno = cpu_to_le64(run->blkno);
		le16_add_cpu(&rec->e_leaf_clusters, run->clusters);
		return 0;
	}
	if (list_full(el))
		return -ENOSPC;
	memmove(&el->l_recs[at + 1], &el->l_recs[at],
		(used - at) * sizeof(el->l_recs[0]));
	rec = &el->l_recs[at];
	memset(rec, 0, sizeof(*rec));
	rec->e_cpos = cpu_to_le32(run->cpos);
	rec->e_leaf_clusters = cpu_to_le16(run->clusters);
	rec->e_flags = run->flags;
	rec->e_blkno = cpu_to_le64(run->blkno);
	le16_add_cpu(&el->l_next_free_rec, 1);
	return 0;
}

static void set_last_leaf(struct buffer_head *ibh, u64 blkno)
{
	((struct ocfs2_dinode *)ibh->b_data)->i_last_eb_blk = cpu_to_le64(blkno);
}

/* The root's records move into a new block; the root points at it. */
static int push_root_down(handle_t *handle, struct inode *inode,
			  struct ocfs2_path *path)
{
	struct ocfs2_extent_list *root = path->el[0], *el;
	u16 depth = le16_to_cpu(root->l_tree_depth);
	struct buffer_head *bh;
	u16 used = le16_to_cpu(root->l_next_free_rec);
	int ret;

	if (depth >= OCFS2_MAX_TREE_DEPTH)
		return -EFBIG;
	ret = ocfs2_new_extent_block(handle, inode, depth, &bh);
	if (ret)
		return ret;
	el = &((struct ocfs2_extent_block *)bh->b_data)->h_list;
	memcpy(el->l_recs, root->l_recs, used * sizeof(root->l_recs[0]));
	el->l_next_free_rec = cpu_to_le16(used);
	memset(root->l_recs, 0, used * sizeof(root->l_recs[0]));
	root->l_tree_depth = cpu_to_le16(depth + 1);
	root->l_next_free_rec = cpu_to_le16(1);
	root->l_recs[0].e_blkno = cpu_to_le64(bh->b_blocknr);
	root->l_recs[0].e_cpos = used ? el->l_recs[0].e_cpos : 0;
	root->l_recs[0].e_int_clusters =
		cpu_to_le32(used ? ocfs2_rec_end(el, &el->l_recs[used - 1]) -
			    le32_to_cpu(el->l_recs[0].e_cpos) : 0);
	if (!depth)
		set_last_leaf(path->bh[0], bh->b_blocknr);
	ocfs2_journal_dirty(handle, bh);
	brelse(bh);
	return 0;
}

/*
 * Record @i of interior list @el spans to the next record, the last one
 * to the end of its child @child.
 */
static void set_interior_span(struct ocfs2_extent_list *el, int i,
			      const struct ocfs2_extent_list *child)
{
	u16 used = le16_to_cpu(el->l_next_free_rec);
	u16 cused = le16_to_cpu(child->l_next_free_rec);
	u32 start = le32_to_cpu(el->l_recs[i].e_cpos), end = start;

	if (i + 1 < used)
		end = le32_to_cpu(el->l_recs[i + 1].e_cpos);
	else if (cused)
		end = ocfs2_rec_end(child, &child->l_recs[cused - 1]);
	el->l_recs[i].e_int_clusters = cpu_to_le32(end - start);
}

/*
 * Split the full block at @level of @path into a new right sibling; its
 * parent has room.  Appending past the end moves nothing into a new
 * leaf (sequential files keep full leaves) and one record into a new
 * interior block; anything else moves the upper half.
 */
static int split_block(handle_t *handle, struct inode *inode,
		       struct ocfs2_path *path, int level, u32 cpos)
{
	struct ocfs2_extent_list *el = path->el[level], *parent, *nel;
	struct ocfs2_extent_block *eb, *neb;
	u16 used = le16_to_cpu(el->l_next_free_rec);
	int pidx = path->idx[level - 1];
	struct buffer_head *bh;
	u16 keep, n;
	int ret;

	ret = ocfs2_new_extent_block(handle, inode,
				     le16_to_cpu(el->l_tree_depth), &bh);
	if (ret)
		return ret;
	neb = (struct ocfs2_extent_block *)bh->b_data;
	nel = &neb->h_list;
	if (cpos >= ocfs2_rec_end(el, &el->l_recs[used - 1]))
		keep = el->l_tree_depth ? used - 1 : used;
	else
		keep = used / 2;
	n = used - keep;
	memcpy(nel->l_recs, &el->l_recs[keep], n * sizeof(el->l_recs[0]));
	memset(&el->l_recs[keep], 0, n * sizeof(el->l_recs[0]));
	nel->l_next_free_rec = cpu_to_le16(n);
	el->l_next_free_rec = cpu_to_le16(keep);
	if (!el->l_tree_depth) {
		eb = (struct ocfs2_extent_block *)path->bh[level]->b_data;
		neb->h_next_leaf_blk = eb->h_next_leaf_blk;
		eb->h_next_leaf_blk = cpu_to_le64(bh->b_blocknr);
		if (!neb->h_next_leaf_blk)
			set_last_leaf(path->bh[0], bh->b_blocknr);
	}
	parent = path->el[level - 1];
	memmove(&parent->l_recs[pidx + 2], &parent->l_recs[pidx + 1],
		(le16_to_cpu(parent->l_next_free_rec) - pidx - 1) *
		sizeof(parent->l_recs[0]));
	memset(&parent->l_recs[pidx + 1], 0, sizeof(parent->l_recs[0]));
	parent->l_recs[pidx + 1].e_blkno = cpu_to_le64(bh->b_blocknr);
	parent->l_recs[pidx + 1].e_cpos = n ? nel->l_recs[0].e_cpos :
		cpu_to_le32(cpos);
	le16_add_cpu(&parent->l_next_free_rec, 1);
	set_interior_span(parent, pidx, el);
	set_interior_span(parent, pidx + 1, nel);
	ocfs2_journal_dirty(handle, bh);
	brelse(bh);
	return 0;
}

/* Make room on @path for one more leaf record. */
static int make_room(handle_t *handle, struct inode *inode,
		     struct ocfs2_path *path, u32 cpos)
{
	int level;

	for (level = path->depth; level > 0; level--)
		if (!list_full(path->el[level - 1]))
			return split_block(handle, inode, path, level, cpos);
	return push_root_down(handle, inode, path);
}

static int insert_step(handle_t *handle, struct inode *inode,
		       struct buffer_head *ibh, const struct new_run *run,
		       bool *done)
{
	struct ocfs2_path path;
	int ret;

	ret = ocfs2_path_find(inode, ibh, run->cpos, false, &path);
	if (ret)
		return ret;
	ret = ocfs2_path_access(handle, &path);
	if (ret)
		goto out;
	ret = add_to_leaf(inode, path.el[path.depth], run);
	if (!ret) {
		*done = true;
		ocfs2_path_fix_interior(&path);
	} else if (ret == -ENOSPC) {
		ret = make_room(handle, inode, &path, run->cpos);
	}
	ocfs2_path_dirty(handle, &path);
out:
	ocfs2_path_release(&path);
	return ret;
}

/*
 * Map @clusters clusters of @inode from logical cluster @cpos to the
 * blocks at @blkno, in the caller's transaction; the inode block @ibh is
 * the root.  The inode's cluster count grows by @clusters.
 */
int ocfs2_insert_extent(handle_t *handle, struct inode *inode,
			struct buffer_head *ibh, u32 cpos, u64 blkno,
			u32 clusters, u8 flags)
{
	struct new_run run = { cpos, clusters, blkno, flags };
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	bool done = false;
	int ret, steps;

	if (!clusters || clusters > MAX_LEAF_CLUSTERS)
		return -EINVAL;
	for (steps = 0; !done && steps < 2 * OCFS2_MAX_TREE_DEPTH + 2; steps++) {
		ret = insert_step(handle, inode, ibh, &run, &done);
		if (ret)
			return ret;
	}
	if (!done)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: no room for an extent at cluster %u",
				      inode->i_ino, cpos);
	ret = ocfs2_journal_access(handle, ibh);
	if (ret)
		return ret;
	le32_add_cpu(&di->i_clusters, clusters);
	OCFS2_I(inode)->clusters = le32_to_cpu(di->i_clusters);
	ocfs2_journal_dirty(handle, ibh);
	return 0;
}

/* Credits for one insert into a tree of @depth, growing it if need be. */
int ocfs2_insert_credits(int depth)
{
	/* each level may split: new block + allocator inode + group */
	return 4 * (depth + 2) + 4;
}
