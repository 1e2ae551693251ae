// SPDX-License-Identifier: GPL-2.0
/*
 * dm-nfs: the "nfs" device-mapper target type - constructor, destructor,
 * status, queue limits, suspend, and module registration.  The table line
 * is `<start> <length> nfs <path> <offset> [<uid>]`; the I/O itself lives
 * in dm-nfs-io.c and the backing file's checks in dm-nfs-file.c.
 */
#include <linux/ctype.h>
#include <linux/device-mapper.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kcompat.h>

#include "dm-nfs.h"

/* Largest discard or write-zeroes bio we take: one fallocate() call each. */
#define DM_NFS_MAX_FALLOC_SECTORS	(1U << 21)

static void dm_nfs_set_target_caps(struct dm_target *ti, struct dm_nfs *dn)
{
	/* No lower device tells dm we take flushes; say so ourselves. */
	ti->num_flush_bios = 1;
	ti->flush_supported = true;
	if (dn->can_fallocate) {
		ti->num_discard_bios = 1;
		ti->discards_supported = true;
		ti->num_write_zeroes_bios = 1;
	}
	ti->per_io_data_size = sizeof(struct dm_nfs_io);
}

static struct dm_nfs *dm_nfs_alloc(struct dm_target *ti,
				   const struct dm_nfs_args *args)
{
	struct dm_nfs *dn;

	dn = kzalloc(sizeof(*dn), GFP_KERNEL);
	if (!dn)
		return NULL;
	dn->path = kstrdup(args->path, GFP_KERNEL);
	if (!dn->path) {
		kfree(dn);
		return NULL;
	}
	dn->ti = ti;
	dn->offset = args->offset;
	dn->uid = args->uid;
	dn->has_uid = args->has_uid;
	dn->writable = kc_dm_table_writable(ti->table);
	atomic_set(&dn->in_flight, 0);
	atomic64_set(&dn->completed, 0);
	atomic64_set(&dn->errors, 0);
	init_waitqueue_head(&dn->drained);
	return dn;
}

static void dm_nfs_free(struct dm_nfs *dn)
{
	kfree(dn->path);
	kfree(dn);
}

static int dm_nfs_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	struct dm_nfs_args args;
	struct dm_nfs *dn;
	int ret;

	ret = dm_nfs_parse_args(argc, argv, ti->len, &args, &ti->error);
	if (ret)
		return ret;

	dn = dm_nfs_alloc(ti, &args);
	if (!dn) {
		ti->error = "Cannot allocate target context";
		return -ENOMEM;
	}

	/* Reclaim may wait on this device, so the queue needs a rescuer. */
	dn->wq = alloc_workqueue("dm-nfs", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!dn->wq) {
		ti->error = "Cannot allocate workqueue";
		ret = -ENOMEM;
		goto err_free;
	}

	ret = dm_nfs_open_file(dn, ti->len, &ti->error);
	if (ret)
		goto err_wq;

	dm_nfs_set_target_caps(ti, dn);
	ti->private = dn;
	return 0;

err_wq:
	destroy_workqueue(dn->wq);
err_free:
	dm_nfs_free(dn);
	return ret;
}

static void dm_nfs_dtr(struct dm_target *ti)
{
	struct dm_nfs *dn = ti->private;

	destroy_workqueue(dn->wq);
	dm_nfs_close_file(dn);
	dm_nfs_free(dn);
}

static int dm_nfs_map(struct dm_target *ti, struct bio *bio)
{
	dm_nfs_queue_bio(ti->private, bio);
	return DM_MAPIO_SUBMITTED;
}

/*
 * dm splits table lines on white space and takes a backslash as an escape,
 * so a path is printed with those escaped to read back as the same path.
 */
static unsigned int dm_nfs_emit_path(const char *path, char *result,
				     unsigned int sz, unsigned int maxlen)
{
	for (; *path; path++) {
		if (isspace(*path) || *path == '\\')
			DMEMIT("\\");
		DMEMIT("%c", *path);
	}
	return sz;
}

static void dm_nfs_status(struct dm_target *ti, status_type_t type,
			  unsigned int status_flags, char *result,
			  unsigned int maxlen)
{
	struct dm_nfs *dn = ti->private;
	unsigned int sz = 0;

	switch (type) {
	case STATUSTYPE_INFO:
		/* First field as the original target: I/O in flight. */
		DMEMIT("%d %lld %lld", atomic_read(&dn->in_flight),
		       atomic64_read(&dn->completed),
		       atomic64_read(&dn->errors));
		break;
	case STATUSTYPE_TABLE:
		sz = dm_nfs_emit_path(dn->path, result, sz, maxlen);
		DMEMIT(" %lld", dn->offset);
		if (dn->has_uid)
			DMEMIT(" %u", dn->uid);
		break;
	case STATUSTYPE_IMA:
		DMEMIT_TARGET_NAME_VERSION(ti->type);
		DMEMIT(",file_name=%s,offset=%lld,uid=%lld;", dn->path,
		       dn->offset, dn->has_uid ? (long long)dn->uid : -1LL);
		break;
	}
}

/*
 * There is no lower block device.  Walking none still matters: dm only
 * applies io_hints and offers write-zeroes for targets that can walk.
 */
static int dm_nfs_iterate_devices(struct dm_target *ti,
				  iterate_devices_callout_fn fn, void *data)
{
	return 0;
}

static void dm_nfs_io_hints(struct dm_target *ti, struct queue_limits *limits)
{
	struct dm_nfs *dn = ti->private;

	limits->logical_block_size = dn->block_size;
	limits->physical_block_size = max(limits->physical_block_size,
					  dn->block_size);
	limits->io_min = max(limits->io_min, dn->block_size);

	if (!dn->can_fallocate) {
		limits->max_write_zeroes_sectors = 0;
		return;
	}
	limits->discard_granularity = dn->block_size;
	limits->max_hw_discard_sectors = DM_NFS_MAX_FALLOC_SECTORS;
	limits->max_discard_sectors = DM_NFS_MAX_FALLOC_SECTORS;
	limits->max_write_zeroes_sectors = DM_NFS_MAX_FALLOC_SECTORS;
}

/*
 * dm has already waited for every bio we were given before calling this;
 * wait for our own accounting too, then make what completed durable, so
 * a suspended device has everything on the server.
 */
static void dm_nfs_postsuspend(struct dm_target *ti)
{
	struct dm_nfs *dn = ti->private;
	int ret;

	wait_event(dn->drained, !atomic_read(&dn->in_flight));
	flush_workqueue(dn->wq);
	ret = dm_nfs_sync_file(dn);
	if (ret)
		DMERR("%s: sync on suspend failed: %d", dn->path, ret);
}

static struct target_type dm_nfs_target = {
	.name = "nfs",
	.version = {1, 1, 0},
	.module = THIS_MODULE,
	.ctr = dm_nfs_ctr,
	.dtr = dm_nfs_dtr,
	.map = dm_nfs_map,
	.postsuspend = dm_nfs_postsuspend,
	.status = dm_nfs_status,
	.iterate_devices = dm_nfs_iterate_devices,
	.io_hints = dm_nfs_io_hints,
};

static int __init dm_nfs_init(void)
{
	return dm_register_target(&dm_nfs_target);
}

static void __exit dm_nfs_exit(void)
{
	dm_unregister_target(&dm_nfs_target);
}

module_init(dm_nfs_init);
module_exit(dm_nfs_exit);

MODULE_DESCRIPTION(DM_NAME " target backed by a file on NFS");
MODULE_LICENSE("GPL");
