// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the shared format code: crc32 and Hamming ECC vectors
 * (including single-bit repair at every block size), the TEA directory
 * hash and uuid hash against values stock tools wrote, feature name round
 * trips, validators refusing garbage, JBD2 and slot map formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/crc32.h>
#include "libocfs2.h"
#include "../../include/ocfs2/refcount_list.h"

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		failures++;						\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

static void test_crc32(void)
{
	const char *s = "123456789";

	/* the standard CRC-32 check value is the inverted crc32_le */
	CHECK(~crc32_le(~0U, (const u8 *)s, 9) == 0xCBF43926U,
	      "crc32 check value");
	CHECK(crc32_le(0, (const u8 *)"", 0) == 0, "crc32 of nothing");
}

static void fill_random(u8 *b, unsigned int n, unsigned int seed)
{
	unsigned int i;

	srand(seed);
	for (i = 0; i < n; i++)
		b[i] = (u8)rand();
}

/* A block check at the inode offset: any one flipped bit is repaired. */
static void test_ecc_size(unsigned int bs)
{
	u8 *b = malloc(bs), *orig = malloc(bs);
	struct ocfs2_block_check *bc = (void *)(b + 0x80);
	unsigned int bit, repaired = 0, tried = 0;

	fill_random(b, bs, bs);
	ocfs2_block_check_compute(b, bs, bc);
	memcpy(orig, b, bs);
	CHECK(ocfs2_block_check_validate(b, bs, bc) == 0, "clean block %u", bs);
	for (bit = 0; bit < bs * 8; bit += 7) {
		/* the check itself is not covered by the ECC */
		if (bit / 8 >= 0x80 && bit / 8 < 0x88)
			continue;
		tried++;
		b[bit / 8] ^= 1U << (bit % 8);
		if (ocfs2_block_check_validate(b, bs, bc) == 1 &&
		    !memcmp(b, orig, bs))
			repaired++;
		memcpy(b, orig, bs);
	}
	CHECK(repaired == tried, "bs %u: %u of %u single-bit errors repaired",
	      bs, repaired, tried);
	b[10] ^= 1;
	b[200] ^= 4;
	CHECK(ocfs2_block_check_validate(b, bs, bc) < 0,
	      "bs %u: double error detected", bs);
	free(b);
	free(orig);
}

static void test_ecc(void)
{
	unsigned int bs;
	u8 zero[512] = { 0 };

	for (bs = 512; bs <= 4096; bs <<= 1)
		test_ecc_size(bs);
	CHECK(ocfs2_hamming_encode_block(zero, sizeof(zero)) == 0,
	      "ecc of zeros");
	zero[0] = 1;	/* data bit 0 sits at code position 3 */
	CHECK(ocfs2_hamming_encode_block(zero, sizeof(zero)) == 3,
	      "ecc of bit 0");
}

/*
 * Hashes of system file names in an indexed system directory that stock
 * tunefs.ocfs2 1.8.7 built (seeds from that volume's superblock).
 */
static void test_tea(void)
{
	static const struct { const char *name; u32 major, minor; } v[] = {
		{ "bad_blocks", 0x20a10bcf, 0x0dbc253c },
		{ "global_inode_alloc", 0xd4ebdee2, 0x8021f05f },
		{ "slot_map", 0xd15d1d25, 0x5535ebf8 },
		{ "heartbeat", 0xc143b8a1, 0xd9626de5 },
		{ "global_bitmap", 0xe05339e5, 0xe8c95be1 },
		{ "orphan_dir:0000", 0xfeeeab01, 0x2199c36e },
		{ "extent_alloc:0000", 0x69afae1d, 0x0518d2ee },
		{ "inode_alloc:0000", 0xa8af0d0c, 0x096ffc8b },
		{ "journal:0000", 0xc28bec07, 0x054568d1 },
		{ "local_alloc:0000", 0xf492e142, 0x22027015 },
		{ "truncate_log:0000", 0x08593550, 0xe7334c71 },
		{ "lost+found", 0x7477654f, 0xb5e16312 },
		{ ".", 0, 0 }, { "..", 0, 0 },
	};
	const u32 seed[4] = { 0xc034a2b8, 0x8dc96c2d, 0x5d659951, 0x5acaf982 };
	struct ocfs2_dx_hinfo h;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ocfs2_dx_name_hash(seed, v[i].name, strlen(v[i].name), &h);
		CHECK(h.major_hash == v[i].major && h.minor_hash == v[i].minor,
		      "tea hash of %s: %08x %08x", v[i].name, h.major_hash,
		      h.minor_hash);
	}
}

static void test_uuid_hash(void)
{
	static const u8 uuid[16] = { 0x0D, 0xA4, 0x1C, 0xEA, 0x19, 0xB6, 0x4E,
				     0x9E, 0x88, 0xAD, 0x56, 0x2B, 0x2D, 0x8B,
				     0x7D, 0xCF };

	/* s_uuid_hash stock mkfs.ocfs2 wrote for that uuid */
	CHECK(ocfs2_uuid_hash(uuid) == 0x40f5b832, "uuid hash");
}

static void test_features(void)
{
	struct ocfs2_features f, set, clear;
	const char *bad = NULL;
	char buf[512];

	CHECK(!ocfs2_feature_level("default", &f), "default level");
	ocfs2_feature_string_all(buf, sizeof(buf), &f);
	CHECK(!strcmp(buf, "sparse extended-slotmap backup-super unwritten inline-data strict-journal-super xattr indexed-dirs refcount discontig-bg append-dio"),
	      "default features print as stock: %s", buf);
	CHECK(!ocfs2_feature_level("max-features", &f) &&
	      (f.incompat & OCFS2_FEATURE_INCOMPAT_META_ECC) &&
	      (f.ro_compat & OCFS2_FEATURE_RO_COMPAT_GRPQUOTA), "max-features");
	CHECK(!ocfs2_feature_level("max-compat", &f) && !f.incompat &&
	      f.compat == 3, "max-compat");
	CHECK(ocfs2_feature_level("bogus", &f) == -EINVAL, "bad level");
	CHECK(!ocfs2_parse_features("metaecc,nosparse,usrquota", &set, &clear,
				    &bad) &&
	      set.incompat == OCFS2_FEATURE_INCOMPAT_META_ECC &&
	      clear.incompat == OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC &&
	      set.ro_compat == OCFS2_FEATURE_RO_COMPAT_USRQUOTA,
	      "parse features");
	CHECK(ocfs2_parse_features("sparse,frobnicate", &set, &clear, &bad) ==
	      -EINVAL && !strcmp(bad, "frobnicate"), "unknown feature named");
	CHECK(OCFS2_FEATURE_INCOMPAT_SUPP == 0xffd8, "incompat supported");
}

/* A refcount root with records, then as a tree root, then broken. */
static void test_refcount_validator(u8 *b)
{
	struct ocfs2_refcount_block *rb = (void *)b;
	struct ocfs2_bad bad;

	memset(b, 0, 4096);
	memcpy(rb->rf_signature, OCFS2_REFCOUNT_BLOCK_SIGNATURE, 8);
	rb->rf_blkno = cpu_to_le64(100);
	rb->rf_fs_generation = cpu_to_le32(7);
	rb->rf_records.rl_count = cpu_to_le16(ocfs2_refcount_recs_per_rb(4096));
	rb->rf_records.rl_used = cpu_to_le16(3);
	CHECK(!ocfs2_validate_refcount_block(b, 4096, 100, 7, &bad),
	      "good refcount root");
	CHECK(ocfs2_refcount_recs_per_rb(4096) == 247, "247 records per 4K");
	CHECK(ocfs2_validate_refcount_block(b, 4096, 101, 7, &bad) < 0 &&
	      bad.value == 100, "refcount blkno mismatch names the value");
	CHECK(ocfs2_validate_refcount_block(b, 4096, 100, 8, &bad) < 0,
	      "refcount generation mismatch");
	rb->rf_records.rl_used = cpu_to_le16(248);
	CHECK(ocfs2_validate_refcount_block(b, 4096, 100, 7, &bad) < 0,
	      "refcount records used past the count");
	rb->rf_records.rl_count = cpu_to_le16(300);
	CHECK(ocfs2_validate_refcount_block(b, 4096, 100, 7, &bad) < 0,
	      "refcount record count past the block");
	memset(&rb->rf_records, 0, 4096 - 0x80);
	rb->rf_flags = cpu_to_le32(OCFS2_REFCOUNT_TREE_FL);
	ocfs2_extent_list_init(&rb->rf_list, ocfs2_extent_recs_per_rb(4096));
	CHECK(!ocfs2_validate_refcount_block(b, 4096, 100, 7, &bad),
	      "good refcount tree root");
	rb->rf_list.l_next_free_rec = cpu_to_le16(400);
	CHECK(ocfs2_validate_refcount_block(b, 4096, 100, 7, &bad) < 0,
	      "refcount tree list past its count");
}

/* "start+len:count ..." of every record */
static void rl_show(const struct ocfs2_refcount_list *rl, char *out)
{
	int i;

	*out = 0;
	for (i = 0; i < le16_to_cpu(rl->rl_used); i++)
		out += sprintf(out, "%s%llu+%u:%u", i ? " " : "",
			       (unsigned long long)le64_to_cpu(rl->rl_recs[i].r_cpos),
			       le32_to_cpu(rl->rl_recs[i].r_clusters),
			       le32_to_cpu(rl->rl_recs[i].r_refcount));
}

/* change [first, first + len) by delta; the records added and the list */
static int rl_step(struct ocfs2_refcount_list *rl, u64 first, u32 len,
		   int delta, char *out)
{
	bool inside;
	int idx = ocfs2_rl_find(rl, first, &inside);
	int added = ocfs2_rl_added(rl, idx, inside, first, len, delta);

	ocfs2_rl_change(rl, idx, inside, first, len, delta);
	ocfs2_rl_merge(rl);
	rl_show(rl, out);
	return added;
}

static void test_refcount_list(void)
{
	struct ocfs2_refcount_list *rl = calloc(1, sizeof(*rl) + 8 * 16);
	char out[512];
	bool inside;

	rl->rl_count = cpu_to_le16(8);
	rl->rl_used = cpu_to_le16(3);
	rl->rl_recs[0] = (struct ocfs2_refcount_rec){ cpu_to_le64(10),
		cpu_to_le32(10), cpu_to_le32(2) };
	rl->rl_recs[1] = (struct ocfs2_refcount_rec){ cpu_to_le64(20),
		cpu_to_le32(10), cpu_to_le32(3) };
	rl->rl_recs[2] = (struct ocfs2_refcount_rec){ cpu_to_le64(40),
		cpu_to_le32(5), cpu_to_le32(1) };
	CHECK(ocfs2_rl_find(rl, 25, &inside) == 1 && inside, "find inside");
	CHECK(ocfs2_rl_find(rl, 30, &inside) == 2 && !inside, "find a hole");
	CHECK(ocfs2_rl_find(rl, 50, &inside) == 3 && !inside, "find past all");
	CHECK(rl_step(rl, 12, 3, -1, out) == 2 &&
	      !strcmp(out, "10+2:2 12+3:1 15+5:2 20+10:3 40+5:1"),
	      "decrement inside a record splits it in three");
	CHECK(rl_step(rl, 30, 10, 1, out) == 1 &&
	      !strcmp(out, "10+2:2 12+3:1 15+5:2 20+10:3 30+15:1"),
	      "a hole gets a record, merged with its equal neighbour");
	CHECK(rl_step(rl, 15, 5, 1, out) == 0 &&
	      !strcmp(out, "10+2:2 12+3:1 15+15:3 30+15:1"),
	      "a whole record raised merges with the next");
	CHECK(rl_step(rl, 12, 3, -1, out) == -1 &&
	      !strcmp(out, "10+2:2 15+15:3 30+15:1"),
	      "the last reference removes the record");
	CHECK(rl_step(rl, 30, 5, -1, out) == 0 &&
	      !strcmp(out, "10+2:2 15+15:3 35+10:1"),
	      "the head of a last-reference record goes");
	CHECK(rl_step(rl, 28, 2, -1, out) == 1 &&
	      !strcmp(out, "10+2:2 15+13:3 28+2:2 35+10:1"),
	      "the tail of a record lowered");
	CHECK(rl_step(rl, 10, 2, 1, out) == 0 &&
	      !strcmp(out, "10+2:3 15+13:3 28+2:2 35+10:1"),
	      "no merge across a hole");
	free(rl);
}

static void test_validators(void)
{
	u8 *b = calloc(1, 4096);
	struct ocfs2_dinode *di = (void *)b;
	struct ocfs2_bad bad;
	int seed;

	for (seed = 1; seed < 200; seed++) {
		fill_random(b, 4096, seed);
		CHECK(ocfs2_validate_super(b, 4096, &bad) < 0, "garbage sb");
		CHECK(ocfs2_validate_dinode(b, 4096, 100, 1, &bad) < 0,
		      "garbage inode");
		CHECK(ocfs2_validate_extent_block(b, 4096, 100, 1, &bad) < 0,
		      "garbage eb");
		CHECK(ocfs2_validate_group_desc(b, 4096, 100, 1, &bad) < 0,
		      "garbage gd");
		CHECK(ocfs2_validate_dx_root(b, 4096, 100, 1, &bad) < 0,
		      "garbage dx root");
		CHECK(ocfs2_validate_dx_leaf(b, 4096, 100, 1, &bad) < 0,
		      "garbage dx leaf");
		CHECK(ocfs2_validate_refcount_block(b, 4096, 100, 1, &bad) < 0,
		      "garbage refcount block");
		ocfs2_validate_dir_block(b, 4096, &bad);	/* must not crash */
	}
	memset(b, 0, 4096);
	memcpy(di->i_signature, OCFS2_INODE_SIGNATURE, 8);
	di->i_blkno = cpu_to_le64(100);
	di->i_fs_generation = cpu_to_le32(7);
	di->i_flags = cpu_to_le32(OCFS2_VALID_FL);
	di->i_mode = cpu_to_le16(0100644);
	ocfs2_extent_list_init(&di->id2.i_list,
			       ocfs2_extent_recs_per_inode(4096));
	CHECK(!ocfs2_validate_dinode(b, 4096, 100, 7, &bad), "good inode");
	CHECK(ocfs2_validate_dinode(b, 4096, 101, 7, &bad) < 0 &&
	      bad.value == 100, "inode blkno mismatch names the value");
	di->id2.i_list.l_next_free_rec = cpu_to_le16(300);
	CHECK(ocfs2_validate_dinode(b, 4096, 100, 7, &bad) < 0,
	      "next_free_rec past count");
	test_refcount_validator(b);
	free(b);
}

static void test_layouts(void)
{
	u8 *b = calloc(1, 4096);
	struct ocfs2_jbd2_superblock *jsb = (void *)b;
	u8 uuid[16] = { 1, 2, 3 };

	CHECK(ocfs2_extent_recs_per_inode(4096) == 243, "243 recs in inode");
	CHECK(ocfs2_extent_recs_per_eb(4096) == 252, "252 recs in eb");
	CHECK(ocfs2_chain_recs_per_inode(4096) == 243, "243 chains");
	CHECK(ocfs2_max_inline_data(4096) == 3896, "inline max");
	CHECK(ocfs2_local_alloc_size(4096) == 3888, "local alloc size");
	CHECK(ocfs2_truncate_recs_per_inode(4096) == 487, "truncate recs");
	CHECK(ocfs2_cluster_group_bits(4096) == 32256, "cluster group bits");
	CHECK(ocfs2_backup_super_blkno(12, 0) == 262144 &&
	      ocfs2_backup_super_blkno(12, 5) == (1ULL << 40) >> 12,
	      "backup positions");
	ocfs2_jbd2_format_super(b, 4096, 16384, uuid, 0);
	CHECK(!ocfs2_jbd2_check_super(jsb, 4096, 16384), "jbd2 sb round trip");
	CHECK(ocfs2_jbd2_check_super(jsb, 2048, 16384) < 0, "jbd2 bs mismatch");
	ocfs2_slot_map_format(b, 4096, 4, false);
	CHECK(((__le16 *)b)[3] == cpu_to_le16(0xffff), "old slot map empty");
	free(b);
}

int main(void)
{
	test_crc32();
	test_ecc();
	test_tea();
	test_uuid_hash();
	test_features();
	test_validators();
	test_refcount_list();
	test_layouts();
	printf("%s\n", failures ? "FAILED" : "all format tests passed");
	return failures ? 1 : 0;
}
