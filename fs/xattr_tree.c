// SPDX-License-Identifier: GPL-2.0
/*
 * Indexed xattr blocks (bucket trees), change side.  A change reaches the
 * one bucket where its name's hash belongs (xattr_bucket.c finds it as
 * stock does), and that bucket is laid out again whole: entries sorted by
 * hash, names and values packed from its end with none straddling a
 * block, so its free start and name-value length are what stock's fsck
 * computes.  A bucket that cannot hold the change is split at the hash
 * change nearest its middle (equal hashes stay together, as stock's
 * search needs): the upper half goes to the next bucket of the run, the
 * run's later buckets moving up one, while the run has room; otherwise
 * to a new run of clusters with the later buckets, under a new record
 * that starts at the upper half's first hash (the root's records move
 * into extent blocks when it is full, as a file's do: extent_insert.c).
 * Removals leave buckets in
 * place (an emptied one keeps its last hash, as stock's does); clusters
 * come back only when the inode goes (ocfs2_xattr_tree_free).
 */
#include <linux/moduleparam.h>
#include <linux/sort.h>
#include <ocfs2/blockcheck.h>
#include "extent_tree.h"
#include "xattr.h"

/*
 * On since fs/20 and fs/21 passed in the lab on both kernels.  Off, a
 * full xattr block is ENOSPC, and changes to an indexed inode, or freeing
 * one, are refused (EOPNOTSUPP) before anything changes.
 */
static bool xattr_tree_writes = true;
module_param(xattr_tree_writes, bool, 0644);
MODULE_PARM_DESC(xattr_tree_writes, "write and free indexed xattr blocks (bucket trees); default on");

/* Whether bucket trees may be changed; logs the refusal when not. */
bool ocfs2_xattr_tree_writable(struct inode *inode, u64 xblk)
{
	if (READ_ONCE(xattr_tree_writes))
		return true;
	ocfs2_err(inode->i_sb, "inode %lu: changing or freeing the indexed xattr block %llu (bucket tree) is off (ocfs2.xattr_tree_writes=0)",
		  inode->i_ino, (unsigned long long)xblk);
	return false;
}

bool ocfs2_xattr_tree_writes_on(void)
{
	return READ_ONCE(xattr_tree_writes);
}


static int cmp_hash(const void *a, const void *b)
{
	const struct xattr_item *l = a, *r = b;

	if (l->hash != r->hash)
		return l->hash < r->hash ? -1 : 1;
	return 0;
}

/*
 * Lay @n items out as one bucket in @buf (with @write; else only check
 * they fit).  Each name and value stays inside one block of the bucket.
 */
static int lay_bucket(struct super_block *sb, const struct xattr_item *its,
		      unsigned int n, u8 *buf, u16 nb, u32 empty_hash,
		      bool write)
{
	struct ocfs2_xattr_header *xh = (struct ocfs2_xattr_header *)buf;
	unsigned int i, size, bs = sb->s_blocksize;
	unsigned int fs = OCFS2_XATTR_BUCKET_SIZE, used = 0;
	struct ocfs2_xattr_entry *xe;

	if (write)
		memset(buf, 0, OCFS2_XATTR_BUCKET_SIZE);
	for (i = 0; i < n; i++) {
		size = ocfs2_xattr_item_bytes(&its[i]);
		if (size > fs)
			return -ENOSPC;
		if ((fs - size) / bs != (fs - 1) / bs)
			fs -= fs % bs;
		if (size > fs)
			return -ENOSPC;
		fs -= size;
		used += size;
		if (!write)
			continue;
		xe = &xh->xh_entries[i];
		xe->xe_name_hash = cpu_to_le32(its[i].hash);
		xe->xe_name_offset = cpu_to_le16(fs);
		xe->xe_name_len = its[i].name_len;
		xe->xe_type = its[i].index |
			      (its[i].local ? OCFS2_XATTR_ENTRY_LOCAL : 0);
		xe->xe_value_size = cpu_to_le64(its[i].vsize);
		memcpy(buf + fs, its[i].name, its[i].name_len);
		memcpy(buf + fs + OCFS2_XATTR_SIZE(its[i].name_len), its[i].val,
		       its[i].local ? its[i].vsize : OCFS2_XATTR_ROOT_SIZE);
	}
	if (sizeof(*xh) + n * sizeof(*xe) + OCFS2_XATTR_HEADER_GAP > fs)
		return -ENOSPC;
	/*
	 * The entry array must end inside the bucket's first block: stock
	 * 6.12 refuses a bucket with more entries than that block holds
	 * ("entry count 64 exceeds maximum 63" on 1 KiB blocks) and goes
	 * read-only, so such a bucket is full here and splits instead.
	 */
	if (sizeof(*xh) + n * sizeof(*xe) > bs)
		return -ENOSPC;
	if (!write)
		return 0;
	xh->xh_count = cpu_to_le16(n);
	xh->xh_free_start = cpu_to_le16(fs);
	xh->xh_name_value_len = cpu_to_le16(used);
	xh->xh_num_buckets = cpu_to_le16(nb);
	if (!n)
		xh->xh_entries[0].xe_name_hash = cpu_to_le32(empty_hash);
	return 0;
}

/* The first @n items of a bucket laid out again in @buf (a delete's step). */
int ocfs2_xattr_lay_bucket(struct super_block *sb, const struct xattr_item *its,
			   unsigned int n, u8 *buf, u16 nb)
{
	return lay_bucket(sb, its, n, buf, nb, 0, true);
}

/* One bucket's blocks into the transaction; @fresh: newly claimed. */
int ocfs2_xattr_put_bucket(handle_t *handle, struct inode *inode, u64 blkno,
		      u8 *buf, bool fresh)
{
	struct ocfs2_xattr_header *xh = (struct ocfs2_xattr_header *)buf;
	struct super_block *sb = inode->i_sb;
	unsigned int i, n = ocfs2_xattr_bpb(sb);
	struct buffer_head *bh;
	int ret;

	/* stock's checksum covers the bucket whole, in its first block */
	if (ocfs2_has_incompat(OCFS2_SB(sb), OCFS2_FEATURE_INCOMPAT_META_ECC))
		ocfs2_block_check_compute(buf, OCFS2_XATTR_BUCKET_SIZE,
					  &xh->xh_check);
	for (i = 0; i < n; i++) {
		if (fresh) {
			ret = ocfs2_new_meta_block(handle, sb, blkno + i, &bh);
		} else {
			ret = ocfs2_read_covered(inode, blkno + i,
						 OCFS2_BLOCK_DATA, &bh);
			if (!ret) {
				ret = ocfs2_journal_access(handle, bh);
				if (ret)
					brelse(bh);
			}
		}
		if (ret)
			return ret;
		/* no signature: the commit trigger must leave it alone */
		ocfs2_block_holds_data(bh);
		memcpy(bh->b_data, buf + (i << sb->s_blocksize_bits),
		       sb->s_blocksize);
		ocfs2_journal_dirty(handle, bh);
		brelse(bh);
	}
	return 0;
}

/* Copy the bucket at @from to @to, its bucket count set to @nb. */
static int move_bucket(handle_t *handle, struct inode *inode, u64 from,
		       u64 to, u16 nb, u8 *buf, bool fresh)
{
	int ret;

	ret = ocfs2_xattr_bucket_read(inode, from, buf);
	if (ret)
		return ret;
	((struct ocfs2_xattr_header *)buf)->xh_num_buckets = cpu_to_le16(nb);
	return ocfs2_xattr_put_bucket(handle, inode, to, buf, fresh);
}

/* The bucket count kept in a run's first bucket. */
static int set_run_count(handle_t *handle, struct inode *inode, u64 run,
			 u16 nb, u8 *buf)
{
	return move_bucket(handle, inode, run, run, nb, buf, false);
}

/*
 * Find the bucket for @name (@index) and gather its items; t->at is the
 * name's item or -1.  With the meta lock EX and alloc_sem held.
 */
int ocfs2_xattr_tree_lookup(struct xattr_tree_change *t, int index,
			    const char *name)
{
	struct super_block *sb = t->inode->i_sb;
	size_t len = strlen(name);
	struct xattr_area a;
	unsigned int i;
	int ret;

	t->at = -1;
	t->buf = kmalloc(OCFS2_XATTR_BUCKET_SIZE, GFP_NOFS);
	if (!t->buf)
		return -ENOMEM;
	ret = ocfs2_xattr_bucket_find(t->inode, t->xbh,
				      ocfs2_xattr_hash(sb, name, len), t->buf,
				      &t->pos);
	if (ret == -ENODATA)
		return ocfs2_xattr_bad_tree(t->inode, t->xbh->b_blocknr,
					    "no bucket at all", 0);
	if (ret)
		return ret;
	ocfs2_xattr_bucket_area(t->buf, ocfs2_xattr_pos_blkno(sb, &t->pos), &a);
	t->empty_hash = le32_to_cpu(a.xh->xh_entries[0].xe_name_hash);
	ret = ocfs2_xattr_gather_one(t->inode, &a, &t->l, 1);
	if (ret)
		return ret;
	t->looked = true;
	for (i = 0; i < t->l.count; i++) {
		const struct xattr_item *it = &t->l.items[i];

		if (it->index == index && it->name_len == len &&
		    !memcmp(it->name, name, len)) {
			t->at = i;
			break;
		}
	}
	return 0;
}

/* Take the name found by the lookup out of the bucket's items. */
void ocfs2_xattr_tree_drop(struct xattr_tree_change *t)
{
	struct xattr_set_list *l = &t->l;

	if (l->count == 1)
		t->empty_hash = l->items[t->at].hash;
	memmove(&l->items[t->at], &l->items[t->at + 1],
		(l->count - t->at - 1) * sizeof(*l->items));
	l->count--;
	t->at = -1;
}

int ocfs2_xattr_tree_add(struct xattr_tree_change *t,
			 const struct xattr_item *it)
{
	if (t->l.count >= t->l.cap)
		return -EINVAL;
	t->l.items[t->l.count++] = *it;
	return 0;
}

/* Stock's split point: the hash change nearest the middle; n if none. */
static unsigned int divide_pos(const struct xattr_item *its, unsigned int n)
{
	unsigned int d, mid = n / 2;

	for (d = 0; d < mid; d++) {
		if (its[mid - d - 1].hash != its[mid - d].hash)
			return mid - d;
		if (mid + d + 1 < n && its[mid + d].hash != its[mid + d + 1].hash)
			return mid + d + 1;
	}
	return n;
}

/* A new run for the upper half and the buckets after the target. */
static int plan_new_run(struct xattr_tree_change *t)
{
	struct super_block *sb = t->inode->i_sb;
	struct ocfs2_xattr_block *xb = (struct ocfs2_xattr_block *)t->xbh->b_data;
	const struct ocfs2_extent_list *el = &xb->xb_attrs.xb_root.xt_list;
	unsigned int moved = t->pos.nb - t->pos.index;

	if (!ocfs2_deep_trees() && (el->l_tree_depth ||
	    le16_to_cpu(el->l_next_free_rec) >= le16_to_cpu(el->l_count))) {
		ocfs2_err(sb, "inode %lu: xattr bucket tree %llu is full (depth %u, %u records): growing it deeper needs ocfs2.deep_trees=1",
			  t->inode->i_ino, (unsigned long long)t->xbh->b_blocknr,
			  le16_to_cpu(el->l_tree_depth),
			  le16_to_cpu(el->l_next_free_rec));
		return -ENOSPC;
	}
	t->new_clusters = DIV_ROUND_UP(moved,
				       ocfs2_xattr_buckets_per_cluster(sb));
	return 0;
}

/*
 * Decide where the bucket's items go: the bucket alone, or split in two
 * (in the run, or with a new run).  Nothing is written yet.
 */
int ocfs2_xattr_tree_plan(struct xattr_tree_change *t)
{
	struct super_block *sb = t->inode->i_sb;
	struct xattr_set_list *l = &t->l;
	unsigned int p;
	u64 room;

	sort(l->items, l->count, sizeof(*l->items), cmp_hash, NULL);
	t->split = 0;
	t->new_clusters = 0;
	if (!lay_bucket(sb, l->items, l->count, NULL, 0, 0, false))
		return 0;
	p = divide_pos(l->items, l->count);
	if (p == l->count ||
	    lay_bucket(sb, l->items, p, NULL, 0, 0, false) ||
	    lay_bucket(sb, l->items + p, l->count - p, NULL, 0, 0, false)) {
		ocfs2_err(sb, "inode %lu: xattr bucket %llu cannot be split for this name (hash collisions or large entries)",
			  t->inode->i_ino,
			  (unsigned long long)ocfs2_xattr_pos_blkno(sb, &t->pos));
		return -ENOSPC;
	}
	t->split = p;
	room = (u64)t->pos.clusters * ocfs2_xattr_buckets_per_cluster(sb);
	if (t->pos.nb < room)
		return 0;
	return plan_new_run(t);
}

int ocfs2_xattr_tree_credits(const struct xattr_tree_change *t)
{
	unsigned int bpb = ocfs2_xattr_bpb(t->inode->i_sb);

	struct ocfs2_extent_root er;

	/* moved buckets, target, upper half, run head, root, the claim */
	if (!t->new_clusters)
		return (t->pos.nb - t->pos.index + 3) * bpb + 1;
	ocfs2_er_xattr_tree(&er, t->inode, t->xbh);
	return (t->pos.nb - t->pos.index + 3) * bpb + 1 + 8 +
	       ocfs2_er_insert_credits(&er);
}

/* The new run's clusters, first in the transaction (see xattr_set.c). */
int ocfs2_xattr_tree_claim(handle_t *handle, struct xattr_tree_change *t,
			   bool *touched)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(t->inode->i_sb);
	struct ocfs2_run run;
	int ret;

	if (!t->new_clusters)
		return 0;
	ret = ocfs2_claim_contig(handle, osb, t->new_clusters, &run);
	if (ret)
		return ret;
	*touched = true;
	t->new_run = (u64)run.cluster << osb->bpc_bits;
	return 0;
}

/* The bucket's items laid out at @blkno with bucket count @nb. */
static int put_items(handle_t *handle, struct xattr_tree_change *t,
		     unsigned int from, unsigned int n, u64 blkno, u16 nb,
		     bool fresh)
{
	int ret;

	ret = lay_bucket(t->inode->i_sb, t->l.items + from, n, t->buf, nb,
			 t->empty_hash, true);
	if (!ret)
		ret = ocfs2_xattr_put_bucket(handle, t->inode, blkno, t->buf, fresh);
	return ret;
}

/* Split within the run: later buckets up one, the upper half after. */
static int write_split_in_run(handle_t *handle, struct xattr_tree_change *t)
{
	struct super_block *sb = t->inode->i_sb;
	unsigned int bpb = ocfs2_xattr_bpb(sb), j;
	u64 at = ocfs2_xattr_pos_blkno(sb, &t->pos);
	u16 nb = t->pos.nb + 1;
	int ret = 0;

	for (j = t->pos.nb - 1; !ret && j > t->pos.index; j--)
		ret = move_bucket(handle, t->inode, t->pos.run + (u64)j * bpb,
				  t->pos.run + (u64)(j + 1) * bpb, 0, t->buf,
				  false);
	if (!ret)
		ret = put_items(handle, t, t->split, t->l.count - t->split,
				at + bpb, 0, false);
	if (!ret)
		ret = put_items(handle, t, 0, t->split, at,
				t->pos.index ? 0 : nb, false);
	if (!ret && t->pos.index)
		ret = set_run_count(handle, t->inode, t->pos.run, nb, t->buf);
	return ret;
}

/* The new run's record, in hash order among the tree's records. */
static int insert_record(handle_t *handle, struct xattr_tree_change *t,
			 u32 cpos)
{
	struct ocfs2_extent_root er;

	ocfs2_er_xattr_tree(&er, t->inode, t->xbh);
	return ocfs2_er_insert(handle, &er, cpos, t->new_run, t->new_clusters,
			       0);
}

/*
 * Split into a new run: the upper half heads it, the buckets after the
 * target follow; the old run keeps the buckets up to the target.
 */
static int write_split_new_run(handle_t *handle, struct xattr_tree_change *t)
{
	struct super_block *sb = t->inode->i_sb;
	unsigned int bpb = ocfs2_xattr_bpb(sb), k;
	unsigned int moved = t->pos.nb - t->pos.index;
	u64 at = ocfs2_xattr_pos_blkno(sb, &t->pos);
	u16 keep = t->pos.index + 1;
	u32 cpos = t->l.items[t->split].hash;
	int ret;

	ret = put_items(handle, t, t->split, t->l.count - t->split,
			t->new_run, moved, true);
	for (k = 1; !ret && k < moved; k++)
		ret = move_bucket(handle, t->inode, at + (u64)k * bpb,
				  t->new_run + (u64)k * bpb, 0, t->buf, true);
	if (!ret)
		ret = put_items(handle, t, 0, t->split, at,
				t->pos.index ? 0 : keep, false);
	if (!ret && t->pos.index)
		ret = set_run_count(handle, t->inode, t->pos.run, keep, t->buf);
	if (!ret)
		ret = insert_record(handle, t, cpos);
	return ret;
}

/* Write what ocfs2_xattr_tree_plan() decided, inside the transaction. */
int ocfs2_xattr_tree_write(handle_t *handle, struct xattr_tree_change *t)
{
	struct super_block *sb = t->inode->i_sb;

	if (t->new_clusters)
		return write_split_new_run(handle, t);
	if (t->split)
		return write_split_in_run(handle, t);
	return put_items(handle, t, 0, t->l.count,
			 ocfs2_xattr_pos_blkno(sb, &t->pos),
			 t->pos.index ? 0 : t->pos.nb, false);
}

void ocfs2_xattr_tree_release(struct xattr_tree_change *t)
{
	ocfs2_xattr_list_free(&t->l);
	kfree(t->buf);
	t->buf = NULL;
	t->looked = false;
}

static void make_root(struct super_block *sb, struct ocfs2_xattr_block *xb,
		      u64 run)
{
	struct ocfs2_xattr_tree_root *xr = &xb->xb_attrs.xb_root;

	memset(&xb->xb_attrs, 0,
	       sb->s_blocksize - offsetof(struct ocfs2_xattr_block, xb_attrs));
	xr->xt_clusters = cpu_to_le32(1);
	xr->xt_list.l_count = cpu_to_le16(ocfs2_xattr_recs_per_xb(sb->s_blocksize));
	xr->xt_list.l_next_free_rec = cpu_to_le16(1);
	xr->xt_list.l_recs[0].e_blkno = cpu_to_le64(run);
	xr->xt_list.l_recs[0].e_leaf_clusters = cpu_to_le16(1);
	xb->xb_flags |= cpu_to_le16(OCFS2_XATTR_INDEXED);
}

static int convert_in_trans(handle_t *handle, struct inode *inode,
			    struct buffer_head *xbh, struct xattr_set_list *l,
			    u8 *buf)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_run run;
	u64 first;
	int ret;

	ret = ocfs2_claim_contig(handle, osb, 1, &run);
	if (ret)
		return ret;
	first = (u64)run.cluster << osb->bpc_bits;
	ret = lay_bucket(inode->i_sb, l->items, l->count, buf, 1, 0, true);
	if (!ret)
		ret = ocfs2_xattr_put_bucket(handle, inode, first, buf, true);
	if (!ret)
		ret = ocfs2_journal_access(handle, xbh);
	if (ret)
		goto fail;
	make_root(inode->i_sb, (struct ocfs2_xattr_block *)xbh->b_data, first);
	ocfs2_journal_dirty(handle, xbh);
	return 0;
fail:
	/* the claim is in: half a conversion must not reach the disk */
	jbd2_journal_abort(osb->journal, ret);
	return ret;
}

/*
 * A full xattr block becomes the root of a bucket tree, as stock does it:
 * its entries, sorted by hash, fill the first bucket of a new cluster.
 * Its own transaction; the change that needed the room follows.
 */
int ocfs2_xattr_tree_convert(struct inode *inode, struct buffer_head *xbh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct xattr_set_list l;
	struct xattr_area a;
	handle_t *handle;
	u8 *buf;
	int ret, ret2;

	if (inode->i_sb->s_blocksize > OCFS2_XATTR_BUCKET_SIZE)
		return -ENOSPC;
	ret = ocfs2_xattr_block_area(inode, xbh, &a);
	if (!ret)
		ret = ocfs2_xattr_gather_one(inode, &a, &l, 0);
	if (ret)
		return ret;
	buf = kmalloc(OCFS2_XATTR_BUCKET_SIZE, GFP_NOFS);
	ret = buf ? 0 : -ENOMEM;
	if (ret)
		goto out;
	sort(l.items, l.count, sizeof(*l.items), cmp_hash, NULL);
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 24 + ocfs2_xattr_bpb(inode->i_sb));
	ret = PTR_ERR_OR_ZERO(handle);
	if (ret)
		goto out;
	ret = convert_in_trans(handle, inode, xbh, &l, buf);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
	if (!ret)
		ret = ret2;
out:
	kfree(buf);
	ocfs2_xattr_list_free(&l);
	return ret;
}
