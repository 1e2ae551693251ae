/* SPDX-License-Identifier: GPL-2.0 */
/*
 * O2CB disk heartbeat as the tools drive it: what a volume says about its
 * cluster (read from the superblock), the heartbeat region laid out over
 * its "heartbeat" system file, and starting and stopping that region in
 * configfs with the reference count ocfs2-tools keeps.
 *
 * The reference count is shared with the stock tools, so a region started
 * by the stock mount.ocfs2 can be stopped by ours and the other way round:
 * a SysV semaphore set of two, keyed by the crc32 of the region name;
 * semaphore 0 is a mutex, semaphore 1 counts the users of the region.
 * Every function returns 0 or a negative errno and never prints.
 */
#ifndef O2CB_HB_H
#define O2CB_HB_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#define O2CB_UUID_LEN		32	/* uppercase hex, the region name */
#define O2CB_HB_BLOCKS		255	/* one sector per possible node */

struct o2cb_region {
	char name[O2CB_UUID_LEN + 1];
	char device[PATH_MAX];
	unsigned int block_bytes;	/* the device's sector size */
	uint64_t start_block;		/* in sectors */
	uint64_t blocks;
};

/* What mount and heartbeat need to know about one volume. */
struct o2cb_volume {
	struct o2cb_region region;
	char label[65];
	char stack[5];			/* "" for a classic volume without it */
	char cluster[17];		/* "" when the volume does not say */
	bool local_mount;		/* mounted without any cluster */
	bool global_hb;			/* heartbeat in the cluster's regions */
	bool user_stack;		/* a userspace (pcmk) stack volume */
};

/*
 * Read DEVICE's superblock and heartbeat file.  -ENOENT: no OCFS2
 * superblock; -EUCLEAN: a damaged one; O2CB_EBADHB: the heartbeat file is
 * not one extent of system data.
 */
#define O2CB_EBADHB	ENOEXEC
int o2cb_volume_read(const char *device, struct o2cb_volume *vol);
/* Find the device holding the volume with UUID (any case) in /proc/partitions. */
int o2cb_volume_find(const char *uuid, char *device, size_t len);

/* The heartbeat mode of the registered CLUSTER: true for global. */
int o2cb_hb_global(const char *cluster, bool *global);
/*
 * Start (or take one more reference on) the region in CLUSTER.  The
 * reference outlives this process, as a mount's does; o2cb_hb_stop drops
 * it and removes the region with the last one.
 */
int o2cb_hb_start(const char *cluster, const struct o2cb_region *r);
int o2cb_hb_stop(const char *cluster, const char *name);
int o2cb_hb_refs(const char *name, int *refs);
/*
 * Stock's words for failing to reach the cluster's configfs (missing, or
 * not permitted), shared by every tool; NULL for any other error.
 */
const char *o2cb_service_strerror(int err);
/* The stock tools' wording for what went wrong (their error tables). */
const char *o2cb_hb_strerror(int err);
/* ... and for an error from o2cb_volume_read(DEVICE). */
const char *o2cb_volume_strerror(const char *device, int err);

/* The heartbeat thread's pid, -ENOENT when the region does not exist. */
int o2cb_hb_pid(const char *cluster, const char *name, int *pid);

#endif
