/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dm-nfs: shared declarations of the "nfs" device-mapper target, which turns
 * a file (normally on NFS) into a block device with direct, asynchronous I/O.
 */
#ifndef DM_NFS_H
#define DM_NFS_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/fs.h>

#include "dm-nfs-args.h"

#define DM_MSG_PREFIX "nfs"

struct dm_target;
struct bio;
struct cred;
struct queue_limits;

/* One table target: the backing file and what its I/O runs with. */
struct dm_nfs {
	struct dm_target *ti;
	struct file *file;
	const struct cred *cred;	/* table uid as fsuid, else creator's */
	struct workqueue_struct *wq;

	char *path;			/* as given, for the TABLE status line */
	loff_t offset;
	u32 uid;
	bool has_uid;
	bool writable;			/* table loaded read-write */
	bool can_fallocate;		/* discard and write-zeroes possible */
	bool denied_mmap;		/* we hold mapping_deny_writable() */
	unsigned int block_size;	/* direct I/O alignment, >= 512 */

	atomic_t in_flight;
	atomic64_t completed;
	atomic64_t errors;
	wait_queue_head_t drained;
};

/* Per-bio state, carved out of the bio by dm (ti->per_io_data_size). */
struct dm_nfs_io {
	struct dm_nfs *dn;
	struct work_struct work;
	struct kiocb iocb;
	loff_t pos;		/* file position of the bio's first byte */
	long ret;		/* result of the read or write */
	atomic_t ref;		/* submitter + completion, see dm-nfs-io.c */
};

/* dm-nfs-file.c */
int dm_nfs_open_file(struct dm_nfs *dn, sector_t len, char **error);
void dm_nfs_close_file(struct dm_nfs *dn);
extern bool dm_nfs_allow_any_fs;

/* dm-nfs-io.c */
void dm_nfs_queue_bio(struct dm_nfs *dn, struct bio *bio);
int dm_nfs_sync_file(struct dm_nfs *dn);

#endif /* DM_NFS_H */
