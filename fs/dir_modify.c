// SPDX-License-Identifier: GPL-2.0
/*
 * Adding, removing and changing names in directories: inline ones (the
 * entries inside the inode block), block ones (entries in blocks mapped
 * by the extent tree) and indexed ones (block directories with a hash
 * index and a list of blocks with free space, kept in dir_index.c).
 *
 * A change is found first, outside the transaction (ocfs2_dir_find_slot,
 * ocfs2_dir_find_for_remove: they fill an ocfs2_dir_pos holding the
 * blocks involved), then made inside it, so that "no room" or "no such
 * name" never aborts a transaction.  A name goes into the first entry
 * with enough slack, splitting it; a removed entry's space goes to the
 * entry before it.  A directory without room grows first (dir_grow.c).
 */
#include <linux/module.h>
#include "ocfs2.h"

/*
 * Changing names in block and indexed directories (below and in
 * dir_index.c, dx_split.c) and growing directories (dir_grow.c) are on
 * by default: fs/04, fs/07 and fs/13 exercise them on both kernels with
 * stock fsck and the stock module checking the result.  Setting this to
 * 0 makes such directories refuse new and removed names (-EOPNOTSUPP)
 * and a full inline directory give -ENOSPC, the behaviour of earlier
 * releases, for an admin who wants only inline directories changed.
 */
static bool block_dir_changes = true;
module_param(block_dir_changes, bool, 0644);
MODULE_PARM_DESC(block_dir_changes,
		 "allow name changes in block and indexed directories and directory growth (default on)");

static bool changes_allowed(struct inode *dir)
{
	return ocfs2_inode_is_inline(dir) || READ_ONCE(block_dir_changes);
}

#define INLINE_BASE	offsetof(struct ocfs2_dinode, id2.i_data.id_data)

static u8 *pos_data(const struct ocfs2_dir_pos *pos)
{
	return (u8 *)pos->bh->b_data + pos->base;
}

void ocfs2_dir_pos_release(struct ocfs2_dir_pos *pos)
{
	brelse(pos->bh);
	brelse(pos->dx.root_bh);
	brelse(pos->dx.leaf_bh);
	brelse(pos->dx.free_prev_bh);
	memset(pos, 0, sizeof(*pos));
}

/* Bytes of entries in a directory block: the trailer is not for names. */
unsigned int ocfs2_dir_block_bytes(struct inode *dir)
{
	unsigned int bs = dir->i_sb->s_blocksize;

	return ocfs2_dir_has_trailer(dir) ?
	       ocfs2_dir_trailer_offset(bs) : bs;
}

static bool entry_is(const struct ocfs2_dir_entry *de, const struct qstr *q)
{
	return de->inode && de->name_len == q->len &&
	       !memcmp(de->name, q->name, q->len);
}

/*
 * Scan one range of entries (already validated).  With @fit, note the
 * first entry with @need bytes of slack (unless one was noted already);
 * returns true when @name is there, with its offset and the one before.
 */
bool ocfs2_dir_scan(const u8 *data, unsigned int size, const struct qstr *name,
		    unsigned int need, int *fit, unsigned int *off, int *prev)
{
	unsigned int o = 0;
	int p = -1;

	while (o < size) {
		const struct ocfs2_dir_entry *de = (const void *)(data + o);
		unsigned int rec = le16_to_cpu(de->rec_len);
		unsigned int used = de->inode ?
				    OCFS2_DIR_REC_LEN(de->name_len) : 0;

		if (name && entry_is(de, name)) {
			*off = o;
			*prev = p;
			return true;
		}
		/* an entry running past @size (into a trailer) is no room */
		if (fit && *fit < 0 && rec - used >= need && o + rec <= size)
			*fit = o;
		p = o;
		o += rec;
	}
	return false;
}

static int check_inline(struct inode *dir, struct buffer_head *dir_bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	struct ocfs2_bad bad;

	if (!ocfs2_validate_dir_block(di->id2.i_data.id_data, dir->i_size,
				      &bad))
		return 0;
	return ocfs2_corrupt_block(dir->i_sb, __func__, OCFS2_I(dir)->blkno,
				   &bad);
}

static void pos_set_inline(struct inode *dir, struct buffer_head *dir_bh,
			   struct ocfs2_dir_pos *pos)
{
	get_bh(dir_bh);
	pos->bh = dir_bh;
	pos->base = INLINE_BASE;
	pos->size = dir->i_size;
}

static void pos_set_block(struct inode *dir, struct buffer_head *bh,
			  struct ocfs2_dir_pos *pos)
{
	get_bh(bh);
	pos->bh = bh;
	pos->base = 0;
	pos->size = ocfs2_dir_block_bytes(dir);
}

/*
 * Every block of an unindexed directory: the name must not be in any;
 * with @need, the first block with room is kept in @pos; without, the
 * block holding @name is.
 */
static int scan_blocks(struct inode *dir, const struct qstr *name,
		       unsigned int need, struct ocfs2_dir_pos *pos)
{
	u64 iblock, nblocks = dir->i_size >> dir->i_blkbits;
	unsigned int size = ocfs2_dir_block_bytes(dir), off;
	struct buffer_head *bh;
	int ret, fit, prev;

	for (iblock = 0; iblock < nblocks; iblock++) {
		ret = ocfs2_read_dir_block(dir, iblock, &bh);
		if (ret)
			return ret;
		fit = pos->bh ? 0 : -1;
		if (ocfs2_dir_scan((u8 *)bh->b_data, size, name, need,
				   need ? &fit : NULL, &off, &prev)) {
			if (need) {
				brelse(bh);
				return -EEXIST;
			}
			pos_set_block(dir, bh, pos);
			pos->off = off;
			pos->prev = prev;
			brelse(bh);
			return 0;
		}
		if (need && fit >= 0 && !pos->bh) {
			pos_set_block(dir, bh, pos);
			pos->off = fit;
		}
		brelse(bh);
	}
	return need && pos->bh ? 0 : need ? -ENOSPC : -ENOENT;
}

/*
 * One search for room; *@growable says whether a new block would give
 * some (an index leaf that is full would not).
 */
static int find_slot_once(struct inode *dir, struct buffer_head *dir_bh,
			  const struct qstr *name, struct ocfs2_dir_pos *pos,
			  bool *growable)
{
	unsigned int need = OCFS2_DIR_REC_LEN(name->len), off;
	int ret, fit = -1, prev;

	memset(pos, 0, sizeof(*pos));
	*growable = true;
	if (!changes_allowed(dir))
		return -EOPNOTSUPP;
	if (OCFS2_I(dir)->dyn_features & OCFS2_INDEXED_DIR_FL)
		return ocfs2_dx_find_space(dir, name, pos, growable);
	if (!ocfs2_inode_is_inline(dir)) {
		ret = scan_blocks(dir, name, need, pos);
		if (ret)
			ocfs2_dir_pos_release(pos);
		return ret;
	}
	ret = check_inline(dir, dir_bh);
	if (ret)
		return ret;
	pos_set_inline(dir, dir_bh, pos);
	if (ocfs2_dir_scan(pos_data(pos), pos->size, name, need, &fit, &off,
			   &prev))
		ret = -EEXIST;
	else if (fit < 0)
		ret = -ENOSPC;
	pos->off = fit;
	if (ret)
		ocfs2_dir_pos_release(pos);
	return ret;
}

/*
 * Find where @name would go in @dir: -EEXIST if it is there.  A full
 * directory grows (dir_grow.c) unless a transaction is running (the
 * callers that search inside one checked for room before starting it);
 * -ENOSPC when it cannot.  Release @pos with ocfs2_dir_pos_release().
 */
int ocfs2_dir_find_slot(struct inode *dir, struct buffer_head *dir_bh,
			const struct qstr *name, struct ocfs2_dir_pos *pos)
{
	bool growable;
	int ret, tries;

	ret = find_slot_once(dir, dir_bh, name, pos, &growable);
	/* an inline directory may need a second block for a long name */
	for (tries = 0; ret == -ENOSPC && growable && tries < 2; tries++) {
		/* growing leaves inline data: only where blocks may change */
		if (journal_current_handle() || !READ_ONCE(block_dir_changes))
			break;
		ret = ocfs2_dir_grow(dir, dir_bh);
		if (!ret)
			ret = find_slot_once(dir, dir_bh, name, pos, &growable);
	}
	return ret;
}

/* Changes to entries outside the inode block still change its times. */
static int touch_dir_block(handle_t *handle, struct inode *dir,
			   struct buffer_head *dir_bh)
{
	int ret = ocfs2_journal_access(handle, dir_bh);

	if (ret)
		return ret;
	ocfs2_touch_dir(dir, (struct ocfs2_dinode *)dir_bh->b_data);
	ocfs2_journal_dirty(handle, dir_bh);
	return 0;
}

/* Called in a transaction, with @pos from ocfs2_dir_find_slot(). */
int ocfs2_dir_insert(handle_t *handle, struct inode *dir,
		     struct buffer_head *dir_bh, struct ocfs2_dir_pos *pos,
		     const struct qstr *name, u64 ino, umode_t mode)
{
	struct ocfs2_dir_entry *de, *new;
	unsigned int rec, used;
	int ret;

	ret = ocfs2_journal_access(handle, pos->bh);
	if (!ret && pos->dx.root_bh)
		ret = ocfs2_dx_insert_entry(handle, dir, pos);
	if (ret)
		return ret;
	de = (struct ocfs2_dir_entry *)(pos_data(pos) + pos->off);
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
	if (pos->dx.root_bh)
		ocfs2_dx_block_changed(handle, dir, pos, false);
	if (pos->bh == dir_bh)
		ocfs2_touch_dir(dir, (struct ocfs2_dinode *)dir_bh->b_data);
	ocfs2_journal_dirty(handle, pos->bh);
	return pos->bh == dir_bh ? 0 : touch_dir_block(handle, dir, dir_bh);
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
 * Find @name for removal (or for pointing it elsewhere): the block, the
 * offset of its entry and of the entry before it (-1 when first), and
 * its inode number.  Release @pos with ocfs2_dir_pos_release().
 */
int ocfs2_dir_find_for_remove(struct inode *dir, struct buffer_head *dir_bh,
			      const struct qstr *name,
			      struct ocfs2_dir_pos *pos)
{
	const struct ocfs2_dir_entry *de;
	int ret;

	memset(pos, 0, sizeof(*pos));
	if (!changes_allowed(dir))
		return -EOPNOTSUPP;
	if (OCFS2_I(dir)->dyn_features & OCFS2_INDEXED_DIR_FL) {
		ret = ocfs2_dx_locate(dir, name, pos);
	} else if (!ocfs2_inode_is_inline(dir)) {
		ret = scan_blocks(dir, name, 0, pos);
	} else {
		ret = check_inline(dir, dir_bh);
		if (ret)
			return ret;
		pos_set_inline(dir, dir_bh, pos);
		if (!ocfs2_dir_scan(pos_data(pos), pos->size, name, 0, NULL,
				    &pos->off, &pos->prev))
			ret = -ENOENT;
	}
	if (ret) {
		ocfs2_dir_pos_release(pos);
		return ret;
	}
	de = (const struct ocfs2_dir_entry *)(pos_data(pos) + pos->off);
	pos->ino = le64_to_cpu(de->inode);
	return 0;
}

/* Called in a transaction: the entry's space goes to the one before. */
int ocfs2_dir_remove(handle_t *handle, struct inode *dir,
		     struct buffer_head *dir_bh, struct ocfs2_dir_pos *pos)
{
	struct ocfs2_dir_entry *de, *prev;
	bool was_full;
	int ret;

	ret = ocfs2_journal_access(handle, pos->bh);
	if (!ret && pos->dx.root_bh)
		ret = ocfs2_dx_remove_entry(handle, dir, pos, &was_full);
	if (ret)
		return ret;
	de = (struct ocfs2_dir_entry *)(pos_data(pos) + pos->off);
	if (pos->prev >= 0) {
		prev = (struct ocfs2_dir_entry *)(pos_data(pos) + pos->prev);
		le16_add_cpu(&prev->rec_len, le16_to_cpu(de->rec_len));
	}
	de->inode = 0;
	if (pos->dx.root_bh)
		ocfs2_dx_block_changed(handle, dir, pos, was_full);
	if (pos->bh == dir_bh)
		ocfs2_touch_dir(dir, (struct ocfs2_dinode *)dir_bh->b_data);
	ocfs2_journal_dirty(handle, pos->bh);
	return pos->bh == dir_bh ? 0 : touch_dir_block(handle, dir, dir_bh);
}

/* Called in a transaction: the entry at @pos now names @ino. */
int ocfs2_dir_set_entry(handle_t *handle, struct inode *dir,
			struct buffer_head *dir_bh,
			const struct ocfs2_dir_pos *pos, u64 ino, umode_t mode)
{
	struct ocfs2_dir_entry *de;
	int ret;

	ret = ocfs2_journal_access(handle, pos->bh);
	if (ret)
		return ret;
	de = (struct ocfs2_dir_entry *)(pos_data(pos) + pos->off);
	de->inode = cpu_to_le64(ino);
	de->file_type = fs_umode_to_ftype(mode);
	if (pos->bh == dir_bh)
		ocfs2_touch_dir(dir, (struct ocfs2_dinode *)dir_bh->b_data);
	ocfs2_journal_dirty(handle, pos->bh);
	return pos->bh == dir_bh ? 0 : touch_dir_block(handle, dir, dir_bh);
}

static int count_live(void *arg, const struct ocfs2_dir_entry *de)
{
	unsigned int *live = arg;

	return ++*live > 2 ? 1 : 0;
}

/*
 * A directory is empty when only "." and ".." are live.  Called with its
 * meta lock held; a directory that cannot be read is not empty.
 */
bool ocfs2_dir_is_empty(struct inode *dir, struct buffer_head *bh)
{
	unsigned int live = 0;

	return !ocfs2_dir_walk(dir, count_live, &live) && live <= 2;
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

/*
 * Called in a transaction: a directory moved to @parent.  @dir_bh is its
 * inode block (holding the entries when the directory is inline).
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
		ret = ocfs2_read_dir_block(dir, 0, &bh);
		if (ret)
			return ret;
		dotdot = find_dotdot((u8 *)bh->b_data,
				     ocfs2_dir_block_bytes(dir));
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
