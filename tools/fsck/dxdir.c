// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 2, indexed directories: every live entry must be findable through
 * the directory index, i.e. an index entry with the name's hashes must
 * point at the entry's block, or the kernel's lookups miss the name.  A
 * missing index entry is put back into the leaf the kernel would search
 * (the extent covering the major hash, the block picked by the minor
 * hash), when that leaf has room.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

struct dx_key {
	u32 major, minor;
	u64 blk;
};

/* A leaf extent of the index tree: cpos is a major-hash value. */
struct dx_leaf_rec {
	u32 cpos, clusters;
	u64 blkno;
};

struct dx_dir {
	struct fsck_ctx *ctx;
	u64 dir;
	struct ocfs2_dx_root_block *root;
	struct dx_key *keys;
	size_t nkeys, keycap;
	struct dx_leaf_rec *leaves;
	size_t nleaves, leafcap;
	u32 seed[4];
};

static int key_cmp(const void *a, const void *b)
{
	const struct dx_key *x = a, *y = b;

	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return (x->blk > y->blk) - (x->blk < y->blk);
}

static int add_keys(struct dx_dir *dx, const struct ocfs2_dx_entry_list *l,
		    unsigned int max)
{
	unsigned int i, used = le16_to_cpu(l->de_num_used);

	if (used > max)
		used = max;
	if (dx->nkeys + used > dx->keycap) {
		size_t cap = (dx->nkeys + used) * 2;
		struct dx_key *k = realloc(dx->keys, cap * sizeof(*k));

		if (!k)
			return -ENOMEM;
		dx->keys = k;
		dx->keycap = cap;
	}
	for (i = 0; i < used; i++) {
		struct dx_key *k = &dx->keys[dx->nkeys++];

		k->major = le32_to_cpu(l->de_entries[i].dx_major_hash);
		k->minor = le32_to_cpu(l->de_entries[i].dx_minor_hash);
		k->blk = le64_to_cpu(l->de_entries[i].dx_dirent_blk);
	}
	return 0;
}

static int collect_leaf_rec(struct ocfs2_fs *fs,
			    const struct ocfs2_extent_rec *rec, int depth,
			    u64 owner, void *arg)
{
	struct dx_dir *dx = arg;
	struct dx_leaf_rec *r;

	(void)fs; (void)owner;
	if (depth)
		return 0;
	if (dx->nleaves == dx->leafcap) {
		size_t cap = dx->leafcap ? dx->leafcap * 2 : 16;

		r = realloc(dx->leaves, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		dx->leaves = r;
		dx->leafcap = cap;
	}
	r = &dx->leaves[dx->nleaves++];
	r->cpos = le32_to_cpu(rec->e_cpos);
	r->clusters = le16_to_cpu(rec->e_leaf_clusters);
	r->blkno = le64_to_cpu(rec->e_blkno);
	return 0;
}

static int load_leaves(struct dx_dir *dx)
{
	struct ocfs2_fs *fs = dx->ctx->fs;
	struct ocfs2_dx_leaf *leaf = io_alloc(fs->bs);
	u32 bpc = fs->cs >> fs->bbits;
	size_t i;
	u64 b;
	int ret;

	if (!leaf)
		return -ENOMEM;
	ret = ocfs2_extent_iterate(fs, &dx->root->dr_list,
				   le64_to_cpu(dx->root->dr_blkno),
				   collect_leaf_rec, dx);
	for (i = 0; !ret && i < dx->nleaves; i++) {
		u64 first = dx->leaves[i].blkno;
		u64 n = (u64)dx->leaves[i].clusters * bpc;

		for (b = first; !ret && b < first + n; b++) {
			ret = ocfs2_read_meta(fs, OCFS2_BLK_DX_LEAF, b, leaf);
			if (!ret)
				ret = add_keys(dx, &leaf->dl_list,
					       ocfs2_dx_entries_per_leaf(fs->bs));
		}
	}
	free(leaf);
	return ret;
}

/*
 * Load @di's index; false when it cannot be read whole (pass 1 has said
 * so already), and then the entries are not checked against it.
 */
bool fsck_dx_load(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
		  struct dx_dir **out)
{
	struct ocfs2_fs *fs = ctx->fs;
	struct dx_dir *dx = calloc(1, sizeof(*dx));
	int i, ret;

	*out = NULL;
	if (!dx)
		return false;
	dx->ctx = ctx;
	dx->dir = le64_to_cpu(di->i_blkno);
	for (i = 0; i < 3; i++)
		dx->seed[i] = le32_to_cpu(fs->sb->s_dx_seed[i]);
	dx->seed[3] = le32_to_cpu(fs->sb->s_uuid_hash);
	dx->root = io_alloc(fs->bs);
	ret = dx->root ? ocfs2_read_meta(fs, OCFS2_BLK_DX_ROOT,
					 le64_to_cpu(di->i_dx_root), dx->root) :
			 -ENOMEM;
	if (!ret && (dx->root->dr_flags & OCFS2_DX_FLAG_INLINE))
		ret = add_keys(dx, &dx->root->dr_entries,
			       ocfs2_dx_entries_per_root(fs->bs));
	else if (!ret)
		ret = load_leaves(dx);
	if (ret) {
		fsck_dx_free(dx);
		return false;
	}
	qsort(dx->keys, dx->nkeys, sizeof(*dx->keys), key_cmp);
	*out = dx;
	return true;
}

void fsck_dx_free(struct dx_dir *dx)
{
	if (!dx)
		return;
	free(dx->root);
	free(dx->keys);
	free(dx->leaves);
	free(dx);
}

/* The leaf block the kernel searches for @major/@minor; 0 if none. */
static u64 leaf_for_hash(struct dx_dir *dx, u32 major, u32 minor)
{
	struct ocfs2_fs *fs = dx->ctx->fs;
	const struct dx_leaf_rec *r = NULL;
	u32 bpc = fs->cs >> fs->bbits, c;
	size_t i;

	for (i = dx->nleaves; i-- > 0;)
		if (dx->leaves[i].cpos <= major) {
			r = &dx->leaves[i];
			break;
		}
	if (!r || !r->clusters)
		return 0;
	c = major - r->cpos;
	if (c >= r->clusters)
		c = r->clusters - 1;	/* past the end: the last cluster */
	return r->blkno + (u64)c * bpc + (minor & (bpc - 1));
}

/* Append the missing key to its leaf (or the inline root) if it has room. */
static bool insert_key(struct dx_dir *dx, const struct dx_key *k)
{
	struct fsck_ctx *ctx = dx->ctx;
	struct ocfs2_fs *fs = ctx->fs;
	struct ocfs2_dx_leaf *leaf = NULL;
	struct ocfs2_dx_entry_list *l = &dx->root->dr_entries;
	u64 leaf_blk = 0;
	struct ocfs2_dx_entry *e;
	bool done = false;

	if (!(dx->root->dr_flags & OCFS2_DX_FLAG_INLINE)) {
		leaf_blk = leaf_for_hash(dx, k->major, k->minor);
		leaf = io_alloc(fs->bs);
		if (!leaf_blk || !leaf ||
		    ocfs2_read_meta(fs, OCFS2_BLK_DX_LEAF, leaf_blk, leaf))
			goto out;
		l = &leaf->dl_list;
	}
	if (le16_to_cpu(l->de_num_used) >= le16_to_cpu(l->de_count))
		goto out;
	e = &l->de_entries[le16_to_cpu(l->de_num_used)];
	e->dx_major_hash = cpu_to_le32(k->major);
	e->dx_minor_hash = cpu_to_le32(k->minor);
	e->dx_dirent_blk = cpu_to_le64(k->blk);
	le16_add_cpu(&l->de_num_used, 1);
	le32_add_cpu(&dx->root->dr_num_entries, 1);
	if (leaf && fsck_write(ctx, OCFS2_BLK_DX_LEAF, leaf_blk, leaf))
		goto out;
	done = !fsck_write(ctx, OCFS2_BLK_DX_ROOT,
			   le64_to_cpu(dx->root->dr_blkno), dx->root);
out:
	free(leaf);
	return done;
}

/* Entry @de of block @blk must have its index entry. */
void fsck_dx_check_entry(struct dx_dir *dx, const struct ocfs2_dir_entry *de,
			 u64 blk)
{
	struct ocfs2_dx_hinfo h;
	struct dx_key k;

	if (!dx)
		return;
	ocfs2_dx_name_hash(dx->seed, de->name, de->name_len, &h);
	k.major = h.major_hash;
	k.minor = h.minor_hash;
	k.blk = blk;
	if (bsearch(&k, dx->keys, dx->nkeys, sizeof(k), key_cmp))
		return;
	if (!fix_problem(dx->ctx, PR_DX_LOOKUP_FAILED,
			 "Directory inode %llu is missing an index entry for the file '%.*s' (hash 0x%08x/0x%08x, block %llu)",
			 (unsigned long long)dx->dir, de->name_len, de->name,
			 k.major, k.minor, (unsigned long long)blk))
		return;
	if (!insert_key(dx, &k)) {
		printf("The index leaf for it is full or unreadable; the entry stays unindexed\n");
		dx->ctx->fixed--;
	}
}
