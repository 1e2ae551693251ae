// SPDX-License-Identifier: GPL-2.0
/*
 * An xattr value kept out of line, given back whole in the transaction
 * that changes or removes its entry: its clusters, and the extent blocks
 * of its tree when stock spread it over several extents (the root's one
 * record then points at an extent block).  A value is at most 64 KiB, so
 * its tree is small (one leaf on any real volume).  It is walked and
 * checked before the transaction, counting what the transaction must
 * promise, and walked again inside it to free; the inode's meta lock and
 * alloc_sem keep it unchanged in between.
 */
#include <linux/moduleparam.h>
#include <linux/xattr.h>
#include "extent_tree.h"
#include "xattr.h"

/*
 * Values spread over extent blocks changed or removed one at a time (in
 * the inode, an xattr block or a bucket), and freed with their bucket at
 * delete.  On: fs/36 passed its interop part on 6.1 (run
 * 20261127-150917-set-PxWD) and its change part on 6.12 (run
 * 20261127-140649-set-OkCy).  0: refused with EOPNOTSUPP, logged, before
 * anything changes (whole-inode deletes of values outside buckets have
 * xattr_value_trees).
 */
static bool xattr_value_tree_changes = true;
module_param(xattr_value_tree_changes, bool, 0644);
MODULE_PARM_DESC(xattr_value_tree_changes,
		 "change, remove and free in buckets xattr values spread over extent blocks (default on)");

/* the smallest cluster is 4 KiB: no value needs more runs than this */
#define VALUE_MAX_RUNS		(XATTR_SIZE_MAX >> 12)
/* nor a real tree more blocks than a root, a leaf and some room */
#define VALUE_MAX_BLOCKS	8
/* freeing an extent block: its group, its allocator, another slot's */
#define VALUE_BLOCK_CREDITS	3

struct value_walk {
	struct inode		*inode;
	handle_t		*handle;	/* NULL: check and count */
	struct xattr_value_cost	*cost;
	unsigned int		runs;
	unsigned int		blocks;
};

static const struct ocfs2_xattr_value_root *value_root(
	const struct xattr_item *it)
{
	return it->val;
}

static int bad_value(struct value_walk *w, const char *what, u64 value)
{
	return ocfs2_fs_error(w->inode->i_sb, "xattr value tree",
			      "inode %lu: %s (value %llu)", w->inode->i_ino,
			      what, (unsigned long long)value);
}

/* A leaf record: a run of clusters inside the volume, given back. */
static int leaf_run(struct value_walk *w, const struct ocfs2_extent_rec *rec)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(w->inode->i_sb);
	u64 blkno = le64_to_cpu(rec->e_blkno);
	u32 clusters = le16_to_cpu(rec->e_leaf_clusters);
	u64 blocks = (u64)clusters << osb->bpc_bits;

	if (!clusters || blkno & ((1ULL << osb->bpc_bits) - 1) ||
	    !ocfs2_blkno_valid(osb, blkno) || blkno + blocks > osb->total_blocks)
		return bad_value(w, "extent outside the volume", blkno);
	if (++w->runs > VALUE_MAX_RUNS)
		return bad_value(w, "more extents than a value needs", w->runs);
	/* a reflink still holds these clusters: not un-shared here yet */
	if (rec->e_flags & OCFS2_EXT_REFCOUNTED) {
		ocfs2_err(w->inode->i_sb, "inode %lu: xattr value extent at block %llu is shared with a reflink (refcounted): changing or freeing it is not supported yet",
			  w->inode->i_ino, (unsigned long long)blkno);
		return -EOPNOTSUPP;
	}
	if (!w->handle) {
		w->cost->runs++;
		w->cost->credits += ocfs2_free_clusters_credits(osb, clusters);
		return 0;
	}
	/* the value's blocks were journaled when written */
	ocfs2_forget_blocks(w->handle, w->inode->i_sb, blkno, blocks);
	return ocfs2_release_clusters(w->handle, osb, blkno >> osb->bpc_bits,
				      clusters);
}

static int walk_list(struct value_walk *w, const struct ocfs2_extent_list *el,
		     unsigned int depth);

/* An extent block under a record at @depth: its records, then itself. */
static int child_block(struct value_walk *w,
		       const struct ocfs2_extent_rec *rec, unsigned int depth)
{
	u64 blkno = le64_to_cpu(rec->e_blkno);
	struct ocfs2_extent_list *el;
	struct buffer_head *bh;
	int ret;

	if (!ocfs2_blkno_valid(OCFS2_SB(w->inode->i_sb), blkno))
		return bad_value(w, "extent block outside the volume", blkno);
	if (++w->blocks > VALUE_MAX_BLOCKS)
		return bad_value(w, "more extent blocks than a value needs",
				 w->blocks);
	ret = ocfs2_read_covered(w->inode, blkno, OCFS2_BLOCK_EXTENT, &bh);
	if (ret)
		return ret;
	el = &((struct ocfs2_extent_block *)bh->b_data)->h_list;
	if (le16_to_cpu(el->l_tree_depth) + 1 != depth)
		ret = bad_value(w, "extent block at the wrong depth", blkno);
	else if (!el->l_next_free_rec)
		ret = bad_value(w, "empty extent block", blkno);
	if (!ret)
		ret = walk_list(w, el, depth - 1);
	if (!ret && w->handle)
		ret = ocfs2_free_extent_block(w->handle, w->inode, bh);
	else if (!ret)
		w->cost->credits += VALUE_BLOCK_CREDITS;
	brelse(bh);
	return ret;
}

static int walk_list(struct value_walk *w, const struct ocfs2_extent_list *el,
		     unsigned int depth)
{
	unsigned int i, used = le16_to_cpu(el->l_next_free_rec);
	int ret = 0;

	for (i = 0; !ret && i < used; i++)
		ret = depth ? child_block(w, &el->l_recs[i], depth) :
			      leaf_run(w, &el->l_recs[i]);
	return ret;
}

/* The root's own fields, as stock writes them: one record at most. */
static int check_root(struct value_walk *w, const struct ocfs2_extent_list *el)
{
	u16 depth = le16_to_cpu(el->l_tree_depth);

	if (le16_to_cpu(el->l_count) != 1)
		return bad_value(w, "value root record count",
				 le16_to_cpu(el->l_count));
	if (le16_to_cpu(el->l_next_free_rec) > 1)
		return bad_value(w, "value root records in use",
				 le16_to_cpu(el->l_next_free_rec));
	if (depth > OCFS2_MAX_TREE_DEPTH)
		return bad_value(w, "value tree depth", depth);
	if (depth && !READ_ONCE(xattr_value_tree_changes)) {
		ocfs2_err(w->inode->i_sb, "inode %lu: xattr value over extent blocks (depth %u) cannot be changed, nor freed from a bucket, unless ocfs2.xattr_value_tree_changes=1",
			  w->inode->i_ino, depth);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * 0 when @it's value (a value tree of any shape stock makes) can be given
 * back in one transaction; what that costs is added to @cost.  A damaged
 * tree is an error (read-only by the error policy) before anything
 * changed.
 */
int ocfs2_xattr_value_freeable(struct inode *inode,
			       const struct xattr_item *it,
			       struct xattr_value_cost *cost)
{
	const struct ocfs2_extent_list *el = &value_root(it)->xr_list;
	struct value_walk w = { .inode = inode, .cost = cost };
	int ret;

	if (it->local)
		return 0;
	ret = check_root(&w, el);
	return ret ? ret : walk_list(&w, el, le16_to_cpu(el->l_tree_depth));
}

/* Give back a value checked by ocfs2_xattr_value_freeable, in @handle. */
int ocfs2_xattr_free_value(handle_t *handle, struct inode *inode,
			   const struct xattr_item *it)
{
	const struct ocfs2_extent_list *el = &value_root(it)->xr_list;
	struct value_walk w = { .inode = inode, .handle = handle };

	if (it->local)
		return 0;
	return walk_list(&w, el, le16_to_cpu(el->l_tree_depth));
}
