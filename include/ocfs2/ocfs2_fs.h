/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OCFS2 on-disk format, defined once for the kernel modules and the
 * tools: every block layout, constant, signature and feature bit.  All
 * multi-byte fields are little-endian.  Nothing here knows about memory
 * structures; sizes and key offsets are checked at compile time at the end.
 */
#ifndef OCFS2_FORMAT_OCFS2_FS_H
#define OCFS2_FORMAT_OCFS2_FS_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#endif

/* Revision, well-known block numbers and size limits. */
#define OCFS2_MAJOR_REV_LEVEL		0
#define OCFS2_MINOR_REV_LEVEL		90
#define OCFS2_SUPER_BLOCK_BLKNO		2
#define OCFS2_MIN_CLUSTERSIZE		4096
#define OCFS2_MAX_CLUSTERSIZE		1048576
#define OCFS2_MIN_BLOCKSIZE		512
#define OCFS2_MAX_BLOCKSIZE		4096
#define OCFS2_MIN_BLOCKSIZE_BITS	9
#define OCFS2_MAX_BLOCKSIZE_BITS	12
#define OCFS2_MIN_CLUSTERSIZE_BITS	12
#define OCFS2_MAX_CLUSTERSIZE_BITS	20

/* Eight-byte signatures at offset 0 of each metadata block (NUL padded). */
#define OCFS2_SUPER_BLOCK_SIGNATURE	"OCFSV2"
#define OCFS2_INODE_SIGNATURE		"INODE01"
#define OCFS2_EXTENT_BLOCK_SIGNATURE	"EXBLK01"
#define OCFS2_GROUP_DESC_SIGNATURE	"GROUP01"
#define OCFS2_XATTR_BLOCK_SIGNATURE	"XATTR01"
#define OCFS2_DIR_TRAILER_SIGNATURE	"DIRTRL1"
#define OCFS2_DX_ROOT_SIGNATURE		"DXDIR01"
#define OCFS2_DX_LEAF_SIGNATURE		"DXLEAF1"
#define OCFS2_REFCOUNT_BLOCK_SIGNATURE	"REFCNT1"
#define OCFS2_SIGNATURE_LEN		8
/* An OCFS (version 1) volume header starts with this at byte 8. */
#define OCFS1_VOLUME_SIGNATURE		"OracleCFS"

/*
 * Feature bits, one list for every user: the kernel refuses unknown
 * incompat bits by name, mkfs/tunefs parse --fs-features with these names,
 * fsck and debugfs print them (in this order, the one stock tools use).
 * Columns: word, C name, bit, tool name, supported by this suite (1) or
 * only recognised (0).
 */
#define OCFS2_FEATURE_LIST(X)						\
	X(INCOMPAT, HEARTBEAT_DEV, 0x0002, "heartbeat-device", 0)	\
	X(INCOMPAT, RESIZE_INPROG, 0x0004, "aborted-resize", 0)	\
	X(INCOMPAT, LOCAL_MOUNT, 0x0008, "local", 1)			\
	X(INCOMPAT, SPARSE_ALLOC, 0x0010, "sparse", 1)			\
	X(INCOMPAT, EXTENDED_SLOT_MAP, 0x0100, "extended-slotmap", 1)	\
	X(INCOMPAT, TUNEFS_INPROG, 0x0020, "aborted-tunefs", 0)	\
	X(INCOMPAT, USERSPACE_STACK, 0x0080, "userspace-stack", 1)	\
	X(COMPAT, BACKUP_SB, 0x0001, "backup-super", 1)			\
	X(RO_COMPAT, UNWRITTEN, 0x0001, "unwritten", 1)			\
	X(INCOMPAT, INLINE_DATA, 0x0040, "inline-data", 1)		\
	X(COMPAT, JBD2_SB, 0x0002, "strict-journal-super", 1)		\
	X(INCOMPAT, META_ECC, 0x0800, "metaecc", 1)			\
	X(INCOMPAT, XATTR, 0x0200, "xattr", 1)				\
	X(INCOMPAT, INDEXED_DIRS, 0x0400, "indexed-dirs", 1)		\
	X(RO_COMPAT, USRQUOTA, 0x0002, "usrquota", 1)			\
	X(RO_COMPAT, GRPQUOTA, 0x0004, "grpquota", 1)			\
	X(INCOMPAT, REFCOUNT_TREE, 0x1000, "refcount", 1)		\
	X(INCOMPAT, DISCONTIG_BG, 0x2000, "discontig-bg", 1)		\
	X(INCOMPAT, CLUSTERINFO, 0x4000, "clusterinfo", 1)		\
	X(INCOMPAT, APPEND_DIO, 0x8000, "append-dio", 1)

#define OCFS2_FEATURE_ENUM(word, name, bit, str, supp)			\
	OCFS2_FEATURE_##word##_##name = (bit),
enum {
	OCFS2_FEATURE_LIST(OCFS2_FEATURE_ENUM)
};
#undef OCFS2_FEATURE_ENUM

#define OCFS2_FEATURE_SUPP_MASK(want)					\
	(0 OCFS2_FEATURE_LIST(OCFS2_FEATURE_SUPP_##want))
#define OCFS2_FEATURE_SUPP_COMPAT(word, name, bit, str, supp)		\
	| ((OCFS2_FEATURE_WORD_##word == 0 && (supp)) ? (bit) : 0)
#define OCFS2_FEATURE_SUPP_INCOMPAT(word, name, bit, str, supp)	\
	| ((OCFS2_FEATURE_WORD_##word == 1 && (supp)) ? (bit) : 0)
#define OCFS2_FEATURE_SUPP_RO_COMPAT(word, name, bit, str, supp)	\
	| ((OCFS2_FEATURE_WORD_##word == 2 && (supp)) ? (bit) : 0)
#define OCFS2_FEATURE_WORD_COMPAT	0
#define OCFS2_FEATURE_WORD_INCOMPAT	1
#define OCFS2_FEATURE_WORD_RO_COMPAT	2

/* What this suite can mount/check; anything else is refused by name. */
#define OCFS2_FEATURE_COMPAT_SUPP	OCFS2_FEATURE_SUPP_MASK(COMPAT)
#define OCFS2_FEATURE_INCOMPAT_SUPP	OCFS2_FEATURE_SUPP_MASK(INCOMPAT)
#define OCFS2_FEATURE_RO_COMPAT_SUPP	OCFS2_FEATURE_SUPP_MASK(RO_COMPAT)

/* s_tunefs_flag while an interrupted tunefs operation is pending. */
#define OCFS2_TUNEFS_INPROG_REMOVE_SLOT	0x0001

/* Backup superblocks live at 1G, 4G, 16G, 64G, 256G and 1T. */
#define OCFS2_BACKUP_SB_START		(1ULL << 30)
#define OCFS2_MAX_BACKUP_SUPERBLOCKS	6

/* s_state and s_errors */
#define OCFS2_ERROR_FS			0x0001

/* i_flags */
#define OCFS2_VALID_FL			0x00000001
#define OCFS2_UNUSED2_FL		0x00000002
#define OCFS2_ORPHANED_FL		0x00000004
#define OCFS2_UNUSED3_FL		0x00000008
#define OCFS2_SYSTEM_FL			0x00000010
#define OCFS2_SUPER_BLOCK_FL		0x00000020
#define OCFS2_LOCAL_ALLOC_FL		0x00000040
#define OCFS2_BITMAP_FL			0x00000080
#define OCFS2_JOURNAL_FL		0x00000100
#define OCFS2_HEARTBEAT_FL		0x00000200
#define OCFS2_CHAIN_FL			0x00000400
#define OCFS2_DEALLOC_FL		0x00000800
#define OCFS2_QUOTA_FL			0x00001000
#define OCFS2_DIO_ORPHANED_FL		0x00002000

/* i_dyn_features */
#define OCFS2_INLINE_DATA_FL		0x0001
#define OCFS2_HAS_XATTR_FL		0x0002
#define OCFS2_INLINE_XATTR_FL		0x0004
#define OCFS2_INDEXED_DIR_FL		0x0008
#define OCFS2_HAS_REFCOUNT_FL		0x0010

/* i_attr: the chattr flags, same values as the generic FS_*_FL. */
#define OCFS2_SECRM_FL			0x00000001
#define OCFS2_UNRM_FL			0x00000002
#define OCFS2_COMPR_FL			0x00000004
#define OCFS2_SYNC_FL			0x00000008
#define OCFS2_IMMUTABLE_FL		0x00000010
#define OCFS2_APPEND_FL			0x00000020
#define OCFS2_NODUMP_FL			0x00000040
#define OCFS2_NOATIME_FL		0x00000080
#define OCFS2_DIRSYNC_FL		0x00010000
#define OCFS2_FL_VISIBLE		0x0003DFFF
#define OCFS2_FL_MODIFIABLE		0x000380FF

/* e_flags of a leaf extent record */
#define OCFS2_EXT_UNWRITTEN		0x01
#define OCFS2_EXT_REFCOUNTED		0x02

/* ij_flags of a journal inode: set while mounted, so recovery is needed. */
#define OCFS2_JOURNAL_DIRTY_FL		0x00000001

#define OCFS2_MAX_FILENAME_LEN		255
#define OCFS2_MAX_SLOTS			255
#define OCFS2_INVALID_SLOT		0xFFFF
#define OCFS2_VOL_UUID_LEN		16
#define OCFS2_MAX_VOL_LABEL_LEN		64
#define OCFS2_STACK_LABEL_LEN		4
#define OCFS2_CLUSTER_NAME_LEN		16
#define OCFS2_CLASSIC_CLUSTER_STACK	"o2cb"
#define OCFS2_MIN_JOURNAL_SIZE		(4 * 1024 * 1024)
#define OCFS2_MIN_XATTR_INLINE_SIZE	256
#define OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT 0x01

/* mount options the tools pass for the heartbeat mode */
#define OCFS2_HB_NONE			"heartbeat=none"
#define OCFS2_HB_LOCAL			"heartbeat=local"
#define OCFS2_HB_GLOBAL			"heartbeat=global"

/*
 * System inodes.  The order is part of the format: mkfs creates them in this
 * order and the per-slot ones are named with the slot number.
 */
enum {
	BAD_BLOCK_SYSTEM_INODE = 0,
	GLOBAL_INODE_ALLOC_SYSTEM_INODE,
	SLOT_MAP_SYSTEM_INODE,
	HEARTBEAT_SYSTEM_INODE,
	GLOBAL_BITMAP_SYSTEM_INODE,
	USER_QUOTA_SYSTEM_INODE,
	GROUP_QUOTA_SYSTEM_INODE,
	ORPHAN_DIR_SYSTEM_INODE,
	EXTENT_ALLOC_SYSTEM_INODE,
	INODE_ALLOC_SYSTEM_INODE,
	JOURNAL_SYSTEM_INODE,
	LOCAL_ALLOC_SYSTEM_INODE,
	TRUNCATE_LOG_SYSTEM_INODE,
	LOCAL_USER_QUOTA_SYSTEM_INODE,
	LOCAL_GROUP_QUOTA_SYSTEM_INODE,
	NUM_SYSTEM_INODES
};
#define OCFS2_FIRST_ONLINE_SYSTEM_INODE	GLOBAL_INODE_ALLOC_SYSTEM_INODE
#define OCFS2_LAST_GLOBAL_SYSTEM_INODE	GROUP_QUOTA_SYSTEM_INODE
#define OCFS2_FIRST_LOCAL_SYSTEM_INODE	ORPHAN_DIR_SYSTEM_INODE
#define OCFS2_LAST_LOCAL_SYSTEM_INODE	LOCAL_GROUP_QUOTA_SYSTEM_INODE
#define NUM_GLOBAL_SYSTEM_INODES	OCFS2_FIRST_LOCAL_SYSTEM_INODE
#define NUM_LOCAL_SYSTEM_INODES \
	(NUM_SYSTEM_INODES - OCFS2_FIRST_LOCAL_SYSTEM_INODE)

/*
 * Name (printf format taking the slot for per-slot files), i_flags and
 * mode of each system inode, as one table for the kernel and the tools.
 */
#define OCFS2_SYSTEM_INODE_LIST(X)					\
	X(BAD_BLOCK_SYSTEM_INODE, "bad_blocks", 0, 0100644)		\
	X(GLOBAL_INODE_ALLOC_SYSTEM_INODE, "global_inode_alloc",	\
	  OCFS2_BITMAP_FL | OCFS2_CHAIN_FL, 0100644)			\
	X(SLOT_MAP_SYSTEM_INODE, "slot_map", 0, 0100644)		\
	X(HEARTBEAT_SYSTEM_INODE, "heartbeat", OCFS2_HEARTBEAT_FL, 0100644) \
	X(GLOBAL_BITMAP_SYSTEM_INODE, "global_bitmap",		\
	  OCFS2_BITMAP_FL | OCFS2_CHAIN_FL, 0100644)	\
	X(USER_QUOTA_SYSTEM_INODE, "aquota.user", OCFS2_QUOTA_FL, 0100644) \
	X(GROUP_QUOTA_SYSTEM_INODE, "aquota.group", OCFS2_QUOTA_FL, 0100644) \
	X(ORPHAN_DIR_SYSTEM_INODE, "orphan_dir:%04d", 0, 0040755)	\
	X(EXTENT_ALLOC_SYSTEM_INODE, "extent_alloc:%04d",		\
	  OCFS2_BITMAP_FL | OCFS2_CHAIN_FL, 0100644)			\
	X(INODE_ALLOC_SYSTEM_INODE, "inode_alloc:%04d",		\
	  OCFS2_BITMAP_FL | OCFS2_CHAIN_FL, 0100644)			\
	X(JOURNAL_SYSTEM_INODE, "journal:%04d", OCFS2_JOURNAL_FL, 0100644) \
	X(LOCAL_ALLOC_SYSTEM_INODE, "local_alloc:%04d",		\
	  OCFS2_BITMAP_FL | OCFS2_LOCAL_ALLOC_FL, 0100644)		\
	X(TRUNCATE_LOG_SYSTEM_INODE, "truncate_log:%04d",		\
	  OCFS2_DEALLOC_FL, 0100644)					\
	X(LOCAL_USER_QUOTA_SYSTEM_INODE, "aquota.user:%04d",		\
	  OCFS2_QUOTA_FL, 0100644)					\
	X(LOCAL_GROUP_QUOTA_SYSTEM_INODE, "aquota.group:%04d",		\
	  OCFS2_QUOTA_FL, 0100644)

static inline int ocfs2_system_inode_is_global(int type)
{
	return type >= 0 && type <= OCFS2_LAST_GLOBAL_SYSTEM_INODE;
}

/* Directory entries are padded to four bytes. */
#define OCFS2_DIR_PAD			4U
#define OCFS2_DIR_ROUND			(OCFS2_DIR_PAD - 1)
#define OCFS2_DIR_MEMBER_LEN		12
#define OCFS2_DIR_REC_LEN(name_len) \
	(((name_len) + OCFS2_DIR_MEMBER_LEN + OCFS2_DIR_ROUND) & \
	 ~OCFS2_DIR_ROUND)
#define OCFS2_DIR_MIN_REC_LEN		OCFS2_DIR_REC_LEN(1)
#define OCFS2_DIR_TRAILER_SIZE		64

/* Directory entry file types (the ext2 numbering). */
enum {
	OCFS2_FT_UNKNOWN,
	OCFS2_FT_REG_FILE,
	OCFS2_FT_DIR,
	OCFS2_FT_CHRDEV,
	OCFS2_FT_BLKDEV,
	OCFS2_FT_FIFO,
	OCFS2_FT_SOCK,
	OCFS2_FT_SYMLINK,
	OCFS2_FT_MAX
};

#define OCFS2_LINK_MAX			32000
#define OCFS2_DX_LINK_MAX		((1U << 31) - 1U)
#define OCFS2_LINKS_HI_SHIFT		16
#define OCFS2_DX_ENTRIES_MAX		0xffffffffU
#define OCFS2_DX_FLAG_INLINE		0x01

/* Suballocator groups never hold more than 2048 bits (256 bitmap bytes). */
#define OCFS2_MAX_BG_BITMAP_SIZE	256

/* rf_flags */
#define OCFS2_REFCOUNT_LEAF_FL		0x00000001
#define OCFS2_REFCOUNT_TREE_FL		0x00000002
#define OCFS2_32BIT_POS_MASK		0xffffffffULL

/* xattrs */
#define OCFS2_XATTR_INDEXED		0x1
#define OCFS2_HASH_SHIFT		5
#define OCFS2_XATTR_ROUND		3
#define OCFS2_XATTR_SIZE(size) \
	(((size) + OCFS2_XATTR_ROUND) & ~(OCFS2_XATTR_ROUND))
#define OCFS2_XATTR_BUCKET_SIZE		4096
#define OCFS2_XATTR_MAX_BLOCKS_PER_BUCKET \
	(OCFS2_XATTR_BUCKET_SIZE / OCFS2_MIN_BLOCKSIZE)
#define OCFS2_XATTR_ENTRY_LOCAL		0x80
#define OCFS2_XATTR_TYPE_MASK		0x7F
#define OCFS2_XATTR_INLINE_SIZE		80
#define OCFS2_XATTR_FREE_IN_IBODY	(OCFS2_MIN_XATTR_INLINE_SIZE - 4)
#define OCFS2_XATTR_FREE_IN_BLOCK(blocksize) ((blocksize) - 0x30 - 4)
enum {
	OCFS2_XATTR_INDEX_USER = 1,
	OCFS2_XATTR_INDEX_POSIX_ACL_ACCESS,
	OCFS2_XATTR_INDEX_POSIX_ACL_DEFAULT,
	OCFS2_XATTR_INDEX_TRUSTED,
	OCFS2_XATTR_INDEX_SECURITY,
	OCFS2_XATTR_MAX
};

/* Quota files */
#define OCFS2_GLOBAL_USR_QMAGIC		0x0cf52470
#define OCFS2_GLOBAL_GRP_QMAGIC		0x0cf52471
#define OCFS2_LOCAL_USR_QMAGIC		0x0cf524c0
#define OCFS2_LOCAL_GRP_QMAGIC		0x0cf524c1
#define OCFS2_GLOBAL_QVERSION		0
#define OCFS2_LOCAL_QVERSION		0
#define OCFS2_QBLK_RESERVED_SPACE	8
#define OCFS2_DEF_QUOTA_SYNC_MS		10000
#define OLQF_CLEAN			0x0001

/*
 * Metadata checksum: crc32_le(~0, block) with this struct zeroed, and a
 * Hamming code over the same bytes so one flipped bit can be repaired.
 */
struct ocfs2_block_check {
	__le32 bc_crc32e;
	__le16 bc_ecc;
	__le16 bc_reserved1;
};

struct ocfs2_extent_rec {
	__le32 e_cpos;			/* first logical cluster */
	union {
		__le32 e_int_clusters;	/* interior: clusters below */
		struct {
			__le16 e_leaf_clusters;
			__u8 e_reserved1;
			__u8 e_flags;	/* OCFS2_EXT_* */
		};
	};
	__le64 e_blkno;			/* physical block */
};

struct ocfs2_chain_rec {
	__le32 c_free;
	__le32 c_total;
	__le64 c_blkno;			/* first group of the chain */
};

struct ocfs2_truncate_rec {
	__le32 t_start;
	__le32 t_clusters;
};

struct ocfs2_extent_list {
	__le16 l_tree_depth;		/* 0 = records point at data */
	__le16 l_count;
	__le16 l_next_free_rec;
	__le16 l_reserved1;
	__le64 l_reserved2;
	struct ocfs2_extent_rec l_recs[];
};

struct ocfs2_chain_list {
	__le16 cl_cpg;			/* clusters per group */
	__le16 cl_bpc;			/* bits per cluster */
	__le16 cl_count;
	__le16 cl_next_free_rec;
	__le64 cl_reserved1;
	struct ocfs2_chain_rec cl_recs[];
};

struct ocfs2_truncate_log {
	__le16 tl_count;
	__le16 tl_used;
	__le32 tl_reserved1;
	struct ocfs2_truncate_rec tl_recs[];
};

struct ocfs2_extent_block {
	__u8 h_signature[8];
	struct ocfs2_block_check h_check;
	__le16 h_suballoc_slot;
	__le16 h_suballoc_bit;
	__le32 h_fs_generation;
	__le64 h_blkno;
	__le64 h_suballoc_loc;		/* group, if from a discontig one */
	__le64 h_next_leaf_blk;
	struct ocfs2_extent_list h_list;
};

/* Old slot map: one node number per slot, 0xFFFF when empty. */
struct ocfs2_slot_map {
	__le16 sm_slots[0];
};

struct ocfs2_extended_slot {
	__u8 es_valid;
	__u8 es_reserved1[3];
	__le32 es_node_num;
};

struct ocfs2_slot_map_extended {
	struct ocfs2_extended_slot se_slots[0];
};

struct ocfs2_cluster_info {
	__u8 ci_stack[OCFS2_STACK_LABEL_LEN];
	union {
		__le32 ci_reserved;
		struct {
			__u8 ci_stackflags;
			__u8 ci_reserved1;
			__u8 ci_reserved2;
			__u8 ci_reserved3;
		};
	};
	__u8 ci_cluster[OCFS2_CLUSTER_NAME_LEN];
};

/* The superblock body, at id2 of the inode-format block 2. */
struct ocfs2_super_block {
	__le16 s_major_rev_level;
	__le16 s_minor_rev_level;
	__le16 s_mnt_count;
	__le16 s_max_mnt_count;
	__le16 s_state;
	__le16 s_errors;
	__le32 s_checkinterval;
	__le64 s_lastcheck;
	__le32 s_creator_os;
	__le32 s_feature_compat;
	__le32 s_feature_incompat;
	__le32 s_feature_ro_compat;
	__le64 s_root_blkno;
	__le64 s_system_dir_blkno;
	__le32 s_blocksize_bits;
	__le32 s_clustersize_bits;
	__le16 s_max_slots;
	__le16 s_tunefs_flag;
	__le32 s_uuid_hash;		/* also the fourth dx hash seed */
	__le64 s_first_cluster_group;
	__u8 s_label[OCFS2_MAX_VOL_LABEL_LEN];
	__u8 s_uuid[OCFS2_VOL_UUID_LEN];
	struct ocfs2_cluster_info s_cluster_info;
	__le16 s_xattr_inline_size;
	__le16 s_reserved0;
	__le32 s_dx_seed[3];
	__le64 s_reserved2[15];		/* keeps the block within 512 bytes */
};

struct ocfs2_local_alloc {
	__le32 la_bm_off;		/* window start in the global bitmap */
	__le16 la_size;			/* bitmap bytes */
	__le16 la_reserved1;
	__le64 la_reserved2;
	__u8 la_bitmap[];
};

struct ocfs2_inline_data {
	__le16 id_count;		/* bytes available at id_data */
	__le16 id_reserved0;
	__le32 id_reserved1;
	__u8 id_data[];
};

struct ocfs2_dinode {
	__u8 i_signature[8];
	__le32 i_generation;
	__le16 i_suballoc_slot;
	__le16 i_suballoc_bit;
	__le16 i_links_count_hi;
	__le16 i_xattr_inline_size;
	__le32 i_clusters;
	__le32 i_uid;
	__le32 i_gid;
	__le64 i_size;
	__le16 i_mode;
	__le16 i_links_count;
	__le32 i_flags;
	__le64 i_atime;
	__le64 i_ctime;
	__le64 i_mtime;
	__le64 i_dtime;
	__le64 i_blkno;			/* the inode number */
	__le64 i_last_eb_blk;
	__le32 i_fs_generation;
	__le32 i_atime_nsec;
	__le32 i_ctime_nsec;
	__le32 i_mtime_nsec;
	__le32 i_attr;
	__le16 i_orphaned_slot;
	__le16 i_dyn_features;
	__le64 i_xattr_loc;
	struct ocfs2_block_check i_check;
	__le64 i_dx_root;
	__le64 i_refcount_loc;
	__le64 i_suballoc_loc;
	__le16 i_dio_orphaned_slot;
	__le16 i_reserved1[3];
	__le64 i_reserved2[2];
	union {
		__le64 i_pad1;
		struct {
			__le64 i_rdev;
		} dev1;
		struct {
			__le32 i_used;
			__le32 i_total;
		} bitmap1;
		struct {
			__le32 ij_flags;
			__le32 ij_recovery_generation;
		} journal1;
	} id1;
	union {
		struct ocfs2_super_block i_super;
		struct ocfs2_local_alloc i_lab;
		struct ocfs2_chain_list i_chain;
		struct ocfs2_extent_list i_list;
		struct ocfs2_truncate_log i_dealloc;
		struct ocfs2_inline_data i_data;
		__u8 i_symlink[0];
	} id2;
};

struct ocfs2_dir_entry {
	__le64 inode;
	__le16 rec_len;
	__u8 name_len;
	__u8 file_type;
	char name[OCFS2_MAX_FILENAME_LEN];
} __packed;

/*
 * The last 64 bytes of a directory block on metaecc or indexed-dirs
 * volumes; it looks like an empty dirent to old code.
 */
struct ocfs2_dir_block_trailer {
	__le64 db_compat_inode;		/* always zero */
	__le16 db_compat_rec_len;	/* = sizeof(trailer) */
	__u8 db_compat_name_len;	/* always zero */
	__u8 db_reserved0;
	__le16 db_reserved1;
	__le16 db_free_rec_len;		/* largest free hole in the block */
	__u8 db_signature[8];
	__le64 db_reserved2;
	__le64 db_free_next;		/* next block with free space */
	__le64 db_blkno;
	__le64 db_parent_dinode;
	struct ocfs2_block_check db_check;
};

struct ocfs2_dx_entry {
	__le32 dx_major_hash;
	__le32 dx_minor_hash;
	__le64 dx_dirent_blk;
};

struct ocfs2_dx_entry_list {
	__le32 de_reserved;
	__le16 de_count;
	__le16 de_num_used;
	struct ocfs2_dx_entry de_entries[];
};

struct ocfs2_dx_root_block {
	__u8 dr_signature[8];
	struct ocfs2_block_check dr_check;
	__le16 dr_suballoc_slot;
	__le16 dr_suballoc_bit;
	__le32 dr_fs_generation;
	__le64 dr_blkno;
	__le64 dr_last_eb_blk;
	__le32 dr_clusters;
	__u8 dr_flags;			/* OCFS2_DX_FLAG_* */
	__u8 dr_reserved0;
	__le16 dr_reserved1;
	__le64 dr_dir_blkno;
	__le32 dr_num_entries;
	__le32 dr_reserved2;
	__le64 dr_free_blk;
	__le64 dr_suballoc_loc;
	__le64 dr_reserved3[14];
	union {
		struct ocfs2_extent_list dr_list;
		struct ocfs2_dx_entry_list dr_entries;
	};
};

struct ocfs2_dx_leaf {
	__u8 dl_signature[8];
	struct ocfs2_block_check dl_check;
	__le64 dl_blkno;
	__le32 dl_fs_generation;
	__le32 dl_reserved0;
	__le64 dl_reserved1;
	struct ocfs2_dx_entry_list dl_list;
};

struct ocfs2_group_desc {
	__u8 bg_signature[8];
	__le16 bg_size;			/* bitmap bytes */
	__le16 bg_bits;
	__le16 bg_free_bits_count;
	__le16 bg_chain;
	__le32 bg_generation;
	__le32 bg_reserved1;
	__le64 bg_next_group;
	__le64 bg_parent_dinode;
	__le64 bg_blkno;
	struct ocfs2_block_check bg_check;
	__le64 bg_reserved2;
	union {
		__u8 bg_bitmap[0];
		struct {
			/*
			 * A discontiguous suballocator group keeps its
			 * extents after a bitmap capped at 256 bytes.
			 */
			__u8 bg_bitmap_filler[OCFS2_MAX_BG_BITMAP_SIZE];
			struct ocfs2_extent_list bg_list;
		};
	};
};

struct ocfs2_refcount_rec {
	__le64 r_cpos;			/* physical cluster */
	__le32 r_clusters;
	__le32 r_refcount;
};

struct ocfs2_refcount_list {
	__le16 rl_count;
	__le16 rl_used;
	__le32 rl_reserved2;
	__le64 rl_reserved1;
	struct ocfs2_refcount_rec rl_recs[];
};

struct ocfs2_refcount_block {
	__u8 rf_signature[8];
	__le16 rf_suballoc_slot;
	__le16 rf_suballoc_bit;
	__le32 rf_fs_generation;
	__le64 rf_blkno;
	__le64 rf_parent;		/* only for leaves */
	struct ocfs2_block_check rf_check;
	__le64 rf_last_eb_blk;
	__le32 rf_count;		/* inodes sharing this tree */
	__le32 rf_flags;
	__le32 rf_clusters;
	__le32 rf_cpos;
	__le32 rf_generation;
	__le32 rf_reserved0;
	__le64 rf_suballoc_loc;
	__le64 rf_reserved1[6];
	union {
		struct ocfs2_refcount_list rf_records;
		struct ocfs2_extent_list rf_list;
	};
};

struct ocfs2_xattr_entry {
	__le32 xe_name_hash;
	__le16 xe_name_offset;
	__u8 xe_name_len;
	__u8 xe_type;			/* index | OCFS2_XATTR_ENTRY_LOCAL */
	__le64 xe_value_size;
};

struct ocfs2_xattr_header {
	__le16 xh_count;
	__le16 xh_free_start;
	__le16 xh_name_value_len;
	__le16 xh_num_buckets;
	struct ocfs2_block_check xh_check;	/* buckets only */
	struct ocfs2_xattr_entry xh_entries[];
};

struct ocfs2_xattr_value_root {
	__le32 xr_clusters;
	__le32 xr_reserved0;
	__le64 xr_last_eb_blk;
	struct ocfs2_extent_list xr_list;
};

struct ocfs2_xattr_tree_root {
	__le32 xt_clusters;
	__le32 xt_reserved0;
	__le64 xt_last_eb_blk;
	struct ocfs2_extent_list xt_list;
};

/*
 * One POSIX ACL entry as stored in system.posix_acl_* values: an array of
 * these, no header; e_id is ACL_UNDEFINED_ID unless the tag names a user
 * or group.
 */
struct ocfs2_acl_entry {
	__le16 e_tag;
	__le16 e_perm;
	__le32 e_id;
};

/* A value root with room for one extent: what an out-of-line value uses. */
struct ocfs2_xattr_def_value_root {
	struct ocfs2_xattr_value_root xv;
	struct ocfs2_extent_rec er;
};

struct ocfs2_xattr_block {
	__u8 xb_signature[8];
	__le16 xb_suballoc_slot;
	__le16 xb_suballoc_bit;
	__le32 xb_fs_generation;
	__le64 xb_blkno;
	struct ocfs2_block_check xb_check;
	__le16 xb_flags;		/* OCFS2_XATTR_INDEXED */
	__le16 xb_reserved0;
	__le32 xb_reserved1;
	__le64 xb_suballoc_loc;
	union {
		struct ocfs2_xattr_header xb_header;
		struct ocfs2_xattr_tree_root xb_root;
	} xb_attrs;
};

/* Quota file blocks; every block ends in an 8-byte trailer. */
struct ocfs2_disk_dqheader {
	__le32 dqh_magic;
	__le32 dqh_version;
};

struct ocfs2_global_disk_dqinfo {
	__le32 dqi_bgrace;
	__le32 dqi_igrace;
	__le32 dqi_syncms;
	__le32 dqi_blocks;
	__le32 dqi_free_blk;
	__le32 dqi_free_entry;
};

struct ocfs2_global_disk_dqblk {
	__le32 dqb_id;
	__le32 dqb_use_count;
	__le64 dqb_ihardlimit;
	__le64 dqb_isoftlimit;
	__le64 dqb_curinodes;
	__le64 dqb_bhardlimit;
	__le64 dqb_bsoftlimit;
	__le64 dqb_curspace;
	__le64 dqb_btime;
	__le64 dqb_itime;
	__le64 dqb_pad1;
	__le64 dqb_pad2;
};

struct ocfs2_local_disk_dqinfo {
	__le32 dqi_flags;
	__le32 dqi_chunks;
	__le32 dqi_blocks;
};

struct ocfs2_local_disk_chunk {
	__le32 dqc_free;
	__u8 dqc_bitmap[];
};

struct ocfs2_local_disk_dqblk {
	__le64 dqb_id;
	__le64 dqb_spacemod;
	__le64 dqb_inodemod;
};

struct ocfs2_disk_dqtrailer {
	struct ocfs2_block_check dq_check;
};

/* Offsets of the variable parts, for the per-blocksize capacity helpers. */
#define OCFS2_DINODE_ID2_OFF		offsetof(struct ocfs2_dinode, id2)
#define OCFS2_INLINE_DATA_OFF \
	(OCFS2_DINODE_ID2_OFF + offsetof(struct ocfs2_inline_data, id_data))

static inline unsigned int ocfs2_fast_symlink_chars(unsigned int blocksize)
{
	return blocksize - OCFS2_DINODE_ID2_OFF;
}

static inline unsigned int ocfs2_max_inline_data(unsigned int blocksize)
{
	return blocksize - OCFS2_INLINE_DATA_OFF;
}

static inline unsigned int ocfs2_extent_recs_per_inode(unsigned int blocksize)
{
	return (blocksize - OCFS2_DINODE_ID2_OFF -
		sizeof(struct ocfs2_extent_list)) /
		sizeof(struct ocfs2_extent_rec);
}

static inline unsigned int ocfs2_chain_recs_per_inode(unsigned int blocksize)
{
	return (blocksize - OCFS2_DINODE_ID2_OFF -
		sizeof(struct ocfs2_chain_list)) /
		sizeof(struct ocfs2_chain_rec);
}

static inline unsigned int ocfs2_extent_recs_per_eb(unsigned int blocksize)
{
	return (blocksize - offsetof(struct ocfs2_extent_block, h_list) -
		sizeof(struct ocfs2_extent_list)) /
		sizeof(struct ocfs2_extent_rec);
}

static inline unsigned int ocfs2_extent_recs_per_gd(unsigned int blocksize)
{
	return (blocksize - offsetof(struct ocfs2_group_desc, bg_list) -
		sizeof(struct ocfs2_extent_list)) /
		sizeof(struct ocfs2_extent_rec);
}

static inline unsigned int ocfs2_extent_recs_per_dx_root(unsigned int bs)
{
	return (bs - offsetof(struct ocfs2_dx_root_block, dr_list) -
		sizeof(struct ocfs2_extent_list)) /
		sizeof(struct ocfs2_extent_rec);
}

static inline unsigned int ocfs2_dx_entries_per_root(unsigned int bs)
{
	return (bs - offsetof(struct ocfs2_dx_root_block, dr_entries) -
		sizeof(struct ocfs2_dx_entry_list)) /
		sizeof(struct ocfs2_dx_entry);
}

static inline unsigned int ocfs2_dx_entries_per_leaf(unsigned int bs)
{
	return (bs - offsetof(struct ocfs2_dx_leaf, dl_list) -
		sizeof(struct ocfs2_dx_entry_list)) /
		sizeof(struct ocfs2_dx_entry);
}

static inline unsigned int ocfs2_local_alloc_size(unsigned int blocksize)
{
	return blocksize - OCFS2_DINODE_ID2_OFF -
		sizeof(struct ocfs2_local_alloc);
}

static inline unsigned int ocfs2_truncate_recs_per_inode(unsigned int bs)
{
	return (bs - OCFS2_DINODE_ID2_OFF -
		sizeof(struct ocfs2_truncate_log)) /
		sizeof(struct ocfs2_truncate_rec);
}

static inline unsigned int ocfs2_refcount_recs_per_rb(unsigned int bs)
{
	return (bs - offsetof(struct ocfs2_refcount_block, rf_records) -
		sizeof(struct ocfs2_refcount_list)) /
		sizeof(struct ocfs2_refcount_rec);
}

static inline unsigned int ocfs2_extent_recs_per_rb(unsigned int bs)
{
	return (bs - offsetof(struct ocfs2_refcount_block, rf_list) -
		sizeof(struct ocfs2_extent_list)) /
		sizeof(struct ocfs2_extent_rec);
}

static inline unsigned int ocfs2_xattr_recs_per_xb(unsigned int bs)
{
	return (bs - offsetof(struct ocfs2_xattr_block, xb_attrs) -
		sizeof(struct ocfs2_xattr_tree_root)) /
		sizeof(struct ocfs2_extent_rec);
}

/*
 * Bitmap bytes of a group: cluster groups use the whole block; suballocator
 * groups stop at 256 bytes only with discontig-bg, because older code
 * expects bg_size to be the maximum otherwise.
 */
static inline unsigned int ocfs2_group_bitmap_size(unsigned int blocksize,
						   int suballocator,
						   u32 feature_incompat)
{
	if (suballocator &&
	    (feature_incompat & OCFS2_FEATURE_INCOMPAT_DISCONTIG_BG))
		return OCFS2_MAX_BG_BITMAP_SIZE;
	return blocksize - offsetof(struct ocfs2_group_desc, bg_bitmap);
}

/* Block number of backup superblock @index (0..5), 0 if out of range. */
static inline u64 ocfs2_backup_super_blkno(unsigned int blocksize_bits,
					   int index)
{
	if (index < 0 || index >= OCFS2_MAX_BACKUP_SUPERBLOCKS)
		return 0;
	return (OCFS2_BACKUP_SB_START << (2 * index)) >> blocksize_bits;
}

/* Sizes and offsets are the format: a change here must fail the build. */
static_assert(sizeof(struct ocfs2_block_check) == 8);
static_assert(sizeof(struct ocfs2_extent_rec) == 16);
static_assert(sizeof(struct ocfs2_chain_rec) == 16);
static_assert(sizeof(struct ocfs2_truncate_rec) == 8);
static_assert(sizeof(struct ocfs2_extent_list) == 16);
static_assert(sizeof(struct ocfs2_chain_list) == 16);
static_assert(sizeof(struct ocfs2_truncate_log) == 8);
static_assert(sizeof(struct ocfs2_extended_slot) == 8);
static_assert(sizeof(struct ocfs2_cluster_info) == 24);
static_assert(sizeof(struct ocfs2_super_block) == 0x140);
static_assert(sizeof(struct ocfs2_local_alloc) == 16);
static_assert(sizeof(struct ocfs2_inline_data) == 8);
static_assert(sizeof(struct ocfs2_dinode) == 0xC0 + 0x140);
static_assert(sizeof(struct ocfs2_dir_entry) == 12 + OCFS2_MAX_FILENAME_LEN);
static_assert(sizeof(struct ocfs2_dir_block_trailer) == 64);
static_assert(sizeof(struct ocfs2_dx_entry) == 16);
static_assert(sizeof(struct ocfs2_dx_entry_list) == 8);
static_assert(sizeof(struct ocfs2_dx_leaf) == 0x30);
static_assert(sizeof(struct ocfs2_group_desc) == 0x40 + 256 + 16);
static_assert(sizeof(struct ocfs2_refcount_rec) == 16);
static_assert(sizeof(struct ocfs2_refcount_list) == 16);
static_assert(sizeof(struct ocfs2_refcount_block) == 0x90);
static_assert(sizeof(struct ocfs2_xattr_entry) == 16);
static_assert(sizeof(struct ocfs2_xattr_header) == 16);
static_assert(sizeof(struct ocfs2_xattr_value_root) == 32);
static_assert(sizeof(struct ocfs2_xattr_def_value_root) == 48);
static_assert(sizeof(struct ocfs2_xattr_block) == 0x30 + 32);
static_assert(sizeof(struct ocfs2_global_disk_dqinfo) == 24);
static_assert(sizeof(struct ocfs2_global_disk_dqblk) == 0x58);
static_assert(sizeof(struct ocfs2_local_disk_dqblk) == 24);
static_assert(sizeof(struct ocfs2_disk_dqtrailer) == 8);

static_assert(offsetof(struct ocfs2_super_block, s_feature_compat) == 0x1C);
static_assert(offsetof(struct ocfs2_super_block, s_feature_incompat) == 0x20);
static_assert(offsetof(struct ocfs2_super_block, s_root_blkno) == 0x28);
static_assert(offsetof(struct ocfs2_super_block, s_blocksize_bits) == 0x38);
static_assert(offsetof(struct ocfs2_super_block, s_max_slots) == 0x40);
static_assert(offsetof(struct ocfs2_super_block, s_first_cluster_group) == 0x48);
static_assert(offsetof(struct ocfs2_super_block, s_label) == 0x50);
static_assert(offsetof(struct ocfs2_super_block, s_uuid) == 0x90);
static_assert(offsetof(struct ocfs2_super_block, s_cluster_info) == 0xA0);
static_assert(offsetof(struct ocfs2_super_block, s_xattr_inline_size) == 0xB8);
static_assert(offsetof(struct ocfs2_super_block, s_dx_seed) == 0xBC);

static_assert(offsetof(struct ocfs2_dinode, i_generation) == 0x08);
static_assert(offsetof(struct ocfs2_dinode, i_links_count_hi) == 0x10);
static_assert(offsetof(struct ocfs2_dinode, i_size) == 0x20);
static_assert(offsetof(struct ocfs2_dinode, i_flags) == 0x2C);
static_assert(offsetof(struct ocfs2_dinode, i_atime) == 0x30);
static_assert(offsetof(struct ocfs2_dinode, i_mtime) == 0x40);
static_assert(offsetof(struct ocfs2_dinode, i_blkno) == 0x50);
static_assert(offsetof(struct ocfs2_dinode, i_fs_generation) == 0x60);
static_assert(offsetof(struct ocfs2_dinode, i_attr) == 0x70);
static_assert(offsetof(struct ocfs2_dinode, i_check) == 0x80);
static_assert(offsetof(struct ocfs2_dinode, i_dx_root) == 0x88);
static_assert(offsetof(struct ocfs2_dinode, i_refcount_loc) == 0x90);
static_assert(offsetof(struct ocfs2_dinode, i_dio_orphaned_slot) == 0xA0);
static_assert(offsetof(struct ocfs2_dinode, id1) == 0xB8);
static_assert(offsetof(struct ocfs2_dinode, id2) == 0xC0);

static_assert(offsetof(struct ocfs2_extent_block, h_check) == 0x08);
static_assert(offsetof(struct ocfs2_extent_block, h_blkno) == 0x18);
static_assert(offsetof(struct ocfs2_extent_block, h_next_leaf_blk) == 0x28);
static_assert(offsetof(struct ocfs2_extent_block, h_list) == 0x30);
static_assert(offsetof(struct ocfs2_group_desc, bg_generation) == 0x10);
static_assert(offsetof(struct ocfs2_group_desc, bg_next_group) == 0x18);
static_assert(offsetof(struct ocfs2_group_desc, bg_parent_dinode) == 0x20);
static_assert(offsetof(struct ocfs2_group_desc, bg_check) == 0x30);
static_assert(offsetof(struct ocfs2_group_desc, bg_bitmap) == 0x40);
static_assert(offsetof(struct ocfs2_group_desc, bg_list) == 0x140);
static_assert(offsetof(struct ocfs2_dir_block_trailer, db_signature) == 0x10);
static_assert(offsetof(struct ocfs2_dir_block_trailer, db_blkno) == 0x28);
static_assert(offsetof(struct ocfs2_dir_block_trailer, db_check) == 0x38);
static_assert(offsetof(struct ocfs2_dx_root_block, dr_dir_blkno) == 0x30);
static_assert(offsetof(struct ocfs2_dx_root_block, dr_list) == 0xC0);
static_assert(offsetof(struct ocfs2_dx_leaf, dl_list) == 0x28);
static_assert(offsetof(struct ocfs2_refcount_block, rf_check) == 0x20);
static_assert(offsetof(struct ocfs2_refcount_block, rf_count) == 0x30);
static_assert(offsetof(struct ocfs2_refcount_block, rf_records) == 0x80);
static_assert(offsetof(struct ocfs2_xattr_block, xb_check) == 0x18);
static_assert(offsetof(struct ocfs2_xattr_block, xb_attrs) == 0x30);

#endif /* OCFS2_FORMAT_OCFS2_FS_H */
