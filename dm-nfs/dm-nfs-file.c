// SPDX-License-Identifier: GPL-2.0
/*
 * dm-nfs: acquire and check the backing file of a table.  The file is
 * looked up and opened with the table's credentials, so an NFS server that
 * squashes root sees the table's uid for the open and for every later I/O
 * (NFS sends its RPCs with the credentials the file was opened with).
 */
#include <linux/cred.h>
#include <linux/device-mapper.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/stat.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "dm-nfs.h"

/*
 * The target exists for NFS; the data path itself only needs direct I/O.
 * Tests (and admins who know what they do) may use any such filesystem.
 */
bool dm_nfs_allow_any_fs;
module_param_named(allow_any_fs, dm_nfs_allow_any_fs, bool, 0644);
MODULE_PARM_DESC(allow_any_fs,
		 "Accept backing files on any filesystem that supports O_DIRECT, not only NFS (default: N)");

static const struct cred *make_io_cred(struct dm_nfs *dn, char **error)
{
	struct cred *cred;
	kuid_t kuid;

	cred = prepare_creds();
	if (!cred) {
		*error = "Cannot allocate credentials";
		return ERR_PTR(-ENOMEM);
	}
	if (dn->has_uid) {
		kuid = make_kuid(current_user_ns(), dn->uid);
		if (!uid_valid(kuid)) {
			abort_creds(cred);
			*error = "Invalid uid: not mapped in this user namespace";
			return ERR_PTR(-EINVAL);
		}
		cred->fsuid = kuid;
	}
	return cred;
}

static char *lookup_error(int err)
{
	switch (err) {
	case -ENOENT:
	case -ENOTDIR:
		return "File not found";
	case -EACCES:
	case -EPERM:
		return "Permission denied looking up file";
	default:
		return "Cannot look up file";
	}
}

static char *open_error(int err)
{
	switch (err) {
	case -EACCES:
	case -EPERM:
		return "Permission denied opening file";
	case -EROFS:
		return "File is on a read-only filesystem";
	case -ETXTBSY:
		return "File is busy (in use as swap or executable)";
	default:
		return "Cannot open file";
	}
}

static bool fs_is_nfs(const struct path *path)
{
	return !strncmp(path->dentry->d_sb->s_type->name, "nfs", 3);
}

/*
 * Look the path up and open it.  Only regular files get opened at all:
 * opening a device node or FIFO has side effects we do not want.
 */
static int open_backing_file(struct dm_nfs *dn, char **error)
{
	int flags = (dn->writable ? O_RDWR : O_RDONLY) | O_LARGEFILE;
	struct file *file;
	struct path path;
	int ret;

	ret = kern_path(dn->path, LOOKUP_FOLLOW, &path);
	if (ret) {
		*error = lookup_error(ret);
		return ret;
	}
	if (!d_is_reg(path.dentry)) {
		*error = "Not a regular file";
		ret = -EINVAL;
		goto out;
	}
	if (!fs_is_nfs(&path) && !dm_nfs_allow_any_fs) {
		*error = "File is not on NFS (module parameter allow_any_fs=1 accepts other filesystems)";
		ret = -EINVAL;
		goto out;
	}
	file = dentry_open(&path, flags, dn->cred);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		*error = open_error(ret);
		goto out;
	}
	dn->file = file;
out:
	path_put(&path);
	return ret;
}

/* Direct I/O alignment the file needs; NFS needs none beyond our sectors. */
static unsigned int dio_block_size(const struct kstat *stat)
{
	if ((stat->result_mask & STATX_DIOALIGN) && stat->dio_offset_align > 512)
		return stat->dio_offset_align;
	return 512;
}

static int check_backing_file(struct dm_nfs *dn, sector_t len, char **error)
{
	struct kstat stat;
	int ret;

	if (!(dn->file->f_mode & FMODE_CAN_ODIRECT)) {
		*error = "Filesystem cannot do direct I/O (O_DIRECT)";
		return -EINVAL;
	}
	/* Force a GETATTR: a cached NFS size may be stale. */
	ret = vfs_getattr(&dn->file->f_path, &stat,
			  STATX_SIZE | STATX_DIOALIGN, AT_STATX_FORCE_SYNC);
	if (ret) {
		*error = "Cannot read file attributes";
		return ret;
	}
	dn->block_size = dio_block_size(&stat);
	if (dn->block_size > PAGE_SIZE || !is_power_of_2(dn->block_size)) {
		*error = "File's direct I/O block size is not usable as a sector size";
		return -EINVAL;
	}
	if (dn->offset & (dn->block_size - 1)) {
		*error = "Invalid offset: not a multiple of the file's block size";
		return -EINVAL;
	}
	if (to_bytes(len) & (dn->block_size - 1)) {
		*error = "Invalid length: not a multiple of the file's block size";
		return -EINVAL;
	}
	if (stat.size < dn->offset || stat.size - dn->offset < to_bytes(len)) {
		*error = "File too small for offset + length";
		return -EINVAL;
	}
	return 0;
}

/*
 * A process writing through a shared mapping would change blocks under
 * the filesystem on this device.  Refuse such a file, and keep new
 * writable mappings out while the table holds it.
 */
static int deny_writable_mappings(struct dm_nfs *dn, char **error)
{
	if (mapping_deny_writable(dn->file->f_mapping)) {
		*error = "File is mapped writable by a process";
		return -EBUSY;
	}
	dn->denied_mmap = true;
	return 0;
}

int dm_nfs_open_file(struct dm_nfs *dn, sector_t len, char **error)
{
	const struct cred *old;
	int ret;

	dn->cred = make_io_cred(dn, error);
	if (IS_ERR(dn->cred)) {
		ret = PTR_ERR(dn->cred);
		dn->cred = NULL;
		return ret;
	}

	old = override_creds(dn->cred);
	ret = open_backing_file(dn, error);
	if (!ret)
		ret = check_backing_file(dn, len, error);
	revert_creds(old);
	if (ret)
		goto err_file;

	ret = deny_writable_mappings(dn, error);
	if (ret)
		goto err_file;

	dn->can_fallocate = dn->writable && dn->file->f_op->fallocate;
	return 0;

err_file:
	if (dn->file)
		fput(dn->file);
	dn->file = NULL;
	put_cred(dn->cred);
	dn->cred = NULL;
	return ret;
}

void dm_nfs_close_file(struct dm_nfs *dn)
{
	if (dn->denied_mmap)
		mapping_allow_writable(dn->file->f_mapping);
	fput(dn->file);
	put_cred(dn->cred);
}
