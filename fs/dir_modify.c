// SPDX-License-Identifier: GPL-2.0
/*
 * Adding names to directories.  So far only inline directories (entries
 * inside the inode block): a name goes into the first entry with enough
 * slack, splitting it.  Growing an inline directory into blocks (and its
 * index) needs cluster allocation and is not done yet: a full inline
 * directory gives -ENOSPC.
 */
#include "ocfs2.h"

/*
 * Find where @name would go in @dir's inline entries: the offset of the
 * entry to split.  -EEXIST if the name is there, -ENOSPC if no room.
 */
int ocfs2_dir_find_slot(struct inode *dir, struct buffer_head *dir_bh,
			const struct qstr *name, unsigned int *slot)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	unsigned int need = OCFS2_DIR_REC_LEN(name->len), off = 0;
	const u8 *data = di->id2.i_data.id_data;
	struct ocfs2_bad bad;
	bool found = false;

	if (!ocfs2_inode_is_inline(dir))
		return -EOPNOTSUPP;
	if (ocfs2_validate_dir_block(data, dir->i_size, &bad))
		return ocfs2_corrupt_block(dir->i_sb, __func__,
					   OCFS2_I(dir)->blkno, &bad);
	while (off < dir->i_size) {
		const struct ocfs2_dir_entry *de = (const void *)(data + off);
		unsigned int rec = le16_to_cpu(de->rec_len);
		unsigned int used = de->inode ?
				    OCFS2_DIR_REC_LEN(de->name_len) : 0;

		if (de->inode && de->name_len == name->len &&
		    !memcmp(de->name, name->name, name->len))
			return -EEXIST;
		if (!found && rec - used >= need) {
			*slot = off;
			found = true;
		}
		off += rec;
	}
	return found ? 0 : -ENOSPC;
}

/* Called in a transaction, after ocfs2_dir_find_slot() chose @slot. */
int ocfs2_dir_insert(handle_t *handle, struct inode *dir,
		     struct buffer_head *dir_bh, unsigned int slot,
		     const struct qstr *name, u64 ino, umode_t mode)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	struct ocfs2_dir_entry *de, *new;
	unsigned int rec, used;
	int ret;

	ret = ocfs2_journal_access(handle, dir_bh);
	if (ret)
		return ret;
	de = (struct ocfs2_dir_entry *)(di->id2.i_data.id_data + slot);
	rec = le16_to_cpu(de->rec_len);
	used = de->inode ? OCFS2_DIR_REC_LEN(de->name_len) : 0;
	new = de;
	if (used) {
		new = (struct ocfs2_dir_entry *)((u8 *)de + used);
		de->rec_len = cpu_to_le16(used);
		new->rec_len = cpu_to_le16(rec - used);
	}
	new->inode = cpu_to_le64(ino);
	new->name_len = name->len;
	new->file_type = fs_umode_to_ftype(mode);
	memcpy(new->name, name->name, name->len);
	ocfs2_touch_dir(dir, di);
	ocfs2_journal_dirty(handle, dir_bh);
	return 0;
}

/* Fill a new inline directory block with "." and "..". */
void ocfs2_dir_init_inline(struct ocfs2_dinode *di, u64 self, u64 parent,
			   unsigned int capacity)
{
	struct ocfs2_dir_entry *dot, *dotdot;
	unsigned int dot_len = OCFS2_DIR_REC_LEN(1);

	di->id2.i_data.id_count = cpu_to_le16(capacity);
	di->i_size = cpu_to_le64(capacity);
	dot = (struct ocfs2_dir_entry *)di->id2.i_data.id_data;
	dot->inode = cpu_to_le64(self);
	dot->rec_len = cpu_to_le16(dot_len);
	dot->name_len = 1;
	dot->file_type = OCFS2_FT_DIR;
	dot->name[0] = '.';
	dotdot = (struct ocfs2_dir_entry *)(di->id2.i_data.id_data + dot_len);
	dotdot->inode = cpu_to_le64(parent);
	dotdot->rec_len = cpu_to_le16(capacity - dot_len);
	dotdot->name_len = 2;
	dotdot->file_type = OCFS2_FT_DIR;
	dotdot->name[0] = '.';
	dotdot->name[1] = '.';
}

/*
 * Find @name for removal: the offset of its entry and of the entry
 * before it (-1 when it is the first), and its inode number.
 */
int ocfs2_dir_find_for_remove(struct inode *dir, struct buffer_head *dir_bh,
			      const struct qstr *name,
			      struct ocfs2_dir_pos *pos)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	const u8 *data = di->id2.i_data.id_data;
	unsigned int off = 0;
	struct ocfs2_bad bad;
	int prev = -1;

	if (!ocfs2_inode_is_inline(dir))
		return -EOPNOTSUPP;
	if (ocfs2_validate_dir_block(data, dir->i_size, &bad))
		return ocfs2_corrupt_block(dir->i_sb, __func__,
					   OCFS2_I(dir)->blkno, &bad);
	while (off < dir->i_size) {
		const struct ocfs2_dir_entry *de = (const void *)(data + off);

		if (de->inode && de->name_len == name->len &&
		    !memcmp(de->name, name->name, name->len)) {
			pos->off = off;
			pos->prev = prev;
			pos->ino = le64_to_cpu(de->inode);
			return 0;
		}
		prev = off;
		off += le16_to_cpu(de->rec_len);
	}
	return -ENOENT;
}

/* Called in a transaction: the entry's space goes to the one before. */
int ocfs2_dir_remove(handle_t *handle, struct inode *dir,
		     struct buffer_head *dir_bh, const struct ocfs2_dir_pos *pos)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	u8 *data = di->id2.i_data.id_data;
	struct ocfs2_dir_entry *de, *prev;
	int ret;

	ret = ocfs2_journal_access(handle, dir_bh);
	if (ret)
		return ret;
	de = (struct ocfs2_dir_entry *)(data + pos->off);
	if (pos->prev >= 0) {
		prev = (struct ocfs2_dir_entry *)(data + pos->prev);
		le16_add_cpu(&prev->rec_len, le16_to_cpu(de->rec_len));
	} else {
		de->inode = 0;
	}
	ocfs2_touch_dir(dir, di);
	ocfs2_journal_dirty(handle, dir_bh);
	return 0;
}

/* An inline directory is empty when only "." and ".." are live. */
bool ocfs2_dir_is_empty(struct inode *dir, struct buffer_head *bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;
	const u8 *data = di->id2.i_data.id_data;
	unsigned int off = 0, live = 0;
	struct ocfs2_bad bad;

	if (!ocfs2_inode_is_inline(dir) ||
	    ocfs2_validate_dir_block(data, dir->i_size, &bad))
		return false;
	while (off < dir->i_size) {
		const struct ocfs2_dir_entry *de = (const void *)(data + off);

		if (de->inode)
			live++;
		off += le16_to_cpu(de->rec_len);
	}
	return live <= 2;
}

/* Called in a transaction: the entry at @pos now names @ino. */
int ocfs2_dir_set_entry(handle_t *handle, struct inode *dir,
			struct buffer_head *dir_bh,
			const struct ocfs2_dir_pos *pos, u64 ino, umode_t mode)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	struct ocfs2_dir_entry *de;
	int ret;

	ret = ocfs2_journal_access(handle, dir_bh);
	if (ret)
		return ret;
	de = (struct ocfs2_dir_entry *)(di->id2.i_data.id_data + pos->off);
	de->inode = cpu_to_le64(ino);
	de->file_type = fs_umode_to_ftype(mode);
	ocfs2_touch_dir(dir, di);
	ocfs2_journal_dirty(handle, dir_bh);
	return 0;
}

/* The ".." entry: second in the first block, right after ".". */
static struct ocfs2_dir_entry *find_dotdot(u8 *data, unsigned int size)
{
	struct ocfs2_dir_entry *dot = (struct ocfs2_dir_entry *)data, *dotdot;
	unsigned int rec = le16_to_cpu(dot->rec_len);

	if (size < 2 * OCFS2_DIR_MIN_REC_LEN || dot->name_len != 1 ||
	    dot->name[0] != '.' || rec > size - OCFS2_DIR_MIN_REC_LEN)
		return NULL;
	dotdot = (struct ocfs2_dir_entry *)(data + rec);
	if (dotdot->name_len != 2 || memcmp(dotdot->name, "..", 2))
		return NULL;
	return dotdot;
}

static int first_dir_block(struct inode *dir, struct buffer_head **bhp)
{
	struct ocfs2_extent_hit hit;
	int ret;

	ret = ocfs2_extent_lookup(dir, 0, &hit);
	if (ret)
		return ret;
	if (!hit.phys || hit.unwritten)
		return ocfs2_fs_error(dir->i_sb, __func__,
				      "directory %lu has no first block",
				      dir->i_ino);
	return ocfs2_read_meta(dir->i_sb, hit.phys, OCFS2_BLOCK_DIR, bhp);
}

/*
 * Called in a transaction: a directory moved to @parent.  @dir_bh is its
 * inode block (already under journal access by the caller when the
 * directory is inline, since the entries live there).
 */
int ocfs2_dir_set_parent(handle_t *handle, struct inode *dir,
			 struct buffer_head *dir_bh, u64 parent)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	struct ocfs2_dir_entry *dotdot;
	struct buffer_head *bh;
	int ret;

	if (ocfs2_inode_is_inline(dir)) {
		bh = dir_bh;
		get_bh(bh);
		dotdot = find_dotdot(di->id2.i_data.id_data, dir->i_size);
	} else {
		ret = first_dir_block(dir, &bh);
		if (ret)
			return ret;
		dotdot = find_dotdot((u8 *)bh->b_data, dir->i_sb->s_blocksize);
	}
	if (!dotdot) {
		ret = ocfs2_fs_error(dir->i_sb, __func__,
				     "directory %lu does not start with \".\" and \"..\"",
				     dir->i_ino);
		goto out;
	}
	ret = ocfs2_journal_access(handle, bh);
	if (ret)
		goto out;
	dotdot->inode = cpu_to_le64(parent);
	ocfs2_journal_dirty(handle, bh);
out:
	brelse(bh);
	return ret;
}
