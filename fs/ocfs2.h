/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-memory state of a mounted OCFS2 volume and of its inodes, and the
 * functions the files of the module offer each other.  On-disk layouts
 * live in <ocfs2/ocfs2_fs.h>, never here.
 */
#ifndef OCFS2_FS_INTERNAL_H
#define OCFS2_FS_INTERNAL_H

#include <linux/buffer_head.h>
#include <linux/writeback.h>
#include <linux/fs.h>
#include <linux/fs_parser.h>
#include <linux/jbd2.h>
#include <kcompat.h>
#include <linux/magic.h>
#include <linux/ratelimit.h>
#include <linux/workqueue.h>
#include <ocfs2/ocfs2_fs.h>
#include <ocfs2/dx_hash.h>
#include <ocfs2/validate.h>
#include "locks/lock_core.h"


#ifndef EFSCORRUPTED
#define EFSCORRUPTED	EUCLEAN		/* what a damaged structure returns */
#endif

enum ocfs2_errors_policy {
	OCFS2_ERRORS_RO,
	OCFS2_ERRORS_CONTINUE,
	OCFS2_ERRORS_PANIC,
};

enum ocfs2_data_mode {
	OCFS2_DATA_ORDERED,
	OCFS2_DATA_WRITEBACK,
};

/* unset: on when the volume has xattrs, as stock decides */
enum ocfs2_acl_opt {
	OCFS2_ACL_UNSET,
	OCFS2_ACL_ON,
	OCFS2_ACL_OFF,
};

/* localalloc= not given: stock's default window size */
#define OCFS2_LOCALALLOC_UNSET	UINT_MAX

/* heartbeat= values given at mount, a bit each (stock wants exactly one) */
enum ocfs2_hb_opt {
	OCFS2_HB_OPT_NONE	= 1 << 0,
	OCFS2_HB_OPT_LOCAL	= 1 << 1,
	OCFS2_HB_OPT_GLOBAL	= 1 << 2,
};

struct ocfs2_mount_opts {
	unsigned int	errors;		/* enum ocfs2_errors_policy */
	unsigned int	data_mode;	/* enum ocfs2_data_mode */
	unsigned int	commit_secs;
	unsigned int	atime_quantum;
	unsigned int	localalloc_mb;
	int		preferred_slot;	/* -1: none (0 is none too, as stock) */
	u8		heartbeat;	/* enum ocfs2_hb_opt bits */
	bool		barrier;
	bool		localflocks;
	bool		intr;		/* a signal may end a syscall's lock wait */
	bool		coherency_buffered;
	u8		acl;		/* enum ocfs2_acl_opt */
	bool		nouser_xattr;
	char		cluster_stack[OCFS2_STACK_LABEL_LEN + 1];
};

struct ocfs2_sb_info {
	struct super_block	*sb;
	u32			fs_generation;
	u32			compat;
	u32			incompat;
	u32			ro_compat;
	unsigned int		cluster_bits;
	unsigned int		bpc_bits;	/* log2 blocks per cluster */
	u32			total_clusters;
	u64			total_blocks;
	u16			max_slots;
	int			slot;
	u64			root_blkno;
	u64			system_dir_blkno;
	u64			first_cluster_group;
	u32			dx_seed[4];
	u16			xattr_inline_size;	/* s_xattr_inline_size */
	u8			uuid[OCFS2_VOL_UUID_LEN];
	char			label[OCFS2_MAX_VOL_LABEL_LEN + 1];
	char			cluster_stack[OCFS2_STACK_LABEL_LEN + 1];
	char			cluster_name[OCFS2_CLUSTER_NAME_LEN + 1];
	bool			global_hb;	/* o2cb volume, global heartbeat */
	struct inode		*slot_journal;	/* cluster: held EX */
	/* slot_recover.c: dead nodes' slots */
	struct work_struct	recovery_work;	/* the scan: replays */
	struct work_struct	recovery_finish_work;
	struct mutex		recovery_mutex;	/* one scan at a time */
	struct task_struct	*recovery_task;	/* the scanning task */
	wait_queue_head_t	recovery_wq;	/* fresh grants wait for replay */
	spinlock_t		recovery_lock;	/* protects the four below */
	bool			recovery_ready;	/* node-down may queue work */
	bool			recovering;	/* a replay is due */
	u32			recovery_events;
	struct list_head	recovery_done;	/* slots to finish */
	struct ocfs2_mount_opts	opts;
	struct ratelimit_state	error_rs;	/* a bad block read in a loop */
	struct ocfs2_lock_domain locks;
	struct ocfs2_lockres	super_lock;
	struct ocfs2_lockres	rename_lock;	/* directories changing parent */
	struct ocfs2_lockres	nfs_sync_lock;	/* deletes vs NFS handle lookups */
	struct inode		*system_dir;
	/* sysfile.c: every system inode looked up, referenced to unmount */
	spinlock_t		sys_pin_lock;
	struct inode		**sys_pins;	/* NULL: not pinning */
	struct inode		*global_bitmap;
	struct inode		*journal_inode;	/* read-write mounts */
	journal_t		*journal;
	struct inode		*inode_alloc;	/* read-write mounts */
	struct inode		*orphan_dir;	/* read-write mounts */
	struct inode		*extent_alloc;	/* read-write mounts */
	struct mutex		bitmap_mutex;	/* global bitmap changes */
	struct mutex		suballoc_mutex;	/* block suballocator changes */
	/* truncate_log.c: clusters freed here, until a checkpoint */
	struct inode		*tl_inode;
	struct buffer_head	*tl_bh;		/* NULL: no log open */
	struct mutex		tl_mutex;	/* the log's records */
	struct mutex		tl_flush_mutex;	/* one flush at a time */
	struct delayed_work	tl_work;	/* the flush after appends */
	u32			tl_clusters;	/* clusters in the log */
	u32			tl_reserved;	/* records promised to transactions */
	/* alloc_lock.c: what each open allocating transaction holds */
	spinlock_t		hold_lock;
	struct list_head	holds;
	/* global bitmap's free clusters at our last look (bitmap.c) */
	u32			global_free_seen;
	/* local_alloc.c: this slot's window on the global bitmap */
	struct buffer_head	*la_bh;		/* NULL: no window */
	struct inode		*la_inode;
	struct mutex		la_mutex;	/* reservations and slides */
	spinlock_t		la_lock;	/* window bits and la_reserved */
	u32			la_reserved;	/* window bits promised */
	u32			la_default_bits;	/* 0: no window */
	u32			la_bits;	/* the next window's size */
	unsigned long		la_retry;	/* jiffies: back to full size */
	struct task_struct	*la_owner;	/* holds la_mutex: no give-back */
	spinlock_t		gen_lock;	/* protects next_generation */
	u32			next_generation;
	/* checkpoints other nodes wait for (journal.c) */
	struct workqueue_struct	*ckpt_queue;
	struct work_struct	ckpt_work;
	struct mutex		ckpt_mutex;	/* the work vs closing the journal */
	wait_queue_head_t	ckpt_wait;
	atomic64_t		ckpt_done;	/* checkpoints completed, from 1 */
	/* the periodic orphan scan (orphan_scan.c) */
	bool			orphan_scan_on;
	struct ocfs2_lockres	orphan_scan_lock;
	struct delayed_work	orphan_scan_work;
	u32			os_seqno;	/* the number at our last look */
	u32			os_lvb_seqno;	/* what we leave in the LVB */
	bool			os_lvb_mine;	/* EX kept since our last turn */
	/* lookups ahead in flight (lookup_ahead.c) */
	atomic_t		lookups_ahead;
};

static inline struct ocfs2_sb_info *OCFS2_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/*
 * The lock flags for a system call's first cluster locks, taken before
 * it changed anything: on an intr mount a signal may end their wait.
 */
static inline unsigned int ocfs2_syscall_lock_flags(struct ocfs2_sb_info *osb)
{
	return osb->opts.intr ? OCFS2_LOCK_SIGNALS : 0;
}

static inline bool ocfs2_has_incompat(struct ocfs2_sb_info *osb, u32 bit)
{
	return osb->incompat & bit;
}


/*
 * An inode's meta lock (covers the inode block) and open lock (tells
 * other nodes it is in use here).  On a cluster mount they may be kept
 * past the inode's eviction and adopted by its next one (lock_keep.c).
 */
struct ocfs2_inode_locks {
	struct ocfs2_lockres	meta;
	struct ocfs2_lockres	open;
	struct ocfs2_kept	kept;
};

struct ocfs2_inode_info {
	u64			blkno;
	u32			generation;
	u32			flags;		/* i_flags */
	u32			attr;		/* chattr flags */
	u16			dyn_features;
	u32			clusters;
	u64			dx_root;
	u64			xattr_loc;
	char			*fast_link;	/* body of a fast symlink */
	/* the meta and open locks, allocated apart: they may outlive it */
	struct ocfs2_inode_locks *il;
	struct ocfs2_lockres	rw_lock;
	struct jbd2_inode	jinode;		/* data=ordered writeout */
	/* readers of the extent tree shared, changes to it exclusive */
	struct rw_semaphore	alloc_sem;
	struct mutex		promote_mutex;	/* inline -> extents, once */
	/* what it changed under the meta lock is home once ckpt_done > this */
	u64			ckpt_need;
	/* the last transactions that changed it, and its data (journal.c) */
	tid_t			sync_tid;
	tid_t			datasync_tid;
	/* cluster: blocks read since the meta lock came back (meta_cache.c) */
	struct xarray		fresh;
	/* a directory: locks of names made in it, asked for, not granted */
	atomic_t		unpublished;
	struct inode		vfs_inode;
};

static inline struct ocfs2_inode_info *OCFS2_I(struct inode *inode)
{
	return container_of(inode, struct ocfs2_inode_info, vfs_inode);
}

static inline bool ocfs2_inode_is_inline(struct inode *inode)
{
	return OCFS2_I(inode)->dyn_features & OCFS2_INLINE_DATA_FL;
}

/*
 * A directory's blocks end in a trailer on metaecc volumes and in indexed
 * directories (which keep their free-space list there); as stock decides.
 */
static inline bool ocfs2_dir_has_trailer(struct inode *dir)
{
	return ocfs2_has_incompat(OCFS2_SB(dir->i_sb),
				  OCFS2_FEATURE_INCOMPAT_META_ECC) ||
	       (OCFS2_I(dir)->dyn_features & OCFS2_INDEXED_DIR_FL);
}

/*
 * Clusters shared through a refcount tree need copy-on-write and refcount
 * updates, which this module does not do yet: such files stay read-only.
 */
static inline bool ocfs2_inode_is_refcounted(struct inode *inode)
{
	return OCFS2_I(inode)->dyn_features & OCFS2_HAS_REFCOUNT_FL;
}

/* error.c: one place that decides what a fault does to the mount */
__printf(3, 4)
int ocfs2_fs_error(struct super_block *sb, const char *func,
		   const char *fmt, ...);
int ocfs2_corrupt_block(struct super_block *sb, const char *func, u64 blkno,
			const struct ocfs2_bad *bad);
__printf(3, 4)
void ocfs2_msg(struct super_block *sb, const char *level,
	       const char *fmt, ...);
#define ocfs2_err(sb, fmt, ...) ocfs2_msg(sb, KERN_ERR, fmt, ##__VA_ARGS__)
#define ocfs2_info(sb, fmt, ...) ocfs2_msg(sb, KERN_INFO, fmt, ##__VA_ARGS__)

/*
 * Our own buffer state bits (jbd2 leaves those from BH_JBDPrivateStart to
 * the filesystem): Ocfs2Checked, the block passed its checks since it was
 * read; Ocfs2Meta, it holds metadata with a checksum field (metaecc.c).
 */
enum {
	BH_Ocfs2Checked = BH_JBDPrivateStart,
	BH_Ocfs2Meta,
};
BUFFER_FNS(Ocfs2Checked, ocfs2_checked)
BUFFER_FNS(Ocfs2Meta, ocfs2_meta)

/* blocks.c: every metadata block is checked once, when it is read */
enum ocfs2_block_kind {
	OCFS2_BLOCK_DINODE,
	OCFS2_BLOCK_EXTENT,
	OCFS2_BLOCK_GROUP,
	OCFS2_BLOCK_DIR,		/* trailer on metaecc volumes */
	OCFS2_BLOCK_DIR_TRAILER,	/* indexed dir (or metaecc): trailer */
	OCFS2_BLOCK_DX_ROOT,
	OCFS2_BLOCK_DX_LEAF,
	OCFS2_BLOCK_XATTR,
	OCFS2_BLOCK_REFCOUNT,
	OCFS2_BLOCK_DATA,		/* journaled data (symlink target) */
};
int ocfs2_read_meta(struct super_block *sb, u64 blkno,
		    enum ocfs2_block_kind kind, struct buffer_head **bhp);
struct ocfs2_block_check *ocfs2_block_check_of(unsigned int blocksize,
					       void *buf,
					       enum ocfs2_block_kind kind);
void ocfs2_block_holds_data(struct buffer_head *bh);
bool ocfs2_start_reread(struct buffer_head *bh, blk_opf_t flags);
void ocfs2_meta_readahead(struct super_block *sb, u64 blkno,
			  unsigned int count);
/* blocks read in one request when an inode or a directory block is cold */
#define OCFS2_INODE_READAHEAD	16
#define OCFS2_DIR_READAHEAD	16
bool ocfs2_blkno_valid(struct ocfs2_sb_info *osb, u64 blkno);
int ocfs2_meta_checked(struct super_block *sb, struct buffer_head *bh,
		       enum ocfs2_block_kind kind, struct buffer_head **bhp);
int ocfs2_new_meta_block(handle_t *handle, struct super_block *sb, u64 blkno,
			 struct buffer_head **bhp);

/* meta_cache.c: blocks a cluster node may keep under its meta locks */
bool ocfs2_meta_cache_on(struct super_block *sb);
void ocfs2_meta_cache_init(struct inode *inode);
void ocfs2_meta_cache_forget(struct inode *inode);
int ocfs2_read_covered(struct inode *owner, u64 blkno,
		       enum ocfs2_block_kind kind, struct buffer_head **bhp);
void ocfs2_covered_readahead(struct inode *owner, u64 blkno,
			     unsigned int count);
int ocfs2_read_inode_hint(struct super_block *sb, u64 blkno,
			  struct buffer_head **bhp);

/* cluster.c and slot_map.c: membership of a cluster mount */
void ocfs2_cluster_read_info(struct ocfs2_sb_info *osb,
			     const struct ocfs2_super_block *s);
bool ocfs2_is_cluster_mount(struct ocfs2_sb_info *osb);
int ocfs2_cluster_start(struct super_block *sb);
int ocfs2_cluster_join(struct super_block *sb);
void ocfs2_cluster_leave(struct super_block *sb);
void ocfs2_orphan_scan_start(struct super_block *sb);
void ocfs2_orphan_scan_stop(struct super_block *sb);
int ocfs2_slot_claim(struct super_block *sb, unsigned int node);
void ocfs2_slot_release(struct super_block *sb, unsigned int node);
int ocfs2_slot_nodes(struct super_block *sb, long *nodes);
void ocfs2_slot_clear(struct super_block *sb, int slot, long node);

/* slot_recover.c: dead nodes' slots (cluster mounts) */
void ocfs2_slot_recovery_init(struct ocfs2_sb_info *osb);
int ocfs2_slot_recovery_replay(struct super_block *sb);
int ocfs2_slot_recovery_start(struct super_block *sb);
void ocfs2_slot_recovery_queue(struct ocfs2_sb_info *osb, int node);
void ocfs2_slot_recovery_check(struct ocfs2_sb_info *osb, int node);
int ocfs2_slot_recovery_wait(struct ocfs2_sb_info *osb);
void ocfs2_slot_recovery_stop(struct super_block *sb);

/* features.c */
int ocfs2_check_features(struct super_block *sb, bool read_only);

/* options.c */
extern const struct fs_parameter_spec ocfs2_param_specs[];
int ocfs2_parse_param(struct fs_context *fc, struct fs_parameter *param);
void ocfs2_default_opts(struct ocfs2_mount_opts *opts);
int ocfs2_apply_acl_opt(struct super_block *sb, struct ocfs2_mount_opts *opts);
int ocfs2_check_heartbeat_opt(struct super_block *sb);
int ocfs2_check_remount_opts(struct super_block *sb,
			     const struct ocfs2_mount_opts *opts);
int ocfs2_show_options(struct seq_file *seq, struct dentry *root);

/* inode.c */
extern const struct ocfs2_lock_type ocfs2_meta_lock_type;
/* meta_lvb.c */
void ocfs2_meta_set_lvb(struct ocfs2_lockres *res);
void ocfs2_meta_check_lvb(struct inode *inode, const struct ocfs2_dinode *di);
struct inode *ocfs2_iget(struct super_block *sb, u64 blkno);
struct inode *ocfs2_iget_new(struct inode *dir, u64 blkno);
struct inode *ocfs2_alloc_inode(struct super_block *sb);
void ocfs2_free_inode(struct inode *inode);
void ocfs2_evict_inode(struct inode *inode);
int ocfs2_inode_lock(struct inode *inode, struct buffer_head **bhp, int ex);
int ocfs2_inode_lock_nonblock(struct inode *inode, struct buffer_head **bhp);
int ocfs2_inode_lock_syscall(struct inode *inode, struct buffer_head **bhp,
			     int ex);
void ocfs2_inode_unlock(struct inode *inode, int ex);
void ocfs2_inode_to_disk(struct inode *inode, struct ocfs2_dinode *di);
bool ocfs2_open_lock_try_ex(struct inode *inode);
void ocfs2_open_lock_drop_ex(struct inode *inode);
int ocfs2_getattr(struct kc_idmap *idmap, const struct path *path,
		  struct kstat *stat, u32 mask, unsigned int flags);
void ocfs2_touch_dir(struct inode *dir, struct ocfs2_dinode *di);
void ocfs2_set_links(struct ocfs2_dinode *di, unsigned int nlink);
int ocfs2_init_inode_cache(void);
void ocfs2_destroy_inode_cache(void);

/* sysfile.c */
struct inode *ocfs2_get_system_inode(struct super_block *sb, int type,
				     int slot);
int ocfs2_sysfile_pin_init(struct ocfs2_sb_info *osb);
void ocfs2_sysfile_pin_release(struct ocfs2_sb_info *osb);

/* suballoc.c */
struct ocfs2_claim {
	u64		blkno;		/* the block the bit stands for */
	u64		group;		/* its group descriptor */
	u64		loc;		/* group if discontiguous, else 0 */
	unsigned int	bit;
	u16		slot;		/* the slot of the allocator that gave it */
};
int ocfs2_claim_bit(handle_t *handle, struct inode *alloc,
		    struct ocfs2_claim *claim);
int ocfs2_claim_free_bit(handle_t *handle, struct inode *alloc,
			 struct ocfs2_claim *claim);
int ocfs2_free_bit(handle_t *handle, struct inode *alloc, u64 group,
		   unsigned int bit);
/* extent_path.c */
int ocfs2_free_suballoc_block(handle_t *handle, struct super_block *sb,
			      u64 blkno, u16 slot, u16 bit, u64 loc);

/* alloc_lock.c: allocator locks, taken before a transaction starts */
#define OCFS2_AL_INODE		0x1	/* this slot's inode allocator */
#define OCFS2_AL_EXTENT		0x2	/* this slot's extent allocator */
#define OCFS2_AL_BITMAP		0x4	/* the global bitmap */
#define OCFS2_AL_DATA		(OCFS2_AL_EXTENT | OCFS2_AL_BITMAP)
/* data clusters only through ocfs2_claim_clusters(): the window may serve */
#define OCFS2_AL_WINDOW		0x8
#define OCFS2_AL_CLUSTERS	(OCFS2_AL_DATA | OCFS2_AL_WINDOW)

/* An open allocating transaction's promises (one per task and handle). */
struct ocfs2_alloc_hold {
	struct list_head	list;
	struct task_struct	*task;
	u32			la_bits;	/* window bits promised */
	u16			tl_recs;	/* truncate log records promised */
	unsigned int		locked;		/* allocator locks taken */
	struct inode		*steal;		/* another slot's extent alloc */
	u16			steal_slot;
	struct ocfs2_claim	*ahead;		/* blocks claimed ahead (meta_ahead.c) */
	unsigned int		ahead_left;	/* of them not handed out yet */
};
struct ocfs2_alloc_hold *ocfs2_alloc_hold_of(struct ocfs2_sb_info *osb);

/*
 * meta_ahead.c: metadata blocks claimed at the start of a transaction
 * that must not stop half way; ocfs2_claim_meta hands them out first,
 * and those left go back at ocfs2_commit_alloc_trans.
 */
#define OCFS2_META_AHEAD_CREDITS	8
int ocfs2_meta_claim_ahead(handle_t *handle, struct ocfs2_sb_info *osb,
			   unsigned int count);
int ocfs2_meta_probe(struct ocfs2_sb_info *osb, unsigned int count);
bool ocfs2_meta_take_ahead(struct ocfs2_sb_info *osb,
			   struct ocfs2_claim *claim);
int ocfs2_meta_give_back(handle_t *handle, struct ocfs2_sb_info *osb,
			 struct ocfs2_alloc_hold *hold);

/* steal.c: metadata blocks from other slots' extent allocators */
int ocfs2_steal_prepare(struct ocfs2_sb_info *osb,
			struct ocfs2_alloc_hold *hold);
void ocfs2_steal_release(struct ocfs2_alloc_hold *hold);
int ocfs2_claim_meta(handle_t *handle, struct ocfs2_sb_info *osb,
		     struct ocfs2_claim *claim);
handle_t *ocfs2_start_free_trans(struct ocfs2_sb_info *osb,
				 unsigned int which, int credits, u16 runs);
int ocfs2_alloc_lock(struct ocfs2_sb_info *osb, unsigned int which);
void ocfs2_alloc_unlock(struct ocfs2_sb_info *osb, unsigned int which);
handle_t *ocfs2_start_alloc_trans(struct ocfs2_sb_info *osb,
				  unsigned int which, int credits);
handle_t *ocfs2_start_clusters_trans(struct ocfs2_sb_info *osb, int credits,
				     u32 clusters);
int ocfs2_commit_alloc_trans(struct ocfs2_sb_info *osb, handle_t *handle,
			     unsigned int which);
int ocfs2_commit_or_abort(struct ocfs2_sb_info *osb, handle_t *handle,
			  unsigned int which, int ret);

/* bitmap.c: clusters of the global bitmap */
struct ocfs2_run {
	u32	cluster;
	u32	count;
};
int ocfs2_claim_clusters(handle_t *handle, struct ocfs2_sb_info *osb,
			 u32 goal, u32 want, struct ocfs2_run *got);
int ocfs2_claim_contig(handle_t *handle, struct ocfs2_sb_info *osb,
		       u32 count, struct ocfs2_run *got);
int ocfs2_claim_range(handle_t *handle, struct ocfs2_sb_info *osb,
		      u32 want, u32 min, struct ocfs2_run *got);
int ocfs2_free_clusters(handle_t *handle, struct ocfs2_sb_info *osb,
			u32 cluster, u32 count);
int ocfs2_free_clusters_credits(struct ocfs2_sb_info *osb, u32 count);
typedef int (*ocfs2_run_fn)(struct ocfs2_sb_info *osb,
			    const struct ocfs2_run *run, void *arg);
int ocfs2_bitmap_free_runs(struct ocfs2_sb_info *osb, struct buffer_head *abh,
			   u32 from, u32 to, u32 min, ocfs2_run_fn fn,
			   void *arg);

/* trim.c */
long ocfs2_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/*
 * truncate_log.c: every cluster freed in normal operation goes through
 * ocfs2_release_clusters(); ocfs2_free_clusters() (bitmap.c) is for the
 * log's flush and the recovery of a slot's allocators.
 */
int ocfs2_release_clusters(handle_t *handle, struct ocfs2_sb_info *osb,
			   u32 start, u32 count);
int ocfs2_tl_flush(struct ocfs2_sb_info *osb);
void ocfs2_tl_reserve(struct ocfs2_sb_info *osb, u16 recs, bool windowed);
void ocfs2_tl_unreserve(struct ocfs2_sb_info *osb, u16 recs);
bool ocfs2_tl_flush_for_space(struct ocfs2_sb_info *osb);
u32 ocfs2_tl_bitmap_used(struct ocfs2_sb_info *osb,
			 const struct ocfs2_dinode *di);

/*
 * local_alloc.c: the slot's window (local_alloc:NNNN), reserved before
 * a transaction and claimed inside it.
 */
int ocfs2_la_open(struct super_block *sb);
void ocfs2_la_close(struct super_block *sb);
u32 ocfs2_la_reserve(struct ocfs2_sb_info *osb, u32 want);
void ocfs2_la_unreserve(struct ocfs2_sb_info *osb, u32 bits);
int ocfs2_la_claim(handle_t *handle, struct ocfs2_sb_info *osb,
		   struct ocfs2_alloc_hold *hold, u32 goal, u32 want,
		   struct ocfs2_run *got);
bool ocfs2_la_give_back(struct ocfs2_sb_info *osb);
void ocfs2_la_before_global(struct ocfs2_sb_info *osb);
u32 ocfs2_la_free_clusters(struct ocfs2_sb_info *osb);
int ocfs2_tl_open(struct super_block *sb);
int ocfs2_tl_free_piece(handle_t *handle, struct ocfs2_sb_info *osb,
			struct buffer_head *bh, bool front, u32 limit,
			struct ocfs2_run *run, bool *dropped);
int ocfs2_tl_piece_credits(struct ocfs2_sb_info *osb);
void ocfs2_tl_close(struct super_block *sb);

/* alloc.c: the slot's allocators at mount and unmount */
int ocfs2_alloc_open(struct super_block *sb);
void ocfs2_alloc_close(struct super_block *sb);

/*
 * alloc_recover.c: after @slot's journal is replayed, give its local alloc
 * window and truncate log back to the global bitmap (needs this mount's
 * journal open; at mount, for our own slot).
 */
int ocfs2_recover_slot_allocs(struct ocfs2_sb_info *osb, int slot);
int ocfs2_check_window(struct ocfs2_sb_info *osb, int slot,
		       const struct ocfs2_dinode *di);
int ocfs2_window_release(handle_t *handle, struct ocfs2_sb_info *osb,
			 struct buffer_head *bh, u32 *freed);
int ocfs2_window_release_credits(struct ocfs2_sb_info *osb,
				 struct buffer_head *bh);
int ocfs2_return_window(struct ocfs2_sb_info *osb, int slot,
			struct buffer_head *bh);
/* a dead node's slot: emptied on disk in the scan, bits freed later */
struct ocfs2_slot_allocs;
int ocfs2_take_slot_allocs(struct ocfs2_sb_info *osb, int slot,
			   struct ocfs2_slot_allocs **taken);
void ocfs2_give_back_slot_allocs(struct ocfs2_sb_info *osb,
				 struct ocfs2_slot_allocs *t);

/* extent_insert.c and extent_remove.c: changing a file's extent tree */
int ocfs2_insert_extent(handle_t *handle, struct inode *inode,
			struct buffer_head *ibh, u32 cpos, u64 blkno,
			u32 clusters, u8 flags);
int ocfs2_insert_credits(int depth);
void ocfs2_forget_blocks(handle_t *handle, struct super_block *sb,
			 u64 first, u64 count);
int ocfs2_mark_written(handle_t *handle, struct inode *inode,
		       struct buffer_head *ibh, u32 cpos);
int ocfs2_trim_extents(struct inode *inode, struct buffer_head *ibh, u32 keep);
int ocfs2_punch_extents(struct inode *inode, struct buffer_head *ibh,
			u32 first, u32 end);

/* journal.c */
int ocfs2_journal_recover(struct super_block *sb);
int ocfs2_journal_dirty_flag(struct inode *inode);
int ocfs2_journal_replay(struct ocfs2_sb_info *osb, struct inode *inode,
			 int slot);
int ocfs2_journal_mark_recovered(struct inode *inode);
int ocfs2_journal_mark_recovered_held(struct inode *inode);
int ocfs2_journal_log_empty(struct inode *inode);
int ocfs2_journal_open(struct super_block *sb);
void ocfs2_journal_close(struct super_block *sb);
int ocfs2_journal_sync(struct super_block *sb, int wait);
int ocfs2_journal_fsync(struct inode *inode, bool datasync);
void ocfs2_inode_tids_init(struct inode *inode);
void ocfs2_note_trans(handle_t *handle, struct inode *inode, bool data);
int ocfs2_checkpoint_init(struct ocfs2_sb_info *osb);
void ocfs2_checkpoint_exit(struct ocfs2_sb_info *osb);
u64 ocfs2_checkpoint_seq(struct ocfs2_sb_info *osb);
bool ocfs2_checkpointed(struct ocfs2_sb_info *osb, u64 need);
void ocfs2_checkpoint_kick(struct ocfs2_sb_info *osb);
void ocfs2_checkpoint_wait(struct ocfs2_sb_info *osb, u64 need);
/* one inode block */
#define OCFS2_INODE_UPDATE_CREDITS	1
handle_t *ocfs2_start_trans(struct ocfs2_sb_info *osb, int credits);
int ocfs2_commit_trans(handle_t *handle);
int ocfs2_journal_access(handle_t *handle, struct buffer_head *bh);
void ocfs2_journal_dirty(handle_t *handle, struct buffer_head *bh);
void ocfs2_journal_dirty_times(handle_t *handle, struct buffer_head *bh,
			       struct inode *inode);

/* metaecc.c */
void ocfs2_metaecc_on_dirty(struct ocfs2_sb_info *osb, struct buffer_head *bh);

/* extent_map.c */
struct ocfs2_extent_hit {
	u64		phys;		/* first block of the run, 0 = hole */
	u64		blocks;		/* blocks in the run from the query */
	bool		unwritten;
};
int ocfs2_extent_lookup(struct inode *inode, u64 iblock,
			struct ocfs2_extent_hit *hit);
int ocfs2_extent_lookup_nowait(struct inode *inode, u64 iblock,
			       struct ocfs2_extent_hit *hit);
int ocfs2_map_in_list(struct inode *inode,
		      const struct ocfs2_extent_list *root, u64 iblock,
		      struct ocfs2_extent_hit *hit);
/* the leaf record with the largest start <= cpos, and the next start */
struct ocfs2_leaf_floor {
	struct ocfs2_extent_rec	rec;	/* e_leaf_clusters 0: none */
	u32			next_cpos;	/* U32_MAX: no next record */
};
int ocfs2_find_leaf_floor(struct inode *owner,
			  const struct ocfs2_extent_list *root, u32 cpos,
			  struct ocfs2_leaf_floor *floor);

/* dir.c */
extern const struct file_operations ocfs2_dir_fops;
struct ocfs2_dir_match {
	u64		ino;
	unsigned int	file_type;
};
int ocfs2_find_entry(struct inode *dir, const char *name, int len,
		     struct ocfs2_dir_match *match);
int ocfs2_find_entry_at(struct inode *dir, u64 blkno, const char *name,
			int len, struct ocfs2_dir_match *match);
int ocfs2_read_dir_block(struct inode *dir, u64 iblock,
			 struct buffer_head **bhp);
typedef int (*ocfs2_dirent_actor)(void *arg, const struct ocfs2_dir_entry *de);
int ocfs2_dir_walk(struct inode *dir, ocfs2_dirent_actor actor, void *arg);

/* dir_modify.c: a change is found outside the transaction, made inside */
struct ocfs2_dx_pos {
	struct buffer_head	*root_bh;	/* NULL: not an indexed dir */
	struct buffer_head	*leaf_bh;	/* NULL: entries in the root */
	struct buffer_head	*free_prev_bh;	/* insert: NULL = the root */
	unsigned int		index;		/* removal: the index entry */
	struct ocfs2_dx_hinfo	hinfo;
};
struct ocfs2_dir_pos {
	struct buffer_head	*bh;	/* entries' block (inode if inline) */
	unsigned int		base;	/* first entry byte in bh */
	unsigned int		size;	/* bytes of entries */
	unsigned int		off;	/* the entry, from base */
	int			prev;	/* the entry before, -1 if none */
	u64			ino;
	struct ocfs2_dx_pos	dx;
};
void ocfs2_dir_pos_release(struct ocfs2_dir_pos *pos);
unsigned int ocfs2_dir_block_bytes(struct inode *dir);
bool ocfs2_dir_scan(const u8 *data, unsigned int size, const struct qstr *name,
		    unsigned int need, int *fit, unsigned int *off, int *prev);
int ocfs2_dir_find_slot(struct inode *dir, struct buffer_head *dir_bh,
			const struct qstr *name, struct ocfs2_dir_pos *pos);
int ocfs2_dir_insert(handle_t *handle, struct inode *dir,
		     struct buffer_head *dir_bh, struct ocfs2_dir_pos *pos,
		     const struct qstr *name, u64 ino, umode_t mode);
int ocfs2_dir_grow(struct inode *dir, struct buffer_head *dir_bh);
void ocfs2_dir_init_inline(struct ocfs2_dinode *di, u64 self, u64 parent,
			   unsigned int capacity);
int ocfs2_dir_find_for_remove(struct inode *dir, struct buffer_head *dir_bh,
			      const struct qstr *name,
			      struct ocfs2_dir_pos *pos);
int ocfs2_dir_remove(handle_t *handle, struct inode *dir,
		     struct buffer_head *dir_bh, struct ocfs2_dir_pos *pos);
bool ocfs2_dir_is_empty(struct inode *dir, struct buffer_head *bh);
int ocfs2_dir_set_entry(handle_t *handle, struct inode *dir,
			struct buffer_head *dir_bh,
			const struct ocfs2_dir_pos *pos, u64 ino, umode_t mode);
int ocfs2_dir_set_parent(handle_t *handle, struct inode *dir,
			 struct buffer_head *dir_bh, u64 parent);

/* orphan.c: inodes whose last name is gone, until they are freed */
struct ocfs2_orphan_ctx {
	struct buffer_head	*bh;	/* the orphan directory's block */
	struct ocfs2_dir_pos	pos;	/* where the entry goes */
	char			buf[20];
	struct qstr		name;	/* the inode number in hex */
};
int ocfs2_orphan_begin(struct inode *inode, struct ocfs2_orphan_ctx *ctx);
int ocfs2_orphan_add(handle_t *handle, struct inode *inode,
		     struct buffer_head *ibh, struct ocfs2_orphan_ctx *ctx);
void ocfs2_orphan_end(struct inode *inode, struct ocfs2_orphan_ctx *ctx);
void ocfs2_delete_inode(struct inode *inode);
void ocfs2_recover_orphans(struct super_block *sb);
void ocfs2_recover_orphans_in(struct super_block *sb, struct inode *odir);
void ocfs2_scan_orphans_in(struct super_block *sb, struct inode *odir,
			   int slot);

/* dir_index.c */
int ocfs2_dx_find_entry(struct inode *dir, const char *name, int len,
			struct ocfs2_dir_match *match);
int ocfs2_dx_locate(struct inode *dir, const struct qstr *name,
		    struct ocfs2_dir_pos *pos);
int ocfs2_dx_find_space(struct inode *dir, const struct qstr *name,
			struct ocfs2_dir_pos *pos, bool *growable);
int ocfs2_dx_insert_entry(handle_t *handle, struct inode *dir,
			  struct ocfs2_dir_pos *pos);
int ocfs2_dx_remove_entry(handle_t *handle, struct inode *dir,
			  struct ocfs2_dir_pos *pos, bool *was_full);
void ocfs2_dx_block_changed(handle_t *handle, struct inode *dir,
			    struct ocfs2_dir_pos *pos, bool was_full);

bool ocfs2_dx_want_index(struct inode *dir, const u8 *data,
			 unsigned int size);
int ocfs2_dx_new_root(handle_t *handle, struct inode *dir,
		      struct buffer_head **bhp);
int ocfs2_dx_index_new_dir(handle_t *handle, struct inode *dir,
			   struct buffer_head *dir_bh, struct buffer_head *bh,
			   struct buffer_head *root_bh);

/* dx_split.c: room in a full index entry list */
int ocfs2_dx_make_room(struct inode *dir, const struct ocfs2_dx_hinfo *h);
/* dx_free.c: a deleted directory's index goes back */
int ocfs2_dx_free_index(struct inode *dir, struct buffer_head *ibh);

/* namei.c and dentry.c */
extern const struct inode_operations ocfs2_dir_iops;
extern const struct dentry_operations ocfs2_dentry_ops;
int ocfs2_dentry_attach_lock(struct dentry *dentry, struct inode *inode,
			     u64 parent_blkno);
/* lookup_ahead.c: the names after a name a lookup found */
void ocfs2_lookup_ahead(struct inode *dir, struct dentry *dentry);
void ocfs2_lookup_ahead_stop(struct ocfs2_sb_info *osb);
/* a dentry lock asked for while the inode is read (lookup, create) */
struct ocfs2_dentry_ahead {
	struct ocfs2_dentry_lock	*dl;
	struct ocfs2_lock_ahead		la;
};
int ocfs2_dentry_lock_start(struct ocfs2_dentry_ahead *da,
			    struct super_block *sb, u64 parent_blkno, u64 ino);
int ocfs2_dentry_lock_finish(struct ocfs2_dentry_ahead *da,
			     struct dentry *dentry);
int ocfs2_dentry_lock_new(struct dentry *dentry, struct inode *dir,
			  struct inode *inode);
void ocfs2_dentry_move_lock(struct dentry *dentry, struct inode *inode,
			    u64 new_parent_blkno);
void ocfs2_dentry_remote_delete(struct dentry *dentry);
int ocfs2_rename(struct kc_idmap *idmap, struct inode *old_dir,
		 struct dentry *old_dentry, struct inode *new_dir,
		 struct dentry *new_dentry, unsigned int flags);

/* file.c */
extern const struct file_operations ocfs2_file_fops;
extern const struct inode_operations ocfs2_file_iops;
extern const struct inode_operations ocfs2_special_iops;
extern const struct ocfs2_lock_type ocfs2_rw_lock_type;

/* flock.c */
int ocfs2_file_open(struct inode *inode, struct file *file);
int ocfs2_fsync(struct file *file, loff_t start, loff_t end, int datasync);
int ocfs2_file_release(struct inode *inode, struct file *file);
int ocfs2_flock(struct file *file, int cmd, struct file_lock *fl);

/* plock.c */
int ocfs2_posix_lock(struct file *file, int cmd, struct file_lock *fl);

/* aops.c */
extern const struct address_space_operations ocfs2_aops;
void ocfs2_file_ra_window(struct file *file);

/* data_write.c: writing file data through the page cache */
int ocfs2_get_block_write(struct inode *inode, sector_t iblock,
			  struct buffer_head *bh, int create);
int ocfs2_write_begin(struct file *file, struct address_space *mapping,
		      loff_t pos, unsigned int len, struct kc_wb_page **pagep,
		      void **fsdata);
int ocfs2_write_end(struct file *file, struct address_space *mapping,
		    loff_t pos, unsigned int len, unsigned int copied,
		    struct kc_wb_page *page, void *fsdata);
int ocfs2_writepage(struct page *page, struct writeback_control *wbc);
int ocfs2_writepages(struct address_space *mapping,
		     struct writeback_control *wbc);
int ocfs2_alloc_credits(struct buffer_head *ibh);
u32 ocfs2_alloc_goal(struct inode *inode, u32 cpos);
int ocfs2_zero_new_cluster(struct super_block *sb, u32 cluster);
int ocfs2_submit_ordered_data(struct jbd2_inode *jinode);
int ocfs2_order_data(handle_t *handle, struct inode *inode, loff_t start,
		     loff_t len);
int ocfs2_size_in_alloc_trans(handle_t *handle, struct inode *inode);

/* write_batch.c: one transaction for many pages of a sequential write */
ssize_t ocfs2_write_batched(struct kiocb *iocb, struct iov_iter *from,
			    struct buffer_head *ibh);

/* fallocate.c */
long ocfs2_fallocate(struct file *file, int mode, loff_t offset, loff_t len);

/* direct.c */
ssize_t ocfs2_direct_IO(struct kiocb *iocb, struct iov_iter *iter);

/* inline.c: files whose data lives in the inode block */
int ocfs2_inline_write_begin(struct inode *inode, loff_t pos,
			     unsigned int len, struct kc_wb_page **pagep,
			     void **fsdata);
int ocfs2_inline_write_end(struct inode *inode, loff_t pos,
			   unsigned int copied, struct kc_wb_page *page,
			   void *fsdata);
bool ocfs2_inline_fits(struct inode *inode, struct buffer_head *ibh,
		       loff_t end);
int ocfs2_promote_inline(struct inode *inode);

/* truncate.c: size changes and freeing a file's data */
int ocfs2_change_size(struct inode *inode, loff_t size);
int ocfs2_free_file_data(struct inode *inode, struct buffer_head *ibh);
int ocfs2_persist_inode(struct inode *inode, loff_t old_size);
int ocfs2_persist_inode_locked(struct inode *inode, struct buffer_head *ibh,
			       loff_t old_size);
int ocfs2_zero_past_eof(struct inode *inode, loff_t old, loff_t size);

/* setattr.c: the first argument is the kernel's idmap type (kcompat.h) */
typedef void (*ocfs2_inode_change_t)(struct inode *inode,
				     struct ocfs2_dinode *di, void *arg);
int ocfs2_update_inode_locked(struct inode *inode, struct buffer_head *bh,
			      ocfs2_inode_change_t change, void *arg);
int ocfs2_update_inode(struct inode *inode, ocfs2_inode_change_t change,
		       void *arg);
int ocfs2_setattr(struct kc_idmap *idmap, struct dentry *dentry,
		  struct iattr *attr);
void ocfs2_apply_attr_flags(struct inode *inode);
void ocfs2_update_atime(struct file *file);
struct fileattr;
int ocfs2_fileattr_get(struct dentry *dentry, struct fileattr *fa);
int ocfs2_fileattr_set(struct kc_idmap *idmap, struct dentry *dentry,
		       struct fileattr *fa);

/* xattr.c */
extern const struct xattr_handler *ocfs2_xattr_handlers[];
ssize_t ocfs2_listxattr(struct dentry *dentry, char *buf, size_t size);
int ocfs2_xattr_free_all(struct inode *inode, struct buffer_head *ibh);
/* xattr_tree_free.c */
int ocfs2_xattr_tree_unfreeable(struct inode *inode);

/* acl.c: POSIX ACLs */
struct posix_acl;
struct posix_acl *ocfs2_get_acl(struct inode *inode, int type, bool rcu);
int ocfs2_set_acl(struct kc_idmap *idmap, struct kc_acl_target *target,
		  struct posix_acl *acl, int type);
int ocfs2_acl_chmod(struct inode *inode);
/* the ACLs a new inode inherits, from ocfs2_acl_prepare() on */
struct ocfs2_new_acls {
	struct posix_acl	*acl;		/* access */
	struct posix_acl	*dflt;		/* default (directories) */
	void			*value[2];	/* their disk forms */
	size_t			size[2];
	bool			in_trans;	/* written with the inode */
	bool			block;		/* ...in a new xattr block */
};

int ocfs2_permission(struct kc_idmap *idmap, struct inode *inode, int mask);
int ocfs2_acl_prepare(struct inode *dir, umode_t *mode,
		      struct ocfs2_new_acls *na);
unsigned int ocfs2_acl_create_allocs(const struct ocfs2_new_acls *na);
int ocfs2_acl_claim_block(handle_t *handle, struct super_block *sb,
			  const struct ocfs2_new_acls *na,
			  struct buffer_head **bhp);
int ocfs2_acl_unclaim_block(handle_t *handle, struct super_block *sb,
			    struct buffer_head **bhp);
int ocfs2_acl_init_dinode(handle_t *handle, struct super_block *sb,
			  struct ocfs2_dinode *di,
			  const struct ocfs2_new_acls *na,
			  struct buffer_head *bh);
int ocfs2_acl_after_create(struct inode *inode, struct ocfs2_new_acls *na);
void ocfs2_acl_release(struct ocfs2_new_acls *na);

/* symlink.c */
extern const struct inode_operations ocfs2_fast_symlink_iops;
extern const struct inode_operations ocfs2_symlink_iops;
int ocfs2_symlink_credits(struct super_block *sb, size_t len);
int ocfs2_symlink_write_target(handle_t *handle, struct super_block *sb,
			       struct ocfs2_dinode *di, const char *target);

#endif /* OCFS2_FS_INTERNAL_H */
