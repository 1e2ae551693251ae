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

	ret = ocfs2_find_leaf_floor(dir->i_sb, OCFS2_I(dir)->blkno,
				    &dr->dr_list, h->major_hash, &floor);
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
	ret = ocfs2_read_meta(dir->i_sb, blkno, OCFS2_BLOCK_DX_LEAF, &bh);
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

	ret = ocfs2_read_meta(dir->i_sb, OCFS2_I(dir)->dx_root,
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
