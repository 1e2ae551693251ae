/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The JBD2 journal layout as OCFS2 uses it inside each journal:%04d system
 * file: the journal superblock mkfs/tunefs write, and the descriptor,
 * commit and revoke records fsck and debugfs read.  JBD2 is big-endian.
 */
#ifndef OCFS2_FORMAT_OCFS2_JBD2_H
#define OCFS2_FORMAT_OCFS2_JBD2_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#endif

#define OCFS2_JBD2_MAGIC		0xc03b3998U

/* h_blocktype */
#define OCFS2_JBD2_DESCRIPTOR_BLOCK	1
#define OCFS2_JBD2_COMMIT_BLOCK		2
#define OCFS2_JBD2_SUPERBLOCK_V1	3
#define OCFS2_JBD2_SUPERBLOCK_V2	4
#define OCFS2_JBD2_REVOKE_BLOCK		5

/* s_feature_* */
#define OCFS2_JBD2_FEATURE_COMPAT_CHECKSUM	0x00000001
#define OCFS2_JBD2_FEATURE_INCOMPAT_REVOKE	0x00000001
#define OCFS2_JBD2_FEATURE_INCOMPAT_64BIT	0x00000002
#define OCFS2_JBD2_FEATURE_INCOMPAT_ASYNC_COMMIT 0x00000004
#define OCFS2_JBD2_FEATURE_INCOMPAT_CSUM_V2	0x00000008
#define OCFS2_JBD2_FEATURE_INCOMPAT_CSUM_V3	0x00000010
#define OCFS2_JBD2_FEATURE_INCOMPAT_FAST_COMMIT	0x00000020

/* t_flags of a descriptor tag */
#define OCFS2_JBD2_FLAG_ESCAPE		1	/* first word was the magic */
#define OCFS2_JBD2_FLAG_SAME_UUID	2	/* no 16-byte uuid follows */
#define OCFS2_JBD2_FLAG_DELETED		4
#define OCFS2_JBD2_FLAG_LAST_TAG	8

#define OCFS2_JBD2_USERS_MAX		48
#define OCFS2_JBD2_MIN_JOURNAL_BLOCKS	1024

struct ocfs2_jbd2_header {
	__be32 h_magic;
	__be32 h_blocktype;
	__be32 h_sequence;
};

struct ocfs2_jbd2_superblock {
	struct ocfs2_jbd2_header s_header;
	__be32 s_blocksize;
	__be32 s_maxlen;		/* journal length in blocks */
	__be32 s_first;			/* first log block */
	__be32 s_sequence;		/* first expected commit id */
	__be32 s_start;			/* first log block in use; 0 = clean */
	__be32 s_errno;
	__be32 s_feature_compat;
	__be32 s_feature_incompat;
	__be32 s_feature_ro_compat;
	__u8 s_uuid[16];
	__be32 s_nr_users;
	__be32 s_dynsuper;
	__be32 s_max_transaction;
	__be32 s_max_trans_data;
	__u8 s_checksum_type;
	__u8 s_padding2[3];
	__be32 s_num_fc_blks;
	__be32 s_head;
	__be32 s_padding[40];
	__be32 s_checksum;
	__u8 s_users[16 * OCFS2_JBD2_USERS_MAX];
};

/* Descriptor tag without csum-v3; 12 bytes with 64bit, else 8. */
struct ocfs2_jbd2_block_tag {
	__be32 t_blocknr;
	__be16 t_checksum;
	__be16 t_flags;
	__be32 t_blocknr_high;
};

/* Descriptor tag with csum-v3: always 16 bytes. */
struct ocfs2_jbd2_block_tag3 {
	__be32 t_blocknr;
	__be32 t_flags;
	__be32 t_blocknr_high;
	__be32 t_checksum;
};

struct ocfs2_jbd2_revoke_header {
	struct ocfs2_jbd2_header r_header;
	__be32 r_count;			/* bytes used in the block */
};

struct ocfs2_jbd2_commit_header {
	__be32 h_magic;
	__be32 h_blocktype;
	__be32 h_sequence;
	__u8 h_chksum_type;
	__u8 h_chksum_size;
	__u8 h_padding[2];
	__be32 h_chksum[8];
	__be64 h_commit_sec;
	__be32 h_commit_nsec;
};

static_assert(sizeof(struct ocfs2_jbd2_header) == 12);
static_assert(sizeof(struct ocfs2_jbd2_superblock) == 1024);
static_assert(offsetof(struct ocfs2_jbd2_superblock, s_uuid) == 0x30);
static_assert(offsetof(struct ocfs2_jbd2_superblock, s_nr_users) == 0x40);
static_assert(offsetof(struct ocfs2_jbd2_superblock, s_checksum) == 0xFC);
static_assert(offsetof(struct ocfs2_jbd2_superblock, s_users) == 0x100);
static_assert(sizeof(struct ocfs2_jbd2_block_tag) == 12);
static_assert(sizeof(struct ocfs2_jbd2_block_tag3) == 16);
static_assert(sizeof(struct ocfs2_jbd2_revoke_header) == 16);
static_assert(offsetof(struct ocfs2_jbd2_commit_header, h_commit_sec) == 0x30);

#endif /* OCFS2_FORMAT_OCFS2_JBD2_H */
