/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Changing an extent tree: the path from its root down to one leaf, kept
 * with its buffers so that every level can be journaled and its interior
 * records kept in step with the leaf.  The root lives wherever its owner
 * keeps it (an inode, a directory index root, an xattr block or value
 * root, a refcount tree root): struct ocfs2_extent_root says where, and
 * every change below goes through it.
 */
#ifndef OCFS2_EXTENT_TREE_H
#define OCFS2_EXTENT_TREE_H

#include "ocfs2.h"

/* deeper than any tree of a 2^32-cluster file */
#define OCFS2_MAX_TREE_DEPTH	5

struct ocfs2_extent_root;

/* What differs between owners beyond where the fields are (all optional). */
struct ocfs2_extent_root_ops {
	/* the root's block into the transaction, and its change done */
	int	(*access)(handle_t *handle, struct ocfs2_extent_root *er);
	void	(*dirty)(handle_t *handle, struct ocfs2_extent_root *er);
	/* give back what a leaf record maps (default: its clusters) */
	int	(*release)(handle_t *handle, struct ocfs2_extent_root *er,
			   u64 blkno, u32 clusters);
};

/*
 * An extent tree's root.  New extent blocks come from the slot's extent
 * allocator for every owner (as stock's).  @bh stays the caller's.
 */
struct ocfs2_extent_root {
	struct inode			*inode;	/* owner: errors, reads, alloc_sem */
	struct buffer_head		*bh;	/* the block holding the root */
	struct ocfs2_extent_list	*el;	/* the root list inside @bh */
	unsigned int			capacity; /* records the root may hold */
	__le32				*clusters; /* owner's count, or NULL */
	__le64				*last_eb; /* rightmost leaf, or NULL */
	bool				inode_clusters; /* OCFS2_I()->clusters too */
	bool				hash_keyed; /* see extent_root.c */
	bool				forget;	/* clusters hold journaled blocks */
	/*
	 * The owner inode's block, naming the refcount tree through which
	 * shared (REFCOUNTED) clusters of this tree lose a reference when
	 * freed; NULL: such clusters are not freed (refused).
	 */
	struct buffer_head		*rc_ibh;
	const struct ocfs2_extent_root_ops *ops;
	void				*private; /* the owner's, for @ops */
};

struct ocfs2_path {
	int				depth;	/* levels below the root */
	struct ocfs2_extent_root	er;	/* a copy of the caller's */
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

/* extent_root.c: the owners' roots */
void ocfs2_er_inode(struct ocfs2_extent_root *er, struct inode *inode,
		    struct buffer_head *ibh);
void ocfs2_er_dx_root(struct ocfs2_extent_root *er, struct inode *dir,
		      struct buffer_head *root_bh);
void ocfs2_er_xattr_tree(struct ocfs2_extent_root *er, struct inode *inode,
			 struct buffer_head *xbh);
void ocfs2_er_xattr_value(struct ocfs2_extent_root *er, struct inode *inode,
			  struct buffer_head *bh,
			  struct ocfs2_xattr_value_root *xv);
void ocfs2_er_refcount(struct ocfs2_extent_root *er, struct inode *inode,
		       struct buffer_head *rbh);
int ocfs2_er_access(handle_t *handle, struct ocfs2_extent_root *er);
void ocfs2_er_dirty(handle_t *handle, struct ocfs2_extent_root *er);
void ocfs2_er_add_clusters(struct ocfs2_extent_root *er, int delta);
void ocfs2_er_set_last_eb(struct ocfs2_extent_root *er, u64 blkno);
int ocfs2_er_release(handle_t *handle, struct ocfs2_extent_root *er,
		     u64 blkno, u32 clusters);

/* extent_path.c */
int ocfs2_er_path_find(struct ocfs2_extent_root *er, u32 cpos,
		       bool rightmost, struct ocfs2_path *path);
int ocfs2_path_find(struct inode *inode, struct buffer_head *ibh, u32 cpos,
		    bool rightmost, struct ocfs2_path *path);
void ocfs2_path_release(struct ocfs2_path *path);
int ocfs2_path_access(handle_t *handle, struct ocfs2_path *path);
void ocfs2_path_dirty(handle_t *handle, struct ocfs2_path *path);
void ocfs2_path_fix_interior(struct ocfs2_path *path);
bool ocfs2_path_is_rightmost(const struct ocfs2_path *path);
int ocfs2_path_right_leaf(struct ocfs2_path *path, struct ocfs2_path *right);
int ocfs2_new_extent_block(handle_t *handle, struct inode *inode, u16 depth,
			   struct buffer_head **bhp);
int ocfs2_free_extent_block(handle_t *handle, struct inode *inode,
			    struct buffer_head *bh);

/* unwritten.c: a piece of a record inserted again (clusters not counted) */
int ocfs2_reinsert_extent(handle_t *handle, struct inode *inode,
			  struct buffer_head *ibh, u32 cpos, u64 blkno,
			  u32 len, u8 flags);

/* extent_insert.c: counts @clusters into the owner */
bool ocfs2_deep_trees(void);
int ocfs2_er_insert(handle_t *handle, struct ocfs2_extent_root *er, u32 cpos,
		    u64 blkno, u32 clusters, u8 flags);
int ocfs2_er_insert_credits(const struct ocfs2_extent_root *er);

/* extent_remove.c: steps of their own transactions (no handle open) */
bool ocfs2_inner_leaf_punch(void);
int ocfs2_er_trim(struct ocfs2_extent_root *er, u32 keep);
int ocfs2_er_punch(struct ocfs2_extent_root *er, u32 first, u32 end);
int ocfs2_er_drop_last(struct ocfs2_extent_root *er);
int ocfs2_er_free_tree(struct ocfs2_extent_root *er);
/* extent_remove.c: one whole record, in the caller's transaction */
int ocfs2_er_remove_credits(const struct ocfs2_extent_root *er);
int ocfs2_er_remove_rec(handle_t *handle, struct ocfs2_extent_root *er,
			u32 cpos, u64 blkno);

#endif /* OCFS2_EXTENT_TREE_H */
