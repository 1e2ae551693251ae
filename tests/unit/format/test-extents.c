// SPDX-License-Identifier: GPL-2.0
/*
 * Extent tree growth in libocfs2: append enough fragmented extents to a
 * file that its tree grows from the inode into leaves (depth 1) and then
 * into interior blocks (depth 2); every logical cluster must map back to
 * where it was put, and both our fsck and stock fsck.ocfs2 must find the
 * volume clean.  Needs the built mkfs; skips (77) without stock fsck.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libocfs2.h"

#define N_EXTENTS 62000	/* > 243 * 252: depth 2 at 4K blocks */

static int fail(const char *what, int err)
{
	printf("FAIL %s: %s\n", what, strerror(-err));
	return 1;
}

static u32 file_cluster[N_EXTENTS];

/* Take 2 * N clusters (in as many runs as the groups allow): even ones for
 * the file, odd ones freed afterwards so that no two extents touch. */
static int take_clusters(struct ocfs2_fs *fs, u32 *gaps, u32 *ngaps)
{
	u32 n = 0, start, got, i;
	int ret = 0;

	*ngaps = 0;
	while (n < N_EXTENTS && !ret) {
		ret = ocfs2_alloc_clusters(fs, 2 * (N_EXTENTS - n), &start, &got);
		for (i = 0; !ret && i < got; i++) {
			if (!(i & 1) && n < N_EXTENTS)
				file_cluster[n++] = start + i;
			else
				gaps[(*ngaps)++] = start + i;
		}
	}
	return ret;
}

static int make_file(struct ocfs2_fs *fs, u64 *ino, u32 *start)
{
	static u32 gaps[2 * N_EXTENTS + 64];
	u32 ngaps;
	u64 ialloc, ealloc;
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	u32 i;
	u16 bit;
	int ret;

	ret = ocfs2_lookup_system_inode(fs, INODE_ALLOC_SYSTEM_INODE, 0, &ialloc);
	if (!ret)
		ret = ocfs2_lookup_system_inode(fs, EXTENT_ALLOC_SYSTEM_INODE, 0,
						&ealloc);
	if (!ret)
		ret = ocfs2_suballoc_take(fs, ialloc, ino, &bit);
	if (!ret)
		ret = take_clusters(fs, gaps, &ngaps);
	if (ret)
		return ret;
	*start = file_cluster[0];
	memcpy(di->i_signature, OCFS2_INODE_SIGNATURE, 8);
	di->i_generation = cpu_to_le32(1);
	di->i_fs_generation = cpu_to_le32(fs->fs_generation);
	di->i_suballoc_bit = cpu_to_le16(bit);
	di->i_blkno = cpu_to_le64(*ino);
	di->i_mode = cpu_to_le16(0100644);
	di->i_links_count = cpu_to_le16(1);
	di->i_flags = cpu_to_le32(OCFS2_VALID_FL);
	ocfs2_extent_list_init(&di->id2.i_list,
			       ocfs2_extent_recs_per_inode(fs->bs));
	/* every other cluster: nothing merges, so the tree must grow */
	for (i = 0; i < N_EXTENTS && !ret; i++)
		ret = ocfs2_extent_append(fs, di, i,
				ocfs2_clusters_to_blocks(fs, file_cluster[i]), 1,
				0, ealloc, 0);
	for (i = 0; i < ngaps && !ret; i++)
		ret = ocfs2_cluster_set(fs, gaps[i], false);
	di->i_size = cpu_to_le64((u64)N_EXTENTS << fs->cbits);
	if (!ret)
		ret = ocfs2_write_inode(fs, *ino, di);
	if (!ret)
		ret = ocfs2_dir_add_entry(fs, le64_to_cpu(fs->sb->s_root_blkno),
					  *ino, "fragmented", OCFS2_FT_REG_FILE);
	if (!ret && le16_to_cpu(di->id2.i_list.l_tree_depth) != 2)
		ret = -EUCLEAN;
	free(di);
	return ret;
}

static int check_map(struct ocfs2_fs *fs, u64 ino)
{
	struct ocfs2_dinode *di = io_alloc(fs->bs);
	u32 i, contig;
	u64 pblk;
	u8 flags;
	int ret = ocfs2_read_inode(fs, ino, di);

	for (i = 0; i < N_EXTENTS && !ret; i += 97) {
		ret = ocfs2_extent_map(fs, &di->id2.i_list, i, &pblk, &contig,
				       &flags);
		if (!ret && pblk != ocfs2_clusters_to_blocks(fs, file_cluster[i]))
			ret = -EUCLEAN;
	}
	free(di);
	return ret;
}

int main(void)
{
	const char *tools = getenv("TOOLS") ? getenv("TOOLS") : "tools";
	const char *sbin = getenv("STOCK_SBIN") ? getenv("STOCK_SBIN") : "/sbin";
	char img[] = "/tmp/ocfs2-extents.XXXXXX", cmd[512];
	struct ocfs2_fs *fs;
	u64 ino;
	u32 start;
	int fd = mkstemp(img), ret, rc = 0;

	if (fd < 0 || ftruncate(fd, 2LL << 30))
		return 1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s/mkfs/mkfs.ocfs2 -q -F -N 2 -J size=16M %s",
		 tools, img);
	if (system(cmd))
		return fail("mkfs", -EIO);
	ret = ocfs2_fs_open(img, OCFS2_OPEN_RW, 0, 0, &fs);
	if (!ret)
		ret = make_file(fs, &ino, &start);
	if (ret) {
		rc = fail("building a depth-2 tree", ret);
		goto out;
	}
	ocfs2_fs_close(fs);
	ret = ocfs2_fs_open(img, 0, 0, 0, &fs);
	if (!ret)
		ret = check_map(fs, ino);
	if (ret)
		rc = fail("mapping clusters back", ret);
	else
		printf("ok %d one-cluster extents in a depth-2 tree map back\n",
		       N_EXTENTS);
	snprintf(cmd, sizeof(cmd), "%s/fsck/fsck.ocfs2 -fn %s >/dev/null", tools,
		 img);
	if (system(cmd))
		rc = fail("our fsck -fn", -EUCLEAN);
	snprintf(cmd, sizeof(cmd), "test ! -x %s/fsck.ocfs2 || %s/fsck.ocfs2 -fn %s",
		 sbin, sbin, img);
	if (system(cmd))
		rc = fail("stock fsck -fn", -EUCLEAN);
	else
		printf("ok fsck (ours and stock) clean\n");
out:
	ocfs2_fs_close(fs);
	unlink(img);
	return rc;
}
