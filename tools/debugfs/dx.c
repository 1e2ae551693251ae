// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2 directory index commands: dx_root and dx_leaf (one block
 * by number), dx_dump (a directory's whole index) and dx_space (the free
 * space list of an indexed directory's blocks).  Output as stock prints it.
 */
#include <stdlib.h>
#include <string.h>
#include "debugfs.h"

static void print_check(const struct ocfs2_block_check *bc)
{
	printf("\tCRC32: %08x   ECC: %04x\n", le32_to_cpu(bc->bc_crc32e),
	       le16_to_cpu(bc->bc_ecc));
}

static void print_entries(const struct ocfs2_dx_entry_list *l, bool table,
			  unsigned int room)
{
	unsigned int i, used = le16_to_cpu(l->de_num_used);

	printf("\tCount: %u  Num Used: %u\n", le16_to_cpu(l->de_count), used);
	if (!table)
		return;
	printf("\t## %-11s         %-13s\n", "Hash (Major Minor)", "Dir Block#");
	for (i = 0; i < used && i < room; i++)
		printf("\t %-2u (0x%08x 0x%08x)    %-13llu\n", i,
		       le32_to_cpu(l->de_entries[i].dx_major_hash),
		       le32_to_cpu(l->de_entries[i].dx_minor_hash),
		       (unsigned long long)le64_to_cpu(l->de_entries[i].dx_dirent_blk));
}

/* entries that fit after @list in a block, whatever the count claims */
static unsigned int entry_room(const void *block, const void *list)
{
	size_t off = (const char *)list - (const char *)block +
		     sizeof(struct ocfs2_dx_entry_list);

	return (dbg.fs->bs - off) / sizeof(struct ocfs2_dx_entry);
}

static void print_root(const struct ocfs2_dx_root_block *dr)
{
	u16 slot = le16_to_cpu(dr->dr_suballoc_slot);
	char slotstr[16];

	if (slot == (u16)OCFS2_INVALID_SLOT)
		snprintf(slotstr, sizeof(slotstr), "Invalid Slot");
	else
		snprintf(slotstr, sizeof(slotstr), "%d", slot);
	printf("\tDir Index Root: %llu   FS Generation: %u (0x%x)\n",
	       (unsigned long long)le64_to_cpu(dr->dr_blkno),
	       le32_to_cpu(dr->dr_fs_generation),
	       le32_to_cpu(dr->dr_fs_generation));
	printf("\tClusters: %u   Last Extblk: %llu   Dir Inode: %llu\n",
	       le32_to_cpu(dr->dr_clusters),
	       (unsigned long long)le64_to_cpu(dr->dr_last_eb_blk),
	       (unsigned long long)le64_to_cpu(dr->dr_dir_blkno));
	printf("\tSub Alloc Slot: %s   Sub Alloc Bit: %u\n", slotstr,
	       le16_to_cpu(dr->dr_suballoc_bit));
	printf("\tFlags: (0x%x) %s\n", dr->dr_flags,
	       dr->dr_flags & OCFS2_DX_FLAG_INLINE ? "Inline " : "");
	printf("\tTotal Entry Count: %d\n", (int)le32_to_cpu(dr->dr_num_entries));
	print_check(&dr->dr_check);
	if (dr->dr_flags & OCFS2_DX_FLAG_INLINE)
		print_entries(&dr->dr_entries, false, 0);
}

static void print_leaf(const struct ocfs2_dx_leaf *dl)
{
	printf("\tDir Index Leaf: %llu  FS Generation: %u (0x%x)\n",
	       (unsigned long long)le64_to_cpu(dl->dl_blkno),
	       le32_to_cpu(dl->dl_fs_generation),
	       le32_to_cpu(dl->dl_fs_generation));
	print_check(&dl->dl_check);
	print_entries(&dl->dl_list, true, entry_room(dl, &dl->dl_list));
}

/* Read a block of @type, saying what stock says when it is not one. */
static void *read_kind(const char *cmd, enum ocfs2_block_type type, u64 blk,
		       const char *what)
{
	void *buf = io_alloc(dbg.fs->bs);
	int ret;

	if (!buf)
		return NULL;
	ret = ocfs2_read_meta(dbg.fs, type, blk, buf);
	if (!ret)
		return buf;
	if (ret == -EUCLEAN)
		fprintf(stderr, "%s: OCFS2 directory corrupted while reading %s %llu\n",
			cmd, what, (unsigned long long)blk);
	else {
		char msg[80];

		snprintf(msg, sizeof(msg), "while reading %s %llu", what,
			 (unsigned long long)blk);
		dbg_err(cmd, msg, ret);
	}
	free(buf);
	return NULL;
}

int dbg_cmd_dx_root(int argc, char **argv)
{
	struct ocfs2_dx_root_block *dr;
	u64 blk;

	if (dbg_inode_args(argc, argv, 1, &blk) < 1)
		return -EINVAL;
	dr = read_kind(argv[0], OCFS2_BLK_DX_ROOT, blk, "dx dir root block");
	if (!dr)
		return -EIO;
	print_root(dr);
	if (!(dr->dr_flags & OCFS2_DX_FLAG_INLINE))
		ocfs2_print_extent_tree(stdout, dbg.fs, &dr->dr_list);
	free(dr);
	return 0;
}

int dbg_cmd_dx_leaf(int argc, char **argv)
{
	struct ocfs2_dx_leaf *dl;
	u64 blk;

	if (dbg_inode_args(argc, argv, 1, &blk) < 1)
		return -EINVAL;
	dl = read_kind(argv[0], OCFS2_BLK_DX_LEAF, blk, "dx dir leaf block");
	if (!dl)
		return -EIO;
	print_leaf(dl);
	free(dl);
	return 0;
}

/* every block of every leaf extent of the index, in tree order */
static int leaf_extent(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *r,
		       int depth, u64 owner, void *data)
{
	u64 b, first = le64_to_cpu(r->e_blkno);
	u64 n = ocfs2_clusters_to_blocks(fs, le16_to_cpu(r->e_leaf_clusters));
	struct ocfs2_dx_leaf *dl = data;

	(void)owner;
	if (depth)
		return 0;
	for (b = first; b < first + n; b++)
		if (!ocfs2_read_meta(fs, OCFS2_BLK_DX_LEAF, b, dl))
			print_leaf(dl);
	return 0;
}

/* The inode of @argv[1] if it is an indexed directory, its index root read. */
static struct ocfs2_dx_root_block *index_of(int argc, char **argv, u64 *ino,
					    bool say_unindexed)
{
	struct ocfs2_dx_root_block *dr = NULL;
	struct ocfs2_dinode *di;

	if (dbg_inode_spec(argc, argv, ino))
		return NULL;
	di = dbg_read_inode(argv[0], *ino);
	if (!di)
		return NULL;
	if (!(le16_to_cpu(di->i_dyn_features) & OCFS2_INDEXED_DIR_FL)) {
		if (say_unindexed)
			printf("Inode %llu is not indexed\n",
			       (unsigned long long)*ino);
	} else if (say_unindexed) {
		dr = read_kind(argv[0], OCFS2_BLK_DX_ROOT,
			       le64_to_cpu(di->i_dx_root), "dx dir root block");
	} else {
		dr = io_alloc(dbg.fs->bs);
		if (dr && ocfs2_read_meta(dbg.fs, OCFS2_BLK_DX_ROOT,
					  le64_to_cpu(di->i_dx_root), dr)) {
			free(dr);
			dr = NULL;
		}
	}
	free(di);
	return dr;
}

int dbg_cmd_dx_dump(int argc, char **argv)
{
	struct ocfs2_dx_root_block *dr;
	void *leaf;
	u64 ino;

	dr = index_of(argc, argv, &ino, false);
	if (!dr)
		return 0;	/* stock prints nothing */
	print_root(dr);
	if (dr->dr_flags & OCFS2_DX_FLAG_INLINE) {
		print_entries(&dr->dr_entries, true,
			      entry_room(dr, &dr->dr_entries));
	} else {
		leaf = io_alloc(dbg.fs->bs);
		if (leaf)
			ocfs2_extent_iterate(dbg.fs, &dr->dr_list,
					     le64_to_cpu(dr->dr_blkno),
					     leaf_extent, leaf);
		free(leaf);
	}
	free(dr);
	return 0;
}

static void print_trailer(const struct ocfs2_dir_block_trailer *t)
{
	printf("\tTrailer Block: %llu   Inode: %llu   Len: %u\n",
	       (unsigned long long)le64_to_cpu(t->db_blkno),
	       (unsigned long long)le64_to_cpu(t->db_parent_dinode),
	       le16_to_cpu(t->db_compat_rec_len));
	printf("\tLargest Hole: %u   Next Block: %llu\n",
	       le16_to_cpu(t->db_free_rec_len),
	       (unsigned long long)le64_to_cpu(t->db_free_next));
	print_check(&t->db_check);
}

void dbg_print_dir_trailer(const void *block)
{
	print_trailer((const void *)((const char *)block +
				     ocfs2_dir_trailer_offset(dbg.fs->bs)));
}

int dbg_cmd_dx_space(int argc, char **argv)
{
	struct ocfs2_dx_root_block *dr;
	u64 ino, blk, steps = 0;
	char *buf;

	dr = index_of(argc, argv, &ino, true);
	if (!dr)
		return 0;
	/* an inline index keeps no free list */
	buf = dr->dr_flags & OCFS2_DX_FLAG_INLINE ? NULL : io_alloc(dbg.fs->bs);
	/* a looping list ends after as many blocks as the volume has */
	for (blk = le64_to_cpu(dr->dr_free_blk); buf && blk &&
	     steps++ < dbg.fs->blocks;) {
		if (ocfs2_read_meta(dbg.fs, OCFS2_BLK_DIR, blk, buf))
			break;
		dbg_print_dir_trailer(buf);
		blk = le64_to_cpu(((struct ocfs2_dir_block_trailer *)(buf +
			ocfs2_dir_trailer_offset(dbg.fs->bs)))->db_free_next);
	}
	free(buf);
	free(dr);
	return 0;
}
