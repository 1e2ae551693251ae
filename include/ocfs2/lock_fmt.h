/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock value block layouts of the filesystem's cluster locks, as stock
 * OCFS2 nodes read and write them (big-endian, 64-byte LVB).
 */
#ifndef OCFS2_LOCK_FMT_H
#define OCFS2_LOCK_FMT_H

#include <linux/types.h>

/* The inode meta lock ('M'): enough to refresh an inode without I/O. */
#define OCFS2_META_LVB_VERSION	5

struct ocfs2_meta_lvb {
	__u8	lvb_version;
	__u8	lvb_reserved0;
	__be16	lvb_idynfeatures;
	__be32	lvb_iclusters;
	__be32	lvb_iuid;
	__be32	lvb_igid;
	__be64	lvb_iatime_packed;
	__be64	lvb_ictime_packed;
	__be64	lvb_imtime_packed;
	__be64	lvb_isize;
	__be16	lvb_imode;
	__be16	lvb_inlink;
	__be32	lvb_iattr;
	__be32	lvb_igeneration;
	__be32	lvb_reserved2;
};

/* Times are packed as seconds in the top 34 bits, nanoseconds below. */
#define OCFS2_LVB_SEC_BITS	34
#define OCFS2_LVB_SEC_SHIFT	(64 - OCFS2_LVB_SEC_BITS)
#define OCFS2_LVB_NSEC_MASK	((1ULL << OCFS2_LVB_SEC_SHIFT) - 1)

static_assert(sizeof(struct ocfs2_meta_lvb) == 64);

/*
 * The trim lock ('I'): what the last FITRIM covered, so a node that
 * waited for another node's trim of the same range need not repeat it.
 * Start, length and minimum length are the request's bytes; trimlen is
 * the bytes that trim discarded.
 */
#define OCFS2_TRIM_LVB_VERSION	1

struct ocfs2_trim_lvb {
	__u8	lvb_version;
	__u8	lvb_success;
	__u8	lvb_reserved[2];
	__be32	lvb_nodenum;
	__be64	lvb_start;
	__be64	lvb_len;
	__be64	lvb_minlen;
	__be64	lvb_trimlen;
};

static_assert(sizeof(struct ocfs2_trim_lvb) <= 64);

#endif /* OCFS2_LOCK_FMT_H */
