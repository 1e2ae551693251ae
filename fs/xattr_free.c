// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes gathered into memory (for a change to lay them out
 * again) and given back: a value's clusters, the xattr block, and at
 * delete everything an inode's attributes hold.
 */
#include <linux/moduleparam.h>
#include "extent_tree.h"
#include "refcount.h"
#include "xattr.h"

/*
 * Values over several extents (stock makes them on a fragmented volume:
 * the value root's one record moves into an extent block) freed at
 * delete, for values in the inode or a plain xattr block, each tree in
 * steps of its own before the last transaction.  On since
 * fs/32 passed on 6.1 (run 20261127-110503-set-9q3n) and 6.12 (run
 * 20261127-114240-set-zYR1); 0: such a delete fails (EOPNOTSUPP),
 * logged, and the inode stays in the orphan directory.
 */
static bool xattr_value_trees = true;
module_param(xattr_value_trees, bool, 0644);
MODULE_PARM_DESC(xattr_value_trees,
		 "free xattr values spread over extent blocks at delete (default on)");

static int gather_area(struct inode *inode, const struct xattr_area *a,
		       u8 *copy, struct xattr_set_list *l, bool in_inode)
{
	unsigned int i, count = le16_to_cpu(a->xh->xh_count);
	struct xattr_item *it;
	unsigned int voff;
	int ret;

	memcpy(copy, a->base, a->limit);
	for (i = 0; i < count; i++) {
		const struct ocfs2_xattr_entry *xe = &a->xh->xh_entries[i];

		ret = ocfs2_xattr_check_entry(inode, a, xe);
		if (ret)
			return ret;
		voff = le16_to_cpu(xe->xe_name_offset) +
		       OCFS2_XATTR_SIZE(xe->xe_name_len);
		it = &l->items[l->count++];
		it->name = copy + le16_to_cpu(xe->xe_name_offset);
		it->name_len = xe->xe_name_len;
		it->index = xe->xe_type & OCFS2_XATTR_TYPE_MASK;
		it->local = xe->xe_type & OCFS2_XATTR_ENTRY_LOCAL;
		it->vsize = le64_to_cpu(xe->xe_value_size);
		it->hash = ocfs2_xattr_hash(inode->i_sb, it->name,
					    it->name_len);
		it->val = copy + voff;
		it->in_inode = in_inode;
		/* a root shorter than stock's would be laid out past its end */
		if (!it->local && a->limit - voff < OCFS2_XATTR_ROOT_SIZE)
			return ocfs2_bad_xattr(inode, a, "value root cut short",
					       voff);
	}
	return 0;
}

static unsigned int area_count(const struct xattr_area *a)
{
	return a->xh ? le16_to_cpu(a->xh->xh_count) : 0;
}

/*
 * Copy every attribute of the inode (@xbh its block or NULL) into @l, with
 * room for @extra more items.  The meta lock is held.
 */
int ocfs2_xattr_gather(struct inode *inode, struct buffer_head *ibh,
		       struct buffer_head *xbh, struct xattr_set_list *l,
		       unsigned int extra)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct xattr_area in = { }, blk = { };
	int ret;

	memset(l, 0, sizeof(*l));
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_XATTR_FL) {
		ret = ocfs2_xattr_inline_area(inode, di, &in);
		if (ret)
			return ret;
	}
	if (xbh) {
		ret = ocfs2_xattr_block_area(inode, xbh, &blk);
		if (ret)
			return ret;
	}
	l->cap = area_count(&in) + area_count(&blk) + extra;
	l->items = kcalloc(max(l->cap, 1U), sizeof(*l->items), GFP_NOFS);
	l->copy = kmalloc(in.limit + blk.limit + 1, GFP_NOFS);
	if (!l->items || !l->copy) {
		ocfs2_xattr_list_free(l);
		return -ENOMEM;
	}
	ret = in.xh ? gather_area(inode, &in, l->copy, l, true) : 0;
	if (!ret && blk.xh)
		ret = gather_area(inode, &blk, l->copy + in.limit, l, false);
	if (ret)
		ocfs2_xattr_list_free(l);
	return ret;
}

/* The attributes of one area (a bucket, a block), room for @extra more. */
int ocfs2_xattr_gather_one(struct inode *inode, const struct xattr_area *a,
			   struct xattr_set_list *l, unsigned int extra)
{
	int ret;

	memset(l, 0, sizeof(*l));
	l->cap = area_count(a) + extra;
	l->items = kcalloc(max(l->cap, 1U), sizeof(*l->items), GFP_NOFS);
	l->copy = kmalloc(a->limit, GFP_NOFS);
	if (!l->items || !l->copy) {
		ocfs2_xattr_list_free(l);
		return -ENOMEM;
	}
	ret = gather_area(inode, a, l->copy, l, false);
	if (ret)
		ocfs2_xattr_list_free(l);
	return ret;
}

void ocfs2_xattr_list_free(struct xattr_set_list *l)
{
	kfree(l->items);
	kfree(l->copy);
	l->items = NULL;
	l->copy = NULL;
	l->count = 0;
}

/* The xattr block goes back to the extent suballocator it came from. */
int ocfs2_xattr_free_block(handle_t *handle, struct inode *inode,
			   struct buffer_head *xbh)
{
	struct ocfs2_xattr_block *xb = (struct ocfs2_xattr_block *)xbh->b_data;

	return ocfs2_free_suballoc_block(handle, inode->i_sb, xbh->b_blocknr,
					 le16_to_cpu(xb->xb_suballoc_slot),
					 le16_to_cpu(xb->xb_suballoc_bit),
					 le64_to_cpu(xb->xb_suballoc_loc));
}

static bool value_is_tree(const struct ocfs2_xattr_value_root *xv)
{
	return xv->xr_list.l_tree_depth ||
	       le16_to_cpu(xv->xr_list.l_next_free_rec) > 1;
}

/* One extent in the root, shared with a reflink (stock's OCFS2_IOC_REFLINK) */
static bool value_is_shared(const struct ocfs2_xattr_value_root *xv)
{
	return !xv->xr_list.l_tree_depth && xv->xr_list.l_next_free_rec &&
	       (xv->xr_list.l_recs[0].e_flags & OCFS2_EXT_REFCOUNTED);
}

/* The value root of entry @xe of area @a, inside @bh, as a tree root. */
static void value_root_of(struct ocfs2_extent_root *er, struct inode *inode,
			  struct buffer_head *bh, const struct xattr_area *a,
			  const struct ocfs2_xattr_entry *xe)
{
	unsigned int voff = le16_to_cpu(xe->xe_name_offset) +
			    OCFS2_XATTR_SIZE(xe->xe_name_len);
	struct ocfs2_xattr_value_root *xv = (void *)(bh->b_data +
		(a->base - (const u8 *)bh->b_data) + voff);
	unsigned int room = (a->limit - voff - sizeof(*xv)) /
			    sizeof(struct ocfs2_extent_rec);

	ocfs2_er_xattr_value(er, inode, bh, xv);
	/* a root claiming more records than its area holds is refused */
	er->capacity = min(er->capacity, room);
}

/*
 * Every value of area @a (in @bh) spread over several extents goes back,
 * each tree from the right in steps of its own (extent_remove.c), before
 * the transaction that frees the rest; the roots are left empty.  So do
 * values sharing clusters with a reflink (@ibh: the inode's block, for
 * its refcount tree, locked by the caller): each step removes a record
 * and lowers the count of its clusters, freed at 0, together.
 */
static int free_value_trees(struct inode *inode, struct buffer_head *ibh,
			    struct buffer_head *bh, const struct xattr_area *a)
{
	unsigned int i, voff, count = le16_to_cpu(a->xh->xh_count);
	const struct ocfs2_xattr_value_root *xv;
	const struct ocfs2_xattr_entry *xe;
	struct ocfs2_extent_root er;
	int ret;

	for (i = 0; i < count; i++) {
		xe = &a->xh->xh_entries[i];
		ret = ocfs2_xattr_check_entry(inode, a, xe);
		if (ret)
			return ret;
		if (xe->xe_type & OCFS2_XATTR_ENTRY_LOCAL)
			continue;
		voff = le16_to_cpu(xe->xe_name_offset) +
		       OCFS2_XATTR_SIZE(xe->xe_name_len);
		xv = (const void *)(a->base + voff);
		if (!value_is_tree(xv) && !value_is_shared(xv))
			continue;
		if (value_is_tree(xv) && !READ_ONCE(xattr_value_trees)) {
			ocfs2_err(inode->i_sb, "inode %lu: xattr value over extent blocks is not freed at delete: ocfs2.xattr_value_trees=0",
				  inode->i_ino);
			return -EOPNOTSUPP;
		}
		value_root_of(&er, inode, bh, a, xe);
		if (ocfs2_inode_is_refcounted(inode))
			er.rc_ibh = ibh;
		ret = ocfs2_er_free_tree(&er);
		if (ret)
			return ret;
	}
	return 0;
}

/* The inline area's and a plain xattr block's value trees, at delete. */
static int free_all_value_trees(struct inode *inode, struct buffer_head *ibh,
				struct buffer_head *xbh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct ocfs2_rc_held *held = NULL;
	struct xattr_area a;
	int ret = 0;

	/* shared values: their tree stays as each step planned it */
	if (ocfs2_inode_is_refcounted(inode)) {
		ret = ocfs2_rc_lock(inode, ibh, &held);
		if (ret)
			return ret;
	}
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_XATTR_FL) {
		ret = ocfs2_xattr_inline_area(inode, di, &a);
		if (!ret)
			ret = free_value_trees(inode, ibh, ibh, &a);
	}
	if (!ret && xbh && !ocfs2_xattr_block_indexed(xbh)) {
		ret = ocfs2_xattr_block_area(inode, xbh, &a);
		if (!ret)
			ret = free_value_trees(inode, ibh, xbh, &a);
	}
	if (ocfs2_inode_is_refcounted(inode))
		ocfs2_rc_unlock(inode, held);
	return ret;
}

static int free_all_in_trans(handle_t *handle, struct inode *inode,
			     struct buffer_head *ibh, struct buffer_head *xbh,
			     const struct xattr_set_list *l)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	unsigned int i, size = le16_to_cpu(di->i_xattr_inline_size);
	int ret;

	ret = ocfs2_journal_access(handle, ibh);
	for (i = 0; !ret && i < l->count; i++)
		ret = ocfs2_xattr_free_value(handle, inode, &l->items[i]);
	if (!ret && xbh)
		ret = ocfs2_xattr_free_block(handle, inode, xbh);
	if (ret)
		return ret;
	/* an inline area stays, empty, as stock leaves it */
	if (oi->dyn_features & OCFS2_INLINE_XATTR_FL)
		memset(ibh->b_data + inode->i_sb->s_blocksize - size, 0, size);
	else
		oi->dyn_features &= ~OCFS2_HAS_XATTR_FL;
	oi->xattr_loc = 0;
	di->i_xattr_loc = 0;
	di->i_dyn_features = cpu_to_le16(oi->dyn_features);
	ocfs2_journal_dirty(handle, ibh);
	return 0;
}

static int free_all_locked(struct inode *inode, struct buffer_head *ibh,
			   struct buffer_head *xbh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	bool tree = xbh && ocfs2_xattr_block_indexed(xbh);
	struct xattr_value_cost cost = { };
	struct xattr_set_list l;
	handle_t *handle;
	unsigned int i;
	int ret;

	/* a tree's buckets, clusters and value trees first, in their own steps */
	if (tree) {
		ret = ocfs2_xattr_tree_free(inode, xbh);
		if (ret)
			return ret;
	}
	ret = free_all_value_trees(inode, ibh, xbh);
	if (ret)
		return ret;
	ret = ocfs2_xattr_gather(inode, ibh, tree ? NULL : xbh, &l, 0);
	if (ret)
		return ret;
	for (i = 0; !ret && i < l.count; i++)
		ret = ocfs2_xattr_value_freeable(inode, &l.items[i], &cost);
	if (ret)
		goto out;
	/* inode, block's allocator and group, and what the values hold */
	handle = ocfs2_start_free_trans(osb, OCFS2_AL_DATA, 4 + cost.credits,
				       cost.runs);
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		goto out;
	ret = free_all_in_trans(handle, inode, ibh, xbh, &l);
	/* half of it freed must not reach the disk */
	ret = ocfs2_commit_or_abort(osb, handle, OCFS2_AL_DATA, ret);
out:
	ocfs2_xattr_list_free(&l);
	return ret;
}

/*
 * At delete, with the inode's meta lock held EX and @ibh its block: the
 * values' clusters, a bucket tree's clusters and the xattr block go back.
 */
int ocfs2_xattr_free_all(struct inode *inode, struct buffer_head *ibh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	u64 loc = le64_to_cpu(di->i_xattr_loc);
	struct buffer_head *xbh = NULL;
	int ret;

	if (!(le16_to_cpu(di->i_dyn_features) & OCFS2_HAS_XATTR_FL))
		return 0;
	if (loc) {
		ret = ocfs2_read_covered(inode, loc, OCFS2_BLOCK_XATTR, &xbh);
		if (ret)
			return ret;
	}
	ret = free_all_locked(inode, ibh, xbh);
	brelse(xbh);
	return ret;
}
