/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libocfs2: the one userspace library that knows the OCFS2 format.  Every
 * tool goes through it.  Functions return 0 or a negative errno and never
 * print or exit; the programs add context to errors.
 */
#ifndef OCFS2_TOOLS_LIBOCFS2_H
#define OCFS2_TOOLS_LIBOCFS2_H

#include <linux/types.h>
#include <asm/byteorder.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <ocfs2/ocfs2_fs.h>
#include <ocfs2/ocfs2_jbd2.h>
#include <ocfs2/blockcheck.h>
#include <ocfs2/validate.h>
#include <ocfs2/dx_hash.h>

/* ---- io.c: files and block devices ---- */
struct ocfs2_io {
	int fd;
	bool is_bdev;
	bool direct;		/* opened O_DIRECT: buffers must be aligned */
	bool writable;
	u64 size;		/* bytes */
	unsigned int sector_size;
	unsigned int blocksize;	/* unit of io_read/io_write */
};

int io_open(const char *path, bool writable, struct ocfs2_io **out);
void io_close(struct ocfs2_io *io);
void io_set_blocksize(struct ocfs2_io *io, unsigned int blocksize);
int io_read_blocks(struct ocfs2_io *io, u64 blkno, unsigned int count,
		   void *buf);
int io_write_blocks(struct ocfs2_io *io, u64 blkno, unsigned int count,
		    const void *buf);
int io_pread(struct ocfs2_io *io, void *buf, size_t len, u64 off);
int io_pwrite(struct ocfs2_io *io, const void *buf, size_t len, u64 off);
int io_zero(struct ocfs2_io *io, u64 off, u64 len);
int io_sync(struct ocfs2_io *io);
void *io_alloc(size_t len);	/* zeroed, aligned for O_DIRECT */

/* ---- fs.c: an open volume ---- */
struct ocfs2_fs {
	struct ocfs2_io *io;
	char *device;
	struct ocfs2_dinode *sb_di;	/* the superblock block */
	struct ocfs2_super_block *sb;	/* its body */
	unsigned int bs, bbits;
	unsigned int cs, cbits;
	u64 blocks;			/* blocks covered by i_clusters */
	u32 clusters;
	u32 fs_generation;
	u64 sb_blkno;			/* block the superblock came from */
	bool writable;
	struct ocfs2_bad last_bad;	/* detail of the last -EUCLEAN */
	u64 last_bad_blkno;
};

#define OCFS2_OPEN_RW		0x1
#define OCFS2_OPEN_NOCHECK	0x2	/* open even with unknown features */

int ocfs2_fs_open(const char *device, int flags, u64 sb_blkno,
		  unsigned int blocksize, struct ocfs2_fs **out);
void ocfs2_fs_close(struct ocfs2_fs *fs);
int ocfs2_probe_super(struct ocfs2_io *io, u64 sb_blkno,
		      unsigned int blocksize, void *buf,
		      unsigned int *found_bs);
int ocfs2_write_super(struct ocfs2_fs *fs);
int ocfs2_write_backup_supers(struct ocfs2_fs *fs, u64 *written, int *count);
int ocfs2_backup_super_list(u64 volume_blocks, unsigned int bbits,
			    unsigned int cbits, u64 *blknos);
bool ocfs2_has_incompat(const struct ocfs2_fs *fs, u32 mask);
bool ocfs2_has_ro_compat(const struct ocfs2_fs *fs, u32 mask);
bool ocfs2_has_compat(const struct ocfs2_fs *fs, u32 mask);
u32 ocfs2_uuid_hash(const u8 *uuid);

static inline u64 ocfs2_clusters_to_blocks(const struct ocfs2_fs *fs, u32 c)
{
	return (u64)c << (fs->cbits - fs->bbits);
}

static inline u32 ocfs2_blocks_to_clusters(const struct ocfs2_fs *fs, u64 b)
{
	return (u32)(b >> (fs->cbits - fs->bbits));
}

static inline u32 ocfs2_bytes_to_clusters(const struct ocfs2_fs *fs, u64 b)
{
	return (u32)((b + fs->cs - 1) >> fs->cbits);
}

/* ---- block.c: metadata blocks with checksum and validation ---- */
enum ocfs2_block_type {
	OCFS2_BLK_INODE,
	OCFS2_BLK_EXTENT,
	OCFS2_BLK_GROUP,
	OCFS2_BLK_DIR,		/* dirent block, trailer when the fs has one */
	OCFS2_BLK_DX_ROOT,
	OCFS2_BLK_DX_LEAF,
	OCFS2_BLK_XATTR,
	OCFS2_BLK_REFCOUNT,
};

int ocfs2_read_meta(struct ocfs2_fs *fs, enum ocfs2_block_type type,
		    u64 blkno, void *buf);
int ocfs2_write_meta(struct ocfs2_fs *fs, enum ocfs2_block_type type,
		     u64 blkno, void *buf);
struct ocfs2_block_check *ocfs2_block_check_of(struct ocfs2_fs *fs,
					       enum ocfs2_block_type type,
					       void *buf);
bool ocfs2_dir_has_trailer(const struct ocfs2_fs *fs);
static inline int ocfs2_read_inode(struct ocfs2_fs *fs, u64 blkno, void *buf)
{
	return ocfs2_read_meta(fs, OCFS2_BLK_INODE, blkno, buf);
}

static inline int ocfs2_write_inode(struct ocfs2_fs *fs, u64 blkno, void *buf)
{
	return ocfs2_write_meta(fs, OCFS2_BLK_INODE, blkno, buf);
}

/* ---- extent.c: extent trees ---- */
typedef int (*ocfs2_extent_fn)(struct ocfs2_fs *fs,
			       const struct ocfs2_extent_rec *rec, int depth,
			       u64 owner_blkno, void *ctx);
int ocfs2_extent_iterate(struct ocfs2_fs *fs, struct ocfs2_extent_list *root,
			 u64 owner_blkno, ocfs2_extent_fn fn, void *ctx);
int ocfs2_extent_map(struct ocfs2_fs *fs, struct ocfs2_extent_list *root,
		     u32 cpos, u64 *pblk, u32 *contig, u8 *flags);
int ocfs2_file_read(struct ocfs2_fs *fs, struct ocfs2_dinode *di, void *buf,
		    size_t len, u64 off, size_t *got);
void ocfs2_extent_list_init(struct ocfs2_extent_list *el, u16 count);
bool ocfs2_has_extent_list(const struct ocfs2_dinode *di);
int ocfs2_extent_append(struct ocfs2_fs *fs, struct ocfs2_dinode *di,
			u32 cpos, u64 pblk, u16 clusters, u8 flags, u64 alloc,
			u16 slot);
int ocfs2_extend_file(struct ocfs2_fs *fs, struct ocfs2_dinode *di, u32 want,
		      u64 alloc, bool zero, u32 *first_new);
int ocfs2_extent_list_append(struct ocfs2_extent_list *el, u32 cpos,
			     u64 blkno, u16 clusters, u8 flags);

/* ---- chain.c: chain allocators and group descriptors ---- */
typedef int (*ocfs2_group_fn)(struct ocfs2_fs *fs, int chain,
			      struct ocfs2_group_desc *gd, void *ctx);
int ocfs2_chain_iterate(struct ocfs2_fs *fs, struct ocfs2_dinode *di,
			ocfs2_group_fn fn, void *ctx);
void ocfs2_group_init(struct ocfs2_fs *fs, struct ocfs2_group_desc *gd,
		      u64 blkno, u64 parent, u16 chain, u16 bits,
		      u16 bitmap_bytes);
void ocfs2_group_set_bit(struct ocfs2_group_desc *gd, unsigned int bit);
int ocfs2_group_test_bit(const struct ocfs2_group_desc *gd, unsigned int bit);
unsigned int ocfs2_group_count_free(const struct ocfs2_group_desc *gd);
unsigned int ocfs2_cluster_group_bits(unsigned int blocksize);

/* ---- alloc.c: the global bitmap of an unmounted volume ---- */
int ocfs2_cluster_test(struct ocfs2_fs *fs, u32 cluster, bool *used);
int ocfs2_cluster_set(struct ocfs2_fs *fs, u32 cluster, bool used);
int ocfs2_alloc_clusters(struct ocfs2_fs *fs, u32 want, u32 *start,
			 u32 *got);

/* ---- suballoc.c ---- */
int ocfs2_suballoc_take(struct ocfs2_fs *fs, u64 alloc, u64 *blkno, u16 *bit);

/* ---- dir.c: directories ---- */
typedef int (*ocfs2_dirent_fn)(struct ocfs2_fs *fs,
			       struct ocfs2_dir_entry *de, u64 blkno,
			       unsigned int offset, void *ctx);
int ocfs2_dir_iterate(struct ocfs2_fs *fs, struct ocfs2_dinode *dir,
		      ocfs2_dirent_fn fn, void *ctx);
int ocfs2_lookup(struct ocfs2_fs *fs, u64 dir_blkno, const char *name,
		 size_t len, u64 *ino);
int ocfs2_namei(struct ocfs2_fs *fs, const char *path, u64 *ino);
unsigned int ocfs2_dir_usable_bytes(const struct ocfs2_fs *fs);
int ocfs2_dir_fill(struct ocfs2_fs *fs, void *buf, unsigned int bytes,
		   unsigned int *off, u64 ino, const char *name, u8 type);
void ocfs2_dir_close_block(struct ocfs2_fs *fs, void *buf,
			   unsigned int bytes, unsigned int last_off);
void ocfs2_dir_trailer_init(struct ocfs2_fs *fs, void *buf, u64 blkno,
			    u64 parent);
u8 ocfs2_mode_to_ftype(u16 mode);
int ocfs2_dir_add_entry(struct ocfs2_fs *fs, u64 dir, u64 ino,
			const char *name, u8 type);

/* ---- sysfile.c: the system directory ---- */
const char *ocfs2_system_inode_name(int type);
u32 ocfs2_system_inode_flags(int type);
u16 ocfs2_system_inode_mode(int type);
int ocfs2_system_inode_fmt(char *buf, size_t len, int type, int slot);
int ocfs2_lookup_system_inode(struct ocfs2_fs *fs, int type, int slot,
			      u64 *blkno);
void ocfs2_sysfile_body_init(const struct ocfs2_fs *fs,
			     struct ocfs2_dinode *di, int type);

/* ---- slotmap.c ---- */
/* quota files: header of a global file's data block (the kernel's qtree) */
struct ocfs2_qt_data_header {
	__le32 next_free;		/* blocks with free entries */
	__le32 prev_free;
	__le16 entries;
	__le16 pad1;
	__le32 pad2;
};

/* quota files: levels of the global file's radix tree (ids are 32 bits) */
static inline unsigned int ocfs2_qtree_depth(unsigned int blocksize)
{
	u64 refs = (blocksize - OCFS2_QBLK_RESERVED_SPACE) / 4, span = refs;
	unsigned int depth = 1;

	while (span < (1ULL << 32)) {
		span *= refs;
		depth++;
	}
	return depth;
}

int ocfs2_slot_map_bytes(unsigned int slots, bool extended);
void ocfs2_slot_map_format(void *buf, size_t len, unsigned int slots,
			   bool extended);
int ocfs2_read_slot_map(struct ocfs2_fs *fs, int *node_of_slot);

/* ---- options.c: option values the tools share ---- */
u64 ocfs2_parse_size(const char *s);

/* ---- jbd2.c ---- */
void ocfs2_jbd2_format_super(void *buf, unsigned int blocksize,
			     u32 journal_blocks, const u8 *uuid,
			     u32 incompat);
int ocfs2_jbd2_write_super(struct ocfs2_fs *fs, u64 first_blk,
			   u32 journal_blocks, const u8 *uuid, u32 incompat);
int ocfs2_jbd2_read_super(struct ocfs2_fs *fs, struct ocfs2_dinode *jdi,
			  struct ocfs2_jbd2_superblock *jsb);
int ocfs2_jbd2_check_super(const struct ocfs2_jbd2_superblock *jsb,
			   unsigned int blocksize, u32 journal_blocks);

/* ---- feature.c: names and levels ---- */
struct ocfs2_features {
	u32 compat, incompat, ro_compat;
};
int ocfs2_feature_level(const char *name, struct ocfs2_features *f);
int ocfs2_parse_features(const char *list, struct ocfs2_features *set,
			 struct ocfs2_features *clear, const char **bad);
int ocfs2_feature_string(char *buf, size_t len, int word, u32 bits);
const char *ocfs2_feature_name(int word, u32 bit);
int ocfs2_feature_string_all(char *buf, size_t len,
			     const struct ocfs2_features *f);

/* ---- plausible.c: is it safe to write? ---- */
bool ocfs2_device_mounted(const char *device);
char *ocfs2_existing_fs(const char *device);
int ocfs2_heartbeat_live(const char *device);

/* ---- heartbeat layout ---- */
#define OCFS2_HB_REGION_BLOCKS	255
u64 ocfs2_heartbeat_bytes(unsigned int blocksize, unsigned int cs);

#endif /* OCFS2_TOOLS_LIBOCFS2_H */
