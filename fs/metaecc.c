// SPDX-License-Identifier: GPL-2.0
/*
 * Metadata checksums written (metaecc volumes).  A block's checksum must
 * cover the bytes that reach the disk, and a journaled block keeps
 * changing until its transaction commits, so the checksum is computed by
 * a jbd2 trigger when the commit freezes the block's contents; the copy
 * jbd2 logs and the buffer later checkpointed home then both carry it.
 *
 * Only buffers known to hold metadata get the trigger (blocks.c sets
 * Ocfs2Meta when it validated a block of a metadata kind or hands out a
 * new one), and the trigger finds the checksum field from the signature
 * the block carries at commit, so a block whose kind changed within the
 * transaction is still covered right.
 */
#include <ocfs2/blockcheck.h>
#include "ocfs2.h"

static bool has_signature(const void *data, const char *sig)
{
	return !memcmp(data, sig, OCFS2_SIGNATURE_LEN);
}

/* The kind of block @data holds, from its signature; DATA if none. */
static enum ocfs2_block_kind kind_of(const void *data, size_t size)
{
	const struct ocfs2_dir_block_trailer *trailer;

	if (has_signature(data, OCFS2_INODE_SIGNATURE))
		return OCFS2_BLOCK_DINODE;
	if (has_signature(data, OCFS2_EXTENT_BLOCK_SIGNATURE))
		return OCFS2_BLOCK_EXTENT;
	if (has_signature(data, OCFS2_GROUP_DESC_SIGNATURE))
		return OCFS2_BLOCK_GROUP;
	if (has_signature(data, OCFS2_DX_ROOT_SIGNATURE))
		return OCFS2_BLOCK_DX_ROOT;
	if (has_signature(data, OCFS2_DX_LEAF_SIGNATURE))
		return OCFS2_BLOCK_DX_LEAF;
	if (has_signature(data, OCFS2_XATTR_BLOCK_SIGNATURE))
		return OCFS2_BLOCK_XATTR;
	if (has_signature(data, OCFS2_REFCOUNT_BLOCK_SIGNATURE))
		return OCFS2_BLOCK_REFCOUNT;
	trailer = data + ocfs2_dir_trailer_offset(size);
	if (has_signature(trailer->db_signature, OCFS2_DIR_TRAILER_SIGNATURE))
		return OCFS2_BLOCK_DIR_TRAILER;
	return OCFS2_BLOCK_DATA;
}

/*
 * Called with jbd2's buffer state lock held and the data mapped atomic:
 * the checksum is pure computation and must not sleep.
 */
static void checksum_frozen(struct jbd2_buffer_trigger_type *type,
			    struct buffer_head *bh, void *data, size_t size)
{
	struct ocfs2_block_check *bc;

	if (!buffer_ocfs2_meta(bh))
		return;
	bc = ocfs2_block_check_of(size, data, kind_of(data, size));
	if (bc)
		ocfs2_block_check_compute(data, size, bc);
}

static struct jbd2_buffer_trigger_type checksum_trigger = {
	.t_frozen	= checksum_frozen,
};

/*
 * Each dirtying sets the trigger afresh: jbd2 keeps a buffer's trigger as
 * long as its journal head lives, which may outlast what the block held
 * (freed metadata reused for a symlink target).
 */
void ocfs2_metaecc_on_dirty(struct ocfs2_sb_info *osb, struct buffer_head *bh)
{
	if (!ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_META_ECC))
		return;
	jbd2_journal_set_triggers(bh, buffer_ocfs2_meta(bh) ?
				  &checksum_trigger : NULL);
}
