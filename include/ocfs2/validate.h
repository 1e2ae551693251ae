/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure validators, one per metadata block type, shared by the kernel and
 * the tools so that both agree on what "corrupt" means.  Each looks only at
 * the buffer it is given; it never reads more blocks.  On a defect it
 * returns -EUCLEAN and names the field and the bad value in @bad.
 * Checksums are verified separately (blockcheck.h), before these run.
 */
#ifndef OCFS2_FORMAT_VALIDATE_H
#define OCFS2_FORMAT_VALIDATE_H

#include <linux/types.h>
#include "ocfs2_fs.h"

struct ocfs2_bad {
	const char *what;	/* the defect, e.g. "bad signature" */
	u64 value;		/* the offending value */
};

int ocfs2_validate_super(const void *buf, unsigned int blocksize,
			 struct ocfs2_bad *bad);
int ocfs2_validate_extent_list(const struct ocfs2_extent_list *el,
			       unsigned int max_recs, struct ocfs2_bad *bad);
int ocfs2_validate_dinode(const void *buf, unsigned int blocksize, u64 blkno,
			  u32 fs_generation, struct ocfs2_bad *bad);
int ocfs2_validate_extent_block(const void *buf, unsigned int blocksize,
				u64 blkno, u32 fs_generation,
				struct ocfs2_bad *bad);
int ocfs2_validate_group_desc(const void *buf, unsigned int blocksize,
			      u64 blkno, u32 fs_generation,
			      struct ocfs2_bad *bad);
int ocfs2_validate_dir_block(const void *buf, unsigned int bytes,
			     struct ocfs2_bad *bad);
int ocfs2_validate_dir_trailer(const void *buf, unsigned int blocksize,
			       u64 blkno, struct ocfs2_bad *bad);
int ocfs2_validate_dx_root(const void *buf, unsigned int blocksize, u64 blkno,
			   u32 fs_generation, struct ocfs2_bad *bad);
int ocfs2_validate_dx_leaf(const void *buf, unsigned int blocksize, u64 blkno,
			   u32 fs_generation, struct ocfs2_bad *bad);
int ocfs2_validate_xattr_block(const void *buf, unsigned int blocksize,
			       u64 blkno, u32 fs_generation,
			       struct ocfs2_bad *bad);
int ocfs2_validate_refcount_block(const void *buf, unsigned int blocksize,
				  u64 blkno, u32 fs_generation,
				  struct ocfs2_bad *bad);

/* Where the trailer of a directory block of @blocksize starts. */
static inline unsigned int ocfs2_dir_trailer_offset(unsigned int blocksize)
{
	return blocksize - OCFS2_DIR_TRAILER_SIZE;
}

#endif /* OCFS2_FORMAT_VALIDATE_H */
