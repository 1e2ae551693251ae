// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 2: directory entries.  Walk every directory's entries (inline or
 * in blocks), check lengths, names, the inodes they name and the file
 * types; count references for pass 4 and remember who names each
 * directory for pass 3.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

/* The names seen so far in one directory, to find duplicates. */
struct name_set {
	struct name_node **bucket;
	unsigned int nbuckets;
};

struct name_node {
	struct name_node *next;
	u8 len;
	char name[];
};

struct dir_walk {
	struct fsck_ctx *ctx;
	u64 dir;
	bool first_area;	/* holds "." and ".." */
	bool orphan_dir;
	bool indexed;		/* renaming would leave the index stale */
	bool dirty;
	struct name_set names;
	struct dx_dir *dx;	/* the index, when it could be read */
};

static unsigned int name_hash(const char *name, u8 len, unsigned int n)
{
	unsigned int h = 5381;

	while (len--)
		h = h * 33 + (unsigned char)*name++;
	return h % n;
}

static bool names_has(struct name_set *s, const char *name, u8 len)
{
	struct name_node *nn;

	if (!s->bucket)
		return false;
	for (nn = s->bucket[name_hash(name, len, s->nbuckets)]; nn; nn = nn->next)
		if (nn->len == len && !memcmp(nn->name, name, len))
			return true;
	return false;
}

/* Remember a name; out of memory only weakens the duplicate check. */
static void names_add(struct name_set *s, const char *name, u8 len)
{
	struct name_node *nn;
	unsigned int h;

	if (!s->bucket) {
		s->nbuckets = 1021;
		s->bucket = calloc(s->nbuckets, sizeof(*s->bucket));
		if (!s->bucket)
			return;
	}
	nn = malloc(sizeof(*nn) + len);
	if (!nn)
		return;
	nn->len = len;
	memcpy(nn->name, name, len);
	h = name_hash(name, len, s->nbuckets);
	nn->next = s->bucket[h];
	s->bucket[h] = nn;
}

static void names_free(struct name_set *s)
{
	unsigned int i;

	for (i = 0; s->bucket && i < s->nbuckets; i++)
		while (s->bucket[i]) {
			struct name_node *nn = s->bucket[i];

			s->bucket[i] = nn->next;
			free(nn);
		}
	free(s->bucket);
	s->bucket = NULL;
}

/*
 * A new name for a duplicate, same length so it stays in place: the last
 * one or two characters cycle through digits and letters until the name
 * is unused.  False if every candidate is taken.
 */
static bool unique_rename(struct name_set *s, char *name, u8 len)
{
	static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	unsigned int n = sizeof(alphabet) - 1, i, j;

	for (i = 0; i < n; i++) {
		name[len - 1] = alphabet[i];
		if (!names_has(s, name, len))
			return true;
	}
	for (i = 0; len > 1 && i < n; i++)
		for (j = 0; j < n; j++) {
			name[len - 2] = alphabet[i];
			name[len - 1] = alphabet[j];
			if (!names_has(s, name, len))
				return true;
		}
	return false;
}

static void check_duplicate(struct dir_walk *w, struct ocfs2_dir_entry *de)
{
	char name[256];

	if (!names_has(&w->names, de->name, de->name_len)) {
		names_add(&w->names, de->name, de->name_len);
		return;
	}
	if (!fix_problem(w->ctx, PR_DIRENT_DUPLICATE,
			 "Duplicate directory entry '%.*s' found in directory inode %llu",
			 de->name_len, de->name, (unsigned long long)w->dir))
		return;
	memcpy(name, de->name, de->name_len);
	if (w->indexed || !unique_rename(&w->names, name, de->name_len)) {
		printf("Not renamed (%s)\n", w->indexed ?
		       "the directory index would go stale" : "no free name");
		w->ctx->fixed--;
		return;
	}
	printf("Entry renamed to '%.*s'\n", de->name_len, name);
	memcpy(de->name, name, de->name_len);
	names_add(&w->names, de->name, de->name_len);
	w->dirty = true;
}

static bool is_dot(const struct ocfs2_dir_entry *de, int n)
{
	return de->name_len == n && !memcmp(de->name, "..", n);
}

static void clear_entry(struct ocfs2_dir_entry *de, struct dir_walk *w)
{
	de->inode = 0;
	w->dirty = true;
}

static void check_dots(struct dir_walk *w, struct ocfs2_dir_entry *de,
		       int index)
{
	struct fsck_ctx *ctx = w->ctx;
	struct inode_info *self = ii_get(ctx, w->dir, false);

	if (index == 0) {
		if (!is_dot(de, 1))
			return;
		if (le64_to_cpu(de->inode) != w->dir &&
		    fix_problem(ctx, PR_DIRENT_DOT_INODE,
				"The '.' entry in directory inode %llu points to inode %llu instead of itself",
				(unsigned long long)w->dir,
				(unsigned long long)le64_to_cpu(de->inode))) {
			de->inode = cpu_to_le64(w->dir);
			w->dirty = true;
		}
		if (self)
			self->refs++;
		return;
	}
	if (self)
		self->parent = le64_to_cpu(de->inode);
}

static u8 expected_type(struct inode_info *ii)
{
	return ocfs2_mode_to_ftype(ii->mode);
}

static void check_target(struct dir_walk *w, struct ocfs2_dir_entry *de)
{
	struct fsck_ctx *ctx = w->ctx;
	u64 ino = le64_to_cpu(de->inode);
	struct inode_info *ii;

	if (ino <= OCFS2_SUPER_BLOCK_BLKNO || ino >= ctx->fs->blocks) {
		if (fix_problem(ctx, PR_DIRENT_INODE_RANGE,
				"Directory entry '%.*s' in directory inode %llu references inode %llu, outside the volume",
				de->name_len, de->name,
				(unsigned long long)w->dir,
				(unsigned long long)ino))
			clear_entry(de, w);
		return;
	}
	ii = ii_get(ctx, ino, false);
	if (!ii || (ii->flags & II_BAD)) {
		if (fix_problem(ctx, PR_DIRENT_INODE_FREE,
				"Directory entry '%.*s' in directory inode %llu refers to inode %llu which isn't allocated",
				de->name_len, de->name,
				(unsigned long long)w->dir,
				(unsigned long long)ino))
			clear_entry(de, w);
		return;
	}
	if (de->file_type != expected_type(ii) &&
	    fix_problem(ctx, PR_DIRENT_TYPE,
			"Directory entry '%.*s' in directory inode %llu has file type %u but inode %llu is type %u",
			de->name_len, de->name, (unsigned long long)w->dir,
			de->file_type, (unsigned long long)ino,
			expected_type(ii))) {
		de->file_type = expected_type(ii);
		w->dirty = true;
	}
	if (ii->flags & II_DIR) {
		if (ii->found_in && ii->found_in != w->dir) {
			if (fix_problem(ctx, PR_DIR_PARENT_DUP,
					"Directory inode %llu is named by directory %llu and also by '%.*s' in directory %llu",
					(unsigned long long)ino,
					(unsigned long long)ii->found_in,
					de->name_len, de->name,
					(unsigned long long)w->dir))
				clear_entry(de, w);
			return;
		}
		ii->found_in = w->dir;
	} else if (!ii->found_in) {
		ii->found_in = w->dir;
	}
	if (w->orphan_dir)
		ii->flags |= II_ORPHAN;
	ii->refs++;
}

static void check_name(struct dir_walk *w, struct ocfs2_dir_entry *de)
{
	int i;
	bool bad = false;

	for (i = 0; i < de->name_len; i++)
		bad |= de->name[i] == '/' || de->name[i] == '\0';
	if (bad && fix_problem(w->ctx, PR_DIRENT_NAME_CHARS,
			       "Directory entry in directory inode %llu has a name with '/' or NUL in it",
			       (unsigned long long)w->dir)) {
		for (i = 0; i < de->name_len; i++)
			if (de->name[i] == '/' || de->name[i] == '\0')
				de->name[i] = '.';
		w->dirty = true;
	}
}

/* Check the entries of one area of @bytes (a block, or inline data). */
static void walk_area(struct dir_walk *w, char *area, unsigned int bytes,
		      u64 blkno)
{
	struct fsck_ctx *ctx = w->ctx;
	unsigned int off = 0;
	int index = 0;

	while (off < bytes) {
		struct ocfs2_dir_entry *de = (void *)(area + off);
		unsigned int left = bytes - off, rec_len;

		rec_len = left >= 12 ? le16_to_cpu(de->rec_len) : 0;
		if (rec_len < OCFS2_DIR_REC_LEN(1) || rec_len > left ||
		    (rec_len & 3) ||
		    OCFS2_DIR_REC_LEN(de->name_len) > rec_len) {
			if (!fix_problem(ctx, PR_DIRENT_LENGTH,
					 "Directory entry at offset %u of block %llu in directory inode %llu has bad lengths (rec_len %u, name_len %u)",
					 off, (unsigned long long)blkno,
					 (unsigned long long)w->dir, rec_len,
					 left >= 12 ? de->name_len : 0))
				return;
			if (left < 12)
				return;	/* cannot happen: areas are 4-aligned */
			de->rec_len = cpu_to_le16(left);
			de->inode = 0;
			w->dirty = true;
			return;
		}
		if (de->inode) {
			if (!de->name_len) {
				if (fix_problem(ctx, PR_DIRENT_ZERO,
						"Directory entry at offset %u in directory inode %llu has a zero-length name",
						off, (unsigned long long)w->dir))
					clear_entry(de, w);
			} else if (w->first_area && index < 2) {
				check_dots(w, de, index);
			} else {
				check_name(w, de);
				check_duplicate(w, de);
				check_target(w, de);
				if (de->inode)
					fsck_dx_check_entry(w->dx, de, blkno);
			}
		}
		off += rec_len;
		index++;
	}
}

static void check_trailer(struct dir_walk *w, char *buf, u64 blkno)
{
	struct fsck_ctx *ctx = w->ctx;
	struct ocfs2_dir_block_trailer *t = (void *)
		(buf + ocfs2_dir_trailer_offset(ctx->fs->bs));

	if (memcmp(t->db_signature, OCFS2_DIR_TRAILER_SIGNATURE, 8))
		return;	/* an old-style block: entries reach the end */
	if (le64_to_cpu(t->db_blkno) != blkno &&
	    fix_problem(ctx, PR_DIR_TRAILER_BLKNO,
			"Directory block %llu's trailer records block %llu",
			(unsigned long long)blkno,
			(unsigned long long)le64_to_cpu(t->db_blkno))) {
		t->db_blkno = cpu_to_le64(blkno);
		w->dirty = true;
	}
	if (le16_to_cpu(t->db_compat_rec_len) != sizeof(*t) &&
	    fix_problem(ctx, PR_DIR_TRAILER_REC_LEN,
			"Directory block %llu's trailer has rec_len %u",
			(unsigned long long)blkno,
			le16_to_cpu(t->db_compat_rec_len))) {
		t->db_compat_rec_len = cpu_to_le16(sizeof(*t));
		w->dirty = true;
	}
	if (le64_to_cpu(t->db_parent_dinode) != w->dir &&
	    fix_problem(ctx, PR_DIR_TRAILER_PARENT_INODE,
			"Directory block %llu's trailer names inode %llu as its directory, not %llu",
			(unsigned long long)blkno,
			(unsigned long long)le64_to_cpu(t->db_parent_dinode),
			(unsigned long long)w->dir)) {
		t->db_parent_dinode = cpu_to_le64(w->dir);
		w->dirty = true;
	}
}

static int walk_block(struct dir_walk *w, u64 pblk, char *buf)
{
	struct ocfs2_fs *fs = w->ctx->fs;
	unsigned int usable = fs->bs;
	struct ocfs2_dir_block_trailer *t;
	int ret;

	ret = io_read_blocks(fs->io, pblk, 1, buf);
	if (ret)
		return ret;
	t = (void *)(buf + ocfs2_dir_trailer_offset(fs->bs));
	if (ocfs2_dir_has_trailer(fs) &&
	    !memcmp(t->db_signature, OCFS2_DIR_TRAILER_SIGNATURE, 8)) {
		usable = ocfs2_dir_trailer_offset(fs->bs);
		if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_META_ECC) &&
		    ocfs2_block_check_validate(buf, fs->bs, &t->db_check) < 0 &&
		    fix_problem(w->ctx, PR_BAD_CRC32,
				"Directory block %llu fails its checksum",
				(unsigned long long)pblk))
			w->dirty = true;
		check_trailer(w, buf, pblk);
	}
	walk_area(w, buf, usable, pblk);
	return 0;
}

static int walk_dir_blocks(struct dir_walk *w, struct ocfs2_dinode *di,
			   char *buf)
{
	struct fsck_ctx *ctx = w->ctx;
	struct ocfs2_fs *fs = ctx->fs;
	u64 blocks = le64_to_cpu(di->i_size) >> fs->bbits, b;
	int ret = 0;

	for (b = 0; b < blocks && !ret; b++) {
		u64 pblk;
		u32 contig;
		u8 flags;

		ret = ocfs2_extent_map(fs, &di->id2.i_list,
				       (u32)((b << fs->bbits) >> fs->cbits),
				       &pblk, &contig, &flags);
		if (ret || !pblk)
			break;
		pblk += b & ((fs->cs >> fs->bbits) - 1);
		w->dirty = false;
		ret = walk_block(w, pblk, buf);
		if (!ret && w->dirty)
			ret = fsck_write(ctx, OCFS2_BLK_DIR, pblk, buf);
		w->first_area = false;
	}
	return ret;
}

static int check_dir(struct fsck_ctx *ctx, struct inode_info *ii,
		     struct ocfs2_dinode *di, char *buf)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct dir_walk w = { .ctx = ctx, .dir = ii->blkno, .first_area = true };
	int ret, slot;

	for (slot = 0; slot < le16_to_cpu(fs->sb->s_max_slots); slot++)
		if (ctx->sys_alloc[ORPHAN_DIR_SYSTEM_INODE][slot] == ii->blkno)
			w.orphan_dir = true;
	w.indexed = le16_to_cpu(di->i_dyn_features) & OCFS2_INDEXED_DIR_FL;
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_DATA_FL) {
		unsigned int n = le64_to_cpu(di->i_size);

		ret = 0;
		if (n > ocfs2_max_inline_data(fs->bs))
			n = ocfs2_max_inline_data(fs->bs);
		walk_area(&w, (char *)di->id2.i_data.id_data, n & ~3U,
			  ii->blkno);
		if (w.dirty)
			ret = fsck_write(ctx, OCFS2_BLK_INODE, ii->blkno, di);
	} else {
		if (w.indexed)
			fsck_dx_load(ctx, di, &w.dx);
		ret = walk_dir_blocks(&w, di, buf);
		fsck_dx_free(w.dx);
	}
	names_free(&w.names);
	return ret;
}

int fsck_pass2(struct fsck_ctx *ctx)
{
	struct ocfs2_dinode *di = io_alloc(ctx->fs->bs);
	char *buf = io_alloc(ctx->fs->bs);
	size_t i;
	int ret = 0;

	printf("Pass 2: Checking directory entries\n");
	if (!di || !buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < ctx->inode_cap; i++) {
		struct inode_info *ii = &ctx->inodes[i];

		if (!ii->blkno || !(ii->flags & II_DIR) ||
		    (ii->flags & II_BAD))
			continue;
		/* a checksum -n left alone must not hide the entries */
		if (io_read_blocks(ctx->fs->io, ii->blkno, 1, di))
			continue;
		ret = check_dir(ctx, ii, di, buf);
		if (ret)
			fprintf(stderr, "fsck.ocfs2: directory %llu: %s\n",
				(unsigned long long)ii->blkno, strerror(-ret));
		ret = 0;
	}
out:
	free(di);
	free(buf);
	return ret;
}
