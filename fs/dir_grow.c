// SPDX-License-Identifier: GPL-2.0
/*
 * Growing a directory that has no room for a name: an inline directory
 * moves its entries into a block of its own (same byte offsets, so
 * readdir positions stay valid), and a block directory gets one more
 * block (the next one of its last cluster, or the first of a new
 * cluster).  A new block of an indexed directory carries a trailer and
 * joins the head of its free-block list.
 *
 * Growth is a transaction of its own, committed before the name is
 * looked for again: a crash in between leaves a directory with an empty
 * block, which is valid.  The caller holds the directory's i_rwsem and
 * its meta lock exclusive, and no transaction.
 *
 * On an indexed-dirs volume the directory is indexed as it leaves the
 * inode block, as stock does (an inline index root naming every entry of
 * the first block; dir_index.c); elsewhere it is a plain block
 * directory (no trailer, unless metaecc).
 */
#include "extent_tree.h"

#define INLINE_BASE	offsetof(struct ocfs2_dinode, id2.i_data.id_data)

/* dir inode, new block, dx root, plus the cluster and its extent */
static int grow_credits(struct buffer_head *dir_bh, bool inline_dir)
{
	int depth = inline_dir ? 0 :
		    le16_to_cpu(ocfs2_root_list(dir_bh)->l_tree_depth);

	/* and an index root with its allocator inode and group */
	return ocfs2_insert_credits(depth) + 2 + 3 + 3;
}

static void init_trailer(struct inode *dir, struct buffer_head *bh,
			 unsigned int hole)
{
	struct ocfs2_dir_block_trailer *tr = (void *)(bh->b_data +
		ocfs2_dir_trailer_offset(dir->i_sb->s_blocksize));

	tr->db_compat_rec_len = cpu_to_le16(OCFS2_DIR_TRAILER_SIZE);
	memcpy(tr->db_signature, OCFS2_DIR_TRAILER_SIGNATURE,
	       sizeof(OCFS2_DIR_TRAILER_SIGNATURE));
	tr->db_blkno = cpu_to_le64(bh->b_blocknr);
	tr->db_parent_dinode = cpu_to_le64(OCFS2_I(dir)->blkno);
	tr->db_free_rec_len = cpu_to_le16(hole);
}

/* The block for directory block @iblock: mapped already, or a new cluster. */
static int map_new_block(handle_t *handle, struct inode *dir,
			 struct buffer_head *dir_bh, u64 iblock, u64 *blkno)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	struct ocfs2_extent_hit hit;
	struct ocfs2_run run;
	u32 cpos = iblock >> osb->bpc_bits;
	int ret;

	ret = ocfs2_extent_lookup(dir, iblock, &hit);
	if (ret)
		return ret;
	if (hit.phys && !hit.unwritten) {
		*blkno = hit.phys;
		return 0;
	}
	if (hit.phys)
		return ocfs2_fs_error(dir->i_sb, __func__,
				      "directory %lu: block %llu is unwritten",
				      dir->i_ino, (unsigned long long)iblock);
	ret = ocfs2_claim_clusters(handle, osb, ocfs2_alloc_goal(dir, cpos),
				   1, &run);
	if (ret)
		return ret;
	*blkno = (u64)run.cluster << osb->bpc_bits;
	/* blocks past i_size in the cluster must not show old data */
	ret = ocfs2_zero_new_cluster(dir->i_sb, run.cluster);
	if (ret)
		return ret;
	down_write(&OCFS2_I(dir)->alloc_sem);
	ret = ocfs2_insert_extent(handle, dir, dir_bh, cpos, *blkno, 1, 0);
	up_write(&OCFS2_I(dir)->alloc_sem);
	if (ret == -ENOSPC)
		ret = ocfs2_release_clusters(handle, osb, run.cluster, 1) ?: -ENOSPC;
	dir->i_blocks = (u64)OCFS2_I(dir)->clusters <<
			(osb->cluster_bits - 9);
	return ret;
}

/* The last entry of @size bytes of entries (validated) starts here. */
static unsigned int last_entry(const u8 *data, unsigned int size)
{
	unsigned int off = 0, rec;

	for (;;) {
		rec = le16_to_cpu(((const struct ocfs2_dir_entry *)
				   (data + off))->rec_len);
		if (off + rec >= size)
			return off;
		off += rec;
	}
}

/* The inline entries, copied into @bh, the last one running to the end. */
static void fill_from_inline(struct inode *dir, struct buffer_head *bh,
			     const struct ocfs2_dinode *di)
{
	unsigned int size = dir->i_size, end = ocfs2_dir_block_bytes(dir);
	struct ocfs2_dir_entry *last;

	memcpy(bh->b_data, di->id2.i_data.id_data, size);
	last = (void *)(bh->b_data + last_entry(bh->b_data, size));
	le16_add_cpu(&last->rec_len, end - size);
}

/* The inode block leaves inline data for an empty extent list. */
static void clear_inline(struct inode *dir, struct ocfs2_dinode *di)
{
	unsigned int room = dir->i_sb->s_blocksize - OCFS2_DINODE_ID2_OFF;

	/* an inline xattr area (stock's, say) keeps the block's tail */
	if (OCFS2_I(dir)->dyn_features & OCFS2_INLINE_XATTR_FL)
		room -= le16_to_cpu(di->i_xattr_inline_size);
	OCFS2_I(dir)->dyn_features &= ~OCFS2_INLINE_DATA_FL;
	di->i_dyn_features = cpu_to_le16(OCFS2_I(dir)->dyn_features);
	memset(&di->id2, 0, room);
	di->id2.i_list.l_count =
		cpu_to_le16((room - sizeof(struct ocfs2_extent_list)) /
			    sizeof(struct ocfs2_extent_rec));
}

/* The directory stays inline: its new index root goes back. */
static int unclaim_root(handle_t *handle, struct inode *dir,
			struct buffer_head *root_bh)
{
	struct ocfs2_dx_root_block *dr =
		(struct ocfs2_dx_root_block *)root_bh->b_data;

	return ocfs2_free_suballoc_block(handle, dir->i_sb, root_bh->b_blocknr,
					 le16_to_cpu(dr->dr_suballoc_slot),
					 le16_to_cpu(dr->dr_suballoc_bit),
					 le64_to_cpu(dr->dr_suballoc_loc));
}

static int expand_inline(handle_t *handle, struct inode *dir,
			 struct buffer_head *dir_bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	struct super_block *sb = dir->i_sb;
	struct buffer_head *bh, *root_bh = NULL;
	void *copy;
	u64 blkno;
	int ret;

	copy = kmemdup(di, sb->s_blocksize, GFP_NOFS);
	if (!copy)
		return -ENOMEM;
	ret = ocfs2_journal_access(handle, dir_bh);
	if (ret)
		goto out;
	if (ocfs2_dx_want_index(dir, di->id2.i_data.id_data, dir->i_size)) {
		ret = ocfs2_dx_new_root(handle, dir, &root_bh);
		if (ret)
			goto out;
	}
	clear_inline(dir, di);
	ret = map_new_block(handle, dir, dir_bh, 0, &blkno);
	if (!ret)
		ret = ocfs2_new_meta_block(handle, sb, blkno, &bh);
	if (ret) {
		/* no cluster (or it went back): still the inline directory */
		memcpy(di, copy, sb->s_blocksize);
		OCFS2_I(dir)->dyn_features = le16_to_cpu(di->i_dyn_features);
		if (root_bh)
			ret = unclaim_root(handle, dir, root_bh) ?: ret;
		goto out_dirty;
	}
	/* indexed blocks end in a trailer: the layout must know first */
	if (root_bh)
		OCFS2_I(dir)->dyn_features |= OCFS2_INDEXED_DIR_FL;
	fill_from_inline(dir, bh, copy);
	if (root_bh) {
		init_trailer(dir, bh, 0);
		ret = ocfs2_dx_index_new_dir(handle, dir, dir_bh, bh, root_bh);
	}
	ocfs2_journal_dirty(handle, bh);
	brelse(bh);
	/* past the claimed cluster: the caller aborts the journal */
	if (ret)
		goto out_dirty;
	dir->i_size = sb->s_blocksize;
	di->i_size = cpu_to_le64(dir->i_size);
out_dirty:
	ocfs2_journal_dirty(handle, dir_bh);
out:
	brelse(root_bh);
	kfree(copy);
	return ret;
}

/* A new indexed-directory block goes to the head of the free list. */
static int link_free_block(handle_t *handle, struct inode *dir,
			   struct buffer_head *bh)
{
	struct ocfs2_dx_root_block *dr;
	struct ocfs2_dir_block_trailer *tr;
	struct buffer_head *root_bh;
	int ret;

	ret = ocfs2_read_covered(dir, OCFS2_I(dir)->dx_root,
				 OCFS2_BLOCK_DX_ROOT, &root_bh);
	if (ret)
		return ret;
	ret = ocfs2_journal_access(handle, root_bh);
	if (!ret) {
		dr = (struct ocfs2_dx_root_block *)root_bh->b_data;
		tr = (void *)(bh->b_data +
			      ocfs2_dir_trailer_offset(dir->i_sb->s_blocksize));
		tr->db_free_next = dr->dr_free_blk;
		dr->dr_free_blk = cpu_to_le64(bh->b_blocknr);
		ocfs2_journal_dirty(handle, root_bh);
	}
	brelse(root_bh);
	return ret;
}

static int add_block(handle_t *handle, struct inode *dir,
		     struct buffer_head *dir_bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	unsigned int bytes = ocfs2_dir_block_bytes(dir);
	struct ocfs2_dir_entry *de;
	struct buffer_head *bh;
	u64 blkno;
	int ret;

	ret = ocfs2_journal_access(handle, dir_bh);
	if (!ret)
		ret = map_new_block(handle, dir, dir_bh,
				    dir->i_size >> dir->i_blkbits, &blkno);
	if (!ret)
		ret = ocfs2_new_meta_block(handle, dir->i_sb, blkno, &bh);
	if (ret)
		return ret;
	de = (struct ocfs2_dir_entry *)bh->b_data;
	de->rec_len = cpu_to_le16(bytes);
	if (ocfs2_dir_has_trailer(dir))
		init_trailer(dir, bh, bytes);
	if (OCFS2_I(dir)->dyn_features & OCFS2_INDEXED_DIR_FL)
		ret = link_free_block(handle, dir, bh);
	ocfs2_journal_dirty(handle, bh);
	brelse(bh);
	if (ret)
		return ret;
	dir->i_size += dir->i_sb->s_blocksize;
	di->i_size = cpu_to_le64(dir->i_size);
	ocfs2_journal_dirty(handle, dir_bh);
	return 0;
}

/*
 * Make room for one more name in @dir (see above).  Called when
 * ocfs2_dir_find_slot() found none; a failure after the cluster was
 * taken aborts the journal rather than leave half a directory.
 */
int ocfs2_dir_grow(struct inode *dir, struct buffer_head *dir_bh)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	bool inline_dir = ocfs2_inode_is_inline(dir);
	handle_t *handle;
	int ret, ret2;

	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 grow_credits(dir_bh, inline_dir));
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	if (inline_dir)
		ret = expand_inline(handle, dir, dir_bh);
	else
		ret = add_block(handle, dir, dir_bh);
	if (ret && ret != -ENOSPC)
		jbd2_journal_abort(osb->journal, ret);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
	return ret ? ret : ret2;
}
