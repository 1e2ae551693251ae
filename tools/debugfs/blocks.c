// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2 commands that show blocks of one kind raw: dirblocks (a
 * directory's blocks, trailer and entries), grpextents (the free runs of a
 * chain of group descriptors) and hb (the heartbeat blocks in use).
 * Output as stock prints it.
 */
#include <stdlib.h>
#include <string.h>
#include "ocfs2/o2hb_fmt.h"
#include "debugfs.h"

/* entries up to @end, stopping quietly at the first that makes no sense */
static void print_dir_entries(const char *buf, unsigned int end)
{
	unsigned int off = 0;

	printf("\tEntries:\n");
	while (off + 12 <= end) {
		const struct ocfs2_dir_entry *de = (const void *)(buf + off);
		unsigned int len = le16_to_cpu(de->rec_len);

		if (off + len > end || len < 8 || len % 4 || de->name_len + 8U > len)
			return;
		printf("\t%-15llu %-4u %-4u %-2u %.*s\n",
		       (unsigned long long)le64_to_cpu(de->inode), len,
		       de->name_len, de->file_type, de->name_len, de->name);
		off += len;
	}
}

static void print_dir_block(const char *buf)
{
	unsigned int end = dbg.fs->bs;
	const struct ocfs2_dir_block_trailer *t = (const void *)(buf +
				ocfs2_dir_trailer_offset(dbg.fs->bs));

	if (!memcmp(t->db_signature, OCFS2_DIR_TRAILER_SIGNATURE,
		    sizeof(t->db_signature))) {
		dbg_print_dir_trailer(buf);
		end = ocfs2_dir_trailer_offset(dbg.fs->bs);
	}
	print_dir_entries(buf, end);
}

int dbg_cmd_dirblocks(int argc, char **argv)
{
	struct ocfs2_dinode *di;
	u64 ino, lblk, nblk, pblk;
	u32 contig, bpc;
	u8 flags;
	char *buf;

	if (dbg_inode_spec(argc, argv, &ino))
		return -EINVAL;
	di = dbg_read_dir_inode(argv[0], ino);
	if (!di)
		return -EIO;
	if ((le16_to_cpu(di->i_mode) & 0170000) != 0040000) {
		fprintf(stderr, "%s: OCFS2 inode is not a directory while checking directory at block %llu\n",
			argv[0], (unsigned long long)ino);
		free(di);
		return -ENOTDIR;
	}
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_DATA_FL) {
		fprintf(stderr, "%s: Inode type does not contain extents while iterating directory at block %llu\n",
			argv[0], (unsigned long long)ino);
		free(di);
		return -EINVAL;
	}
	buf = io_alloc(dbg.fs->bs);
	bpc = dbg.fs->cs >> dbg.fs->bbits;
	nblk = (le64_to_cpu(di->i_size) + dbg.fs->bs - 1) >> dbg.fs->bbits;
	for (lblk = 0; buf && lblk < nblk; lblk++) {
		if (ocfs2_extent_map(dbg.fs, &di->id2.i_list, lblk / bpc, &pblk,
				     &contig, &flags) || !pblk)
			continue;
		pblk += lblk % bpc;
		if (ocfs2_read_meta(dbg.fs, OCFS2_BLK_DIR, pblk, buf)) {
			fprintf(stderr, "%s: Corrupt metadata while reading dirblock %llu on inode %llu\n",
				argv[0], (unsigned long long)pblk,
				(unsigned long long)ino);
			continue;
		}
		printf("\tDirblock: %llu\n", (unsigned long long)pblk);
		print_dir_block(buf);
	}
	free(buf);
	free(di);
	return 0;
}

static int test_bit(const u8 *map, unsigned int bit)
{
	return map[bit / 8] & (1 << (bit % 8));
}

/* the free runs of one group, three to a line */
static void print_group_runs(const struct ocfs2_group_desc *gd)
{
	unsigned int bits = le16_to_cpu(gd->bg_bits), bit = 0, n = 0;
	unsigned int longest = 0, total = 0;

	printf("\tGroup# %llu   Total: %u   Used: %u   Free: %u\n",
	       (unsigned long long)le64_to_cpu(gd->bg_blkno), bits,
	       bits - le16_to_cpu(gd->bg_free_bits_count),
	       le16_to_cpu(gd->bg_free_bits_count));
	while (bit < bits) {
		unsigned int start;

		while (bit < bits && test_bit(gd->bg_bitmap, bit))
			bit++;
		if (bit >= bits)
			break;
		start = bit;
		while (bit < bits && !test_bit(gd->bg_bitmap, bit))
			bit++;
		if (!n)
			printf("\t###   Start    Length    ###   Start    Length    ###   Start    Length\n");
		n++;
		/* the last run of a line is narrower, as in stock */
		if (n % 3)
			printf("%s%-5u %-8u %-9u ", n % 3 == 1 ? "\t" : "", n,
			       start, bit - start);
		else
			printf("%-5u %-8u %-5u \n", n, start, bit - start);
		total += bit - start;
		if (bit - start > longest)
			longest = bit - start;
	}
	if (n % 3)
		printf("\n");
	printf("\tFree Extent Count: %u   Longest: %u   Average: %u\n\n", n,
	       longest, n ? total / n : 0);
}

int dbg_cmd_grpextents(int argc, char **argv)
{
	struct ocfs2_group_desc *gd;
	u64 blk, steps = 0;
	int ret = 0;

	if (dbg_inode_args(argc, argv, 1, &blk) < 1)
		return -EINVAL;
	gd = io_alloc(dbg.fs->bs);
	if (!gd)
		return -ENOMEM;
	/* a looping chain ends after as many groups as the volume has blocks */
	while (blk && steps++ < dbg.fs->blocks) {
		ret = ocfs2_read_meta(dbg.fs, OCFS2_BLK_GROUP, blk, gd);
		if (ret == -EUCLEAN) {
			fprintf(stderr, "%s: Bad magic number in group descriptor while reading block group descriptor %llu\n",
				argv[0], (unsigned long long)blk);
			break;
		}
		if (ret) {
			char what[80];

			snprintf(what, sizeof(what),
				 "while reading block group descriptor %llu",
				 (unsigned long long)blk);
			dbg_err(argv[0], what, ret);
			break;
		}
		print_group_runs(gd);
		blk = le64_to_cpu(gd->bg_next_group);
	}
	free(gd);
	return ret;
}

int dbg_cmd_hb(int argc, char **argv)
{
	struct ocfs2_dinode *di;
	u64 ino, size;
	size_t got;
	unsigned int i, bs;
	char *buf;

	(void)argc;
	if (dbg_need_fs(argv[0]))
		return -ENODEV;
	if (ocfs2_lookup_system_inode(dbg.fs, HEARTBEAT_SYSTEM_INODE, 0, &ino))
		return -ENOENT;
	di = dbg_read_inode(argv[0], ino);
	if (!di)
		return -EIO;
	bs = 512;	/* o2hb writes a sector per node, whatever the block size */
	size = le64_to_cpu(di->i_size);
	if (size > 256ULL * bs)
		size = 256ULL * bs;
	buf = calloc(1, size ? size : 1);
	if (!buf || ocfs2_file_read(dbg.fs, di, buf, size, 0, &got)) {
		dbg_err(argv[0], "while reading heartbeat system file", -EIO);
		free(buf);
		free(di);
		return -EIO;
	}
	printf("\t%4s: %4s %16s %16s %8s %6s\n", "node", "node", "seq",
	       "generation", "checksum", "deadms");
	for (i = 0; i < 255 && (u64)(i + 1) * bs < got; i++) {
		const struct o2hb_disk_block *hb = (const void *)(buf +
							(size_t)i * bs);

		if (!hb->hb_seq)
			continue;
		printf("\t%4u: %4u %016llx %016llx %08x %6u\n", i, hb->hb_node,
		       (unsigned long long)le64_to_cpu(hb->hb_seq),
		       (unsigned long long)le64_to_cpu(hb->hb_generation),
		       le32_to_cpu(hb->hb_cksum), le32_to_cpu(hb->hb_dead_ms));
	}
	free(buf);
	free(di);
	return 0;
}
