// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and writing metadata blocks: verify (and repair a single bit
 * with) the metaecc check on read, then run the shared validator for the
 * block type; compute the check on write.
 */
#include <stddef.h>
#include "libocfs2.h"

bool ocfs2_dir_has_trailer(const struct ocfs2_fs *fs)
{
	return ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_META_ECC |
				  OCFS2_FEATURE_INCOMPAT_INDEXED_DIRS);
}

struct ocfs2_block_check *ocfs2_block_check_of(struct ocfs2_fs *fs,
					       enum ocfs2_block_type type,
					       void *buf)
{
	char *b = buf;

	switch (type) {
	case OCFS2_BLK_INODE:
		return (void *)(b + offsetof(struct ocfs2_dinode, i_check));
	case OCFS2_BLK_EXTENT:
		return (void *)(b + offsetof(struct ocfs2_extent_block,
					     h_check));
	case OCFS2_BLK_GROUP:
		return (void *)(b + offsetof(struct ocfs2_group_desc,
					     bg_check));
	case OCFS2_BLK_DIR:
		if (!ocfs2_dir_has_trailer(fs))
			return NULL;
		return (void *)(b + ocfs2_dir_trailer_offset(fs->bs) +
				offsetof(struct ocfs2_dir_block_trailer,
					 db_check));
	case OCFS2_BLK_DX_ROOT:
		return (void *)(b + offsetof(struct ocfs2_dx_root_block,
					     dr_check));
	case OCFS2_BLK_DX_LEAF:
		return (void *)(b + offsetof(struct ocfs2_dx_leaf, dl_check));
	case OCFS2_BLK_XATTR:
		return (void *)(b + offsetof(struct ocfs2_xattr_block,
					     xb_check));
	case OCFS2_BLK_REFCOUNT:
		return (void *)(b + offsetof(struct ocfs2_refcount_block,
					     rf_check));
	}
	return NULL;
}

static int validate_by_type(struct ocfs2_fs *fs, enum ocfs2_block_type type,
			    u64 blkno, void *buf)
{
	struct ocfs2_bad *bad = &fs->last_bad;
	u32 gen = fs->fs_generation;

	switch (type) {
	case OCFS2_BLK_INODE:
		if (blkno == OCFS2_SUPER_BLOCK_BLKNO)
			return ocfs2_validate_super(buf, fs->bs, bad);
		return ocfs2_validate_dinode(buf, fs->bs, blkno, gen, bad);
	case OCFS2_BLK_EXTENT:
		return ocfs2_validate_extent_block(buf, fs->bs, blkno, gen,
						   bad);
	case OCFS2_BLK_GROUP:
		return ocfs2_validate_group_desc(buf, fs->bs, blkno, gen, bad);
	case OCFS2_BLK_DIR:
		if (ocfs2_dir_has_trailer(fs))
			return ocfs2_validate_dir_trailer(buf, fs->bs, blkno,
							  bad);
		return ocfs2_validate_dir_block(buf, fs->bs, bad);
	case OCFS2_BLK_DX_ROOT:
		return ocfs2_validate_dx_root(buf, fs->bs, blkno, gen, bad);
	case OCFS2_BLK_DX_LEAF:
		return ocfs2_validate_dx_leaf(buf, fs->bs, blkno, gen, bad);
	default:
		return 0;
	}
}

int ocfs2_read_meta(struct ocfs2_fs *fs, enum ocfs2_block_type type,
		    u64 blkno, void *buf)
{
	struct ocfs2_block_check *bc;
	int ret;

	if (blkno < OCFS2_SUPER_BLOCK_BLKNO || blkno >= fs->blocks) {
		fs->last_bad.what = "block number outside the volume";
		fs->last_bad.value = blkno;
		fs->last_bad_blkno = blkno;
		return -ERANGE;
	}
	ret = io_read_blocks(fs->io, blkno, 1, buf);
	if (ret)
		return ret;
	fs->last_bad_blkno = blkno;
	if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_META_ECC)) {
		bc = ocfs2_block_check_of(fs, type, buf);
		if (bc && ocfs2_block_check_validate(buf, fs->bs, bc) < 0) {
			/* a bad signature explains it better than the crc */
			ret = validate_by_type(fs, type, blkno, buf);
			if (ret)
				return ret;
			fs->last_bad.what = "metadata checksum mismatch";
			fs->last_bad.value = le32_to_cpu(bc->bc_crc32e);
			return -EBADMSG;
		}
	}
	return validate_by_type(fs, type, blkno, buf);
}

int ocfs2_write_meta(struct ocfs2_fs *fs, enum ocfs2_block_type type,
		     u64 blkno, void *buf)
{
	struct ocfs2_block_check *bc;

	if (!fs->writable)
		return -EROFS;
	if (blkno >= fs->blocks)
		return -ERANGE;
	if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_META_ECC)) {
		bc = ocfs2_block_check_of(fs, type, buf);
		if (bc)
			ocfs2_block_check_compute(buf, fs->bs, bc);
	}
	return io_write_blocks(fs->io, blkno, 1, buf);
}
