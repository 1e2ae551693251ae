/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refcount trees (reflinked files): how many files share each physical
 * cluster.  refcount_tree.c reads and changes the tree; refcount_cow.c
 * gives a file its own copy of shared clusters before they are written.
 */
#ifndef OCFS2_REFCOUNT_H
#define OCFS2_REFCOUNT_H

#include "ocfs2.h"

/* whether shared clusters may be freed and copied (ocfs2.refcount_writes) */
bool ocfs2_refcount_writes(void);
/* the inode is refcounted and the parameter refuses changing it */
bool ocfs2_refcount_refused(struct inode *inode);
/*
 * Its last name may not go: refused as above, or it has xattrs and
 * ocfs2.refcount_xattr_delete is off.  (Xattr buckets of a refcounted
 * inode are refused by ocfs2_xattr_tree_unfreeable.)
 */
bool ocfs2_rc_delete_refused(struct inode *inode);

/*
 * Every change to any refcount tree is serialised (trees are shared
 * between inodes); on a cluster mount the tree's cluster lock ('T') is
 * taken too, at EX.  Taken before a transaction starts, after the
 * inode's meta lock; @inode must be refcounted.  The unlock checkpoints
 * what changed under a cluster lock before another node may take it.
 */
struct ocfs2_rc_held;
int ocfs2_rc_lock(struct inode *inode, struct buffer_head *ibh,
		  struct ocfs2_rc_held **held);
void ocfs2_rc_unlock(struct inode *inode, struct ocfs2_rc_held *held);

/* one refcount record, or a hole of the tree, covering part of a range */
struct ocfs2_rc_piece {
	u64	start;		/* physical cluster */
	u32	len;
	u32	count;		/* 0: no record (a hole) */
	bool	grows;		/* its change needs new refcount blocks */
};
/*
 * At most that many new blocks for one change of a refcount tree: a
 * first leaf and a split, or a split whose record splits the rf_list's
 * extent blocks up to a new level (OCFS2_MAX_TREE_DEPTH, extent_tree.h).
 */
#define OCFS2_RC_NEW_BLOCKS	(2 + 5)

/*
 * The piece of physical clusters [@first, @first + @len) at its start
 * (or its end, @tail) that lies in one record or hole; for a record,
 * checked that decrementing the piece fits its leaf or that the leaf can
 * be split (-EOPNOTSUPP when the root indexes as many leaves as it can).
 */
int ocfs2_rc_plan(struct inode *inode, struct buffer_head *ibh, u64 first,
		  u32 len, bool tail, struct ocfs2_rc_piece *piece);
/*
 * In @handle: one reference less to clusters [@first, @first + @len),
 * which lie in one record; clusters reaching 0 go to the truncate log
 * when @free (else they stay the caller's).
 */
int ocfs2_rc_release(handle_t *handle, struct inode *inode,
		     struct buffer_head *ibh, u64 first, u32 len, bool free);
/* The same for a change by @delta (a hole may be found: count 0). */
int ocfs2_rc_plan_add(struct inode *inode, struct buffer_head *ibh, u64 first,
		      u32 len, int delta, struct ocfs2_rc_piece *piece);
/* In @handle: the count of [@first, @first + @len) (one piece) by @delta. */
int ocfs2_rc_change(handle_t *handle, struct inode *inode,
		    struct buffer_head *ibh, u64 first, u32 len, int delta,
		    bool free);
/* journal credits of one ocfs2_rc_release or ocfs2_rc_change */
#define OCFS2_RC_CREDITS	20

/* In @handle: a new tree for @inode (which names none), rf_count 1. */
int ocfs2_rc_new_tree(handle_t *handle, struct inode *inode,
		      struct buffer_head *ibh);
/* In @handle: @inode (which names none) joins the tree @src_ibh names. */
int ocfs2_rc_join(handle_t *handle, struct inode *inode,
		  struct buffer_head *ibh, struct buffer_head *src_ibh);
/* The inode leaves its tree (freed when no inode is left); own transaction. */
int ocfs2_rc_detach(struct inode *inode, struct buffer_head *ibh);

/* Copy-on-write of the shared clusters under bytes [@pos, @pos + @len). */
int ocfs2_rc_cow(struct inode *inode, struct buffer_head *ibh, loff_t pos,
		 u64 len);
/* The same, taking the inode's meta lock EX around it. */
int ocfs2_rc_cow_range(struct inode *inode, loff_t pos, loff_t len);

/*
 * In @handle: logical clusters [@cpos, @cpos + @len), inside one extent
 * record, map @blkno with @flags (the record is cut as needed).
 */
int ocfs2_rc_remap(handle_t *handle, struct inode *inode,
		   struct buffer_head *ibh, u32 cpos, u32 len, u64 blkno,
		   u8 flags);

/*
 * Metadata blocks that inserting @recs records into @inode's tree at
 * @cpos may take: none while that leaf has room, else a split of every
 * level (and a new root level) per insert.  For ocfs2_meta_claim_ahead.
 */
int ocfs2_rc_tree_blocks(struct inode *inode, struct buffer_head *ibh,
			 u32 cpos, unsigned int recs, unsigned int *blocks);

/*
 * refcount_probe.c: before a truncate or punch of clusters [@first,
 * @end) changes anything: -ENOSPC when the metadata blocks its steps
 * will take cannot be had (takes the inode's meta lock).
 */
int ocfs2_rc_remove_probe(struct inode *inode, u32 first, u32 end);

/* refcount_reflink.c: FICLONE of a whole file into an empty one */
loff_t ocfs2_remap_file_range(struct file *file_in, loff_t pos_in,
			      struct file *file_out, loff_t pos_out,
			      loff_t len, unsigned int remap_flags);

#endif /* OCFS2_REFCOUNT_H */
