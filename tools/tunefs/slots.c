// SPDX-License-Identifier: GPL-2.0
/*
 * tunefs.ocfs2 -N: add node slots.  Each new slot gets its system files
 * (orphan dir, inode and extent allocators, journal, local alloc,
 * truncate log) named in the system directory; the slot map is rewritten
 * empty for the new count.  Removing slots is refused.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tunefs.h"

struct slot_ctx {
	struct ocfs2_fs *fs;
	u64 gia;		/* global_inode_alloc */
	u64 sysdir;
	struct ocfs2_dinode *model;	/* slot 0's file of the same type */
	struct ocfs2_dinode *di;
};

static int new_sysinode(struct slot_ctx *s, int type, int slot)
{
	struct ocfs2_fs *fs = s->fs;
	char name[32];
	u64 ino;
	u16 bit;
	int ret;

	ret = ocfs2_suballoc_take(fs, s->gia, &ino, &bit);
	if (ret)
		return ret;
	memset(s->di, 0, fs->bs);
	memcpy(s->di->i_signature, OCFS2_INODE_SIGNATURE, 8);
	s->di->i_generation = cpu_to_le32(fs->fs_generation);
	s->di->i_fs_generation = cpu_to_le32(fs->fs_generation);
	s->di->i_suballoc_slot = cpu_to_le16(OCFS2_INVALID_SLOT);
	s->di->i_suballoc_bit = cpu_to_le16(bit);
	s->di->i_blkno = cpu_to_le64(ino);
	s->di->i_mode = cpu_to_le16(ocfs2_system_inode_mode(type));
	s->di->i_links_count = cpu_to_le16(1);
	s->di->i_flags = cpu_to_le32(OCFS2_VALID_FL | OCFS2_SYSTEM_FL |
				     ocfs2_system_inode_flags(type));
	s->di->i_atime = s->di->i_ctime = s->di->i_mtime =
		cpu_to_le64(time(NULL));
	ocfs2_system_inode_fmt(name, sizeof(name), type, slot);
	return ocfs2_dir_add_entry(fs, s->sysdir, ino, name,
				   ocfs2_mode_to_ftype(
					ocfs2_system_inode_mode(type)));
}

static int load_model(struct slot_ctx *s, int type)
{
	u64 blkno;
	int ret = ocfs2_lookup_system_inode(s->fs, type, 0, &blkno);

	return ret ? ret : ocfs2_read_inode(s->fs, blkno, s->model);
}

static int fill_orphan_dir(struct slot_ctx *s)
{
	struct ocfs2_fs *fs = s->fs;
	unsigned int max = ocfs2_max_inline_data(fs->bs), off = 0, last;
	char *area = (char *)s->di->id2.i_data.id_data;

	if (!ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_INLINE_DATA))
		return -EOPNOTSUPP;	/* block orphan dirs: not done here */
	s->di->i_links_count = cpu_to_le16(2);
	s->di->i_dyn_features = cpu_to_le16(OCFS2_INLINE_DATA_FL);
	s->di->id2.i_data.id_count = cpu_to_le16(max);
	s->di->i_size = cpu_to_le64(max);
	ocfs2_dir_fill(fs, area, max, &off, le64_to_cpu(s->di->i_blkno), ".",
		       OCFS2_FT_DIR);
	last = off;
	ocfs2_dir_fill(fs, area, max, &off, s->sysdir, "..", OCFS2_FT_DIR);
	ocfs2_dir_close_block(fs, area, max, last);
	return 0;
}

static int fill_journal(struct slot_ctx *s)
{
	struct ocfs2_fs *fs = s->fs;
	u32 want = le32_to_cpu(s->model->i_clusters);
	u64 alloc;
	int ret;

	ocfs2_sysfile_body_init(fs, s->di, JOURNAL_SYSTEM_INODE);
	ret = ocfs2_lookup_system_inode(fs, EXTENT_ALLOC_SYSTEM_INODE, 0,
					&alloc);
	if (!ret)
		ret = ocfs2_extend_file(fs, s->di, want, alloc, true, NULL);
	if (ret)
		return ret;
	s->di->i_size = cpu_to_le64((u64)want << fs->cbits);
	return ocfs2_jbd2_write_super(fs,
			le64_to_cpu(s->di->id2.i_list.l_recs[0].e_blkno),
			(u32)ocfs2_clusters_to_blocks(fs, want), fs->sb->s_uuid,
			fs->blocks > 0xffffffffULL ?
			OCFS2_JBD2_FEATURE_INCOMPAT_64BIT : 0);
}

static int fill_body(struct slot_ctx *s, int type)
{
	struct ocfs2_fs *fs = s->fs;
	int ret;

	switch (type) {
	case ORPHAN_DIR_SYSTEM_INODE:
		return fill_orphan_dir(s);
	case EXTENT_ALLOC_SYSTEM_INODE:
	case INODE_ALLOC_SYSTEM_INODE:
		ret = load_model(s, type);
		ocfs2_sysfile_body_init(fs, s->di, type);
		s->di->id2.i_chain.cl_cpg = s->model->id2.i_chain.cl_cpg;
		s->di->id2.i_chain.cl_bpc = s->model->id2.i_chain.cl_bpc;
		return ret;
	case JOURNAL_SYSTEM_INODE:
		ret = load_model(s, type);
		return ret ? ret : fill_journal(s);
	case LOCAL_ALLOC_SYSTEM_INODE:
	case TRUNCATE_LOG_SYSTEM_INODE:
		ocfs2_sysfile_body_init(fs, s->di, type);
		return 0;
	}
	return -EOPNOTSUPP;
}

static int add_slot(struct slot_ctx *s, int slot)
{
	static const int types[] = {
		ORPHAN_DIR_SYSTEM_INODE, EXTENT_ALLOC_SYSTEM_INODE,
		INODE_ALLOC_SYSTEM_INODE, JOURNAL_SYSTEM_INODE,
		LOCAL_ALLOC_SYSTEM_INODE, TRUNCATE_LOG_SYSTEM_INODE,
	};
	size_t i;
	int ret = 0;

	for (i = 0; i < sizeof(types) / sizeof(types[0]) && !ret; i++) {
		ret = new_sysinode(s, types[i], slot);
		if (!ret)
			ret = fill_body(s, types[i]);
		if (!ret)
			ret = ocfs2_write_inode(s->fs,
						le64_to_cpu(s->di->i_blkno),
						s->di);
	}
	return ret;
}

static int bump_sysdir_links(struct slot_ctx *s, int added)
{
	int ret = ocfs2_read_inode(s->fs, s->sysdir, s->di);

	if (ret)
		return ret;
	le16_add_cpu(&s->di->i_links_count, added);
	return ocfs2_write_inode(s->fs, s->sysdir, s->di);
}

static int rewrite_slot_map(struct ocfs2_fs *fs, int slots)
{
	bool ext = ocfs2_has_incompat(fs,
				      OCFS2_FEATURE_INCOMPAT_EXTENDED_SLOT_MAP);
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	char *buf = io_alloc(fs->bs);
	u64 blkno, pblk;
	u32 contig;
	u8 flags;
	int ret;

	ret = (!di || !buf) ? -ENOMEM :
		ocfs2_lookup_system_inode(fs, SLOT_MAP_SYSTEM_INODE, 0, &blkno);
	if (!ret)
		ret = ocfs2_read_inode(fs, blkno, di);
	if (!ret && le64_to_cpu(di->i_size) <
	    (u64)ocfs2_slot_map_bytes(slots, ext))
		ret = -EFBIG;
	if (!ret && (u64)ocfs2_slot_map_bytes(slots, ext) > fs->bs)
		ret = -EFBIG;
	if (!ret)
		ret = ocfs2_extent_map(fs, &di->id2.i_list, 0, &pblk, &contig,
				       &flags);
	if (!ret) {
		ocfs2_slot_map_format(buf, fs->bs, slots, ext);
		ret = io_write_blocks(fs->io, pblk, 1, buf);
	}
	free(di);
	free(buf);
	return ret;
}

int tunefs_add_slots(struct ocfs2_fs *fs, int slots, const char **why)
{
	int old = le16_to_cpu(fs->sb->s_max_slots), nodes[OCFS2_MAX_SLOTS];
	struct slot_ctx s = { .fs = fs };
	int ret, slot;

	if (slots < old) {
		*why = "removing slots is not supported by this tunefs";
		return -EOPNOTSUPP;
	}
	if (ocfs2_has_ro_compat(fs, OCFS2_FEATURE_RO_COMPAT_USRQUOTA |
				OCFS2_FEATURE_RO_COMPAT_GRPQUOTA)) {
		*why = "adding slots to a volume with quotas is not supported by this tunefs";
		return -EOPNOTSUPP;
	}
	ret = ocfs2_read_slot_map(fs, nodes);
	for (slot = 0; !ret && slot < old; slot++)
		if (nodes[slot] >= 0) {
			*why = "a slot is in use: the volume is mounted or was not unmounted cleanly";
			return -EBUSY;
		}
	s.sysdir = le64_to_cpu(fs->sb->s_system_dir_blkno);
	s.di = io_alloc(fs->bs);
	s.model = io_alloc(fs->bs);
	if (!ret && (!s.di || !s.model))
		ret = -ENOMEM;
	if (!ret)
		ret = ocfs2_lookup_system_inode(fs,
				GLOBAL_INODE_ALLOC_SYSTEM_INODE, 0, &s.gia);
	for (slot = old; !ret && slot < slots; slot++)
		ret = add_slot(&s, slot);
	if (!ret)
		ret = bump_sysdir_links(&s, slots - old);
	if (!ret)
		ret = rewrite_slot_map(fs, slots);
	if (!ret)
		fs->sb->s_max_slots = cpu_to_le16(slots);
	if (ret == -ENOSPC)
		*why = "no room: the volume, the system directory or an allocator is full";
	if (ret == -EFBIG)
		*why = "the slot map file is too small for that many slots";
	free(s.di);
	free(s.model);
	return ret;
}
