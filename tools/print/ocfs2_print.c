// SPDX-License-Identifier: GPL-2.0
/*
 * Printing superblocks, inodes, extent lists, groups and journal
 * superblocks with stock debugfs.ocfs2's field names and layout.
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ocfs2_print.h"

void ocfs2_print_uuid(char *out, const u8 *uuid)
{
	int i;

	for (i = 0; i < OCFS2_VOL_UUID_LEN; i++)
		sprintf(out + 2 * i, "%02X", uuid[i]);
}

static void print_words(FILE *f, const char *title, int word, u32 bits)
{
	char names[512];

	ocfs2_feature_string(names, sizeof(names), word, bits);
	fprintf(f, "\t%s: %u %s\n", title, bits, names);
}

void ocfs2_feature_words(FILE *f, struct ocfs2_super_block *sb)
{
	print_words(f, "Feature Compat", 0, le32_to_cpu(sb->s_feature_compat));
	print_words(f, "Feature Incompat", 1,
		    le32_to_cpu(sb->s_feature_incompat));
	fprintf(f, "\tTunefs Incomplete: %u %s\n",
		le16_to_cpu(sb->s_tunefs_flag),
		le16_to_cpu(sb->s_tunefs_flag) ? "remove-slot" : "");
	print_words(f, "Feature RO compat", 2,
		    le32_to_cpu(sb->s_feature_ro_compat));
}

static void print_time_line(FILE *f, const char *name, u64 secs, u32 nsec,
			    bool with_nsec)
{
	time_t t = (time_t)secs;
	struct tm tm;
	char day[32], year[8];

	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%a %b %e %H:%M:%S", &tm);
	strftime(year, sizeof(year), "%Y", &tm);
	if (with_nsec)
		fprintf(f, "\t%s: 0x%llx 0x%x -- %s.%u %s\n", name,
			(unsigned long long)secs, nsec, day, nsec, year);
	else
		fprintf(f, "\t%s: 0x%llx -- %s %s\n", name,
			(unsigned long long)secs, day, year);
}

static void print_cluster_info(FILE *f, struct ocfs2_super_block *sb)
{
	u32 inc = le32_to_cpu(sb->s_feature_incompat);
	const struct ocfs2_cluster_info *ci = &sb->s_cluster_info;

	if (!(inc & (OCFS2_FEATURE_INCOMPAT_CLUSTERINFO |
		     OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK))) {
		fprintf(f, "\tCluster stack: classic o2cb\n");
		fprintf(f, "\tCluster flags: 0 \n");
		return;
	}
	fprintf(f, "\tCluster stack: %.4s\n", ci->ci_stack);
	fprintf(f, "\tCluster name: %.16s\n", ci->ci_cluster);
	fprintf(f, "\tCluster flags: %u %s\n", ci->ci_stackflags,
		ci->ci_stackflags & OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT ?
		"Globalheartbeat" : "");
}

void ocfs2_print_super(FILE *f, struct ocfs2_fs *fs, bool header_only)
{
	struct ocfs2_super_block *sb = fs->sb;
	char uuid[40];
	time_t lc = (time_t)le64_to_cpu(sb->s_lastcheck);
	char lcs[64];
	struct tm tm;

	gmtime_r(&lc, &tm);
	strftime(lcs, sizeof(lcs), "%a %b %e %H:%M:%S %Y", &tm);
	fprintf(f, "\tRevision: %u.%u\n", le16_to_cpu(sb->s_major_rev_level),
		le16_to_cpu(sb->s_minor_rev_level));
	fprintf(f, "\tMount Count: %u   Max Mount Count: %u\n",
		le16_to_cpu(sb->s_mnt_count), le16_to_cpu(sb->s_max_mnt_count));
	fprintf(f, "\tState: %u   Errors: %u\n", le16_to_cpu(sb->s_state),
		le16_to_cpu(sb->s_errors));
	fprintf(f, "\tCheck Interval: %u   Last Check: %s\n",
		le32_to_cpu(sb->s_checkinterval), lcs);
	fprintf(f, "\tCreator OS: %u\n", le32_to_cpu(sb->s_creator_os));
	ocfs2_feature_words(f, sb);
	fprintf(f, "\tRoot Blknum: %llu   System Dir Blknum: %llu\n",
		(unsigned long long)le64_to_cpu(sb->s_root_blkno),
		(unsigned long long)le64_to_cpu(sb->s_system_dir_blkno));
	fprintf(f, "\tFirst Cluster Group Blknum: %llu\n",
		(unsigned long long)le64_to_cpu(sb->s_first_cluster_group));
	fprintf(f, "\tBlock Size Bits: %u   Cluster Size Bits: %u\n",
		le32_to_cpu(sb->s_blocksize_bits),
		le32_to_cpu(sb->s_clustersize_bits));
	fprintf(f, "\tMax Node Slots: %u\n", le16_to_cpu(sb->s_max_slots));
	fprintf(f, "\tExtended Attributes Inline Size: %u\n",
		le16_to_cpu(sb->s_xattr_inline_size));
	fprintf(f, "\tLabel: %.64s\n", sb->s_label);
	ocfs2_print_uuid(uuid, sb->s_uuid);
	fprintf(f, "\tUUID: %s\n", uuid);
	fprintf(f, "\tHash: %u (0x%x)\n", le32_to_cpu(sb->s_uuid_hash),
		le32_to_cpu(sb->s_uuid_hash));
	fprintf(f, "\tDX Seeds: %u %u %u (0x%08x 0x%08x 0x%08x)\n",
		le32_to_cpu(sb->s_dx_seed[0]), le32_to_cpu(sb->s_dx_seed[1]),
		le32_to_cpu(sb->s_dx_seed[2]), le32_to_cpu(sb->s_dx_seed[0]),
		le32_to_cpu(sb->s_dx_seed[1]), le32_to_cpu(sb->s_dx_seed[2]));
	print_cluster_info(f, sb);
	if (!header_only)
		ocfs2_print_inode(f, fs, fs->sb_di);
}

/*
 * ls -l's mode column as stock debugfs writes it: 'f' for a FIFO, 's'
 * for a socket, s/S t/T for the set-id and sticky bits.
 */
void ocfs2_mode_string(u16 mode, char *out)
{
	static const char types[] = "-fc-d-b---l-s---";
	static const char rwx[] = "rwxrwxrwx";
	static const u16 special[3] = { 04000, 02000, 01000 };
	int i;

	out[0] = types[(mode >> 12) & 0xf];
	for (i = 0; i < 9; i++)
		out[i + 1] = (mode & (0400 >> i)) ? rwx[i] : '-';
	for (i = 0; i < 3; i++) {
		char *x = &out[3 + 3 * i];

		if (mode & special[i])
			*x = *x == 'x' ? (i == 2 ? 't' : 's') :
					 (i == 2 ? 'T' : 'S');
	}
	out[10] = '\0';
}

static const char *type_name(u16 mode)
{
	switch (mode & 0170000) {
	case 0100000: return "Regular";
	case 0040000: return "Directory";
	case 0120000: return "Symbolic Link";
	case 0020000: return "Char Device";
	case 0060000: return "Block Device";
	case 0010000: return "FIFO";
	case 0140000: return "Socket";
	}
	return "Unknown";
}

static void print_flag_names(FILE *f, u32 flags)
{
	static const struct { u32 bit; const char *name; } names[] = {
		{ OCFS2_VALID_FL, "Valid" }, { OCFS2_UNUSED2_FL, "Unused2" },
		{ OCFS2_ORPHANED_FL, "Orphan" }, { OCFS2_UNUSED3_FL, "Unused3" },
		{ OCFS2_SYSTEM_FL, "System" },
		{ OCFS2_SUPER_BLOCK_FL, "Superblock" },
		{ OCFS2_LOCAL_ALLOC_FL, "Localalloc" },
		{ OCFS2_BITMAP_FL, "Allocbitmap" },
		{ OCFS2_JOURNAL_FL, "Journal" },
		{ OCFS2_HEARTBEAT_FL, "Heartbeat" },
		{ OCFS2_CHAIN_FL, "Chain" }, { OCFS2_DEALLOC_FL, "Dealloc" },
		{ OCFS2_DIO_ORPHANED_FL, "DioOrphanedFile" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			fprintf(f, "%s ", names[i].name);
}

static void print_dyn_features(FILE *f, u16 dyn)
{
	fprintf(f, "\tDynamic Features: (0x%x) ", dyn);
	if (dyn & OCFS2_INLINE_DATA_FL)
		fprintf(f, "InlineData ");
	if (dyn & OCFS2_HAS_XATTR_FL)
		fprintf(f, "HasXattr ");
	if (dyn & OCFS2_INLINE_XATTR_FL)
		fprintf(f, "InlineXattr ");
	if (dyn & OCFS2_INDEXED_DIR_FL)
		fprintf(f, "IndexedDir ");
	if (dyn & OCFS2_HAS_REFCOUNT_FL)
		fprintf(f, "Refcounted ");
	fprintf(f, "\n");
}

static void print_owner(FILE *f, struct ocfs2_dinode *di)
{
	u32 uid = le32_to_cpu(di->i_uid), gid = le32_to_cpu(di->i_gid);
	struct passwd *pw = getpwuid(uid);
	struct group *gr = getgrgid(gid);

	fprintf(f, "\tUser: %u (%s)   Group: %u (%s)   Size: %llu\n", uid,
		pw ? pw->pw_name : "unknown", gid, gr ? gr->gr_name : "unknown",
		(unsigned long long)le64_to_cpu(di->i_size));
}

static void print_inode_head(FILE *f, struct ocfs2_dinode *di)
{
	u32 gen = le32_to_cpu(di->i_generation);
	u32 fsgen = le32_to_cpu(di->i_fs_generation);
	u16 mode = le16_to_cpu(di->i_mode);
	u32 links = le16_to_cpu(di->i_links_count) |
		    ((u32)le16_to_cpu(di->i_links_count_hi) <<
		     OCFS2_LINKS_HI_SHIFT);

	fprintf(f, "\tInode: %llu   Mode: 0%o   Generation: %u (0x%x)\n",
		(unsigned long long)le64_to_cpu(di->i_blkno), mode & 0777,
		gen, gen);
	fprintf(f, "\tFS Generation: %u (0x%x)\n", fsgen, fsgen);
	fprintf(f, "\tCRC32: %08x   ECC: %04x\n",
		le32_to_cpu(di->i_check.bc_crc32e),
		le16_to_cpu(di->i_check.bc_ecc));
	fprintf(f, "\tType: %s   Attr: 0x%x   Flags: ", type_name(mode),
		le32_to_cpu(di->i_attr));
	print_flag_names(f, le32_to_cpu(di->i_flags));
	fprintf(f, "\n");
	print_dyn_features(f, le16_to_cpu(di->i_dyn_features));
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_HAS_XATTR_FL)
		fprintf(f, "\tExtended Attributes Block: %llu  Extended Attributes Inline Size: %u\n",
			(unsigned long long)le64_to_cpu(di->i_xattr_loc),
			le16_to_cpu(di->i_xattr_inline_size));
	print_owner(f, di);
	fprintf(f, "\tLinks: %u   Clusters: %u\n", links,
		le32_to_cpu(di->i_clusters));
	print_time_line(f, "ctime", le64_to_cpu(di->i_ctime),
			le32_to_cpu(di->i_ctime_nsec), true);
	print_time_line(f, "atime", le64_to_cpu(di->i_atime),
			le32_to_cpu(di->i_atime_nsec), true);
	print_time_line(f, "mtime", le64_to_cpu(di->i_mtime),
			le32_to_cpu(di->i_mtime_nsec), true);
	print_time_line(f, "dtime", le64_to_cpu(di->i_dtime), 0, false);
	fprintf(f, "\tRefcount Block: %llu\n",
		(unsigned long long)le64_to_cpu(di->i_refcount_loc));
	fprintf(f, "\tLast Extblk: %llu   Orphan Slot: %u\n",
		(unsigned long long)le64_to_cpu(di->i_last_eb_blk),
		le16_to_cpu(di->i_orphaned_slot));
	if (le16_to_cpu(di->i_suballoc_slot) == OCFS2_INVALID_SLOT)
		fprintf(f, "\tSub Alloc Slot: Global   ");
	else
		fprintf(f, "\tSub Alloc Slot: %u   ",
			le16_to_cpu(di->i_suballoc_slot));
	fprintf(f, "Sub Alloc Bit: %u", le16_to_cpu(di->i_suballoc_bit));
	if (le64_to_cpu(di->i_suballoc_loc))
		fprintf(f, "   Sub Alloc Group %llu",
			(unsigned long long)le64_to_cpu(di->i_suballoc_loc));
	fprintf(f, "\n");
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INDEXED_DIR_FL)
		fprintf(f, "\tIndexed Tree Root: %llu\n",
			(unsigned long long)le64_to_cpu(di->i_dx_root));
}

/* Names of extent flags after "Unwritten", as stock debugfs words them. */
static const char *extent_flag_rest(u8 fl)
{
	fl &= ~OCFS2_EXT_UNWRITTEN;
	if (!fl)
		return "";
	if (fl == OCFS2_EXT_REFCOUNTED)
		return "Refcounted";
	return fl & OCFS2_EXT_REFCOUNTED ? "Refcounted unknown" : "unknown";
}

void ocfs2_print_extent_list(FILE *f, struct ocfs2_extent_list *el)
{
	u16 i, used = le16_to_cpu(el->l_next_free_rec);
	u16 depth = le16_to_cpu(el->l_tree_depth);

	fprintf(f, "\tTree Depth: %u   Count: %u   Next Free Rec: %u\n",
		depth, le16_to_cpu(el->l_count), used);
	if (!used)
		return;
	if (used > le16_to_cpu(el->l_count))
		used = le16_to_cpu(el->l_count);
	/* interior records have no flags column, as stock prints them */
	if (depth)
		fprintf(f, "\t## Offset        Clusters       Block#\n");
	else
		fprintf(f, "\t## Offset        Clusters       Block#          Flags\n");
	for (i = 0; i < used; i++) {
		struct ocfs2_extent_rec *r = &el->l_recs[i];
		u8 fl = r->e_flags;

		if (depth) {
			fprintf(f, "\t%-2u %-13u %-14u %llu\n", i,
				le32_to_cpu(r->e_cpos),
				le32_to_cpu(r->e_int_clusters),
				(unsigned long long)le64_to_cpu(r->e_blkno));
			continue;
		}
		fprintf(f, "\t%-2u %-13u %-14u %-15llu 0x%x %s%s%s\n", i,
			le32_to_cpu(r->e_cpos), le16_to_cpu(r->e_leaf_clusters),
			(unsigned long long)le64_to_cpu(r->e_blkno), fl,
			(fl & OCFS2_EXT_UNWRITTEN) ? "Unwritten" : "",
			(fl & OCFS2_EXT_UNWRITTEN) && (fl & ~OCFS2_EXT_UNWRITTEN) ?
			" " : "", extent_flag_rest(fl));
	}
}

static void print_extent_block_head(FILE *f, struct ocfs2_extent_block *eb)
{
	fprintf(f, "\tSubAlloc Bit: %u   SubAlloc Slot: %u\n",
		le16_to_cpu(eb->h_suballoc_bit),
		le16_to_cpu(eb->h_suballoc_slot));
	fprintf(f, "\tBlknum: %llu   Next Leaf: %llu\n",
		(unsigned long long)le64_to_cpu(eb->h_blkno),
		(unsigned long long)le64_to_cpu(eb->h_next_leaf_blk));
	fprintf(f, "\tCRC32: %08x   ECC: %04x\n",
		le32_to_cpu(eb->h_check.bc_crc32e),
		le16_to_cpu(eb->h_check.bc_ecc));
}

/*
 * A whole tree the way stock stat shows it: each list, then under each
 * interior record its extent block and that block's tree, depth first.
 * Unreadable blocks are skipped; @levels bounds a looping tree.
 */
static void print_extent_tree(FILE *f, struct ocfs2_fs *fs,
			      struct ocfs2_extent_list *el, int levels);

void ocfs2_print_extent_tree(FILE *f, struct ocfs2_fs *fs,
			     struct ocfs2_extent_list *el)
{
	print_extent_tree(f, fs, el, 8);
}

static void print_extent_tree(FILE *f, struct ocfs2_fs *fs,
			      struct ocfs2_extent_list *el, int levels)
{
	u16 i, used = le16_to_cpu(el->l_next_free_rec);
	struct ocfs2_extent_block *eb;

	ocfs2_print_extent_list(f, el);
	if (!le16_to_cpu(el->l_tree_depth) || levels <= 0)
		return;
	if (used > le16_to_cpu(el->l_count))
		used = le16_to_cpu(el->l_count);
	eb = io_alloc(fs->bs);
	if (!eb)
		return;
	for (i = 0; i < used; i++) {
		if (ocfs2_read_meta(fs, OCFS2_BLK_EXTENT,
				    le64_to_cpu(el->l_recs[i].e_blkno), eb))
			continue;
		print_extent_block_head(f, eb);
		print_extent_tree(f, fs, &eb->h_list, levels - 1);
	}
	free(eb);
}

void ocfs2_print_extent_block(FILE *f, struct ocfs2_extent_block *eb)
{
	print_extent_block_head(f, eb);
	ocfs2_print_extent_list(f, &eb->h_list);
}

static unsigned int longest_free_run(struct ocfs2_group_desc *gd)
{
	unsigned int bit, run = 0, best = 0, bits = le16_to_cpu(gd->bg_bits);

	if (bits > 8U * le16_to_cpu(gd->bg_size))
		bits = 8U * le16_to_cpu(gd->bg_size);
	for (bit = 0; bit < bits; bit++) {
		run = ocfs2_group_test_bit(gd, bit) ? 0 : run + 1;
		if (run > best)
			best = run;
	}
	return best;
}

static void print_group_header(FILE *f, struct ocfs2_group_desc *gd)
{
	fprintf(f, "\tGroup Chain: %u   Parent Inode: %llu  Generation: %u\n",
		le16_to_cpu(gd->bg_chain),
		(unsigned long long)le64_to_cpu(gd->bg_parent_dinode),
		le32_to_cpu(gd->bg_generation));
	fprintf(f, "\tCRC32: %08x   ECC: %04x\n",
		le32_to_cpu(gd->bg_check.bc_crc32e),
		le16_to_cpu(gd->bg_check.bc_ecc));
	fprintf(f, "\t##   Block#            Total    Used     Free     Contig   Size  \n");
}

static void print_group_row(FILE *f, int n, struct ocfs2_group_desc *gd)
{
	u16 bits = le16_to_cpu(gd->bg_bits);
	u16 free_bits = le16_to_cpu(gd->bg_free_bits_count);

	fprintf(f, "\t%-4d %-17llu %-8u %-8u %-8u %-8u %-6u\n", n,
		(unsigned long long)le64_to_cpu(gd->bg_blkno), bits,
		bits - free_bits, free_bits, longest_free_run(gd),
		le16_to_cpu(gd->bg_size));
}

void ocfs2_print_group(FILE *f, struct ocfs2_group_desc *gd)
{
	print_group_header(f, gd);
	print_group_row(f, 0, gd);
}

struct chain_print {
	FILE *f;
	int chain, row;
};

static int print_group_cb(struct ocfs2_fs *fs, int chain,
			  struct ocfs2_group_desc *gd, void *ctx)
{
	struct chain_print *cp = ctx;

	(void)fs;
	if (chain != cp->chain) {
		fprintf(cp->f, "\n");
		print_group_header(cp->f, gd);
		cp->chain = chain;
		cp->row = 0;
	}
	print_group_row(cp->f, cp->row++, gd);
	return 0;
}

void ocfs2_print_chains(FILE *f, struct ocfs2_fs *fs, struct ocfs2_dinode *di)
{
	struct ocfs2_chain_list *cl = &di->id2.i_chain;
	u16 i, used = le16_to_cpu(cl->cl_next_free_rec);
	u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
	u32 usedbits = le32_to_cpu(di->id1.bitmap1.i_used);
	int ret;

	fprintf(f, "\tBitmap Total: %u   Used: %u   Free: %u\n", total,
		usedbits, total - usedbits);
	fprintf(f, "\tClusters per Group: %u   Bits per Cluster: %u\n",
		le16_to_cpu(cl->cl_cpg), le16_to_cpu(cl->cl_bpc));
	fprintf(f, "\tCount: %u   Next Free Rec: %u\n",
		le16_to_cpu(cl->cl_count), used);
	if (used > le16_to_cpu(cl->cl_count))
		used = le16_to_cpu(cl->cl_count);
	if (used)
		fprintf(f, "\t##   Total        Used         Free         Block#\n");
	for (i = 0; i < used; i++) {
		struct ocfs2_chain_rec *r = &cl->cl_recs[i];
		u32 t = le32_to_cpu(r->c_total), fr = le32_to_cpu(r->c_free);

		fprintf(f, "\t%-4u %-12u %-12u %-12u %llu\n", i, t, t - fr, fr,
			(unsigned long long)le64_to_cpu(r->c_blkno));
	}
	{
		struct chain_print cp = { f, -1, 0 };

		ret = ocfs2_chain_iterate(fs, di, print_group_cb, &cp);
	}
	if (ret)
		fprintf(f, "\t(chain walk stopped: %s)\n", ret == -ELOOP ?
			"the chain loops" : strerror(-ret));
}

static void print_inode_body(FILE *f, struct ocfs2_fs *fs,
			     struct ocfs2_dinode *di)
{
	u32 flags = le32_to_cpu(di->i_flags);
	u16 dyn = le16_to_cpu(di->i_dyn_features);
	u16 mode = le16_to_cpu(di->i_mode);

	if (flags & OCFS2_SUPER_BLOCK_FL)
		return;
	if (flags & OCFS2_LOCAL_ALLOC_FL) {
		struct ocfs2_local_alloc *la = &di->id2.i_lab;
		u32 total = le32_to_cpu(di->id1.bitmap1.i_total);
		u32 used = le32_to_cpu(di->id1.bitmap1.i_used);

		fprintf(f, "\tBitmap Total: %u   Used: %u   Free: %u\n", total,
			used, total - used);
		fprintf(f, "\tLocal Bitmap Offset: %u   Size: %u\n",
			le32_to_cpu(la->la_bm_off), le16_to_cpu(la->la_size));
		return;
	}
	if (flags & OCFS2_CHAIN_FL) {
		ocfs2_print_chains(f, fs, di);
		return;
	}
	if (flags & OCFS2_DEALLOC_FL) {
		struct ocfs2_truncate_log *tl = &di->id2.i_dealloc;
		u16 i, used = le16_to_cpu(tl->tl_used);

		fprintf(f, "\tTotal Records: %u   Used: %u\n",
			le16_to_cpu(tl->tl_count), used);
		fprintf(f, "\t##   Start Cluster   Num Clusters\n");
		for (i = 0; i < used && i < le16_to_cpu(tl->tl_count); i++)
			fprintf(f, "\t%-4u %-15u %u\n", i,
				le32_to_cpu(tl->tl_recs[i].t_start),
				le32_to_cpu(tl->tl_recs[i].t_clusters));
		return;
	}
	if (flags & OCFS2_JOURNAL_FL) {
		u32 jf = le32_to_cpu(di->id1.journal1.ij_flags);

		fprintf(f, "\tJournal Flags: %s\n", jf & OCFS2_JOURNAL_DIRTY_FL ?
			"Dirty " : "");
		fprintf(f, "\tRecovery Generation: %u\n",
			le32_to_cpu(di->id1.journal1.ij_recovery_generation));
	}
	if (dyn & OCFS2_INLINE_DATA_FL) {
		fprintf(f, "\tInline Data Max: %u\n",
			le16_to_cpu(di->id2.i_data.id_count));
		return;
	}
	if ((mode & 0170000) == 0120000 && !le32_to_cpu(di->i_clusters)) {
		fprintf(f, "\tFast Symlink Destination: %.*s\n",
			(int)ocfs2_fast_symlink_chars(fs->bs),
			(char *)di->id2.i_symlink);
		return;
	}
	/* device inodes too: stock shows their (empty) extent list */
	print_extent_tree(f, fs, &di->id2.i_list, 8);
}

void ocfs2_print_inode(FILE *f, struct ocfs2_fs *fs, struct ocfs2_dinode *di)
{
	print_inode_head(f, di);
	print_inode_body(f, fs, di);
}

void ocfs2_print_jbd2_super(FILE *f, struct ocfs2_jbd2_superblock *jsb)
{
	char uuid[40];
	u32 type = be32_to_cpu(jsb->s_header.h_blocktype);
	u32 inc = be32_to_cpu(jsb->s_feature_incompat);

	fprintf(f, "\tBlock 0: Journal Superblock\n");
	fprintf(f, "\tSeq: %u   Type: %u (%s)\n",
		be32_to_cpu(jsb->s_header.h_sequence), type,
		type == OCFS2_JBD2_SUPERBLOCK_V2 ? "JBD2_SUPERBLOCK_V2" :
		type == OCFS2_JBD2_SUPERBLOCK_V1 ? "JBD2_SUPERBLOCK_V1" :
		"unknown");
	fprintf(f, "\tBlocksize: %u   Total Blocks: %u   First Block: %u\n",
		be32_to_cpu(jsb->s_blocksize), be32_to_cpu(jsb->s_maxlen),
		be32_to_cpu(jsb->s_first));
	fprintf(f, "\tFirst Commit ID: %u   Start Log Blknum: %u\n",
		be32_to_cpu(jsb->s_sequence), be32_to_cpu(jsb->s_start));
	fprintf(f, "\tError: %d\n", (int)be32_to_cpu(jsb->s_errno));
	fprintf(f, "\tFeature Compat: %u %s\n",
		be32_to_cpu(jsb->s_feature_compat),
		be32_to_cpu(jsb->s_feature_compat) &
		OCFS2_JBD2_FEATURE_COMPAT_CHECKSUM ? "checksum" : "");
	fprintf(f, "\tFeature Incompat: %u %s%s%s\n", inc,
		inc & OCFS2_JBD2_FEATURE_INCOMPAT_REVOKE ? "revoke " : "",
		inc & OCFS2_JBD2_FEATURE_INCOMPAT_64BIT ? "block64 " :
		"block32 ",
		inc & OCFS2_JBD2_FEATURE_INCOMPAT_ASYNC_COMMIT ?
		"async-commit " : "");
	fprintf(f, "\tFeature RO compat: %u \n",
		be32_to_cpu(jsb->s_feature_ro_compat));
	ocfs2_print_uuid(uuid, jsb->s_uuid);
	fprintf(f, "\tJournal UUID: %s\n", uuid);
	fprintf(f, "\tFS Share Cnt: %u   Dynamic Superblk Blknum: %u\n",
		be32_to_cpu(jsb->s_nr_users), be32_to_cpu(jsb->s_dynsuper));
	fprintf(f, "\tPer Txn Block Limit    Journal: %u    Data: %u\n",
		be32_to_cpu(jsb->s_max_transaction),
		be32_to_cpu(jsb->s_max_trans_data));
}
