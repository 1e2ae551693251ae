// SPDX-License-Identifier: GPL-2.0
/*
 * Refcount trees: the records {physical cluster, clusters, count} saying
 * how many extents (of the inodes naming the tree) share each cluster.
 * A small tree keeps its records in the root block; a bigger one turns
 * the root's record area into an extent list (rf_list) whose records map
 * ranges of clusters (the low 32 bits of the cluster number) to leaf
 * blocks holding the records, each leaf covering from its record's start
 * to the next one's.
 *
 * Here a reference is dropped: the record covering the clusters is
 * split where the range starts or ends inside it, its count lowered, a
 * record reaching 0 removed (its clusters freed through the truncate log
 * when the caller frees them), neighbours with equal counts merged as
 * stock merges them, and an emptied leaf taken out of the tree (the root
 * holding records again once no leaf is left).  A split that needs room
 * the block lacks makes it, as stock does: a one-block tree moves its
 * records into a first leaf, and a full leaf gives its upper half to a
 * new leaf after it.  An rf_list deeper than the root (stock's, once its
 * root indexes as many leaves as it can) is walked down its extent
 * blocks; a leaf split there (or where the root's rf_list is full) puts
 * the new leaf's record in through the extent tree code, which grows the
 * tree at its right edge as stock's does (local mounts: on cluster mounts
 * its reads would be cached under the inode's lock, not the tree's).
 * An emptied leaf of such a tree leaves it through the extent tree code
 * as well (behind ocfs2.refcount_deep_empty, local mounts).  What is not
 * done yet is refused before anything changes: those splits and
 * emptyings on cluster mounts.
 */
#include <linux/module.h>
#include <linux/random.h>
#include <ocfs2/refcount_list.h>
#include "extent_tree.h"
#include "refcount.h"

static bool refcount_writes = true;
module_param(refcount_writes, bool, 0644);
MODULE_PARM_DESC(refcount_writes,
		 "reflinked files may be written, truncated, removed and made (default on; off: refused with EOPNOTSUPP)");

bool ocfs2_refcount_writes(void)
{
	return READ_ONCE(refcount_writes);
}

bool ocfs2_refcount_refused(struct inode *inode)
{
	return ocfs2_inode_is_refcounted(inode) && !ocfs2_refcount_writes();
}

/*
 * A refcounted inode with xattrs is deleted, values shared with a
 * reflink losing a reference (xattr_free.c).  0: its last name may not go
 * (the session 11 behaviour).
 */
static bool refcount_xattr_delete = true;
module_param(refcount_xattr_delete, bool, 0644);
MODULE_PARM_DESC(refcount_xattr_delete,
		 "refcounted inodes with xattrs may be deleted (default on; off: refused with EOPNOTSUPP)");

bool ocfs2_rc_delete_refused(struct inode *inode)
{
	return ocfs2_refcount_refused(inode) ||
	       (ocfs2_inode_is_refcounted(inode) &&
		(OCFS2_I(inode)->dyn_features & OCFS2_HAS_XATTR_FL) &&
		!READ_ONCE(refcount_xattr_delete));
}

/*
 * A leaf split where the rf_list is full or deeper than the root goes in
 * through the extent tree code (split_leaf_tree).  On since fs/38 split
 * such leaves on both kernels with stock fsck clean (session 13); off:
 * refused (EOPNOTSUPP) before anything changes, as in session 12.
 */
static bool refcount_tree_splits = true;
module_param(refcount_tree_splits, bool, 0644);
MODULE_PARM_DESC(refcount_tree_splits,
		 "refcount leaf splits in full or deeper rf_lists, on local mounts (default on; off: refused)");

/*
 * A leaf of a tree deeper than its root, left empty, leaves the tree
 * through the extent tree code (drop_leaf_tree), as stock's does.  On
 * since fs/38=empty emptied such leaves on both kernels with stock fsck
 * clean (session 14); off: refused (EOPNOTSUPP) before anything changes,
 * as in session 13.
 */
static bool refcount_deep_empty = true;
module_param(refcount_deep_empty, bool, 0644);
MODULE_PARM_DESC(refcount_deep_empty,
		 "emptied leaves of refcount trees deeper than their root leave the tree, on local mounts (default on; off: refused)");

static DEFINE_MUTEX(rc_mutex);

/* stock's: taken at EX around a change, not cached (see ocfs2_rc_unlock) */
static const struct ocfs2_lock_type ocfs2_refcount_lock_type = {
	.type_char	= 'T',
	.name		= "refcount",
	.drop_on_unlock	= true,
};

struct ocfs2_rc_held {
	struct ocfs2_lockres	res;
};

static int read_root(struct inode *inode, struct buffer_head *ibh,
		     struct buffer_head **bhp);

/* The tree's cluster lock, named by its block and rf_generation. */
static int cluster_lock(struct inode *inode, struct buffer_head *ibh,
			struct ocfs2_rc_held **held)
{
	char name[OCFS2_LOCK_NAME_MAX];
	struct ocfs2_rc_held *h;
	struct buffer_head *root;
	unsigned int len;
	int ret;

	ret = read_root(inode, ibh, &root);
	if (ret)
		return ret;
	len = ocfs2_lock_name(name, 'T', root->b_blocknr,
			      le32_to_cpu(((struct ocfs2_refcount_block *)
					   root->b_data)->rf_generation));
	brelse(root);
	h = kzalloc(sizeof(*h), GFP_NOFS);
	if (!h)
		return -ENOMEM;
	ocfs2_lockres_init(&h->res, &OCFS2_SB(inode->i_sb)->locks,
			   &ocfs2_refcount_lock_type, h, name, len);
	ret = ocfs2_lock(&h->res, OCFS2_LOCK_EX, 0);
	if (ret) {
		ocfs2_lockres_free(&h->res);
		kfree(h);
		return ret;
	}
	*held = h;
	return 0;
}

int ocfs2_rc_lock(struct inode *inode, struct buffer_head *ibh,
		  struct ocfs2_rc_held **held)
{
	int ret = 0;

	*held = NULL;
	mutex_lock(&rc_mutex);
	if (!OCFS2_SB(inode->i_sb)->locks.local)
		ret = cluster_lock(inode, ibh, held);
	if (ret)
		mutex_unlock(&rc_mutex);
	return ret;
}

void ocfs2_rc_unlock(struct inode *inode, struct ocfs2_rc_held *held)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);

	if (held) {
		/*
		 * Other nodes read the tree from disk once they hold the
		 * lock: what changed under it goes home first.  Not cached,
		 * so no downconvert has to wait for a checkpoint.
		 */
		ocfs2_checkpoint_wait(osb, ocfs2_checkpoint_seq(osb));
		ocfs2_unlock(&held->res, OCFS2_LOCK_EX);
		ocfs2_lockres_free(&held->res);
		kfree(held);
	}
	mutex_unlock(&rc_mutex);
}

/* Where one cluster's record lives. */
struct rc_where {
	struct buffer_head	*root;
	struct buffer_head	*leaf;	/* the root itself for a one-block tree */
	int			eidx;	/* its record in rf_list, -1: root */
	bool			deep;	/* rf_list deeper than the root */
	u64			lo, hi;	/* the clusters the leaf covers */
	int			idx;	/* first record ending past the cluster */
	bool			inside;	/* the cluster is in record idx */
};

static struct ocfs2_refcount_block *rb_of(struct buffer_head *bh)
{
	return (struct ocfs2_refcount_block *)bh->b_data;
}

static void where_release(struct rc_where *w)
{
	if (w->leaf != w->root)
		brelse(w->leaf);
	brelse(w->root);
	w->root = NULL;
	w->leaf = NULL;
}

static int read_root(struct inode *inode, struct buffer_head *ibh,
		     struct buffer_head **bhp)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	u64 blkno = le64_to_cpu(di->i_refcount_loc);

	if (!blkno)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu is refcounted but names no refcount tree",
				      inode->i_ino);
	return ocfs2_read_meta(inode->i_sb, blkno, OCFS2_BLOCK_REFCOUNT, bhp);
}

/* The last record of @el starting at or before @low; else the first. */
static int floor_rec(const struct ocfs2_extent_list *el, u32 low)
{
	int i;

	for (i = le16_to_cpu(el->l_next_free_rec) - 1; i > 0; i--)
		if (le32_to_cpu(el->l_recs[i].e_cpos) <= low)
			break;
	return i;
}

/*
 * Down an rf_list deeper than the root, through stock's extent blocks,
 * to the list whose records index leaves (*@bhp holds its block).  The
 * next subtree's start bounds the leaf's range.
 */
static int bottom_list(struct inode *inode, struct rc_where *w, u32 low,
		       struct buffer_head **bhp,
		       struct ocfs2_extent_list **elp)
{
	struct ocfs2_extent_list *el = &rb_of(w->root)->rf_list;
	struct buffer_head *bh = NULL, *child;
	u16 depth;
	int i, ret;

	while (el->l_tree_depth) {
		depth = le16_to_cpu(el->l_tree_depth);
		if (!el->l_next_free_rec) {
			ret = -EUCLEAN;
			goto bad;
		}
		i = floor_rec(el, low);
		if (i + 1 < le16_to_cpu(el->l_next_free_rec))
			w->hi = min_t(u64, w->hi,
				      le32_to_cpu(el->l_recs[i + 1].e_cpos));
		ret = ocfs2_read_meta(inode->i_sb,
				      le64_to_cpu(el->l_recs[i].e_blkno),
				      OCFS2_BLOCK_EXTENT, &child);
		if (ret)
			goto out;
		brelse(bh);
		bh = child;
		el = &((struct ocfs2_extent_block *)bh->b_data)->h_list;
		if (le16_to_cpu(el->l_tree_depth) + 1 != depth) {
			ret = -EUCLEAN;
			goto bad;
		}
	}
	*bhp = bh;
	*elp = el;
	return 0;
bad:
	ocfs2_fs_error(inode->i_sb, __func__,
		       "refcount tree %llu: extent block %llu is empty or has the wrong depth",
		       (unsigned long long)w->root->b_blocknr,
		       (unsigned long long)(bh ? bh->b_blocknr : w->root->b_blocknr));
out:
	brelse(bh);
	return ret;
}

/* The leaf of a tree whose root holds an extent list. */
static int find_leaf(struct inode *inode, u64 cluster, struct rc_where *w)
{
	struct ocfs2_extent_list *el = &rb_of(w->root)->rf_list;
	struct buffer_head *lbh = NULL;
	u32 low = (u32)cluster;
	int i, used, ret;

	w->hi = U64_MAX;
	w->deep = el->l_tree_depth != 0;
	if (w->deep) {
		ret = bottom_list(inode, w, low, &lbh, &el);
		if (ret)
			return ret;
	}
	used = le16_to_cpu(el->l_next_free_rec);
	if (!used) {
		brelse(lbh);
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "refcount tree %llu has no leaf",
				      (unsigned long long)w->root->b_blocknr);
	}
	i = floor_rec(el, low);
	w->eidx = i;
	w->lo = i ? le32_to_cpu(el->l_recs[i].e_cpos) : 0;
	/* in a deep tree the first leaf of a bottom list is not the first */
	if (w->deep && !i)
		w->lo = min(le32_to_cpu(el->l_recs[i].e_cpos), low);
	if (i + 1 < used)
		w->hi = le32_to_cpu(el->l_recs[i + 1].e_cpos);
	ret = ocfs2_read_meta(inode->i_sb, le64_to_cpu(el->l_recs[i].e_blkno),
			      OCFS2_BLOCK_REFCOUNT, &w->leaf);
	brelse(lbh);
	if (ret)
		return ret;
	if (!(le32_to_cpu(rb_of(w->leaf)->rf_flags) & OCFS2_REFCOUNT_LEAF_FL))
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "refcount block %llu is no leaf of tree %llu",
				      (unsigned long long)w->leaf->b_blocknr,
				      (unsigned long long)w->root->b_blocknr);
	return 0;
}

/* Find where @cluster's record is (or would be). */
static int rc_where(struct inode *inode, struct buffer_head *ibh, u64 cluster,
		    struct rc_where *w)
{
	int ret;

	memset(w, 0, sizeof(*w));
	ret = read_root(inode, ibh, &w->root);
	if (ret)
		return ret;
	if (le32_to_cpu(rb_of(w->root)->rf_flags) & OCFS2_REFCOUNT_TREE_FL) {
		ret = find_leaf(inode, cluster, w);
		if (ret) {
			where_release(w);
			return ret;
		}
	} else {
		w->leaf = w->root;
		w->eidx = -1;
		w->hi = U64_MAX;
	}
	w->idx = ocfs2_rl_find(&rb_of(w->leaf)->rf_records, cluster,
			       &w->inside);
	return 0;
}

static struct ocfs2_refcount_rec *rec_at(struct rc_where *w, int i)
{
	return &rb_of(w->leaf)->rf_records.rl_recs[i];
}

static u64 rec_end(const struct ocfs2_refcount_rec *r)
{
	return le64_to_cpu(r->r_cpos) + le32_to_cpu(r->r_clusters);
}

/* The head piece of [first, first + len): from @first on. */
static void head_piece(struct rc_where *w, u64 first, u32 len,
		       struct ocfs2_rc_piece *p)
{
	int used = le16_to_cpu(rb_of(w->leaf)->rf_records.rl_used);
	u64 end = first + len;

	p->start = first;
	if (w->inside) {
		p->count = le32_to_cpu(rec_at(w, w->idx)->r_refcount);
		end = min(end, rec_end(rec_at(w, w->idx)));
	} else {
		p->count = 0;
		if (w->idx < used)
			end = min(end, le64_to_cpu(rec_at(w, w->idx)->r_cpos));
		end = min(end, w->hi);
	}
	p->len = end - first;
}

/* The tail piece: up to the end; @w found for the last cluster. */
static void tail_piece(struct rc_where *w, u64 first, u32 len,
		       struct ocfs2_rc_piece *p)
{
	u64 end = first + len, start = first;

	if (w->inside) {
		p->count = le32_to_cpu(rec_at(w, w->idx)->r_refcount);
		start = max(start, le64_to_cpu(rec_at(w, w->idx)->r_cpos));
	} else {
		p->count = 0;
		if (w->idx)
			start = max(start, rec_end(rec_at(w, w->idx - 1)));
		start = max(start, w->lo);
	}
	p->start = start;
	p->len = end - start;
}

/* Records a change by @delta of [first, first + len) adds (@w for first). */
static int records_added(struct rc_where *w, u64 first, u32 len, int delta)
{
	return ocfs2_rl_added(&rb_of(w->leaf)->rf_records, w->idx, w->inside,
			      first, len, delta);
}

/* Whether the root's rf_list takes one more leaf without the tree code. */
static bool list_has_room(struct rc_where *w)
{
	struct ocfs2_extent_list *el = &rb_of(w->root)->rf_list;

	return !w->deep &&
	       le16_to_cpu(el->l_next_free_rec) < le16_to_cpu(el->l_count);
}

/* Whether a leaf without room for a split can be given some. */
static bool can_make_room(struct inode *inode, struct rc_where *w)
{
	if (w->leaf == w->root || list_has_room(w))
		return true;
	return OCFS2_SB(inode->i_sb)->locks.local &&
	       READ_ONCE(refcount_tree_splits);
}

/*
 * Whether a leaf left empty can leave the tree: a deep tree's goes
 * through the extent tree code, whose reads are cached under the
 * inode's lock (so local mounts only), keeping stock's shape (deep_trees).
 */
static bool can_empty(struct inode *inode, struct rc_where *w)
{
	return !w->deep ||
	       (OCFS2_SB(inode->i_sb)->locks.local &&
		READ_ONCE(refcount_deep_empty) && ocfs2_deep_trees());
}

/*
 * A change this module cannot make yet, said before anything changes:
 * a leaf split where the root indexes all it can (or is deeper than the
 * root), or a leaf of a deep tree left empty.
 */
static int refused(struct inode *inode, struct rc_where *w, bool grows,
		   bool empties)
{
	u64 root = w->root->b_blocknr;

	if (grows && !can_make_room(inode, w)) {
		ocfs2_err(inode->i_sb, "inode %lu: refcount tree %llu %s; splitting its leaf %llu there (cluster mount, or ocfs2.refcount_tree_splits=0) is not supported yet",
			  inode->i_ino, (unsigned long long)root,
			  w->deep ? "is deeper than its root" :
			  "has as many leaves as its root indexes",
			  (unsigned long long)w->leaf->b_blocknr);
		return -EOPNOTSUPP;
	}
	if (empties && !can_empty(inode, w)) {
		ocfs2_err(inode->i_sb, "inode %lu: refcount tree %llu is deeper than its root; emptying its leaf %llu there (cluster mount, or ocfs2.refcount_deep_empty=0) is not supported yet",
			  inode->i_ino, (unsigned long long)root,
			  (unsigned long long)w->leaf->b_blocknr);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int plan(struct inode *inode, struct buffer_head *ibh, u64 first,
		u32 len, bool tail, int delta, struct ocfs2_rc_piece *piece)
{
	struct ocfs2_refcount_list *rl;
	struct rc_where w;
	int ret, after;

	if (!len)
		return -EINVAL;
	ret = rc_where(inode, ibh, tail ? first + len - 1 : first, &w);
	if (ret)
		return ret;
	if (tail)
		tail_piece(&w, first, len, piece);
	else
		head_piece(&w, first, len, piece);
	rl = &rb_of(w.leaf)->rf_records;
	after = le16_to_cpu(rl->rl_used) +
		records_added(&w, piece->start, piece->len, delta);
	piece->grows = after > le16_to_cpu(rl->rl_count);
	if (!piece->count && delta < 0) {
		ret = ocfs2_fs_error(inode->i_sb, __func__,
				     "inode %lu: shared clusters %llu+%u have no record in refcount tree %llu",
				     inode->i_ino,
				     (unsigned long long)piece->start,
				     piece->len,
				     (unsigned long long)w.root->b_blocknr);
	} else {
		ret = refused(inode, &w, !tail && piece->grows, after <= 0);
	}
	where_release(&w);
	return ret;
}

int ocfs2_rc_plan(struct inode *inode, struct buffer_head *ibh, u64 first,
		  u32 len, bool tail, struct ocfs2_rc_piece *piece)
{
	struct ocfs2_rc_piece head;
	int ret;

	ret = plan(inode, ibh, first, len, tail, -1, piece);
	if (ret || !tail)
		return ret;
	/* the tail piece's room, seen from its first cluster */
	ret = plan(inode, ibh, piece->start, piece->len, false, -1, &head);
	piece->grows = head.grows;
	return ret;
}

int ocfs2_rc_plan_add(struct inode *inode, struct buffer_head *ibh, u64 first,
		      u32 len, int delta, struct ocfs2_rc_piece *piece)
{
	return plan(inode, ibh, first, len, false, delta, piece);
}

/* A root whose rf_list lost its last leaf holds records again. */
static void root_holds_records(struct super_block *sb,
			       struct ocfs2_refcount_block *root)
{
	root->rf_flags = 0;
	root->rf_parent = 0;
	root->rf_cpos = 0;
	root->rf_clusters = 0;
	memset(&root->rf_records, 0, sb->s_blocksize -
	       offsetof(struct ocfs2_refcount_block, rf_records));
	root->rf_records.rl_count =
		cpu_to_le16(ocfs2_refcount_recs_per_rb(sb->s_blocksize));
}

static int free_leaf(handle_t *handle, struct super_block *sb,
		     struct buffer_head *bh)
{
	struct ocfs2_refcount_block *leaf = rb_of(bh);

	return ocfs2_free_suballoc_block(handle, sb, bh->b_blocknr,
					 le16_to_cpu(leaf->rf_suballoc_slot),
					 le16_to_cpu(leaf->rf_suballoc_bit),
					 le64_to_cpu(leaf->rf_suballoc_loc));
}

/* An emptied leaf leaves rf_list; the root holds records again at the end. */
static int drop_leaf(handle_t *handle, struct super_block *sb,
		     struct rc_where *w)
{
	struct ocfs2_refcount_block *root = rb_of(w->root);
	struct ocfs2_extent_list *el = &root->rf_list;
	int used = le16_to_cpu(el->l_next_free_rec);
	int ret;

	ret = ocfs2_journal_access(handle, w->root);
	if (ret)
		return ret;
	memmove(&el->l_recs[w->eidx], &el->l_recs[w->eidx + 1],
		(used - w->eidx - 1) * sizeof(el->l_recs[0]));
	memset(&el->l_recs[used - 1], 0, sizeof(el->l_recs[0]));
	el->l_next_free_rec = cpu_to_le16(used - 1);
	le32_add_cpu(&root->rf_clusters, -1);
	if (used == 1)
		root_holds_records(sb, root);
	ocfs2_journal_dirty(handle, w->root);
	return free_leaf(handle, sb, w->leaf);
}

/*
 * An emptied leaf of a tree deeper than its root leaves it as stock's
 * does: its record (keyed by the leaf's rf_cpos) goes from the rf_list
 * through the extent tree code, which keeps the inner leaves full and
 * frees emptied extent blocks; rf_clusters drops by its one cluster
 * there.  A tree left without leaves holds records in its root again.
 */
static int drop_leaf_tree(handle_t *handle, struct inode *inode,
			  struct rc_where *w)
{
	struct ocfs2_refcount_block *root = rb_of(w->root);
	struct ocfs2_extent_root er;
	int ret;

	/* checked by before_emptying: a change it did not see stops here */
	ret = refused(inode, w, false, true);
	if (ret)
		return ret;
	ocfs2_er_refcount(&er, inode, w->root);
	ret = ocfs2_er_remove_rec(handle, &er,
				  le32_to_cpu(rb_of(w->leaf)->rf_cpos),
				  w->leaf->b_blocknr);
	if (!ret && !root->rf_list.l_next_free_rec) {
		ret = ocfs2_journal_access(handle, w->root);
		if (!ret) {
			root_holds_records(inode->i_sb, root);
			ocfs2_journal_dirty(handle, w->root);
		}
	}
	if (!ret)
		ret = free_leaf(handle, inode->i_sb, w->leaf);
	return ret;
}

/* A new, empty leaf of @root's tree from this slot's extent allocator. */
static int new_leaf(handle_t *handle, struct super_block *sb,
		    struct buffer_head *root, struct buffer_head **bhp)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_refcount_block *rb;
	struct ocfs2_claim claim;
	int ret;

	ret = ocfs2_claim_meta(handle, osb, &claim);
	if (!ret)
		ret = ocfs2_new_meta_block(handle, sb, claim.blkno, bhp);
	if (ret)
		return ret;
	rb = rb_of(*bhp);
	memcpy(rb->rf_signature, OCFS2_REFCOUNT_BLOCK_SIGNATURE,
	       sizeof(OCFS2_REFCOUNT_BLOCK_SIGNATURE));
	rb->rf_suballoc_slot = cpu_to_le16(claim.slot);
	rb->rf_suballoc_bit = cpu_to_le16(claim.bit);
	rb->rf_suballoc_loc = cpu_to_le64(claim.loc);
	rb->rf_fs_generation = cpu_to_le32(osb->fs_generation);
	rb->rf_blkno = cpu_to_le64(claim.blkno);
	rb->rf_parent = cpu_to_le64(root->b_blocknr);
	rb->rf_flags = cpu_to_le32(OCFS2_REFCOUNT_LEAF_FL);
	rb->rf_generation = rb_of(root)->rf_generation;
	rb->rf_records.rl_count =
		cpu_to_le16(ocfs2_refcount_recs_per_rb(sb->s_blocksize));
	return 0;
}

/* A one-block tree's records move into a first leaf the root indexes. */
static int root_to_leaf(handle_t *handle, struct super_block *sb,
			struct rc_where *w)
{
	struct ocfs2_refcount_block *root = rb_of(w->root);
	size_t area = sb->s_blocksize -
		      offsetof(struct ocfs2_refcount_block, rf_records);
	struct ocfs2_extent_list *el = &root->rf_list;
	struct buffer_head *leaf;
	int ret;

	ret = ocfs2_journal_access(handle, w->root);
	if (!ret)
		ret = new_leaf(handle, sb, w->root, &leaf);
	if (ret)
		return ret;
	memcpy(&rb_of(leaf)->rf_records, &root->rf_records, area);
	ocfs2_journal_dirty(handle, leaf);
	memset(&root->rf_records, 0, area);
	el->l_count = cpu_to_le16(ocfs2_extent_recs_per_rb(sb->s_blocksize));
	el->l_next_free_rec = cpu_to_le16(1);
	el->l_recs[0].e_leaf_clusters = cpu_to_le16(1);
	el->l_recs[0].e_blkno = cpu_to_le64(leaf->b_blocknr);
	root->rf_clusters = cpu_to_le32(1);
	root->rf_flags = cpu_to_le32(OCFS2_REFCOUNT_TREE_FL);
	ocfs2_journal_dirty(handle, w->root);
	w->leaf = leaf;
	w->eidx = 0;
	return 0;
}

/*
 * The upper half of a full leaf's records moves into a new leaf of the
 * same tree (*@bhp, the caller's to put in the tree and release); *@cpos
 * gets the first cluster (its low 32 bits) the new leaf covers.
 */
static int split_half(handle_t *handle, struct super_block *sb,
		      struct rc_where *w, struct buffer_head **bhp, u32 *cpos)
{
	struct ocfs2_refcount_list *rl = &rb_of(w->leaf)->rf_records, *nl;
	int used = le16_to_cpu(rl->rl_used), half = used / 2;
	size_t moved = (used - half) * sizeof(rl->rl_recs[0]);
	int ret;

	ret = ocfs2_journal_access(handle, w->leaf);
	if (!ret)
		ret = new_leaf(handle, sb, w->root, bhp);
	if (ret)
		return ret;
	*cpos = (u32)le64_to_cpu(rl->rl_recs[half].r_cpos);
	nl = &rb_of(*bhp)->rf_records;
	memcpy(nl->rl_recs, &rl->rl_recs[half], moved);
	memset(&rl->rl_recs[half], 0, moved);
	nl->rl_used = cpu_to_le16(used - half);
	rl->rl_used = cpu_to_le16(half);
	rb_of(*bhp)->rf_cpos = cpu_to_le32(*cpos);
	ocfs2_journal_dirty(handle, *bhp);
	ocfs2_journal_dirty(handle, w->leaf);
	return 0;
}

/* A full leaf gives its upper half to a new leaf right after it. */
static int split_leaf(handle_t *handle, struct super_block *sb,
		      struct rc_where *w)
{
	struct ocfs2_extent_list *el = &rb_of(w->root)->rf_list;
	int half = le16_to_cpu(rb_of(w->leaf)->rf_records.rl_used) / 2;
	int n = le16_to_cpu(el->l_next_free_rec);
	struct ocfs2_extent_rec *rec;
	struct buffer_head *bh;
	u32 cpos;
	int ret;

	if (half < 1 || n >= le16_to_cpu(el->l_count))
		return ocfs2_fs_error(sb, __func__, "refcount tree %llu: no room to split leaf %llu",
				      (unsigned long long)w->root->b_blocknr,
				      (unsigned long long)w->leaf->b_blocknr);
	ret = ocfs2_journal_access(handle, w->root);
	if (!ret)
		ret = split_half(handle, sb, w, &bh, &cpos);
	if (ret)
		return ret;
	rec = &el->l_recs[w->eidx + 1];
	memmove(rec + 1, rec, (n - w->eidx - 1) * sizeof(*rec));
	memset(rec, 0, sizeof(*rec));
	rec->e_cpos = cpu_to_le32(cpos);
	rec->e_leaf_clusters = cpu_to_le16(1);
	rec->e_blkno = cpu_to_le64(bh->b_blocknr);
	el->l_next_free_rec = cpu_to_le16(n + 1);
	le32_add_cpu(&rb_of(w->root)->rf_clusters, 1);
	ocfs2_journal_dirty(handle, w->root);
	brelse(bh);
	return 0;
}

/*
 * A full leaf of a tree whose rf_list is full or deeper than the root
 * gives its upper half to a new leaf; the leaf's record goes into the
 * rf_list through the extent tree code (stock's rf_list is an extent
 * tree keyed by the low 32 bits of the cluster, a leaf a record of one
 * cluster), which adds it to rf_clusters and grows the tree if need be.
 */
static int split_leaf_tree(handle_t *handle, struct inode *inode,
			   struct rc_where *w)
{
	struct super_block *sb = inode->i_sb;
	struct ocfs2_refcount_list *rl = &rb_of(w->leaf)->rf_records;
	int half = le16_to_cpu(rl->rl_used) / 2;
	struct ocfs2_extent_root er;
	struct buffer_head *bh;
	u32 cpos;
	int ret;

	if (half < 1 || (u32)le64_to_cpu(rl->rl_recs[half].r_cpos) <=
	    (u32)le64_to_cpu(rl->rl_recs[0].r_cpos))
		return ocfs2_fs_error(sb, __func__, "refcount tree %llu: leaf %llu cannot be split",
				      (unsigned long long)w->root->b_blocknr,
				      (unsigned long long)w->leaf->b_blocknr);
	ocfs2_er_refcount(&er, inode, w->root);
	/* the two leaves, and the insert (it extends for any shift itself) */
	if (jbd2_journal_extend(handle, 4 + ocfs2_er_insert_credits(&er), 0))
		return -ENOSPC;
	ret = split_half(handle, sb, w, &bh, &cpos);
	if (ret)
		return ret;
	ret = ocfs2_er_insert(handle, &er, cpos, bh->b_blocknr, 1, 0);
	brelse(bh);
	return ret;
}

/* Room for a split of @first's record: a leaf made or split, found again. */
static int make_room(handle_t *handle, struct inode *inode,
		     struct buffer_head *ibh, u64 first, struct rc_where *w)
{
	int ret = 0;

	/* ocfs2_rc_plan refused it: nothing changed yet */
	if (!can_make_room(inode, w))
		return refused(inode, w, true, false);
	if (w->leaf == w->root)
		ret = root_to_leaf(handle, inode->i_sb, w);
	if (!ret && list_has_room(w))
		ret = split_leaf(handle, inode->i_sb, w);
	else if (!ret)
		ret = split_leaf_tree(handle, inode, w);
	where_release(w);
	if (!ret)
		ret = rc_where(inode, ibh, first, w);
	return ret;
}

/* The change fits where @w was found: one record's part, or a hole. */
static bool fits(struct rc_where *w, u64 first, u32 len, int delta)
{
	struct ocfs2_refcount_list *rl = &rb_of(w->leaf)->rf_records;
	struct ocfs2_refcount_rec *r = rec_at(w, w->idx);

	if (w->inside)
		return first + len <= rec_end(r) &&
		       (s64)le32_to_cpu(r->r_refcount) + delta >= 0;
	return delta > 0 && first + len <= w->hi &&
	       (w->idx == le16_to_cpu(rl->rl_used) ||
		first + len <= le64_to_cpu(r->r_cpos));
}

/*
 * Before a change leaves a deep tree's leaf empty (@empties): whether it
 * may, and the credits its removal from the rf_list needs, taken before
 * anything changes.
 */
static int before_emptying(handle_t *handle, struct inode *inode,
			   struct rc_where *w, bool empties)
{
	struct ocfs2_extent_root er;
	int ret;

	if (!empties || !w->deep || w->leaf == w->root)
		return 0;
	ret = refused(inode, w, false, true);
	if (ret)
		return ret;
	ocfs2_er_refcount(&er, inode, w->root);
	/* and the leaf's block with its allocator */
	if (jbd2_journal_extend(handle, ocfs2_er_remove_credits(&er) + 3, 0))
		return -ENOSPC;
	return 0;
}

int ocfs2_rc_change(handle_t *handle, struct inode *inode,
		    struct buffer_head *ibh, u64 first, u32 len, int delta,
		    bool free)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_refcount_list *rl;
	struct rc_where w;
	bool gone;
	int ret;

	ret = rc_where(inode, ibh, first, &w);
	if (ret)
		return ret;
	rl = &rb_of(w.leaf)->rf_records;
	if (fits(&w, first, len, delta) && le16_to_cpu(rl->rl_used) +
	    records_added(&w, first, len, delta) > le16_to_cpu(rl->rl_count)) {
		ret = make_room(handle, inode, ibh, first, &w);
		if (ret)
			return ret;
		rl = &rb_of(w.leaf)->rf_records;
	}
	if (!fits(&w, first, len, delta) || le16_to_cpu(rl->rl_used) +
	    records_added(&w, first, len, delta) > le16_to_cpu(rl->rl_count)) {
		ret = ocfs2_fs_error(inode->i_sb, __func__,
				     "inode %lu: clusters %llu+%u cannot change by %d in refcount block %llu",
				     inode->i_ino, (unsigned long long)first,
				     len, delta,
				     (unsigned long long)w.leaf->b_blocknr);
		goto out;
	}
	ret = before_emptying(handle, inode, &w, le16_to_cpu(rl->rl_used) +
			      records_added(&w, first, len, delta) <= 0);
	if (ret)
		goto out;
	gone = w.inside &&
	       le32_to_cpu(rec_at(&w, w.idx)->r_refcount) + delta == 0;
	ret = ocfs2_journal_access(handle, w.leaf);
	if (ret)
		goto out;
	ocfs2_rl_change(rl, w.idx, w.inside, first, len, delta);
	ocfs2_rl_merge(rl);
	ocfs2_journal_dirty(handle, w.leaf);
	if (gone && free)
		ret = ocfs2_release_clusters(handle, osb, first, len);
	if (!ret && !rl->rl_used && w.leaf != w.root)
		ret = w.deep ? drop_leaf_tree(handle, inode, &w) :
			       drop_leaf(handle, inode->i_sb, &w);
out:
	where_release(&w);
	return ret;
}

int ocfs2_rc_release(handle_t *handle, struct inode *inode,
		     struct buffer_head *ibh, u64 first, u32 len, bool free)
{
	return ocfs2_rc_change(handle, inode, ibh, first, len, -1, free);
}

int ocfs2_rc_new_tree(handle_t *handle, struct inode *inode,
		      struct buffer_head *ibh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct ocfs2_refcount_block *rb;
	struct ocfs2_claim claim;
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_claim_meta(handle, osb, &claim);
	if (!ret)
		ret = ocfs2_new_meta_block(handle, inode->i_sb, claim.blkno, &bh);
	if (ret)
		return ret;
	rb = rb_of(bh);
	memcpy(rb->rf_signature, OCFS2_REFCOUNT_BLOCK_SIGNATURE,
	       sizeof(OCFS2_REFCOUNT_BLOCK_SIGNATURE));
	rb->rf_suballoc_slot = cpu_to_le16(claim.slot);
	rb->rf_suballoc_bit = cpu_to_le16(claim.bit);
	rb->rf_suballoc_loc = cpu_to_le64(claim.loc);
	rb->rf_fs_generation = cpu_to_le32(osb->fs_generation);
	rb->rf_blkno = cpu_to_le64(claim.blkno);
	rb->rf_count = cpu_to_le32(1);
	/* names the tree's cluster lock with the block number */
	rb->rf_generation = cpu_to_le32(get_random_u32());
	rb->rf_records.rl_count =
		cpu_to_le16(ocfs2_refcount_recs_per_rb(inode->i_sb->s_blocksize));
	ocfs2_journal_dirty(handle, bh);
	brelse(bh);
	ret = ocfs2_journal_access(handle, ibh);
	if (ret)
		return ret;
	OCFS2_I(inode)->dyn_features |= OCFS2_HAS_REFCOUNT_FL;
	di->i_dyn_features = cpu_to_le16(OCFS2_I(inode)->dyn_features);
	di->i_refcount_loc = cpu_to_le64(claim.blkno);
	ocfs2_journal_dirty(handle, ibh);
	return 0;
}

int ocfs2_rc_join(handle_t *handle, struct inode *inode,
		  struct buffer_head *ibh, struct buffer_head *src_ibh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct buffer_head *root;
	int ret;

	ret = read_root(inode, src_ibh, &root);
	if (ret)
		return ret;
	ret = ocfs2_journal_access(handle, root);
	if (!ret)
		ret = ocfs2_journal_access(handle, ibh);
	if (!ret) {
		le32_add_cpu(&rb_of(root)->rf_count, 1);
		ocfs2_journal_dirty(handle, root);
		OCFS2_I(inode)->dyn_features |= OCFS2_HAS_REFCOUNT_FL;
		di->i_dyn_features = cpu_to_le16(OCFS2_I(inode)->dyn_features);
		di->i_refcount_loc = cpu_to_le64(root->b_blocknr);
		ocfs2_journal_dirty(handle, ibh);
	}
	brelse(root);
	return ret;
}

/* The last inode naming the tree frees its blocks: leaves, then the root. */
static int free_tree(handle_t *handle, struct super_block *sb,
		     struct buffer_head *root)
{
	struct ocfs2_refcount_block *rb = rb_of(root);
	struct ocfs2_extent_list *el = &rb->rf_list;
	struct buffer_head *bh;
	struct ocfs2_refcount_block *leaf;
	int i, ret;

	if (le32_to_cpu(rb->rf_flags) & OCFS2_REFCOUNT_TREE_FL) {
		for (i = 0; !el->l_tree_depth &&
		     i < le16_to_cpu(el->l_next_free_rec); i++) {
			ret = ocfs2_read_meta(sb, le64_to_cpu(el->l_recs[i].e_blkno),
					      OCFS2_BLOCK_REFCOUNT, &bh);
			if (ret)
				return ret;
			leaf = rb_of(bh);
			ret = ocfs2_free_suballoc_block(handle, sb, bh->b_blocknr,
					le16_to_cpu(leaf->rf_suballoc_slot),
					le16_to_cpu(leaf->rf_suballoc_bit),
					le64_to_cpu(leaf->rf_suballoc_loc));
			brelse(bh);
			if (ret)
				return ret;
		}
	}
	return ocfs2_free_suballoc_block(handle, sb, root->b_blocknr,
					 le16_to_cpu(rb->rf_suballoc_slot),
					 le16_to_cpu(rb->rf_suballoc_bit),
					 le64_to_cpu(rb->rf_suballoc_loc));
}

static int detach_in_trans(handle_t *handle, struct inode *inode,
			   struct buffer_head *ibh, struct buffer_head *root)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct ocfs2_refcount_block *rb = rb_of(root);
	int ret;

	ret = ocfs2_journal_access(handle, ibh);
	if (!ret)
		ret = ocfs2_journal_access(handle, root);
	if (ret)
		return ret;
	OCFS2_I(inode)->dyn_features &= ~OCFS2_HAS_REFCOUNT_FL;
	di->i_dyn_features = cpu_to_le16(OCFS2_I(inode)->dyn_features);
	di->i_refcount_loc = 0;
	ocfs2_journal_dirty(handle, ibh);
	if (le32_to_cpu(rb->rf_count))
		le32_add_cpu(&rb->rf_count, -1);
	ocfs2_journal_dirty(handle, root);
	if (rb->rf_count)
		return 0;
	return free_tree(handle, inode->i_sb, root);
}

int ocfs2_rc_detach(struct inode *inode, struct buffer_head *ibh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_rc_held *held;
	struct buffer_head *root;
	handle_t *handle;
	int credits, ret;

	if (!ocfs2_inode_is_refcounted(inode))
		return 0;
	ret = ocfs2_rc_lock(inode, ibh, &held);
	if (ret)
		return ret;
	ret = read_root(inode, ibh, &root);
	if (ret)
		goto out;
	if (le32_to_cpu(rb_of(root)->rf_count) <= 1 &&
	    rb_of(root)->rf_list.l_tree_depth &&
	    (le32_to_cpu(rb_of(root)->rf_flags) & OCFS2_REFCOUNT_TREE_FL)) {
		ocfs2_err(inode->i_sb, "inode %lu: refcount tree %llu is deeper than its root; freeing it is not supported yet",
			  inode->i_ino, (unsigned long long)root->b_blocknr);
		ret = -EOPNOTSUPP;
		goto out_root;
	}
	/* inode, root; each freed block's allocator inode and group */
	credits = 2 + 2 * (1 + le16_to_cpu(rb_of(root)->rf_list.l_next_free_rec));
	if (!(le32_to_cpu(rb_of(root)->rf_flags) & OCFS2_REFCOUNT_TREE_FL))
		credits = 4;
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_EXTENT, credits);
	if (IS_ERR(handle)) {
		ret = PTR_ERR(handle);
		goto out_root;
	}
	ret = detach_in_trans(handle, inode, ibh, root);
	/* a half-freed tree must not reach the disk */
	if (ret)
		jbd2_journal_abort(osb->journal, ret);
	ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_EXTENT);
out_root:
	brelse(root);
out:
	ocfs2_rc_unlock(inode, held);
	return ret;
}
