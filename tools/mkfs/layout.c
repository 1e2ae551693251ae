// SPDX-License-Identifier: GPL-2.0
/*
 * mkfs.ocfs2 planning: default sizes as stock mkfs.ocfs2 1.8 picks them,
 * the cluster group geometry, a bump allocator over an in-memory cluster
 * map, and the inode numbers of the system files.
 */
#include <stdlib.h>
#include <string.h>
#include "mkfs.h"

#define MB (1024ULL * 1024)
#define GB (1024 * MB)
#define TB (1024 * GB)

static unsigned int pick_blocksize(u64 bytes, unsigned int sector)
{
	unsigned int bs = 4096;

	if (bytes < 512 * MB)
		bs = 1024;
	else if (bytes < GB)
		bs = 2048;
	return bs < sector ? sector : bs;
}

static unsigned int pick_clustersize(const struct mkfs_opts *o, u64 bytes)
{
	unsigned int cs = 4096;

	if (o->type == TYPE_DATAFILES || o->type == TYPE_VMSTORE) {
		if (bytes < 64 * GB)
			cs = 128 * 1024;
		else if (bytes < 96 * GB)
			cs = 256 * 1024;
		else if (bytes < 128 * GB)
			cs = 512 * 1024;
		else
			cs = 1024 * 1024;
	}
	/* cluster numbers are 32 bits */
	while (cs < OCFS2_MAX_CLUSTERSIZE && bytes / cs > 0xffffffffULL)
		cs <<= 1;
	return cs;
}

static unsigned int pick_slots(const struct mkfs_opts *o, u64 bytes)
{
	if (o->local)
		return 1;
	if (bytes < 2 * GB)
		return 2;
	if (bytes < 10 * GB)
		return 4;
	if (bytes < TB)
		return 8;
	return 16;
}

static u64 pick_journal(const struct mkfs_opts *o, u64 bytes)
{
	u64 j;

	switch (o->type) {
	case TYPE_DATAFILES:
		return 32 * MB;
	case TYPE_VMSTORE:
		return 128 * MB;
	case TYPE_MAIL:
		if (bytes < 256 * MB)
			return 16 * MB;
		if (bytes < 512 * MB)
			return 32 * MB;
		if (bytes < GB)
			return 64 * MB;
		return bytes < 2 * GB ? 128 * MB : 256 * MB;
	default:
		break;
	}
	if (bytes < 128 * MB)
		return 4 * MB;
	if (bytes < 512 * MB)
		return 16 * MB;
	if (bytes < GB)
		return 32 * MB;
	j = bytes / 160;
	if (j < 64 * MB)
		j = 64 * MB;
	if (j > 256 * MB)
		j = 256 * MB;
	return j;
}

static int apply_user_features(struct mkfs_state *st)
{
	struct ocfs2_features set, clear;
	const char *bad = NULL;
	int ret;

	if (!st->o->features)
		return 0;
	ret = ocfs2_parse_features(st->o->features, &set, &clear, &bad);
	if (ret)
		return ret;
	st->feat.compat = (st->feat.compat | set.compat) & ~clear.compat;
	st->feat.incompat = (st->feat.incompat | set.incompat) &
			    ~clear.incompat;
	st->feat.ro_compat = (st->feat.ro_compat | set.ro_compat) &
			     ~clear.ro_compat;
	return 0;
}

static int plan_features(struct mkfs_state *st)
{
	struct mkfs_opts *o = st->o;
	int ret;

	ret = ocfs2_feature_level(o->feature_level ? o->feature_level :
				  "default", &st->feat);
	if (ret)
		return ret;
	ret = apply_user_features(st);
	if (ret)
		return ret;
	if (o->local)
		st->feat.incompat |= OCFS2_FEATURE_INCOMPAT_LOCAL_MOUNT;
	if (o->no_backup_super)
		st->feat.compat &= ~OCFS2_FEATURE_COMPAT_BACKUP_SB;
	if (o->stack && strcmp(o->stack, OCFS2_CLASSIC_CLUSTER_STACK))
		st->feat.incompat |= OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK;
	else if (o->stack || o->global_hb)
		st->feat.incompat |= OCFS2_FEATURE_INCOMPAT_CLUSTERINFO;
	return 0;
}

/* The suballocators' group size in bits. */
unsigned int mkfs_suballoc_max_bits(const struct mkfs_state *st)
{
	unsigned int bytes = ocfs2_group_bitmap_size(st->fs->bs, 1,
						     st->feat.incompat);

	return bytes * 8 < 2048 ? bytes * 8 : 2048;
}

static int plan_sizes(struct mkfs_state *st)
{
	struct mkfs_opts *o = st->o;
	unsigned int bs, cs;

	bs = o->blocksize ? o->blocksize :
		pick_blocksize(st->volume_bytes, st->fs->io->sector_size);
	cs = o->clustersize ? o->clustersize :
		pick_clustersize(o, st->volume_bytes);
	st->fs->bs = bs;
	st->fs->bbits = __builtin_ctz(bs);
	st->fs->cs = cs;
	st->fs->cbits = __builtin_ctz(cs);
	st->bpc = cs / bs;
	if (st->volume_bytes / cs > 0xffffffffULL)
		return -EFBIG;
	st->clusters = (u32)(st->volume_bytes / cs);
	st->fs->clusters = st->clusters;
	st->fs->blocks = (u64)st->clusters * st->bpc;
	if (!o->slots)
		o->slots = pick_slots(o, st->volume_bytes);
	if (o->journal_bytes) {
		st->journal_clusters = (unsigned int)
			((o->journal_bytes + cs - 1) / cs);
	} else {
		/* the default rounds down to whole clusters, as stock does */
		o->journal_bytes = pick_journal(o, st->volume_bytes);
		st->journal_clusters = (unsigned int)(o->journal_bytes / cs);
	}
	if ((u64)st->journal_clusters * cs < OCFS2_MIN_JOURNAL_SIZE)
		st->journal_clusters = OCFS2_MIN_JOURNAL_SIZE / cs;
	if (!st->journal_clusters)
		st->journal_clusters = 1;
	if (o->journal64 == 1 || st->fs->blocks > 0xffffffffULL)
		st->journal_jbd2_incompat |= OCFS2_JBD2_FEATURE_INCOMPAT_64BIT;
	if (o->journal64 == 0 && st->fs->blocks > 0xffffffffULL)
		return -EFBIG;
	return 0;
}

int mkfs_plan_geometry(struct mkfs_state *st)
{
	unsigned int maxbits;
	int ret;

	ret = plan_features(st);
	if (!ret)
		ret = plan_sizes(st);
	if (ret)
		return ret;
	st->cpg = ocfs2_cluster_group_bits(st->fs->bs);
	st->groups = (st->clusters + st->cpg - 1) / st->cpg;
	st->first_group_blkno = (u64)(OCFS2_SUPER_BLOCK_BLKNO / st->bpc + 1) *
				st->bpc;
	maxbits = mkfs_suballoc_max_bits(st);
	st->sub_cpg = (unsigned int)((4 * MB) / st->fs->cs);
	if (st->sub_cpg * st->bpc > maxbits)
		st->sub_cpg = maxbits / st->bpc;
	if (!st->sub_cpg)
		st->sub_cpg = 1;
	return 0;
}

u64 mkfs_group_blkno(const struct mkfs_state *st, u32 group)
{
	if (!group)
		return st->first_group_blkno;
	return (u64)group * st->cpg * st->bpc;
}

bool mkfs_cluster_used(const struct mkfs_state *st, u32 c)
{
	return (st->cmap[c >> 3] >> (c & 7)) & 1;
}

static void mark_used(struct mkfs_state *st, u32 c)
{
	if (c >= st->clusters || mkfs_cluster_used(st, c))
		return;
	st->cmap[c >> 3] |= 1U << (c & 7);
	st->used++;
}

/* Reserve what sits at fixed places: the start, descriptors, backups. */
int mkfs_cluster_map_init(struct mkfs_state *st)
{
	u32 c, g;
	int i;

	st->cmap = calloc(1, st->clusters / 8 + 1);
	if (!st->cmap)
		return -ENOMEM;
	for (c = 0; c <= st->first_group_blkno / st->bpc; c++)
		mark_used(st, c);
	for (g = 1; g < st->groups; g++)
		mark_used(st, (u32)(mkfs_group_blkno(st, g) / st->bpc));
	if (st->feat.compat & OCFS2_FEATURE_COMPAT_BACKUP_SB) {
		st->nbackups = ocfs2_backup_super_list(st->fs->blocks,
						       st->fs->bbits,
						       st->fs->cbits,
						       st->backups);
		for (i = 0; i < st->nbackups; i++)
			mark_used(st, (u32)(st->backups[i] / st->bpc));
	}
	st->hint = 0;
	return 0;
}

/* Take @clusters free clusters, in as few runs as the map allows. */
int mkfs_alloc(struct mkfs_state *st, u32 clusters, struct crun *runs,
	       int max_runs)
{
	int n = 0;
	u32 c = st->hint;

	while (clusters) {
		while (c < st->clusters && mkfs_cluster_used(st, c))
			c++;
		if (c >= st->clusters || n == max_runs)
			return -ENOSPC;
		runs[n].start = c;
		runs[n].len = 0;
		while (clusters && c < st->clusters &&
		       !mkfs_cluster_used(st, c) && runs[n].len < 0xffff) {
			mark_used(st, c);
			runs[n].len++;
			clusters--;
			c++;
		}
		n++;
	}
	st->hint = c;
	return n;
}

/* Take @clusters clusters in one piece (suballocator groups need that). */
int mkfs_alloc_contig(struct mkfs_state *st, u32 clusters, u32 *start)
{
	u32 c = st->hint, run = 0, i;

	for (; c < st->clusters; c++) {
		run = mkfs_cluster_used(st, c) ? 0 : run + 1;
		if (run == clusters)
			break;
	}
	if (run != clusters)
		return -ENOSPC;
	*start = c + 1 - clusters;
	for (i = 0; i < clusters; i++)
		mark_used(st, *start + i);
	if (*start == st->hint)
		st->hint = *start + clusters;
	return 0;
}

bool mkfs_sysfile_wanted(const struct mkfs_state *st, int type)
{
	switch (type) {
	case USER_QUOTA_SYSTEM_INODE:
	case LOCAL_USER_QUOTA_SYSTEM_INODE:
		return st->feat.ro_compat & OCFS2_FEATURE_RO_COMPAT_USRQUOTA;
	case GROUP_QUOTA_SYSTEM_INODE:
	case LOCAL_GROUP_QUOTA_SYSTEM_INODE:
		return st->feat.ro_compat & OCFS2_FEATURE_RO_COMPAT_GRPQUOTA;
	default:
		return true;
	}
}

static unsigned int count_system_inodes(const struct mkfs_state *st)
{
	unsigned int n = 2;	/* root and system directory */
	int t;

	for (t = 0; t < NUM_SYSTEM_INODES; t++) {
		if (!mkfs_sysfile_wanted(st, t))
			continue;
		n += ocfs2_system_inode_is_global(t) ? 1 : st->o->slots;
	}
	return n;
}

struct bit_cursor {
	unsigned int group, bit, bits;
};

static u64 next_inode(struct mkfs_state *st, struct bit_cursor *cur,
		      u16 *bit)
{
	if (cur->bit >= cur->bits) {
		cur->group++;
		cur->bit = 1;
	}
	*bit = (u16)cur->bit;
	return st->gia_group_blkno[cur->group] + cur->bit++;
}

/*
 * Lay out global_inode_alloc (enough groups for every system inode, each
 * starting with its descriptor) and number the inodes in the stock order:
 * root, system dir, then the system files type by type, slot by slot.
 */
int mkfs_number_inodes(struct mkfs_state *st)
{
	unsigned int need = count_system_inodes(st), maxbits, bits, g;
	struct bit_cursor cur = { 0, 1, 0 };
	unsigned int slot;
	u16 bit;
	int t, ret;

	maxbits = mkfs_suballoc_max_bits(st);
	st->gia_cpg = (need + 1 + st->bpc - 1) / st->bpc;
	if (st->gia_cpg * st->bpc > maxbits)
		st->gia_cpg = maxbits / st->bpc;
	bits = st->gia_cpg * st->bpc;
	st->gia_groups = (need + bits - 2) / (bits - 1);
	if (st->gia_groups > 8)
		return -E2BIG;
	for (g = 0; g < st->gia_groups; g++) {
		ret = mkfs_alloc_contig(st, st->gia_cpg,
					&st->gia_group_cluster[g]);
		if (ret)
			return ret;
		st->gia_group_blkno[g] = (u64)st->gia_group_cluster[g] *
					 st->bpc;
	}
	cur.bits = bits;
	st->root_blkno = next_inode(st, &cur, &st->root_bit);
	st->sysdir_blkno = next_inode(st, &cur, &st->sysdir_bit);
	for (t = 0; t < NUM_SYSTEM_INODES; t++) {
		if (!mkfs_sysfile_wanted(st, t))
			continue;
		for (slot = 0; slot < st->o->slots; slot++) {
			st->sys_blkno[t][slot] = next_inode(st, &cur, &bit);
			st->sys_bit[t][slot] = bit;
			if (ocfs2_system_inode_is_global(t))
				break;
		}
	}
	return 0;
}
