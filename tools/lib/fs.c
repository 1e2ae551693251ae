// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a volume: find and check the superblock (primary or a backup),
 * learn the geometry, and write the superblock and its backups back.
 */
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

bool ocfs2_has_incompat(const struct ocfs2_fs *fs, u32 mask)
{
	return le32_to_cpu(fs->sb->s_feature_incompat) & mask;
}

bool ocfs2_has_ro_compat(const struct ocfs2_fs *fs, u32 mask)
{
	return le32_to_cpu(fs->sb->s_feature_ro_compat) & mask;
}

bool ocfs2_has_compat(const struct ocfs2_fs *fs, u32 mask)
{
	return le32_to_cpu(fs->sb->s_feature_compat) & mask;
}

u32 ocfs2_uuid_hash(const u8 *uuid)
{
	return ocfs2_name_hash(0, uuid, OCFS2_VOL_UUID_LEN);
}

/*
 * Try each block size until block @sb_blkno (2 for the primary) holds a
 * superblock that is consistent with that size.  Returns -ENOENT when no
 * size fits (not an ocfs2 volume), -EUCLEAN when a signature was found but
 * the rest is bad.
 */
int ocfs2_probe_super(struct ocfs2_io *io, u64 sb_blkno,
		      unsigned int blocksize, void *buf,
		      unsigned int *found_bs)
{
	unsigned int bs;
	int ret = -ENOENT, r;
	struct ocfs2_bad bad;

	for (bs = OCFS2_MIN_BLOCKSIZE; bs <= OCFS2_MAX_BLOCKSIZE; bs <<= 1) {
		if (blocksize && bs != blocksize)
			continue;
		io_set_blocksize(io, bs);
		r = io_read_blocks(io, sb_blkno, 1, buf);
		if (r) {
			if (ret == -ENOENT)
				ret = r;
			continue;
		}
		if (memcmp(buf, OCFS2_SUPER_BLOCK_SIGNATURE,
			   sizeof(OCFS2_SUPER_BLOCK_SIGNATURE)))
			continue;
		r = ocfs2_validate_super(buf, bs, &bad);
		if (r) {
			ret = r;
			continue;
		}
		*found_bs = bs;
		return 0;
	}
	return ret;
}

static int check_super_metaecc(struct ocfs2_fs *fs)
{
	struct ocfs2_dinode *di = fs->sb_di;
	int r;

	if (!(le32_to_cpu(di->id2.i_super.s_feature_incompat) &
	      OCFS2_FEATURE_INCOMPAT_META_ECC))
		return 0;
	r = ocfs2_block_check_validate(di, fs->bs, &di->i_check);
	return r < 0 ? r : 0;
}

static int fs_fill_geometry(struct ocfs2_fs *fs)
{
	struct ocfs2_super_block *sb = &fs->sb_di->id2.i_super;

	fs->sb = sb;
	fs->bbits = le32_to_cpu(sb->s_blocksize_bits);
	fs->bs = 1U << fs->bbits;
	fs->cbits = le32_to_cpu(sb->s_clustersize_bits);
	fs->cs = 1U << fs->cbits;
	if (fs->cbits < fs->bbits)
		return -EUCLEAN;
	fs->clusters = le32_to_cpu(fs->sb_di->i_clusters);
	fs->blocks = ocfs2_clusters_to_blocks(fs, fs->clusters);
	fs->fs_generation = le32_to_cpu(fs->sb_di->i_fs_generation);
	return 0;
}

static int check_features(struct ocfs2_fs *fs)
{
	struct ocfs2_super_block *sb = fs->sb;

	if (le32_to_cpu(sb->s_feature_incompat) &
	    ~(u32)OCFS2_FEATURE_INCOMPAT_SUPP)
		return -EOPNOTSUPP;
	if (fs->writable && (le32_to_cpu(sb->s_feature_ro_compat) &
			     ~(u32)OCFS2_FEATURE_RO_COMPAT_SUPP))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * @sb_blkno 0 opens the primary superblock; otherwise it is the block of
 * a backup and @blocksize must be given (or 0 to probe).
 */
int ocfs2_fs_open(const char *device, int flags, u64 sb_blkno,
		  unsigned int blocksize, struct ocfs2_fs **out)
{
	struct ocfs2_fs *fs;
	unsigned int bs = 0;
	int ret;

	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->writable = flags & OCFS2_OPEN_RW;
	fs->device = strdup(device);
	ret = fs->device ? io_open(device, fs->writable, &fs->io) : -ENOMEM;
	if (ret)
		goto fail;
	fs->sb_di = io_alloc(OCFS2_MAX_BLOCKSIZE);
	if (!fs->sb_di) {
		ret = -ENOMEM;
		goto fail;
	}
	fs->sb_blkno = sb_blkno ? sb_blkno : OCFS2_SUPER_BLOCK_BLKNO;
	ret = ocfs2_probe_super(fs->io, fs->sb_blkno, blocksize, fs->sb_di,
				&bs);
	if (ret)
		goto fail;
	ret = fs_fill_geometry(fs);
	if (!ret)
		ret = check_super_metaecc(fs);
	if (!ret && !(flags & OCFS2_OPEN_NOCHECK))
		ret = check_features(fs);
	if (ret)
		goto fail;
	if (fs->blocks > fs->io->size / fs->bs && !(flags & OCFS2_OPEN_NOCHECK)) {
		ret = -ESPIPE;	/* the volume claims more than the device has */
		goto fail;
	}
	io_set_blocksize(fs->io, fs->bs);
	*out = fs;
	return 0;
fail:
	ocfs2_fs_close(fs);
	return ret;
}

void ocfs2_fs_close(struct ocfs2_fs *fs)
{
	if (!fs)
		return;
	io_close(fs->io);
	free(fs->sb_di);
	free(fs->device);
	free(fs);
}

int ocfs2_write_super(struct ocfs2_fs *fs)
{
	return ocfs2_write_meta(fs, OCFS2_BLK_INODE, OCFS2_SUPER_BLOCK_BLKNO,
				fs->sb_di);
}

/*
 * Backup superblock positions that fit the volume.  A backup must start a
 * cluster of its own so that the global bitmap can mark it used.
 */
int ocfs2_backup_super_list(u64 volume_blocks, unsigned int bbits,
			    unsigned int cbits, u64 *blknos)
{
	int i, n = 0;

	(void)cbits;
	for (i = 0; i < OCFS2_MAX_BACKUP_SUPERBLOCKS; i++) {
		u64 blk = ocfs2_backup_super_blkno(bbits, i);

		if (blk >= volume_blocks)
			break;
		blknos[n++] = blk;
	}
	return n;
}

/* Write the superblock copies; each records its own block number. */
int ocfs2_write_backup_supers(struct ocfs2_fs *fs, u64 *written, int *count)
{
	u64 blknos[OCFS2_MAX_BACKUP_SUPERBLOCKS];
	struct ocfs2_dinode *copy;
	int i, n, ret = 0;

	*count = 0;
	if (!ocfs2_has_compat(fs, OCFS2_FEATURE_COMPAT_BACKUP_SB))
		return 0;
	n = ocfs2_backup_super_list(fs->blocks, fs->bbits, fs->cbits, blknos);
	copy = io_alloc(fs->bs);
	if (!copy)
		return -ENOMEM;
	for (i = 0; i < n && !ret; i++) {
		memcpy(copy, fs->sb_di, fs->bs);
		copy->i_blkno = cpu_to_le64(blknos[i]);
		ret = ocfs2_write_meta(fs, OCFS2_BLK_INODE, blknos[i], copy);
		if (!ret && written)
			written[(*count)] = blknos[i];
		if (!ret)
			(*count)++;
	}
	free(copy);
	return ret;
}
