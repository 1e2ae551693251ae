// SPDX-License-Identifier: GPL-2.0
/*
 * The slot's orphan directory: an inode whose last name is removed gets
 * an entry there (named by its number in hex) in the same transaction,
 * so a crash never leaks it; when the last user lets it go, one more
 * transaction removes the entry, frees its allocator bit and marks the
 * block unused.  Inodes that own clusters cannot be freed yet (no cluster
 * deallocation), so their last unlink is refused before anything changes.
 */
#include "ocfs2.h"

/* entry, orphan directory, inode block, allocator inode, group */
#define OCFS2_DELETE_CREDITS	4

static void orphan_name(struct ocfs2_orphan_ctx *ctx, u64 blkno)
{
	int len = scnprintf(ctx->buf, sizeof(ctx->buf), "%016llx",
			    (unsigned long long)blkno);

	ctx->name.name = ctx->buf;
	ctx->name.len = len;
}

/* Lock the orphan directory and find room; undone by ocfs2_orphan_end. */
int ocfs2_orphan_begin(struct inode *inode, struct ocfs2_orphan_ctx *ctx)
{
	struct inode *odir = OCFS2_SB(inode->i_sb)->orphan_dir;
	int ret;

	orphan_name(ctx, OCFS2_I(inode)->blkno);
	inode_lock(odir);
	ret = ocfs2_inode_lock(odir, &ctx->bh, 1);
	if (ret)
		goto fail;
	ret = ocfs2_dir_find_slot(odir, ctx->bh, &ctx->name, &ctx->slot);
	if (!ret)
		return 0;
	brelse(ctx->bh);
	ocfs2_inode_unlock(odir, 1);
fail:
	inode_unlock(odir);
	return ret;
}

void ocfs2_orphan_end(struct inode *inode, struct ocfs2_orphan_ctx *ctx)
{
	struct inode *odir = OCFS2_SB(inode->i_sb)->orphan_dir;

	brelse(ctx->bh);
	ocfs2_inode_unlock(odir, 1);
	inode_unlock(odir);
}

/* In the unlink transaction; @ibh is already under journal access. */
int ocfs2_orphan_add(handle_t *handle, struct inode *inode,
		     struct buffer_head *ibh, struct ocfs2_orphan_ctx *ctx)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	int ret;

	ret = ocfs2_dir_insert(handle, osb->orphan_dir, ctx->bh, ctx->slot,
			       &ctx->name, OCFS2_I(inode)->blkno,
			       inode->i_mode);
	if (ret)
		return ret;
	OCFS2_I(inode)->flags |= OCFS2_ORPHANED_FL;
	di->i_flags = cpu_to_le32(OCFS2_I(inode)->flags);
	di->i_orphaned_slot = cpu_to_le16(osb->slot);
	return 0;
}

static int release_inode_block(handle_t *handle, struct inode *inode,
			       struct buffer_head *ibh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct timespec64 now;
	int ret;

	ret = ocfs2_journal_access(handle, ibh);
	if (ret)
		return ret;
	ktime_get_coarse_real_ts64(&now);
	di->i_flags &= cpu_to_le32(~(OCFS2_VALID_FL | OCFS2_ORPHANED_FL));
	di->i_dtime = cpu_to_le64(now.tv_sec);
	ocfs2_set_links(di, 0);
	ocfs2_journal_dirty(handle, ibh);
	return 0;
}

static int delete_in_trans(struct inode *inode, struct buffer_head *ibh,
			   struct ocfs2_orphan_ctx *ctx,
			   const struct ocfs2_dir_pos *pos)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	u16 bit = le16_to_cpu(di->i_suballoc_bit);
	u64 group = le64_to_cpu(di->i_suballoc_loc);
	handle_t *handle;
	int ret;

	if (!group)
		group = OCFS2_I(inode)->blkno - bit;
	handle = ocfs2_start_trans(osb, OCFS2_DELETE_CREDITS);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_dir_remove(handle, osb->orphan_dir, ctx->bh, pos);
	if (!ret)
		ret = ocfs2_free_bit(handle, osb->inode_alloc, group, bit);
	if (!ret)
		ret = release_inode_block(handle, inode, ibh);
	if (ret)
		jbd2_journal_abort(osb->journal, ret);
	ocfs2_commit_trans(handle);
	return ret;
}

/* From evict: the inode has no names and no users left. */
void ocfs2_delete_inode(struct inode *inode)
{
	struct inode *odir = OCFS2_SB(inode->i_sb)->orphan_dir;
	struct ocfs2_orphan_ctx ctx;
	struct ocfs2_dir_pos pos;
	struct buffer_head *ibh;
	int ret;

	orphan_name(&ctx, OCFS2_I(inode)->blkno);
	inode_lock(odir);
	ret = ocfs2_inode_lock(odir, &ctx.bh, 1);
	if (ret)
		goto out;
	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		goto out_odir;
	ret = ocfs2_dir_find_for_remove(odir, ctx.bh, &ctx.name, &pos);
	if (!ret)
		ret = delete_in_trans(inode, ibh, &ctx, &pos);
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
out_odir:
	brelse(ctx.bh);
	ocfs2_inode_unlock(odir, 1);
out:
	inode_unlock(odir);
	if (ret)
		ocfs2_err(inode->i_sb, "inode %lu stays in the orphan directory (error %d)",
			  inode->i_ino, ret);
}
