/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Changing a file's extent tree: the path from the root in the inode
 * block down to one leaf, kept with its buffers so that every level can
 * be journaled and its interior records kept in step with the leaf.
 */
#ifndef OCFS2_EXTENT_TREE_H
#define OCFS2_EXTENT_TREE_H

#include "ocfs2.h"

/* deeper than any tree of a 2^32-cluster file */
#define OCFS2_MAX_TREE_DEPTH	5

struct ocfs2_path {
	int				depth;	/* levels below the root */
	struct buffer_head		*bh[OCFS2_MAX_TREE_DEPTH + 1];
	struct ocfs2_extent_list	*el[OCFS2_MAX_TREE_DEPTH + 1];
	int				idx[OCFS2_MAX_TREE_DEPTH + 1];
};

static inline struct ocfs2_extent_list *ocfs2_root_list(struct buffer_head *ibh)
{
	return &((struct ocfs2_dinode *)ibh->b_data)->id2.i_list;
}

static inline u32 ocfs2_rec_end(const struct ocfs2_extent_list *el,
				const struct ocfs2_extent_rec *rec)
{
	if (el->l_tree_depth)
		return le32_to_cpu(rec->e_cpos) + le32_to_cpu(rec->e_int_clusters);
	return le32_to_cpu(rec->e_cpos) + le16_to_cpu(rec->e_leaf_clusters);
}

/* extent_path.c */
int ocfs2_path_find(struct inode *inode, struct buffer_head *ibh, u32 cpos,
		    bool rightmost, struct ocfs2_path *path);
void ocfs2_path_release(struct ocfs2_path *path);
int ocfs2_path_access(handle_t *handle, struct ocfs2_path *path);
void ocfs2_path_dirty(handle_t *handle, struct ocfs2_path *path);
void ocfs2_path_fix_interior(struct ocfs2_path *path);
int ocfs2_new_extent_block(handle_t *handle, struct inode *inode, u16 depth,
			   struct buffer_head **bhp);
int ocfs2_free_extent_block(handle_t *handle, struct inode *inode,
			    struct buffer_head *bh);

/* unwritten.c: a piece of a record inserted again (clusters not counted) */
int ocfs2_reinsert_extent(handle_t *handle, struct inode *inode,
			  struct buffer_head *ibh, u32 cpos, u64 blkno,
			  u32 len, u8 flags);

/* extent_remove.c */
bool ocfs2_inner_leaf_punch(void);

#endif /* OCFS2_EXTENT_TREE_H */
