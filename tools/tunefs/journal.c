// SPDX-License-Identifier: GPL-2.0
/*
 * tunefs.ocfs2 -J size=: grow every slot's journal.  The new clusters are
 * zeroed and appended to the journal's extent list, and the JBD2
 * superblock is rewritten empty for the new length (keeping its UUID and
 * features).  A journal that needs recovery is refused, as is shrinking.
 * tunefs_journals_clean() is the dirty-journal check every operation that
 * must not run over an unreplayed journal shares.
 */
#include <stdlib.h>
#include <string.h>
#include "tunefs.h"

static int grow_one(struct ocfs2_fs *fs, struct ocfs2_dinode *di, u32 want,
		    u64 alloc)
{
	int ret = ocfs2_extend_file(fs, di, want, alloc, true, NULL);

	if (!ret)
		di->i_size = cpu_to_le64((u64)want << fs->cbits);
	return ret;
}

static int rewrite_jsb(struct ocfs2_fs *fs, struct ocfs2_dinode *di)
{
	struct ocfs2_jbd2_superblock old;
	int ret = ocfs2_jbd2_read_super(fs, di, &old);

	if (ret)
		return ret;
	return ocfs2_jbd2_write_super(fs,
			le64_to_cpu(di->id2.i_list.l_recs[0].e_blkno),
			(u32)ocfs2_clusters_to_blocks(fs,
				le32_to_cpu(di->i_clusters)),
			old.s_uuid, be32_to_cpu(old.s_feature_incompat));
}

/*
 * 0 when no slot's journal needs recovery; -EBUSY with *slot set to the
 * first that does; another negative errno when a journal cannot be read.
 */
int tunefs_journals_clean(struct ocfs2_fs *fs, int *slot)
{
	int slots = le16_to_cpu(fs->sb->s_max_slots), s, ret = 0;
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	u64 ino;

	if (!di)
		return -ENOMEM;
	for (s = 0; s < slots && !ret; s++) {
		ret = ocfs2_lookup_system_inode(fs, JOURNAL_SYSTEM_INODE, s,
						&ino);
		if (!ret)
			ret = ocfs2_read_inode(fs, ino, di);
		if (!ret && (le32_to_cpu(di->id1.journal1.ij_flags) &
			     OCFS2_JOURNAL_DIRTY_FL)) {
			*slot = s;
			ret = -EBUSY;
		}
	}
	free(di);
	return ret;
}

/* Grow one slot's journal to @want clusters; shrinking is refused. */
static int resize_one(struct ocfs2_fs *fs, struct ocfs2_dinode *di, u64 ino,
		      u32 want, u64 alloc, const char **why)
{
	int ret;

	if (want < le32_to_cpu(di->i_clusters)) {
		*why = "shrinking journals is not supported";
		return -EOPNOTSUPP;
	}
	if (want == le32_to_cpu(di->i_clusters))
		return 0;
	ret = grow_one(fs, di, want, alloc);
	if (!ret)
		ret = ocfs2_write_inode(fs, ino, di);
	if (!ret)
		ret = rewrite_jsb(fs, di);
	return ret;
}

int tunefs_resize_journals(struct ocfs2_fs *fs, u64 bytes, const char **why)
{
	int slots = le16_to_cpu(fs->sb->s_max_slots), s, ret;
	struct ocfs2_dinode *di;
	u32 want;
	u64 ino, alloc;

	if (bytes < OCFS2_MIN_JOURNAL_SIZE)
		bytes = OCFS2_MIN_JOURNAL_SIZE;
	want = (u32)((bytes + fs->cs - 1) >> fs->cbits);
	/* all journals checked before any grows */
	ret = tunefs_journals_clean(fs, &s);
	if (ret == -EBUSY)
		*why = "a journal needs recovery (mount and unmount the volume, or run fsck.ocfs2, first)";
	if (ret)
		return ret == -EBUSY ? -EOPNOTSUPP : ret;
	di = io_alloc(fs->bs);
	if (!di)
		return -ENOMEM;
	ret = ocfs2_lookup_system_inode(fs, EXTENT_ALLOC_SYSTEM_INODE, 0,
					&alloc);
	for (s = 0; s < slots && !ret; s++) {
		ret = ocfs2_lookup_system_inode(fs, JOURNAL_SYSTEM_INODE, s,
						&ino);
		if (!ret)
			ret = ocfs2_read_inode(fs, ino, di);
		if (!ret)
			ret = resize_one(fs, di, ino, want, alloc, why);
	}
	free(di);
	return ret;
}
