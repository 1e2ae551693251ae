// SPDX-License-Identifier: GPL-2.0
/*
 * Symlinks: fast ones keep the target in the inode block (copied into
 * memory when the inode is read); longer ones keep it, NUL-terminated, in
 * the first blocks of one data extent.  Those blocks are written through
 * the journal when the link is made (as stock does), so they are read
 * through the buffer cache, where a copy the journal still holds is the
 * current one, never through the file's page cache.
 */
#include "ocfs2.h"

const struct inode_operations ocfs2_fast_symlink_iops = {
	.setattr	= ocfs2_setattr,
	.getattr	= ocfs2_getattr,
	.get_link	= simple_get_link,
	.listxattr	= ocfs2_listxattr,
};

/* Clusters a target of @len bytes (and its NUL) needs. */
static u32 target_clusters(struct ocfs2_sb_info *osb, size_t len)
{
	return (len + 1 + (1U << osb->cluster_bits) - 1) >> osb->cluster_bits;
}

/* Blocks a target of @len bytes (and its NUL) fills. */
static unsigned int target_blocks(struct super_block *sb, size_t len)
{
	return (len + 1 + sb->s_blocksize - 1) >> sb->s_blocksize_bits;
}

/* Journal credits ocfs2_symlink_write_target() needs beyond the create. */
int ocfs2_symlink_credits(struct super_block *sb, size_t len)
{
	/* the bitmap inode and a group, plus the target's blocks */
	return 2 + target_blocks(sb, len);
}

static int write_target_blocks(handle_t *handle, struct super_block *sb,
			       u64 blkno, const char *target, size_t len)
{
	unsigned int i, n = target_blocks(sb, len);
	size_t off = 0, chunk;
	struct buffer_head *bh;
	int ret;

	for (i = 0; i < n; i++, off += chunk) {
		ret = ocfs2_new_meta_block(handle, sb, blkno + i, &bh);
		if (ret)
			return ret;
		ocfs2_block_holds_data(bh);
		/* the NUL is in the zeroed tail */
		chunk = min_t(size_t, len - off, sb->s_blocksize);
		memcpy(bh->b_data, target + off, chunk);
		ocfs2_journal_dirty(handle, bh);
		brelse(bh);
	}
	return 0;
}

/*
 * In the create transaction, with the new inode block @di under journal
 * access (the caller locked the global bitmap): clusters for the target
 * of a symlink too long for the inode block, the target written into
 * them, and the one extent that maps them.
 */
int ocfs2_symlink_write_target(handle_t *handle, struct super_block *sb,
			       struct ocfs2_dinode *di, const char *target)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	size_t len = strlen(target);
	u32 want = target_clusters(osb, len);
	struct ocfs2_extent_list *el = &di->id2.i_list;
	struct ocfs2_run run;
	int ret;

	ret = ocfs2_claim_contig(handle, osb, want, &run);
	if (ret)
		return ret;
	ret = write_target_blocks(handle, sb, (u64)run.cluster << osb->bpc_bits,
				  target, len);
	if (ret)
		return ret;
	el->l_count = cpu_to_le16(ocfs2_extent_recs_per_inode(sb->s_blocksize));
	el->l_next_free_rec = cpu_to_le16(1);
	el->l_recs[0].e_cpos = 0;
	el->l_recs[0].e_leaf_clusters = cpu_to_le16(run.count);
	el->l_recs[0].e_blkno = cpu_to_le64((u64)run.cluster << osb->bpc_bits);
	di->i_clusters = cpu_to_le32(run.count);
	di->i_size = cpu_to_le64(len);
	return 0;
}

/* Copy the target out of its blocks; the meta lock is held. */
static int read_target(struct inode *inode, char *buf, size_t len)
{
	struct super_block *sb = inode->i_sb;
	unsigned int i, n = target_blocks(sb, len);
	struct ocfs2_extent_hit hit;
	struct buffer_head *bh;
	size_t off = 0, chunk;
	int ret;

	for (i = 0; i < n; i++, off += chunk) {
		ret = ocfs2_extent_lookup(inode, i, &hit);
		if (ret)
			return ret;
		if (!hit.phys || hit.unwritten)
			return ocfs2_fs_error(sb, __func__,
					      "symlink %lu: block %u of its target is not mapped",
					      inode->i_ino, i);
		ret = ocfs2_read_meta(sb, hit.phys, OCFS2_BLOCK_DATA, &bh);
		if (ret)
			return ret;
		chunk = min_t(size_t, len - off, sb->s_blocksize);
		memcpy(buf + off, bh->b_data, chunk);
		brelse(bh);
	}
	buf[len] = '\0';
	return 0;
}

static const char *ocfs2_get_link(struct dentry *dentry, struct inode *inode,
				  struct delayed_call *done)
{
	loff_t len = i_size_read(inode);
	char *buf;
	int ret;

	if (ocfs2_inode_is_inline(inode))
		return page_get_link(dentry, inode, done);
	if (!dentry)
		return ERR_PTR(-ECHILD);
	if (len <= 0 || len >= PATH_MAX)
		return ERR_PTR(ocfs2_fs_error(inode->i_sb, __func__,
					      "symlink %lu: target length %lld",
					      inode->i_ino, len));
	buf = kmalloc(len + 1, GFP_NOFS);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	ret = ocfs2_inode_lock(inode, NULL, 0);
	if (!ret) {
		ret = read_target(inode, buf, len);
		ocfs2_inode_unlock(inode, 0);
	}
	if (ret) {
		kfree(buf);
		return ERR_PTR(ret);
	}
	set_delayed_call(done, kfree_link, buf);
	return buf;
}

const struct inode_operations ocfs2_symlink_iops = {
	.setattr	= ocfs2_setattr,
	.getattr	= ocfs2_getattr,
	.get_link	= ocfs2_get_link,
	.listxattr	= ocfs2_listxattr,
};
