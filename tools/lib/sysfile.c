// SPDX-License-Identifier: GPL-2.0
/*
 * System files: names, flags and modes from the shared table in
 * ocfs2_fs.h, and lookup of a system inode in the system directory.
 */
#include <stdio.h>
#include "libocfs2.h"

struct sysfile_info {
	const char *name;
	u32 flags;
	u16 mode;
};

#define SYSFILE_ENTRY(type, nm, fl, md) [type] = { nm, fl, md },
static const struct sysfile_info sysfiles[NUM_SYSTEM_INODES] = {
	OCFS2_SYSTEM_INODE_LIST(SYSFILE_ENTRY)
};
#undef SYSFILE_ENTRY

const char *ocfs2_system_inode_name(int type)
{
	if (type < 0 || type >= NUM_SYSTEM_INODES)
		return NULL;
	return sysfiles[type].name;
}

u32 ocfs2_system_inode_flags(int type)
{
	return sysfiles[type].flags;
}

u16 ocfs2_system_inode_mode(int type)
{
	return sysfiles[type].mode;
}

int ocfs2_system_inode_fmt(char *buf, size_t len, int type, int slot)
{
	const char *fmt = ocfs2_system_inode_name(type);

	if (!fmt)
		return -EINVAL;
	if (ocfs2_system_inode_is_global(type))
		return snprintf(buf, len, "%s", fmt);
	/* the per-slot names take the slot as their only argument */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return snprintf(buf, len, fmt, slot);
#pragma GCC diagnostic pop
}

int ocfs2_lookup_system_inode(struct ocfs2_fs *fs, int type, int slot,
			      u64 *blkno)
{
	char name[64];
	int n = ocfs2_system_inode_fmt(name, sizeof(name), type, slot);

	if (n < 0)
		return n;
	return ocfs2_lookup(fs, le64_to_cpu(fs->sb->s_system_dir_blkno),
			    name, (size_t)n, blkno);
}

/* The empty body every new system file of @type starts with. */
void ocfs2_sysfile_body_init(const struct ocfs2_fs *fs,
			     struct ocfs2_dinode *di, int type)
{
	switch (type) {
	case LOCAL_ALLOC_SYSTEM_INODE:
		di->id2.i_lab.la_size = cpu_to_le16(ocfs2_local_alloc_size(fs->bs));
		break;
	case TRUNCATE_LOG_SYSTEM_INODE:
		di->id2.i_dealloc.tl_count =
			cpu_to_le16(ocfs2_truncate_recs_per_inode(fs->bs));
		break;
	case INODE_ALLOC_SYSTEM_INODE:
	case EXTENT_ALLOC_SYSTEM_INODE:
	case GLOBAL_INODE_ALLOC_SYSTEM_INODE:
	case GLOBAL_BITMAP_SYSTEM_INODE:
		di->id2.i_chain.cl_count =
			cpu_to_le16(ocfs2_chain_recs_per_inode(fs->bs));
		break;
	default:
		ocfs2_extent_list_init(&di->id2.i_list,
				       ocfs2_extent_recs_per_inode(fs->bs));
	}
}
