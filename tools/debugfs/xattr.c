// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2 xattr [-v]: a file's extended attributes as stock prints
 * them: those in the inode, in its xattr block, or in the buckets of an
 * indexed block (records from the highest name hash down); with -v each
 * entry, and the extent list of every value stored outside.
 */
#include <stdlib.h>
#include <string.h>
#include "debugfs.h"

#define VALUE_ROOT_MIN	(sizeof(struct ocfs2_xattr_value_root) + \
			 sizeof(struct ocfs2_extent_rec))

/* Entries of one header; @base is what name offsets count from. */
static void print_entries(const struct ocfs2_xattr_header *xh,
			  const char *base, size_t room)
{
	unsigned int i, n = le16_to_cpu(xh->xh_count);

	printf("\t###   Type   Inline  Name Length    Value Length\n");
	for (i = 0; i < n; i++) {
		const struct ocfs2_xattr_entry *xe = &xh->xh_entries[i];
		bool local = xe->xe_type & OCFS2_XATTR_ENTRY_LOCAL;
		size_t off = le16_to_cpu(xe->xe_name_offset) +
			     OCFS2_XATTR_SIZE(xe->xe_name_len);
		struct ocfs2_xattr_value_root *vr;

		if ((const char *)(xe + 1) > base + room)
			break;
		printf("\t#%-4u %-6u %-7d %-14u %-13llu\n", i,
		       xe->xe_type & OCFS2_XATTR_TYPE_MASK, local,
		       xe->xe_name_len,
		       (unsigned long long)le64_to_cpu(xe->xe_value_size));
		if (local || off + VALUE_ROOT_MIN > room)
			continue;
		vr = (void *)(base + off);
		ocfs2_print_extent_list(stdout, &vr->xr_list);
	}
}

static u16 inline_count(const struct ocfs2_dinode *di, bool verbose)
{
	u16 size = le16_to_cpu(di->i_xattr_inline_size);
	const char *base = (const char *)di + dbg.fs->bs - size;
	const struct ocfs2_xattr_header *xh = (const void *)base;

	if (!(le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_XATTR_FL) ||
	    !size || size > dbg.fs->bs) {
		printf("\tExtended Attributes inline: 0\n");
		return 0;
	}
	printf("\tExtended Attributes inline: %u\n", le16_to_cpu(xh->xh_count));
	if (verbose)
		print_entries(xh, base, size);
	return le16_to_cpu(xh->xh_count);
}

/* The buckets of one record of an indexed block's tree. */
static unsigned int print_record(u64 blkno, u32 clusters, bool verbose)
{
	unsigned int bpb = OCFS2_XATTR_BUCKET_SIZE >> dbg.fs->bbits, b, nb;
	char *bucket = io_alloc(OCFS2_XATTR_BUCKET_SIZE);
	const struct ocfs2_xattr_header *xh = (const void *)bucket;
	unsigned int total = 0;

	if (!bucket || io_read_blocks(dbg.fs->io, blkno, bpb, bucket))
		goto out;
	nb = le16_to_cpu(xh->xh_num_buckets);
	printf("\tExtended Attributes extent record start at #%llu  Has clusters: %u  Has buckets: %u\n",
	       (unsigned long long)blkno, clusters, nb);
	for (b = 0; b < nb; b++) {
		if (b && io_read_blocks(dbg.fs->io, blkno + (u64)b * bpb, bpb,
					bucket))
			break;
		printf("\t\tExtended Attributes in bucket #%u: %u\n", b,
		       le16_to_cpu(xh->xh_count));
		total += le16_to_cpu(xh->xh_count);
		if (verbose)
			print_entries(xh, bucket, OCFS2_XATTR_BUCKET_SIZE);
	}
out:
	free(bucket);
	return total;
}

struct leaf_recs {
	struct ocfs2_extent_rec *r;
	size_t n, cap;
};

static int collect_rec(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *r,
		       int depth, u64 owner, void *data)
{
	struct leaf_recs *l = data;

	(void)fs; (void)owner;
	if (depth)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *p = realloc(l->r, cap * sizeof(*l->r));

		if (!p)
			return -ENOMEM;
		l->r = p;
		l->cap = cap;
	}
	l->r[l->n++] = *r;
	return 0;
}

static unsigned int print_indexed(struct ocfs2_xattr_block *xb, bool verbose)
{
	struct ocfs2_extent_list *el = &xb->xb_attrs.xb_root.xt_list;
	struct leaf_recs l = { NULL, 0, 0 };
	unsigned int total = 0;
	size_t i;

	printf("\tExtended Attributes extent tree in index block #%llu  Depth: %u  Records: %u\n",
	       (unsigned long long)le64_to_cpu(xb->xb_blkno),
	       le16_to_cpu(el->l_tree_depth), le16_to_cpu(el->l_next_free_rec));
	if (verbose)
		ocfs2_print_extent_list(stdout, el);
	ocfs2_extent_iterate(dbg.fs, el, le64_to_cpu(xb->xb_blkno),
			     collect_rec, &l);
	/* as stock walks them: from the highest hash (cpos) down */
	for (i = l.n; i-- > 0;)
		total += print_record(le64_to_cpu(l.r[i].e_blkno),
				      le16_to_cpu(l.r[i].e_leaf_clusters),
				      verbose);
	free(l.r);
	return total;
}

static unsigned int block_count(u64 blkno, bool verbose)
{
	struct ocfs2_xattr_block *xb = io_alloc(dbg.fs->bs);
	const struct ocfs2_xattr_header *xh;
	unsigned int n = 0;

	if (!xb || ocfs2_read_meta(dbg.fs, OCFS2_BLK_XATTR, blkno, xb))
		goto out;
	if (le16_to_cpu(xb->xb_flags) & OCFS2_XATTR_INDEXED) {
		n = print_indexed(xb, verbose);
		goto out;
	}
	xh = &xb->xb_attrs.xb_header;
	n = le16_to_cpu(xh->xh_count);
	printf("\tExtended Attributes in block #%llu: %u\n",
	       (unsigned long long)blkno, n);
	if (verbose)
		print_entries(xh, (const char *)xh,
			      dbg.fs->bs - offsetof(struct ocfs2_xattr_block,
						    xb_attrs));
out:
	free(xb);
	return n;
}

int dbg_cmd_xattr(int argc, char **argv)
{
	struct ocfs2_dinode *di;
	const char *spec = NULL;
	bool verbose = false;
	unsigned int total;
	int i;
	u64 ino;

	if (dbg_need_fs(argv[0]))
		return -ENODEV;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = true;
		else
			spec = argv[i];
	}
	if (!spec) {
		fprintf(stderr, "usage: xattr [-v] <filespec>\n");
		return -EINVAL;
	}
	if (dbg_resolve(argv[0], spec, &ino))
		return -ENOENT;
	di = dbg_read_inode(argv[0], ino);
	if (!di)
		return -EIO;
	if (le16_to_cpu(di->i_dyn_features) & OCFS2_HAS_XATTR_FL) {
		total = inline_count(di, verbose);
		if (le64_to_cpu(di->i_xattr_loc))
			total += block_count(le64_to_cpu(di->i_xattr_loc),
					     verbose);
		printf("\n\tExtended attributes in total: %u\n", total);
	}
	free(di);
	return 0;
}
