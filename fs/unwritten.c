// SPDX-License-Identifier: GPL-2.0
/*
 * Unwritten extents (made by fallocate on volumes with the unwritten
 * feature) read as zeros until written.  A write into one turns the
 * cluster it touches into a written extent: the record is cut into the
 * part before (still unwritten), the cluster, and the part after (still
 * unwritten), the first piece in place and the others inserted.  The
 * caller zeroes the cluster on disk first, as for a new one.
 */
#include "extent_tree.h"

static int find_unwritten(struct inode *inode, struct ocfs2_extent_list *el,
			  u32 cpos)
{
	int i, used = le16_to_cpu(el->l_next_free_rec);

	for (i = 0; i < used; i++) {
		struct ocfs2_extent_rec *rec = &el->l_recs[i];

		if (le32_to_cpu(rec->e_cpos) <= cpos &&
		    cpos < ocfs2_rec_end(el, rec) &&
		    (rec->e_flags & OCFS2_EXT_UNWRITTEN))
			return i;
	}
	return ocfs2_fs_error(inode->i_sb, __func__,
			      "inode %lu: cluster %u is in no unwritten extent",
			      inode->i_ino, cpos);
}

/* Insert a piece of an existing record: no new clusters to count. */
int ocfs2_reinsert_extent(handle_t *handle, struct inode *inode,
			  struct buffer_head *ibh, u32 cpos, u64 blkno,
			  u32 len, u8 flags)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	int ret;

	ret = ocfs2_insert_extent(handle, inode, ibh, cpos, blkno, len, flags);
	if (ret)
		return ret;
	le32_add_cpu(&di->i_clusters, -len);
	OCFS2_I(inode)->clusters = le32_to_cpu(di->i_clusters);
	return 0;
}

/*
 * Mark cluster @cpos of @inode written, in the caller's transaction, with
 * the inode's alloc_sem held for writing.
 */
int ocfs2_mark_written(handle_t *handle, struct inode *inode,
		       struct buffer_head *ibh, u32 cpos)
{
	unsigned int bpc_bits = OCFS2_SB(inode->i_sb)->bpc_bits;
	struct ocfs2_extent_rec *rec, old;
	struct ocfs2_path path;
	u32 end;
	int i, ret;

	ret = ocfs2_path_find(inode, ibh, cpos, false, &path);
	if (ret)
		return ret;
	ret = ocfs2_path_access(handle, &path);
	i = ret ? ret : find_unwritten(inode, path.el[path.depth], cpos);
	if (i < 0) {
		ret = i;
		goto out;
	}
	rec = &path.el[path.depth]->l_recs[i];
	old = *rec;
	end = ocfs2_rec_end(path.el[path.depth], rec);
	if (cpos > le32_to_cpu(old.e_cpos)) {
		rec->e_leaf_clusters = cpu_to_le16(cpos - le32_to_cpu(old.e_cpos));
	} else {
		rec->e_leaf_clusters = cpu_to_le16(1);
		rec->e_flags &= ~OCFS2_EXT_UNWRITTEN;
	}
	ocfs2_path_fix_interior(&path);
	ocfs2_path_dirty(handle, &path);
	ocfs2_path_release(&path);
	ret = 0;
	if (cpos > le32_to_cpu(old.e_cpos))
		ret = ocfs2_reinsert_extent(handle, inode, ibh, cpos,
			       le64_to_cpu(old.e_blkno) +
			       ((u64)(cpos - le32_to_cpu(old.e_cpos)) << bpc_bits),
			       1, old.e_flags & ~OCFS2_EXT_UNWRITTEN);
	if (!ret && end > cpos + 1)
		ret = ocfs2_reinsert_extent(handle, inode, ibh, cpos + 1,
			       le64_to_cpu(old.e_blkno) +
			       ((u64)(cpos + 1 - le32_to_cpu(old.e_cpos)) << bpc_bits),
			       end - cpos - 1, old.e_flags);
	return ret;
out:
	ocfs2_path_release(&path);
	return ret;
}
