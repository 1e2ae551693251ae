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

/* xattr_bucket.c: where a bucket of an indexed block's tree is */
struct xattr_bucket_pos {
	u64		run;		/* first block of the record's run */
	u32		cpos;		/* the record's lowest hash */
	u32		clusters;	/* the record's length */
	unsigned int	nb;		/* buckets in use in the run */
	unsigned int	index;		/* the bucket, within the run */
};
unsigned int ocfs2_xattr_bpb(struct super_block *sb);
unsigned int ocfs2_xattr_buckets_per_cluster(struct super_block *sb);

static inline u64 ocfs2_xattr_pos_blkno(struct super_block *sb,
					const struct xattr_bucket_pos *pos)
{
	return pos->run + (u64)pos->index * ocfs2_xattr_bpb(sb);
}

int ocfs2_xattr_bad_tree(struct inode *inode, u64 xblk, const char *what,
			 u64 value);
int ocfs2_xattr_bucket_read(struct inode *inode, u64 blkno, u8 *buf);
void ocfs2_xattr_bucket_area(u8 *buf, u64 blkno, struct xattr_area *a);
int ocfs2_xattr_bucket_find(struct inode *inode, struct buffer_head *xbh,
			    u32 hash, u8 *buf, struct xattr_bucket_pos *pos);
int ocfs2_xattr_visit_hash(struct inode *inode, struct buffer_head *xbh,
			   u32 hash, area_fn fn, void *arg);
int ocfs2_xattr_walk_buckets(struct inode *inode, struct buffer_head *xbh,
			     area_fn fn, void *arg);

static inline bool ocfs2_xattr_block_indexed(struct buffer_head *xbh)
{
	struct ocfs2_xattr_block *xb = (struct ocfs2_xattr_block *)xbh->b_data;

	return le16_to_cpu(xb->xb_flags) & OCFS2_XATTR_INDEXED;
}

static inline u32 ocfs2_xattr_hash(struct super_block *sb, const u8 *name,
				   unsigned int len)
{
	return ocfs2_name_hash(OCFS2_SB(sb)->dx_seed[3], name, len);
}

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
	u32		hash;		/* of the name, as stock computes it */
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

static inline unsigned int ocfs2_xattr_item_bytes(const struct xattr_item *it)
{
	return OCFS2_XATTR_SIZE(it->name_len) +
	       (it->local ? OCFS2_XATTR_SIZE(it->vsize) :
			    OCFS2_XATTR_ROOT_SIZE);
}

int ocfs2_xattr_gather(struct inode *inode, struct buffer_head *ibh,
		       struct buffer_head *xbh, struct xattr_set_list *l,
		       unsigned int extra);
int ocfs2_xattr_gather_one(struct inode *inode, const struct xattr_area *a,
			   struct xattr_set_list *l, unsigned int extra);
void ocfs2_xattr_list_free(struct xattr_set_list *l);
/* xattr_value.c: what giving values back costs one transaction */
struct xattr_value_cost {
	unsigned int	runs;		/* truncate log records */
	int		credits;
};
int ocfs2_xattr_value_freeable(struct inode *inode,
			       const struct xattr_item *it,
			       struct xattr_value_cost *cost);
int ocfs2_xattr_free_value(handle_t *handle, struct inode *inode,
			   const struct xattr_item *it);
int ocfs2_xattr_free_block(handle_t *handle, struct inode *inode,
			   struct buffer_head *xbh);

/* xattr_tree.c: one change to a bucket, planned before the transaction */
struct xattr_tree_change {
	struct inode		*inode;
	struct buffer_head	*xbh;		/* the indexed block */
	struct xattr_bucket_pos	pos;		/* the target bucket */
	u8			*buf;		/* its bytes, then scratch */
	struct xattr_set_list	l;		/* its items, then as planned */
	int			at;		/* the name's item, -1: none */
	bool			looked;		/* the fields above are set */
	u32			empty_hash;	/* kept if the bucket empties */
	unsigned int		split;		/* upper half's first item */
	u32			new_clusters;	/* a new run's, 0: none */
	u64			new_run;	/* its first block */
};
bool ocfs2_xattr_tree_writable(struct inode *inode, u64 xblk);
bool ocfs2_xattr_tree_writes_on(void);
int ocfs2_xattr_tree_lookup(struct xattr_tree_change *t, int index,
			    const char *name);
void ocfs2_xattr_tree_drop(struct xattr_tree_change *t);
int ocfs2_xattr_tree_add(struct xattr_tree_change *t,
			 const struct xattr_item *it);
int ocfs2_xattr_tree_plan(struct xattr_tree_change *t);
int ocfs2_xattr_tree_credits(const struct xattr_tree_change *t);
int ocfs2_xattr_tree_claim(handle_t *handle, struct xattr_tree_change *t,
			   bool *touched);
int ocfs2_xattr_tree_write(handle_t *handle, struct xattr_tree_change *t);
void ocfs2_xattr_tree_release(struct xattr_tree_change *t);
int ocfs2_xattr_lay_bucket(struct super_block *sb, const struct xattr_item *its,
			   unsigned int n, u8 *buf, u16 nb);
int ocfs2_xattr_put_bucket(handle_t *handle, struct inode *inode, u64 blkno,
			   u8 *buf, bool fresh);
int ocfs2_xattr_tree_convert(struct inode *inode, struct buffer_head *xbh);
int ocfs2_xattr_tree_free(struct inode *inode, struct buffer_head *xbh);

int ocfs2_xattr_read(struct inode *inode, int index, const char *name,
		     void *buf, size_t size);
bool ocfs2_xattr_index_off(struct inode *inode, int index);
int ocfs2_xattr_change(struct inode *inode, int index, const char *name,
		       const void *value, size_t size, int flags);
int ocfs2_xattr_new_needs_block(struct super_block *sb, umode_t mode,
				struct xattr_set_list *l);
int ocfs2_xattr_new_block(handle_t *handle, struct super_block *sb,
			  struct buffer_head **bhp);
int ocfs2_xattr_drop_new_block(handle_t *handle, struct super_block *sb,
			       struct buffer_head *bh);
int ocfs2_xattr_new_inode(handle_t *handle, struct super_block *sb,
			  struct ocfs2_dinode *di, struct xattr_set_list *l,
			  struct buffer_head *bh);
int ocfs2_xattr_set(const struct xattr_handler *handler,
		    struct kc_idmap *idmap, struct dentry *unused,
		    struct inode *inode, const char *name, const void *value,
		    size_t size, int flags);

#endif /* OCFS2_FS_XATTR_H */
