/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsck.ocfs2 internals: the check context shared by the passes, the
 * per-inode facts they collect, and the problem codes (problem.c).
 */
#ifndef OCFS2_FSCK_H
#define OCFS2_FSCK_H

#include "ocfs2_print.h"

/* Exit codes, as e2fsck and stock fsck.ocfs2. */
#define FSCK_OK			0
#define FSCK_NONDESTRUCT	1	/* errors corrected */
#define FSCK_UNCORRECTED	4	/* errors left */
#define FSCK_ERROR		8	/* operational error */
#define FSCK_USAGE		16

enum problem_code {
#define PROBLEM_ENUM(code, ans, flags, prompt, msg) PR_##code,
#include "problems.def"
#undef PROBLEM_ENUM
	PR_MAX
};

/* What pass 1 learns about each inode, looked up by block number. */
struct inode_info {
	u64 blkno;
	u64 parent;		/* directory holding its ".." target */
	u64 found_in;		/* a directory that names it */
	u32 links;		/* i_links_count on disk */
	u32 refs;		/* directory entries naming it */
	u16 mode;
	u16 slot;		/* suballocator slot (0xffff global) */
	u8 flags;
};

#define II_DIR		0x01
#define II_SYSTEM	0x02
#define II_REACHED	0x04
#define II_ORPHAN	0x08	/* named in an orphan dir */
#define II_BAD		0x10	/* invalid: entries to it get cleared */

/* A group descriptor of an allocator, as pass 0 found it. */
struct group_ref {
	u64 blkno;
	u64 alloc;		/* allocator inode */
	u16 chain;
	u16 bits;
	u8 kind;		/* GR_* */
};

enum { GR_CLUSTER, GR_INODE, GR_EXTENT };

struct fsck_ctx {
	struct ocfs2_fs *fs;
	const char *device;
	bool yes, no, preen, force, verbose;
	int found, fixed;		/* problems seen and repaired */
	int dirty_journals;		/* left unreplayed under -n */
	u8 *cmap;			/* clusters found in use */
	u8 *dupmap;			/* clusters claimed twice */
	u32 dups;
	struct inode_info *inodes;	/* open-addressing table */
	size_t inode_cap, inode_count;
	u64 *ebs;			/* allocated extent blocks (sorted) */
	size_t neb, eb_cap;
	u64 *eb_refs;			/* extent-allocator blocks in use */
	size_t nrefs, ref_cap;
	bool refs_lost;			/* out of memory: no leak check */
	u64 cur_rc_root;		/* tree of the inode pass 1 is in */
	u64 *rc_roots;			/* refcount trees already walked */
	size_t nrc, rc_cap;
	struct group_ref *groups;
	size_t ngroups, group_cap;
	u32 la_off[OCFS2_MAX_SLOTS];	/* local alloc windows held */
	u32 la_total[OCFS2_MAX_SLOTS];
	int nla;
	u64 root, sysdir, lost_found;
	u64 sys_alloc[NUM_SYSTEM_INODES][OCFS2_MAX_SLOTS];
};

/* problem.c */
bool fix_problem(struct fsck_ctx *ctx, enum problem_code code,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* util.c */
struct inode_info *ii_get(struct fsck_ctx *ctx, u64 blkno, bool create);
void cmap_mark(struct fsck_ctx *ctx, u64 cluster, u64 count);
void cmap_mark_shared(struct fsck_ctx *ctx, u64 cluster, u64 count);
bool cmap_test(const struct fsck_ctx *ctx, u64 cluster);
int eb_add(struct fsck_ctx *ctx, u64 blkno);
bool eb_allocated(struct fsck_ctx *ctx, u64 blkno);
void eb_ref(struct fsck_ctx *ctx, u64 blkno);
int group_add(struct fsck_ctx *ctx, const struct group_ref *g);
int alloc_clear_bit(struct fsck_ctx *ctx, u64 alloc_blkno, u64 block);
int fsck_write(struct fsck_ctx *ctx, enum ocfs2_block_type t, u64 blkno,
	       void *buf);

/* pass 1 helpers for what hangs off an inode (pass1.c, xattr.c) */
s64 fsck_mark_extents(struct fsck_ctx *ctx, struct ocfs2_extent_list *el,
		      unsigned int max_recs, u64 ino);
void fsck_check_dx_root(struct fsck_ctx *ctx, struct ocfs2_dinode *di);
bool fsck_check_xattrs(struct fsck_ctx *ctx, struct ocfs2_dinode *di);

/* pass 2 helper for indexed directories (dxdir.c) */
struct dx_dir;
bool fsck_dx_load(struct fsck_ctx *ctx, struct ocfs2_dinode *di,
		  struct dx_dir **out);
void fsck_dx_check_entry(struct dx_dir *dx, const struct ocfs2_dir_entry *de,
			 u64 blk);
void fsck_dx_free(struct dx_dir *dx);

/* extent-allocator blocks nothing refers to (leaks.c) */
void fsck_check_refcount_tree(struct fsck_ctx *ctx, struct ocfs2_dinode *di);
int fsck_extent_leaks(struct fsck_ctx *ctx);

/* refcount trees against the refcounted extents (refcount.c) */
bool fsck_check_refcount_flags(struct fsck_ctx *ctx, struct ocfs2_dinode *di);
void fsck_rc_extent(struct fsck_ctx *ctx, u64 cluster, u32 len);
int fsck_refcounts(struct fsck_ctx *ctx);

/* the passes */
int fsck_journals(struct fsck_ctx *ctx);
int fsck_pass0(struct fsck_ctx *ctx);
int fsck_pass1(struct fsck_ctx *ctx);
int fsck_pass1_dups(struct fsck_ctx *ctx);
int fsck_pass2(struct fsck_ctx *ctx);
int fsck_pass3(struct fsck_ctx *ctx);
int fsck_pass4(struct fsck_ctx *ctx);
int fsck_cluster_bitmap(struct fsck_ctx *ctx);
int fsck_pass5(struct fsck_ctx *ctx);
int fsck_dir_add_entry(struct fsck_ctx *ctx, u64 dir, u64 ino,
		       const char *name, u8 type);
int fsck_make_lost_found(struct fsck_ctx *ctx);
int fsck_dir_set_dotdot(struct fsck_ctx *ctx, u64 dir, u64 parent);
int fsck_dir_remove_ino(struct fsck_ctx *ctx, u64 dir, u64 ino);

#endif /* OCFS2_FSCK_H */
