// SPDX-License-Identifier: GPL-2.0
/*
 * Paths through an extent tree, and the extent blocks that make up its
 * levels.  A path is found under the owner's meta lock and lives for one
 * transaction; after the tree changes shape it is found again.
 */
#include "extent_tree.h"

void ocfs2_path_release(struct ocfs2_path *path)
{
	int i;

	/* bh[0] is the caller's root block */
	for (i = 1; i <= path->depth; i++) {
		brelse(path->bh[i]);
		path->bh[i] = NULL;
	}
}

/* The child to follow: last record starting at or before @cpos. */
static int child_index(const struct ocfs2_extent_list *el, u32 cpos,
		       bool rightmost)
{
	int i, used = le16_to_cpu(el->l_next_free_rec);

	if (rightmost)
		return used - 1;
	for (i = used - 1; i > 0; i--)
		if (le32_to_cpu(el->l_recs[i].e_cpos) <= cpos)
			return i;
	return 0;
}

static int check_list(struct inode *inode, const struct ocfs2_extent_list *el,
		      unsigned int capacity, u64 blkno)
{
	u16 used = le16_to_cpu(el->l_next_free_rec);

	if (le16_to_cpu(el->l_count) <= capacity && used <= le16_to_cpu(el->l_count))
		return 0;
	return ocfs2_fs_error(inode->i_sb, __func__,
			      "inode %lu: extent list in block %llu holds %u of %u records (room for %u)",
			      inode->i_ino, (unsigned long long)blkno, used,
			      le16_to_cpu(el->l_count), capacity);
}

static int step_down(struct inode *inode, struct ocfs2_path *path, int level)
{
	struct ocfs2_extent_list *el = path->el[level];
	struct ocfs2_extent_block *eb;
	struct buffer_head *bh;
	u64 blkno;
	int ret;

	if (!el->l_next_free_rec)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: empty interior extent list",
				      inode->i_ino);
	blkno = le64_to_cpu(el->l_recs[path->idx[level]].e_blkno);
	ret = ocfs2_read_covered(inode, blkno, OCFS2_BLOCK_EXTENT, &bh);
	if (ret)
		return ret;
	eb = (struct ocfs2_extent_block *)bh->b_data;
	path->bh[level + 1] = bh;
	path->el[level + 1] = &eb->h_list;
	if (le16_to_cpu(eb->h_list.l_tree_depth) + 1 !=
	    le16_to_cpu(el->l_tree_depth))
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: extent block %llu at the wrong depth",
				      inode->i_ino, (unsigned long long)blkno);
	return check_list(inode, &eb->h_list,
			  ocfs2_extent_recs_per_eb(inode->i_sb->s_blocksize),
			  blkno);
}

/*
 * The path to the leaf that holds (or would hold) @cpos, or to the
 * rightmost leaf.  On error the path holds nothing to release.
 */
int ocfs2_er_path_find(struct ocfs2_extent_root *er, u32 cpos,
		       bool rightmost, struct ocfs2_path *path)
{
	struct inode *inode = er->inode;
	int level, ret;

	memset(path, 0, sizeof(*path));
	path->er = *er;
	path->bh[0] = er->bh;
	path->el[0] = er->el;
	path->depth = le16_to_cpu(er->el->l_tree_depth);
	if (path->depth > OCFS2_MAX_TREE_DEPTH)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: extent tree depth %d in block %llu",
				      inode->i_ino, path->depth,
				      (unsigned long long)er->bh->b_blocknr);
	ret = check_list(inode, er->el, er->capacity, er->bh->b_blocknr);
	for (level = 0; !ret && level < path->depth; level++) {
		path->idx[level] = child_index(path->el[level], cpos, rightmost);
		ret = step_down(inode, path, level);
	}
	if (ret)
		ocfs2_path_release(path);
	return ret;
}

/* The same through a file's tree, rooted in its inode block @ibh. */
int ocfs2_path_find(struct inode *inode, struct buffer_head *ibh, u32 cpos,
		    bool rightmost, struct ocfs2_path *path)
{
	struct ocfs2_extent_root er;

	ocfs2_er_inode(&er, inode, ibh);
	return ocfs2_er_path_find(&er, cpos, rightmost, path);
}

int ocfs2_path_access(handle_t *handle, struct ocfs2_path *path)
{
	int i, ret;

	ret = ocfs2_er_access(handle, &path->er);
	if (ret)
		return ret;
	for (i = 1; i <= path->depth; i++) {
		ret = ocfs2_journal_access(handle, path->bh[i]);
		if (ret)
			return ret;
	}
	return 0;
}

void ocfs2_path_dirty(handle_t *handle, struct ocfs2_path *path)
{
	int i;

	ocfs2_er_dirty(handle, &path->er);
	for (i = 1; i <= path->depth; i++)
		ocfs2_journal_dirty(handle, path->bh[i]);
}

/* Whether @path ends at the rightmost leaf. */
bool ocfs2_path_is_rightmost(const struct ocfs2_path *path)
{
	int level;

	for (level = 0; level < path->depth; level++)
		if (path->idx[level] + 1 !=
		    le16_to_cpu(path->el[level]->l_next_free_rec))
			return false;
	return true;
}

/* The path to the leaf right of @path's (not the rightmost). */
int ocfs2_path_right_leaf(struct ocfs2_path *path, struct ocfs2_path *right)
{
	struct inode *inode = path->er.inode;
	int level, ret;

	for (level = path->depth - 1; level >= 0; level--)
		if (path->idx[level] + 1 <
		    le16_to_cpu(path->el[level]->l_next_free_rec))
			break;
	if (level < 0)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: no extent leaf right of %llu",
				      inode->i_ino,
				      (unsigned long long)path->bh[path->depth]->b_blocknr);
	ret = ocfs2_er_path_find(&path->er,
				 le32_to_cpu(path->el[level]->l_recs[path->idx[level] + 1].e_cpos),
				 false, right);
	if (!ret && right->bh[right->depth] == path->bh[path->depth]) {
		ocfs2_path_release(right);
		ret = ocfs2_fs_error(inode->i_sb, __func__,
				     "inode %lu: extent leaf %llu follows itself",
				     inode->i_ino,
				     (unsigned long long)path->bh[path->depth]->b_blocknr);
	}
	return ret;
}

/* Whether @path follows the first record at every level down to @level. */
static bool leftmost_to(const struct ocfs2_path *path, int level)
{
	int i;

	for (i = 0; i <= level; i++)
		if (path->idx[i])
			return false;
	return true;
}

/*
 * Interior records name the first cluster below them and how many
 * clusters they span up to the next record (the last one: to the end of
 * its subtree).  With inner-leaf punches on (extent_remove.c), the
 * leftmost ones start at cluster 0, as stock makes them, so that stock's
 * path search (which sends a cluster no interior record spans to the
 * rightmost leaf) finds the leftmost leaf for a hole before the first
 * extent.  Called after the leaf of @path changed, bottom up.
 */
void ocfs2_path_fix_interior(struct ocfs2_path *path)
{
	struct ocfs2_extent_list *el, *child;
	struct ocfs2_extent_rec *rec;
	int level, i, used;
	u32 start, end;

	for (level = path->depth - 1; level >= 0; level--) {
		el = path->el[level];
		child = path->el[level + 1];
		i = path->idx[level];
		used = le16_to_cpu(el->l_next_free_rec);
		rec = &el->l_recs[i];
		if (child->l_next_free_rec) {
			start = ocfs2_inner_leaf_punch() &&
				leftmost_to(path, level) ? 0 :
				le32_to_cpu(child->l_recs[0].e_cpos);
			end = ocfs2_rec_end(child, &child->l_recs[
				le16_to_cpu(child->l_next_free_rec) - 1]);
			rec->e_cpos = cpu_to_le32(start);
		} else {
			start = le32_to_cpu(rec->e_cpos);
			end = start;
		}
		if (i + 1 < used)
			end = le32_to_cpu(el->l_recs[i + 1].e_cpos);
		rec->e_int_clusters = cpu_to_le32(end - start);
		if (i > 0)
			el->l_recs[i - 1].e_int_clusters =
				cpu_to_le32(start -
					    le32_to_cpu(el->l_recs[i - 1].e_cpos));
	}
}

/* A new, empty extent block at @depth from the slot's extent allocator. */
int ocfs2_new_extent_block(handle_t *handle, struct inode *inode, u16 depth,
			   struct buffer_head **bhp)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_extent_block *eb;
	struct ocfs2_claim claim;
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_claim_meta(handle, osb, &claim);
	if (!ret)
		ret = ocfs2_new_meta_block(handle, inode->i_sb, claim.blkno,
					   &bh);
	if (ret)
		return ret;
	eb = (struct ocfs2_extent_block *)bh->b_data;
	memcpy(eb->h_signature, OCFS2_EXTENT_BLOCK_SIGNATURE,
	       sizeof(OCFS2_EXTENT_BLOCK_SIGNATURE));
	eb->h_suballoc_slot = cpu_to_le16(claim.slot);
	eb->h_suballoc_bit = cpu_to_le16(claim.bit);
	eb->h_suballoc_loc = cpu_to_le64(claim.loc);
	eb->h_fs_generation = cpu_to_le32(osb->fs_generation);
	eb->h_blkno = cpu_to_le64(claim.blkno);
	eb->h_list.l_tree_depth = cpu_to_le16(depth);
	eb->h_list.l_count =
		cpu_to_le16(ocfs2_extent_recs_per_eb(inode->i_sb->s_blocksize));
	ocfs2_journal_dirty(handle, bh);
	ocfs2_note_trans(handle, inode, true);
	*bhp = bh;
	return 0;
}

/* Give an extent block back to the allocator (of whichever slot) it came from. */
int ocfs2_free_extent_block(handle_t *handle, struct inode *inode,
			    struct buffer_head *bh)
{
	struct ocfs2_extent_block *eb = (struct ocfs2_extent_block *)bh->b_data;

	return ocfs2_free_suballoc_block(handle, inode->i_sb, bh->b_blocknr,
					 le16_to_cpu(eb->h_suballoc_slot),
					 le16_to_cpu(eb->h_suballoc_bit),
					 le64_to_cpu(eb->h_suballoc_loc));
}

/*
 * Give back a metadata block (extent block, index root) that slot
 * @slot's extent allocator handed out as @bit of its group (@loc, or
 * found from the bit when the group is contiguous).
 */
int ocfs2_free_suballoc_block(handle_t *handle, struct super_block *sb,
			      u64 blkno, u16 slot, u16 bit, u64 loc)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *alloc = osb->extent_alloc;
	u64 group = loc ? loc : blkno - bit;
	int ret;

	if (slot >= osb->max_slots || blkno < bit)
		return ocfs2_fs_error(sb, __func__,
				      "block %llu: suballocator slot %u bit %u",
				      (unsigned long long)blkno, slot, bit);
	if (slot != osb->slot) {
		alloc = ocfs2_get_system_inode(sb, EXTENT_ALLOC_SYSTEM_INODE,
					       slot);
		if (IS_ERR(alloc))
			return PTR_ERR(alloc);
	}
	ret = ocfs2_free_bit(handle, alloc, group, bit);
	if (alloc != osb->extent_alloc)
		iput(alloc);
	return ret;
}
