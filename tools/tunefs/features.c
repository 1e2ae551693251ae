// SPDX-License-Identifier: GPL-2.0
/*
 * tunefs.ocfs2 feature registry: for each feature, what turning it on or
 * off takes.  Only changes that need no data movement are done; the rest
 * are refused with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tunefs.h"

static u32 *word_of(struct ocfs2_super_block *sb, int word)
{
	return word == 0 ? (u32 *)&sb->s_feature_compat :
	       word == 1 ? (u32 *)&sb->s_feature_incompat :
			   (u32 *)&sb->s_feature_ro_compat;
}

static int flag_only(struct ocfs2_fs *fs, const char **why)
{
	(void)fs; (void)why;
	return 0;
}

static int refuse_data(struct ocfs2_fs *fs, const char **why)
{
	(void)fs;
	*why = "it would have to rewrite file data or metadata, which this tunefs does not do";
	return -EOPNOTSUPP;
}

static int enable_xattr(struct ocfs2_fs *fs, const char **why)
{
	(void)why;
	fs->sb->s_xattr_inline_size = cpu_to_le16(OCFS2_MIN_XATTR_INLINE_SIZE);
	return 0;
}

static int enable_unwritten(struct ocfs2_fs *fs, const char **why)
{
	if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC))
		return 0;
	*why = "unwritten extents need the sparse feature";
	return -EOPNOTSUPP;
}

static int disable_metaecc(struct ocfs2_fs *fs, const char **why)
{
	/* trailers stay; without the feature they read as empty entries */
	(void)fs; (void)why;
	return 0;
}

/* Rewrite the slot map in the other format; only when no slot is held. */
static int convert_slot_map(struct ocfs2_fs *fs, bool to_extended,
			    const char **why)
{
	unsigned int slots = le16_to_cpu(fs->sb->s_max_slots);
	int nodes[OCFS2_MAX_SLOTS], ret, i;
	struct ocfs2_dinode *di;
	u64 blkno, pblk;
	u32 contig;
	u8 flags;
	char *buf;

	ret = ocfs2_read_slot_map(fs, nodes);
	if (ret)
		return ret;
	for (i = 0; i < (int)slots; i++) {
		if (nodes[i] >= 0) {
			*why = "a slot is in use: is the volume mounted somewhere or was it not unmounted cleanly?";
			return -EBUSY;
		}
	}
	if ((u64)ocfs2_slot_map_bytes(slots, to_extended) > fs->cs) {
		*why = "the new slot map would not fit its file";
		return -EOPNOTSUPP;
	}
	ret = ocfs2_lookup_system_inode(fs, SLOT_MAP_SYSTEM_INODE, 0, &blkno);
	di = io_alloc(fs->bs);
	buf = io_alloc(fs->cs);
	if (!ret && (!di || !buf))
		ret = -ENOMEM;
	if (!ret)
		ret = ocfs2_read_inode(fs, blkno, di);
	if (!ret)
		ret = ocfs2_extent_map(fs, &di->id2.i_list, 0, &pblk, &contig,
				       &flags);
	if (!ret && (!pblk || le64_to_cpu(di->i_size) <
		     (u64)ocfs2_slot_map_bytes(slots, to_extended)))
		ret = -EUCLEAN;
	if (!ret) {
		ocfs2_slot_map_format(buf, fs->bs, slots, to_extended);
		ret = io_write_blocks(fs->io, pblk, 1, buf);
	}
	free(di);
	free(buf);
	return ret;
}

static int enable_ext_slotmap(struct ocfs2_fs *fs, const char **why)
{
	return convert_slot_map(fs, true, why);
}

static int disable_ext_slotmap(struct ocfs2_fs *fs, const char **why)
{
	return convert_slot_map(fs, false, why);
}

static int enable_backup(struct ocfs2_fs *fs, const char **why)
{
	return tunefs_backup_super(fs, why);
}

static int disable_backup(struct ocfs2_fs *fs, const char **why)
{
	u64 blknos[OCFS2_MAX_BACKUP_SUPERBLOCKS];
	int n, i, ret = 0;

	(void)why;
	n = ocfs2_backup_super_list(fs->blocks, fs->bbits, fs->cbits, blknos);
	for (i = 0; i < n && !ret; i++)
		ret = ocfs2_cluster_set(fs, ocfs2_blocks_to_clusters(fs,
					blknos[i]), false);
	return ret;
}

static const struct tunefs_feature features[] = {
	{ "sparse", 1, OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC, flag_only,
	  refuse_data },
	{ "unwritten", 2, OCFS2_FEATURE_RO_COMPAT_UNWRITTEN, enable_unwritten,
	  refuse_data },
	{ "inline-data", 1, OCFS2_FEATURE_INCOMPAT_INLINE_DATA, flag_only,
	  refuse_data },
	{ "extended-slotmap", 1, OCFS2_FEATURE_INCOMPAT_EXTENDED_SLOT_MAP,
	  enable_ext_slotmap, disable_ext_slotmap },
	{ "xattr", 1, OCFS2_FEATURE_INCOMPAT_XATTR, enable_xattr, refuse_data },
	{ "indexed-dirs", 1, OCFS2_FEATURE_INCOMPAT_INDEXED_DIRS, refuse_data,
	  refuse_data },
	{ "metaecc", 1, OCFS2_FEATURE_INCOMPAT_META_ECC, refuse_data,
	  disable_metaecc },
	{ "refcount", 1, OCFS2_FEATURE_INCOMPAT_REFCOUNT_TREE, flag_only,
	  refuse_data },
	{ "discontig-bg", 1, OCFS2_FEATURE_INCOMPAT_DISCONTIG_BG, flag_only,
	  refuse_data },
	{ "append-dio", 1, OCFS2_FEATURE_INCOMPAT_APPEND_DIO, flag_only,
	  flag_only },
	{ "backup-super", 0, OCFS2_FEATURE_COMPAT_BACKUP_SB, enable_backup,
	  disable_backup },
	{ "strict-journal-super", 0, OCFS2_FEATURE_COMPAT_JBD2_SB, flag_only,
	  refuse_data },
	{ "usrquota", 2, OCFS2_FEATURE_RO_COMPAT_USRQUOTA, refuse_data,
	  refuse_data },
	{ "grpquota", 2, OCFS2_FEATURE_RO_COMPAT_GRPQUOTA, refuse_data,
	  refuse_data },
};

#define NFEATURES (sizeof(features) / sizeof(features[0]))

static const struct tunefs_feature *find(int word, u32 bit)
{
	size_t i;

	for (i = 0; i < NFEATURES; i++)
		if (features[i].word == word && features[i].bit == bit)
			return &features[i];
	return NULL;
}

static int apply_word(struct ocfs2_fs *fs, int word, u32 set, u32 clear,
		      bool verbose)
{
	u32 *w = word_of(fs->sb, word), cur = le32_to_cpu(*w), bit;
	const struct tunefs_feature *f;
	const char *why = NULL;
	int ret;

	for (bit = 1; bit; bit <<= 1) {
		bool on = set & bit, off = clear & bit;

		if ((!on && !off) || (on && (cur & bit)) ||
		    (off && !(cur & bit)))
			continue;
		f = find(word, bit);
		if (!f) {
			fprintf(stderr, "tunefs.ocfs2: feature \"%s\" cannot be changed by tunefs; use the matching option (-M, --cluster-stack)\n",
				ocfs2_feature_name(word, bit));
			return -EOPNOTSUPP;
		}
		ret = on ? f->enable(fs, &why) : f->disable(fs, &why);
		if (ret) {
			fprintf(stderr, "tunefs.ocfs2: cannot %s %s: %s\n",
				on ? "enable" : "disable", f->name,
				why ? why : strerror(-ret));
			return ret;
		}
		cur = on ? cur | bit : cur & ~bit;
		*w = cpu_to_le32(cur);
		if (verbose)
			printf("%s %s\n", on ? "Enabled" : "Disabled", f->name);
	}
	return 0;
}

int tunefs_set_features(struct ocfs2_fs *fs, const char *list, bool verbose)
{
	struct ocfs2_features set, clear;
	const char *bad = NULL;
	int ret;

	ret = ocfs2_parse_features(list, &set, &clear, &bad);
	if (ret) {
		fprintf(stderr, "tunefs.ocfs2: unknown feature in \"%s\"\n",
			bad ? bad : list);
		return ret;
	}
	ret = apply_word(fs, 0, set.compat, clear.compat, verbose);
	if (!ret)
		ret = apply_word(fs, 1, set.incompat, clear.incompat, verbose);
	if (!ret)
		ret = apply_word(fs, 2, set.ro_compat, clear.ro_compat,
				 verbose);
	return ret;
}

/* Claim the backup clusters (they must be free) and write the copies. */
int tunefs_backup_super(struct ocfs2_fs *fs, const char **why)
{
	u64 blknos[OCFS2_MAX_BACKUP_SUPERBLOCKS];
	int n, i, count, ret = 0;
	bool used;

	n = ocfs2_backup_super_list(fs->blocks, fs->bbits, fs->cbits, blknos);
	if (!n) {
		*why = "the volume is smaller than 1 GB: there is no backup position";
		return -EOPNOTSUPP;
	}
	for (i = 0; i < n && !ret; i++) {
		ret = ocfs2_cluster_test(fs, ocfs2_blocks_to_clusters(fs,
					 blknos[i]), &used);
		if (!ret && used && !ocfs2_has_compat(fs,
					OCFS2_FEATURE_COMPAT_BACKUP_SB)) {
			*why = "a backup position is already used by a file";
			return -EBUSY;
		}
	}
	for (i = 0; i < n && !ret; i++)
		ret = ocfs2_cluster_set(fs, ocfs2_blocks_to_clusters(fs,
					blknos[i]), true);
	if (ret)
		return ret;
	fs->sb->s_feature_compat |= cpu_to_le32(OCFS2_FEATURE_COMPAT_BACKUP_SB);
	return ocfs2_write_backup_supers(fs, NULL, &count);
}
