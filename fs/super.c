// SPDX-License-Identifier: GPL-2.0
/*
 * The filesystem type: mounting (superblock probe and checks, system
 * inodes, root), unmounting, statfs, and module init/exit.  Cluster
 * membership (lock domain, slot) is cluster.c's.
 */
#include <linux/blkdev.h>
#include <linux/fs_context.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <ocfs2/blockcheck.h>
#include "ocfs2.h"

/* The superblock lock: mount, slot map and recovery decisions. */
static const struct ocfs2_lock_type ocfs2_super_lock_type = {
	.type_char	= 'S',
	.name		= "super",
};

/* The rename lock: a directory moving to another parent (no loops). */
static const struct ocfs2_lock_type ocfs2_rename_lock_type = {
	.type_char	= 'R',
	.name		= "rename",
};

/*
 * The NFS sync lock: a node serving NFS takes it exclusive while it turns
 * a file handle into an inode (allocator bit, then the inode), and every
 * node deleting an inode holds it protected-read, so a handle never finds
 * an inode half deleted.  We export nothing yet; our deletes still take
 * it, since a stock node in the cluster may be an NFS server.
 */
static const struct ocfs2_lock_type ocfs2_nfs_sync_lock_type = {
	.type_char	= 'Y',
	.name		= "nfs_sync",
};

static bool is_ocfs2_super(struct buffer_head *bh, unsigned int bs)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;

	return !memcmp(di->i_signature, OCFS2_SUPER_BLOCK_SIGNATURE,
		       sizeof(OCFS2_SUPER_BLOCK_SIGNATURE)) &&
	       le32_to_cpu(di->id2.i_super.s_blocksize_bits) == ilog2(bs);
}

static void report_not_ocfs2(struct super_block *sb, bool silent)
{
	struct buffer_head *bh;

	if (silent || !sb_set_blocksize(sb, OCFS2_MIN_BLOCKSIZE))
		return;
	bh = sb_bread(sb, 0);
	if (bh && !memcmp(bh->b_data + 8, OCFS1_VOLUME_SIGNATURE,
			  sizeof(OCFS1_VOLUME_SIGNATURE) - 1))
		ocfs2_err(sb, "this is an OCFS (version 1) volume, which is not supported");
	else
		ocfs2_err(sb, "no OCFS2 superblock found");
	brelse(bh);
}

/* The superblock sits in block 2 of whatever block size the volume uses. */
static int probe_super(struct super_block *sb, bool silent,
		       struct buffer_head **bhp)
{
	unsigned int bs = max_t(unsigned int, OCFS2_MIN_BLOCKSIZE,
				bdev_logical_block_size(sb->s_bdev));
	struct buffer_head *bh;

	for (; bs <= OCFS2_MAX_BLOCKSIZE; bs <<= 1) {
		if (!sb_set_blocksize(sb, bs))
			continue;
		bh = sb_bread(sb, OCFS2_SUPER_BLOCK_BLKNO);
		if (!bh) {
			ocfs2_err(sb, "cannot read the superblock");
			return -EIO;
		}
		if (is_ocfs2_super(bh, bs)) {
			*bhp = bh;
			return 0;
		}
		brelse(bh);
	}
	report_not_ocfs2(sb, silent);
	return -EINVAL;
}

static int check_super_block(struct super_block *sb, struct buffer_head *bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;
	u32 incompat = le32_to_cpu(di->id2.i_super.s_feature_incompat);
	struct ocfs2_bad bad = { };
	int ret;

	if ((incompat & OCFS2_FEATURE_INCOMPAT_META_ECC) &&
	    ocfs2_block_check_validate(bh->b_data, sb->s_blocksize,
				       &di->i_check) < 0) {
		bad.what = "metadata checksum mismatch";
		goto bad;
	}
	ret = ocfs2_validate_super(bh->b_data, sb->s_blocksize, &bad);
	if (ret)
		goto bad;
	if (le64_to_cpu(di->i_blkno) != OCFS2_SUPER_BLOCK_BLKNO) {
		bad.what = "superblock block number mismatch";
		bad.value = le64_to_cpu(di->i_blkno);
		goto bad;
	}
	if (le32_to_cpu(di->id2.i_super.s_clustersize_bits) <
	    sb->s_blocksize_bits) {
		bad.what = "cluster size below block size";
		bad.value = le32_to_cpu(di->id2.i_super.s_clustersize_bits);
		goto bad;
	}
	return 0;
bad:
	ocfs2_err(sb, "superblock (block %d): %s (value %llu)",
		  OCFS2_SUPER_BLOCK_BLKNO, bad.what,
		  (unsigned long long)bad.value);
	return -EFSCORRUPTED;
}

/*
 * An o2cb volume made for global heartbeat (stock's stack flag, valid
 * with the cluster info): mount must then say heartbeat=global.
 */
static bool volume_global_hb(struct ocfs2_sb_info *osb,
			     const struct ocfs2_super_block *s)
{
	if (!ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK |
				OCFS2_FEATURE_INCOMPAT_CLUSTERINFO) ||
	    strcmp(osb->cluster_stack, "o2cb"))
		return false;
	return s->s_cluster_info.ci_stackflags &
	       OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT;
}

static void copy_super_fields(struct ocfs2_sb_info *osb,
			      const struct ocfs2_dinode *di)
{
	const struct ocfs2_super_block *s = &di->id2.i_super;
	int i;

	osb->fs_generation = le32_to_cpu(di->i_fs_generation);
	osb->compat = le32_to_cpu(s->s_feature_compat);
	osb->incompat = le32_to_cpu(s->s_feature_incompat);
	osb->ro_compat = le32_to_cpu(s->s_feature_ro_compat);
	osb->cluster_bits = le32_to_cpu(s->s_clustersize_bits);
	osb->bpc_bits = osb->cluster_bits - osb->sb->s_blocksize_bits;
	osb->total_clusters = le32_to_cpu(di->i_clusters);
	osb->total_blocks = (u64)osb->total_clusters << osb->bpc_bits;
	osb->max_slots = le16_to_cpu(s->s_max_slots);
	osb->root_blkno = le64_to_cpu(s->s_root_blkno);
	osb->system_dir_blkno = le64_to_cpu(s->s_system_dir_blkno);
	osb->first_cluster_group = le64_to_cpu(s->s_first_cluster_group);
	for (i = 0; i < 3; i++)
		osb->dx_seed[i] = le32_to_cpu(s->s_dx_seed[i]);
	osb->dx_seed[3] = le32_to_cpu(s->s_uuid_hash);
	osb->xattr_inline_size = le16_to_cpu(s->s_xattr_inline_size);
	memcpy(osb->uuid, s->s_uuid, sizeof(osb->uuid));
	memcpy(osb->label, s->s_label, OCFS2_MAX_VOL_LABEL_LEN);
	osb->label[OCFS2_MAX_VOL_LABEL_LEN] = '\0';
	ocfs2_cluster_read_info(osb, s);
	osb->global_hb = volume_global_hb(osb, s);
}

static int load_super(struct super_block *sb, bool silent)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct buffer_head *bh;
	u64 dev_blocks;
	int ret;

	ret = probe_super(sb, silent, &bh);
	if (ret)
		return ret;
	ret = check_super_block(sb, bh);
	if (ret)
		goto out;
	copy_super_fields(osb, (struct ocfs2_dinode *)bh->b_data);
	dev_blocks = bdev_nr_bytes(sb->s_bdev) >> sb->s_blocksize_bits;
	if (osb->total_blocks > dev_blocks) {
		ocfs2_err(sb, "volume has %llu blocks but the device only %llu",
			  (unsigned long long)osb->total_blocks,
			  (unsigned long long)dev_blocks);
		ret = -EINVAL;
	}
out:
	brelse(bh);
	return ret;
}

static void init_volume_locks(struct ocfs2_sb_info *osb)
{
	char name[OCFS2_LOCK_NAME_MAX];
	unsigned int len;

	len = ocfs2_lock_name(name, 'S', OCFS2_SUPER_BLOCK_BLKNO, 0);
	ocfs2_lockres_init(&osb->super_lock, &osb->locks,
			   &ocfs2_super_lock_type, osb, name, len);
	len = ocfs2_lock_name(name, 'R', 0, 0);
	ocfs2_lockres_init(&osb->rename_lock, &osb->locks,
			   &ocfs2_rename_lock_type, osb, name, len);
	len = ocfs2_lock_name(name, 'Y', 0, 0);
	ocfs2_lockres_init(&osb->nfs_sync_lock, &osb->locks,
			   &ocfs2_nfs_sync_lock_type, osb, name, len);
}

static void set_sb_fields(struct super_block *sb);

/* What the write paths cannot keep correct yet refuses a rw mount. */
static int check_rw_features(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	if (osb->ro_compat & (OCFS2_FEATURE_RO_COMPAT_USRQUOTA |
			      OCFS2_FEATURE_RO_COMPAT_GRPQUOTA)) {
		ocfs2_err(sb, "read-write mounts of volumes with quotas are not supported yet; mount with -o ro");
		return -EROFS;
	}
	return 0;
}

/*
 * System inodes, under the superblock lock as a cluster mount needs: the
 * slot is chosen there, and its journal replayed if a crash left it dirty.
 */
static int load_system_inodes(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;
	int ret;

	ret = ocfs2_sysfile_pin_init(osb);
	if (ret)
		return ret;
	ret = ocfs2_lock(&osb->super_lock, OCFS2_LOCK_EX, 0);
	if (ret)
		return ret;
	inode = ocfs2_iget(sb, osb->system_dir_blkno);
	if (IS_ERR(inode)) {
		ret = PTR_ERR(inode);
		goto out;
	}
	osb->system_dir = inode;
	ret = ocfs2_cluster_join(sb);
	if (ret)
		goto out;
	ret = ocfs2_journal_recover(sb);
	if (ret < 0)
		goto out;
	inode = ocfs2_get_system_inode(sb, GLOBAL_BITMAP_SYSTEM_INODE, -1);
	if (IS_ERR(inode)) {
		ret = PTR_ERR(inode);
		goto out;
	}
	osb->global_bitmap = inode;
	ret = 0;
out:
	ocfs2_unlock(&osb->super_lock, OCFS2_LOCK_EX);
	return ret;
}

static void release_system_inodes(struct ocfs2_sb_info *osb)
{
	ocfs2_sysfile_pin_release(osb);
	iput(osb->global_bitmap);
	osb->global_bitmap = NULL;
	iput(osb->system_dir);
	osb->system_dir = NULL;
}

/* The journal and the slot's allocators, for read-write mounts. */
static int open_for_writing(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;
	int ret;

	spin_lock_init(&osb->gen_lock);
	osb->next_generation = get_random_u32();
	inode = ocfs2_get_system_inode(sb, ORPHAN_DIR_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	osb->orphan_dir = inode;
	inode = ocfs2_get_system_inode(sb, INODE_ALLOC_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode)) {
		ret = PTR_ERR(inode);
		goto fail_alloc;
	}
	osb->inode_alloc = inode;
	ret = ocfs2_alloc_open(sb);
	if (ret)
		goto fail_allocators;
	ret = ocfs2_journal_open(sb);
	if (ret)
		goto fail_journal;
	ret = ocfs2_recover_slot_allocs(osb, osb->slot);
	if (!ret)
		ret = ocfs2_tl_open(sb);
	if (ret)
		goto fail_recover;
	ret = ocfs2_la_open(sb);
	if (ret)
		goto fail_window;
	return 0;

fail_window:
	ocfs2_tl_close(sb);
fail_recover:
	ocfs2_journal_close(sb);
fail_journal:
	ocfs2_alloc_close(sb);
fail_allocators:
	iput(osb->inode_alloc);
	osb->inode_alloc = NULL;
fail_alloc:
	iput(osb->orphan_dir);
	osb->orphan_dir = NULL;
	return ret;
}

static void close_for_writing(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	ocfs2_la_close(sb);
	ocfs2_tl_close(sb);
	ocfs2_journal_close(sb);
	ocfs2_alloc_close(sb);
	iput(osb->inode_alloc);
	osb->inode_alloc = NULL;
	iput(osb->orphan_dir);
	osb->orphan_dir = NULL;
}

static int load_root(struct super_block *sb)
{
	struct inode *root;

	root = ocfs2_iget(sb, OCFS2_SB(sb)->root_blkno);
	if (IS_ERR(root))
		return PTR_ERR(root);
	if (!S_ISDIR(root->i_mode)) {
		iput(root);
		return ocfs2_fs_error(sb, __func__,
				      "root inode %llu is not a directory",
				      (unsigned long long)OCFS2_SB(sb)->root_blkno);
	}
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static int ocfs2_fill_super(struct super_block *sb, struct fs_context *fc)
{
	bool silent = fc->sb_flags & SB_SILENT;
	struct ocfs2_sb_info *osb;
	int ret;

	osb = kzalloc(sizeof(*osb), GFP_KERNEL);
	if (!osb)
		return -ENOMEM;
	osb->sb = sb;
	osb->opts = *(struct ocfs2_mount_opts *)fc->fs_private;
	ratelimit_state_init(&osb->error_rs, 5 * HZ, 10);
	sb->s_fs_info = osb;	/* freed by ocfs2_kill_sb */

	ret = load_super(sb, silent);
	if (ret)
		return ret;
	ret = ocfs2_apply_acl_opt(sb, &osb->opts);
	if (ret)
		return ret;
	ret = ocfs2_check_heartbeat_opt(sb);
	if (ret)
		return ret;
	ret = ocfs2_check_features(sb, sb_rdonly(sb));
	if (ret)
		return ret;
	if (!sb_rdonly(sb)) {
		ret = check_rw_features(sb);
		if (ret)
			return ret;
	}
	ret = ocfs2_checkpoint_init(osb);
	if (ret)
		return ret;
	ret = ocfs2_cluster_start(sb);
	if (ret)
		return ret;
	init_volume_locks(osb);
	set_sb_fields(sb);

	ret = load_system_inodes(sb);
	if (ret)
		goto fail_sysinodes;
	if (!sb_rdonly(sb)) {
		ret = open_for_writing(sb);
		if (ret)
			goto fail_sysinodes;
	}
	ret = load_root(sb);
	if (ret)
		goto fail_root;
	if (!sb_rdonly(sb))
		ocfs2_recover_orphans(sb);
	ocfs2_slot_recovery_start(sb);
	ocfs2_orphan_scan_start(sb);
	if (osb->locks.local)
		ocfs2_info(sb, "mounted %s (local), label \"%s\", uuid %pU, %u-byte blocks, %u-byte clusters",
			   sb_rdonly(sb) ? "read-only" : "read-write",
			   osb->label, osb->uuid, 1U << sb->s_blocksize_bits,
			   1U << osb->cluster_bits);
	else
		ocfs2_info(sb, "mounted %s (cluster, stack %s, node %u, slot %d), label \"%s\", uuid %pU",
			   sb_rdonly(sb) ? "read-only" : "read-write",
			   osb->cluster_stack[0] ? osb->cluster_stack : "o2cb",
			   osb->locks.node, osb->slot, osb->label, osb->uuid);
	return 0;

fail_root:
	close_for_writing(sb);
fail_sysinodes:
	ocfs2_cluster_leave(sb);
	release_system_inodes(osb);
	ocfs2_lockres_free(&osb->nfs_sync_lock);
	ocfs2_lockres_free(&osb->rename_lock);
	ocfs2_lockres_free(&osb->super_lock);
	ocfs2_lock_domain_exit(&osb->locks);
	return ret;
}

/*
 * The orphan scan and node-down scans are stopped already: the VFS calls
 * put_super only for a mounted sb (s_root set), for which ocfs2_kill_sb
 * stopped them before any eviction; nothing restarts them on a dying sb
 * (no remount reaches it, and node-down events queue no scan once
 * stopped).
 */
static void ocfs2_put_super(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	close_for_writing(sb);
	ocfs2_cluster_leave(sb);
	release_system_inodes(osb);
	ocfs2_lockres_free(&osb->nfs_sync_lock);
	ocfs2_lockres_free(&osb->rename_lock);
	ocfs2_lockres_free(&osb->super_lock);
	ocfs2_lock_domain_exit(&osb->locks);
}

static int ocfs2_sync_fs(struct super_block *sb, int wait)
{
	/* as stock: a sync gives the truncate log's clusters back */
	if (wait)
		ocfs2_tl_flush(OCFS2_SB(sb));
	return ocfs2_journal_sync(sb, wait);
}

/*
 * Clusters waiting in the truncate log and the free bits of this slot's
 * local alloc window are free for this node.
 */
static u32 bitmap_used(struct ocfs2_sb_info *osb, const struct ocfs2_dinode *di)
{
	u32 used = ocfs2_tl_bitmap_used(osb, di);

	return used - min(used, ocfs2_la_free_clusters(osb));
}

static int ocfs2_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct super_block *sb = dentry->d_sb;
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	u64 uuid_halves[2];
	u32 total, used;
	int ret;

	ret = ocfs2_inode_lock_syscall(osb->global_bitmap, &bh, 0);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	total = le32_to_cpu(di->id1.bitmap1.i_total);
	used = bitmap_used(osb, di);
	brelse(bh);
	ocfs2_inode_unlock(osb->global_bitmap, 0);
	if (used > total)
		return ocfs2_fs_error(sb, __func__,
				      "global bitmap uses %u of %u clusters",
				      used, total);

	buf->f_type = OCFS2_SUPER_MAGIC;
	buf->f_bsize = sb->s_blocksize;
	buf->f_namelen = OCFS2_MAX_FILENAME_LEN;
	buf->f_blocks = (u64)total << osb->bpc_bits;
	buf->f_bfree = (u64)(total - used) << osb->bpc_bits;
	buf->f_bavail = buf->f_bfree;
	buf->f_files = total;
	buf->f_ffree = total - used;
	memcpy(uuid_halves, osb->uuid, sizeof(uuid_halves));
	buf->f_fsid = u64_to_fsid(uuid_halves[0] ^ uuid_halves[1]);
	return 0;
}

static const struct super_operations ocfs2_sops = {
	.alloc_inode	= ocfs2_alloc_inode,
	.free_inode	= ocfs2_free_inode,
	.evict_inode	= ocfs2_evict_inode,
	.put_super	= ocfs2_put_super,
	.statfs		= ocfs2_statfs,
	.sync_fs	= ocfs2_sync_fs,
	.show_options	= ocfs2_show_options,
};

static void set_sb_fields(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	sb->s_magic = OCFS2_SUPER_MAGIC;
	sb->s_op = &ocfs2_sops;
	sb->s_d_op = &ocfs2_dentry_ops;
	sb->s_xattr = ocfs2_xattr_handlers;
	sb->s_time_gran = 1;
	/* atime is ours to store, under the mount's rules: atime.c */
	sb->s_flags |= SB_NOATIME;
	/* a file maps at most 2^32 clusters */
	sb->s_maxbytes = min_t(u64, MAX_LFS_FILESIZE,
			       (u64)U32_MAX << osb->cluster_bits);
	memcpy(&sb->s_uuid, osb->uuid, sizeof(osb->uuid));
}

static int ocfs2_get_tree(struct fs_context *fc)
{
	return get_tree_bdev(fc, ocfs2_fill_super);
}

/*
 * Read-write to read-only: everything is synced and the journal closed
 * clean, as at unmount; inodes still open and unlinked stay in the
 * orphan directory until the next read-write mount; dead nodes' logs are
 * still replayed here (slot_recover.c).  Read-only to read-write: the
 * journal (replayed at mount if it was dirty) is opened.
 */
static int remount_ro(struct super_block *sb)
{
	sync_filesystem(sb);
	ocfs2_orphan_scan_stop(sb);
	ocfs2_slot_recovery_stop(sb);
	close_for_writing(sb);
	ocfs2_slot_recovery_start(sb);
	ocfs2_info(sb, "remounted read-only");
	return 0;
}

static int remount_rw(struct super_block *sb)
{
	int ret;

	if (bdev_read_only(sb->s_bdev)) {
		ocfs2_err(sb, "the device is read-only; cannot remount read-write");
		return -EROFS;
	}
	ret = ocfs2_check_features(sb, false);
	if (!ret)
		ret = check_rw_features(sb);
	if (!ret)
		ret = open_for_writing(sb);
	if (!ret) {
		/*
		 * Writable before the VFS says so (stock clears the flag here
		 * too): the dead slots' recovery below starts transactions,
		 * and a dead node's orphans are deleted only on a writable sb.
		 */
		sb->s_flags &= ~SB_RDONLY;
		ocfs2_slot_recovery_start(sb);
		ocfs2_orphan_scan_start(sb);
		ocfs2_info(sb, "remounted read-write");
	}
	return ret;
}

/*
 * Of the other options, acl/noacl and user_xattr change at remount too;
 * the heartbeat mode may not (the others are kept as mounted, as stock).
 */
static int ocfs2_reconfigure(struct fs_context *fc)
{
	struct super_block *sb = fc->root->d_sb;
	struct ocfs2_mount_opts *opts = fc->fs_private;
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	int ret;

	ret = ocfs2_check_remount_opts(sb, opts);
	if (ret)
		return ret;
	ret = ocfs2_apply_acl_opt(sb, opts);
	if (ret)
		return ret;
	osb->opts.acl = opts->acl;
	osb->opts.nouser_xattr = opts->nouser_xattr;
	if (!((fc->sb_flags ^ sb->s_flags) & SB_RDONLY))
		return 0;
	if (fc->sb_flags & SB_RDONLY)
		return remount_ro(sb);
	return remount_rw(sb);
}

static void ocfs2_free_fc(struct fs_context *fc)
{
	kfree(fc->fs_private);
}

static const struct fs_context_operations ocfs2_context_ops = {
	.parse_param	= ocfs2_parse_param,
	.get_tree	= ocfs2_get_tree,
	.reconfigure	= ocfs2_reconfigure,
	.free		= ocfs2_free_fc,
};

static int ocfs2_init_fs_context(struct fs_context *fc)
{
	struct ocfs2_mount_opts *opts;

	opts = kmalloc(sizeof(*opts), GFP_KERNEL);
	if (!opts)
		return -ENOMEM;
	ocfs2_default_opts(opts);
	fc->fs_private = opts;
	fc->ops = &ocfs2_context_ops;
	return 0;
}

/*
 * Node-down scans and the orphan scan stop before the VFS evicts our
 * inodes, not in put_super (after it): a scan queued by a node leaving
 * during our unmount holds the superblock lock and reads system inodes
 * that the eviction may be freeing, while the eviction's own meta locks
 * wait for that scan (lab runs 20261127-155221 and -155230: umount in
 * ocfs2_slot_recovery_wait, the scan in iget of the slot map inode).
 * The slot of a node that died meanwhile is left to the other nodes.
 */
static void stop_cluster_work(struct super_block *sb)
{
	if (!sb->s_root)
		return;		/* the mount failed: nothing was started */
	ocfs2_orphan_scan_stop(sb);
	ocfs2_slot_recovery_stop(sb);
}

static void ocfs2_kill_sb(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	if (osb) {
		stop_cluster_work(sb);
		/* they hold dentries, which must all go at unmount */
		ocfs2_lookup_ahead_stop(osb);
	}
	kill_block_super(sb);
	/* after put_super: the lock domain that asked for checkpoints is gone */
	if (osb)
		ocfs2_checkpoint_exit(osb);
	kfree(osb);
}

static struct file_system_type ocfs2_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "ocfs2",
	.init_fs_context	= ocfs2_init_fs_context,
	.parameters		= ocfs2_param_specs,
	.kill_sb		= ocfs2_kill_sb,
	.fs_flags		= FS_REQUIRES_DEV,
};
MODULE_ALIAS_FS("ocfs2");

static int __init ocfs2_init(void)
{
	int ret;

	ret = ocfs2_init_inode_cache();
	if (ret)
		return ret;
	ocfs2_dlm_declare_protocol();
	ocfs2_lock_debug_init();
	ret = register_filesystem(&ocfs2_fs_type);
	if (ret)
		goto fail_register;
	return 0;

fail_register:
	ocfs2_lock_debug_exit();
	ocfs2_destroy_inode_cache();
	return ret;
}

static void __exit ocfs2_exit(void)
{
	unregister_filesystem(&ocfs2_fs_type);
	ocfs2_lock_debug_exit();
	ocfs2_destroy_inode_cache();
}

module_init(ocfs2_init);
module_exit(ocfs2_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("OCFS2-compatible filesystem");
/*
 * Stock's ocfs2 links against ocfs2_nodemanager, so loading it always
 * brings /sys/fs/o2cb/interface_revision, which ocfs2-tools' mount.ocfs2
 * reads before every cluster mount, on the user stack too.  We use none
 * of it: modprobe loads it first so those tools find the same files.
 */
MODULE_SOFTDEP("pre: ocfs2_nodemanager");
