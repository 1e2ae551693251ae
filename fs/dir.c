// SPDX-License-Identifier: GPL-2.0
/*
 * Directory contents: walking the entries of inline directories (inside
 * the inode block) and of block directories (mapped through the extent
 * tree), readdir with positions that are byte offsets into the directory,
 * and name search.  Indexed directories keep the same entry blocks, so
 * readdir here serves them too; their lookups go through dir_index.c.
 */
#include "ocfs2.h"

static bool name_matches(const struct ocfs2_dir_entry *de, const char *name,
			 int len)
{
	return de->inode && de->name_len == len &&
	       !memcmp(de->name, name, len);
}

/* Search @size bytes of entries (already validated) for @name. */
static bool search_range(const u8 *data, unsigned int size, const char *name,
			 int len, struct ocfs2_dir_match *match)
{
	unsigned int off = 0;

	while (off < size) {
		const struct ocfs2_dir_entry *de = (const void *)(data + off);

		if (name_matches(de, name, len)) {
			match->ino = le64_to_cpu(de->inode);
			match->file_type = de->file_type;
			return true;
		}
		off += le16_to_cpu(de->rec_len);
	}
	return false;
}

/*
 * Emit the live entries of one range whose first byte is at directory
 * position @base, from ctx->pos on.  Returns false when the caller's
 * buffer is full; ctx->pos then names the entry not yet emitted.
 */
static bool readdir_range(struct dir_context *ctx, const u8 *data,
			  unsigned int size, loff_t base)
{
	unsigned int off = 0;

	while (off < size) {
		const struct ocfs2_dir_entry *de = (const void *)(data + off);
		unsigned int rec_len = le16_to_cpu(de->rec_len);

		if (base + off >= ctx->pos) {
			if (de->inode &&
			    !dir_emit(ctx, de->name, de->name_len,
				      le64_to_cpu(de->inode),
				      fs_ftype_to_dtype(de->file_type)))
				return false;
			ctx->pos = base + off + rec_len;
		}
		off += rec_len;
	}
	return true;
}

static int check_inline_dir(struct inode *dir, const struct ocfs2_dinode *di)
{
	struct ocfs2_bad bad;

	if (!ocfs2_validate_dir_block(di->id2.i_data.id_data, dir->i_size,
				      &bad))
		return 0;
	return ocfs2_corrupt_block(dir->i_sb, __func__, OCFS2_I(dir)->blkno,
				   &bad);
}

int ocfs2_read_dir_block(struct inode *dir, u64 iblock,
			 struct buffer_head **bhp)
{
	struct ocfs2_extent_hit hit;
	int ret;

	ret = ocfs2_extent_lookup(dir, iblock, &hit);
	if (ret)
		return ret;
	if (!hit.phys || hit.unwritten)
		return ocfs2_fs_error(dir->i_sb, __func__,
				      "directory %lu: block %llu is not allocated",
				      dir->i_ino, (unsigned long long)iblock);
	return ocfs2_read_covered(dir, hit.phys,
				  ocfs2_dir_has_trailer(dir) ?
				  OCFS2_BLOCK_DIR_TRAILER : OCFS2_BLOCK_DIR, bhp);
}

static int readdir_inline(struct inode *dir, struct dir_context *ctx,
			  const struct ocfs2_dinode *di)
{
	int ret = check_inline_dir(dir, di);

	if (!ret)
		readdir_range(ctx, di->id2.i_data.id_data, dir->i_size, 0);
	return ret;
}

/*
 * Start reading @dir's blocks [@iblock, @end) extent by extent: a
 * directory grows a cluster at a time, between the clusters other
 * allocations took meanwhile (index leaves, inode groups), so its blocks
 * are seldom one run.  Errors are left to the read that follows.
 */
static void dir_readahead(struct inode *dir, u64 iblock, u64 end)
{
	struct ocfs2_extent_hit hit;
	u64 n;

	end = min_t(u64, end, dir->i_size >> dir->i_blkbits);
	while (iblock < end) {
		if (ocfs2_extent_lookup(dir, iblock, &hit) || !hit.blocks)
			return;
		n = min(hit.blocks, end - iblock);
		if (hit.phys && !hit.unwritten)
			ocfs2_covered_readahead(dir, hit.phys, n);
		iblock += n;
	}
}

static int readdir_blocks(struct inode *dir, struct dir_context *ctx)
{
	unsigned int bits = dir->i_blkbits;
	struct buffer_head *bh;
	u64 ra_end = 0;
	int ret;

	while (ctx->pos < dir->i_size) {
		u64 iblock = ctx->pos >> bits;

		/* keep a window of blocks in flight ahead of the walk */
		if (iblock + OCFS2_DIR_READAHEAD / 2 >= ra_end) {
			ra_end = max(ra_end, iblock);
			dir_readahead(dir, ra_end, ra_end + OCFS2_DIR_READAHEAD);
			ra_end += OCFS2_DIR_READAHEAD;
		}
		ret = ocfs2_read_dir_block(dir, iblock, &bh);
		if (ret)
			return ret;
		if (!readdir_range(ctx, (u8 *)bh->b_data, 1U << bits,
				   iblock << bits)) {
			brelse(bh);
			return 0;
		}
		brelse(bh);
		ctx->pos = (iblock + 1) << bits;
	}
	return 0;
}

static int ocfs2_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file_inode(file);
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_inode_lock_syscall(dir, &bh, 0);
	if (ret)
		return ret;
	if (ocfs2_inode_is_inline(dir))
		ret = readdir_inline(dir, ctx,
				     (struct ocfs2_dinode *)bh->b_data);
	else
		ret = readdir_blocks(dir, ctx);
	brelse(bh);
	ocfs2_inode_unlock(dir, 0);
	if (!ret)
		ocfs2_update_atime(file);
	return ret;
}

int ocfs2_find_entry_at(struct inode *dir, u64 blkno, const char *name,
			int len, struct ocfs2_dir_match *match)
{
	struct buffer_head *bh;
	bool found;
	int ret;

	ret = ocfs2_read_covered(dir, blkno, OCFS2_BLOCK_DIR_TRAILER, &bh);
	if (ret)
		return ret;
	found = search_range((u8 *)bh->b_data, dir->i_sb->s_blocksize, name,
			     len, match);
	brelse(bh);
	return found ? 0 : -ENOENT;
}

static int find_in_blocks(struct inode *dir, const char *name, int len,
			  struct ocfs2_dir_match *match)
{
	u64 iblock, nblocks = dir->i_size >> dir->i_blkbits;
	struct buffer_head *bh;
	bool found;
	int ret;

	for (iblock = 0; iblock < nblocks; iblock++) {
		ret = ocfs2_read_dir_block(dir, iblock, &bh);
		if (ret)
			return ret;
		found = search_range((u8 *)bh->b_data, dir->i_sb->s_blocksize,
				     name, len, match);
		brelse(bh);
		if (found)
			return 0;
	}
	return -ENOENT;
}

/* Called with the directory's meta lock held. */
int ocfs2_find_entry(struct inode *dir, const char *name, int len,
		     struct ocfs2_dir_match *match)
{
	struct buffer_head *bh;
	struct ocfs2_dinode *di;
	int ret;

	if (OCFS2_I(dir)->dyn_features & OCFS2_INDEXED_DIR_FL)
		return ocfs2_dx_find_entry(dir, name, len, match);
	if (!ocfs2_inode_is_inline(dir))
		return find_in_blocks(dir, name, len, match);

	ret = ocfs2_read_covered(dir, OCFS2_I(dir)->blkno,
				 OCFS2_BLOCK_DINODE, &bh);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	ret = check_inline_dir(dir, di);
	if (!ret && !search_range(di->id2.i_data.id_data, dir->i_size, name,
				  len, match))
		ret = -ENOENT;
	brelse(bh);
	return ret;
}

static int walk_range(const u8 *data, unsigned int size,
		      ocfs2_dirent_actor actor, void *arg)
{
	unsigned int off = 0;
	int ret;

	while (off < size) {
		const struct ocfs2_dir_entry *de = (const void *)(data + off);

		if (de->inode) {
			ret = actor(arg, de);
			if (ret)
				return ret;
		}
		off += le16_to_cpu(de->rec_len);
	}
	return 0;
}

/*
 * Call @actor for every live entry of @dir (inline or blocks), with the
 * directory's meta lock held by the caller.  A non-zero return from
 * @actor stops the walk and is passed back.
 */
int ocfs2_dir_walk(struct inode *dir, ocfs2_dirent_actor actor, void *arg)
{
	u64 iblock, nblocks = dir->i_size >> dir->i_blkbits;
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	int ret;

	if (ocfs2_inode_is_inline(dir)) {
		ret = ocfs2_read_covered(dir, OCFS2_I(dir)->blkno,
					 OCFS2_BLOCK_DINODE, &bh);
		if (ret)
			return ret;
		di = (struct ocfs2_dinode *)bh->b_data;
		ret = check_inline_dir(dir, di);
		if (!ret)
			ret = walk_range(di->id2.i_data.id_data, dir->i_size,
					 actor, arg);
		brelse(bh);
		return ret;
	}
	for (iblock = 0; iblock < nblocks; iblock++) {
		ret = ocfs2_read_dir_block(dir, iblock, &bh);
		if (ret)
			return ret;
		ret = walk_range((u8 *)bh->b_data, dir->i_sb->s_blocksize,
				 actor, arg);
		brelse(bh);
		if (ret)
			return ret;
	}
	return 0;
}

const struct file_operations ocfs2_dir_fops = {
	.llseek		= generic_file_llseek,
	.read		= generic_read_dir,
	.iterate_shared	= ocfs2_readdir,
	/* directories take fcntl and flock locks as files do (stock too) */
	.open		= ocfs2_file_open,
	.release	= ocfs2_file_release,
	.fsync		= ocfs2_fsync,
	.flock		= ocfs2_flock,
	.lock		= ocfs2_posix_lock,
	.unlocked_ioctl	= ocfs2_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};
