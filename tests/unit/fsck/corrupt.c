// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2 corruptor for the fsck tests: `corrupt IMAGE KIND` damages one
 * named field of a fresh volume (made by our mkfs), through libocfs2, so
 * that each test exercises one fsck check.  `corrupt -l` lists the kinds
 * fsck must repair, `corrupt -H` the hostile ones tools must only survive,
 * `corrupt -P` those that need a volume the kernel populated, `corrupt -Q`
 * those for a volume with usrquota,grpquota (the -crc ones with metaecc),
 * `corrupt -D` those for a deep refcount tree (tools/02-quota-refcount).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

static struct ocfs2_fs *fs;

static void *blk(void)
{
	void *b = io_alloc(fs->bs);

	if (!b)
		exit(2);
	return b;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "corrupt: %s: %s\n", what, strerror(-err));
	exit(2);
}

static u64 sysfile(int type, int slot)
{
	u64 b;
	int ret = ocfs2_lookup_system_inode(fs, type, slot, &b);

	if (ret)
		die("system file lookup", ret);
	return b;
}

static u64 path(const char *p)
{
	u64 b;
	int ret = ocfs2_namei(fs, p, &b);

	if (ret)
		die(p, ret);
	return b;
}

static struct ocfs2_dinode *rd(u64 ino)
{
	struct ocfs2_dinode *di = blk();
	int ret = ocfs2_read_inode(fs, ino, di);

	if (ret)
		die("read inode", ret);
	return di;
}

static void wr(struct ocfs2_dinode *di)
{
	int ret = ocfs2_write_inode(fs, le64_to_cpu(di->i_blkno), di);

	if (ret)
		die("write inode", ret);
}

/* The first group of chain 0 of an allocator. */
static struct ocfs2_group_desc *first_group(u64 alloc, u64 *blkno)
{
	struct ocfs2_dinode *di = rd(alloc);
	struct ocfs2_group_desc *gd = blk();
	int ret;

	*blkno = le64_to_cpu(di->id2.i_chain.cl_recs[0].c_blkno);
	ret = ocfs2_read_meta(fs, OCFS2_BLK_GROUP, *blkno, gd);
	if (ret)
		die("read group", ret);
	free(di);
	return gd;
}

static void wr_group(u64 blkno, struct ocfs2_group_desc *gd)
{
	int ret = ocfs2_write_meta(fs, OCFS2_BLK_GROUP, blkno, gd);

	if (ret)
		die("write group", ret);
}

static void group_field(const char *kind)
{
	u64 b;
	struct ocfs2_group_desc *gd =
		first_group(sysfile(GLOBAL_BITMAP_SYSTEM_INODE, 0), &b);

	if (!strcmp(kind, "gd-free-bits"))
		le16_add_cpu(&gd->bg_free_bits_count, -7);
	else if (!strcmp(kind, "gd-parent"))
		gd->bg_parent_dinode = cpu_to_le64(12345);
	else if (!strcmp(kind, "gd-chain"))
		gd->bg_chain = cpu_to_le16(7);
	else if (!strcmp(kind, "gd-blkno"))
		le64_add_cpu(&gd->bg_blkno, 1);
	wr_group(b, gd);
}

static void chain_field(const char *kind)
{
	struct ocfs2_dinode *di = rd(sysfile(GLOBAL_BITMAP_SYSTEM_INODE, 0));

	if (!strcmp(kind, "chain-rec-free"))
		le32_add_cpu(&di->id2.i_chain.cl_recs[0].c_free, 3);
	else if (!strcmp(kind, "chain-rec-total"))
		le32_add_cpu(&di->id2.i_chain.cl_recs[0].c_total, 3);
	else if (!strcmp(kind, "alloc-used"))
		le32_add_cpu(&di->id1.bitmap1.i_used, 11);
	else if (!strcmp(kind, "alloc-total"))
		le32_add_cpu(&di->id1.bitmap1.i_total, 11);
	else if (!strcmp(kind, "chain-count"))
		le16_add_cpu(&di->id2.i_chain.cl_count, -1);
	wr(di);
}

/* Flip cluster @c's bit in the global bitmap, keeping the counts. */
static void flip_cluster(u32 c)
{
	u32 cpg = ocfs2_cluster_group_bits(fs->bs), g = c / cpg;
	u64 b = g ? (u64)g * cpg << (fs->cbits - fs->bbits) :
		    le64_to_cpu(fs->sb->s_first_cluster_group);
	struct ocfs2_group_desc *gd = blk();
	unsigned int bit = c % cpg;
	int ret = ocfs2_read_meta(fs, OCFS2_BLK_GROUP, b, gd);

	if (ret)
		die("read group", ret);
	gd->bg_bitmap[bit >> 3] ^= 1U << (bit & 7);
	le16_add_cpu(&gd->bg_free_bits_count,
		     ocfs2_group_test_bit(gd, bit) ? -1 : 1);
	wr_group(b, gd);
}

static void bitmap_bits(const char *kind)
{
	struct ocfs2_dinode *hb = rd(sysfile(HEARTBEAT_SYSTEM_INODE, 0));

	if (!strcmp(kind, "bitmap-clear-used"))
		flip_cluster(ocfs2_blocks_to_clusters(fs,
			le64_to_cpu(hb->id2.i_list.l_recs[0].e_blkno)));
	else
		flip_cluster(fs->clusters - 2);
}

static void inode_field(const char *kind)
{
	struct ocfs2_dinode *di;

	if (!strcmp(kind, "inode-clusters")) {
		di = rd(sysfile(HEARTBEAT_SYSTEM_INODE, 0));
		le32_add_cpu(&di->i_clusters, 1);
	} else if (!strcmp(kind, "inode-suballoc-slot")) {
		di = rd(path("/lost+found"));
		di->i_suballoc_slot = cpu_to_le16(OCFS2_INVALID_SLOT);
	} else if (!strcmp(kind, "inode-dtime")) {
		di = rd(path("/lost+found"));
		di->i_dtime = cpu_to_le64(12345);
	} else if (!strcmp(kind, "inode-links")) {
		di = rd(path("/lost+found"));
		di->i_links_count = cpu_to_le16(7);
	} else if (!strcmp(kind, "root-links")) {
		di = rd(path("/"));
		di->i_links_count = cpu_to_le16(1);
	} else if (!strcmp(kind, "root-system-flag")) {
		di = rd(path("/"));	/* the stock kernel BUG()s at mount */
		di->i_flags &= ~cpu_to_le32(OCFS2_SYSTEM_FL);
	} else if (!strcmp(kind, "extent-list-count")) {
		di = rd(sysfile(HEARTBEAT_SYSTEM_INODE, 0));
		le16_add_cpu(&di->id2.i_list.l_count, -3);
	} else if (!strcmp(kind, "extent-blkno-range")) {
		di = rd(sysfile(HEARTBEAT_SYSTEM_INODE, 0));
		di->id2.i_list.l_recs[0].e_blkno = cpu_to_le64(fs->blocks + 64);
	} else if (!strcmp(kind, "local-alloc-size")) {
		di = rd(sysfile(LOCAL_ALLOC_SYSTEM_INODE, 0));
		di->id2.i_lab.la_size = cpu_to_le16(fs->bs);
	} else if (!strcmp(kind, "trunc-log-count")) {
		di = rd(sysfile(TRUNCATE_LOG_SYSTEM_INODE, 0));
		le16_add_cpu(&di->id2.i_dealloc.tl_count, -2);
	} else if (!strcmp(kind, "trunc-log-used")) {
		di = rd(sysfile(TRUNCATE_LOG_SYSTEM_INODE, 0));
		di->id2.i_dealloc.tl_used = cpu_to_le16(0xfff0);
	} else if (!strcmp(kind, "inline-count")) {
		di = rd(path("/lost+found"));
		le16_add_cpu(&di->id2.i_data.id_count, -8);
		le64_add_cpu(&di->i_size, -8);
		/* keep the entries tiling the smaller area */
		{
			struct ocfs2_dir_entry *de = (void *)
				(di->id2.i_data.id_data + 12);
			le16_add_cpu(&de->rec_len, -8);
		}
		le64_add_cpu(&di->i_size, 8);
	} else if (!strcmp(kind, "inode-gen")) {
		di = rd(path("/lost+found"));
		le32_add_cpu(&di->i_fs_generation, 1);
	} else {
		return;
	}
	wr(di);
}

/* Entries of an inline directory: index 0 is ".", 1 "..", 2 the next. */
static struct ocfs2_dir_entry *inline_entry(struct ocfs2_dinode *di, int n)
{
	char *p = (char *)di->id2.i_data.id_data;

	while (n--)
		p += le16_to_cpu(((struct ocfs2_dir_entry *)p)->rec_len);
	return (void *)p;
}

static void dirent_field(const char *kind)
{
	struct ocfs2_dinode *root = rd(path("/"));
	struct ocfs2_dinode *lf = rd(path("/lost+found"));
	struct ocfs2_dir_entry *de = inline_entry(root, 2);

	if (!(le16_to_cpu(root->i_dyn_features) & OCFS2_INLINE_DATA_FL)) {
		fprintf(stderr, "corrupt: %s needs inline directories\n", kind);
		exit(2);
	}
	if (!strcmp(kind, "dirent-type"))
		de->file_type = OCFS2_FT_REG_FILE;
	else if (!strcmp(kind, "dirent-inode-range"))
		de->inode = cpu_to_le64(fs->blocks + 100);
	else if (!strcmp(kind, "dirent-inode-free"))
		le64_add_cpu(&de->inode, 5);
	else if (!strcmp(kind, "dirent-reclen"))
		de->rec_len = cpu_to_le16(6);
	else if (!strcmp(kind, "dirent-name-zero"))
		de->name_len = 0;
	if (!strcmp(kind, "dirent-dot")) {
		inline_entry(lf, 0)->inode = cpu_to_le64(1234);
		wr(lf);
	} else if (!strcmp(kind, "dirent-dotdot")) {
		inline_entry(lf, 1)->inode =
			cpu_to_le64(le64_to_cpu(fs->sb->s_system_dir_blkno));
		wr(lf);
	} else {
		wr(root);
	}
}

/* Mark bit 2 of inode_alloc:0000's first group used and put @di there. */
static u64 new_inode(u16 mode, u32 flags)
{
	u64 gb, alloc = sysfile(INODE_ALLOC_SYSTEM_INODE, 0);
	struct ocfs2_group_desc *gd = first_group(alloc, &gb);
	struct ocfs2_dinode *a = rd(alloc), *di = blk();
	u64 ino = gb + 2;

	ocfs2_group_set_bit(gd, 2);
	wr_group(gb, gd);
	le32_add_cpu(&a->id2.i_chain.cl_recs[0].c_free, -1);
	le32_add_cpu(&a->id1.bitmap1.i_used, 1);
	wr(a);
	memcpy(di->i_signature, OCFS2_INODE_SIGNATURE, 8);
	di->i_blkno = cpu_to_le64(ino);
	di->i_fs_generation = cpu_to_le32(fs->fs_generation);
	di->i_suballoc_bit = cpu_to_le16(2);
	di->i_mode = cpu_to_le16(mode);
	di->i_links_count = cpu_to_le16(1);
	di->i_flags = cpu_to_le32(OCFS2_VALID_FL | flags);
	ocfs2_extent_list_init(&di->id2.i_list,
			       ocfs2_extent_recs_per_inode(fs->bs));
	if (!flags)
		wr(di);
	return ino;
}

static void alloc_kinds(const char *kind)
{
	if (!strcmp(kind, "inode-alloc-invalid")) {
		u64 gb, alloc = sysfile(INODE_ALLOC_SYSTEM_INODE, 0);
		struct ocfs2_group_desc *gd = first_group(alloc, &gb);
		struct ocfs2_dinode *a = rd(alloc);

		ocfs2_group_set_bit(gd, 3);
		wr_group(gb, gd);
		le32_add_cpu(&a->id2.i_chain.cl_recs[0].c_free, -1);
		le32_add_cpu(&a->id1.bitmap1.i_used, 1);
		wr(a);
	} else if (!strcmp(kind, "inode-unconnected")) {
		new_inode(0100644, 0);
	} else if (!strcmp(kind, "orphan")) {
		u64 ino = new_inode(0100644, 0);
		struct ocfs2_dinode *od = rd(sysfile(ORPHAN_DIR_SYSTEM_INODE, 0));
		struct ocfs2_dir_entry *dd = inline_entry(od, 1);
		unsigned int used = OCFS2_DIR_REC_LEN(2);
		struct ocfs2_dir_entry *ne = (void *)((char *)dd + used);
		struct ocfs2_dinode *di = rd(ino);

		ne->rec_len = cpu_to_le16(le16_to_cpu(dd->rec_len) - used);
		dd->rec_len = cpu_to_le16(used);
		ne->inode = cpu_to_le64(ino);
		ne->name_len = 16;
		ne->file_type = OCFS2_FT_REG_FILE;
		snprintf(ne->name, 17, "%016llx", (unsigned long long)ino);
		wr(od);
		di->i_flags |= cpu_to_le32(OCFS2_ORPHANED_FL);
		di->i_links_count = 0;
		wr(di);
	}
}

/*
 * Two entries of the root directory with one name, both naming one new
 * file (links 2, so only the duplicate name is wrong).  They go after
 * lost+found, whose entry keeps just the room it needs.
 */
static void duplicate_kind(void)
{
	u64 ino = new_inode(0100644, 0);
	struct ocfs2_dinode *root = rd(path("/")), *di = rd(ino);
	struct ocfs2_dir_entry *lf = inline_entry(root, 2), *a, *b;
	unsigned int room = le16_to_cpu(lf->rec_len), used;

	used = OCFS2_DIR_REC_LEN(lf->name_len);
	if (room < used + 2 * OCFS2_DIR_REC_LEN(8))
		die("room in the root directory", -ENOSPC);
	lf->rec_len = cpu_to_le16(used);
	a = (void *)((char *)lf + used);
	b = (void *)((char *)a + OCFS2_DIR_REC_LEN(8));
	a->rec_len = cpu_to_le16(OCFS2_DIR_REC_LEN(8));
	b->rec_len = cpu_to_le16(room - used - OCFS2_DIR_REC_LEN(8));
	a->inode = b->inode = cpu_to_le64(ino);
	a->name_len = b->name_len = 8;
	a->file_type = b->file_type = OCFS2_FT_REG_FILE;
	memcpy(a->name, "dupname1", 8);
	memcpy(b->name, "dupname1", 8);
	wr(root);
	di->i_links_count = cpu_to_le16(2);
	wr(di);
}

/* The first indexed directory of a populated volume. */
static u64 indexed_dir(void)
{
	static const char *const paths[] = {
		"/big_dir", "/work/big_dir", "/node0/big_dir", NULL
	};
	int i;

	for (i = 0; paths[i]; i++) {
		u64 b;
		struct ocfs2_dinode *di;

		if (ocfs2_namei(fs, paths[i], &b))
			continue;
		di = rd(b);
		if (le16_to_cpu(di->i_dyn_features) & OCFS2_INDEXED_DIR_FL) {
			free(di);
			return b;
		}
		free(di);
	}
	fprintf(stderr, "corrupt: no indexed big_dir on this volume (a populated one is needed)\n");
	exit(2);
}

/*
 * Drop the first entry of an index entry list that is not "." or ".."
 * (those hash to 0 and nothing looks them up), the last taking its place.
 */
static void drop_dx_entry(struct ocfs2_dx_entry_list *l)
{
	unsigned int last = le16_to_cpu(l->de_num_used) - 1, i;

	for (i = 0; i <= last && !l->de_entries[i].dx_major_hash; i++)
		;
	if (i > last)
		die("no named entry in the first index list", -EINVAL);

	l->de_entries[i] = l->de_entries[last];
	memset(&l->de_entries[last], 0, sizeof(l->de_entries[last]));
	l->de_num_used = cpu_to_le16(last);
}

/* An index entry of a live name vanishes: its lookups would fail. */
static void dx_kind(void)
{
	struct ocfs2_dinode *di = rd(indexed_dir());
	struct ocfs2_dx_root_block *dr = blk();
	struct ocfs2_dx_leaf *leaf = blk();
	u64 root = le64_to_cpu(di->i_dx_root), lb;
	int ret;

	ret = ocfs2_read_meta(fs, OCFS2_BLK_DX_ROOT, root, dr);
	if (ret)
		die("read dx root", ret);
	if (dr->dr_flags & OCFS2_DX_FLAG_INLINE) {
		drop_dx_entry(&dr->dr_entries);
	} else {
		if (dr->dr_list.l_tree_depth || !dr->dr_list.l_next_free_rec)
			die("dx tree shape", -EINVAL);
		lb = le64_to_cpu(dr->dr_list.l_recs[0].e_blkno);
		ret = ocfs2_read_meta(fs, OCFS2_BLK_DX_LEAF, lb, leaf);
		if (ret)
			die("read dx leaf", ret);
		if (!leaf->dl_list.de_num_used)
			die("first dx leaf is empty", -EINVAL);
		drop_dx_entry(&leaf->dl_list);
		ret = ocfs2_write_meta(fs, OCFS2_BLK_DX_LEAF, lb, leaf);
		if (ret)
			die("write dx leaf", ret);
	}
	le32_add_cpu(&dr->dr_num_entries, -1);
	ret = ocfs2_write_meta(fs, OCFS2_BLK_DX_ROOT, root, dr);
	if (ret)
		die("write dx root", ret);
}

/* The first entry of a populated file's inline xattrs gets a wrong hash. */
static void xattr_kind(void)
{
	static const char *const paths[] = {
		"/one_byte", "/work/one_byte", "/node0/one_byte", NULL
	};
	struct ocfs2_dinode *di = NULL;
	struct ocfs2_xattr_header *xh;
	int i;

	for (i = 0; paths[i]; i++) {
		u64 b;

		if (ocfs2_namei(fs, paths[i], &b))
			continue;
		di = rd(b);
		if (le16_to_cpu(di->i_dyn_features) & OCFS2_INLINE_XATTR_FL)
			break;
		free(di);
		di = NULL;
	}
	if (!di) {
		fprintf(stderr, "corrupt: no file with inline xattrs (a populated volume is needed)\n");
		exit(2);
	}
	xh = (void *)((char *)di + fs->bs -
		      le16_to_cpu(di->i_xattr_inline_size));
	if (!xh->xh_count)
		die("inline xattrs without entries", -EINVAL);
	le32_add_cpu(&xh->xh_entries[0].xe_name_hash, 0x1000);
	wr(di);
}

/* A free bit of an extent allocator group set with nothing behind it. */
static void leak_kind(void)
{
	int slot, max = le16_to_cpu(fs->sb->s_max_slots);

	for (slot = 0; slot < max; slot++) {
		u64 alloc = sysfile(EXTENT_ALLOC_SYSTEM_INODE, slot), gb;
		struct ocfs2_dinode *a = rd(alloc);
		struct ocfs2_group_desc *gd;
		unsigned int b;

		if (!a->id2.i_chain.cl_recs[0].c_blkno || a->i_dyn_features ||
		    !a->id2.i_chain.cl_next_free_rec) {
			free(a);
			continue;
		}
		gd = first_group(alloc, &gb);
		if (gd->bg_list.l_next_free_rec) {	/* discontiguous */
			free(a);
			free(gd);
			continue;
		}
		for (b = 1; b < le16_to_cpu(gd->bg_bits); b++)
			if (!ocfs2_group_test_bit(gd, b))
				break;
		if (b == le16_to_cpu(gd->bg_bits)) {
			free(a);
			free(gd);
			continue;
		}
		ocfs2_group_set_bit(gd, b);	/* also takes it off the free count */
		wr_group(gb, gd);
		le32_add_cpu(&a->id2.i_chain.cl_recs[0].c_free, -1);
		le32_add_cpu(&a->id1.bitmap1.i_used, 1);
		wr(a);
		return;
	}
	fprintf(stderr, "corrupt: no extent allocator group with a free bit (a populated volume is needed)\n");
	exit(2);
}

/*
 * Two files claim the same clusters: small_6000's first extent is pointed
 * at the first clusters of "shrunk" (neither is reflinked); its own
 * clusters are left allocated with no owner.
 */
static void dup_cluster_kind(void)
{
	struct ocfs2_dinode *a = rd(path("/work/shrunk"));
	struct ocfs2_dinode *b = rd(path("/work/small_6000"));
	struct ocfs2_extent_rec *ra = &a->id2.i_list.l_recs[0];
	struct ocfs2_extent_rec *rb = &b->id2.i_list.l_recs[0];

	if (a->id2.i_list.l_tree_depth || b->id2.i_list.l_tree_depth ||
	    !a->id2.i_list.l_next_free_rec || !b->id2.i_list.l_next_free_rec ||
	    le16_to_cpu(ra->e_leaf_clusters) < le16_to_cpu(rb->e_leaf_clusters) ||
	    (ra->e_flags | rb->e_flags) & OCFS2_EXT_REFCOUNTED)
		die("files to share clusters", -EINVAL);
	rb->e_blkno = ra->e_blkno;
	wr(b);
}

/* The refcount tree of the reflinked file of a populated volume. */
static void refcount_kind(const char *kind)
{
	struct ocfs2_dinode *di = rd(path("/work/reflinked"));
	u64 root = le64_to_cpu(di->i_refcount_loc);
	struct ocfs2_refcount_block *rb = blk();
	int ret;

	if (!strcmp(kind, "refcount-loc")) {
		struct ocfs2_dinode *plain = rd(path("/work/small_6000"));

		plain->i_refcount_loc = cpu_to_le64(root);
		wr(plain);
		return;
	}
	ret = ocfs2_read_meta(fs, OCFS2_BLK_REFCOUNT, root, rb);
	if (ret)
		die("read refcount block", ret);
	if (!strcmp(kind, "refcount-count"))
		rb->rf_count = cpu_to_le32(5);
	else if (!rb->rf_records.rl_used || rb->rf_flags)
		die("a one-leaf refcount tree with records", -EINVAL);
	else
		le32_add_cpu(&rb->rf_records.rl_recs[0].r_refcount, 1);
	ret = ocfs2_write_meta(fs, OCFS2_BLK_REFCOUNT, root, rb);
	if (ret)
		die("write refcount block", ret);
}

static void ecc_kind(void)
{
	struct ocfs2_dinode *di = rd(path("/lost+found"));

	/* written raw, so the stored crc no longer matches */
	di->i_check.bc_crc32e ^= cpu_to_le32(0x5a5a);
	if (io_write_blocks(fs->io, le64_to_cpu(di->i_blkno), 1, di))
		exit(2);
}

static int first_leaf(struct ocfs2_fs *f, const struct ocfs2_extent_rec *r,
		      int depth, u64 owner, void *data)
{
	u64 *leaf = data;

	(void)f; (void)owner;
	if (!depth && !*leaf)
		*leaf = le64_to_cpu(r->e_blkno);
	return 0;
}

/* A leaf of the deep tree of /base (02-quota-refcount's volumes). */
static void deep_refcount_kind(const char *kind)
{
	struct ocfs2_dinode *di = rd(path("/base"));
	struct ocfs2_refcount_block *rb = blk();
	struct ocfs2_refcount_list *rl = &rb->rf_records;
	u64 leaf = 0, root = le64_to_cpu(di->i_refcount_loc);
	int ret = ocfs2_read_meta(fs, OCFS2_BLK_REFCOUNT, root, rb);

	if (ret || !(le32_to_cpu(rb->rf_flags) & OCFS2_REFCOUNT_TREE_FL))
		die("a refcount tree deeper than one leaf", ret ? ret : -EINVAL);
	ocfs2_extent_iterate(fs, &rb->rf_list, root, first_leaf, &leaf);
	ret = leaf ? ocfs2_read_meta(fs, OCFS2_BLK_REFCOUNT, leaf, rb) : -ENOENT;
	if (ret || le16_to_cpu(rl->rl_used) < 2)
		die("read a refcount leaf with records", ret ? ret : -EINVAL);
	if (!strcmp(kind, "refcount-deep-count")) {
		le32_add_cpu(&rl->rl_recs[1].r_refcount, 1);
	} else {	/* refcount-deep-drop: the last record forgotten */
		le16_add_cpu(&rl->rl_used, -1);
		memset(&rl->rl_recs[le16_to_cpu(rl->rl_used)], 0,
		       sizeof(rl->rl_recs[0]));
	}
	ret = ocfs2_write_meta(fs, OCFS2_BLK_REFCOUNT, leaf, rb);
	if (ret)
		die("write refcount leaf", ret);
}

/* block @lblk of the global quota file of @type, read or written raw */
static void quota_block(int type, u32 lblk, void *buf, bool write)
{
	struct ocfs2_dinode *di = rd(sysfile(type ? GROUP_QUOTA_SYSTEM_INODE :
					      USER_QUOTA_SYSTEM_INODE, 0));
	u64 off = (u64)lblk << fs->bbits, pblk;
	u32 contig;
	u8 flags;
	int ret;

	ret = ocfs2_extent_map(fs, &di->id2.i_list, off >> fs->cbits, &pblk,
			       &contig, &flags);
	if (ret || !pblk)
		die("map quota block", ret ? ret : -ENOENT);
	pblk += (off & (fs->cs - 1)) >> fs->bbits;
	ret = write ? io_write_blocks(fs->io, pblk, 1, buf) :
		      io_read_blocks(fs->io, pblk, 1, buf);
	if (ret)
		die("quota block I/O", ret);
}

/* the data block holding id 0: follow slot 0 down the tree */
static u32 quota_id0_block(int type, void *buf)
{
	u32 blk = 1, depth;

	for (depth = 0; depth < ocfs2_qtree_depth(fs->bs); depth++) {
		quota_block(type, blk, buf, false);
		blk = le32_to_cpu(*(__le32 *)buf);
	}
	quota_block(type, blk, buf, false);
	return blk;
}

/* re-seal a quota block whose damage is meant to pass its checksum */
static void quota_seal(void *buf)
{
	if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_META_ECC))
		ocfs2_block_check_compute(buf, fs->bs, (void *)((char *)buf +
					  fs->bs - OCFS2_QBLK_RESERVED_SPACE));
}

static void quota_kind(const char *kind)
{
	char *buf = blk();
	struct ocfs2_global_disk_dqblk *d = (void *)(buf +
		sizeof(struct ocfs2_qt_data_header));
	int type = strstr(kind, "-grp-") ? 1 : 0;
	u32 b;

	if (!strcmp(kind, "quota-magic")) {
		quota_block(type, 0, buf, false);
		((struct ocfs2_disk_dqheader *)buf)->dqh_magic ^= cpu_to_le32(0x100);
		quota_seal(buf);
		quota_block(type, 0, buf, true);
		return;
	}
	if (!strcmp(kind, "quota-tree-crc")) {
		quota_block(type, 1, buf, false);
		buf[fs->bs - OCFS2_QBLK_RESERVED_SPACE - 1] ^= 0x11;
		quota_block(type, 1, buf, true);
		return;
	}
	b = quota_id0_block(type, buf);
	if (!strcmp(kind, "quota-usage") || !strcmp(kind, "quota-grp-usage")) {
		le64_add_cpu(&d->dqb_curspace, fs->cs);
		le64_add_cpu(&d->dqb_curinodes, 3);
		quota_seal(buf);
	} else if (!strcmp(kind, "quota-dup")) {
		d[1] = d[0];	/* id 0 a second time, limits of its own */
		d[1].dqb_bhardlimit = cpu_to_le64(1 << 20);
		((struct ocfs2_qt_data_header *)buf)->entries = cpu_to_le16(2);
		quota_seal(buf);
	} else {	/* quota-data-crc: a limit changed behind the checksum */
		d->dqb_ihardlimit = cpu_to_le64(77);
	}
	quota_block(type, b, buf, true);
}

/* Damage only meant to be survived (clear errors, no crash, no hang). */
static void hostile_kind(const char *kind)
{
	struct ocfs2_dinode *sb = fs->sb_di;
	struct ocfs2_super_block *s = fs->sb;

	if (!strcmp(kind, "sb-zero")) {
		memset(sb, 0, fs->bs);
	} else if (!strcmp(kind, "sb-bbits")) {
		s->s_blocksize_bits = cpu_to_le32(30);
	} else if (!strcmp(kind, "sb-cbits")) {
		s->s_clustersize_bits = cpu_to_le32(40);
	} else if (!strcmp(kind, "sb-slots0")) {
		s->s_max_slots = 0;
	} else if (!strcmp(kind, "sb-clusters-huge")) {
		sb->i_clusters = cpu_to_le32(0xfffffff0);
	} else if (!strcmp(kind, "sb-root-huge")) {
		s->s_root_blkno = cpu_to_le64(~0ULL >> 4);
	} else if (!strcmp(kind, "sb-sysdir-bad")) {
		s->s_system_dir_blkno = cpu_to_le64(5000);
	} else if (!strcmp(kind, "chain-loop")) {
		u64 b;
		struct ocfs2_group_desc *gd =
			first_group(sysfile(GLOBAL_BITMAP_SYSTEM_INODE, 0), &b);

		gd->bg_next_group = cpu_to_le64(b);
		wr_group(b, gd);
		return;
	} else if (!strcmp(kind, "extent-loop")) {
		struct ocfs2_dinode *di = rd(sysfile(HEARTBEAT_SYSTEM_INODE, 0));

		/* claim depth 1 and point the record at the inode itself */
		di->id2.i_list.l_tree_depth = cpu_to_le16(1);
		di->id2.i_list.l_recs[0].e_blkno = di->i_blkno;
		wr(di);
		return;
	} else if (!strcmp(kind, "dirent-reclen-zero")) {
		struct ocfs2_dinode *root = rd(path("/"));

		inline_entry(root, 1)->rec_len = 0;
		wr(root);
		return;
	} else if (!strcmp(kind, "sysdir-garbage")) {
		struct ocfs2_dinode *d = rd(le64_to_cpu(s->s_system_dir_blkno));
		unsigned int i;

		srand(7);
		for (i = 0xc8; i < fs->bs; i++)
			((u8 *)d)[i] = (u8)rand();
		wr(d);
		return;
	}
	if (io_write_blocks(fs->io, OCFS2_SUPER_BLOCK_BLKNO, 1, sb))
		exit(2);
}

static const char *const hostile[] = {
	"sb-zero", "sb-bbits", "sb-cbits", "sb-slots0", "sb-clusters-huge",
	"sb-root-huge", "sb-sysdir-bad", "chain-loop", "extent-loop",
	"dirent-reclen-zero", "sysdir-garbage", NULL
};

static bool is_hostile(const char *kind)
{
	int i;

	for (i = 0; hostile[i]; i++)
		if (!strcmp(hostile[i], kind))
			return true;
	return false;
}

static const char *const kinds[] = {
	"gd-free-bits", "gd-parent", "gd-chain", "gd-blkno",
	"chain-rec-free", "chain-rec-total", "alloc-used", "alloc-total",
	"chain-count", "bitmap-clear-used", "bitmap-set-free",
	"inode-clusters", "inode-suballoc-slot", "inode-dtime",
	"inode-links", "root-links", "extent-list-count",
	"extent-blkno-range", "local-alloc-size", "trunc-log-count",
	"trunc-log-used", "inline-count", "inode-gen", "dirent-type",
	"dirent-inode-range", "dirent-inode-free", "dirent-reclen",
	"dirent-name-zero", "dirent-dot", "dirent-dotdot",
	"inode-alloc-invalid", "inode-unconnected", "orphan", "bad-crc",
	"dirent-duplicate", "root-system-flag", NULL
};

/* Kinds for a volume with a refcount tree deeper than one leaf at /base. */
static const char *const deep[] = {
	"refcount-deep-count", "refcount-deep-drop", NULL
};

/* Kinds for a volume with usrquota,grpquota (-crc ones: and metaecc). */
static const char *const quota[] = {
	"quota-usage", "quota-grp-usage", "quota-magic", "quota-dup",
	"quota-tree-crc", "quota-data-crc", NULL
};

/* Kinds that need a volume the kernel populated (indexed dirs, xattrs). */
static const char *const populated[] = {
	"dx-entry-missing", "xattr-hash", "extent-block-leaked",
	"dup-cluster", "refcount-count", "refcount-rec", "refcount-loc", NULL
};

int main(int argc, char **argv)
{
	const char *kind;
	int i, ret;

	if (argc == 2 && (!strcmp(argv[1], "-l") || !strcmp(argv[1], "-H") ||
			  !strcmp(argv[1], "-P") || !strcmp(argv[1], "-Q") ||
			  !strcmp(argv[1], "-D"))) {
		const char *const *list = argv[1][1] == 'l' ? kinds :
					  argv[1][1] == 'H' ? hostile :
					  argv[1][1] == 'Q' ? quota :
					  argv[1][1] == 'D' ? deep : populated;

		for (i = 0; list[i]; i++)
			printf("%s\n", list[i]);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: corrupt IMAGE KIND | corrupt -l | -H | -P | -Q | -D\n");
		return 2;
	}
	kind = argv[2];
	ret = ocfs2_fs_open(argv[1], OCFS2_OPEN_RW, 0, 0, &fs);
	if (ret)
		die(argv[1], ret);
	if (is_hostile(kind))
		hostile_kind(kind);
	else if (!strncmp(kind, "gd-", 3))
		group_field(kind);
	else if (!strncmp(kind, "chain-", 6) || !strncmp(kind, "alloc-", 6))
		chain_field(kind);
	else if (!strncmp(kind, "bitmap-", 7))
		bitmap_bits(kind);
	else if (!strcmp(kind, "dirent-duplicate"))
		duplicate_kind();
	else if (!strcmp(kind, "dx-entry-missing"))
		dx_kind();
	else if (!strcmp(kind, "xattr-hash"))
		xattr_kind();
	else if (!strcmp(kind, "extent-block-leaked"))
		leak_kind();
	else if (!strcmp(kind, "dup-cluster"))
		dup_cluster_kind();
	else if (!strncmp(kind, "refcount-deep-", 14))
		deep_refcount_kind(kind);
	else if (!strncmp(kind, "refcount-", 9))
		refcount_kind(kind);
	else if (!strncmp(kind, "dirent-", 7))
		dirent_field(kind);
	else if (!strcmp(kind, "inode-alloc-invalid") ||
		 !strcmp(kind, "inode-unconnected") || !strcmp(kind, "orphan"))
		alloc_kinds(kind);
	else if (!strcmp(kind, "bad-crc"))
		ecc_kind();
	else if (!strncmp(kind, "quota-", 6))
		quota_kind(kind);
	else
		inode_field(kind);
	ocfs2_fs_close(fs);
	return 0;
}
