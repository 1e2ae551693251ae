// SPDX-License-Identifier: GPL-2.0
/*
 * Cutting an extent tree (a file's or another owner's: extent_root.c)
 * back to its first @n clusters, from the right: each step takes the last
 * record of the rightmost leaf, frees what lies past the cut, and drops
 * blocks that became empty, in a transaction of its own so that a huge
 * file never needs one huge transaction.  The tree is valid between any
 * two steps.  Punches take records out of the middle the same way; one
 * whole record may also go inside a caller's transaction
 * (ocfs2_er_remove_rec: a refcount tree's emptied leaf).
 */
#include <linux/module.h>
#include "extent_tree.h"
#include "refcount.h"

/*
 * Punches that empty an inner leaf take it out of the tree (and keep the
 * leftmost interior records at cluster 0, as stock does).  On since
 * fs/15's inner-leaf punches passed in the lab on both kernels; 0 refuses
 * such a punch (-EOPNOTSUPP) before anything changes.
 */
static bool inner_leaf_punch = true;
module_param(inner_leaf_punch, bool, 0644);
MODULE_PARM_DESC(inner_leaf_punch,
		 "punches may empty inner extent leaves (default on; 0: refused)");

bool ocfs2_inner_leaf_punch(void)
{
	return READ_ONCE(inner_leaf_punch);
}

static int credits_for(int depth)
{
	/* path, freed blocks with their allocators, bitmap groups, refcounts */
	return 4 * (depth + 2) + 3 + U16_MAX / 1024 + 2 + OCFS2_RC_CREDITS;
}

/*
 * Clusters of a record going back: shared ones (a file's only, checked
 * by shared_limit) lose a reference.
 */
static int free_run(handle_t *handle, struct ocfs2_extent_root *er, u8 flags,
		    u32 first, u32 count)
{
	if (flags & OCFS2_EXT_REFCOUNTED)
		return ocfs2_rc_release(handle, er->inode, er->rc_ibh, first,
					count, true);
	return ocfs2_er_release(handle, er,
				(u64)first << OCFS2_SB(er->inode->i_sb)->bpc_bits,
				count);
}

/*
 * A step frees shared clusters of one refcount record at most (one
 * truncate log run), from the end (@tail) or the start of physical
 * clusters [@first, @first + @len): *@limit gets how many, *@ahead the
 * refcount blocks its split may take (claimed before the step changes
 * anything, so that a dry extent allocator fails it with -ENOSPC rather
 * than half way).
 */
static int shared_limit(struct ocfs2_extent_root *er, u8 flags, u32 first,
			u32 len, bool tail, u32 *limit, unsigned int *ahead)
{
	struct ocfs2_rc_piece piece;
	int ret;

	*limit = len;
	*ahead = 0;
	if (!(flags & OCFS2_EXT_REFCOUNTED) || !len)
		return 0;
	if (!er->rc_ibh) {
		ocfs2_err(er->inode->i_sb, "inode %lu: shared clusters in the extent tree of block %llu are not freed by this module",
			  er->inode->i_ino,
			  (unsigned long long)er->bh->b_blocknr);
		return -EOPNOTSUPP;
	}
	ret = ocfs2_rc_plan(er->inode, er->rc_ibh, first, len, tail, &piece);
	if (!ret) {
		*limit = piece.len;
		*ahead = piece.grows ? OCFS2_RC_NEW_BLOCKS : 0;
	}
	return ret;
}

/*
 * Blocks of @path left empty go, bottom up, each with its record in its
 * parent; *@kept is the level of the lowest block still holding records.
 */
static int drop_empty_blocks(handle_t *handle, struct ocfs2_path *path,
			     int *kept)
{
	struct inode *inode = path->er.inode;
	struct ocfs2_extent_list *el;
	int level, i, used, ret;

	for (level = path->depth; level > 0; level--) {
		if (path->el[level]->l_next_free_rec)
			break;
		ret = ocfs2_free_extent_block(handle, inode, path->bh[level]);
		if (ret)
			return ret;
		el = path->el[level - 1];
		i = path->idx[level - 1];
		used = le16_to_cpu(el->l_next_free_rec);
		memmove(&el->l_recs[i], &el->l_recs[i + 1],
			(used - i - 1) * sizeof(el->l_recs[0]));
		memset(&el->l_recs[used - 1], 0, sizeof(el->l_recs[0]));
		el->l_next_free_rec = cpu_to_le16(used - 1);
	}
	*kept = level;
	if (!path->el[0]->l_next_free_rec)
		path->el[0]->l_tree_depth = 0;
	return 0;
}

/*
 * After leaves went away: the new rightmost leaf ends the chain.  The
 * root's block is in the transaction.
 */
static int relink_last_leaf(handle_t *handle, struct ocfs2_extent_root *er)
{
	struct ocfs2_extent_block *eb;
	struct ocfs2_path path;
	int ret;

	if (!er->el->l_tree_depth) {
		ocfs2_er_set_last_eb(er, 0);
		return 0;
	}
	ret = ocfs2_er_path_find(er, 0, true, &path);
	if (ret)
		return ret;
	ret = ocfs2_path_access(handle, &path);
	if (!ret) {
		eb = (struct ocfs2_extent_block *)path.bh[path.depth]->b_data;
		eb->h_next_leaf_blk = 0;
		ocfs2_er_set_last_eb(er, path.bh[path.depth]->b_blocknr);
		ocfs2_path_fix_interior(&path);
		ocfs2_path_dirty(handle, &path);
	}
	ocfs2_path_release(&path);
	return ret;
}

/*
 * The rightmost leaf's last record, as a trim past @keep sees it (with
 * @whole: all of it goes): NULL when none of it goes, else *@len is its
 * length and *@cut how many of its first clusters stay.
 */
static struct ocfs2_extent_rec *trim_target(struct ocfs2_extent_list *leaf,
					    u32 keep, bool whole, u32 *len,
					    u32 *cut)
{
	u16 used = le16_to_cpu(leaf->l_next_free_rec);
	struct ocfs2_extent_rec *rec;
	u32 start;

	if (!used)
		return NULL;
	rec = &leaf->l_recs[used - 1];
	start = le32_to_cpu(rec->e_cpos);
	*len = le16_to_cpu(rec->e_leaf_clusters);
	if (whole)
		keep = start;
	if (start + *len <= keep && !whole)
		return NULL;
	*cut = start >= keep ? 0 : keep - start;
	return rec;
}

/*
 * Trim the last record past @keep (with @whole: the last record, all of
 * it); *@freed gets the clusters given back, *@more whether another step
 * may be needed.
 */
static int trim_last(handle_t *handle, struct ocfs2_path *path, u32 keep,
		     bool whole, u32 limit, u32 *freed, bool *more)
{
	struct inode *inode = path->er.inode;
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_extent_list *leaf = path->el[path->depth];
	struct ocfs2_extent_rec *rec;
	u32 len, cut;

	*freed = 0;
	*more = false;
	rec = trim_target(leaf, keep, whole, &len, &cut);
	if (!rec)
		return 0;
	*freed = min(len - cut, limit);
	/* a step cut short by a refcount record: the rest comes next */
	*more = !cut || len - *freed != cut;
	cut = len - *freed;
	if (*freed && (le64_to_cpu(rec->e_blkno) >> osb->bpc_bits) +
	    cut + *freed > osb->total_clusters)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: extent at cluster %u lies outside the volume",
				      inode->i_ino, le32_to_cpu(rec->e_cpos));
	if (*freed) {
		u32 first = (le64_to_cpu(rec->e_blkno) >> osb->bpc_bits) + cut;
		int ret = free_run(handle, &path->er, rec->e_flags, first,
				   *freed);

		if (ret)
			return ret;
	}
	if (cut) {
		rec->e_leaf_clusters = cpu_to_le16(cut);
	} else {
		memset(rec, 0, sizeof(*rec));
		le16_add_cpu(&leaf->l_next_free_rec, -1);
	}
	return 0;
}

/*
 * Before a trim step: how much of the last record's tail it may free,
 * and the blocks to claim ahead for it.
 */
static int trim_limit(struct ocfs2_path *path, u32 keep, bool whole,
		      u32 *limit, unsigned int *ahead)
{
	unsigned int bpc_bits = OCFS2_SB(path->er.inode->i_sb)->bpc_bits;
	struct ocfs2_extent_rec *rec;
	u32 len, cut;

	*limit = U32_MAX;
	*ahead = 0;
	rec = trim_target(path->el[path->depth], keep, whole, &len, &cut);
	if (!rec)
		return 0;
	return shared_limit(&path->er, rec->e_flags,
			    (le64_to_cpu(rec->e_blkno) >> bpc_bits) + cut,
			    len - cut, true, limit, ahead);
}

static int trim_step(struct ocfs2_extent_root *er, u32 keep, bool whole,
		     bool *more)
{
	struct inode *inode = er->inode;
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_path path;
	unsigned int ahead;
	bool dropped;
	handle_t *handle;
	u32 freed = 0, limit;
	int kept, ret;

	ret = ocfs2_er_path_find(er, 0, true, &path);
	if (ret)
		return ret;
	ret = trim_limit(&path, keep, whole, &limit, &ahead);
	if (ret)
		goto out;
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 credits_for(path.depth) +
					 OCFS2_META_AHEAD_CREDITS);
	if (IS_ERR(handle)) {
		ret = PTR_ERR(handle);
		goto out;
	}
	/* -ENOSPC here changed nothing: the step is not made, no abort */
	ret = ocfs2_meta_claim_ahead(handle, osb, ahead);
	if (ret) {
		ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
		goto out;
	}
	down_write(&OCFS2_I(inode)->alloc_sem);
	ret = ocfs2_path_access(handle, &path);
	if (!ret)
		ret = trim_last(handle, &path, keep, whole, limit, &freed,
				more);
	dropped = !path.el[path.depth]->l_next_free_rec && path.depth;
	if (!ret && dropped)
		ret = drop_empty_blocks(handle, &path, &kept);
	if (!ret && dropped)
		ret = relink_last_leaf(handle, er);
	if (!ret && !dropped)
		ocfs2_path_fix_interior(&path);
	if (!ret) {
		ocfs2_er_add_clusters(er, -freed);
		ocfs2_path_dirty(handle, &path);
	}
	up_write(&OCFS2_I(inode)->alloc_sem);
	/* a half-made step must not reach the disk */
	ret = ocfs2_commit_or_abort(osb, handle, OCFS2_AL_DATA, ret);
out:
	ocfs2_path_release(&path);
	return ret;
}

/*
 * Free everything @er's tree maps from logical cluster @keep on, with the
 * extent blocks that no longer map anything.  The caller holds the
 * owner's meta lock (exclusive) with the root's block, and (a file) has
 * dropped the page cache past the cut.
 */
int ocfs2_er_trim(struct ocfs2_extent_root *er, u32 keep)
{
	bool shared = er->rc_ibh && ocfs2_inode_is_refcounted(er->inode);
	struct ocfs2_rc_held *held = NULL;
	bool more = true;
	int ret = 0;

	/* shared clusters: the tree stays as planned until each commit */
	if (shared) {
		ret = ocfs2_rc_lock(er->inode, er->rc_ibh, &held);
		if (ret)
			return ret;
	}
	while (more && !ret) {
		ret = trim_step(er, keep, false, &more);
		cond_resched();
	}
	if (shared)
		ocfs2_rc_unlock(er->inode, held);
	return ret;
}

int ocfs2_trim_extents(struct inode *inode, struct buffer_head *ibh, u32 keep)
{
	struct ocfs2_extent_root er;

	ocfs2_er_inode(&er, inode, ibh);
	return ocfs2_er_trim(&er, keep);
}

/*
 * The rightmost record goes whole, whatever its start: for owners whose
 * records are keyed by hash (a bucket tree's runs), where a cluster
 * count past the key means nothing.  Not for a file's shared clusters.
 */
int ocfs2_er_drop_last(struct ocfs2_extent_root *er)
{
	bool more;

	if (!er->el->l_next_free_rec)
		return 0;
	return trim_step(er, 0, true, &more);
}

/* Everything the tree maps and its extent blocks; the root stays, empty. */
int ocfs2_er_free_tree(struct ocfs2_extent_root *er)
{
	int ret = 0;

	while (!ret && er->el->l_next_free_rec) {
		ret = ocfs2_er_drop_last(er);
		cond_resched();
	}
	return ret;
}

/*
 * Punching clusters out of the middle of a tree, one record per step:
 * the record holding @cpos loses [cpos, end) (or as much of it as it
 * maps).  Its clusters go back; the record is dropped, shortened, moved
 * up, or cut in two (the right piece inserted again, which may split
 * leaves).  A leaf left empty leaves the tree: the rightmost one makes
 * its left neighbour the last leaf; an inner one is unlinked from the
 * leaf chain and its left neighbour's interior records span its range
 * (lookups there find a hole, as stock's path search does).
 */
struct punch {
	u32	start;		/* record start and end */
	u32	end;
	u32	from;		/* what goes: [from, to) */
	u32	to;
	u64	blkno;
	u8	flags;
	unsigned int ahead;	/* metadata blocks claimed before changing */
	bool	inner_leaf;	/* the last record of a leaf not rightmost */
	bool	refill;		/* a whole record of a leaf not rightmost */
};

static bool path_is_leftmost(struct ocfs2_path *path)
{
	int level;

	for (level = 0; level < path->depth; level++)
		if (path->idx[level])
			return false;
	return true;
}

/*
 * Whether emptying @path's leaf is refused: with the setting off, and
 * when it is the leftmost leaf and an interior block would empty with it
 * (the next blocks down the new leftmost edge, not on @path, would need
 * their first records moved to cluster 0).
 */
static bool inner_leaf_refused(struct ocfs2_path *path)
{
	if (!ocfs2_inner_leaf_punch())
		return true;
	return path->depth > 1 && path_is_leftmost(path) &&
	       le16_to_cpu(path->el[path->depth - 1]->l_next_free_rec) == 1;
}

static int punch_find(struct ocfs2_path *path, u32 cpos, u32 end,
		      struct punch *p)
{
	struct inode *inode = path->er.inode;
	unsigned int bpc_bits = OCFS2_SB(inode->i_sb)->bpc_bits;
	struct ocfs2_extent_list *leaf = path->el[path->depth];
	int i, used = le16_to_cpu(leaf->l_next_free_rec);
	u32 limit;
	int ret;

	for (i = 0; i < used; i++) {
		struct ocfs2_extent_rec *rec = &leaf->l_recs[i];

		p->start = le32_to_cpu(rec->e_cpos);
		p->end = ocfs2_rec_end(leaf, rec);
		if (p->start <= cpos && cpos < p->end)
			break;
	}
	if (i == used)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: no extent holds cluster %u",
				      inode->i_ino, cpos);
	p->from = cpos;
	p->to = min(end, p->end);
	p->blkno = le64_to_cpu(leaf->l_recs[i].e_blkno);
	p->flags = leaf->l_recs[i].e_flags;
	ret = shared_limit(&path->er, p->flags,
			   (p->blkno >> bpc_bits) + (p->from - p->start),
			   p->to - p->from, false, &limit, &p->ahead);
	if (ret)
		return ret;
	p->to = p->from + limit;
	/* the right piece goes in again: a full leaf splits up to the root */
	if (p->from > p->start && p->to < p->end &&
	    le16_to_cpu(leaf->l_next_free_rec) >= le16_to_cpu(leaf->l_count))
		p->ahead += path->depth + 1;
	p->refill = p->from == p->start && p->to == p->end && path->depth &&
		    !ocfs2_path_is_rightmost(path) && ocfs2_deep_trees();
	p->inner_leaf = p->from == p->start && p->to == p->end && !p->refill &&
			used == 1 && path->depth && !ocfs2_path_is_rightmost(path);
	if (p->inner_leaf && inner_leaf_refused(path))
		return -EOPNOTSUPP;
	return i;
}

/* The leaf record @i changes as @p says (the right piece comes later). */
static void punch_record(struct ocfs2_extent_list *leaf, int i,
			 const struct punch *p, unsigned int bpc_bits)
{
	struct ocfs2_extent_rec *rec = &leaf->l_recs[i];
	u16 used = le16_to_cpu(leaf->l_next_free_rec);

	if (p->from == p->start && p->to == p->end) {
		memmove(rec, rec + 1, (used - i - 1) * sizeof(*rec));
		memset(&leaf->l_recs[used - 1], 0, sizeof(*rec));
		leaf->l_next_free_rec = cpu_to_le16(used - 1);
	} else if (p->from == p->start) {
		rec->e_cpos = cpu_to_le32(p->to);
		rec->e_blkno = cpu_to_le64(p->blkno +
			((u64)(p->to - p->start) << bpc_bits));
		rec->e_leaf_clusters = cpu_to_le16(p->end - p->to);
	} else {
		rec->e_leaf_clusters = cpu_to_le16(p->from - p->start);
	}
}

/*
 * The path to the leaf left of @path's (an empty @left when @path is the
 * leftmost): interior records span without gaps, so the cluster before
 * the one the leaf's parent record starts at leads there.
 */
static int find_left_leaf(struct ocfs2_path *path, struct ocfs2_path *left)
{
	struct inode *inode = path->er.inode;
	struct ocfs2_extent_list *parent = path->el[path->depth - 1];
	u32 cpos = le32_to_cpu(parent->l_recs[path->idx[path->depth - 1]].e_cpos);

	memset(left, 0, sizeof(*left));
	if (path_is_leftmost(path))
		return 0;
	if (!cpos)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: extent leaf %llu starts at cluster 0 but is not the leftmost",
				      inode->i_ino,
				      (unsigned long long)path->bh[path->depth]->b_blocknr);
	return ocfs2_er_path_find(&path->er, cpos - 1, false, left);
}

/*
 * The leftmost leaf left the tree: the records that now begin the levels
 * down to @kept start at cluster 0 again (ocfs2_path_fix_interior), each
 * keeping its end.
 */
static void leftmost_from_zero(struct ocfs2_path *path, int kept)
{
	struct ocfs2_extent_rec *rec;
	int level;

	for (level = 0; level <= kept; level++) {
		rec = &path->el[level]->l_recs[0];
		le32_add_cpu(&rec->e_int_clusters, le32_to_cpu(rec->e_cpos));
		rec->e_cpos = 0;
	}
}

/*
 * @path's leaf, emptied and not the rightmost, leaves the tree: the
 * leaf before it in the chain points past it, and the interior records
 * on both sides are set again (@left, journaled, may be empty: @path's
 * leaf was the leftmost).
 */
static int drop_inner_leaf(handle_t *handle, struct ocfs2_path *path,
			   struct ocfs2_path *left)
{
	struct ocfs2_extent_block *eb =
		(struct ocfs2_extent_block *)path->bh[path->depth]->b_data;
	__le64 next = eb->h_next_leaf_blk;
	struct ocfs2_path upper;
	int kept, ret;

	ret = drop_empty_blocks(handle, path, &kept);
	if (ret)
		return ret;
	/* the lowest block kept may have a new first child */
	upper = *path;
	upper.depth = kept;
	ocfs2_path_fix_interior(&upper);
	if (!left->depth) {
		leftmost_from_zero(path, kept);
		return 0;
	}
	eb = (struct ocfs2_extent_block *)left->bh[left->depth]->b_data;
	eb->h_next_leaf_blk = next;
	ocfs2_path_fix_interior(left);
	return 0;
}

/*
 * One record of the leaf right of @cur's (@next) moves to the end of
 * @cur's leaf; *@more says whether @next's leaf needs one in turn (it
 * was full, or is now empty).  @cur is in the transaction.
 */
static int pull_one(handle_t *handle, struct ocfs2_path *cur,
		    struct ocfs2_path *next, bool *more)
{
	struct ocfs2_extent_list *to = cur->el[cur->depth];
	struct ocfs2_extent_list *from = next->el[next->depth];
	u16 had = le16_to_cpu(from->l_next_free_rec);
	u16 used = le16_to_cpu(to->l_next_free_rec);
	int ret;

	*more = false;
	if (!had || used >= le16_to_cpu(to->l_count))
		return 0;
	/*
	 * The next leaf's path, and freeing an emptied rightmost leaf with
	 * its parents.  Without the credits the tree stays as it is, valid
	 * with one leaf short of full (as before ocfs2.deep_trees), unless
	 * @cur's leaf is empty.
	 */
	if (jbd2_journal_extend(handle, 3 * next->depth + 3, 0))
		return used ? 0 : -ENOSPC;
	ret = ocfs2_path_access(handle, next);
	if (ret)
		return ret;
	to->l_recs[used] = from->l_recs[0];
	le16_add_cpu(&to->l_next_free_rec, 1);
	memmove(&from->l_recs[0], &from->l_recs[1],
		(had - 1) * sizeof(from->l_recs[0]));
	memset(&from->l_recs[had - 1], 0, sizeof(from->l_recs[0]));
	from->l_next_free_rec = cpu_to_le16(had - 1);
	ocfs2_path_fix_interior(cur);
	ocfs2_path_fix_interior(next);
	ocfs2_path_dirty(handle, cur);
	ocfs2_path_dirty(handle, next);
	*more = had == le16_to_cpu(from->l_count) || had == 1;
	return 0;
}

/*
 * With ocfs2.deep_trees: a record went from @path's leaf, which is not
 * the rightmost.  Stock's inserts need every leaf but the rightmost full
 * (and its removals keep them so), so the hole is made up from the right:
 * each leaf takes the next one's first record, up to the rightmost (or a
 * leaf that was not full); a rightmost leaf left empty goes.
 */
static int refill_from_right(handle_t *handle, struct ocfs2_extent_root *er,
			     struct ocfs2_path *path)
{
	struct ocfs2_path cur = *path, next;
	bool more = true, owned = false;
	int kept, ret = 0;

	while (more && !ocfs2_path_is_rightmost(&cur)) {
		ret = ocfs2_path_right_leaf(&cur, &next);
		if (ret)
			break;
		ret = pull_one(handle, &cur, &next, &more);
		if (owned)
			ocfs2_path_release(&cur);
		cur = next;
		owned = true;
		if (ret)
			break;
	}
	if (!ret && ocfs2_path_is_rightmost(&cur) &&
	    !cur.el[cur.depth]->l_next_free_rec) {
		ret = drop_empty_blocks(handle, &cur, &kept);
		if (!ret)
			ret = relink_last_leaf(handle, er);
	}
	if (owned)
		ocfs2_path_release(&cur);
	return ret;
}

/* @path's blocks, @left's (may be empty) and the root's, journaled. */
static int punch_access(handle_t *handle, struct ocfs2_extent_root *er,
			struct ocfs2_path *path, struct ocfs2_path *left)
{
	int ret;

	ret = ocfs2_path_access(handle, path);
	if (!ret && left->depth)
		ret = ocfs2_path_access(handle, left);
	if (!ret)
		ret = ocfs2_er_access(handle, er);
	return ret;
}

/*
 * Record @i of @path's leaf changes as @p says, and the tree keeps its
 * shape around it (the blocks are journaled; what the record mapped is
 * freed by the caller).
 */
static int punch_reshape(handle_t *handle, struct ocfs2_extent_root *er,
			 struct ocfs2_path *path, struct ocfs2_path *left,
			 int i, const struct punch *p)
{
	bool dropped;
	int kept, ret = 0;

	punch_record(path->el[path->depth], i, p,
		     OCFS2_SB(er->inode->i_sb)->bpc_bits);
	ocfs2_er_add_clusters(er, -(p->to - p->from));
	dropped = !path->el[path->depth]->l_next_free_rec && path->depth;
	if (p->refill) {
		ocfs2_path_fix_interior(path);
		ret = refill_from_right(handle, er, path);
	} else if (dropped && p->inner_leaf) {
		ret = drop_inner_leaf(handle, path, left);
	} else if (dropped) {
		ret = drop_empty_blocks(handle, path, &kept);
		if (!ret)
			ret = relink_last_leaf(handle, er);
	} else {
		ocfs2_path_fix_interior(path);
	}
	ocfs2_path_dirty(handle, path);
	if (left->depth)
		ocfs2_path_dirty(handle, left);
	ocfs2_er_dirty(handle, er);
	return ret;
}

static int punch_in_trans(handle_t *handle, struct ocfs2_extent_root *er,
			  struct ocfs2_path *path, struct ocfs2_path *left,
			  int i, const struct punch *p)
{
	struct inode *inode = er->inode;
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	u32 first = (p->blkno >> osb->bpc_bits) + (p->from - p->start);
	int ret;

	if (first + (p->to - p->from) > osb->total_clusters)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: extent at cluster %u lies outside the volume",
				      inode->i_ino, p->start);
	ret = punch_access(handle, er, path, left);
	if (!ret)
		ret = free_run(handle, er, p->flags, first, p->to - p->from);
	if (ret)
		return ret;
	return punch_reshape(handle, er, path, left, i, p);
}

/* The piece right of the hole, when the hole was cut out of one record. */
static int punch_right_piece(handle_t *handle, struct ocfs2_extent_root *er,
			     const struct punch *p)
{
	unsigned int bpc_bits = OCFS2_SB(er->inode->i_sb)->bpc_bits;
	int ret;

	ret = ocfs2_er_insert(handle, er, p->to,
			      p->blkno + ((u64)(p->to - p->start) << bpc_bits),
			      p->end - p->to, p->flags);
	if (ret)
		return ret;
	/* those clusters were counted already (the root is journaled) */
	ocfs2_er_add_clusters(er, -(p->end - p->to));
	return 0;
}

static int punch_step(struct ocfs2_extent_root *er, u32 cpos, u32 end,
		      u32 *next)
{
	struct inode *inode = er->inode;
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_path path, left = {};
	struct punch p;
	handle_t *handle;
	int i, ret;

	ret = ocfs2_er_path_find(er, cpos, false, &path);
	if (ret)
		return ret;
	i = punch_find(&path, cpos, end, &p);
	if (i < 0) {
		ret = i;
		goto out;
	}
	if (p.inner_leaf) {
		ret = find_left_leaf(&path, &left);
		if (ret)
			goto out;
	}
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 credits_for(path.depth) +
					 ocfs2_insert_credits(path.depth) +
					 left.depth + 1 + OCFS2_META_AHEAD_CREDITS);
	if (IS_ERR(handle)) {
		ret = PTR_ERR(handle);
		goto out;
	}
	/* -ENOSPC here changed nothing: the punch stops, no abort */
	ret = ocfs2_meta_claim_ahead(handle, osb, p.ahead);
	if (ret) {
		ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
		goto out;
	}
	down_write(&OCFS2_I(inode)->alloc_sem);
	ret = punch_in_trans(handle, er, &path, &left, i, &p);
	ocfs2_path_release(&path);
	ocfs2_path_release(&left);
	if (!ret && p.from > p.start && p.to < p.end)
		ret = punch_right_piece(handle, er, &p);
	up_write(&OCFS2_I(inode)->alloc_sem);
	/* a half-made punch must not reach the disk */
	ret = ocfs2_commit_or_abort(osb, handle, OCFS2_AL_DATA, ret);
	*next = p.to;
	return ret;
out:
	ocfs2_path_release(&path);
	ocfs2_path_release(&left);
	return ret;
}

/* Where @er's tree maps cluster @cpos (under alloc_sem, for a file). */
static int er_lookup(struct ocfs2_extent_root *er, u32 cpos,
		     struct ocfs2_extent_hit *hit)
{
	struct ocfs2_inode_info *oi = OCFS2_I(er->inode);
	int ret;

	down_read(&oi->alloc_sem);
	ret = ocfs2_map_in_list(er->inode, er->el,
				(u64)cpos << OCFS2_SB(er->inode->i_sb)->bpc_bits,
				hit);
	up_read(&oi->alloc_sem);
	return ret;
}

/*
 * Free clusters [first, end) of @er's tree wherever they are mapped.  The
 * caller holds the owner's meta lock (exclusive) with the root's block,
 * and (a file) has dropped the page cache over the range.
 */
int ocfs2_er_punch(struct ocfs2_extent_root *er, u32 first, u32 end)
{
	unsigned int bpc_bits = OCFS2_SB(er->inode->i_sb)->bpc_bits;
	bool shared = er->rc_ibh && ocfs2_inode_is_refcounted(er->inode);
	struct ocfs2_extent_hit hit;
	struct ocfs2_rc_held *held = NULL;
	u32 cpos = first, next;
	int ret = 0;
	u64 span;

	if (shared) {
		ret = ocfs2_rc_lock(er->inode, er->rc_ibh, &held);
		if (ret)
			return ret;
	}
	while (cpos < end) {
		ret = er_lookup(er, cpos, &hit);
		if (ret)
			break;
		if (!hit.phys) {
			span = hit.blocks >> bpc_bits;
			if (!span)
				break;	/* a hole to the end of the file */
			cpos += min_t(u64, span, end - cpos);
			continue;
		}
		ret = punch_step(er, cpos, end, &next);
		if (ret)
			break;
		cpos = next;
		cond_resched();
	}
	if (shared)
		ocfs2_rc_unlock(er->inode, held);
	return ret;
}

int ocfs2_punch_extents(struct inode *inode, struct buffer_head *ibh,
			u32 first, u32 end)
{
	struct ocfs2_extent_root er;

	ocfs2_er_inode(&er, inode, ibh);
	return ocfs2_er_punch(&er, first, end);
}

/*
 * Removing one whole record in a transaction already open (below): the
 * path's blocks, an emptied path's blocks with their allocators, and the
 * first pull from the right (refill_from_right extends for the others).
 */
int ocfs2_er_remove_credits(const struct ocfs2_extent_root *er)
{
	int depth = le16_to_cpu(er->el->l_tree_depth);

	return 3 * (depth + 1) + 3 * depth + 3;
}

/*
 * The record mapping @blkno in the leaf on the path to key @cpos, set up
 * as a punch of all of it (found by the block: the key only leads there).
 */
static int remove_find(struct ocfs2_path *path, u32 cpos, u64 blkno,
		       struct punch *p)
{
	struct ocfs2_extent_list *leaf = path->el[path->depth];
	int i, used = le16_to_cpu(leaf->l_next_free_rec);

	for (i = 0; i < used; i++)
		if (le64_to_cpu(leaf->l_recs[i].e_blkno) == blkno)
			break;
	if (i == used)
		return ocfs2_fs_error(path->er.inode->i_sb, __func__,
				      "extent tree of block %llu: no record at %u maps block %llu",
				      (unsigned long long)path->er.bh->b_blocknr,
				      cpos, (unsigned long long)blkno);
	memset(p, 0, sizeof(*p));
	p->start = le32_to_cpu(leaf->l_recs[i].e_cpos);
	p->end = ocfs2_rec_end(leaf, &leaf->l_recs[i]);
	p->from = p->start;
	p->to = p->end;
	p->blkno = blkno;
	p->flags = leaf->l_recs[i].e_flags;
	p->refill = path->depth && !ocfs2_path_is_rightmost(path) &&
		    ocfs2_deep_trees();
	p->inner_leaf = !p->refill && used == 1 && path->depth &&
			!ocfs2_path_is_rightmost(path);
	if (p->inner_leaf && inner_leaf_refused(path))
		return -EOPNOTSUPP;
	return i;
}

/*
 * The record of key @cpos mapping @blkno leaves @er's tree inside the
 * caller's transaction, the tree keeping the shape a punch of it leaves
 * (stock's: inner leaves refilled from the right, emptied extent blocks
 * freed, the owner's cluster count lowered).  What the record mapped is
 * the caller's to free (a refcount leaf block).  The caller holds what
 * guards the tree, and its handle has ocfs2_er_remove_credits() left.
 */
int ocfs2_er_remove_rec(handle_t *handle, struct ocfs2_extent_root *er,
			u32 cpos, u64 blkno)
{
	struct ocfs2_path path, left = {};
	struct punch p;
	int i, ret;

	ret = ocfs2_er_path_find(er, cpos, false, &path);
	if (ret)
		return ret;
	i = remove_find(&path, cpos, blkno, &p);
	ret = i < 0 ? i : 0;
	if (!ret && p.inner_leaf)
		ret = find_left_leaf(&path, &left);
	if (!ret)
		ret = punch_access(handle, er, &path, &left);
	if (!ret)
		ret = punch_reshape(handle, er, &path, &left, i, &p);
	ocfs2_path_release(&path);
	ocfs2_path_release(&left);
	return ret;
}
