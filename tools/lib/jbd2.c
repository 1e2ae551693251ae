// SPDX-License-Identifier: GPL-2.0
/*
 * JBD2 journal superblocks inside the journal:%04d system files.
 */
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

/* A clean (empty) version-2 journal superblock. */
/* @buf holds max(blocksize, 1 KB): the superblock is 1 KB long. */
void ocfs2_jbd2_format_super(void *buf, unsigned int blocksize,
			     u32 journal_blocks, const u8 *uuid,
			     u32 incompat)
{
	struct ocfs2_jbd2_superblock *jsb = buf;

	memset(buf, 0, sizeof(*jsb));
	jsb->s_header.h_magic = cpu_to_be32(OCFS2_JBD2_MAGIC);
	jsb->s_header.h_blocktype = cpu_to_be32(OCFS2_JBD2_SUPERBLOCK_V2);
	jsb->s_blocksize = cpu_to_be32(blocksize);
	jsb->s_maxlen = cpu_to_be32(journal_blocks);
	/* the log starts after the 1 KB superblock, as stock mkfs lays it */
	jsb->s_first = cpu_to_be32(blocksize < sizeof(*jsb) ?
				   sizeof(*jsb) / blocksize : 1);
	jsb->s_sequence = cpu_to_be32(1);
	/* as stock mkfs: a log that starts at block 1 and holds nothing */
	jsb->s_start = cpu_to_be32(1);
	jsb->s_feature_incompat = cpu_to_be32(incompat);
	jsb->s_nr_users = cpu_to_be32(1);
	memcpy(jsb->s_uuid, uuid, 16);
}

int ocfs2_jbd2_check_super(const struct ocfs2_jbd2_superblock *jsb,
			   unsigned int blocksize, u32 journal_blocks)
{
	u32 type = be32_to_cpu(jsb->s_header.h_blocktype);

	if (be32_to_cpu(jsb->s_header.h_magic) != OCFS2_JBD2_MAGIC)
		return -EUCLEAN;
	if (type != OCFS2_JBD2_SUPERBLOCK_V1 &&
	    type != OCFS2_JBD2_SUPERBLOCK_V2)
		return -EUCLEAN;
	if (be32_to_cpu(jsb->s_blocksize) != blocksize)
		return -EUCLEAN;
	if (be32_to_cpu(jsb->s_maxlen) > journal_blocks ||
	    be32_to_cpu(jsb->s_first) == 0 ||
	    be32_to_cpu(jsb->s_first) >= be32_to_cpu(jsb->s_maxlen))
		return -EUCLEAN;
	return 0;
}

int ocfs2_jbd2_read_super(struct ocfs2_fs *fs, struct ocfs2_dinode *jdi,
			  struct ocfs2_jbd2_superblock *jsb)
{
	char *buf;
	size_t got;
	int ret;

	buf = io_alloc(sizeof(*jsb));
	if (!buf)
		return -ENOMEM;
	ret = ocfs2_file_read(fs, jdi, buf, sizeof(*jsb), 0, &got);
	if (!ret && got < sizeof(*jsb))
		ret = -EUCLEAN;
	if (!ret) {
		memcpy(jsb, buf, sizeof(*jsb));
		ret = ocfs2_jbd2_check_super(jsb, fs->bs,
				(u32)(le64_to_cpu(jdi->i_size) >> fs->bbits));
	}
	free(buf);
	return ret;
}

/* An empty JBD2 superblock (1 KB, so two blocks at 512) at @first_blk. */
int ocfs2_jbd2_write_super(struct ocfs2_fs *fs, u64 first_blk,
			   u32 journal_blocks, const u8 *uuid, u32 incompat)
{
	unsigned int nblk = fs->bs < 1024 ? 1024 / fs->bs : 1;
	char *jsb = io_alloc((size_t)nblk * fs->bs);
	int ret;

	if (!jsb)
		return -ENOMEM;
	ocfs2_jbd2_format_super(jsb, fs->bs, journal_blocks, uuid, incompat);
	ret = io_write_blocks(fs->io, first_blk, nblk, jsb);
	free(jsb);
	return ret;
}
