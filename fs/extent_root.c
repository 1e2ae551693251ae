// SPDX-License-Identifier: GPL-2.0
/*
 * Where each owner keeps an extent tree's root, its cluster count and its
 * rightmost-leaf hint, as the on-disk format places them: an inode, a
 * directory index root (not inline), an indexed xattr block (bucket
 * tree), an xattr value root (in an inode or an xattr block; one in a
 * bucket needs @ops that journal the whole bucket), a refcount tree root.
 */
#include "extent_tree.h"

static void er_init(struct ocfs2_extent_root *er, struct inode *inode,
		    struct buffer_head *bh, struct ocfs2_extent_list *el,
		    unsigned int capacity)
{
	memset(er, 0, sizeof(*er));
	er->inode = inode;
	er->bh = bh;
	er->el = el;
	er->capacity = capacity;
}

void ocfs2_er_inode(struct ocfs2_extent_root *er, struct inode *inode,
		    struct buffer_head *ibh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;

	er_init(er, inode, ibh, &di->id2.i_list,
		ocfs2_extent_recs_per_inode(inode->i_sb->s_blocksize));
	er->clusters = &di->i_clusters;
	er->last_eb = &di->i_last_eb_blk;
	er->inode_clusters = true;
	er->rc_ibh = ibh;
}

/*
 * Records keyed by hash (an index's, a bucket tree's) each stay a record
 * of their own, and one may start inside the cluster span of the one
 * before it: the key is no cluster offset.  Index leaves are journaled
 * metadata: their cached copies go with them.
 */
void ocfs2_er_dx_root(struct ocfs2_extent_root *er, struct inode *dir,
		      struct buffer_head *root_bh)
{
	struct ocfs2_dx_root_block *dr =
		(struct ocfs2_dx_root_block *)root_bh->b_data;

	er_init(er, dir, root_bh, &dr->dr_list,
		ocfs2_extent_recs_per_dx_root(dir->i_sb->s_blocksize));
	er->clusters = &dr->dr_clusters;
	er->last_eb = &dr->dr_last_eb_blk;
	er->hash_keyed = true;
	er->forget = true;
}

/* A record of a bucket tree is one run of buckets keyed by its first hash. */
void ocfs2_er_xattr_tree(struct ocfs2_extent_root *er, struct inode *inode,
			 struct buffer_head *xbh)
{
	struct ocfs2_xattr_block *xb = (struct ocfs2_xattr_block *)xbh->b_data;
	struct ocfs2_xattr_tree_root *xt = &xb->xb_attrs.xb_root;

	er_init(er, inode, xbh, &xt->xt_list,
		ocfs2_xattr_recs_per_xb(inode->i_sb->s_blocksize));
	er->clusters = &xt->xt_clusters;
	er->last_eb = &xt->xt_last_eb_blk;
	er->hash_keyed = true;
	er->forget = true;
}

/* The root's own l_count is its room (stock's roots hold one record). */
void ocfs2_er_xattr_value(struct ocfs2_extent_root *er, struct inode *inode,
			  struct buffer_head *bh,
			  struct ocfs2_xattr_value_root *xv)
{
	er_init(er, inode, bh, &xv->xr_list,
		le16_to_cpu(xv->xr_list.l_count));
	er->clusters = &xv->xr_clusters;
	er->last_eb = &xv->xr_last_eb_blk;
	er->forget = true;
}

/* Leaf records map refcount blocks, never joined (as stock keeps them). */
void ocfs2_er_refcount(struct ocfs2_extent_root *er, struct inode *inode,
		       struct buffer_head *rbh)
{
	struct ocfs2_refcount_block *rb =
		(struct ocfs2_refcount_block *)rbh->b_data;

	er_init(er, inode, rbh, &rb->rf_list,
		ocfs2_extent_recs_per_rb(inode->i_sb->s_blocksize));
	er->clusters = &rb->rf_clusters;
	er->last_eb = &rb->rf_last_eb_blk;
	er->hash_keyed = true;
}

/*
 * Every change of an extent tree passes its root's access and dirty:
 * there it counts for the owner's fdatasync (journal.c), whatever tree.
 */
int ocfs2_er_access(handle_t *handle, struct ocfs2_extent_root *er)
{
	if (er->inode)
		ocfs2_note_trans(handle, er->inode, true);
	if (er->ops && er->ops->access)
		return er->ops->access(handle, er);
	return ocfs2_journal_access(handle, er->bh);
}

void ocfs2_er_dirty(handle_t *handle, struct ocfs2_extent_root *er)
{
	if (er->inode)
		ocfs2_note_trans(handle, er->inode, true);
	if (er->ops && er->ops->dirty)
		er->ops->dirty(handle, er);
	else
		ocfs2_journal_dirty(handle, er->bh);
}

/* The root's block is in the transaction already. */
void ocfs2_er_add_clusters(struct ocfs2_extent_root *er, int delta)
{
	if (er->clusters)
		le32_add_cpu(er->clusters, delta);
	if (er->inode_clusters)
		OCFS2_I(er->inode)->clusters = le32_to_cpu(*er->clusters);
}

void ocfs2_er_set_last_eb(struct ocfs2_extent_root *er, u64 blkno)
{
	if (er->last_eb)
		*er->last_eb = cpu_to_le64(blkno);
}

/*
 * Blocks that were journaled and now go back: a cached copy still dirty
 * for the journal must not be written over whatever reuses them.
 */
void ocfs2_forget_blocks(handle_t *handle, struct super_block *sb,
			 u64 first, u64 count)
{
	struct buffer_head *bh;
	u64 i;

	for (i = 0; i < count; i++) {
		bh = sb_find_get_block(sb, first + i);
		if (bh)
			jbd2_journal_forget(handle, bh);	/* drops bh */
	}
}

/*
 * What a leaf record mapped goes back (through the truncate log); blocks
 * that were journaled leave the journal's hands first, so that no
 * checkpoint writes an old copy over whatever reuses them.
 */
int ocfs2_er_release(handle_t *handle, struct ocfs2_extent_root *er,
		     u64 blkno, u32 clusters)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(er->inode->i_sb);

	if (er->ops && er->ops->release)
		return er->ops->release(handle, er, blkno, clusters);
	if (er->forget)
		ocfs2_forget_blocks(handle, er->inode->i_sb, blkno,
				    (u64)clusters << osb->bpc_bits);
	return ocfs2_release_clusters(handle, osb, blkno >> osb->bpc_bits,
				      clusters);
}
