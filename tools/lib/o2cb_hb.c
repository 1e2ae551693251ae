// SPDX-License-Identifier: GPL-2.0
/*
 * Heartbeat regions: the volume side (what the superblock and the
 * heartbeat system file say) and the cluster side (the configfs region
 * and its shared reference count).  See o2cb_hb.h for the semaphore
 * convention; it is the stock tools' one, so both kinds of tool can share
 * a region.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/crc32.h>

#include "libocfs2.h"
#include "o2cb_configfs.h"
#include "o2cb_hb.h"

static unsigned int sector_size(const char *device)
{
	struct stat st;
	int fd, ssz = 0;

	if (stat(device, &st) || !S_ISBLK(st.st_mode))
		return 512;
	fd = open(device, O_RDONLY);
	if (fd < 0)
		return 512;
	if (ioctl(fd, BLKSSZGET, &ssz) || ssz < 512)
		ssz = 512;
	close(fd);
	return ssz;
}

/* The heartbeat file must be one extent: the kernel writes it by offset. */
static int read_hb_extent(struct ocfs2_fs *fs, struct o2cb_region *r)
{
	struct ocfs2_dinode *di = NULL;
	struct ocfs2_extent_list *el;
	unsigned int sbits;
	u64 blkno, bytes;
	int ret;

	ret = ocfs2_lookup_system_inode(fs, HEARTBEAT_SYSTEM_INODE, 0, &blkno);
	if (ret)
		return ret;
	di = io_alloc(fs->bs);
	if (!di)
		return -ENOMEM;
	ret = ocfs2_read_inode(fs, blkno, di);
	if (ret)
		goto out;
	el = &di->id2.i_list;
	ret = -O2CB_EBADHB;
	if (!(le32_to_cpu(di->i_flags) & OCFS2_HEARTBEAT_FL) ||
	    le16_to_cpu(el->l_tree_depth) || le16_to_cpu(el->l_next_free_rec) != 1)
		goto out;
	r->block_bytes = sector_size(fs->device);
	sbits = ffs(r->block_bytes) - 1;
	bytes = (u64)le16_to_cpu(el->l_recs[0].e_leaf_clusters) << fs->cbits;
	r->blocks = bytes >> sbits;
	if (r->blocks > O2CB_HB_BLOCKS)
		r->blocks = O2CB_HB_BLOCKS;
	r->start_block = (le64_to_cpu(el->l_recs[0].e_blkno) << fs->bbits) >> sbits;
	ret = r->blocks ? 0 : -O2CB_EBADHB;
out:
	free(di);
	return ret;
}

static void copy_padded(char *dst, const u8 *src, size_t len)
{
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int o2cb_volume_read(const char *device, struct o2cb_volume *vol)
{
	const struct ocfs2_cluster_info *ci;
	struct ocfs2_fs *fs;
	unsigned int i;
	int ret;

	memset(vol, 0, sizeof(*vol));
	ret = ocfs2_fs_open(device, OCFS2_OPEN_NOCHECK, 0, 0, &fs);
	if (ret)
		return ret;
	for (i = 0; i < OCFS2_VOL_UUID_LEN; i++)
		sprintf(vol->region.name + 2 * i, "%02X", fs->sb->s_uuid[i]);
	snprintf(vol->region.device, sizeof(vol->region.device), "%s", device);
	copy_padded(vol->label, fs->sb->s_label, sizeof(fs->sb->s_label));
	vol->local_mount = ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_LOCAL_MOUNT);
	vol->user_stack = ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK);
	if (vol->user_stack || ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_CLUSTERINFO)) {
		ci = &fs->sb->s_cluster_info;
		copy_padded(vol->stack, ci->ci_stack, sizeof(ci->ci_stack));
		copy_padded(vol->cluster, ci->ci_cluster, sizeof(ci->ci_cluster));
		vol->global_hb = !vol->user_stack &&
			(ci->ci_stackflags & OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT);
	}
	ret = vol->local_mount ? 0 : read_hb_extent(fs, &vol->region);
	ocfs2_fs_close(fs);
	return ret;
}

/* Does DEVICE hold an OCFS2 volume with this UUID? */
static bool has_uuid(const char *device, const char *uuid)
{
	struct o2cb_volume vol;
	int ret = o2cb_volume_read(device, &vol);

	return (!ret || ret == -O2CB_EBADHB) && !strcasecmp(vol.region.name, uuid);
}

int o2cb_volume_find(const char *uuid, char *device, size_t len)
{
	char line[256], name[100], path[128];
	int major, minor, ret = -ENODEV;
	FILE *f = fopen("/proc/partitions", "r");

	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d %d %*d %99s", &major, &minor, name) != 3)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", name);
		if (has_uuid(path, uuid)) {
			snprintf(device, len, "%s", path);
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

static int region_path(char *buf, size_t len, const char *cluster,
		       const char *name, const char *attr)
{
	int n = snprintf(buf, len, O2CB_CLUSTER_DIR "/%s/heartbeat/%s%s%s",
			 cluster, name, attr ? "/" : "", attr ? attr : "");

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int o2cb_hb_global(const char *cluster, bool *global)
{
	char path[PATH_MAX], mode[16];
	int ret;

	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/heartbeat/mode", cluster);
	ret = o2cb_read_attr(path, mode, sizeof(mode));
	/* Node managers older than global heartbeat have no mode file. */
	*global = !ret && !strcmp(mode, "global");
	return ret == -ENOENT ? 0 : ret;
}

/* ---- the shared reference count ---- */

static key_t region_key(const char *name)
{
	return (key_t)(crc32_le(~0u, (const unsigned char *)name, strlen(name)) ^ ~0u);
}

/*
 * Take the region's mutex.  The last user removes the set while holding
 * it, so a waiter can see EIDRM: look the set up again then.
 */
static int sem_lock(const char *name, int *semid)
{
	struct sembuf take[2] = {
		{ .sem_num = 0, .sem_op = 0, .sem_flg = SEM_UNDO },
		{ .sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO },
	};
	int id;

	for (;;) {
		id = semget(region_key(name), 2, IPC_CREAT);
		if (id < 0)
			return -errno;
		if (!semop(id, take, 2)) {
			*semid = id;
			return 0;
		}
		if (errno != EIDRM && errno != EINVAL)
			return -errno;
	}
}

static int sem_unlock(int semid)
{
	struct sembuf give = { .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO };

	return semop(semid, &give, 1) ? -errno : 0;
}

/* No SEM_UNDO: the reference belongs to the mount, not to this process. */
static int sem_ref(int semid, int delta)
{
	struct sembuf op = { .sem_num = 1, .sem_op = delta, .sem_flg = 0 };

	return semop(semid, &op, 1) ? -errno : 0;
}

int o2cb_hb_refs(const char *name, int *refs)
{
	int id = semget(region_key(name), 2, IPC_CREAT), n;

	if (id < 0)
		return -errno;
	n = semctl(id, 1, GETVAL);
	if (n < 0)
		return errno == EIDRM ? (*refs = 0) : -errno;
	*refs = n;
	return 0;
}

/* ---- the configfs region ---- */

static int set_region_attr(const char *cluster, const char *name,
			   const char *attr, unsigned long long v)
{
	char path[PATH_MAX], num[32];
	int ret = region_path(path, sizeof(path), cluster, name, attr);

	if (ret)
		return ret;
	snprintf(num, sizeof(num), "%llu", v);
	return o2cb_write_attr(path, num);
}

/*
 * The layout first, then the device: writing dev starts the thread and
 * returns once the region is steady (or fails: too small, in use).
 */
static int create_region(const char *cluster, const struct o2cb_region *r)
{
	char path[PATH_MAX];
	int ret, fd;

	ret = region_path(path, sizeof(path), cluster, r->name, NULL);
	if (ret)
		return ret;
	if (mkdir(path, 0755))
		return -errno;
	ret = set_region_attr(cluster, r->name, "block_bytes", r->block_bytes);
	if (!ret)
		ret = set_region_attr(cluster, r->name, "start_block", r->start_block);
	if (!ret)
		ret = set_region_attr(cluster, r->name, "blocks", r->blocks);
	if (ret)
		goto undo;
	fd = open(r->device, O_RDWR);
	if (fd < 0) {
		ret = -errno;
		goto undo;
	}
	ret = set_region_attr(cluster, r->name, "dev", fd);
	close(fd);
	if (!ret)
		return 0;
undo:
	rmdir(path);
	return ret;
}

int o2cb_hb_start(const char *cluster, const struct o2cb_region *r)
{
	int semid, ret, unl;

	if (!r->block_bytes || r->block_bytes > 4096 || !r->blocks ||
	    r->blocks > O2CB_HB_BLOCKS)
		return -EINVAL;
	ret = sem_lock(r->name, &semid);
	if (ret)
		return ret;
	ret = create_region(cluster, r);
	if (ret == -EEXIST) {
		/* Already beating: one more user, except in global mode,
		 * where the region is the cluster's and counted once. */
		bool global = false;

		ret = o2cb_hb_global(cluster, &global);
		if (!ret && global)
			goto unlock;
	}
	if (!ret)
		ret = sem_ref(semid, 1);
unlock:
	unl = sem_unlock(semid);
	return ret ? ret : unl;
}

int o2cb_hb_stop(const char *cluster, const char *name)
{
	char path[PATH_MAX];
	int semid, refs, ret;

	ret = region_path(path, sizeof(path), cluster, name, NULL);
	if (ret || (ret = sem_lock(name, &semid)))
		return ret;
	refs = semctl(semid, 1, GETVAL);
	if (refs < 0) {
		ret = -errno;
		goto unlock;
	}
	/* A user that died without stopping leaves no count: still clean up. */
	if (refs > 0) {
		ret = sem_ref(semid, -1);
		if (ret || --refs)
			goto unlock;
	}
	if (rmdir(path)) {
		ret = -errno;
		goto unlock;
	}
	/* Removing the set releases the mutex with it. */
	return semctl(semid, 0, IPC_RMID) ? -errno : 0;
unlock:
	sem_unlock(semid);
	return ret;
}

int o2cb_hb_pid(const char *cluster, const char *name, int *pid)
{
	char path[PATH_MAX], buf[32];
	int ret = region_path(path, sizeof(path), cluster, name, "pid");

	if (!ret)
		ret = o2cb_read_attr(path, buf, sizeof(buf));
	if (ret)
		return ret;
	*pid = atoi(buf);
	return *pid > 0 ? 0 : -ESRCH;
}

const char *o2cb_service_strerror(int err)
{
	switch (-err) {
	case ENOENT: case ENOTDIR:
		return "Unable to access cluster service";
	case EACCES: case EPERM: case EROFS:
		return "Insufficient permissions to access cluster service";
	default:
		return NULL;
	}
}

const char *o2cb_hb_strerror(int err)
{
	const char *s = o2cb_service_strerror(err);

	if (s)
		return s;
	switch (-err) {
	case ENODEV:
		return o2cb_service_strerror(-ENOENT);
	case EEXIST:
		return "Heartbeat region already exists";
	case EBUSY: case ENOTEMPTY:
		return "Heartbeat region in use";
	case EIDRM:
		return "Region semaphore set destroyed";
	case O2CB_EBADHB:
		return "Invalid heartbeat file";
	case EUCLEAN:
		return "Bad magic number in superblock";
	default:
		return strerror(-err);
	}
}

const char *o2cb_volume_strerror(const char *device, int err)
{
	if (access(device, F_OK))
		return "Device name specified was not found";
	switch (-err) {
	case ENOENT: case EUCLEAN:
		return "Bad magic number in superblock";
	case EIO: case ESPIPE: case ENOTBLK:
		return "I/O error on channel";
	case EOPNOTSUPP:
		return "Unsupported feature(s) found";
	case O2CB_EBADHB:
		return "Invalid heartbeat file";
	default:
		return strerror(-err);
	}
}
