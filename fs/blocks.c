// SPDX-License-Identifier: GPL-2.0
/*
 * Reading metadata blocks: range check, read, checksum (metaecc volumes)
 * and the per-type validator, done once per buffer read from disk.  A
 * block that fails is reported once, naming device, block and defect.
 */
#include <linux/blkdev.h>
#include <linux/jbd2.h>
#include <ocfs2/blockcheck.h>
#include "ocfs2.h"

bool ocfs2_blkno_valid(struct ocfs2_sb_info *osb, u64 blkno)
{
	return blkno > OCFS2_SUPER_BLOCK_BLKNO && blkno < osb->total_blocks;
}

struct ocfs2_block_check *ocfs2_block_check_of(unsigned int blocksize,
					       void *buf,
					       enum ocfs2_block_kind kind)
{
	struct ocfs2_dir_block_trailer *trailer;

	switch (kind) {
	case OCFS2_BLOCK_DINODE:
		return &((struct ocfs2_dinode *)buf)->i_check;
	case OCFS2_BLOCK_EXTENT:
		return &((struct ocfs2_extent_block *)buf)->h_check;
	case OCFS2_BLOCK_GROUP:
		return &((struct ocfs2_group_desc *)buf)->bg_check;
	case OCFS2_BLOCK_DX_ROOT:
		return &((struct ocfs2_dx_root_block *)buf)->dr_check;
	case OCFS2_BLOCK_DX_LEAF:
		return &((struct ocfs2_dx_leaf *)buf)->dl_check;
	case OCFS2_BLOCK_XATTR:
		return &((struct ocfs2_xattr_block *)buf)->xb_check;
	case OCFS2_BLOCK_REFCOUNT:
		return &((struct ocfs2_refcount_block *)buf)->rf_check;
	case OCFS2_BLOCK_DIR:
	case OCFS2_BLOCK_DIR_TRAILER:
		trailer = buf + ocfs2_dir_trailer_offset(blocksize);
		return &trailer->db_check;
	case OCFS2_BLOCK_DATA:
		break;
	}
	return NULL;
}

static int verify_checksum(struct super_block *sb, struct buffer_head *bh,
			   enum ocfs2_block_kind kind, struct ocfs2_bad *bad)
{
	struct ocfs2_block_check *bc;
	int ret;

	if (!ocfs2_has_incompat(OCFS2_SB(sb), OCFS2_FEATURE_INCOMPAT_META_ECC))
		return 0;
	/*
	 * A block jbd2 holds or that waits for write-back is newer than the
	 * disk (a new block is checked on its first read, before its first
	 * commit): its checksum is computed when it commits (metaecc.c).
	 */
	if (buffer_jbd(bh) || buffer_dirty(bh))
		return 0;
	bc = ocfs2_block_check_of(sb->s_blocksize, bh->b_data, kind);
	if (!bc)
		return 0;
	ret = ocfs2_block_check_validate(bh->b_data, sb->s_blocksize, bc);
	if (ret < 0) {
		bad->what = "metadata checksum mismatch";
		bad->value = le32_to_cpu(bc->bc_crc32e);
		return ret;
	}
	if (ret > 0)
		ocfs2_info(sb, "block %llu: repaired a single-bit error",
			   (unsigned long long)bh->b_blocknr);
	return 0;
}

static int validate(struct super_block *sb, struct buffer_head *bh,
		    enum ocfs2_block_kind kind, struct ocfs2_bad *bad)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	unsigned int bs = sb->s_blocksize;
	u64 blkno = bh->b_blocknr;
	u32 gen = osb->fs_generation;
	int ret;

	switch (kind) {
	case OCFS2_BLOCK_DINODE:
		return ocfs2_validate_dinode(bh->b_data, bs, blkno, gen, bad);
	case OCFS2_BLOCK_EXTENT:
		return ocfs2_validate_extent_block(bh->b_data, bs, blkno, gen,
						   bad);
	case OCFS2_BLOCK_GROUP:
		return ocfs2_validate_group_desc(bh->b_data, bs, blkno, gen,
						 bad);
	case OCFS2_BLOCK_DX_ROOT:
		return ocfs2_validate_dx_root(bh->b_data, bs, blkno, gen, bad);
	case OCFS2_BLOCK_DX_LEAF:
		return ocfs2_validate_dx_leaf(bh->b_data, bs, blkno, gen, bad);
	case OCFS2_BLOCK_XATTR:
		return ocfs2_validate_xattr_block(bh->b_data, bs, blkno, gen,
						  bad);
	case OCFS2_BLOCK_REFCOUNT:
		return ocfs2_validate_refcount_block(bh->b_data, bs, blkno,
						     gen, bad);
	case OCFS2_BLOCK_DATA:
		return 0;
	case OCFS2_BLOCK_DIR:
	case OCFS2_BLOCK_DIR_TRAILER:
		ret = ocfs2_validate_dir_block(bh->b_data, bs, bad);
		if (ret || (kind == OCFS2_BLOCK_DIR &&
			    !ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_META_ECC)))
			return ret;
		return ocfs2_validate_dir_trailer(bh->b_data, bs, blkno, bad);
	}
	bad->what = "unknown block kind";
	bad->value = kind;
	return -EINVAL;
}

static int check_block(struct super_block *sb, struct buffer_head *bh,
		       enum ocfs2_block_kind kind)
{
	struct ocfs2_bad bad = { };
	int ret = 0;

	lock_buffer(bh);
	if (buffer_ocfs2_checked(bh))
		goto out;
	ret = verify_checksum(sb, bh, kind, &bad);
	if (!ret)
		ret = validate(sb, bh, kind, &bad);
	if (!ret) {
		set_buffer_ocfs2_checked(bh);
		if (kind == OCFS2_BLOCK_DATA)
			clear_buffer_ocfs2_meta(bh);
		else
			set_buffer_ocfs2_meta(bh);
	}
out:
	unlock_buffer(bh);
	if (ret)
		ret = ocfs2_corrupt_block(sb, __func__, bh->b_blocknr, &bad);
	return ret;
}

/*
 * @bh, locked by the caller, is read from disk again unless this node's
 * copy is newer than the disk (dirty, or held by jbd2): then it is left
 * as it is, still locked, and false returned.  Otherwise the read is
 * started (its completion unlocks the buffer) and true returned.  What
 * a buffer held before is forgotten first, checks included, so nothing
 * another node could have rewritten outlives the read.
 */
bool ocfs2_start_reread(struct buffer_head *bh, blk_opf_t flags)
{
	if (buffer_dirty(bh) || buffer_jbd(bh))
		return false;
	clear_buffer_uptodate(bh);
	clear_buffer_ocfs2_checked(bh);
	get_bh(bh);
	bh->b_end_io = end_buffer_read_sync;
	submit_bh(REQ_OP_READ | flags, bh);
	return true;
}

/*
 * On a cluster mount another node may have rewritten a block since we
 * cached it; its lock, which our caller holds, made that node checkpoint
 * it first.  So a clean cached copy is read again (under the buffer lock,
 * so no local journal access slips in between).
 */
static struct buffer_head *read_shared(struct super_block *sb, u64 blkno)
{
	struct buffer_head *bh = sb_getblk(sb, blkno);

	if (!bh)
		return NULL;
	lock_buffer(bh);
	if (!ocfs2_start_reread(bh, 0)) {
		unlock_buffer(bh);
		return bh;
	}
	atomic64_inc(&OCFS2_SB(sb)->locks.stats.shared_reads);
	wait_on_buffer(bh);
	if (buffer_uptodate(bh))
		return bh;
	brelse(bh);
	return NULL;
}

/* @bh (referenced) checked as @kind once per read from disk; else dropped. */
int ocfs2_meta_checked(struct super_block *sb, struct buffer_head *bh,
		       enum ocfs2_block_kind kind, struct buffer_head **bhp)
{
	int ret;

	if (!buffer_ocfs2_checked(bh)) {
		ret = check_block(sb, bh, kind);
		if (ret) {
			brelse(bh);
			return ret;
		}
	}
	*bhp = bh;
	return 0;
}

int ocfs2_read_meta(struct super_block *sb, u64 blkno,
		    enum ocfs2_block_kind kind, struct buffer_head **bhp)
{
	struct buffer_head *bh;

	*bhp = NULL;
	if (!ocfs2_blkno_valid(OCFS2_SB(sb), blkno))
		return ocfs2_fs_error(sb, __func__,
				      "block number %llu out of range",
				      (unsigned long long)blkno);
	if (OCFS2_SB(sb)->locks.local)
		bh = sb_bread(sb, blkno);
	else
		bh = read_shared(sb, blkno);
	if (!bh) {
		ocfs2_err(sb, "block %llu: read error",
			  (unsigned long long)blkno);
		return -EIO;
	}
	return ocfs2_meta_checked(sb, bh, kind, bhp);
}

/*
 * Local mounts: when @blkno is not cached, start reading it and up to
 * @count - 1 blocks after it in one request, so a walk over neighbouring
 * metadata (inodes made one after another, a directory's blocks) waits
 * once instead of once per block.  The caller then reads @blkno as
 * usual.  Harmless for blocks that turn out not to be metadata: every
 * metadata block is written whole when it is allocated.  On a cluster
 * mount what this reads is only a hint (ocfs2_read_inode_hint); blocks
 * read under a lock go through meta_cache.c.
 */
void ocfs2_meta_readahead(struct super_block *sb, u64 blkno,
			  unsigned int count)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct buffer_head *bh;
	struct blk_plug plug;
	bool cached;

	if (!ocfs2_blkno_valid(osb, blkno) ||
	    (!osb->locks.local && !ocfs2_meta_cache_on(sb)))
		return;
	bh = sb_getblk(sb, blkno);
	if (!bh)
		return;
	cached = buffer_uptodate(bh);
	brelse(bh);
	if (cached)
		return;
	blk_start_plug(&plug);
	for (; count && ocfs2_blkno_valid(osb, blkno); count--, blkno++)
		sb_breadahead(sb, blkno);
	blk_finish_plug(&plug);
}

/*
 * A block allocated in @handle's transaction and about to be written
 * whole: taken on by jbd2 as new (nothing is read from disk) and zeroed.
 */
int ocfs2_new_meta_block(handle_t *handle, struct super_block *sb, u64 blkno,
			 struct buffer_head **bhp)
{
	struct buffer_head *bh = sb_getblk(sb, blkno);
	int ret;

	if (!bh)
		return -ENOMEM;
	lock_buffer(bh);
	ret = jbd2_journal_get_create_access(handle, bh);
	if (ret) {
		unlock_buffer(bh);
		brelse(bh);
		return ret;
	}
	memset(bh->b_data, 0, bh->b_size);
	set_buffer_uptodate(bh);
	/* what it held before (another kind of block) was checked, not this */
	clear_buffer_ocfs2_checked(bh);
	set_buffer_ocfs2_meta(bh);
	unlock_buffer(bh);
	*bhp = bh;
	return 0;
}

/*
 * A block from ocfs2_new_meta_block that holds data (a symlink target, an
 * xattr value): its bytes are the user's, never given a checksum.
 */
void ocfs2_block_holds_data(struct buffer_head *bh)
{
	clear_buffer_ocfs2_meta(bh);
}
