/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mkfs.ocfs2 internals: the options as parsed, the geometry derived from
 * them, and the in-memory cluster map the layout is planned on.
 */
#ifndef OCFS2_MKFS_H
#define OCFS2_MKFS_H

#include "libocfs2.h"

enum mkfs_type { TYPE_DEFAULT, TYPE_MAIL, TYPE_DATAFILES, TYPE_VMSTORE };

struct mkfs_opts {
	const char *device;
	unsigned int blocksize;		/* 0 = pick */
	unsigned int clustersize;	/* 0 = pick */
	unsigned int slots;		/* 0 = pick */
	u64 journal_bytes;		/* 0 = pick */
	int journal64;			/* -1 pick, 0 block32, 1 block64 */
	const char *label;
	enum mkfs_type type;
	bool local;
	const char *feature_level;
	const char *features;
	const char *stack;
	const char *cluster_name;
	bool global_hb;
	bool discard;
	bool no_backup_super;
	bool force, dry_run, quiet, verbose;
};

/* A run of clusters. */
struct crun {
	u32 start, len;
};

#define MAX_RUNS 64

struct mkfs_state {
	struct mkfs_opts *o;
	struct ocfs2_fs *fs;		/* geometry; io opened read-write */
	struct ocfs2_features feat;
	u64 volume_bytes;
	u32 clusters;
	unsigned int bpc;		/* blocks per cluster */
	unsigned int cpg;		/* clusters per cluster group */
	u32 groups;
	u64 first_group_blkno;
	u8 *cmap;			/* one bit per cluster, 1 = used */
	u32 used;
	u32 hint;
	u8 uuid[16];
	u32 now;
	u64 backups[OCFS2_MAX_BACKUP_SUPERBLOCKS];
	int nbackups;
	/* inode numbers */
	u64 root_blkno, sysdir_blkno, lf_blkno;
	u16 root_bit, sysdir_bit;
	u64 sys_blkno[NUM_SYSTEM_INODES][OCFS2_MAX_SLOTS];
	u16 sys_bit[NUM_SYSTEM_INODES][OCFS2_MAX_SLOTS];
	/* global_inode_alloc groups */
	unsigned int gia_groups, gia_cpg;
	u64 gia_group_blkno[8];
	u32 gia_group_cluster[8];
	/* inode_alloc:0000's group, holding lost+found */
	u64 ia0_group_blkno;
	u32 ia0_group_cluster;
	unsigned int sub_cpg;		/* clusters per suballocator group */
	unsigned int journal_clusters;
	u32 journal_jbd2_incompat;
};

/* layout.c */
/* stack.c: fill o->stack/cluster_name from the running user stack; -errno */
int mkfs_pick_stack(struct mkfs_opts *o);
int mkfs_plan_geometry(struct mkfs_state *st);
int mkfs_cluster_map_init(struct mkfs_state *st);
int mkfs_alloc(struct mkfs_state *st, u32 clusters, struct crun *runs,
	       int max_runs);
int mkfs_alloc_contig(struct mkfs_state *st, u32 clusters, u32 *start);
bool mkfs_cluster_used(const struct mkfs_state *st, u32 c);
u64 mkfs_group_blkno(const struct mkfs_state *st, u32 group);
int mkfs_number_inodes(struct mkfs_state *st);
bool mkfs_sysfile_wanted(const struct mkfs_state *st, int type);
unsigned int mkfs_suballoc_max_bits(const struct mkfs_state *st);

/* format.c */
int mkfs_write_volume(struct mkfs_state *st);
void mkfs_sysfile_init(struct mkfs_state *st, struct ocfs2_dinode *di,
		       int type, int slot);

/* quota.c */
int mkfs_write_quota_files(struct mkfs_state *st, struct ocfs2_dinode *di);

#endif /* OCFS2_MKFS_H */
