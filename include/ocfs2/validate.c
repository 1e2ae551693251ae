// SPDX-License-Identifier: GPL-2.0
/*
 * Validators for OCFS2 metadata blocks, shared by the kernel and the tools.
 * They check what a block says about itself (signature, self block number,
 * generation, counts that must fit the block); cross-block consistency is
 * fsck's business.
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#include "validate.h"

static int fail(struct ocfs2_bad *bad, const char *what, u64 value)
{
	if (bad) {
		bad->what = what;
		bad->value = value;
	}
	return -EUCLEAN;
}

static int sig_ok(const void *buf, const char *sig)
{
	return !memcmp(buf, sig, strlen(sig) + 1);
}

int ocfs2_validate_super(const void *buf, unsigned int blocksize,
			 struct ocfs2_bad *bad)
{
	const struct ocfs2_dinode *di = buf;
	const struct ocfs2_super_block *sb = &di->id2.i_super;
	u32 bbits = le32_to_cpu(sb->s_blocksize_bits);
	u32 cbits = le32_to_cpu(sb->s_clustersize_bits);
	u16 slots = le16_to_cpu(sb->s_max_slots);

	if (!sig_ok(di->i_signature, OCFS2_SUPER_BLOCK_SIGNATURE))
		return fail(bad, "bad superblock signature", 0);
	if (le16_to_cpu(sb->s_major_rev_level) != OCFS2_MAJOR_REV_LEVEL)
		return fail(bad, "unknown major revision",
			    le16_to_cpu(sb->s_major_rev_level));
	if (bbits < OCFS2_MIN_BLOCKSIZE_BITS ||
	    bbits > OCFS2_MAX_BLOCKSIZE_BITS)
		return fail(bad, "bad block size bits", bbits);
	if (blocksize && (1U << bbits) != blocksize)
		return fail(bad, "block size differs from probe", bbits);
	if (cbits < OCFS2_MIN_CLUSTERSIZE_BITS ||
	    cbits > OCFS2_MAX_CLUSTERSIZE_BITS)
		return fail(bad, "bad cluster size bits", cbits);
	if (!slots || slots > OCFS2_MAX_SLOTS)
		return fail(bad, "bad max slots", slots);
	if (le64_to_cpu(sb->s_root_blkno) <= OCFS2_SUPER_BLOCK_BLKNO)
		return fail(bad, "bad root directory block",
			    le64_to_cpu(sb->s_root_blkno));
	if (le64_to_cpu(sb->s_system_dir_blkno) <= OCFS2_SUPER_BLOCK_BLKNO)
		return fail(bad, "bad system directory block",
			    le64_to_cpu(sb->s_system_dir_blkno));
	if (!le32_to_cpu(di->i_clusters))
		return fail(bad, "zero clusters", 0);
	if (cbits >= bbits) {
		u64 blocks = (u64)le32_to_cpu(di->i_clusters) << (cbits - bbits);

		if (le64_to_cpu(sb->s_root_blkno) >= blocks)
			return fail(bad, "root directory past the end",
				    le64_to_cpu(sb->s_root_blkno));
		if (le64_to_cpu(sb->s_system_dir_blkno) >= blocks)
			return fail(bad, "system directory past the end",
				    le64_to_cpu(sb->s_system_dir_blkno));
		if (le64_to_cpu(sb->s_first_cluster_group) >= blocks)
			return fail(bad, "first cluster group past the end",
				    le64_to_cpu(sb->s_first_cluster_group));
	}
	return 0;
}

int ocfs2_validate_extent_list(const struct ocfs2_extent_list *el,
			       unsigned int max_recs, struct ocfs2_bad *bad)
{
	u16 count = le16_to_cpu(el->l_count);
	u16 used = le16_to_cpu(el->l_next_free_rec);

	if (!count || count > max_recs)
		return fail(bad, "bad extent list count", count);
	if (used > count)
		return fail(bad, "extent list next_free_rec past count", used);
	/* depth is bounded by u16 but a real tree never gets near 8 */
	if (le16_to_cpu(el->l_tree_depth) > 8)
		return fail(bad, "absurd extent tree depth",
			    le16_to_cpu(el->l_tree_depth));
	return 0;
}

static int validate_dinode_body(const struct ocfs2_dinode *di,
				unsigned int bs, struct ocfs2_bad *bad)
{
	u32 flags = le32_to_cpu(di->i_flags);
	u16 dyn = le16_to_cpu(di->i_dyn_features);

	if (flags & OCFS2_SUPER_BLOCK_FL)
		return 0;
	if (flags & OCFS2_CHAIN_FL) {
		const struct ocfs2_chain_list *cl = &di->id2.i_chain;

		if (le16_to_cpu(cl->cl_count) > ocfs2_chain_recs_per_inode(bs))
			return fail(bad, "bad chain list count",
				    le16_to_cpu(cl->cl_count));
		if (le16_to_cpu(cl->cl_next_free_rec) >
		    le16_to_cpu(cl->cl_count))
			return fail(bad, "chain next_free_rec past count",
				    le16_to_cpu(cl->cl_next_free_rec));
		return 0;
	}
	if (flags & OCFS2_LOCAL_ALLOC_FL) {
		if (le16_to_cpu(di->id2.i_lab.la_size) >
		    ocfs2_local_alloc_size(bs))
			return fail(bad, "local alloc size too big",
				    le16_to_cpu(di->id2.i_lab.la_size));
		return 0;
	}
	if (flags & OCFS2_DEALLOC_FL) {
		const struct ocfs2_truncate_log *tl = &di->id2.i_dealloc;

		if (le16_to_cpu(tl->tl_count) >
		    ocfs2_truncate_recs_per_inode(bs) ||
		    le16_to_cpu(tl->tl_used) > le16_to_cpu(tl->tl_count))
			return fail(bad, "bad truncate log counts",
				    le16_to_cpu(tl->tl_used));
		return 0;
	}
	if (dyn & OCFS2_INLINE_DATA_FL) {
		if (le16_to_cpu(di->id2.i_data.id_count) >
		    ocfs2_max_inline_data(bs))
			return fail(bad, "inline data count too big",
				    le16_to_cpu(di->id2.i_data.id_count));
		return 0;
	}
	/* fast symlinks have no extent list */
	if ((le16_to_cpu(di->i_mode) & 0170000) == 0120000 &&
	    !le32_to_cpu(di->i_clusters))
		return 0;
	return ocfs2_validate_extent_list(&di->id2.i_list,
					  ocfs2_extent_recs_per_inode(bs), bad);
}

int ocfs2_validate_dinode(const void *buf, unsigned int blocksize, u64 blkno,
			  u32 fs_generation, struct ocfs2_bad *bad)
{
	const struct ocfs2_dinode *di = buf;

	if (!sig_ok(di->i_signature, OCFS2_INODE_SIGNATURE))
		return fail(bad, "bad inode signature", 0);
	if (le64_to_cpu(di->i_blkno) != blkno)
		return fail(bad, "inode block number mismatch",
			    le64_to_cpu(di->i_blkno));
	if (!(le32_to_cpu(di->i_flags) & OCFS2_VALID_FL))
		return fail(bad, "inode not valid", le32_to_cpu(di->i_flags));
	if (le32_to_cpu(di->i_fs_generation) != fs_generation)
		return fail(bad, "inode fs generation mismatch",
			    le32_to_cpu(di->i_fs_generation));
	return validate_dinode_body(di, blocksize, bad);
}

int ocfs2_validate_extent_block(const void *buf, unsigned int blocksize,
				u64 blkno, u32 fs_generation,
				struct ocfs2_bad *bad)
{
	const struct ocfs2_extent_block *eb = buf;

	if (!sig_ok(eb->h_signature, OCFS2_EXTENT_BLOCK_SIGNATURE))
		return fail(bad, "bad extent block signature", 0);
	if (le64_to_cpu(eb->h_blkno) != blkno)
		return fail(bad, "extent block number mismatch",
			    le64_to_cpu(eb->h_blkno));
	if (le32_to_cpu(eb->h_fs_generation) != fs_generation)
		return fail(bad, "extent block fs generation mismatch",
			    le32_to_cpu(eb->h_fs_generation));
	return ocfs2_validate_extent_list(&eb->h_list,
					  ocfs2_extent_recs_per_eb(blocksize),
					  bad);
}

int ocfs2_validate_group_desc(const void *buf, unsigned int blocksize,
			      u64 blkno, u32 fs_generation,
			      struct ocfs2_bad *bad)
{
	const struct ocfs2_group_desc *gd = buf;
	unsigned int max_bytes = blocksize -
		offsetof(struct ocfs2_group_desc, bg_bitmap);
	u16 bits = le16_to_cpu(gd->bg_bits);

	if (!sig_ok(gd->bg_signature, OCFS2_GROUP_DESC_SIGNATURE))
		return fail(bad, "bad group descriptor signature", 0);
	if (le64_to_cpu(gd->bg_blkno) != blkno)
		return fail(bad, "group descriptor block number mismatch",
			    le64_to_cpu(gd->bg_blkno));
	if (le32_to_cpu(gd->bg_generation) != fs_generation)
		return fail(bad, "group descriptor generation mismatch",
			    le32_to_cpu(gd->bg_generation));
	if (le16_to_cpu(gd->bg_size) > max_bytes)
		return fail(bad, "group bitmap size too big",
			    le16_to_cpu(gd->bg_size));
	if (!bits || bits > 8 * le16_to_cpu(gd->bg_size))
		return fail(bad, "group bits do not fit the bitmap", bits);
	if (le16_to_cpu(gd->bg_free_bits_count) > bits)
		return fail(bad, "group free bits exceed bits",
			    le16_to_cpu(gd->bg_free_bits_count));
	return 0;
}

/* Walk the dirents of @bytes bytes; every rec_len must tile the space. */
int ocfs2_validate_dir_block(const void *buf, unsigned int bytes,
			     struct ocfs2_bad *bad)
{
	const u8 *p = buf;
	unsigned int off = 0;

	while (off < bytes) {
		const struct ocfs2_dir_entry *de = (const void *)(p + off);
		unsigned int rec_len;

		if (bytes - off < OCFS2_DIR_MEMBER_LEN)
			return fail(bad, "dirent header past block end", off);
		rec_len = le16_to_cpu(de->rec_len);
		if (rec_len < OCFS2_DIR_REC_LEN(1) || (rec_len & 3))
			return fail(bad, "bad dirent rec_len", rec_len);
		if (rec_len > bytes - off)
			return fail(bad, "dirent rec_len past block end",
				    rec_len);
		if (OCFS2_DIR_REC_LEN(de->name_len) > rec_len)
			return fail(bad, "dirent name longer than record",
				    de->name_len);
		off += rec_len;
	}
	return 0;
}

int ocfs2_validate_dir_trailer(const void *buf, unsigned int blocksize,
			       u64 blkno, struct ocfs2_bad *bad)
{
	const struct ocfs2_dir_block_trailer *t = (const void *)
		((const u8 *)buf + ocfs2_dir_trailer_offset(blocksize));

	if (!sig_ok(t->db_signature, OCFS2_DIR_TRAILER_SIGNATURE))
		return fail(bad, "bad directory trailer signature", 0);
	if (le64_to_cpu(t->db_blkno) != blkno)
		return fail(bad, "directory trailer block number mismatch",
			    le64_to_cpu(t->db_blkno));
	if (le16_to_cpu(t->db_compat_rec_len) != OCFS2_DIR_TRAILER_SIZE)
		return fail(bad, "bad directory trailer rec_len",
			    le16_to_cpu(t->db_compat_rec_len));
	return 0;
}

int ocfs2_validate_dx_root(const void *buf, unsigned int blocksize, u64 blkno,
			   u32 fs_generation, struct ocfs2_bad *bad)
{
	const struct ocfs2_dx_root_block *dr = buf;

	if (!sig_ok(dr->dr_signature, OCFS2_DX_ROOT_SIGNATURE))
		return fail(bad, "bad dx root signature", 0);
	if (le64_to_cpu(dr->dr_blkno) != blkno)
		return fail(bad, "dx root block number mismatch",
			    le64_to_cpu(dr->dr_blkno));
	if (le32_to_cpu(dr->dr_fs_generation) != fs_generation)
		return fail(bad, "dx root generation mismatch",
			    le32_to_cpu(dr->dr_fs_generation));
	if (dr->dr_flags & OCFS2_DX_FLAG_INLINE) {
		const struct ocfs2_dx_entry_list *dl = &dr->dr_entries;

		if (le16_to_cpu(dl->de_count) >
		    ocfs2_dx_entries_per_root(blocksize) ||
		    le16_to_cpu(dl->de_num_used) > le16_to_cpu(dl->de_count))
			return fail(bad, "bad inline dx entry counts",
				    le16_to_cpu(dl->de_num_used));
		return 0;
	}
	return ocfs2_validate_extent_list(&dr->dr_list,
				ocfs2_extent_recs_per_dx_root(blocksize), bad);
}

int ocfs2_validate_dx_leaf(const void *buf, unsigned int blocksize, u64 blkno,
			   u32 fs_generation, struct ocfs2_bad *bad)
{
	const struct ocfs2_dx_leaf *dl = buf;

	if (!sig_ok(dl->dl_signature, OCFS2_DX_LEAF_SIGNATURE))
		return fail(bad, "bad dx leaf signature", 0);
	if (le64_to_cpu(dl->dl_blkno) != blkno)
		return fail(bad, "dx leaf block number mismatch",
			    le64_to_cpu(dl->dl_blkno));
	if (le32_to_cpu(dl->dl_fs_generation) != fs_generation)
		return fail(bad, "dx leaf generation mismatch",
			    le32_to_cpu(dl->dl_fs_generation));
	if (le16_to_cpu(dl->dl_list.de_count) >
	    ocfs2_dx_entries_per_leaf(blocksize) ||
	    le16_to_cpu(dl->dl_list.de_num_used) >
	    le16_to_cpu(dl->dl_list.de_count))
		return fail(bad, "bad dx leaf entry counts",
			    le16_to_cpu(dl->dl_list.de_num_used));
	return 0;
}

int ocfs2_validate_xattr_block(const void *buf, unsigned int blocksize,
			       u64 blkno, u32 fs_generation,
			       struct ocfs2_bad *bad)
{
	const struct ocfs2_xattr_block *xb = buf;
	unsigned int max;

	if (!sig_ok(xb->xb_signature, OCFS2_XATTR_BLOCK_SIGNATURE))
		return fail(bad, "bad xattr block signature", 0);
	if (le64_to_cpu(xb->xb_blkno) != blkno)
		return fail(bad, "xattr block number mismatch",
			    le64_to_cpu(xb->xb_blkno));
	if (le32_to_cpu(xb->xb_fs_generation) != fs_generation)
		return fail(bad, "xattr block generation mismatch",
			    le32_to_cpu(xb->xb_fs_generation));
	if (le16_to_cpu(xb->xb_flags) & OCFS2_XATTR_INDEXED)
		return ocfs2_validate_extent_list(&xb->xb_attrs.xb_root.xt_list,
					ocfs2_xattr_recs_per_xb(blocksize), bad);
	max = (blocksize - offsetof(struct ocfs2_xattr_block, xb_attrs) -
	       sizeof(struct ocfs2_xattr_header)) /
	      sizeof(struct ocfs2_xattr_entry);
	if (le16_to_cpu(xb->xb_attrs.xb_header.xh_count) > max)
		return fail(bad, "xattr block entry count too big",
			    le16_to_cpu(xb->xb_attrs.xb_header.xh_count));
	return 0;
}

int ocfs2_validate_refcount_block(const void *buf, unsigned int blocksize,
				  u64 blkno, u32 fs_generation,
				  struct ocfs2_bad *bad)
{
	const struct ocfs2_refcount_block *rb = buf;
	const struct ocfs2_refcount_list *rl = &rb->rf_records;

	if (!sig_ok(rb->rf_signature, OCFS2_REFCOUNT_BLOCK_SIGNATURE))
		return fail(bad, "bad refcount block signature", 0);
	if (le64_to_cpu(rb->rf_blkno) != blkno)
		return fail(bad, "refcount block number mismatch",
			    le64_to_cpu(rb->rf_blkno));
	if (le32_to_cpu(rb->rf_fs_generation) != fs_generation)
		return fail(bad, "refcount block generation mismatch",
			    le32_to_cpu(rb->rf_fs_generation));
	if (le32_to_cpu(rb->rf_flags) & OCFS2_REFCOUNT_TREE_FL)
		return ocfs2_validate_extent_list(&rb->rf_list,
					ocfs2_extent_recs_per_rb(blocksize), bad);
	if (le16_to_cpu(rl->rl_count) > ocfs2_refcount_recs_per_rb(blocksize))
		return fail(bad, "refcount record count too big",
			    le16_to_cpu(rl->rl_count));
	if (le16_to_cpu(rl->rl_used) > le16_to_cpu(rl->rl_count))
		return fail(bad, "refcount records used past the count",
			    le16_to_cpu(rl->rl_used));
	return 0;
}
