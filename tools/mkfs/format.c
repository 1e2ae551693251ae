// SPDX-License-Identifier: GPL-2.0
/*
 * mkfs.ocfs2 writing: every structure of a new volume, once the layout is
 * planned.  The superblock is built first (the block writers read feature
 * bits from it) and written last, so a crash leaves no valid volume.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <uuid/uuid.h>
#include "mkfs.h"

struct dent {
	char name[32];
	u64 ino;
	u8 type;
};

static void dinode_init(struct mkfs_state *st, struct ocfs2_dinode *di,
			u64 blkno, u16 mode, u32 flags, u16 slot, u16 bit)
{
	memset(di, 0, st->fs->bs);
	memcpy(di->i_signature, OCFS2_INODE_SIGNATURE,
	       sizeof(OCFS2_INODE_SIGNATURE));
	di->i_generation = cpu_to_le32(st->fs->fs_generation);
	di->i_fs_generation = cpu_to_le32(st->fs->fs_generation);
	di->i_suballoc_slot = cpu_to_le16(slot);
	di->i_suballoc_bit = cpu_to_le16(bit);
	di->i_blkno = cpu_to_le64(blkno);
	di->i_mode = cpu_to_le16(mode);
	di->i_links_count = cpu_to_le16(1);
	di->i_flags = cpu_to_le32(OCFS2_VALID_FL | flags);
	di->i_atime = di->i_ctime = di->i_mtime = cpu_to_le64(st->now);
}

void mkfs_sysfile_init(struct mkfs_state *st, struct ocfs2_dinode *di,
		       int type, int slot)
{
	dinode_init(st, di, st->sys_blkno[type][slot],
		    ocfs2_system_inode_mode(type),
		    OCFS2_SYSTEM_FL | ocfs2_system_inode_flags(type),
		    OCFS2_INVALID_SLOT, st->sys_bit[type][slot]);
}

/* Give @di the clusters of @runs as its extents, from cpos 0. */
static int set_extents(struct mkfs_state *st, struct ocfs2_dinode *di,
		       const struct crun *runs, int n)
{
	u32 cpos = 0;
	int i, ret;

	ocfs2_extent_list_init(&di->id2.i_list,
			       ocfs2_extent_recs_per_inode(st->fs->bs));
	for (i = 0; i < n; i++) {
		ret = ocfs2_extent_list_append(&di->id2.i_list, cpos,
					       (u64)runs[i].start * st->bpc,
					       (u16)runs[i].len, 0);
		if (ret)
			return -E2BIG;	/* too fragmented for the inode */
		cpos += runs[i].len;
	}
	di->i_clusters = cpu_to_le32(cpos);
	return 0;
}

static u64 run_block(const struct mkfs_state *st, const struct crun *runs,
		     int n, u64 lblk)
{
	int i;

	for (i = 0; i < n; i++) {
		u64 blocks = (u64)runs[i].len * st->bpc;

		if (lblk < blocks)
			return (u64)runs[i].start * st->bpc + lblk;
		lblk -= blocks;
	}
	return 0;
}

static int alloc_file(struct mkfs_state *st, struct ocfs2_dinode *di,
		      u32 clusters, struct crun *runs, int *n)
{
	*n = mkfs_alloc(st, clusters, runs, MAX_RUNS);
	if (*n < 0)
		return *n;
	return set_extents(st, di, runs, *n);
}

/* ---- directories ---- */

static unsigned int dents_bytes(const struct dent *d, int n)
{
	unsigned int sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += OCFS2_DIR_REC_LEN(strlen(d[i].name));
	return sum;
}

/* Fill one area of @bytes with entries from *@i on; tile it. */
static void fill_area(struct mkfs_state *st, char *area, unsigned int bytes,
		      const struct dent *d, int n, int *i, u16 *free_len)
{
	unsigned int off = 0, last = 0;

	while (*i < n) {
		unsigned int at = off;

		if (ocfs2_dir_fill(st->fs, area, bytes, &off, d[*i].ino,
				   d[*i].name, d[*i].type))
			break;
		last = at;
		(*i)++;
	}
	if (!off) {
		/* an empty block is one unused entry spanning it */
		struct ocfs2_dir_entry *de = (void *)area;

		de->rec_len = cpu_to_le16(bytes);
		*free_len = (u16)bytes;
		return;
	}
	ocfs2_dir_close_block(st->fs, area, bytes, last);
	*free_len = (u16)(bytes - off);
}

static int write_block_dir(struct mkfs_state *st, struct ocfs2_dinode *di,
			   const struct dent *d, int n)
{
	unsigned int usable = ocfs2_dir_usable_bytes(st->fs);
	unsigned int nblocks = 0;
	struct crun runs[MAX_RUNS];
	int i = 0, nruns, ret;
	u64 b;
	char *buf;
	u16 free_len;

	/* count blocks by packing greedily, as fill_area() will */
	while (i < n) {
		unsigned int off = 0;

		while (i < n && off + OCFS2_DIR_REC_LEN(strlen(d[i].name)) <=
		       usable)
			off += OCFS2_DIR_REC_LEN(strlen(d[i++].name));
		nblocks++;
	}
	ret = alloc_file(st, di, (nblocks + st->bpc - 1) / st->bpc, runs,
			 &nruns);
	if (ret)
		return ret;
	di->i_size = cpu_to_le64((u64)nblocks * st->fs->bs);
	buf = io_alloc(st->fs->bs);
	if (!buf)
		return -ENOMEM;
	for (b = 0, i = 0; b < nblocks && !ret; b++) {
		u64 pblk = run_block(st, runs, nruns, b);

		memset(buf, 0, st->fs->bs);
		fill_area(st, buf, usable, d, n, &i, &free_len);
		if (ocfs2_dir_has_trailer(st->fs)) {
			struct ocfs2_dir_block_trailer *t;

			ocfs2_dir_trailer_init(st->fs, buf, pblk,
					       le64_to_cpu(di->i_blkno));
			t = (void *)(buf + ocfs2_dir_trailer_offset(st->fs->bs));
			t->db_free_rec_len = cpu_to_le16(free_len);
		}
		ret = ocfs2_write_meta(st->fs, OCFS2_BLK_DIR, pblk, buf);
	}
	free(buf);
	return ret;
}

/* Write the directory @di (inode already set up) holding @d. */
static int write_dir(struct mkfs_state *st, struct ocfs2_dinode *di,
		     const struct dent *d, int n)
{
	unsigned int max = ocfs2_max_inline_data(st->fs->bs);
	int i = 0, ret;
	u16 free_len;

	if ((st->feat.incompat & OCFS2_FEATURE_INCOMPAT_INLINE_DATA) &&
	    dents_bytes(d, n) <= max) {
		di->i_dyn_features = cpu_to_le16(OCFS2_INLINE_DATA_FL);
		di->id2.i_data.id_count = cpu_to_le16(max);
		di->i_size = cpu_to_le64(max);
		fill_area(st, (char *)di->id2.i_data.id_data, max, d, n, &i,
			  &free_len);
	} else {
		ret = write_block_dir(st, di, d, n);
		if (ret)
			return ret;
	}
	return ocfs2_write_inode(st->fs, le64_to_cpu(di->i_blkno), di);
}

static void dent_set(struct dent *d, const char *name, u64 ino, u8 type)
{
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->ino = ino;
	d->type = type;
}

static int write_system_dir(struct mkfs_state *st, struct ocfs2_dinode *di)
{
	int max = 2 + NUM_SYSTEM_INODES * st->o->slots, n = 2, t, ret;
	unsigned int slot;
	struct dent *d = calloc(max, sizeof(*d));

	if (!d)
		return -ENOMEM;
	dent_set(&d[0], ".", st->sysdir_blkno, OCFS2_FT_DIR);
	dent_set(&d[1], "..", st->sysdir_blkno, OCFS2_FT_DIR);
	for (t = 0; t < NUM_SYSTEM_INODES; t++) {
		if (!mkfs_sysfile_wanted(st, t))
			continue;
		for (slot = 0; slot < st->o->slots; slot++) {
			ocfs2_system_inode_fmt(d[n].name, sizeof(d[n].name), t,
					       slot);
			d[n].ino = st->sys_blkno[t][slot];
			d[n].type = ocfs2_mode_to_ftype(
					ocfs2_system_inode_mode(t));
			n++;
			if (ocfs2_system_inode_is_global(t))
				break;
		}
	}
	dinode_init(st, di, st->sysdir_blkno, 0040755, OCFS2_SYSTEM_FL,
		    OCFS2_INVALID_SLOT, st->sysdir_bit);
	di->i_links_count = cpu_to_le16(2 + st->o->slots);
	ret = write_dir(st, di, d, n);
	free(d);
	return ret;
}

static int write_root_and_lost_found(struct mkfs_state *st,
				     struct ocfs2_dinode *di)
{
	struct dent d[3];
	int ret;

	dent_set(&d[0], ".", st->root_blkno, OCFS2_FT_DIR);
	dent_set(&d[1], "..", st->root_blkno, OCFS2_FT_DIR);
	dent_set(&d[2], "lost+found", st->lf_blkno, OCFS2_FT_DIR);
	/*
	 * The root directory carries SYSTEM_FL as stock mkfs writes it: the
	 * kernel reads the root as a system inode and BUG()s at mount when
	 * the flag disagrees.
	 */
	dinode_init(st, di, st->root_blkno, 0040755, OCFS2_SYSTEM_FL,
		    OCFS2_INVALID_SLOT, st->root_bit);
	di->i_links_count = cpu_to_le16(3);
	ret = write_dir(st, di, d, 3);
	if (ret)
		return ret;
	dent_set(&d[0], ".", st->lf_blkno, OCFS2_FT_DIR);
	dent_set(&d[1], "..", st->root_blkno, OCFS2_FT_DIR);
	dinode_init(st, di, st->lf_blkno, 0040755, 0, 0, 1);
	if (st->feat.incompat & OCFS2_FEATURE_INCOMPAT_DISCONTIG_BG)
		di->i_suballoc_loc = cpu_to_le64(st->ia0_group_blkno);
	di->i_links_count = cpu_to_le16(2);
	return write_dir(st, di, d, 2);
}

static int write_orphan_dirs(struct mkfs_state *st, struct ocfs2_dinode *di)
{
	unsigned int slot;
	struct dent d[2];
	int ret = 0;

	for (slot = 0; slot < st->o->slots && !ret; slot++) {
		u64 blkno = st->sys_blkno[ORPHAN_DIR_SYSTEM_INODE][slot];

		dent_set(&d[0], ".", blkno, OCFS2_FT_DIR);
		dent_set(&d[1], "..", st->sysdir_blkno, OCFS2_FT_DIR);
		mkfs_sysfile_init(st, di, ORPHAN_DIR_SYSTEM_INODE, slot);
		di->i_links_count = cpu_to_le16(2);
		ret = write_dir(st, di, d, 2);
	}
	return ret;
}

/* ---- chain allocators ---- */

static void chain_init(struct mkfs_state *st, struct ocfs2_dinode *di,
		       u16 cpg, u16 bpc)
{
	struct ocfs2_chain_list *cl = &di->id2.i_chain;

	cl->cl_cpg = cpu_to_le16(cpg);
	cl->cl_bpc = cpu_to_le16(bpc);
	cl->cl_count = cpu_to_le16(ocfs2_chain_recs_per_inode(st->fs->bs));
}

/* Hook group @gd (already written or about to be) into chain @c of @di. */
static void chain_add(struct ocfs2_dinode *di, u16 c,
		      struct ocfs2_group_desc *gd)
{
	struct ocfs2_chain_list *cl = &di->id2.i_chain;
	struct ocfs2_chain_rec *rec = &cl->cl_recs[c];
	u16 bits = le16_to_cpu(gd->bg_bits);
	u16 free_bits = le16_to_cpu(gd->bg_free_bits_count);

	if (c >= le16_to_cpu(cl->cl_next_free_rec))
		cl->cl_next_free_rec = cpu_to_le16(c + 1);
	if (!rec->c_blkno)
		rec->c_blkno = gd->bg_blkno;
	le32_add_cpu(&rec->c_total, bits);
	le32_add_cpu(&rec->c_free, free_bits);
	le32_add_cpu(&di->id1.bitmap1.i_total, bits);
	le32_add_cpu(&di->id1.bitmap1.i_used, bits - free_bits);
}

static bool in_group(u64 blkno, u64 group, unsigned int bits)
{
	return blkno >= group && blkno < group + bits;
}

/* global_inode_alloc: its groups with a bit per system inode. */
static int write_global_inode_alloc(struct mkfs_state *st,
				    struct ocfs2_dinode *di)
{
	unsigned int bits = st->gia_cpg * st->bpc, g, slot;
	u64 parent = st->sys_blkno[GLOBAL_INODE_ALLOC_SYSTEM_INODE][0];
	struct ocfs2_group_desc *gd = io_alloc(st->fs->bs);
	u16 bytes = ocfs2_group_bitmap_size(st->fs->bs, 1, st->feat.incompat);
	int t, ret = 0;

	if (!gd)
		return -ENOMEM;
	mkfs_sysfile_init(st, di, GLOBAL_INODE_ALLOC_SYSTEM_INODE, 0);
	chain_init(st, di, st->gia_cpg, st->bpc);
	for (g = 0; g < st->gia_groups && !ret; g++) {
		u64 gb = st->gia_group_blkno[g];

		ocfs2_group_init(st->fs, gd, gb, parent, g, bits, bytes);
		ocfs2_group_set_bit(gd, 0);
		if (in_group(st->root_blkno, gb, bits))
			ocfs2_group_set_bit(gd, st->root_blkno - gb);
		if (in_group(st->sysdir_blkno, gb, bits))
			ocfs2_group_set_bit(gd, st->sysdir_blkno - gb);
		for (t = 0; t < NUM_SYSTEM_INODES; t++) {
			for (slot = 0; slot < st->o->slots; slot++) {
				u64 b = st->sys_blkno[t][slot];

				if (b && in_group(b, gb, bits))
					ocfs2_group_set_bit(gd, b - gb);
			}
		}
		ret = io_zero(st->fs->io, gb << st->fs->bbits,
			      (u64)bits << st->fs->bbits);
		if (!ret)
			ret = ocfs2_write_meta(st->fs, OCFS2_BLK_GROUP, gb, gd);
		chain_add(di, g, gd);
	}
	di->i_clusters = cpu_to_le32(st->gia_groups * st->gia_cpg);
	di->i_size = cpu_to_le64((u64)st->gia_groups * st->gia_cpg *
				 st->fs->cs);
	free(gd);
	return ret ? ret : ocfs2_write_inode(st->fs,
					     le64_to_cpu(di->i_blkno), di);
}

/* Per-slot inode and extent allocators; slot 0's inodes hold lost+found. */
static int write_suballocators(struct mkfs_state *st, struct ocfs2_dinode *di)
{
	static const int types[] = { EXTENT_ALLOC_SYSTEM_INODE,
				     INODE_ALLOC_SYSTEM_INODE };
	unsigned int bits = st->sub_cpg * st->bpc, slot;
	struct ocfs2_group_desc *gd = io_alloc(st->fs->bs);
	u16 bytes = ocfs2_group_bitmap_size(st->fs->bs, 1, st->feat.incompat);
	int i, ret = 0;

	if (!gd)
		return -ENOMEM;
	for (i = 0; i < 2 && !ret; i++) {
		for (slot = 0; slot < st->o->slots && !ret; slot++) {
			mkfs_sysfile_init(st, di, types[i], slot);
			chain_init(st, di, st->sub_cpg, st->bpc);
			if (types[i] == INODE_ALLOC_SYSTEM_INODE && !slot) {
				u64 gb = st->ia0_group_blkno;

				ocfs2_group_init(st->fs, gd, gb,
						 st->sys_blkno[types[i]][0], 0,
						 bits, bytes);
				ocfs2_group_set_bit(gd, 0);
				ocfs2_group_set_bit(gd, 1);
				ret = ocfs2_write_meta(st->fs, OCFS2_BLK_GROUP,
						       gb, gd);
				chain_add(di, 0, gd);
				di->i_clusters = cpu_to_le32(st->sub_cpg);
				di->i_size = cpu_to_le64((u64)st->sub_cpg *
							 st->fs->cs);
			}
			if (!ret)
				ret = ocfs2_write_inode(st->fs,
					st->sys_blkno[types[i]][slot], di);
		}
	}
	free(gd);
	return ret;
}

/* The global bitmap: every cluster group, from the in-memory map. */
static int write_global_bitmap(struct mkfs_state *st, struct ocfs2_dinode *di)
{
	u64 parent = st->sys_blkno[GLOBAL_BITMAP_SYSTEM_INODE][0];
	u16 count = ocfs2_chain_recs_per_inode(st->fs->bs);
	u16 bytes = ocfs2_group_bitmap_size(st->fs->bs, 0, 0);
	struct ocfs2_group_desc *gd = io_alloc(st->fs->bs);
	u32 g, c;
	int ret = 0;

	if (!gd)
		return -ENOMEM;
	mkfs_sysfile_init(st, di, GLOBAL_BITMAP_SYSTEM_INODE, 0);
	chain_init(st, di, st->cpg, 1);
	for (g = 0; g < st->groups && !ret; g++) {
		u32 first = g * st->cpg;
		u32 bits = st->clusters - first < st->cpg ?
			   st->clusters - first : st->cpg;

		ocfs2_group_init(st->fs, gd, mkfs_group_blkno(st, g), parent,
				 g % count, bits, bytes);
		for (c = 0; c < bits; c++)
			if (mkfs_cluster_used(st, first + c))
				ocfs2_group_set_bit(gd, c);
		if (g + count < st->groups)
			gd->bg_next_group =
				cpu_to_le64(mkfs_group_blkno(st, g + count));
		ret = ocfs2_write_meta(st->fs, OCFS2_BLK_GROUP,
				       mkfs_group_blkno(st, g), gd);
		chain_add(di, g % count, gd);
	}
	di->i_clusters = cpu_to_le32(st->clusters);
	di->i_size = cpu_to_le64((u64)st->clusters * st->fs->cs);
	free(gd);
	return ret ? ret : ocfs2_write_inode(st->fs,
					     le64_to_cpu(di->i_blkno), di);
}

/* ---- data-bearing system files ---- */

static int zero_runs(struct mkfs_state *st, const struct crun *runs, int n)
{
	int i, ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = io_zero(st->fs->io, (u64)runs[i].start << st->fs->cbits,
			      (u64)runs[i].len << st->fs->cbits);
	return ret;
}

static int write_journals(struct mkfs_state *st, struct ocfs2_dinode *di)
{
	struct crun runs[MAX_RUNS];
	unsigned int slot;
	u32 blocks = st->journal_clusters * st->bpc;
	int n, ret = 0;

	for (slot = 0; slot < st->o->slots && !ret; slot++) {
		mkfs_sysfile_init(st, di, JOURNAL_SYSTEM_INODE, slot);
		ret = alloc_file(st, di, st->journal_clusters, runs, &n);
		if (ret)
			break;
		di->i_size = cpu_to_le64((u64)st->journal_clusters *
					 st->fs->cs);
		ret = zero_runs(st, runs, n);
		if (!ret)
			ret = ocfs2_jbd2_write_super(st->fs,
					(u64)runs[0].start * st->bpc, blocks,
					st->uuid, st->journal_jbd2_incompat);
		if (!ret)
			ret = ocfs2_write_inode(st->fs,
						le64_to_cpu(di->i_blkno), di);
	}
	return ret;
}

static int write_heartbeat(struct mkfs_state *st, struct ocfs2_dinode *di)
{
	u64 bytes = ocfs2_heartbeat_bytes(st->fs->bs, st->fs->cs);
	struct crun runs[MAX_RUNS];
	int n, ret;

	mkfs_sysfile_init(st, di, HEARTBEAT_SYSTEM_INODE, 0);
	ret = alloc_file(st, di, (u32)(bytes >> st->fs->cbits), runs, &n);
	if (ret)
		return ret;
	di->i_size = cpu_to_le64(256ULL * st->fs->bs);
	ret = zero_runs(st, runs, n);
	return ret ? ret : ocfs2_write_inode(st->fs,
					     le64_to_cpu(di->i_blkno), di);
}

static int write_slot_map(struct mkfs_state *st, struct ocfs2_dinode *di)
{
	bool ext = st->feat.incompat &
		   OCFS2_FEATURE_INCOMPAT_EXTENDED_SLOT_MAP;
	u64 bytes = ocfs2_slot_map_bytes(st->o->slots, ext);
	u32 clusters = (u32)((bytes + st->fs->cs - 1) >> st->fs->cbits);
	struct crun runs[MAX_RUNS];
	char *map;
	int n, ret;

	mkfs_sysfile_init(st, di, SLOT_MAP_SYSTEM_INODE, 0);
	ret = alloc_file(st, di, clusters, runs, &n);
	if (ret)
		return ret;
	di->i_size = cpu_to_le64((u64)clusters << st->fs->cbits);
	map = io_alloc(st->fs->cs);
	if (!map)
		return -ENOMEM;
	ret = zero_runs(st, runs, n);
	ocfs2_slot_map_format(map, st->fs->cs, st->o->slots, ext);
	/* the map is tiny: it always fits the first cluster */
	if (!ret)
		ret = io_write_blocks(st->fs->io, (u64)runs[0].start * st->bpc,
				      st->bpc, map);
	free(map);
	return ret ? ret : ocfs2_write_inode(st->fs,
					     le64_to_cpu(di->i_blkno), di);
}

static int write_empty_sysfiles(struct mkfs_state *st, struct ocfs2_dinode *di)
{
	unsigned int slot;
	int ret;

	mkfs_sysfile_init(st, di, BAD_BLOCK_SYSTEM_INODE, 0);
	ocfs2_sysfile_body_init(st->fs, di, BAD_BLOCK_SYSTEM_INODE);
	ret = ocfs2_write_inode(st->fs, le64_to_cpu(di->i_blkno), di);
	for (slot = 0; slot < st->o->slots && !ret; slot++) {
		mkfs_sysfile_init(st, di, LOCAL_ALLOC_SYSTEM_INODE, slot);
		ocfs2_sysfile_body_init(st->fs, di, LOCAL_ALLOC_SYSTEM_INODE);
		ret = ocfs2_write_inode(st->fs, le64_to_cpu(di->i_blkno), di);
		if (ret)
			break;
		mkfs_sysfile_init(st, di, TRUNCATE_LOG_SYSTEM_INODE, slot);
		ocfs2_sysfile_body_init(st->fs, di, TRUNCATE_LOG_SYSTEM_INODE);
		ret = ocfs2_write_inode(st->fs, le64_to_cpu(di->i_blkno), di);
	}
	return ret;
}

/* ---- superblock ---- */

static void fill_cluster_info(struct mkfs_state *st,
			      struct ocfs2_super_block *sb)
{
	struct ocfs2_cluster_info *ci = &sb->s_cluster_info;
	const char *stack = st->o->stack ? st->o->stack :
			    OCFS2_CLASSIC_CLUSTER_STACK;

	if (!(st->feat.incompat & (OCFS2_FEATURE_INCOMPAT_CLUSTERINFO |
				   OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK)))
		return;
	memcpy(ci->ci_stack, stack, OCFS2_STACK_LABEL_LEN);
	if (st->o->cluster_name)
		memcpy(ci->ci_cluster, st->o->cluster_name,
		       strnlen(st->o->cluster_name, OCFS2_CLUSTER_NAME_LEN));
	if (st->o->global_hb)
		ci->ci_stackflags = OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT;
}

static int build_super(struct mkfs_state *st)
{
	struct ocfs2_dinode *di = st->fs->sb_di;
	struct ocfs2_super_block *sb = &di->id2.i_super;
	u32 seed[3];

	if (getrandom(&st->fs->fs_generation, 4, 0) != 4 ||
	    getrandom(seed, sizeof(seed), 0) != sizeof(seed))
		return -EIO;
	uuid_generate(st->uuid);
	dinode_init(st, di, OCFS2_SUPER_BLOCK_BLKNO, 0,
		    OCFS2_SYSTEM_FL | OCFS2_SUPER_BLOCK_FL,
		    OCFS2_INVALID_SLOT, 0xffff);
	memcpy(di->i_signature, OCFS2_SUPER_BLOCK_SIGNATURE,
	       sizeof(OCFS2_SUPER_BLOCK_SIGNATURE));
	di->i_links_count = 0;
	di->i_clusters = cpu_to_le32(st->clusters);
	sb->s_major_rev_level = cpu_to_le16(OCFS2_MAJOR_REV_LEVEL);
	sb->s_minor_rev_level = cpu_to_le16(OCFS2_MINOR_REV_LEVEL);
	sb->s_max_mnt_count = cpu_to_le16(20);
	sb->s_lastcheck = cpu_to_le64(st->now);
	sb->s_feature_compat = cpu_to_le32(st->feat.compat);
	sb->s_feature_incompat = cpu_to_le32(st->feat.incompat);
	sb->s_feature_ro_compat = cpu_to_le32(st->feat.ro_compat);
	sb->s_blocksize_bits = cpu_to_le32(st->fs->bbits);
	sb->s_clustersize_bits = cpu_to_le32(st->fs->cbits);
	sb->s_max_slots = cpu_to_le16(st->o->slots);
	sb->s_first_cluster_group = cpu_to_le64(st->first_group_blkno);
	if (st->o->label)
		strncpy((char *)sb->s_label, st->o->label,
			OCFS2_MAX_VOL_LABEL_LEN - 1);
	memcpy(sb->s_uuid, st->uuid, OCFS2_VOL_UUID_LEN);
	sb->s_uuid_hash = cpu_to_le32(ocfs2_uuid_hash(st->uuid));
	sb->s_dx_seed[0] = cpu_to_le32(seed[0]);
	sb->s_dx_seed[1] = cpu_to_le32(seed[1]);
	sb->s_dx_seed[2] = cpu_to_le32(seed[2]);
	if (st->feat.incompat & OCFS2_FEATURE_INCOMPAT_XATTR)
		sb->s_xattr_inline_size =
			cpu_to_le16(OCFS2_MIN_XATTR_INLINE_SIZE);
	fill_cluster_info(st, sb);
	st->fs->sb = sb;
	st->fs->fs_generation = le32_to_cpu(di->i_fs_generation);
	return 0;
}

static int finish_super(struct mkfs_state *st)
{
	struct ocfs2_super_block *sb = st->fs->sb;
	int count, ret;

	sb->s_root_blkno = cpu_to_le64(st->root_blkno);
	sb->s_system_dir_blkno = cpu_to_le64(st->sysdir_blkno);
	ret = ocfs2_write_backup_supers(st->fs, NULL, &count);
	if (!ret)
		ret = io_sync(st->fs->io);
	return ret ? ret : ocfs2_write_super(st->fs);
}

/* Lay out the per-volume pieces that the inode numbering needs first. */
static int plan_allocations(struct mkfs_state *st)
{
	int ret;

	ret = mkfs_number_inodes(st);
	if (ret)
		return ret;
	ret = mkfs_alloc_contig(st, st->sub_cpg, &st->ia0_group_cluster);
	if (ret)
		return ret;
	st->ia0_group_blkno = (u64)st->ia0_group_cluster * st->bpc;
	st->lf_blkno = st->ia0_group_blkno + 1;
	return io_zero(st->fs->io, st->ia0_group_blkno << st->fs->bbits,
		       (u64)st->sub_cpg << st->fs->cbits);
}

/* Report a finished stage unless -q; pass the stage's result through. */
static int step(struct mkfs_state *st, const char *what, int ret)
{
	if (!st->o->quiet && !ret)
		printf("%s: done\n", what);
	return ret;
}

int mkfs_write_volume(struct mkfs_state *st)
{
	struct ocfs2_dinode *di;
	int ret;

	ret = build_super(st);
	if (!ret)
		ret = plan_allocations(st);
	if (ret)
		return ret;
	di = io_alloc(st->fs->bs);
	if (!di)
		return -ENOMEM;
	/* the old superblock goes first: a half-made volume must not mount */
	ret = io_zero(st->fs->io, 0, st->first_group_blkno << st->fs->bbits);
	if (!ret)
		ret = step(st, "Writing system files", write_global_inode_alloc(st, di) ?:
			   write_system_dir(st, di) ?:
			   write_root_and_lost_found(st, di) ?:
			   write_orphan_dirs(st, di) ?:
			   write_suballocators(st, di) ?:
			   write_empty_sysfiles(st, di));
	if (!ret)
		ret = step(st, "Formatting slot map", write_slot_map(st, di));
	if (!ret)
		ret = step(st, "Formatting heartbeat area",
			   write_heartbeat(st, di));
	if (!ret)
		ret = step(st, "Formatting Journals", write_journals(st, di));
	if (!ret)
		ret = step(st, "Formatting quota files",
			   mkfs_write_quota_files(st, di));
	if (!ret)
		ret = step(st, "Creating bitmaps", write_global_bitmap(st, di));
	if (!ret)
		ret = step(st, "Writing superblock", finish_super(st));
	free(di);
	return ret;
}
