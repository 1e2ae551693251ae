// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes, change side.  A set or removal gathers every
 * attribute of the inode (inline area and xattr block) into memory,
 * applies the one change and lays the whole set out again: in the inode's
 * inline area while it fits (the area is made, at the size the superblock
 * gives, when the inode has room for it by stock's rule), the rest in one
 * xattr block.  Values over 80 bytes go out of line, into one contiguous
 * run of clusters under a value root, as stock writes them; an old value
 * goes back in the same transaction, whatever its shape (xattr_value.c:
 * stock's values over several extents too).  Placement is
 * decided before the transaction starts, so a refusal changes nothing.
 * A block that fills up becomes the root of a bucket tree (xattr_tree.c);
 * an inode with one keeps its inline area as it is and sends to the tree
 * what does not fit there.
 */
#include <linux/xattr.h>
#include "ocfs2.h"
#include "xattr.h"

struct xattr_change {
	struct inode		*inode;
	struct buffer_head	*ibh;
	struct buffer_head	*xbh;		/* the block, old or new */
	struct xattr_set_list	l;
	struct xattr_item	old;		/* replaced or removed */
	bool			have_old;
	struct xattr_value_cost	cost;		/* of freeing the old value */
	bool			new_tree;	/* the new value goes out of line */
	bool			make_area;	/* inline area made now */
	unsigned int		area;		/* inline bytes, 0: none */
	unsigned int		in_block;	/* items placed in the block */
	const void		*value;
	size_t			size;
	struct ocfs2_xattr_def_value_root root;	/* the new value's */
	/* an indexed block: @l holds the inline items only */
	bool			indexed;
	bool			inline_changed;
	bool			tree_changed;
	struct xattr_tree_change tree;
};

static unsigned int item_bytes(const struct xattr_item *it)
{
	return ocfs2_xattr_item_bytes(it);
}

static bool area_fits(unsigned int cap, unsigned int n, unsigned int bytes)
{
	return sizeof(struct ocfs2_xattr_header) +
	       n * sizeof(struct ocfs2_xattr_entry) +
	       OCFS2_XATTR_HEADER_GAP + bytes <= cap;
}

static unsigned int block_cap(struct super_block *sb)
{
	return sb->s_blocksize - offsetof(struct ocfs2_xattr_block, xb_attrs);
}

/* Stock's rule: room for the area left in the inode's data part. */
static unsigned int area_room(struct inode *inode, struct ocfs2_dinode *di)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	unsigned int want = osb->xattr_inline_size;
	const struct ocfs2_extent_list *el = &di->id2.i_list;
	int free;

	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_XATTR_FL)
		return le16_to_cpu(di->i_xattr_inline_size);
	/* symlinks, devices and inline directories keep theirs in a block */
	if (want < OCFS2_MIN_XATTR_INLINE_SIZE ||
	    !(S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)))
		return 0;
	if (ocfs2_inode_is_inline(inode)) {
		if (S_ISDIR(inode->i_mode))
			return 0;
		free = le16_to_cpu(di->id2.i_data.id_count) -
		       (int)le64_to_cpu(di->i_size);
	} else {
		free = (le16_to_cpu(el->l_count) -
			le16_to_cpu(el->l_next_free_rec)) *
		       (int)sizeof(struct ocfs2_extent_rec);
	}
	return free >= (int)want ? want : 0;
}

/*
 * Inline first while it fits (@area bytes, 0: none), the rest in the
 * block; *@in_n and *@bl_n count the items placed in each.
 */
static int place_list(struct super_block *sb, struct xattr_set_list *l,
		      unsigned int area, unsigned int *in_n,
		      unsigned int *bl_n)
{
	unsigned int i, b, in_b = 0, bl_b = 0, cap = block_cap(sb);

	*in_n = 0;
	*bl_n = 0;
	for (i = 0; i < l->count; i++) {
		struct xattr_item *it = &l->items[i];

		b = item_bytes(it);
		it->in_inode = area && area_fits(area, *in_n + 1, in_b + b);
		if (it->in_inode) {
			(*in_n)++;
			in_b += b;
		} else if (area_fits(cap, *bl_n + 1, bl_b + b)) {
			(*bl_n)++;
			bl_b += b;
		} else {
			return -ENOSPC;
		}
	}
	return 0;
}

static int place_items(struct xattr_change *c)
{
	unsigned int in_n;
	int ret;

	ret = place_list(c->inode->i_sb, &c->l, c->area, &in_n, &c->in_block);
	c->make_area = in_n && !(OCFS2_I(c->inode)->dyn_features &
				 OCFS2_INLINE_XATTR_FL);
	return ret;
}

static int find_item(const struct xattr_set_list *l, int index,
		     const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < l->count; i++)
		if (l->items[i].index == index && l->items[i].name_len == len &&
		    !memcmp(l->items[i].name, name, len))
			return i;
	return -1;
}

/* The item @name gets with the new value. */
static void fill_item(struct xattr_change *c, struct xattr_item *it,
		      int index, const char *name)
{
	it->name = (const u8 *)name;
	it->name_len = strlen(name);
	it->hash = ocfs2_xattr_hash(c->inode->i_sb, it->name, it->name_len);
	it->index = index;
	it->vsize = c->size;
	it->local = c->size <= OCFS2_XATTR_INLINE_SIZE;
	it->val = it->local ? c->value : (const void *)&c->root;
	it->in_inode = false;
	c->new_tree = !it->local;
}

/* The change in memory: @c->l as it should be afterwards. */
static int apply_change(struct xattr_change *c, int index, const char *name,
			int flags)
{
	int at = find_item(&c->l, index, name, strlen(name));
	struct xattr_item *it;
	int ret;

	if (at >= 0 && (flags & XATTR_CREATE))
		return -EEXIST;
	if (at < 0 && (!c->value || (flags & XATTR_REPLACE)))
		return -ENODATA;
	if (at >= 0) {
		c->old = c->l.items[at];
		c->have_old = true;
		ret = ocfs2_xattr_value_freeable(c->inode, &c->old, &c->cost);
		if (ret)
			return ret;
	}
	if (!c->value) {
		memmove(&c->l.items[at], &c->l.items[at + 1],
			(c->l.count - at - 1) * sizeof(*it));
		c->l.count--;
		return 0;
	}
	if (at < 0)
		at = c->l.count++;
	fill_item(c, &c->l.items[at], index, name);
	return 0;
}

/* Lay out the items placed in one area; @base is zeroed first. */
static void write_area(struct super_block *sb, const struct xattr_set_list *l,
		       u8 *base, unsigned int limit, bool in_inode)
{
	struct ocfs2_xattr_header *xh = (struct ocfs2_xattr_header *)base;
	u32 seed = OCFS2_SB(sb)->dx_seed[3];
	unsigned int i, n = 0, end = limit;
	struct ocfs2_xattr_entry *xe;

	memset(base, 0, limit);
	for (i = 0; i < l->count; i++) {
		const struct xattr_item *it = &l->items[i];

		if (it->in_inode != in_inode)
			continue;
		xe = &xh->xh_entries[n++];
		end -= item_bytes(it);
		xe->xe_name_hash = cpu_to_le32(ocfs2_name_hash(seed, it->name,
							       it->name_len));
		xe->xe_name_offset = cpu_to_le16(end);
		xe->xe_name_len = it->name_len;
		xe->xe_type = it->index |
			      (it->local ? OCFS2_XATTR_ENTRY_LOCAL : 0);
		xe->xe_value_size = cpu_to_le64(it->vsize);
		memcpy(base + end, it->name, it->name_len);
		memcpy(base + end + OCFS2_XATTR_SIZE(it->name_len), it->val,
		       it->local ? it->vsize : OCFS2_XATTR_ROOT_SIZE);
	}
	xh->xh_count = cpu_to_le16(n);
}

/* Journal credits: blocks touched, allocators and the new value's blocks. */
static int change_credits(struct xattr_change *c)
{
	struct super_block *sb = c->inode->i_sb;

	/* inode, block, a new block with a new group, value claim and free */
	return 24 + (c->new_tree ? DIV_ROUND_UP(c->size, sb->s_blocksize) : 0);
}

/* The new value into a contiguous run of clusters, and its root. */
static int write_value(handle_t *handle, struct xattr_change *c,
		       bool *touched)
{
	struct super_block *sb = c->inode->i_sb;
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	u32 want = DIV_ROUND_UP(c->size, 1U << osb->cluster_bits);
	unsigned int i, n = DIV_ROUND_UP(c->size, sb->s_blocksize);
	struct ocfs2_xattr_value_root *xv = &c->root.xv;
	struct buffer_head *bh;
	struct ocfs2_run run;
	size_t off, chunk;
	u64 first;
	int ret;

	ret = ocfs2_claim_contig(handle, osb, want, &run);
	if (ret)
		return ret;
	*touched = true;
	first = (u64)run.cluster << osb->bpc_bits;
	for (i = 0; i < n; i++) {
		ret = ocfs2_new_meta_block(handle, sb, first + i, &bh);
		if (ret)
			return ret;
		ocfs2_block_holds_data(bh);
		off = (size_t)i << sb->s_blocksize_bits;
		chunk = min_t(size_t, c->size - off, sb->s_blocksize);
		memcpy(bh->b_data, c->value + off, chunk);
		ocfs2_journal_dirty(handle, bh);
		brelse(bh);
	}
	memset(&c->root, 0, sizeof(c->root));
	xv->xr_clusters = cpu_to_le32(want);
	xv->xr_list.l_count = cpu_to_le16(1);
	xv->xr_list.l_next_free_rec = cpu_to_le16(1);
	c->root.er.e_leaf_clusters = cpu_to_le16(want);
	c->root.er.e_blkno = cpu_to_le64(first);
	return 0;
}

/*
 * A fresh xattr block from this slot's extent suballocator; *@touched once
 * the claim changed anything.
 */
static int claim_block(handle_t *handle, struct super_block *sb,
		       struct buffer_head **bhp, bool *touched)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_xattr_block *xb;
	struct ocfs2_claim claim = { };
	int ret;

	ret = ocfs2_claim_meta(handle, osb, &claim);
	if (ret)
		return ret;
	*touched = true;
	ret = ocfs2_new_meta_block(handle, sb, claim.blkno, bhp);
	if (ret)
		return ret;
	xb = (struct ocfs2_xattr_block *)(*bhp)->b_data;
	memcpy(xb->xb_signature, OCFS2_XATTR_BLOCK_SIGNATURE,
	       sizeof(OCFS2_XATTR_BLOCK_SIGNATURE));
	xb->xb_suballoc_slot = cpu_to_le16(claim.slot);
	xb->xb_suballoc_bit = cpu_to_le16(claim.bit);
	xb->xb_suballoc_loc = cpu_to_le64(claim.loc);
	xb->xb_fs_generation = cpu_to_le32(osb->fs_generation);
	xb->xb_blkno = cpu_to_le64(claim.blkno);
	return 0;
}

static void stamp_ctime(struct inode *inode)
{
	struct timespec64 a, m, ct;

	kc_inode_get_times(inode, &a, &m, &ct);
	ktime_get_coarse_real_ts64(&ct);
	kc_inode_set_times(inode, a, m, ct);
}

/* Make the inline area: the data part gives up its tail (stock's rule). */
static void make_area(struct xattr_change *c, struct ocfs2_dinode *di)
{
	struct ocfs2_inode_info *oi = OCFS2_I(c->inode);

	if (ocfs2_inode_is_inline(c->inode))
		le16_add_cpu(&di->id2.i_data.id_count, -(int)c->area);
	else
		le16_add_cpu(&di->id2.i_list.l_count,
			     -(int)(c->area / sizeof(struct ocfs2_extent_rec)));
	di->i_xattr_inline_size = cpu_to_le16(c->area);
	oi->dyn_features |= OCFS2_INLINE_XATTR_FL;
}

/* Both areas written again, the inode's fields to match. */
static int write_areas(handle_t *handle, struct xattr_change *c)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)c->ibh->b_data;
	struct ocfs2_inode_info *oi = OCFS2_I(c->inode);
	unsigned int bs = c->inode->i_sb->s_blocksize;
	struct ocfs2_xattr_block *xb;
	int ret = 0;

	if (c->make_area)
		make_area(c, di);
	if (oi->dyn_features & OCFS2_INLINE_XATTR_FL)
		write_area(c->inode->i_sb, &c->l, c->ibh->b_data + bs - c->area,
			   c->area, true);
	if (c->xbh && c->in_block) {
		xb = (struct ocfs2_xattr_block *)c->xbh->b_data;
		write_area(c->inode->i_sb, &c->l, (u8 *)&xb->xb_attrs.xb_header,
			   block_cap(c->inode->i_sb), false);
		ocfs2_journal_dirty(handle, c->xbh);
	} else if (c->xbh) {
		/* emptied: the block goes back */
		ret = ocfs2_xattr_free_block(handle, c->inode, c->xbh);
		brelse(c->xbh);
		c->xbh = NULL;
	}
	oi->xattr_loc = c->xbh ? c->xbh->b_blocknr : 0;
	if (oi->xattr_loc || (oi->dyn_features & OCFS2_INLINE_XATTR_FL))
		oi->dyn_features |= OCFS2_HAS_XATTR_FL;
	else
		oi->dyn_features &= ~OCFS2_HAS_XATTR_FL;
	di->i_xattr_loc = cpu_to_le64(oi->xattr_loc);
	di->i_dyn_features = cpu_to_le16(oi->dyn_features);
	stamp_ctime(c->inode);
	ocfs2_inode_to_disk(c->inode, di);
	ocfs2_journal_dirty(handle, c->ibh);
	return ret;
}

/* Allocation first: its ENOSPC is the only failure that leaves no trace. */
static int change_in_trans(handle_t *handle, struct xattr_change *c,
			   bool *touched)
{
	int ret = 0;

	if (c->in_block && !c->xbh)
		ret = claim_block(handle, c->inode->i_sb, &c->xbh, touched);
	else if (c->xbh)
		ret = ocfs2_journal_access(handle, c->xbh);
	if (!ret && c->new_tree)
		ret = write_value(handle, c, touched);
	if (ret)
		return ret;
	*touched = true;
	ret = ocfs2_journal_access(handle, c->ibh);
	if (!ret && c->have_old)
		ret = ocfs2_xattr_free_value(handle, c->inode, &c->old);
	if (!ret)
		ret = write_areas(handle, c);
	return ret;
}

/* An indexed inode: claims first again, then inline area and bucket. */
static int indexed_in_trans(handle_t *handle, struct xattr_change *c,
			    bool *touched)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)c->ibh->b_data;
	struct super_block *sb = c->inode->i_sb;
	int ret = 0;

	if (c->tree_changed)
		ret = ocfs2_xattr_tree_claim(handle, &c->tree, touched);
	if (!ret && c->new_tree)
		ret = write_value(handle, c, touched);
	if (ret)
		return ret;
	*touched = true;
	ret = ocfs2_journal_access(handle, c->ibh);
	if (!ret && c->have_old)
		ret = ocfs2_xattr_free_value(handle, c->inode, &c->old);
	if (!ret && c->tree_changed)
		ret = ocfs2_xattr_tree_write(handle, &c->tree);
	if (ret)
		return ret;
	if (c->inline_changed)
		write_area(sb, &c->l, c->ibh->b_data + sb->s_blocksize - c->area,
			   c->area, true);
	stamp_ctime(c->inode);
	ocfs2_inode_to_disk(c->inode, di);
	ocfs2_journal_dirty(handle, c->ibh);
	return 0;
}

static int run_change(struct xattr_change *c)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(c->inode->i_sb);
	bool touched = false;
	handle_t *handle;
	int ret, ret2, credits = change_credits(c) + c->cost.credits;

	if (c->tree_changed)
		credits += ocfs2_xattr_tree_credits(&c->tree);
	/* the old value's runs go to the truncate log: room promised */
	handle = ocfs2_start_free_trans(osb, OCFS2_AL_DATA, credits,
				       max(c->cost.runs, 1U));
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	if (c->indexed)
		ret = indexed_in_trans(handle, c, &touched);
	else
		ret = change_in_trans(handle, c, &touched);
	/* half a change must not reach the disk */
	if (ret && touched)
		jbd2_journal_abort(osb->journal, ret);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
	return ret ? ret : ret2;
}

static int read_block(struct xattr_change *c)
{
	u64 loc = OCFS2_I(c->inode)->xattr_loc;

	if (!loc)
		return 0;
	return ocfs2_read_covered(c->inode, loc, OCFS2_BLOCK_XATTR,
				  &c->xbh);
}

/* Room for @it in the inode's inline area beside what stays there. */
static bool fits_inline(struct xattr_change *c, const struct xattr_item *it)
{
	unsigned int i, bytes = item_bytes(it);

	if (!(OCFS2_I(c->inode)->dyn_features & OCFS2_INLINE_XATTR_FL))
		return false;
	for (i = 0; i < c->l.count; i++)
		bytes += item_bytes(&c->l.items[i]);
	return area_fits(c->area, c->l.count + 1, bytes);
}

static int tree_lookup(struct xattr_change *c, int index, const char *name)
{
	if (c->tree.looked)
		return 0;
	c->tree.inode = c->inode;
	c->tree.xbh = c->xbh;
	return ocfs2_xattr_tree_lookup(&c->tree, index, name);
}

/* The old value, inline (item @at) or in the tree, taken out. */
static int take_old(struct xattr_change *c, int at)
{
	if (at >= 0) {
		c->old = c->l.items[at];
		memmove(&c->l.items[at], &c->l.items[at + 1],
			(c->l.count - at - 1) * sizeof(*c->l.items));
		c->l.count--;
		c->inline_changed = true;
	} else {
		c->old = c->tree.l.items[c->tree.at];
		ocfs2_xattr_tree_drop(&c->tree);
		c->tree_changed = true;
	}
	c->have_old = true;
	return ocfs2_xattr_value_freeable(c->inode, &c->old, &c->cost);
}

/* The new value: inline if it fits there, else into its bucket. */
static int place_new(struct xattr_change *c, int index, const char *name)
{
	struct xattr_item it = { };
	int ret;

	fill_item(c, &it, index, name);
	if (fits_inline(c, &it)) {
		it.in_inode = true;
		c->l.items[c->l.count++] = it;
		c->inline_changed = true;
		return 0;
	}
	ret = tree_lookup(c, index, name);
	if (ret)
		return ret;
	if (c->tree.at >= 0)
		return ocfs2_xattr_bad_tree(c->inode, c->xbh->b_blocknr,
					    "a name both inline and in a bucket",
					    0);
	ret = ocfs2_xattr_tree_add(&c->tree, &it);
	c->tree_changed = !ret;
	return ret;
}

static int plan_indexed(struct xattr_change *c, int index, const char *name,
			int flags)
{
	int at = find_item(&c->l, index, name, strlen(name));
	bool exists;
	int ret;

	if (at < 0) {
		ret = tree_lookup(c, index, name);
		if (ret)
			return ret;
	}
	exists = at >= 0 || c->tree.at >= 0;
	if (exists && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!exists && (!c->value || (flags & XATTR_REPLACE)))
		return -ENODATA;
	if (exists) {
		ret = take_old(c, at);
		if (ret)
			return ret;
	}
	if (c->value) {
		ret = place_new(c, index, name);
		if (ret)
			return ret;
	}
	return c->tree_changed ? ocfs2_xattr_tree_plan(&c->tree) : 0;
}

/* An inode whose xattr block is a bucket tree. */
static int set_indexed(struct xattr_change *c, int index, const char *name,
		       int flags)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)c->ibh->b_data;
	int ret;

	c->indexed = true;
	c->tree.at = -1;
	ret = ocfs2_xattr_gather(c->inode, c->ibh, NULL, &c->l, 1);
	if (ret)
		return ret;
	c->area = area_room(c->inode, di);
	ret = plan_indexed(c, index, name, flags);
	if (!ret)
		ret = run_change(c);
	ocfs2_xattr_tree_release(&c->tree);
	ocfs2_xattr_list_free(&c->l);
	return ret;
}

/* The block is full: it becomes a tree root, then the change is made. */
static int set_after_convert(struct xattr_change *c, int index,
			     const char *name, int flags)
{
	int ret;

	c->have_old = false;
	memset(&c->cost, 0, sizeof(c->cost));
	c->new_tree = false;
	c->make_area = false;
	c->in_block = 0;
	ret = ocfs2_xattr_tree_convert(c->inode, c->xbh);
	return ret ? ret : set_indexed(c, index, name, flags);
}

/* With the meta lock EX and alloc_sem held. */
static int set_locked(struct xattr_change *c, int index, const char *name,
		      int flags)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)c->ibh->b_data;
	int ret;

	ret = read_block(c);
	if (ret)
		return ret;
	if (c->xbh && ocfs2_xattr_block_indexed(c->xbh))
		return ocfs2_xattr_tree_writable(c->inode, c->xbh->b_blocknr) ?
		       set_indexed(c, index, name, flags) : -EOPNOTSUPP;
	ret = ocfs2_xattr_gather(c->inode, c->ibh, c->xbh, &c->l, 1);
	if (ret)
		return ret;
	ret = apply_change(c, index, name, flags);
	if (ret)
		goto out;
	c->area = area_room(c->inode, di);
	ret = place_items(c);
	if (ret == -ENOSPC && c->xbh && ocfs2_xattr_tree_writes_on()) {
		ocfs2_xattr_list_free(&c->l);
		return set_after_convert(c, index, name, flags);
	}
	if (!ret)
		ret = run_change(c);
out:
	ocfs2_xattr_list_free(&c->l);
	return ret;
}

/* A new inode's inline area: regular files only, as area_room() allows. */
static unsigned int new_area_room(struct super_block *sb, umode_t mode)
{
	unsigned int want = OCFS2_SB(sb)->xattr_inline_size;

	return S_ISREG(mode) && want >= OCFS2_MIN_XATTR_INLINE_SIZE ? want : 0;
}

/*
 * Where a new inode of @mode keeps @l (local values only): 1 if in an
 * xattr block (the extent allocator must be locked for the create), 0 if
 * all inline, -ENOSPC or -EFBIG if they cannot be written at create.
 */
int ocfs2_xattr_new_needs_block(struct super_block *sb, umode_t mode,
				struct xattr_set_list *l)
{
	unsigned int i, in_n, bl_n;
	int ret;

	for (i = 0; i < l->count; i++)
		if (!l->items[i].local)
			return -EFBIG;
	ret = place_list(sb, l, new_area_room(sb, mode), &in_n, &bl_n);
	return ret ? ret : bl_n > 0;
}

/*
 * The xattr block a new inode's first attributes need, claimed in the
 * creating transaction before the inode itself: a full disk then fails
 * the create before anything changed (ocfs2_xattr_new_needs_block() said
 * whether one is needed).
 */
int ocfs2_xattr_new_block(handle_t *handle, struct super_block *sb,
			  struct buffer_head **bhp)
{
	bool touched = false;

	return claim_block(handle, sb, bhp, &touched);
}

/* A block from ocfs2_xattr_new_block() the create did not use. */
int ocfs2_xattr_drop_new_block(handle_t *handle, struct super_block *sb,
			       struct buffer_head *bh)
{
	struct ocfs2_xattr_block *xb = (struct ocfs2_xattr_block *)bh->b_data;

	return ocfs2_free_suballoc_block(handle, sb, bh->b_blocknr,
					 le16_to_cpu(xb->xb_suballoc_slot),
					 le16_to_cpu(xb->xb_suballoc_bit),
					 le64_to_cpu(xb->xb_suballoc_loc));
}

/*
 * The first attributes of a new inode (the ACLs it inherits), laid out in
 * its fresh dinode @di inside the creating transaction, so the inode never
 * exists on disk without them.  Placed by ocfs2_xattr_new_needs_block();
 * @bh is the block ocfs2_xattr_new_block() claimed when one is needed.
 */
int ocfs2_xattr_new_inode(handle_t *handle, struct super_block *sb,
			  struct ocfs2_dinode *di, struct xattr_set_list *l,
			  struct buffer_head *bh)
{
	unsigned int area = new_area_room(sb, le16_to_cpu(di->i_mode));
	u16 dyn = le16_to_cpu(di->i_dyn_features) | OCFS2_HAS_XATTR_FL;
	struct ocfs2_xattr_block *xb;
	unsigned int in_n, bl_n;
	int ret;

	ret = place_list(sb, l, area, &in_n, &bl_n);
	if (ret)
		return ret;
	if (bl_n && !bh)
		return -EINVAL;
	if (in_n) {
		le16_add_cpu(&di->id2.i_list.l_count,
			     -(int)(area / sizeof(struct ocfs2_extent_rec)));
		di->i_xattr_inline_size = cpu_to_le16(area);
		dyn |= OCFS2_INLINE_XATTR_FL;
		write_area(sb, l, (u8 *)di + sb->s_blocksize - area, area, true);
	}
	if (bl_n) {
		xb = (struct ocfs2_xattr_block *)bh->b_data;
		write_area(sb, l, (u8 *)&xb->xb_attrs.xb_header, block_cap(sb),
			   false);
		ocfs2_journal_dirty(handle, bh);
		di->i_xattr_loc = cpu_to_le64(bh->b_blocknr);
	}
	di->i_dyn_features = cpu_to_le16(dyn);
	return 0;
}

/*
 * Set (@value) or remove (NULL) @name in name index @index.  ACLs (acl.c)
 * come here with their empty name; a caller may hold the meta lock.
 */
int ocfs2_xattr_change(struct inode *inode, int index, const char *name,
		       const void *value, size_t size, int flags)
{
	struct xattr_change c = {
		.inode = inode, .value = value, .size = size,
	};
	int ret;

	ret = ocfs2_inode_lock(inode, &c.ibh, 1);
	if (ret)
		return ret;
	down_write(&OCFS2_I(inode)->alloc_sem);
	ret = set_locked(&c, index, name, flags);
	up_write(&OCFS2_I(inode)->alloc_sem);
	brelse(c.xbh);
	brelse(c.ibh);
	ocfs2_inode_unlock(inode, 1);
	return ret;
}

int ocfs2_xattr_set(const struct xattr_handler *handler,
		    struct kc_idmap *idmap, struct dentry *unused,
		    struct inode *inode, const char *name, const void *value,
		    size_t size, int flags)
{
	if (!*name)
		return -EINVAL;
	if (strlen(name) > XATTR_NAME_MAX)
		return -ERANGE;
	if (value && size > XATTR_SIZE_MAX)
		return -E2BIG;
	if (ocfs2_xattr_index_off(inode, handler->flags))
		return -EOPNOTSUPP;
	return ocfs2_xattr_change(inode, handler->flags, name, value, size,
				  flags);
}
