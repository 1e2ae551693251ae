/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the xattr read side (xattr.c), its change side (xattr_set.c)
 * and freeing at delete (xattr_free.c): one run of entries, inline or in
 * an xattr block.
 */
#ifndef OCFS2_FS_XATTR_H
#define OCFS2_FS_XATTR_H

#include "ocfs2.h"

/* A run of entries; name and value offsets count from @base. */
struct xattr_area {
	const u8			*base;
	unsigned int			limit;	/* valid bytes from base */
	const struct ocfs2_xattr_header	*xh;
	u64				blkno;	/* for messages */
};

/* what a value kept out of line occupies next to its name */
#define OCFS2_XATTR_ROOT_SIZE	sizeof(struct ocfs2_xattr_def_value_root)
/* free bytes stock keeps between the entries and the names and values */
#define OCFS2_XATTR_HEADER_GAP	4

/* called for each area of entries; 1 stops the walk, < 0 is an error */
typedef int (*area_fn)(struct inode *inode, const struct xattr_area *a,
		       void *arg);
int ocfs2_xattr_walk_buckets(struct inode *inode, struct buffer_head *xbh,
			     area_fn fn, void *arg);

int ocfs2_bad_xattr(struct inode *inode, const struct xattr_area *a,
		    const char *what, u64 value);
int ocfs2_xattr_check_entry(struct inode *inode, const struct xattr_area *a,
			    const struct ocfs2_xattr_entry *xe);
int ocfs2_xattr_inline_area(struct inode *inode, struct ocfs2_dinode *di,
			    struct xattr_area *a);
int ocfs2_xattr_block_area(struct inode *inode, struct buffer_head *bh,
			   struct xattr_area *a);

/* One attribute held in memory while the areas are laid out again. */
struct xattr_item {
	const u8	*name;
	const void	*val;		/* local bytes, or a value root */
	u64		vsize;
	u8		index;
	u8		name_len;
	bool		local;
	bool		in_inode;	/* placed in the inline area */
};

/* Every attribute of one inode, copied out of its blocks. */
struct xattr_set_list {
	u8			*copy;		/* both areas' bytes */
	struct xattr_item	*items;
	unsigned int		count;
	unsigned int		cap;
};

int ocfs2_xattr_gather(struct inode *inode, struct buffer_head *ibh,
		       struct buffer_head *xbh, struct xattr_set_list *l,
		       unsigned int extra);
void ocfs2_xattr_list_free(struct xattr_set_list *l);
int ocfs2_xattr_value_freeable(struct inode *inode,
			       const struct xattr_item *it);
int ocfs2_xattr_free_value(handle_t *handle, struct inode *inode,
			   const struct xattr_item *it);
int ocfs2_xattr_free_block(handle_t *handle, struct inode *inode,
			   struct buffer_head *xbh);

int ocfs2_xattr_read(struct inode *inode, int index, const char *name,
		     void *buf, size_t size);
bool ocfs2_xattr_index_off(struct inode *inode, int index);
int ocfs2_xattr_change(struct inode *inode, int index, const char *name,
		       const void *value, size_t size, int flags);
int ocfs2_xattr_new_needs_block(struct super_block *sb, umode_t mode,
				struct xattr_set_list *l);
int ocfs2_xattr_new_inode(handle_t *handle, struct super_block *sb,
			  struct ocfs2_dinode *di, struct xattr_set_list *l);
int ocfs2_xattr_set(const struct xattr_handler *handler,
		    struct kc_idmap *idmap, struct dentry *unused,
		    struct inode *inode, const char *name, const void *value,
		    size_t size, int flags);

#endif /* OCFS2_FS_XATTR_H */
