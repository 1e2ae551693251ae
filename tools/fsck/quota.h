/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsck.ocfs2 pass 5 (quota): what is read from a global quota file and
 * what the inodes add up to, per user or group id; quota.c checks,
 * quota_write.c rebuilds the file from it.
 */
#ifndef OCFS2_FSCK_QUOTA_H
#define OCFS2_FSCK_QUOTA_H

#include "fsck.h"

/* one id: limits as found on disk, usage as found and as computed */
struct qent {
	u32 id;
	bool used;		/* slot of the table taken */
	bool on_disk;		/* the global file has an entry */
	u64 ihard, isoft, bhard, bsoft, btime, itime;
	u64 disk_space, disk_inodes;
	u64 space, inodes;	/* computed from the inodes */
};

struct qfile {
	int type;		/* 0 user, 1 group */
	u64 ino;		/* global file inode */
	struct ocfs2_dinode *di;
	char *data;		/* the whole file */
	u32 blocks;		/* blocks of data */
	u32 bgrace, igrace, syncms;
	bool header_bad, rewrite;
	u8 *seen;		/* blocks walked (tree loops) */
	struct qent *tab;	/* open addressing by id */
	size_t cap, count;
};

#define QT_TREEOFF	1	/* the tree's root block */

struct qent *qf_get(struct qfile *qf, u32 id, bool create);
int fsck_quota_write(struct fsck_ctx *ctx, struct qfile *qf);
unsigned int qf_entries_per_block(unsigned int bs);

#endif /* OCFS2_FSCK_QUOTA_H */
