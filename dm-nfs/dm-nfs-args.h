/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dm-nfs: the table line's target arguments, `<path> <offset> [<uid>]`.
 * Kept free of other kernel objects so tests/unit/dm-nfs can build it.
 */
#ifndef DM_NFS_ARGS_H
#define DM_NFS_ARGS_H

#include <linux/types.h>

struct dm_nfs_args {
	const char *path;
	u64 offset;		/* byte offset of sector 0 in the file */
	u32 uid;		/* fsuid for the I/O, valid if has_uid */
	bool has_uid;
};

int dm_nfs_parse_args(unsigned int argc, char **argv, sector_t len,
		      struct dm_nfs_args *args, char **error);

#endif /* DM_NFS_ARGS_H */
