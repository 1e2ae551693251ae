// SPDX-License-Identifier: GPL-2.0
/*
 * Adding a run of clusters to an extent tree (a file's, or any other
 * owner's: extent_root.c).  The run joins the record it continues when it
 * can and the owner allows it (sequential writes keep one record);
 * otherwise it gets a record of its own in the leaf that covers it.
 *
 * Stock keeps every leaf but the rightmost full: its inserts shift the
 * last record of each leaf into the next one, from the rightmost back to
 * the target, and call a leaf with room on the way on-disk corruption.
 * So the tree grows only at its right edge, as stock's does: a full
 * rightmost leaf gets a new, empty right sibling (a full interior block
 * too, and when every level up to the root is full the root moves down
 * into a new block, so the tree grows one level); then a record for a
 * full leaf further left goes in by shifting records one place right up
 * to that empty room.  Each step leaves a valid tree, then the path is
 * found again, so no step has to know what the others did.
 */
#include <linux/moduleparam.h>
#include "extent_tree.h"

/*
 * On (session 11: fs/30-33, 10, 13, 15, 21 passed with it on 6.1, run
 * 20261127-110503-set-9q3n; fs/30, 31, 10, 13, 15, 21 on 6.12, run
 * 20261127-104037-set-Bnws): inner leaves stay full through inserts here
 * and punches (extent_remove.c).
 * Off: a full leaf is split in two and a punched one keeps its hole (the
 * old ways: stock's kernel then refuses to insert left of such a leaf and
 * goes read-only), and directory indexes and bucket trees neither grow
 * past their root's records (ENOSPC) nor are freed when deeper (refused).
 */
static bool deep_trees = true;
module_param(deep_trees, bool, 0644);
MODULE_PARM_DESC(deep_trees,
		 "stock-shaped inserts and punches (inner leaves kept full); index and bucket trees deeper than their root (default on)");

bool ocfs2_deep_trees(void)
{
	return READ_ONCE(deep_trees);
}

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
static int add_to_leaf(const struct ocfs2_extent_root *er,
		       struct ocfs2_extent_list *el, const struct new_run *run)
{
	struct inode *inode = er->inode;
	struct super_block *sb = inode->i_sb;
	int at = insert_index(el, run->cpos);
	int used = le16_to_cpu(el->l_next_free_rec);
	struct ocfs2_extent_rec *rec;
	int ret;

	ret = er->hash_keyed ? 0 : overlaps(inode, el, at, run);
	if (ret)
		return ret;
	if (!er->hash_keyed && at && joins_left(sb, &el->l_recs[at - 1], run)) {
		le16_add_cpu(&el->l_recs[at - 1].e_leaf_clusters, run->clusters);
		return 0;
	}
	if (!er->hash_keyed && at < used &&
	    joins_right(sb, &el->l_recs[at], run)) {
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

/* The root's records move into a new block; the root points at it. */
static int push_root_down(handle_t *handle, struct ocfs2_path *path)
{
	struct inode *inode = path->er.inode;
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
		ocfs2_er_set_last_eb(&path->er, bh->b_blocknr);
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
 * The full block at @level of @path gets a new right sibling; its parent
 * has room.  Appending (@append, or @cpos past the block's end), a new
 * leaf is empty, keyed at @cpos or the end of the leaf (@append), and a
 * new interior block takes the last record; else the upper half moves.
 */
static int split_block(handle_t *handle, struct ocfs2_path *path, int level,
		       u32 cpos, bool append)
{
	struct inode *inode = path->er.inode;
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
	if (append)
		cpos = ocfs2_rec_end(el, &el->l_recs[used - 1]);
	if (append || cpos >= ocfs2_rec_end(el, &el->l_recs[used - 1]))
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
			ocfs2_er_set_last_eb(&path->er, bh->b_blocknr);
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

/* A new, empty rightmost leaf on the rightmost path @path (journaled). */
static int grow_right_edge(handle_t *handle, struct ocfs2_path *path)
{
	int level;

	for (level = path->depth; level > 0; level--)
		if (!list_full(path->el[level - 1]))
			return split_block(handle, path, level, 0, true);
	return push_root_down(handle, path);
}

/* With deep_trees off: the lowest full block on @path splits in two. */
static int split_path(handle_t *handle, struct ocfs2_path *path, u32 cpos)
{
	int level;

	for (level = path->depth; level > 0; level--)
		if (!list_full(path->el[level - 1]))
			return split_block(handle, path, level, cpos, false);
	return push_root_down(handle, path);
}

/*
 * @rec goes into @leaf in key order; when the leaf is full, its last
 * record (possibly @rec itself) comes back in @rec.  True if it did.
 */
static bool push_in(struct ocfs2_extent_list *leaf, struct ocfs2_extent_rec *rec)
{
	u16 used = le16_to_cpu(leaf->l_next_free_rec);
	int at = insert_index(leaf, le32_to_cpu(rec->e_cpos));
	struct ocfs2_extent_rec out;

	if (!list_full(leaf)) {
		memmove(&leaf->l_recs[at + 1], &leaf->l_recs[at],
			(used - at) * sizeof(*rec));
		leaf->l_recs[at] = *rec;
		le16_add_cpu(&leaf->l_next_free_rec, 1);
		return false;
	}
	if (at == used)
		return true;
	out = leaf->l_recs[used - 1];
	memmove(&leaf->l_recs[at + 1], &leaf->l_recs[at],
		(used - 1 - at) * sizeof(*rec));
	leaf->l_recs[at] = *rec;
	*rec = out;
	return true;
}

/* One more leaf of the shift into the transaction: journal it, then @rec. */
static int shift_into(handle_t *handle, struct ocfs2_path *right,
		      struct ocfs2_extent_rec *rec, bool *carrying)
{
	int ret;

	/* stock extends its transaction the same way, a path per leaf */
	if (jbd2_journal_extend(handle, right->depth + 1, 0))
		return -ENOSPC;
	ret = ocfs2_path_access(handle, right);
	if (ret)
		return ret;
	*carrying = push_in(right->el[right->depth], rec);
	ocfs2_path_fix_interior(right);
	ocfs2_path_dirty(handle, right);
	return 0;
}

/*
 * @run goes into the full leaf of @path (journaled): the last record of
 * each full leaf from there moves to the front of the next one, up to
 * the first with room (the rightmost has it).
 */
static int shift_insert(handle_t *handle, struct ocfs2_path *path,
			const struct new_run *run)
{
	struct ocfs2_path cur, next;
	struct ocfs2_extent_rec rec;
	bool carrying, owned = false;
	int ret = 0;

	memset(&rec, 0, sizeof(rec));
	rec.e_cpos = cpu_to_le32(run->cpos);
	rec.e_leaf_clusters = cpu_to_le16(run->clusters);
	rec.e_flags = run->flags;
	rec.e_blkno = cpu_to_le64(run->blkno);
	carrying = push_in(path->el[path->depth], &rec);
	ocfs2_path_fix_interior(path);
	cur = *path;
	while (carrying && !ret) {
		ret = ocfs2_path_right_leaf(&cur, &next);
		if (owned)
			ocfs2_path_release(&cur);
		if (ret)
			return ret;
		owned = true;
		cur = next;
		ret = shift_into(handle, &cur, &rec, &carrying);
	}
	if (owned)
		ocfs2_path_release(&cur);
	return ret;
}

/*
 * The leaf of @path (journaled) is full: shift @run in when the
 * rightmost leaf has room, else give it some (*@done stays false).
 */
static int make_room(handle_t *handle, struct ocfs2_path *path,
		     const struct new_run *run, bool *done)
{
	struct ocfs2_path right;
	int ret;

	if (!ocfs2_deep_trees())
		return split_path(handle, path, run->cpos);
	if (ocfs2_path_is_rightmost(path))
		return grow_right_edge(handle, path);
	ret = ocfs2_er_path_find(&path->er, 0, true, &right);
	if (ret)
		return ret;
	if (!list_full(right.el[right.depth])) {
		ret = shift_insert(handle, path, run);
		*done = !ret;
	} else {
		ret = ocfs2_path_access(handle, &right);
		if (!ret)
			ret = grow_right_edge(handle, &right);
		ocfs2_path_dirty(handle, &right);
	}
	ocfs2_path_release(&right);
	return ret;
}

static int insert_step(handle_t *handle, struct ocfs2_extent_root *er,
		       const struct new_run *run, bool *done)
{
	struct ocfs2_path path;
	int ret;

	ret = ocfs2_er_path_find(er, run->cpos, false, &path);
	if (ret)
		return ret;
	ret = ocfs2_path_access(handle, &path);
	if (ret)
		goto out;
	ret = add_to_leaf(er, path.el[path.depth], run);
	if (!ret) {
		*done = true;
		ocfs2_path_fix_interior(&path);
	} else if (ret == -ENOSPC) {
		ret = make_room(handle, &path, run, done);
	}
	ocfs2_path_dirty(handle, &path);
out:
	ocfs2_path_release(&path);
	return ret;
}

/*
 * Map @clusters clusters from logical cluster (or hash) @cpos of @er's
 * tree to the blocks at @blkno, in the caller's transaction.  The owner's
 * cluster count grows by @clusters.
 */
int ocfs2_er_insert(handle_t *handle, struct ocfs2_extent_root *er, u32 cpos,
		    u64 blkno, u32 clusters, u8 flags)
{
	struct new_run run = { cpos, clusters, blkno, flags };
	bool done = false;
	int ret, steps;

	if (!clusters || clusters > MAX_LEAF_CLUSTERS)
		return -EINVAL;
	for (steps = 0; !done && steps < 2 * OCFS2_MAX_TREE_DEPTH + 2; steps++) {
		ret = insert_step(handle, er, &run, &done);
		if (ret)
			return ret;
	}
	if (!done)
		return ocfs2_fs_error(er->inode->i_sb, __func__,
				      "inode %lu: no room for an extent at cluster %u of the tree in block %llu",
				      er->inode->i_ino, cpos,
				      (unsigned long long)er->bh->b_blocknr);
	ret = ocfs2_er_access(handle, er);
	if (ret)
		return ret;
	ocfs2_er_add_clusters(er, clusters);
	ocfs2_er_dirty(handle, er);
	return 0;
}

/* The same into a file's tree, rooted in its inode block @ibh. */
int ocfs2_insert_extent(handle_t *handle, struct inode *inode,
			struct buffer_head *ibh, u32 cpos, u64 blkno,
			u32 clusters, u8 flags)
{
	struct ocfs2_extent_root er;

	ocfs2_er_inode(&er, inode, ibh);
	return ocfs2_er_insert(handle, &er, cpos, blkno, clusters, flags);
}

/* Credits for one insert into a tree of @depth, growing it if need be. */
int ocfs2_insert_credits(int depth)
{
	/* each level may split: new block + allocator inode + group */
	return 4 * (depth + 2) + 4;
}

int ocfs2_er_insert_credits(const struct ocfs2_extent_root *er)
{
	return ocfs2_insert_credits(le16_to_cpu(er->el->l_tree_depth));
}
