// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2 logdump: print a slot's JBD2 journal, the superblock then
 * each descriptor, commit and revoke block, with runs of other blocks
 * summarised, as stock debugfs.ocfs2 does.
 */
#include <stdlib.h>
#include <string.h>
#include "debugfs.h"

struct jlog {
	struct ocfs2_fs *fs;
	struct ocfs2_dinode *di;
	u32 maxlen, first;
	u32 incompat;
	char *buf;
	FILE *out;
};

static int read_jblock(struct jlog *j, u32 lblk)
{
	size_t got;
	int ret;

	ret = ocfs2_file_read(j->fs, j->di, j->buf, j->fs->bs,
			      (u64)lblk << j->fs->bbits, &got);
	if (!ret && got != j->fs->bs)
		ret = -ESPIPE;
	return ret;
}

static unsigned int tag_size(u32 incompat)
{
	if (incompat & OCFS2_JBD2_FEATURE_INCOMPAT_CSUM_V3)
		return sizeof(struct ocfs2_jbd2_block_tag3);
	if (incompat & OCFS2_JBD2_FEATURE_INCOMPAT_64BIT)
		return 12;
	return 8;
}

/* Print the tags of a descriptor; returns how many data blocks follow. */
static u32 print_descriptor(struct jlog *j)
{
	unsigned int off = sizeof(struct ocfs2_jbd2_header);
	unsigned int ts = tag_size(j->incompat), n = 0;
	bool v3 = j->incompat & OCFS2_JBD2_FEATURE_INCOMPAT_CSUM_V3;

	fprintf(j->out, "\tNo. Blocknum        Flags\n");
	while (off + ts <= j->fs->bs) {
		const struct ocfs2_jbd2_block_tag *t = (void *)(j->buf + off);
		const struct ocfs2_jbd2_block_tag3 *t3 = (void *)t;
		u32 flags = v3 ? be32_to_cpu(t3->t_flags) :
				 be16_to_cpu(t->t_flags);
		u64 blk = be32_to_cpu(t->t_blocknr);

		if (j->incompat & OCFS2_JBD2_FEATURE_INCOMPAT_64BIT)
			blk |= (u64)be32_to_cpu(v3 ? t3->t_blocknr_high :
						t->t_blocknr_high) << 32;
		fprintf(j->out, "\t%2u. %-15llu %s%s%s%s\n", n,
			(unsigned long long)blk,
			flags & OCFS2_JBD2_FLAG_ESCAPE ? "escaped " : "",
			flags & OCFS2_JBD2_FLAG_SAME_UUID ? "same_uuid " : "",
			flags & OCFS2_JBD2_FLAG_DELETED ? "deleted " : "",
			flags & OCFS2_JBD2_FLAG_LAST_TAG ? "last_tag" : "");
		n++;
		off += ts;
		if (!(flags & OCFS2_JBD2_FLAG_SAME_UUID))
			off += 16;
		if (flags & OCFS2_JBD2_FLAG_LAST_TAG)
			break;
	}
	return n;
}

static void print_revoke(struct jlog *j)
{
	const struct ocfs2_jbd2_revoke_header *r = (void *)j->buf;
	unsigned int rsize = j->incompat & OCFS2_JBD2_FEATURE_INCOMPAT_64BIT ?
			     8 : 4;
	unsigned int off = sizeof(*r), end = be32_to_cpu(r->r_count), n = 0;

	if (end > j->fs->bs)
		end = j->fs->bs;
	fprintf(j->out, "\tr_count:\t\t%u\n", be32_to_cpu(r->r_count));
	for (; off + rsize <= end; off += rsize, n++) {
		u64 blk = rsize == 8 ?
			be64_to_cpu(*(__be64 *)(j->buf + off)) :
			be32_to_cpu(*(__be32 *)(j->buf + off));

		fprintf(j->out, "\trevoke[%u]:\t\t%llu\n", n,
			(unsigned long long)blk);
	}
}

static void end_unknown(struct jlog *j, u32 *run_start, u32 b)
{
	if (*run_start == (u32)-1)
		return;
	fprintf(j->out, "\n\tBlock %u to %u: Unknown -- Probably Data\n\n",
		*run_start, b - 1);
	*run_start = (u32)-1;
}

static void print_jblock(struct jlog *j, u32 b, u32 type, u32 seq)
{
	fprintf(j->out, "\tBlock %u: ", b);
	switch (type) {
	case OCFS2_JBD2_DESCRIPTOR_BLOCK:
		fprintf(j->out, "Journal Descriptor\n\tSeq: %u   Type: 1 (JBD2_DESCRIPTOR_BLOCK)\n",
			seq);
		print_descriptor(j);
		break;
	case OCFS2_JBD2_COMMIT_BLOCK:
		fprintf(j->out, "Journal Commit Block\n\tSeq: %u   Type: 2 (JBD2_COMMIT_BLOCK)\n",
			seq);
		break;
	case OCFS2_JBD2_REVOKE_BLOCK:
		fprintf(j->out, "Journal Revoke Block\n\tSeq: %u   Type: 5 (JBD2_REVOKE_BLOCK)\n",
			seq);
		print_revoke(j);
		break;
	default:
		fprintf(j->out, "Unknown block type %u\n", type);
	}
}

/*
 * Like stock logdump: every block after the superblock, journal blocks
 * printed, runs of anything else summarised as data.
 */
static int walk_log(struct jlog *j)
{
	u32 b, run_start = (u32)-1;
	int ret;

	/* from block 1, as stock does, even where the superblock spills over */
	for (b = 1; b < j->maxlen; b++) {
		const struct ocfs2_jbd2_header *h = (void *)j->buf;

		ret = read_jblock(j, b);
		if (ret)
			return ret;
		if (be32_to_cpu(h->h_magic) != OCFS2_JBD2_MAGIC) {
			if (run_start == (u32)-1)
				run_start = b;
			continue;
		}
		end_unknown(j, &run_start, b);
		print_jblock(j, b, be32_to_cpu(h->h_blocktype),
			     be32_to_cpu(h->h_sequence));
	}
	end_unknown(j, &run_start, b);
	return 0;
}

int dbg_logdump(struct ocfs2_fs *fs, int slot, FILE *out)
{
	struct ocfs2_jbd2_superblock jsb;
	struct jlog j = { .fs = fs, .out = out };
	u64 ino;
	int ret;

	ret = ocfs2_lookup_system_inode(fs, JOURNAL_SYSTEM_INODE, slot, &ino);
	if (ret) {
		dbg_err("logdump", "while looking up the journal", ret);
		return ret;
	}
	j.di = io_alloc(fs->bs);
	j.buf = io_alloc(fs->bs);
	if (!j.di || !j.buf) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ocfs2_read_inode(fs, ino, j.di);
	if (!ret)
		ret = ocfs2_jbd2_read_super(fs, j.di, &jsb);
	if (ret) {
		dbg_err("logdump", "while reading the journal superblock", ret);
		goto out;
	}
	ocfs2_print_jbd2_super(out, &jsb);
	j.maxlen = be32_to_cpu(jsb.s_maxlen);
	j.first = be32_to_cpu(jsb.s_first);
	j.incompat = be32_to_cpu(jsb.s_feature_incompat);
	ret = walk_log(&j);
	if (ret)
		dbg_err("logdump", "while reading the journal", ret);
out:
	free(j.di);
	free(j.buf);
	return ret;
}
