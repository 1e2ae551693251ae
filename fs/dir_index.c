// SPDX-License-Identifier: GPL-2.0
/*
 * Indexed directories: name lookup through the hash index.  The index
 * root (inline entries, or an extent tree keyed by major hash) leads to a
 * leaf block chosen by the minor hash; its entries name the directory
 * block that holds the name.
 */
#include <ocfs2/dx_hash.h>
#include "ocfs2.h"

static int search_dx_entries(struct inode *dir,
			     const struct ocfs2_dx_entry_list *list,
			     const struct ocfs2_dx_hinfo *h, const char *name,
			     int len, struct ocfs2_dir_match *match)
{
	unsigned int i, used = le16_to_cpu(list->de_num_used);
	int ret;

	for (i = 0; i < used; i++) {
		const struct ocfs2_dx_entry *e = &list->de_entries[i];

		if (le32_to_cpu(e->dx_major_hash) != h->major_hash ||
		    le32_to_cpu(e->dx_minor_hash) != h->minor_hash)
			continue;
		ret = ocfs2_find_entry_at(dir, le64_to_cpu(e->dx_dirent_blk),
					  name, len, match);
		if (ret != -ENOENT)
			return ret;
	}
	return -ENOENT;
}

/* The leaf block for @h: the cluster by major hash, the block by minor. */
static int dx_leaf_blkno(struct inode *dir,
			 const struct ocfs2_dx_root_block *dr,
			 const struct ocfs2_dx_hinfo *h, u64 *blkno)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	struct ocfs2_leaf_floor floor;
	u32 cpos, clen, off;
	int ret;

	ret = ocfs2_find_leaf_floor(dir, &dr->dr_list, h->major_hash, &floor);
	if (ret)
		return ret;
	cpos = le32_to_cpu(floor.rec.e_cpos);
	clen = le16_to_cpu(floor.rec.e_leaf_clusters);
	if (!clen || cpos > h->major_hash)
		return ocfs2_fs_error(dir->i_sb, __func__,
				      "directory %lu: index has no leaf for hash 0x%x",
				      dir->i_ino, h->major_hash);
	off = h->major_hash - cpos;
	if (off >= clen)
		off = clen - 1;
	*blkno = le64_to_cpu(floor.rec.e_blkno) +
		 ((u64)off << osb->bpc_bits) +
		 (h->minor_hash & ((1U << osb->bpc_bits) - 1));
	return 0;
}

static int search_dx_leaf(struct inode *dir,
			  const struct ocfs2_dx_root_block *dr,
			  const struct ocfs2_dx_hinfo *h, const char *name,
			  int len, struct ocfs2_dir_match *match)
{
	struct ocfs2_dx_leaf *leaf;
	struct buffer_head *bh;
	u64 blkno;
	int ret;

	ret = dx_leaf_blkno(dir, dr, h, &blkno);
	if (ret)
		return ret;
	ret = ocfs2_read_covered(dir, blkno, OCFS2_BLOCK_DX_LEAF, &bh);
	if (ret)
		return ret;
	leaf = (struct ocfs2_dx_leaf *)bh->b_data;
	ret = search_dx_entries(dir, &leaf->dl_list, h, name, len, match);
	brelse(bh);
	return ret;
}

/* Called with the directory's meta lock held. */
int ocfs2_dx_find_entry(struct inode *dir, const char *name, int len,
			struct ocfs2_dir_match *match)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	struct ocfs2_dx_root_block *dr;
	struct ocfs2_dx_hinfo h;
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_read_covered(dir, OCFS2_I(dir)->dx_root,
				 OCFS2_BLOCK_DX_ROOT, &bh);
	if (ret)
		return ret;
	dr = (struct ocfs2_dx_root_block *)bh->b_data;
	if (le64_to_cpu(dr->dr_dir_blkno) != OCFS2_I(dir)->blkno) {
		ret = ocfs2_fs_error(dir->i_sb, __func__,
				     "directory %lu: index root %llu belongs to %llu",
				     dir->i_ino,
				     (unsigned long long)OCFS2_I(dir)->dx_root,
				     (unsigned long long)le64_to_cpu(dr->dr_dir_blkno));
		goto out;
	}
	ocfs2_dx_name_hash(osb->dx_seed, name, len, &h);
	if (dr->dr_flags & OCFS2_DX_FLAG_INLINE)
		ret = search_dx_entries(dir, &dr->dr_entries, &h, name, len,
					match);
	else
		ret = search_dx_leaf(dir, dr, &h, name, len, match);
out:
	brelse(bh);
	return ret;
}

/*
 * Changing indexed directories.  Every name has an index entry {hashes,
 * block holding the name}, appended to the entry list of its leaf (or of
 * the root while the index is inline); removal closes the gap.  Blocks
 * with room for a name are chained from the root's dr_free_blk through
 * their trailers' db_free_next, and each trailer's db_free_rec_len says
 * how large its largest hole is (0 when it has none worth a name).
 */

static struct ocfs2_dir_block_trailer *trailer_of(struct inode *dir,
						  struct buffer_head *bh)
{
	return (struct ocfs2_dir_block_trailer *)(bh->b_data +
		ocfs2_dir_trailer_offset(dir->i_sb->s_blocksize));
}

static int read_dx_root(struct inode *dir, const struct qstr *name,
			struct ocfs2_dir_pos *pos)
{
	struct ocfs2_dx_root_block *dr;
	int ret;

	ret = ocfs2_read_covered(dir, OCFS2_I(dir)->dx_root,
				 OCFS2_BLOCK_DX_ROOT, &pos->dx.root_bh);
	if (ret)
		return ret;
	dr = (struct ocfs2_dx_root_block *)pos->dx.root_bh->b_data;
	if (le64_to_cpu(dr->dr_dir_blkno) != OCFS2_I(dir)->blkno)
		return ocfs2_fs_error(dir->i_sb, __func__,
				      "directory %lu: index root %llu belongs to %llu",
				      dir->i_ino,
				      (unsigned long long)OCFS2_I(dir)->dx_root,
				      (unsigned long long)le64_to_cpu(dr->dr_dir_blkno));
	ocfs2_dx_name_hash(OCFS2_SB(dir->i_sb)->dx_seed, name->name,
			   name->len, &pos->dx.hinfo);
	return 0;
}

/* The entry list a name's index entry lives in (leaf read if needed). */
static int dx_list_for(struct inode *dir, struct ocfs2_dir_pos *pos,
		       struct ocfs2_dx_entry_list **list)
{
	struct ocfs2_dx_root_block *dr =
		(struct ocfs2_dx_root_block *)pos->dx.root_bh->b_data;
	u64 blkno;
	int ret;

	if (dr->dr_flags & OCFS2_DX_FLAG_INLINE) {
		*list = &dr->dr_entries;
		return 0;
	}
	ret = dx_leaf_blkno(dir, dr, &pos->dx.hinfo, &blkno);
	if (!ret)
		ret = ocfs2_read_covered(dir, blkno, OCFS2_BLOCK_DX_LEAF,
					 &pos->dx.leaf_bh);
	if (ret)
		return ret;
	*list = &((struct ocfs2_dx_leaf *)pos->dx.leaf_bh->b_data)->dl_list;
	return 0;
}

static int read_named_block(struct inode *dir, u64 blkno,
			    struct buffer_head **bhp)
{
	struct ocfs2_dir_block_trailer *tr;
	int ret;

	ret = ocfs2_read_covered(dir, blkno, OCFS2_BLOCK_DIR_TRAILER, bhp);
	if (ret)
		return ret;
	tr = trailer_of(dir, *bhp);
	if (le64_to_cpu(tr->db_parent_dinode) == OCFS2_I(dir)->blkno)
		return 0;
	brelse(*bhp);
	*bhp = NULL;
	return ocfs2_fs_error(dir->i_sb, __func__,
			      "directory %lu: block %llu belongs to %llu",
			      dir->i_ino, (unsigned long long)blkno,
			      (unsigned long long)le64_to_cpu(tr->db_parent_dinode));
}

/* Find @name through the index: its block, entry and index entry. */
int ocfs2_dx_locate(struct inode *dir, const struct qstr *name,
		    struct ocfs2_dir_pos *pos)
{
	struct ocfs2_dx_entry_list *list;
	struct buffer_head *bh;
	unsigned int i, size = ocfs2_dir_block_bytes(dir);
	int ret;

	ret = read_dx_root(dir, name, pos);
	if (!ret)
		ret = dx_list_for(dir, pos, &list);
	if (ret)
		return ret;
	for (i = 0; i < le16_to_cpu(list->de_num_used); i++) {
		const struct ocfs2_dx_entry *e = &list->de_entries[i];

		if (le32_to_cpu(e->dx_major_hash) != pos->dx.hinfo.major_hash ||
		    le32_to_cpu(e->dx_minor_hash) != pos->dx.hinfo.minor_hash)
			continue;
		ret = read_named_block(dir, le64_to_cpu(e->dx_dirent_blk), &bh);
		if (ret)
			return ret;
		if (ocfs2_dir_scan((u8 *)bh->b_data, size, name, 0, NULL,
				   &pos->off, &pos->prev)) {
			pos->bh = bh;
			pos->size = size;
			pos->dx.index = i;
			return 0;
		}
		brelse(bh);
	}
	return -ENOENT;
}

/* Walk the free list for the first block with @need bytes in one hole. */
static int find_free_block(struct inode *dir, unsigned int need,
			   struct ocfs2_dir_pos *pos)
{
	struct ocfs2_dx_root_block *dr =
		(struct ocfs2_dx_root_block *)pos->dx.root_bh->b_data;
	u64 blkno = le64_to_cpu(dr->dr_free_blk);
	u64 hops = dir->i_size >> dir->i_blkbits;
	unsigned int size = ocfs2_dir_block_bytes(dir);
	struct ocfs2_dir_block_trailer *tr;
	struct buffer_head *bh;
	int ret, fit;

	while (blkno && hops--) {
		ret = read_named_block(dir, blkno, &bh);
		if (ret)
			return ret;
		tr = trailer_of(dir, bh);
		fit = -1;
		if (le16_to_cpu(tr->db_free_rec_len) >= need)
			ocfs2_dir_scan((u8 *)bh->b_data, size, NULL, need,
				       &fit, NULL, NULL);
		if (fit >= 0) {
			pos->bh = bh;
			pos->size = size;
			pos->off = fit;
			return 0;
		}
		brelse(pos->dx.free_prev_bh);
		pos->dx.free_prev_bh = bh;
		blkno = le64_to_cpu(tr->db_free_next);
	}
	if (blkno)
		return ocfs2_fs_error(dir->i_sb, __func__,
				      "directory %lu: free block list loops",
				      dir->i_ino);
	return -ENOSPC;
}

/* splits before giving up on one name (each one halves a leaf or better) */
#define DX_ROOM_TRIES	4

/* Where a new name goes in an indexed directory (see ocfs2_dir_find_slot). */
int ocfs2_dx_find_space(struct inode *dir, const struct qstr *name,
			struct ocfs2_dir_pos *pos, bool *growable)
{
	struct ocfs2_dx_entry_list *list;
	struct ocfs2_dir_pos there = { };
	struct ocfs2_dx_hinfo hinfo;
	int ret, tries;

	ret = ocfs2_dx_locate(dir, name, &there);
	ocfs2_dir_pos_release(&there);
	if (ret != -ENOENT)
		return ret ? ret : -EEXIST;
	for (tries = 0; ; tries++) {
		ret = read_dx_root(dir, name, pos);
		if (!ret)
			ret = dx_list_for(dir, pos, &list);
		if (ret || le16_to_cpu(list->de_num_used) <
			   le16_to_cpu(list->de_count))
			break;
		/* a full list: split (dx_split.c), then look again */
		hinfo = pos->dx.hinfo;
		ocfs2_dir_pos_release(pos);
		ret = tries < DX_ROOM_TRIES ? ocfs2_dx_make_room(dir, &hinfo) :
					      -ENOSPC;
		if (ret) {
			*growable = false;
			break;
		}
	}
	if (!ret)
		ret = find_free_block(dir, OCFS2_DIR_REC_LEN(name->len), pos);
	if (ret)
		ocfs2_dir_pos_release(pos);
	return ret;
}

static int access_dx_blocks(handle_t *handle, struct ocfs2_dir_pos *pos)
{
	int ret = ocfs2_journal_access(handle, pos->dx.root_bh);

	if (!ret && pos->dx.leaf_bh)
		ret = ocfs2_journal_access(handle, pos->dx.leaf_bh);
	if (!ret && pos->dx.free_prev_bh)
		ret = ocfs2_journal_access(handle, pos->dx.free_prev_bh);
	return ret;
}

static struct ocfs2_dx_entry_list *pos_list(struct ocfs2_dir_pos *pos)
{
	if (pos->dx.leaf_bh)
		return &((struct ocfs2_dx_leaf *)pos->dx.leaf_bh->b_data)->dl_list;
	return &((struct ocfs2_dx_root_block *)pos->dx.root_bh->b_data)->dr_entries;
}

static void dirty_dx_blocks(handle_t *handle, struct ocfs2_dir_pos *pos)
{
	ocfs2_journal_dirty(handle, pos->dx.root_bh);
	if (pos->dx.leaf_bh)
		ocfs2_journal_dirty(handle, pos->dx.leaf_bh);
}

/* In the insert transaction, before the entry is written into pos->bh. */
int ocfs2_dx_insert_entry(handle_t *handle, struct inode *dir,
			  struct ocfs2_dir_pos *pos)
{
	struct ocfs2_dx_root_block *dr =
		(struct ocfs2_dx_root_block *)pos->dx.root_bh->b_data;
	struct ocfs2_dx_entry_list *list = pos_list(pos);
	struct ocfs2_dx_entry *e;
	int ret;

	ret = access_dx_blocks(handle, pos);
	if (ret)
		return ret;
	e = &list->de_entries[le16_to_cpu(list->de_num_used)];
	e->dx_major_hash = cpu_to_le32(pos->dx.hinfo.major_hash);
	e->dx_minor_hash = cpu_to_le32(pos->dx.hinfo.minor_hash);
	e->dx_dirent_blk = cpu_to_le64(pos->bh->b_blocknr);
	le16_add_cpu(&list->de_num_used, 1);
	le32_add_cpu(&dr->dr_num_entries, 1);
	dirty_dx_blocks(handle, pos);
	return 0;
}

/*
 * In the removal transaction, before the entry leaves pos->bh.
 * @was_full: the block had no hole worth a name, so it is not on the
 * free list yet.
 */
int ocfs2_dx_remove_entry(handle_t *handle, struct inode *dir,
			  struct ocfs2_dir_pos *pos, bool *was_full)
{
	struct ocfs2_dx_root_block *dr =
		(struct ocfs2_dx_root_block *)pos->dx.root_bh->b_data;
	struct ocfs2_dx_entry_list *list = pos_list(pos);
	unsigned int used = le16_to_cpu(list->de_num_used);
	int ret;

	*was_full = !trailer_of(dir, pos->bh)->db_free_rec_len;
	ret = access_dx_blocks(handle, pos);
	if (ret)
		return ret;
	memmove(&list->de_entries[pos->dx.index],
		&list->de_entries[pos->dx.index + 1],
		(used - pos->dx.index - 1) * sizeof(struct ocfs2_dx_entry));
	memset(&list->de_entries[used - 1], 0, sizeof(struct ocfs2_dx_entry));
	list->de_num_used = cpu_to_le16(used - 1);
	le32_add_cpu(&dr->dr_num_entries, -1);
	dirty_dx_blocks(handle, pos);
	return 0;
}

/* The largest hole a name could use, or 0 when none is big enough. */
static unsigned int largest_hole(const u8 *data, unsigned int size)
{
	unsigned int off = 0, best = 0;

	while (off < size) {
		const struct ocfs2_dir_entry *de = (const void *)(data + off);
		unsigned int rec = le16_to_cpu(de->rec_len);
		unsigned int hole = de->inode ?
				    rec - OCFS2_DIR_REC_LEN(de->name_len) : rec;

		best = max(best, hole);
		off += rec;
	}
	return best >= OCFS2_DIR_MIN_REC_LEN ? best : 0;
}

/*
 * After the entries of pos->bh changed (the block and the dx blocks are
 * under journal access): its trailer's hole size, and its place on the
 * free list.  A block left without a hole leaves the list; a block that
 * had none and now has one joins its head.
 */
void ocfs2_dx_block_changed(handle_t *handle, struct inode *dir,
			    struct ocfs2_dir_pos *pos, bool was_full)
{
	struct ocfs2_dx_root_block *dr =
		(struct ocfs2_dx_root_block *)pos->dx.root_bh->b_data;
	struct ocfs2_dir_block_trailer *tr = trailer_of(dir, pos->bh), *prev;
	unsigned int hole = largest_hole((u8 *)pos->bh->b_data, pos->size);

	tr->db_free_rec_len = cpu_to_le16(hole);
	if (hole && was_full) {
		tr->db_free_next = dr->dr_free_blk;
		dr->dr_free_blk = cpu_to_le64(pos->bh->b_blocknr);
		ocfs2_journal_dirty(handle, pos->dx.root_bh);
	} else if (!hole && !was_full) {
		if (pos->dx.free_prev_bh) {
			prev = trailer_of(dir, pos->dx.free_prev_bh);
			prev->db_free_next = tr->db_free_next;
			ocfs2_journal_dirty(handle, pos->dx.free_prev_bh);
		} else {
			dr->dr_free_blk = tr->db_free_next;
			ocfs2_journal_dirty(handle, pos->dx.root_bh);
		}
		tr->db_free_next = 0;
	}
}

/*
 * The new index root of @dir, inline, from the slot's extent allocator
 * (taken before the directory's first block, so that no cluster is
 * claimed when the allocator has nothing to give).
 */
int ocfs2_dx_new_root(handle_t *handle, struct inode *dir,
		      struct buffer_head **bhp)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	struct ocfs2_dx_root_block *dr;
	struct ocfs2_claim claim;
	int ret;

	ret = ocfs2_claim_meta(handle, osb, &claim);
	if (!ret)
		ret = ocfs2_new_meta_block(handle, dir->i_sb, claim.blkno, bhp);
	if (ret)
		return ret;
	dr = (struct ocfs2_dx_root_block *)(*bhp)->b_data;
	memcpy(dr->dr_signature, OCFS2_DX_ROOT_SIGNATURE,
	       sizeof(OCFS2_DX_ROOT_SIGNATURE));
	dr->dr_suballoc_slot = cpu_to_le16(claim.slot);
	dr->dr_suballoc_bit = cpu_to_le16(claim.bit);
	dr->dr_suballoc_loc = cpu_to_le64(claim.loc);
	dr->dr_fs_generation = cpu_to_le32(osb->fs_generation);
	dr->dr_blkno = cpu_to_le64(claim.blkno);
	dr->dr_dir_blkno = cpu_to_le64(OCFS2_I(dir)->blkno);
	dr->dr_flags = OCFS2_DX_FLAG_INLINE;
	dr->dr_entries.de_count =
		cpu_to_le16(ocfs2_dx_entries_per_root(dir->i_sb->s_blocksize));
	return 0;
}

/* Every live entry of @bh (a valid block of @size bytes) into the root. */
static int index_entries(struct inode *dir, struct buffer_head *bh,
			 unsigned int size, struct ocfs2_dx_root_block *dr)
{
	struct ocfs2_dx_entry_list *list = &dr->dr_entries;
	struct ocfs2_dx_hinfo h;
	struct ocfs2_dx_entry *e;
	unsigned int off = 0;

	while (off < size) {
		const struct ocfs2_dir_entry *de = (void *)(bh->b_data + off);

		off += le16_to_cpu(de->rec_len);
		if (!de->inode || !de->name_len)
			continue;
		/* ocfs2_dx_want_index counted them: not a full root */
		if (le16_to_cpu(list->de_num_used) >= le16_to_cpu(list->de_count))
			return -EFSCORRUPTED;
		ocfs2_dx_name_hash(OCFS2_SB(dir->i_sb)->dx_seed, de->name,
				   de->name_len, &h);
		e = &list->de_entries[le16_to_cpu(list->de_num_used)];
		e->dx_major_hash = cpu_to_le32(h.major_hash);
		e->dx_minor_hash = cpu_to_le32(h.minor_hash);
		e->dx_dirent_blk = cpu_to_le64(bh->b_blocknr);
		le16_add_cpu(&list->de_num_used, 1);
		le32_add_cpu(&dr->dr_num_entries, 1);
	}
	return 0;
}

/*
 * Whether a directory leaving the inode block with the entries @data
 * (@size bytes, validated) gets an index: on indexed-dirs volumes, when
 * an inline root holds them all.
 */
bool ocfs2_dx_want_index(struct inode *dir, const u8 *data, unsigned int size)
{
	unsigned int off = 0, live = 0;

	if (!ocfs2_has_incompat(OCFS2_SB(dir->i_sb),
				OCFS2_FEATURE_INCOMPAT_INDEXED_DIRS))
		return false;
	while (off < size) {
		const struct ocfs2_dir_entry *de = (const void *)(data + off);

		live += de->inode && de->name_len;
		off += le16_to_cpu(de->rec_len);
	}
	return live <= ocfs2_dx_entries_per_root(dir->i_sb->s_blocksize);
}

/*
 * A directory leaving the inode block on an indexed-dirs volume gets an
 * index, as stock does: the inline root @root_bh (ocfs2_dx_new_root)
 * names every entry of its first block @bh (already filled, with its
 * trailer, under journal create access), which heads the free list when
 * it has a hole.  @dir_bh is the
 * directory's inode block under journal access; the caller marks the
 * directory indexed in memory first, so the block was laid out with its
 * trailer (see ocfs2_dx_want_index).
 */
int ocfs2_dx_index_new_dir(handle_t *handle, struct inode *dir,
			   struct buffer_head *dir_bh, struct buffer_head *bh,
			   struct buffer_head *root_bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)dir_bh->b_data;
	unsigned int size = ocfs2_dir_block_bytes(dir), hole;
	struct ocfs2_dx_root_block *dr;
	int ret;

	dr = (struct ocfs2_dx_root_block *)root_bh->b_data;
	ret = index_entries(dir, bh, size, dr);
	if (ret)
		goto out;
	hole = largest_hole((u8 *)bh->b_data, size);
	trailer_of(dir, bh)->db_free_rec_len = cpu_to_le16(hole);
	if (hole)
		dr->dr_free_blk = cpu_to_le64(bh->b_blocknr);
	OCFS2_I(dir)->dx_root = root_bh->b_blocknr;
	di->i_dx_root = cpu_to_le64(root_bh->b_blocknr);
	di->i_dyn_features = cpu_to_le16(OCFS2_I(dir)->dyn_features);
out:
	ocfs2_journal_dirty(handle, root_bh);
	return ret;
}
