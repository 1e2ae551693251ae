/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tunefs.ocfs2 internals: the parsed request and the registry of feature
 * operations (features.c), each with what enabling and disabling takes.
 */
#ifndef OCFS2_TUNEFS_H
#define OCFS2_TUNEFS_H

#include "ocfs2_print.h"

struct tunefs_req {
	const char *device;
	const char *query;
	const char *label;
	bool set_uuid;
	const char *uuid;	/* NULL = generate */
	bool cloned;
	int slots;
	int mount;		/* -1 keep, 0 cluster, 1 local */
	const char *stack, *cluster_name;
	bool global_hb, no_global_hb;
	const char *features;
	bool backup_super;
	u64 journal_bytes;	/* -J size=, 0 keep */
	bool update_stack;	/* --update-cluster-stack */
	bool yes, no, verbose, quiet;
};

/* A feature tunefs knows how to turn on and/or off without moving data. */
struct tunefs_feature {
	const char *name;
	int word;			/* 0 compat, 1 incompat, 2 ro_compat */
	u32 bit;
	/* return 0 when done, -EOPNOTSUPP with *why set when refused */
	int (*enable)(struct ocfs2_fs *fs, const char **why);
	int (*disable)(struct ocfs2_fs *fs, const char **why);
};

int tunefs_set_features(struct ocfs2_fs *fs, const char *list, bool verbose);
int tunefs_backup_super(struct ocfs2_fs *fs, const char **why);
int tunefs_add_slots(struct ocfs2_fs *fs, int slots, const char **why);
int tunefs_resize_journals(struct ocfs2_fs *fs, u64 bytes, const char **why);
/* 0 when no journal needs recovery, -EBUSY with *slot the first that does */
int tunefs_journals_clean(struct ocfs2_fs *fs, int *slot);
/* --update-cluster-stack (update_stack.c): prints its own errors */
int tunefs_update_stack(struct ocfs2_fs *fs, const char *device,
			bool verbose, bool *changed);

#endif /* OCFS2_TUNEFS_H */
