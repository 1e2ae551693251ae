// SPDX-License-Identifier: GPL-2.0
/*
 * Inodes: reading an on-disk inode into the VFS (with validation), the
 * inode cache, eviction, and the per-inode cluster locks: the meta lock
 * (covers the inode block) and the open lock (tells other nodes the inode
 * is still open somewhere).  An inode number is its block number.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/posix_acl.h>
#include "ocfs2.h"

static struct kmem_cache *ocfs2_inode_cachep;
static struct kmem_cache *ocfs2_inode_locks_cachep;

static int meta_downconvert(struct ocfs2_lockres *res, int new_level);
static int meta_refresh(struct ocfs2_lockres *res);

const struct ocfs2_lock_type ocfs2_meta_lock_type = {
	.type_char	= 'M',
	.name		= "meta",
	.uses_lvb	= true,
	.downconvert	= meta_downconvert,
	.refresh	= meta_refresh,
	.set_lvb	= ocfs2_meta_set_lvb,
	.fair		= true,
};

static const struct ocfs2_lock_type ocfs2_open_lock_type = {
	.type_char	= 'O',
	.name		= "open",
};

const struct ocfs2_lock_type ocfs2_rw_lock_type = {
	.type_char	= 'W',
	.name		= "rw",
	.fair		= true,
};

static void init_once(void *p)
{
	struct ocfs2_inode_info *oi = p;

	inode_init_once(&oi->vfs_inode);
	init_rwsem(&oi->alloc_sem);
	mutex_init(&oi->promote_mutex);
}

int ocfs2_init_inode_cache(void)
{
	ocfs2_inode_cachep = kmem_cache_create("ocfs2_inode_cache",
					       sizeof(struct ocfs2_inode_info),
					       0, SLAB_RECLAIM_ACCOUNT |
					       SLAB_ACCOUNT,
					       init_once);
	if (!ocfs2_inode_cachep)
		return -ENOMEM;
	ocfs2_inode_locks_cachep = KMEM_CACHE(ocfs2_inode_locks, 0);
	if (ocfs2_inode_locks_cachep)
		return 0;
	kmem_cache_destroy(ocfs2_inode_cachep);
	return -ENOMEM;
}

void ocfs2_destroy_inode_cache(void)
{
	/* inodes are freed after an RCU grace period */
	rcu_barrier();
	kmem_cache_destroy(ocfs2_inode_cachep);
	kmem_cache_destroy(ocfs2_inode_locks_cachep);
}

struct inode *ocfs2_alloc_inode(struct super_block *sb)
{
	struct ocfs2_inode_info *oi;

	oi = alloc_inode_sb(sb, ocfs2_inode_cachep, GFP_NOFS);
	if (!oi)
		return NULL;
	oi->blkno = 0;
	oi->generation = 0;
	oi->flags = 0;
	oi->attr = 0;
	oi->dyn_features = 0;
	oi->clusters = 0;
	oi->dx_root = 0;
	oi->xattr_loc = 0;
	oi->fast_link = NULL;
	oi->ckpt_need = 0;
	atomic_set(&oi->unpublished, 0);
	/* i_sb is not set yet: read_inode() starts them */
	oi->sync_tid = 0;
	oi->datasync_tid = 0;
	ocfs2_meta_cache_init(&oi->vfs_inode);
	oi->il = NULL;
	oi->rw_lock.initialized = false;
	jbd2_journal_init_jbd_inode(&oi->jinode, &oi->vfs_inode);
	return &oi->vfs_inode;
}

void ocfs2_free_inode(struct inode *inode)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);

	kfree(oi->fast_link);
	ocfs2_meta_cache_forget(inode);
	kmem_cache_free(ocfs2_inode_cachep, oi);
}

/*
 * On a cluster mount another node may have removed the last name since we
 * looked: the meta lock brings the link count up to date, so the node
 * that lets the inode go last deletes it.  A fresh grant here does not
 * wait for a dead node's replay (meta_refresh): eviction runs in memory
 * reclaim, which may hold inodes that a node-down scan or recovery needs.
 * Reading before the replay can only show the last state another node
 * checkpointed: a count above 0 keeps the inode, and if the dead node
 * had unlinked it, the orphan pass of its recovery deletes it.  A count
 * of 0 is read again after the replay, before anything is deleted.
 * False: the inode must not be deleted now.
 */
static bool refresh_before_evict(struct inode *inode)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	bool ok;

	if (osb->locks.local || !osb->journal || sb_rdonly(inode->i_sb) ||
	    !inode->i_nlink || (oi->flags & OCFS2_SYSTEM_FL) ||
	    !oi->il)
		return true;
	if (ocfs2_inode_lock(inode, NULL, 0))
		return true;	/* the count stays above 0: kept */
	/* the count is 0 now: it waits for the replay and reads again */
	ok = inode->i_nlink || !meta_refresh(&oi->il->meta);
	ocfs2_inode_unlock(inode, 0);
	return ok;
}

/* A linked inode's eviction reads its count without waiting (above). */
static bool evicting_linked(const struct inode *inode)
{
	return (inode->i_state & I_FREEING) && inode->i_nlink;
}

/*
 * Deleting needs the open lock exclusive: a node that still has the
 * inode open holds it protected-read.  Never waits.
 */
bool ocfs2_open_lock_try_ex(struct inode *inode)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	int ret;

	if (OCFS2_SB(inode->i_sb)->locks.local || !oi->il ||
	    !oi->il->open.initialized)
		return true;
	ret = ocfs2_lock(&oi->il->open, OCFS2_LOCK_EX, OCFS2_LOCK_NOQUEUE);
	if (!ret)
		return true;
	if (ret == -EAGAIN)
		ocfs2_info(inode->i_sb, "inode %lu is still in use on another node, which deletes it when done",
			   inode->i_ino);
	else
		ocfs2_err(inode->i_sb, "inode %lu: open lock failed (error %d); not deleted now",
			  inode->i_ino, ret);
	return false;
}

void ocfs2_open_lock_drop_ex(struct inode *inode)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);

	if (!OCFS2_SB(inode->i_sb)->locks.local && oi->il &&
	    oi->il->open.initialized)
		ocfs2_unlock(&oi->il->open, OCFS2_LOCK_EX);
}

/*
 * With a handle open (an iput inside a transaction) the checkpoint could
 * not finish while we wait; such inodes are system files or were never
 * changed here, so asking is enough.
 */
static void release_checkpointed(struct inode *inode)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	u64 need = READ_ONCE(OCFS2_I(inode)->ckpt_need);

	if (osb->locks.local || ocfs2_checkpointed(osb, need))
		return;
	if (journal_current_handle())
		ocfs2_checkpoint_kick(osb);
	else
		ocfs2_checkpoint_wait(osb, need);
}

/*
 * Deleting holds the NFS sync lock shared, outside every other lock of
 * the delete as on stock nodes (see its type in super.c).  Returns
 * whether the inode was wiped.
 */
static bool delete_now(struct inode *inode)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	int ret;

	ret = ocfs2_lock(&osb->nfs_sync_lock, OCFS2_LOCK_PR, 0);
	if (ret) {
		ocfs2_err(inode->i_sb, "inode %lu: NFS sync lock failed (error %d); it stays in the orphan directory",
			  inode->i_ino, ret);
		return false;
	}
	ocfs2_delete_inode(inode);
	ocfs2_unlock(&osb->nfs_sync_lock, OCFS2_LOCK_PR);
	return !(OCFS2_I(inode)->flags & OCFS2_VALID_FL);
}

static void free_inode_locks(struct ocfs2_inode_locks *il)
{
	ocfs2_lockres_free(&il->open);
	ocfs2_lockres_free(&il->meta);
	kmem_cache_free(ocfs2_inode_locks_cachep, il);
}

/* A kept group given back (lock_keep.c): its locks are freed already. */
static void free_kept_inode_locks(struct ocfs2_kept *kept)
{
	kmem_cache_free(ocfs2_inode_locks_cachep,
			container_of(kept, struct ocfs2_inode_locks, kept));
}

/*
 * Cluster mounts with ocfs2.kept_locks: the locks of an inode that still
 * has names outlive it, for its next iget (lock_keep.c).  Not for one
 * being deleted or orphaned, nor a system file.  An exclusive meta lock
 * only once what it covered is checkpointed (release_checkpointed waited
 * for it), so giving it back later needs no journal.  At unmount
 * (SB_ACTIVE clear) nothing is kept.
 */
static bool keep_inode_locks(struct inode *inode, bool wiped)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct ocfs2_kept *kept = &oi->il->kept;

	if (osb->locks.local || wiped || !inode->i_nlink ||
	    is_bad_inode(inode) || !(inode->i_sb->s_flags & SB_ACTIVE) ||
	    !(oi->flags & OCFS2_VALID_FL) ||
	    (oi->flags & (OCFS2_ORPHANED_FL | OCFS2_SYSTEM_FL)) ||
	    !oi->il->open.initialized)
		return false;
	kept->res[0] = &oi->il->meta;
	kept->max_level[0] = ocfs2_checkpointed(osb, READ_ONCE(oi->ckpt_need)) ?
			     OCFS2_LOCK_EX : OCFS2_LOCK_PR;
	kept->res[1] = &oi->il->open;
	kept->max_level[1] = OCFS2_LOCK_PR;
	kept->nr = 2;
	kept->owner = oi;
	kept->free = free_kept_inode_locks;
	return ocfs2_lock_keep(kept);
}

void ocfs2_evict_inode(struct inode *inode)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	bool wiped = false;

	if (refresh_before_evict(inode) &&
	    !inode->i_nlink && (oi->flags & OCFS2_ORPHANED_FL) &&
	    (oi->flags & OCFS2_VALID_FL) &&
	    OCFS2_SB(inode->i_sb)->journal && !sb_rdonly(inode->i_sb))
		wiped = delete_now(inode);
	truncate_inode_pages_final(&inode->i_data);
	if (OCFS2_SB(inode->i_sb)->journal)
		jbd2_journal_release_jbd_inode(OCFS2_SB(inode->i_sb)->journal,
					       &oi->jinode);
	clear_inode(inode);
	/*
	 * The lock goes with the inode: what it covered must be home first.
	 * Not for an inode deleted here: its block now belongs to its
	 * allocator, whose lock (taken by whoever allocates it again) waits
	 * for the same checkpoint; stock skips it the same way.
	 */
	if (!wiped)
		release_checkpointed(inode);
	if (oi->il && oi->il->open.initialized)
		ocfs2_unlock(&oi->il->open, OCFS2_LOCK_PR);
	ocfs2_lockres_free(&oi->rw_lock);
	/* a directory's names made here stay unseen until theirs are ours */
	ocfs2_lock_new_wait(&OCFS2_SB(inode->i_sb)->locks, &oi->unpublished);
	if (oi->il && !keep_inode_locks(inode, wiped))
		free_inode_locks(oi->il);
	oi->il = NULL;
	ocfs2_meta_cache_forget(inode);
}

/*
 * The names stock nodes use, or the two never meet on a lock: the meta
 * lock of a system file carries the volume's fs generation, that of any
 * other inode generation 0 (a reused inode block finds its new
 * generation on disk under the lock); the open lock always 0; only the
 * rw lock carries the inode's generation.
 */
static int init_inode_locks(struct inode *inode,
			    const struct ocfs2_dinode *di)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_lock_domain *dom = &osb->locks;
	bool system = le32_to_cpu(di->i_flags) & OCFS2_SYSTEM_FL;
	bool queued = !system && !S_ISDIR(le16_to_cpu(di->i_mode));
	char name[OCFS2_LOCK_NAME_MAX];
	unsigned int len;

	len = ocfs2_lock_name(name, 'W', oi->blkno, oi->generation);
	ocfs2_lockres_init(&oi->rw_lock, dom, &ocfs2_rw_lock_type, oi,
			   name, len);
	if (queued)
		ocfs2_lockres_attach_queued(&oi->rw_lock);
	if (oi->il)
		return 0;	/* adopted (adopt_inode_locks) */
	oi->il = kmem_cache_alloc(ocfs2_inode_locks_cachep, GFP_NOFS);
	if (!oi->il)
		return -ENOMEM;
	len = ocfs2_lock_name(name, 'M', oi->blkno,
			      system ? osb->fs_generation : 0);
	ocfs2_lockres_init(&oi->il->meta, dom, &ocfs2_meta_lock_type, oi,
			   name, len);
	len = ocfs2_lock_name(name, 'O', oi->blkno, 0);
	ocfs2_lockres_init(&oi->il->open, dom, &ocfs2_open_lock_type, oi,
			   name, len);
	/* the open lock is only ever converted by a delete's trylock */
	ocfs2_lockres_attach_queued(&oi->il->open);
	if (queued)
		ocfs2_lockres_attach_queued(&oi->il->meta);
	return 0;
}

/*
 * Cluster mounts: the meta and open locks kept from this inode's last
 * eviction (keep_inode_locks), with no DLM request.  A system file's
 * meta lock has another name and is never kept.  True: the meta lock is
 * held protected-read now, taken without a wait, so it has been ours
 * without a break since this node last read the inode block under it
 * (every grant from NL reads it again): the block cached or read from
 * here on is current, and read_inode need not read it again.
 */
static bool adopt_inode_locks(struct inode *inode)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct ocfs2_lock_domain *dom = &OCFS2_SB(inode->i_sb)->locks;
	char name[OCFS2_LOCK_NAME_MAX];
	struct ocfs2_kept *kept;
	unsigned int len;

	if (dom->local)
		return false;
	len = ocfs2_lock_name(name, 'M', oi->blkno, 0);
	kept = ocfs2_lock_adopt(dom, name, len, oi);
	if (!kept)
		return false;
	oi->il = container_of(kept, struct ocfs2_inode_locks, kept);
	return !ocfs2_lock(&oi->il->meta, OCFS2_LOCK_PR, OCFS2_LOCK_NONBLOCK);
}

/*
 * The meta lock guards the inode block; holders get the block, checked.
 * A cluster domain will refresh the VFS inode here when another node
 * changed it; a local domain never needs to.
 */
static int inode_lock_flags(struct inode *inode, struct buffer_head **bhp,
			    int ex, unsigned int flags)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	int level = ex ? OCFS2_LOCK_EX : OCFS2_LOCK_PR;
	struct ocfs2_dinode *di;
	int ret;

	ret = ocfs2_lock(&oi->il->meta, level, flags);
	if (ret || !bhp)
		return ret;
	ret = ocfs2_read_covered(inode, oi->blkno, OCFS2_BLOCK_DINODE, bhp);
	if (ret)
		goto fail;
	di = (struct ocfs2_dinode *)(*bhp)->b_data;
	if (le32_to_cpu(di->i_generation) != oi->generation) {
		brelse(*bhp);
		*bhp = NULL;
		ret = -ESTALE;
		goto fail;
	}
	return 0;
fail:
	ocfs2_unlock(&oi->il->meta, level);
	return ret;
}

int ocfs2_inode_lock(struct inode *inode, struct buffer_head **bhp, int ex)
{
	return inode_lock_flags(inode, bhp, ex, 0);
}

/* A system call's first lock (see ocfs2_syscall_lock_flags). */
int ocfs2_inode_lock_syscall(struct inode *inode, struct buffer_head **bhp,
			     int ex)
{
	return inode_lock_flags(inode, bhp, ex,
				ocfs2_syscall_lock_flags(OCFS2_SB(inode->i_sb)));
}

/* Protected-read or -EAGAIN, for callers holding page locks. */
int ocfs2_inode_lock_nonblock(struct inode *inode, struct buffer_head **bhp)
{
	return inode_lock_flags(inode, bhp, 0, OCFS2_LOCK_NONBLOCK);
}

/*
 * An exclusive holder may have journaled changes: they are home for
 * other nodes once the checkpoint count passes what it is now.
 */
void ocfs2_inode_unlock(struct inode *inode, int ex)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_inode_info *oi = OCFS2_I(inode);

	if (ex && !osb->locks.local)
		WRITE_ONCE(oi->ckpt_need, ocfs2_checkpoint_seq(osb));
	ocfs2_unlock(&oi->il->meta, ex ? OCFS2_LOCK_EX : OCFS2_LOCK_PR);
}

static void fill_times(struct inode *inode, const struct ocfs2_dinode *di)
{
	struct timespec64 a, m, c;

	a.tv_sec = le64_to_cpu(di->i_atime);
	a.tv_nsec = le32_to_cpu(di->i_atime_nsec);
	m.tv_sec = le64_to_cpu(di->i_mtime);
	m.tv_nsec = le32_to_cpu(di->i_mtime_nsec);
	c.tv_sec = le64_to_cpu(di->i_ctime);
	c.tv_nsec = le32_to_cpu(di->i_ctime_nsec);
	kc_inode_set_times(inode, a, m, c);
}

/* The attributes setattr changes, back into the inode block. */
void ocfs2_inode_to_disk(struct inode *inode, struct ocfs2_dinode *di)
{
	struct timespec64 a, m, c;

	kc_inode_get_times(inode, &a, &m, &c);
	di->i_mode = cpu_to_le16(inode->i_mode);
	di->i_uid = cpu_to_le32(i_uid_read(inode));
	di->i_gid = cpu_to_le32(i_gid_read(inode));
	di->i_atime = cpu_to_le64(a.tv_sec);
	di->i_atime_nsec = cpu_to_le32(a.tv_nsec);
	di->i_mtime = cpu_to_le64(m.tv_sec);
	di->i_mtime_nsec = cpu_to_le32(m.tv_nsec);
	di->i_ctime = cpu_to_le64(c.tv_sec);
	di->i_ctime_nsec = cpu_to_le32(c.tv_nsec);
}

/* A directory changed: new mtime and ctime, in memory and in @di. */
void ocfs2_touch_dir(struct inode *dir, struct ocfs2_dinode *di)
{
	struct timespec64 a, m, c;

	kc_inode_get_times(dir, &a, &m, &c);
	ktime_get_coarse_real_ts64(&m);
	c = m;
	kc_inode_set_times(dir, a, m, c);
	ocfs2_inode_to_disk(dir, di);
}

void ocfs2_set_links(struct ocfs2_dinode *di, unsigned int nlink)
{
	di->i_links_count = cpu_to_le16(nlink & 0xffff);
	di->i_links_count_hi = cpu_to_le16(nlink >> OCFS2_LINKS_HI_SHIFT);
}

static void fill_common(struct inode *inode, const struct ocfs2_dinode *di)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	unsigned int nlink;

	oi->generation = le32_to_cpu(di->i_generation);
	oi->flags = le32_to_cpu(di->i_flags);
	oi->attr = le32_to_cpu(di->i_attr);
	oi->dyn_features = le16_to_cpu(di->i_dyn_features);
	oi->clusters = le32_to_cpu(di->i_clusters);
	oi->dx_root = le64_to_cpu(di->i_dx_root);
	oi->xattr_loc = le64_to_cpu(di->i_xattr_loc);

	inode->i_mode = le16_to_cpu(di->i_mode);
	i_uid_write(inode, le32_to_cpu(di->i_uid));
	i_gid_write(inode, le32_to_cpu(di->i_gid));
	nlink = le16_to_cpu(di->i_links_count) |
		(le16_to_cpu(di->i_links_count_hi) << OCFS2_LINKS_HI_SHIFT);
	set_nlink(inode, nlink);
	inode->i_size = le64_to_cpu(di->i_size);
	inode->i_generation = oi->generation;
	inode->i_blocks = ocfs2_inode_is_inline(inode) ? 0 :
		(u64)oi->clusters << (osb->cluster_bits - 9);
	fill_times(inode, di);
	ocfs2_apply_attr_flags(inode);
}

static int check_sizes(struct inode *inode, const struct ocfs2_dinode *di)
{
	if (ocfs2_inode_is_inline(inode) &&
	    inode->i_size > le16_to_cpu(di->id2.i_data.id_count))
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: inline size %lld over capacity %u",
				      inode->i_ino, inode->i_size,
				      le16_to_cpu(di->id2.i_data.id_count));
	if (inode->i_size < 0)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: negative size", inode->i_ino);
	return 0;
}

static int setup_fast_symlink(struct inode *inode,
			      const struct ocfs2_dinode *di)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	unsigned int max = ocfs2_fast_symlink_chars(inode->i_sb->s_blocksize);

	if (inode->i_size >= max || !inode->i_size)
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu: fast symlink length %lld, limit %u",
				      inode->i_ino, inode->i_size, max);
	oi->fast_link = kmemdup_nul((const char *)di->id2.i_symlink,
				    inode->i_size, GFP_NOFS);
	if (!oi->fast_link)
		return -ENOMEM;
	inode->i_link = oi->fast_link;
	inode->i_op = &ocfs2_fast_symlink_iops;
	return 0;
}

static int set_ops(struct inode *inode, const struct ocfs2_dinode *di)
{
	inode->i_mapping->a_ops = &ocfs2_aops;
	switch (inode->i_mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &ocfs2_file_iops;
		inode->i_fop = &ocfs2_file_fops;
		return 0;
	case S_IFDIR:
		inode->i_op = &ocfs2_dir_iops;
		inode->i_fop = &ocfs2_dir_fops;
		return 0;
	case S_IFLNK:
		if (!OCFS2_I(inode)->clusters && !ocfs2_inode_is_inline(inode))
			return setup_fast_symlink(inode, di);
		inode->i_op = &ocfs2_symlink_iops;
		inode_nohighmem(inode);
		return 0;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		inode->i_op = &ocfs2_special_iops;
		init_special_inode(inode, inode->i_mode,
				   huge_decode_dev(le64_to_cpu(di->id1.dev1.i_rdev)));
		return 0;
	}
	return ocfs2_fs_error(inode->i_sb, __func__,
			      "inode %lu: bad mode 0%o", inode->i_ino,
			      inode->i_mode);
}

/*
 * The rw lock's name carries the generation, read before any lock from a
 * copy that may be old: under the meta lock the inode may turn out to be
 * a newer one in the same block, which the rw lock must then name.
 */
static void rename_rw_lock(struct inode *inode)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	char name[OCFS2_LOCK_NAME_MAX];
	unsigned int len;

	ocfs2_lockres_free(&oi->rw_lock);
	len = ocfs2_lock_name(name, 'W', oi->blkno, oi->generation);
	ocfs2_lockres_init(&oi->rw_lock, &OCFS2_SB(inode->i_sb)->locks,
			   &ocfs2_rw_lock_type, oi, name, len);
	if (READ_ONCE(oi->il->meta.flags) & OCFS2_LRF_ATTACH_QUEUED)
		ocfs2_lockres_attach_queued(&oi->rw_lock);
}

/*
 * Cluster mounts: the inode block as it is under the meta lock (PR,
 * held by the caller), replacing the copy *@bhp the locks were named
 * from.  Gone meanwhile (its last name removed on another node since
 * the directory was read): -ESTALE, not damage.
 */
static int reread_locked(struct inode *inode, struct buffer_head **bhp)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	u32 hinted = oi->generation;
	struct ocfs2_dinode *di;
	int ret;

	brelse(*bhp);
	*bhp = NULL;
	ret = ocfs2_read_covered(inode, oi->blkno, OCFS2_BLOCK_DINODE, bhp);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)(*bhp)->b_data;
	if (!(le32_to_cpu(di->i_flags) & OCFS2_VALID_FL))
		return -ESTALE;
	oi->generation = le32_to_cpu(di->i_generation);
	if (oi->generation != hinted)
		rename_rw_lock(inode);
	return 0;
}

/*
 * The VFS inode from *@bhp, the copy its locks were named from.  A system
 * file may be another slot's journal, which its node keeps locked
 * exclusive for the whole mount: system files are read as they are, as
 * stock does, and read again under the lock when used.  Other inodes are
 * read again under the meta lock on a cluster mount.
 */
static int fill_inode(struct inode *inode, struct buffer_head **bhp,
		      bool held)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)(*bhp)->b_data;
	bool locked = !held && !(le32_to_cpu(di->i_flags) & OCFS2_SYSTEM_FL);
	int ret;

	if (locked) {
		ret = ocfs2_lock(&oi->il->meta, OCFS2_LOCK_PR, 0);
		if (ret)
			return ret;
	}
	if (locked && !OCFS2_SB(inode->i_sb)->locks.local) {
		ret = reread_locked(inode, bhp);
		if (ret)
			goto out;
		di = (struct ocfs2_dinode *)(*bhp)->b_data;
	}
	fill_common(inode, di);
	ret = check_sizes(inode, di);
	if (!ret)
		ret = set_ops(inode, di);
out:
	if (locked)
		ocfs2_unlock(&oi->il->meta, OCFS2_LOCK_PR);
	return ret;
}

/*
 * The inode block as read before any lock (ocfs2_read_inode_hint).  A
 * name that leads to a freed inode is damage, never a new file.
 */
static int read_valid_inode(struct inode *inode, const char *what,
			    struct buffer_head **bhp)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct ocfs2_dinode *di;
	int ret;

	ret = ocfs2_read_inode_hint(inode->i_sb, oi->blkno, bhp);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)(*bhp)->b_data;
	if (!(le32_to_cpu(di->i_flags) & OCFS2_VALID_FL)) {
		brelse(*bhp);
		*bhp = NULL;
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "%s %llu is not in use (its valid flag is clear)",
				      what, (unsigned long long)oi->blkno);
	}
	oi->generation = le32_to_cpu(di->i_generation);
	return init_inode_locks(inode, di);
}

static int read_inode(struct inode *inode)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct ocfs2_lock_ahead open_ahead;
	struct buffer_head *bh = NULL;
	bool held;
	int ret;

	oi->blkno = inode->i_ino;
	/* hashed now: changes from here on are noted (journal.c) */
	ocfs2_inode_tids_init(inode);
	held = adopt_inode_locks(inode);
	/* inodes of one directory were mostly allocated one after another */
	ocfs2_meta_readahead(inode->i_sb, oi->blkno, OCFS2_INODE_READAHEAD);
	ret = read_valid_inode(inode, "inode", &bh);
	if (ret)
		goto out;
	/*
	 * Held while the inode is cached: other nodes see it open.  Asked
	 * for alongside the meta lock (stock takes it first, before the meta
	 * lock): neither answer depends on the other.
	 */
	ocfs2_lock_ahead_start(&open_ahead, &oi->il->open, OCFS2_LOCK_PR);
	ret = fill_inode(inode, &bh, held);
	if (!ret)
		ret = ocfs2_lock_ahead_wait(&open_ahead);
	else
		ocfs2_lock_ahead_drop(&open_ahead);
	if (ret)
		ocfs2_lockres_free(&oi->il->open);
out:
	brelse(bh);
	if (held)
		ocfs2_unlock(&oi->il->meta, OCFS2_LOCK_PR);
	return ret;
}

/*
 * An inode create_common just wrote (see ocfs2_iget_new): our own copy
 * of the block, no lock waited for.  Locks kept under its name (none
 * can be: a deleter of the block's last inode took its meta lock from
 * us) are adopted, and lock_new then waits for them the ordinary way.
 */
static int read_new_inode(struct inode *inode, atomic_t *unpublished)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct buffer_head *bh;
	struct ocfs2_dinode *di;
	bool held;
	int ret;

	oi->blkno = inode->i_ino;
	/*
	 * The create's own transaction dirtied this block before the inode
	 * was hashed, so journal.c could not note it: start from the newest
	 * tid, or a datasync would skip the commit that holds the create.
	 */
	ocfs2_inode_tids_init(inode);
	held = adopt_inode_locks(inode);
	if (held)
		ocfs2_unlock(&oi->il->meta, OCFS2_LOCK_PR);
	ret = read_valid_inode(inode, "new inode", &bh);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	fill_common(inode, di);
	ret = check_sizes(inode, di);
	if (!ret)
		ret = set_ops(inode, di);
	brelse(bh);
	/* exclusive, as stock makes them: the creator goes on changing it */
	if (!ret)
		ret = ocfs2_lock_new(&oi->il->meta, OCFS2_LOCK_EX, false,
				     unpublished);
	/* held while the inode is cached, as read_inode's */
	if (!ret)
		ret = ocfs2_lock_new(&oi->il->open, OCFS2_LOCK_PR, true,
				     unpublished);
	if (ret) {
		ocfs2_lockres_free(&oi->il->open);
		return ret;
	}
	/* the create's transaction: home before the meta lock goes down */
	WRITE_ONCE(oi->ckpt_need, ocfs2_checkpoint_seq(osb));
	return 0;
}

/*
 * The inode of a name just made in @dir under its exclusive lock, which
 * is still ours: nobody else can know the inode yet, so its locks are
 * asked for and not waited for (ocfs2_lock_new), counted against @dir.
 * An inode cached already is returned as ocfs2_iget would.
 */
struct inode *ocfs2_iget_new(struct inode *dir, u64 blkno)
{
	struct inode *inode;
	int ret;

	inode = iget_locked(dir->i_sb, blkno);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW))
		return inode;
	ret = read_new_inode(inode, &OCFS2_I(dir)->unpublished);
	if (ret) {
		iget_failed(inode);
		return ERR_PTR(ret);
	}
	unlock_new_inode(inode);
	return inode;
}

struct inode *ocfs2_iget(struct super_block *sb, u64 blkno)
{
	struct inode *inode;
	int ret;

	if (!ocfs2_blkno_valid(OCFS2_SB(sb), blkno)) {
		ret = ocfs2_fs_error(sb, __func__,
				     "inode number %llu outside the volume",
				     (unsigned long long)blkno);
		return ERR_PTR(ret);
	}
	inode = iget_locked(sb, blkno);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW))
		return inode;
	ret = read_inode(inode);
	if (ret) {
		iget_failed(inode);
		return ERR_PTR(ret);
	}
	unlock_new_inode(inode);
	return inode;
}

/* off: the pages are written and waited for before the checkpoint starts */
static bool downconvert_overlap = true;
module_param(downconvert_overlap, bool, 0644);
MODULE_PARM_DESC(downconvert_overlap,
		 "giving up an exclusive meta lock, write a file's pages while the journal is checkpointed (default on)");

/*
 * Another node wants the meta lock.  Data it will read must be on disk
 * (write back the page cache), and if it may write, our cached pages go;
 * metadata changed under an exclusive lock must be checkpointed home,
 * since other nodes read the inode and its blocks from disk.  This runs
 * in the downconvert thread, which must not flush the journal itself: it
 * asks for a checkpoint and is called again once one is done.
 */
static int meta_downconvert(struct ocfs2_lockres *res, int new_level)
{
	struct ocfs2_inode_info *oi = res->owner;
	struct inode *inode = &oi->vfs_inode;
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct address_space *mapping = inode->i_mapping;
	bool data = S_ISREG(inode->i_mode) || S_ISLNK(inode->i_mode);
	int ret = 0;

	/*
	 * Names made here whose locks are not granted yet: nobody may read
	 * them before.  new_granted retries us when the last one came.
	 */
	if (res->level == OCFS2_LOCK_EX && atomic_read(&oi->unpublished))
		return -EAGAIN;
	if (res->level == OCFS2_LOCK_EX) {
		bool home = ocfs2_checkpointed(osb, READ_ONCE(oi->ckpt_need));

		/*
		 * The pages and the checkpoint go to disk independently:
		 * started together they overlap, and the call after the
		 * checkpoint waits for the pages.
		 */
		if (data && !home && READ_ONCE(downconvert_overlap))
			filemap_fdatawrite(mapping);
		else if (data)
			ret = filemap_write_and_wait(mapping);
		if (!home) {
			ocfs2_checkpoint_kick(osb);
			return -EAGAIN;
		}
	}
	if (new_level == OCFS2_LOCK_NL) {
		if (data) {
			unmap_mapping_range(mapping, 0, 0, 0);
			truncate_inode_pages(mapping, 0);
		}
		/* other nodes may change its blocks from now on */
		ocfs2_meta_cache_forget(inode);
	}
	return ret;
}

/*
 * The lock came back after another node may have changed the inode:
 * reload it from disk (writers checkpoint before they let go, so the disk
 * is current; the LVB is only checked, meta_lvb.c, so a bad one cannot
 * mislead us).  A
 * new generation means the inode was deleted and its block reused.
 */
static int meta_refresh(struct ocfs2_lockres *res)
{
	struct ocfs2_inode_info *oi = res->owner;
	struct inode *inode = &oi->vfs_inode;
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	umode_t type = inode->i_mode & S_IFMT;
	int ret;

	/* a dead node's journal may still rewrite what we are about to read */
	if (!evicting_linked(inode)) {
		ret = ocfs2_slot_recovery_wait(OCFS2_SB(inode->i_sb));
		if (ret)
			return ret;
	}
	ocfs2_meta_cache_forget(inode);
	if (inode->i_state & I_NEW)
		return 0;	/* read_inode fills it under this lock */
	ret = ocfs2_read_covered(inode, oi->blkno, OCFS2_BLOCK_DINODE, &bh);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	if (le32_to_cpu(di->i_generation) != oi->generation ||
	    !(le32_to_cpu(di->i_flags) & OCFS2_VALID_FL)) {
		/* deleted on another node: nothing here may use it */
		clear_nlink(inode);
		oi->flags &= ~OCFS2_VALID_FL;
		brelse(bh);
		return 0;
	}
	if ((le16_to_cpu(di->i_mode) & S_IFMT) != type) {
		brelse(bh);
		return ocfs2_fs_error(inode->i_sb, __func__,
				      "inode %lu changed type on disk",
				      inode->i_ino);
	}
	ocfs2_meta_check_lvb(inode, di);
	fill_common(inode, di);
	/* its ACLs may have changed with it */
	forget_all_cached_acls(inode);
	brelse(bh);
	return 0;
}

/* Attributes another node changed reach us when the meta lock is taken. */
int ocfs2_getattr(struct kc_idmap *idmap, const struct path *path,
		  struct kstat *stat, u32 mask, unsigned int flags)
{
	struct inode *inode = d_inode(path->dentry);
	int ret;

	ret = ocfs2_inode_lock_syscall(inode, NULL, 0);
	if (ret)
		return ret;
	kc_generic_fillattr(idmap, mask, inode, stat);
	ocfs2_inode_unlock(inode, 0);
	return 0;
}
