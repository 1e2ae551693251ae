// SPDX-License-Identifier: GPL-2.0
/*
 * Is it safe to write to a device?  Is it mounted, what filesystem does
 * libblkid see on it, is an OCFS2 volume on it alive (its heartbeat
 * blocks still changing)?  Used by mkfs and tunefs before they write.
 */
#include <blkid/blkid.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libocfs2.h"

static bool same_device(const char *a, const struct stat *sa)
{
	struct stat sb;

	if (stat(a, &sb) < 0)
		return false;
	if (S_ISBLK(sa->st_mode))
		return S_ISBLK(sb.st_mode) && sb.st_rdev == sa->st_rdev;
	return sb.st_dev == sa->st_dev && sb.st_ino == sa->st_ino;
}

/* Mounted directly, or through a loop device backed by it? */
bool ocfs2_device_mounted(const char *device)
{
	struct mntent *m;
	struct stat st;
	bool found = false;
	FILE *f;

	if (stat(device, &st) < 0)
		return false;
	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return false;
	while (!found && (m = getmntent(f)))
		found = same_device(m->mnt_fsname, &st);
	endmntent(f);
	return found;
}

/* The filesystem type libblkid sees on @device, or NULL. */
char *ocfs2_existing_fs(const char *device)
{
	blkid_probe pr = blkid_new_probe_from_filename(device);
	const char *type = NULL;
	char *ret = NULL;

	if (!pr)
		return NULL;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	if (!blkid_do_safeprobe(pr) &&
	    !blkid_probe_lookup_value(pr, "TYPE", &type, NULL))
		ret = strdup(type);
	blkid_free_probe(pr);
	return ret;
}

static int read_heartbeat(struct ocfs2_fs *fs, struct ocfs2_dinode *hb,
			  char *buf, size_t len)
{
	size_t got;

	return ocfs2_file_read(fs, hb, buf, len, 0, &got);
}

/*
 * A node heartbeating on the volume rewrites its sector every 2 s; sample
 * the region twice, a little over one interval apart.
 */
int ocfs2_heartbeat_live(const char *device)
{
	struct ocfs2_fs *fs;
	struct ocfs2_dinode *hb = NULL;
	char *a = NULL, *b = NULL;
	size_t len;
	u64 blkno;
	int ret;

	ret = ocfs2_fs_open(device, OCFS2_OPEN_NOCHECK, 0, 0, &fs);
	if (ret)
		return 0;	/* not an ocfs2 volume we can read */
	ret = ocfs2_lookup_system_inode(fs, HEARTBEAT_SYSTEM_INODE, 0, &blkno);
	hb = io_alloc(fs->bs);
	if (ret || !hb || ocfs2_read_inode(fs, blkno, hb))
		goto none;
	len = (size_t)le64_to_cpu(hb->i_size);
	if (len > (1 << 20))
		len = 1 << 20;
	a = io_alloc(len);
	b = io_alloc(len);
	if (!a || !b || read_heartbeat(fs, hb, a, len))
		goto none;
	usleep(2500 * 1000);
	if (read_heartbeat(fs, hb, b, len))
		goto none;
	ret = memcmp(a, b, len) ? 1 : 0;
	goto out;
none:
	ret = 0;
out:
	free(a);
	free(b);
	free(hb);
	ocfs2_fs_close(fs);
	return ret;
}
