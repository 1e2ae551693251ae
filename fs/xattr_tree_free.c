// SPDX-License-Identifier: GPL-2.0
/*
 * A bucket tree freed with its inode, in steps that each leave a volume
 * stock's fsck finds whole if the node dies between them (the delete then
 * starts again from the orphan directory): every bucket holding values
 * out of line gives their clusters back and their extent blocks (stock's
 * values over several extents) and is emptied, in one transaction or,
 * when they hold much, in several that each drop its last items; then
 * each run of buckets goes back with its record, from
 * the last (the rightmost leaf's last record: a tree of any depth, its
 * extent blocks going as they empty, extent_remove.c); the xattr block
 * itself goes last, with the inode's other attributes (xattr_free.c).
 */
#include "extent_tree.h"
#include "xattr.h"

/* A tree deeper than its root is freed only with ocfs2.deep_trees. */
static bool deep_ok(struct inode *inode, struct buffer_head *xbh)
{
	struct ocfs2_xattr_block *xb = (struct ocfs2_xattr_block *)xbh->b_data;
	u16 depth = le16_to_cpu(xb->xb_attrs.xb_root.xt_list.l_tree_depth);

	if (!depth || ocfs2_deep_trees())
		return true;
	ocfs2_err(inode->i_sb, "inode %lu: xattr bucket tree %llu has depth %u: freeing it needs ocfs2.deep_trees=1",
		  inode->i_ino, (unsigned long long)xbh->b_blocknr, depth);
	return false;
}

/*
 * A refcounted inode's buckets may hold values sharing clusters with a
 * reflink (stock's OCFS2_IOC_REFLINK shares them), which are freed only
 * in the inode's own area or a plain xattr block so far.
 */
static bool shared_ok(struct inode *inode, struct buffer_head *xbh)
{
	if (!ocfs2_inode_is_refcounted(inode))
		return true;
	ocfs2_err(inode->i_sb, "inode %lu: refcounted, with xattr buckets (block %llu), whose values may share clusters: this module does not free them yet",
		  inode->i_ino, (unsigned long long)xbh->b_blocknr);
	return false;
}

/*
 * 1 (and why, logged) if @inode's xattrs are a tree this module may not
 * free (bucket-tree writes off, deeper than its root with
 * ocfs2.deep_trees off, or a refcounted inode's), 0 if they can be
 * freed, < 0 on error.
 */
int ocfs2_xattr_tree_unfreeable(struct inode *inode)
{
	u64 loc = OCFS2_I(inode)->xattr_loc;
	struct buffer_head *bh;
	int ret;

	if (!loc)
		return 0;
	ret = ocfs2_read_covered(inode, loc, OCFS2_BLOCK_XATTR, &bh);
	if (ret)
		return ret;
	ret = ocfs2_xattr_block_indexed(bh) &&
	      (!ocfs2_xattr_tree_writable(inode, loc) || !deep_ok(inode, bh) ||
	       !shared_ok(inode, bh));
	brelse(bh);
	return ret;
}

/*
 * What one step of emptying a bucket may give back: well inside the
 * handle limit of the smallest journal (a quarter of a 4 MiB journal of
 * 4 KiB blocks), whatever the bucket's values hold.
 */
#define EMPTY_STEP_CREDITS	64

/*
 * The items from *@from to the end go in this step: as many from the end
 * as EMPTY_STEP_CREDITS allows, one at least; their cost added to @cost.
 */
static int step_items(struct inode *inode, const struct xattr_set_list *l,
		      unsigned int *from, struct xattr_value_cost *cost)
{
	struct xattr_value_cost one;
	unsigned int i;
	int ret;

	for (i = l->count; i > 0; i--) {
		memset(&one, 0, sizeof(one));
		ret = ocfs2_xattr_value_freeable(inode, &l->items[i - 1], &one);
		if (ret)
			return ret;
		if (i < l->count &&
		    cost->credits + one.credits > EMPTY_STEP_CREDITS)
			break;
		cost->credits += one.credits;
		cost->runs += one.runs;
	}
	*from = i;
	return 0;
}

/*
 * The bucket in @buf as it will be once items @from.. left it, laid out
 * before the transaction (the items point into @l's copy): the others
 * packed again, or none, the bucket keeping its first hash as stock's
 * does.
 */
static int step_layout(struct super_block *sb, const struct xattr_set_list *l,
		       unsigned int from, u8 *buf)
{
	struct ocfs2_xattr_header *xh = (struct ocfs2_xattr_header *)buf;
	u16 nb = le16_to_cpu(xh->xh_num_buckets);
	u32 hash = le32_to_cpu(xh->xh_entries[0].xe_name_hash);

	if (from)
		return ocfs2_xattr_lay_bucket(sb, l->items, from, buf, nb);
	memset(buf, 0, OCFS2_XATTR_BUCKET_SIZE);
	xh->xh_free_start = cpu_to_le16(OCFS2_XATTR_BUCKET_SIZE);
	xh->xh_num_buckets = cpu_to_le16(nb);
	xh->xh_entries[0].xe_name_hash = cpu_to_le32(hash);
	return 0;
}

static int step_in_trans(handle_t *handle, struct inode *inode, u64 blkno,
			 const struct xattr_set_list *l, unsigned int from,
			 u8 *buf)
{
	unsigned int i;
	int ret = 0;

	for (i = from; !ret && i < l->count; i++)
		ret = ocfs2_xattr_free_value(handle, inode, &l->items[i]);
	return ret ? ret : ocfs2_xattr_put_bucket(handle, inode, blkno, buf,
						  false);
}

/*
 * One step of emptying the bucket at @blkno: the values of its last items
 * go back and those items leave it, in one transaction; *@more while
 * items remain.
 */
static int empty_step(struct inode *inode, u64 blkno, u8 *buf, bool *more)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct xattr_value_cost cost = { };
	struct xattr_set_list l;
	struct xattr_area a;
	unsigned int from;
	handle_t *handle;
	int ret;

	*more = false;
	ret = ocfs2_xattr_bucket_read(inode, blkno, buf);
	if (ret)
		return ret;
	ocfs2_xattr_bucket_area(buf, blkno, &a);
	ret = ocfs2_xattr_gather_one(inode, &a, &l, 0);
	if (ret)
		return ret;
	ret = step_items(inode, &l, &from, &cost);
	/* only local values: the bucket goes with its run as it is */
	if (ret || !cost.credits)
		goto out;
	ret = step_layout(inode->i_sb, &l, from, buf);
	if (ret)
		goto out;
	handle = ocfs2_start_free_trans(osb, OCFS2_AL_DATA,
				       ocfs2_xattr_bpb(inode->i_sb) + 2 +
				       cost.credits, cost.runs);
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		goto out;
	ret = step_in_trans(handle, inode, blkno, &l, from, buf);
	/* half of it freed must not reach the disk */
	ret = ocfs2_commit_or_abort(osb, handle, OCFS2_AL_DATA, ret);
	*more = !ret && from;
out:
	ocfs2_xattr_list_free(&l);
	return ret;
}

/* The values a bucket keeps out of line go back, in steps. */
static int empty_bucket(struct inode *inode, u64 blkno, u8 *buf)
{
	bool more;
	int ret;

	do {
		ret = empty_step(inode, blkno, buf, &more);
		cond_resched();
	} while (!ret && more);
	return ret;
}

/* The rightmost leaf's last record (a copy). */
static int last_record(struct ocfs2_extent_root *er,
		       struct ocfs2_extent_rec *rec)
{
	struct ocfs2_extent_list *leaf;
	struct ocfs2_path path;
	int ret;

	ret = ocfs2_er_path_find(er, 0, true, &path);
	if (ret)
		return ret;
	leaf = path.el[path.depth];
	if (leaf->l_next_free_rec)
		*rec = leaf->l_recs[le16_to_cpu(leaf->l_next_free_rec) - 1];
	else
		ret = ocfs2_xattr_bad_tree(er->inode, er->bh->b_blocknr,
					   "empty extent leaf",
					   path.bh[path.depth]->b_blocknr);
	ocfs2_path_release(&path);
	return ret;
}

/* The tree's last record: its buckets emptied, then its run freed. */
static int free_last_run(struct ocfs2_extent_root *er, u8 *buf)
{
	struct inode *inode = er->inode;
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	unsigned int i, bpb = ocfs2_xattr_bpb(inode->i_sb), nb;
	struct ocfs2_extent_rec rec;
	u32 clusters;
	u64 run;
	int ret;

	ret = last_record(er, &rec);
	if (ret)
		return ret;
	run = le64_to_cpu(rec.e_blkno);
	clusters = le16_to_cpu(rec.e_leaf_clusters);
	if (!clusters || !run || run & ((1ULL << osb->bpc_bits) - 1) ||
	    run + ((u64)clusters << osb->bpc_bits) > osb->total_blocks)
		return ocfs2_xattr_bad_tree(inode, er->bh->b_blocknr,
					    "bad bucket run", run);
	ret = ocfs2_xattr_bucket_read(inode, run, buf);
	if (ret)
		return ret;
	nb = le16_to_cpu(((struct ocfs2_xattr_header *)buf)->xh_num_buckets);
	if (!nb || nb > clusters * ocfs2_xattr_buckets_per_cluster(inode->i_sb))
		return ocfs2_xattr_bad_tree(inode, er->bh->b_blocknr,
					    "bucket count", nb);
	for (i = 0; i < nb; i++) {
		ret = empty_bucket(inode, run + (u64)i * bpb, buf);
		if (ret)
			return ret;
	}
	return ocfs2_er_drop_last(er);
}

/*
 * Every run of the tree under @xbh goes back; the block stays, an empty
 * root, for the caller to free.  Meta lock EX held, at delete.
 */
int ocfs2_xattr_tree_free(struct inode *inode, struct buffer_head *xbh)
{
	struct ocfs2_extent_root er;
	u8 *buf;
	int ret = 0;

	if (!ocfs2_xattr_tree_writable(inode, xbh->b_blocknr) ||
	    !deep_ok(inode, xbh))
		return -EOPNOTSUPP;
	ocfs2_er_xattr_tree(&er, inode, xbh);
	if (inode->i_sb->s_blocksize > OCFS2_XATTR_BUCKET_SIZE)
		return ocfs2_xattr_bad_tree(inode, xbh->b_blocknr,
					    "block size over the bucket size",
					    inode->i_sb->s_blocksize);
	buf = kmalloc(OCFS2_XATTR_BUCKET_SIZE, GFP_NOFS);
	if (!buf)
		return -ENOMEM;
	while (!ret && er.el->l_next_free_rec)
		ret = free_last_run(&er, buf);
	kfree(buf);
	return ret;
}
