// SPDX-License-Identifier: GPL-2.0
/*
 * Journal recovery: for each slot whose journal inode is marked dirty
 * (the node died while mounted), replay the committed JBD2 transactions
 * into the volume, honouring revoke records, then mark the journal clean.
 * Three scans as in JBD2 itself: find the end, collect revokes, replay.
 */
#include <stdlib.h>
#include <string.h>
#include "fsck.h"

struct revoke {
	u64 blkno;
	u32 seq;
};

struct jrecover {
	struct fsck_ctx *ctx;
	struct ocfs2_dinode *di;
	struct ocfs2_jbd2_superblock jsb;
	u32 maxlen, first, incompat;
	char *buf, *data;
	struct revoke *revokes;
	size_t nrevokes, revoke_cap;
	u32 end_seq;		/* first transaction not committed */
	u32 replayed;
};

static int jread(struct jrecover *r, u32 lblk, char *buf)
{
	size_t got;
	int ret = ocfs2_file_read(r->ctx->fs, r->di, buf, r->ctx->fs->bs,
				  (u64)lblk << r->ctx->fs->bbits, &got);

	return ret ? ret : got == r->ctx->fs->bs ? 0 : -ESPIPE;
}

static u32 jnext(struct jrecover *r, u32 b)
{
	return ++b >= r->maxlen ? r->first : b;
}

static unsigned int tag_bytes(u32 incompat)
{
	if (incompat & OCFS2_JBD2_FEATURE_INCOMPAT_CSUM_V3)
		return 16;
	if (incompat & OCFS2_JBD2_FEATURE_INCOMPAT_64BIT)
		return 12;
	return 8;
}

typedef int (*tag_fn)(struct jrecover *r, u64 blk, u32 flags, u32 logblk,
		      u32 seq);

/* Visit the tags of the descriptor in r->buf; returns the next log block. */
static int for_each_tag(struct jrecover *r, u32 b, u32 seq, tag_fn fn,
			u32 *next)
{
	unsigned int off = 12, ts = tag_bytes(r->incompat);
	bool v3 = r->incompat & OCFS2_JBD2_FEATURE_INCOMPAT_CSUM_V3;
	unsigned int bs = r->ctx->fs->bs;
	char *desc = malloc(bs);
	int ret = 0;

	if (!desc)
		return -ENOMEM;
	memcpy(desc, r->buf, bs);
	while (off + ts <= bs && !ret) {
		const struct ocfs2_jbd2_block_tag *t = (void *)(desc + off);
		const struct ocfs2_jbd2_block_tag3 *t3 = (void *)t;
		u32 flags = v3 ? be32_to_cpu(t3->t_flags) :
				 be16_to_cpu(t->t_flags);
		u64 blk = be32_to_cpu(t->t_blocknr);

		if (r->incompat & OCFS2_JBD2_FEATURE_INCOMPAT_64BIT)
			blk |= (u64)be32_to_cpu(v3 ? t3->t_blocknr_high :
						t->t_blocknr_high) << 32;
		b = jnext(r, b);
		if (fn)
			ret = fn(r, blk, flags, b, seq);
		off += ts + ((flags & OCFS2_JBD2_FLAG_SAME_UUID) ? 0 : 16);
		if (flags & OCFS2_JBD2_FLAG_LAST_TAG)
			break;
	}
	free(desc);
	*next = jnext(r, b);
	return ret;
}

static int add_revokes(struct jrecover *r, u32 seq)
{
	const struct ocfs2_jbd2_revoke_header *h = (void *)r->buf;
	unsigned int rs = r->incompat & OCFS2_JBD2_FEATURE_INCOMPAT_64BIT ?
			  8 : 4;
	unsigned int off = sizeof(*h), end = be32_to_cpu(h->r_count);

	if (end > r->ctx->fs->bs)
		end = r->ctx->fs->bs;
	for (; off + rs <= end; off += rs) {
		u64 blk = rs == 8 ? be64_to_cpu(*(__be64 *)(r->buf + off)) :
				    be32_to_cpu(*(__be32 *)(r->buf + off));

		if (r->nrevokes == r->revoke_cap) {
			size_t cap = r->revoke_cap ? r->revoke_cap * 2 : 256;
			struct revoke *n = realloc(r->revokes,
						   cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			r->revokes = n;
			r->revoke_cap = cap;
		}
		r->revokes[r->nrevokes].blkno = blk;
		r->revokes[r->nrevokes++].seq = seq;
	}
	return 0;
}

static bool revoked(struct jrecover *r, u64 blk, u32 seq)
{
	size_t i;

	for (i = 0; i < r->nrevokes; i++)
		if (r->revokes[i].blkno == blk &&
		    (s32)(r->revokes[i].seq - seq) >= 0)
			return true;
	return false;
}

static int replay_tag(struct jrecover *r, u64 blk, u32 flags, u32 logblk,
		      u32 seq)
{
	struct ocfs2_fs *fs = r->ctx->fs;
	int ret;

	if (revoked(r, blk, seq))
		return 0;
	if (blk >= fs->blocks)
		return -ERANGE;
	ret = jread(r, logblk, r->data);
	if (ret)
		return ret;
	if (flags & OCFS2_JBD2_FLAG_ESCAPE)
		*(__be32 *)r->data = cpu_to_be32(OCFS2_JBD2_MAGIC);
	r->replayed++;
	return io_write_blocks(fs->io, blk, 1, r->data);
}

enum scan_pass { SCAN_END, SCAN_REVOKE, SCAN_REPLAY };

static int scan(struct jrecover *r, enum scan_pass pass)
{
	u32 b = be32_to_cpu(r->jsb.s_start), seq = be32_to_cpu(r->jsb.s_sequence);
	u32 steps;
	int ret = 0;

	for (steps = 0; steps < r->maxlen && !ret; steps++) {
		const struct ocfs2_jbd2_header *h = (void *)r->buf;
		u32 type, next;

		if (pass != SCAN_END && seq == r->end_seq)
			break;
		ret = jread(r, b, r->buf);
		if (ret || be32_to_cpu(h->h_magic) != OCFS2_JBD2_MAGIC ||
		    be32_to_cpu(h->h_sequence) != seq)
			break;
		type = be32_to_cpu(h->h_blocktype);
		next = jnext(r, b);
		if (type == OCFS2_JBD2_DESCRIPTOR_BLOCK)
			ret = for_each_tag(r, b, seq, pass == SCAN_REPLAY ?
					   replay_tag : NULL, &next);
		else if (type == OCFS2_JBD2_COMMIT_BLOCK)
			seq++;
		else if (type == OCFS2_JBD2_REVOKE_BLOCK && pass == SCAN_REVOKE)
			ret = add_revokes(r, seq);
		else if (type != OCFS2_JBD2_REVOKE_BLOCK)
			break;
		b = next;
	}
	if (pass == SCAN_END)
		r->end_seq = seq;
	return ret;
}

static int mark_clean(struct jrecover *r, u64 ino)
{
	struct ocfs2_fs *fs = r->ctx->fs;
	struct ocfs2_jbd2_superblock *jsb;
	u64 pblk;
	u32 contig;
	u8 flags;
	int ret;

	ret = ocfs2_extent_map(fs, &r->di->id2.i_list, 0, &pblk, &contig,
			       &flags);
	if (ret || !pblk)
		return ret ? ret : -EUCLEAN;
	ret = io_read_blocks(fs->io, pblk, 1, r->buf);
	if (ret)
		return ret;
	jsb = (void *)r->buf;
	jsb->s_sequence = cpu_to_be32(r->end_seq + 1);
	jsb->s_start = 0;
	ret = io_write_blocks(fs->io, pblk, 1, r->buf);
	if (ret)
		return ret;
	r->di->id1.journal1.ij_flags &= ~cpu_to_le32(OCFS2_JOURNAL_DIRTY_FL);
	return ocfs2_write_inode(fs, ino, r->di);
}

static int recover_slot(struct fsck_ctx *ctx, int slot, u64 ino)
{
	struct jrecover r = { .ctx = ctx };
	int ret;

	r.di = io_alloc(ctx->fs->bs);
	r.buf = io_alloc(ctx->fs->bs);
	r.data = io_alloc(ctx->fs->bs);
	if (!r.di || !r.buf || !r.data) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ocfs2_read_inode(ctx->fs, ino, r.di);
	if (ret || !(le32_to_cpu(r.di->id1.journal1.ij_flags) &
		     OCFS2_JOURNAL_DIRTY_FL))
		goto out;
	ret = ocfs2_jbd2_read_super(ctx->fs, r.di, &r.jsb);
	if (ret) {
		fix_problem(ctx, PR_JOURNAL_FILE_INVALID,
			    "Journal of slot %d has a bad superblock: %s",
			    slot, strerror(-ret));
		goto out;
	}
	r.maxlen = be32_to_cpu(r.jsb.s_maxlen);
	r.first = be32_to_cpu(r.jsb.s_first);
	r.incompat = be32_to_cpu(r.jsb.s_feature_incompat);
	if (ctx->no) {
		/* as stock: a dirty journal is not an error of the volume */
		ctx->dirty_journals++;
		if (ctx->verbose)
			printf("Slot %d's journal needs recovery\n", slot);
		goto out;
	}
	if (r.jsb.s_start) {
		ret = scan(&r, SCAN_END);
		if (!ret)
			ret = scan(&r, SCAN_REVOKE);
		if (!ret)
			ret = scan(&r, SCAN_REPLAY);
	}
	if (!ret)
		ret = mark_clean(&r, ino);
	if (!ret)
		printf("Slot %d's journal replayed: %u blocks\n", slot,
		       r.replayed);
out:
	free(r.revokes);
	free(r.di);
	free(r.buf);
	free(r.data);
	return ret;
}

int fsck_journals(struct fsck_ctx *ctx)
{
	int slots = le16_to_cpu(ctx->fs->sb->s_max_slots), s, ret, err = 0;
	u64 ino;

	for (s = 0; s < slots; s++) {
		ret = ocfs2_lookup_system_inode(ctx->fs, JOURNAL_SYSTEM_INODE,
						s, &ino);
		if (!ret)
			ret = recover_slot(ctx, s, ino);
		if (ret) {
			fprintf(stderr, "fsck.ocfs2: journal of slot %d: %s\n",
				s, strerror(-ret));
			err = ret;
		}
	}
	if (ctx->no && ctx->dirty_journals)
		printf("** Skipping journal replay because -n was given.  There may be spurious errors that journal replay would fix. **\n");
	if (ctx->no)
		printf("** Skipping slot recovery because -n was given. **\n");
	return err;
}
