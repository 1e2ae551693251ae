// SPDX-License-Identifier: GPL-2.0
/*
 * System inodes: found by name in the system directory ("global_bitmap",
 * "journal:0000", ...), as mkfs laid them out.
 */
#include "ocfs2.h"

/* the list is in system inode type order */
#define SYSTEM_NAME(type, name, flags, mode)	name,
static const char * const system_names[] = {
	OCFS2_SYSTEM_INODE_LIST(SYSTEM_NAME)
};
#undef SYSTEM_NAME
static_assert(ARRAY_SIZE(system_names) == NUM_SYSTEM_INODES);

#define SYSTEM_NAME_MAX	32

/* Per-slot names are the base name (before ':') with the slot appended. */
static void system_inode_name(char *buf, int type, int slot)
{
	const char *fmt = system_names[type];
	const char *colon = strchr(fmt, ':');

	if (ocfs2_system_inode_is_global(type) || !colon)
		strscpy(buf, fmt, SYSTEM_NAME_MAX);
	else
		scnprintf(buf, SYSTEM_NAME_MAX, "%.*s:%04d",
			  (int)(colon - fmt), fmt, slot);
}

struct inode *ocfs2_get_system_inode(struct super_block *sb, int type,
				     int slot)
{
	struct inode *sysdir = OCFS2_SB(sb)->system_dir;
	struct ocfs2_dir_match match;
	char name[SYSTEM_NAME_MAX];
	struct inode *inode;
	int ret;

	if (type < 0 || type >= NUM_SYSTEM_INODES)
		return ERR_PTR(-EINVAL);
	system_inode_name(name, type, slot);
	ret = ocfs2_inode_lock(sysdir, NULL, 0);
	if (ret)
		return ERR_PTR(ret);
	ret = ocfs2_find_entry(sysdir, name, strlen(name), &match);
	ocfs2_inode_unlock(sysdir, 0);
	if (ret == -ENOENT) {
		ret = ocfs2_fs_error(sb, __func__,
				     "system file %s is missing", name);
		return ERR_PTR(ret);
	}
	if (ret)
		return ERR_PTR(ret);
	inode = ocfs2_iget(sb, match.ino);
	if (!IS_ERR(inode) && !(OCFS2_I(inode)->flags & OCFS2_SYSTEM_FL)) {
		iput(inode);
		ret = ocfs2_fs_error(sb, __func__,
				     "system file %s (inode %llu) lacks the system flag",
				     name, (unsigned long long)match.ino);
		return ERR_PTR(ret);
	}
	return inode;
}
