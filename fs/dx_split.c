// SPDX-License-Identifier: GPL-2.0
/*
 * Making room in a directory index whose entry list for a new name is
 * full.  The index maps hash values to clusters of leaf blocks: the root's
 * extent records are keyed by major hash, and inside a cluster the minor
 * hash picks the block.  Two ways to grow, as the format expects:
 *
 *  - an inline root (its entries inside the root block) moves them into
 *    a new cluster of leaves mapped at hash 0, and becomes an extent root;
 *  - a full leaf splits its cluster: a new cluster is mapped at a split
 *    hash above the cluster's own start, and every entry of the old
 *    cluster at or above it moves to the leaf of the same index in the
 *    new one.  Lookups of hashes below the split still find the old
 *    cluster (the floor record), those above find the new one.
 *
 * The split hash is the median major hash of the full leaf, moved up past
 * the cluster's own start; a leaf whose entries all share one major hash
 * can only give up all of them, and when that hash is the new name's too
 * no split can help (-ENOSPC, as stock).  The root's extent list grows
 * as a file's does (extent_insert.c): past the root's few hundred records
 * it moves into extent blocks, as stock's does (with ocfs2.deep_trees).
 *
 * One transaction per step, committed before the name is looked for
 * again; a crash between leaves a valid, emptier index.  The caller holds
 * the directory's i_rwsem and meta lock exclusive, and no transaction.
 */
#include <linux/sort.h>
#include "extent_tree.h"

struct dx_room {
	struct inode		*dir;
	struct buffer_head	*root_bh;
	struct ocfs2_extent_root er;	/* when the root is not inline */
	u32			hash;		/* the new name's major hash */
	unsigned int		nleaves;	/* leaf blocks per cluster */
	struct buffer_head	**old;		/* the full leaf's cluster */
	struct buffer_head	**new;		/* the cluster being added */
	u32			*hashes;	/* scratch: a leaf's major hashes */
};

static struct ocfs2_dx_root_block *room_root(struct dx_room *r)
{
	return (struct ocfs2_dx_root_block *)r->root_bh->b_data;
}

static struct ocfs2_dx_entry_list *leaf_list(struct buffer_head *bh)
{
	return &((struct ocfs2_dx_leaf *)bh->b_data)->dl_list;
}

static void release_bhs(struct buffer_head **bhs, unsigned int n)
{
	unsigned int i;

	if (!bhs)
		return;
	for (i = 0; i < n; i++)
		brelse(bhs[i]);
	kfree(bhs);
}

/* A new cluster of empty leaves, under journal create access. */
static int new_leaf_cluster(handle_t *handle, struct dx_room *r, u64 *first)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(r->dir->i_sb);
	struct ocfs2_dx_leaf *dl;
	struct ocfs2_run run;
	unsigned int i;
	int ret;

	ret = ocfs2_claim_contig(handle, osb, 1, &run);
	if (ret)
		return ret;
	*first = (u64)run.cluster << osb->bpc_bits;
	for (i = 0; i < r->nleaves; i++) {
		ret = ocfs2_new_meta_block(handle, r->dir->i_sb, *first + i,
					   &r->new[i]);
		if (ret)
			return ret;
		dl = (struct ocfs2_dx_leaf *)r->new[i]->b_data;
		memcpy(dl->dl_signature, OCFS2_DX_LEAF_SIGNATURE,
		       sizeof(OCFS2_DX_LEAF_SIGNATURE));
		dl->dl_blkno = cpu_to_le64(*first + i);
		dl->dl_fs_generation = cpu_to_le32(osb->fs_generation);
		dl->dl_list.de_count =
			cpu_to_le16(ocfs2_dx_entries_per_leaf(r->dir->i_sb->s_blocksize));
	}
	return 0;
}

/*
 * With ocfs2.deep_trees off, a root list with no free record (or one
 * deeper than the root) gives -ENOSPC, as before.
 */
static int root_has_room(struct dx_room *r)
{
	struct ocfs2_dx_root_block *dr = room_root(r);
	const struct ocfs2_extent_list *el = &dr->dr_list;

	if ((dr->dr_flags & OCFS2_DX_FLAG_INLINE) || ocfs2_deep_trees())
		return 0;
	if (el->l_tree_depth ||
	    le16_to_cpu(el->l_next_free_rec) >= le16_to_cpu(el->l_count))
		return -ENOSPC;
	return 0;
}

/*
 * Map the cluster at @first for hashes from @cpos: a record of the root's
 * extent tree, which grows a level or splits a leaf when full.
 */
static int root_add_extent(handle_t *handle, struct dx_room *r, u32 cpos,
			   u64 first)
{
	ocfs2_er_dx_root(&r->er, r->dir, r->root_bh);
	return ocfs2_er_insert(handle, &r->er, cpos, first, 1, 0);
}

static void append_entry(struct ocfs2_dx_entry_list *list,
			 const struct ocfs2_dx_entry *e)
{
	list->de_entries[le16_to_cpu(list->de_num_used)] = *e;
	le16_add_cpu(&list->de_num_used, 1);
}

static unsigned int leaf_index(struct dx_room *r, const struct ocfs2_dx_entry *e)
{
	return le32_to_cpu(e->dx_minor_hash) & (r->nleaves - 1);
}

/* The inline entries go to their leaves; the root maps them at hash 0. */
static int expand_inline_root(handle_t *handle, struct dx_room *r)
{
	struct ocfs2_dx_root_block *dr = room_root(r);
	struct super_block *sb = r->dir->i_sb;
	struct ocfs2_dx_entry_list *list = &dr->dr_entries;
	unsigned int i, used = le16_to_cpu(list->de_num_used);
	u64 first;
	int ret;

	ret = new_leaf_cluster(handle, r, &first);
	if (ret)
		return ret;
	for (i = 0; i < used; i++) {
		const struct ocfs2_dx_entry *e = &list->de_entries[i];

		append_entry(leaf_list(r->new[leaf_index(r, e)]), e);
	}
	dr->dr_flags &= ~OCFS2_DX_FLAG_INLINE;
	memset(&dr->dr_list, 0,
	       sb->s_blocksize - offsetof(struct ocfs2_dx_root_block, dr_list));
	dr->dr_list.l_count =
		cpu_to_le16(ocfs2_extent_recs_per_dx_root(sb->s_blocksize));
	return root_add_extent(handle, r, 0, first);
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The split hash for a full leaf of the cluster starting at hash
 * @leaf_cpos, given the new name's major hash.
 */
static int choose_split(const struct ocfs2_dx_entry_list *list, u32 leaf_cpos,
			u32 hash, u32 *h, u32 *split)
{
	unsigned int i, n = le16_to_cpu(list->de_num_used);

	if (!n)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		h[i] = le32_to_cpu(list->de_entries[i].dx_major_hash);
	sort(h, n, sizeof(*h), cmp_u32, NULL);
	if (h[0] == h[n - 1]) {
		/* one hash only: move it all, or make room above it */
		if (h[0] == hash)
			return -ENOSPC;
		if (h[0] == leaf_cpos)
			*split = leaf_cpos + 1;
		else if (h[0] > hash)
			*split = h[0];
		else
			*split = hash;
		return 0;
	}
	for (i = n / 2; i < n && h[i] <= leaf_cpos; i++)
		;
	/* not all equal and none below leaf_cpos: one is above it */
	*split = i < n ? h[i] : h[n - 1];
	return *split > leaf_cpos ? 0 : -ENOSPC;
}

/* Entries at or above @split leave @from for @to; @from closes up. */
static void move_upper(struct ocfs2_dx_entry_list *from,
		       struct ocfs2_dx_entry_list *to, u32 split)
{
	unsigned int i, keep = 0, n = le16_to_cpu(from->de_num_used);

	for (i = 0; i < n; i++) {
		const struct ocfs2_dx_entry *e = &from->de_entries[i];

		if (le32_to_cpu(e->dx_major_hash) >= split)
			append_entry(to, e);
		else
			from->de_entries[keep++] = *e;
	}
	memset(&from->de_entries[keep], 0,
	       (n - keep) * sizeof(struct ocfs2_dx_entry));
	from->de_num_used = cpu_to_le16(keep);
}

/* The cluster holding the leaf for r->hash: first block and hash start. */
static int find_cluster(struct dx_room *r, u64 *start, u32 *leaf_cpos)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(r->dir->i_sb);
	struct ocfs2_leaf_floor floor;
	u32 cpos, clen, off;
	int ret;

	ret = ocfs2_find_leaf_floor(r->dir, &room_root(r)->dr_list, r->hash,
				    &floor);
	if (ret)
		return ret;
	cpos = le32_to_cpu(floor.rec.e_cpos);
	clen = le16_to_cpu(floor.rec.e_leaf_clusters);
	if (!clen || cpos > r->hash)
		return ocfs2_fs_error(r->dir->i_sb, __func__,
				      "directory %lu: index has no leaf for hash 0x%x",
				      r->dir->i_ino, r->hash);
	off = min(r->hash - cpos, clen - 1);
	*start = le64_to_cpu(floor.rec.e_blkno) + ((u64)off << osb->bpc_bits);
	*leaf_cpos = cpos + off;
	return 0;
}

static int read_old_cluster(handle_t *handle, struct dx_room *r, u64 start)
{
	unsigned int i;
	int ret;

	for (i = 0; i < r->nleaves; i++) {
		ret = ocfs2_read_covered(r->dir, start + i,
					 OCFS2_BLOCK_DX_LEAF, &r->old[i]);
		if (!ret)
			ret = ocfs2_journal_access(handle, r->old[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int split_leaf(handle_t *handle, struct dx_room *r, unsigned int minor)
{
	unsigned int i, idx = minor & (r->nleaves - 1);
	u32 leaf_cpos, split;
	u64 start, first;
	int ret;

	ret = find_cluster(r, &start, &leaf_cpos);
	if (!ret)
		ret = read_old_cluster(handle, r, start);
	if (!ret)
		ret = choose_split(leaf_list(r->old[idx]), leaf_cpos, r->hash,
				   r->hashes, &split);
	if (!ret)
		ret = new_leaf_cluster(handle, r, &first);
	if (ret)
		return ret;
	for (i = 0; i < r->nleaves; i++)
		move_upper(leaf_list(r->old[i]), leaf_list(r->new[i]), split);
	return root_add_extent(handle, r, split, first);
}

static void dirty_all(handle_t *handle, struct dx_room *r)
{
	unsigned int i;

	for (i = 0; i < r->nleaves; i++) {
		if (r->old[i])
			ocfs2_journal_dirty(handle, r->old[i]);
		if (r->new[i])
			ocfs2_journal_dirty(handle, r->new[i]);
	}
	ocfs2_journal_dirty(handle, r->root_bh);
}

static int make_room(struct dx_room *r, const struct ocfs2_dx_hinfo *h)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(r->dir->i_sb);
	bool was_inline = room_root(r)->dr_flags & OCFS2_DX_FLAG_INLINE;
	int depth = was_inline ? 0 :
		le16_to_cpu(room_root(r)->dr_list.l_tree_depth);
	handle_t *handle;
	int ret;

	ret = root_has_room(r);
	if (ret)
		return ret;
	/* root, both clusters of leaves, bitmap inode and group, the tree */
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 2 * r->nleaves + 8 +
					 ocfs2_insert_credits(depth));
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_journal_access(handle, r->root_bh);
	if (!ret && was_inline)
		ret = expand_inline_root(handle, r);
	else if (!ret)
		ret = split_leaf(handle, r, h->minor_hash);
	if (!ret)
		dirty_all(handle, r);
	/*
	 * No room before a cluster was taken changed nothing; any failure
	 * after it must not be half committed.
	 */
	if (ret == -ENOSPC && !r->new[0]) {
		ocfs2_commit_or_abort(osb, handle, OCFS2_AL_DATA, 0);
		return ret;
	}
	return ocfs2_commit_or_abort(osb, handle, OCFS2_AL_DATA, ret);
}

/*
 * The entry list for @h (in the root or a leaf) is full: make room in
 * one step (see above).  -ENOSPC when no split can give any.
 */
int ocfs2_dx_make_room(struct inode *dir, const struct ocfs2_dx_hinfo *h)
{
	struct dx_room r = { .dir = dir, .hash = h->major_hash };
	int ret;

	if (journal_current_handle())
		return -ENOSPC;
	r.nleaves = 1U << OCFS2_SB(dir->i_sb)->bpc_bits;
	r.old = kcalloc(r.nleaves, sizeof(*r.old), GFP_NOFS);
	r.new = kcalloc(r.nleaves, sizeof(*r.new), GFP_NOFS);
	r.hashes = kmalloc_array(ocfs2_dx_entries_per_leaf(dir->i_sb->s_blocksize),
				 sizeof(u32), GFP_NOFS);
	ret = -ENOMEM;
	if (!r.old || !r.new || !r.hashes)
		goto out;
	ret = ocfs2_read_covered(dir, OCFS2_I(dir)->dx_root,
				 OCFS2_BLOCK_DX_ROOT, &r.root_bh);
	if (!ret)
		ret = make_room(&r, h);
	brelse(r.root_bh);
out:
	release_bhs(r.old, r.nleaves);
	release_bhs(r.new, r.nleaves);
	kfree(r.hashes);
	return ret;
}
