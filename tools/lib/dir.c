// SPDX-License-Identifier: GPL-2.0
/*
 * Directories: walk the entries of inline and block directories (indexed
 * directories keep all names in their ordinary blocks too, so the walk
 * covers them), look names up, and lay out new directory blocks.
 */
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

u8 ocfs2_mode_to_ftype(u16 mode)
{
	switch (mode & 0170000) {
	case 0100000: return OCFS2_FT_REG_FILE;
	case 0040000: return OCFS2_FT_DIR;
	case 0020000: return OCFS2_FT_CHRDEV;
	case 0060000: return OCFS2_FT_BLKDEV;
	case 0010000: return OCFS2_FT_FIFO;
	case 0140000: return OCFS2_FT_SOCK;
	case 0120000: return OCFS2_FT_SYMLINK;
	}
	return OCFS2_FT_UNKNOWN;
}

/* Bytes of a directory block that hold entries (the rest is trailer). */
unsigned int ocfs2_dir_usable_bytes(const struct ocfs2_fs *fs)
{
	return ocfs2_dir_has_trailer(fs) ?
		ocfs2_dir_trailer_offset(fs->bs) : fs->bs;
}

static int walk_entries(struct ocfs2_fs *fs, char *buf, unsigned int bytes,
			u64 blkno, ocfs2_dirent_fn fn, void *ctx)
{
	unsigned int off = 0;
	int ret;

	ret = ocfs2_validate_dir_block(buf, bytes, &fs->last_bad);
	if (ret) {
		fs->last_bad_blkno = blkno;
		return ret;
	}
	while (off < bytes) {
		struct ocfs2_dir_entry *de = (void *)(buf + off);

		if (le64_to_cpu(de->inode)) {
			ret = fn(fs, de, blkno, off, ctx);
			if (ret)
				return ret;
		}
		off += le16_to_cpu(de->rec_len);
	}
	return 0;
}

/*
 * Call @fn for every live entry.  @fn returns 0 to continue, >0 to stop
 * (passed back), <0 on error.
 */
int ocfs2_dir_iterate(struct ocfs2_fs *fs, struct ocfs2_dinode *dir,
		      ocfs2_dirent_fn fn, void *ctx)
{
	u64 size = le64_to_cpu(dir->i_size), blk;
	unsigned int usable = ocfs2_dir_usable_bytes(fs);
	char *buf;
	int ret = 0;

	if ((le16_to_cpu(dir->i_mode) & 0170000) != 0040000)
		return -ENOTDIR;
	if (le16_to_cpu(dir->i_dyn_features) & OCFS2_INLINE_DATA_FL) {
		unsigned int n = le16_to_cpu(dir->id2.i_data.id_count);

		if (n > ocfs2_max_inline_data(fs->bs) || size > n)
			return -EUCLEAN;
		return walk_entries(fs, (char *)dir->id2.i_data.id_data,
				    (unsigned int)size,
				    le64_to_cpu(dir->i_blkno), fn, ctx);
	}
	buf = io_alloc(fs->bs);
	if (!buf)
		return -ENOMEM;
	for (blk = 0; blk < (size >> fs->bbits) && !ret; blk++) {
		u64 pblk;
		u32 contig;
		u8 flags;

		ret = ocfs2_extent_map(fs, &dir->id2.i_list,
				       (u32)((blk << fs->bbits) >> fs->cbits),
				       &pblk, &contig, &flags);
		if (ret || !pblk)
			break;
		pblk += blk & ((fs->cs >> fs->bbits) - 1);
		ret = ocfs2_read_meta(fs, OCFS2_BLK_DIR, pblk, buf);
		if (!ret)
			ret = walk_entries(fs, buf, usable, pblk, fn, ctx);
	}
	free(buf);
	return ret;
}

struct lookup_ctx {
	const char *name;
	size_t len;
	u64 ino;
};

static int lookup_one(struct ocfs2_fs *fs, struct ocfs2_dir_entry *de,
		      u64 blkno, unsigned int off, void *ctx)
{
	struct lookup_ctx *lc = ctx;

	(void)fs; (void)blkno; (void)off;
	if (de->name_len == lc->len && !memcmp(de->name, lc->name, lc->len)) {
		lc->ino = le64_to_cpu(de->inode);
		return 1;
	}
	return 0;
}

int ocfs2_lookup(struct ocfs2_fs *fs, u64 dir_blkno, const char *name,
		 size_t len, u64 *ino)
{
	struct lookup_ctx lc = { .name = name, .len = len };
	struct ocfs2_dinode *di;
	int ret;

	di = io_alloc(fs->bs);
	if (!di)
		return -ENOMEM;
	ret = ocfs2_read_inode(fs, dir_blkno, di);
	if (!ret)
		ret = ocfs2_dir_iterate(fs, di, lookup_one, &lc);
	free(di);
	if (ret < 0)
		return ret;
	if (!lc.ino)
		return -ENOENT;
	*ino = lc.ino;
	return 0;
}

/*
 * Resolve @path: "/a/b" from the root, "//name" from the system
 * directory (the debugfs convention), "<N>" as inode number N.
 */
int ocfs2_namei(struct ocfs2_fs *fs, const char *path, u64 *ino)
{
	u64 cur = le64_to_cpu(fs->sb->s_root_blkno);
	const char *p = path, *end;
	int ret, hops = 0;

	if (*p == '<') {
		char *e;
		unsigned long long v = strtoull(p + 1, &e, 0);

		if (*e != '>')
			return -EINVAL;
		*ino = v;
		return 0;
	}
	if (p[0] == '/' && p[1] == '/') {
		cur = le64_to_cpu(fs->sb->s_system_dir_blkno);
		p += 2;
	}
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		if (++hops > 4096)
			return -ELOOP;
		ret = ocfs2_lookup(fs, cur, p, end - p, &cur);
		if (ret)
			return ret;
		p = end;
	}
	*ino = cur;
	return 0;
}

/*
 * Append an entry at *@off in a block of @bytes usable bytes being built;
 * returns -ENOSPC when it does not fit.  ocfs2_dir_close_block() later
 * stretches the last entry to the end.
 */
int ocfs2_dir_fill(struct ocfs2_fs *fs, void *buf, unsigned int bytes,
		   unsigned int *off, u64 ino, const char *name, u8 type)
{
	size_t len = strlen(name);
	unsigned int need = OCFS2_DIR_REC_LEN(len);
	struct ocfs2_dir_entry *de;

	(void)fs;
	if (len > OCFS2_MAX_FILENAME_LEN)
		return -ENAMETOOLONG;
	if (*off + need > bytes)
		return -ENOSPC;
	de = (void *)((char *)buf + *off);
	memset(de, 0, need);
	de->inode = cpu_to_le64(ino);
	de->rec_len = cpu_to_le16(need);
	de->name_len = (u8)len;
	de->file_type = type;
	memcpy(de->name, name, len);
	*off += need;
	return 0;
}

/* Make the entries of a block tile it: the last one takes the rest. */
void ocfs2_dir_close_block(struct ocfs2_fs *fs, void *buf,
			   unsigned int bytes, unsigned int last_off)
{
	struct ocfs2_dir_entry *de = (void *)((char *)buf + last_off);

	(void)fs;
	de->rec_len = cpu_to_le16(bytes - last_off);
}

void ocfs2_dir_trailer_init(struct ocfs2_fs *fs, void *buf, u64 blkno,
			    u64 parent)
{
	struct ocfs2_dir_block_trailer *t = (void *)
		((char *)buf + ocfs2_dir_trailer_offset(fs->bs));

	memset(t, 0, sizeof(*t));
	t->db_compat_rec_len = cpu_to_le16(sizeof(*t));
	memcpy(t->db_signature, OCFS2_DIR_TRAILER_SIGNATURE,
	       sizeof(OCFS2_DIR_TRAILER_SIGNATURE));
	t->db_blkno = cpu_to_le64(blkno);
	t->db_parent_dinode = cpu_to_le64(parent);
}

/* Put an entry into free space of @area; true when it went in. */
static bool insert_in_area(char *area, unsigned int bytes, u64 ino,
			   const char *name, u8 type)
{
	unsigned int off = 0, need = OCFS2_DIR_REC_LEN(strlen(name));

	while (off + OCFS2_DIR_MEMBER_LEN <= bytes) {
		struct ocfs2_dir_entry *de = (void *)(area + off);
		unsigned int rec_len = le16_to_cpu(de->rec_len);
		unsigned int used = de->inode ?
			OCFS2_DIR_REC_LEN(de->name_len) : 0;
		struct ocfs2_dir_entry *ne = de;

		if (rec_len < OCFS2_DIR_MEMBER_LEN || rec_len > bytes - off)
			return false;
		if (rec_len - used < need) {
			off += rec_len;
			continue;
		}
		if (used) {
			de->rec_len = cpu_to_le16(used);
			ne = (void *)(area + off + used);
			ne->rec_len = cpu_to_le16(rec_len - used);
		}
		ne->inode = cpu_to_le64(ino);
		ne->name_len = (u8)strlen(name);
		ne->file_type = type;
		memcpy(ne->name, name, ne->name_len);
		return true;
	}
	return false;
}

static int add_to_block(struct ocfs2_fs *fs, struct ocfs2_dinode *dir,
			u64 b, u64 ino, const char *name, u8 type)
{
	char *buf = io_alloc(fs->bs);
	u64 pblk;
	u32 contig;
	u8 flags;
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = ocfs2_extent_map(fs, &dir->id2.i_list,
			       (u32)((b << fs->bbits) >> fs->cbits), &pblk,
			       &contig, &flags);
	if (!ret && !pblk)
		ret = -EUCLEAN;
	if (!ret) {
		pblk += b & ((fs->cs >> fs->bbits) - 1);
		ret = ocfs2_read_meta(fs, OCFS2_BLK_DIR, pblk, buf);
	}
	if (!ret)
		ret = insert_in_area(buf, ocfs2_dir_usable_bytes(fs), ino, name,
				     type) ? 1 : 0;
	if (ret == 1)
		ret = ocfs2_write_meta(fs, OCFS2_BLK_DIR, pblk, buf) ?: 1;
	free(buf);
	return ret;
}

/* Open a new block in the directory's last cluster, or in a new cluster. */
static int extend_dir(struct ocfs2_fs *fs, struct ocfs2_dinode *dir)
{
	u64 size = le64_to_cpu(dir->i_size), b = size >> fs->bbits, pblk;
	u32 clusters = le32_to_cpu(dir->i_clusters), start, got, contig;
	unsigned int usable = ocfs2_dir_usable_bytes(fs);
	struct ocfs2_dir_entry *de;
	char *buf;
	u8 flags;
	int ret = 0;

	if (size + fs->bs > (u64)clusters << fs->cbits) {
		ret = ocfs2_alloc_clusters(fs, 1, &start, &got);
		if (ret)
			return ret;
		ret = ocfs2_extent_list_append(&dir->id2.i_list, clusters,
				ocfs2_clusters_to_blocks(fs, start), 1, 0);
		if (ret)
			return ret == -ENOSPC ? -E2BIG : ret;
		le32_add_cpu(&dir->i_clusters, 1);
	}
	ret = ocfs2_extent_map(fs, &dir->id2.i_list,
			       (u32)((b << fs->bbits) >> fs->cbits), &pblk,
			       &contig, &flags);
	if (ret || !pblk)
		return ret ? ret : -EUCLEAN;
	pblk += b & ((fs->cs >> fs->bbits) - 1);
	buf = io_alloc(fs->bs);
	if (!buf)
		return -ENOMEM;
	de = (void *)buf;
	de->rec_len = cpu_to_le16(usable);
	if (ocfs2_dir_has_trailer(fs)) {
		struct ocfs2_dir_block_trailer *t = (void *)
			(buf + ocfs2_dir_trailer_offset(fs->bs));

		ocfs2_dir_trailer_init(fs, buf, pblk, le64_to_cpu(dir->i_blkno));
		t->db_free_rec_len = cpu_to_le16(usable);
	}
	ret = ocfs2_write_meta(fs, OCFS2_BLK_DIR, pblk, buf);
	free(buf);
	if (!ret)
		le64_add_cpu(&dir->i_size, fs->bs);
	return ret;
}

/*
 * Add an entry to directory @dir (not indexed), in free space or in a new
 * block at the end.  A full inline directory is -ENOSPC: turning it into a
 * block directory is not done here.
 */
int ocfs2_dir_add_entry(struct ocfs2_fs *fs, u64 dir, u64 ino,
			const char *name, u8 type)
{
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	u64 b, blocks;
	int ret;

	if (!di)
		return -ENOMEM;
	ret = ocfs2_read_inode(fs, dir, di);
	if (ret)
		goto out;
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INDEXED_DIR_FL) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_DATA_FL) {
		ret = insert_in_area((char *)di->id2.i_data.id_data,
				     (unsigned int)le64_to_cpu(di->i_size),
				     ino, name, type) ?
			ocfs2_write_inode(fs, dir, di) : -ENOSPC;
		goto out;
	}
	blocks = le64_to_cpu(di->i_size) >> fs->bbits;
	for (b = 0, ret = 0; b < blocks && !ret; b++)
		ret = add_to_block(fs, di, b, ino, name, type);
	if (ret)
		goto done;
	ret = extend_dir(fs, di);
	if (!ret)
		ret = add_to_block(fs, di, blocks, ino, name, type);
	if (ret == 1)
		ret = ocfs2_write_inode(fs, dir, di) ?: 1;
done:
	ret = ret == 1 ? 0 : ret;
out:
	free(di);
	return ret;
}
