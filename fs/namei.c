// SPDX-License-Identifier: GPL-2.0
/*
 * Directory inode operations: lookup (the name is read under the
 * directory's meta lock and the dentry gets its dentry lock), and
 * creating files, directories, device nodes, fast symlinks and hard links
 * in inline directories, and removing them (unlink, rmdir) through the
 * orphan directory.  Rename lives in rename.c.
 */
#include <linux/module.h>
#include <linux/random.h>
#include "ocfs2.h"
#include "refcount.h"

/*
 * parent inode block, allocator inode and group, the new inode block,
 * and a name in a block directory: its block, index root and leaf, and
 * the free-list block before it
 */
#define OCFS2_DIR_NAME_CREDITS	4
#define OCFS2_CREATE_CREDITS	(4 + OCFS2_DIR_NAME_CREDITS)
/* an xattr block for inherited ACLs: the block, its allocator and group, a new group */
#define OCFS2_ACL_CREATE_CREDITS	8

/*
 * The inode @q names in @dir (locked), or NULL; with an inode, its dentry
 * lock is on its way in @da (asked for before the inode is read).
 */
static struct inode *lookup_inode(struct inode *dir, const struct qstr *q,
				  struct ocfs2_dentry_ahead *da)
{
	struct ocfs2_dir_match match;
	struct inode *inode;
	int ret;

	ret = ocfs2_find_entry(dir, q->name, q->len, &match);
	if (ret == -ENOENT)
		return NULL;
	if (ret)
		return ERR_PTR(ret);
	if (match.ino == OCFS2_I(dir)->blkno) {
		ret = ocfs2_fs_error(dir->i_sb, __func__,
				     "directory %lu: entry \"%.*s\" points at the directory itself",
				     dir->i_ino, q->len, q->name);
		return ERR_PTR(ret);
	}
	ret = ocfs2_dentry_lock_start(da, dir->i_sb, OCFS2_I(dir)->blkno,
				      match.ino);
	if (ret)
		return ERR_PTR(ret);
	inode = ocfs2_iget(dir->i_sb, match.ino);
	if (IS_ERR(inode))
		ocfs2_dentry_lock_finish(da, NULL);
	return inode;
}

static struct dentry *ocfs2_lookup(struct inode *dir, struct dentry *dentry,
				   unsigned int flags)
{
	struct ocfs2_dentry_ahead da;
	struct dentry *alias;
	struct inode *inode;
	int ret;

	if (dentry->d_name.len > OCFS2_MAX_FILENAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	ret = ocfs2_inode_lock_syscall(dir, NULL, 0);
	if (ret)
		return ERR_PTR(ret);
	inode = lookup_inode(dir, &dentry->d_name, &da);
	if (IS_ERR(inode)) {
		alias = ERR_CAST(inode);
		goto out;
	}
	alias = d_splice_alias(inode, dentry);
	if (!inode)
		goto out;
	if (IS_ERR(alias)) {
		ocfs2_dentry_lock_finish(&da, NULL);
		goto out;
	}
	ret = ocfs2_dentry_lock_finish(&da, alias ? alias : dentry);
	if (ret) {
		dput(alias);
		alias = ERR_PTR(ret);
		goto out;
	}
	ocfs2_lookup_ahead(dir, dentry);
out:
	ocfs2_inode_unlock(dir, 0);
	return alias;
}

struct new_inode_args {
	umode_t		mode;
	dev_t		rdev;
	const char	*symname;
	kuid_t		uid;
	kgid_t		gid;
	struct ocfs2_new_acls acls;	/* inherited from the parent */
};

static void owner_for(struct inode *dir, struct new_inode_args *a)
{
	a->uid = current_fsuid();
	if (dir->i_mode & S_ISGID) {
		a->gid = dir->i_gid;
		if (S_ISDIR(a->mode))
			a->mode |= S_ISGID;
	} else {
		a->gid = current_fsgid();
	}
}

static bool long_symlink(struct super_block *sb,
			 const struct new_inode_args *a)
{
	return S_ISLNK(a->mode) &&
	       strlen(a->symname) >= ocfs2_fast_symlink_chars(sb->s_blocksize);
}

static void fill_body(struct super_block *sb, struct ocfs2_dinode *di,
		      u64 parent, const struct new_inode_args *a)
{
	unsigned int bs = sb->s_blocksize;
	size_t len;

	if (S_ISDIR(a->mode)) {
		di->i_dyn_features = cpu_to_le16(OCFS2_INLINE_DATA_FL);
		ocfs2_dir_init_inline(di, le64_to_cpu(di->i_blkno), parent,
				      ocfs2_max_inline_data(bs));
		return;
	}
	if (S_ISLNK(a->mode)) {
		len = strlen(a->symname);
		/* a long target goes to blocks (write_new_dinode) */
		if (!long_symlink(sb, a))
			memcpy(di->id2.i_symlink, a->symname, len);
		di->i_size = cpu_to_le64(len);
		return;
	}
	if (S_ISCHR(a->mode) || S_ISBLK(a->mode))
		di->id1.dev1.i_rdev = cpu_to_le64(huge_encode_dev(a->rdev));
	di->id2.i_list.l_count = cpu_to_le16(ocfs2_extent_recs_per_inode(bs));
}

static void fill_new_dinode(struct super_block *sb, struct ocfs2_dinode *di,
			    const struct ocfs2_claim *claim, u64 parent,
			    const struct new_inode_args *a)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct timespec64 now;

	ktime_get_coarse_real_ts64(&now);
	memset(di, 0, sb->s_blocksize);
	memcpy(di->i_signature, OCFS2_INODE_SIGNATURE,
	       sizeof(OCFS2_INODE_SIGNATURE));
	spin_lock(&osb->gen_lock);
	di->i_generation = cpu_to_le32(osb->next_generation++);
	spin_unlock(&osb->gen_lock);
	di->i_fs_generation = cpu_to_le32(osb->fs_generation);
	di->i_blkno = cpu_to_le64(claim->blkno);
	di->i_suballoc_slot = cpu_to_le16(claim->slot);
	di->i_suballoc_bit = cpu_to_le16(claim->bit);
	di->i_suballoc_loc = cpu_to_le64(claim->loc);
	di->i_uid = cpu_to_le32(from_kuid(&init_user_ns, a->uid));
	di->i_gid = cpu_to_le32(from_kgid(&init_user_ns, a->gid));
	di->i_mode = cpu_to_le16(a->mode);
	ocfs2_set_links(di, S_ISDIR(a->mode) ? 2 : 1);
	di->i_flags = cpu_to_le32(OCFS2_VALID_FL);
	di->i_atime = di->i_mtime = di->i_ctime = cpu_to_le64(now.tv_sec);
	di->i_atime_nsec = di->i_mtime_nsec = di->i_ctime_nsec =
		cpu_to_le32(now.tv_nsec);
	fill_body(sb, di, parent, a);
}

static int write_new_dinode(handle_t *handle, struct inode *dir,
			    const struct ocfs2_claim *claim,
			    const struct new_inode_args *a,
			    struct buffer_head *acl_bh)
{
	struct super_block *sb = dir->i_sb;
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	int ret;

	/*
	 * Not read from disk: every byte is written below.  A cached copy
	 * may still belong to a committing transaction (an inode freed
	 * there), so jbd2 is always asked for write access, never create
	 * access, and that needs an up-to-date buffer; a copy jbd2 holds
	 * always is one.
	 */
	bh = sb_getblk(sb, claim->blkno);
	if (!bh)
		return -ENOMEM;
	if (!buffer_uptodate(bh)) {
		lock_buffer(bh);
		if (!buffer_uptodate(bh)) {
			memset(bh->b_data, 0, bh->b_size);
			set_buffer_uptodate(bh);
		}
		unlock_buffer(bh);
	}
	/* metadata from now on, whatever the cached copy held (metaecc.c) */
	set_buffer_ocfs2_meta(bh);
	ret = ocfs2_journal_access(handle, bh);
	if (!ret) {
		di = (struct ocfs2_dinode *)bh->b_data;
		fill_new_dinode(sb, di, claim, OCFS2_I(dir)->blkno, a);
		if (long_symlink(sb, a))
			ret = ocfs2_symlink_write_target(handle, sb, di,
							 a->symname);
		if (!ret)
			ret = ocfs2_acl_init_dinode(handle, sb, di, &a->acls,
						    acl_bh);
		ocfs2_journal_dirty(handle, bh);
	}
	brelse(bh);
	return ret;
}

/* A new subdirectory's ".." is one more link to the parent. */
static int link_parent(handle_t *handle, struct inode *dir,
		       struct buffer_head *dir_bh)
{
	int ret = ocfs2_journal_access(handle, dir_bh);

	if (ret)
		return ret;
	inc_nlink(dir);
	ocfs2_set_links((struct ocfs2_dinode *)dir_bh->b_data, dir->i_nlink);
	ocfs2_journal_dirty(handle, dir_bh);
	return 0;
}

/*
 * @alloc locked exclusive; 1 if it has a free bit, 0 if full.  A full one
 * unlocked unless @keep_full.
 */
static int lock_if_free(struct inode *alloc, bool keep_full)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	bool free;
	int ret;

	ret = ocfs2_inode_lock(alloc, &bh, 1);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	free = le32_to_cpu(di->id1.bitmap1.i_used) <
	       le32_to_cpu(di->id1.bitmap1.i_total);
	brelse(bh);
	if (!free && !keep_full)
		ocfs2_inode_unlock(alloc, 1);
	return free;
}

/*
 * The inode allocator of @slot (-1: ours), locked before the transaction
 * (see alloc_lock.c).  Ours is always tried: a full one grows by a new
 * group, so *@full says the global bitmap must be locked too; only then,
 * since every node allocating passes that one lock around.  On a cluster
 * mount where ours fails another slot's is taken, as stock steals, but
 * only one with a free bit.  Returns a reference.
 */
static struct inode *lock_inode_alloc(struct ocfs2_sb_info *osb, int slot,
				      bool *full)
{
	struct inode *alloc;
	int ret;

	if (slot < 0)
		alloc = igrab(osb->inode_alloc);
	else
		alloc = ocfs2_get_system_inode(osb->sb, INODE_ALLOC_SYSTEM_INODE,
					       slot);
	if (IS_ERR_OR_NULL(alloc))
		return alloc ? alloc : ERR_PTR(-EROFS);
	ret = lock_if_free(alloc, slot < 0);
	*full = !ret;
	if (ret > 0 || (slot < 0 && !ret))
		return alloc;
	iput(alloc);
	return ERR_PTR(ret ? ret : -ENOSPC);
}

/* -ENOSPC: @alloc had no bit to give and nothing was changed. */
static int create_from(struct inode *dir, struct buffer_head *dir_bh,
		       struct dentry *dentry, struct ocfs2_dir_pos *pos,
		       const struct new_inode_args *a, struct inode *alloc,
		       u16 slot, bool full, u64 *ino)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	unsigned int which = full ? OCFS2_AL_BITMAP : 0;
	int credits = OCFS2_CREATE_CREDITS + OCFS2_ACL_CREATE_CREDITS;
	struct buffer_head *acl_bh = NULL;
	struct ocfs2_claim claim;
	handle_t *handle;
	int ret, ret2;

	/* a long symlink's target takes clusters from the bitmap too */
	if (long_symlink(dir->i_sb, a)) {
		which = OCFS2_AL_BITMAP;
		credits += ocfs2_symlink_credits(dir->i_sb, strlen(a->symname));
	}
	/* inherited ACLs in an xattr block take one from the extent allocator */
	which |= ocfs2_acl_create_allocs(&a->acls);
	/* a full allocator takes a new group from the bitmap */
	handle = ocfs2_start_alloc_trans(osb, which, credits);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	/* the ACLs' block first: its ENOSPC leaves nothing changed */
	ret = ocfs2_acl_claim_block(handle, dir->i_sb, &a->acls, &acl_bh);
	if (ret)
		goto out;
	ret = ocfs2_claim_bit(handle, alloc, &claim);
	claim.slot = slot;
	if (ret) {
		/* given back in the same transaction: no change again */
		ret2 = ocfs2_acl_unclaim_block(handle, dir->i_sb, &acl_bh);
		if (ret2)
			jbd2_journal_abort(osb->journal, ret2);
		goto out;
	}
	ret = write_new_dinode(handle, dir, &claim, a, acl_bh);
	if (!ret)
		ret = ocfs2_dir_insert(handle, dir, dir_bh, pos,
				       &dentry->d_name, claim.blkno, a->mode);
	if (!ret && S_ISDIR(a->mode))
		ret = link_parent(handle, dir, dir_bh);
	/* a failure past the claim leaves the journal to abort */
	if (ret)
		jbd2_journal_abort(osb->journal, ret);
	*ino = claim.blkno;
out:
	brelse(acl_bh);
	ret2 = ocfs2_commit_alloc_trans(osb, handle, which);
	return ret ? ret : ret2;
}

static int create_in_trans(struct inode *dir, struct buffer_head *dir_bh,
			   struct dentry *dentry, struct ocfs2_dir_pos *pos,
			   const struct new_inode_args *a, u64 *ino)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	struct inode *alloc;
	int slot, ret = -ENOSPC;
	bool full;

	for (slot = -1; slot < (int)osb->max_slots; slot++) {
		if (slot == osb->slot)
			continue;
		alloc = lock_inode_alloc(osb, slot, &full);
		if (IS_ERR(alloc)) {
			ret = PTR_ERR(alloc);
			if (ret != -ENOSPC)
				return ret;
			continue;
		}
		ret = create_from(dir, dir_bh, dentry, pos, a, alloc,
				  slot < 0 ? osb->slot : slot, full, ino);
		ocfs2_inode_unlock(alloc, 1);
		iput(alloc);
		if (ret != -ENOSPC || osb->locks.local)
			return ret;
	}
	return ret;
}

/* The new inode read while its dentry lock is asked for. */
static int instantiate(struct inode *dir, struct dentry *dentry, u64 ino)
{
	struct ocfs2_dentry_ahead da;
	struct inode *inode;
	int ret;

	ret = ocfs2_dentry_lock_start(&da, dir->i_sb, OCFS2_I(dir)->blkno, ino);
	if (ret)
		return ret;
	inode = ocfs2_iget(dir->i_sb, ino);
	if (IS_ERR(inode)) {
		ocfs2_dentry_lock_finish(&da, NULL);
		return PTR_ERR(inode);
	}
	ret = ocfs2_dentry_lock_finish(&da, dentry);
	if (ret) {
		iput(inode);
		return ret;
	}
	d_instantiate(dentry, inode);
	return 0;
}

/*
 * On: a create asks for the new inode's meta and open locks and the new
 * name's dentry lock while it still holds the directory exclusive, and
 * does not wait for them (ocfs2_lock_new: the directory stays ours
 * until they are granted).  Off: it waits for each after the directory,
 * three DLM round trips (overlapped by lock_ahead).  Cluster mounts
 * only: a local mount's locks cost no round trip to save.
 */
static bool create_async_locks = true;
module_param(create_async_locks, bool, 0644);
MODULE_PARM_DESC(create_async_locks,
		 "a create on a cluster mount does not wait for the new inode's and name's cluster locks (default on)");

/* The new inode from our own copy, its locks asked for ahead. */
static int instantiate_new(struct inode *dir, struct dentry *dentry, u64 ino)
{
	struct inode *inode;
	int ret;

	inode = ocfs2_iget_new(dir, ino);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = ocfs2_dentry_lock_new(dentry, dir, inode);
	if (ret) {
		iput(inode);
		return ret;
	}
	d_instantiate(dentry, inode);
	return 0;
}

static int create_common(struct inode *dir, struct dentry *dentry,
			 struct new_inode_args *a)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	bool async = READ_ONCE(create_async_locks) && !osb->locks.local;
	struct buffer_head *dir_bh;
	struct ocfs2_dir_pos pos;
	u64 ino;
	int ret;

	if (!osb->inode_alloc)
		return -EROFS;
	if (S_ISDIR(a->mode) &&
	    !ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_INLINE_DATA))
		return -EOPNOTSUPP;
	owner_for(dir, a);
	ret = ocfs2_inode_lock(dir, &dir_bh, 1);
	if (ret)
		return ret;
	/* under the lock: the parent's default ACL as it is now */
	ret = ocfs2_acl_prepare(dir, &a->mode, &a->acls);
	if (!ret)
		ret = ocfs2_dir_find_slot(dir, dir_bh, &dentry->d_name, &pos);
	if (!ret) {
		ret = create_in_trans(dir, dir_bh, dentry, &pos, a, &ino);
		ocfs2_dir_pos_release(&pos);
	}
	brelse(dir_bh);
	/* asked for before the directory can go down (meta_downconvert) */
	if (!ret && async)
		ret = instantiate_new(dir, dentry, ino);
	ocfs2_inode_unlock(dir, 1);
	if (!ret && !async)
		ret = instantiate(dir, dentry, ino);
	if (!ret)
		ret = ocfs2_acl_after_create(d_inode(dentry), &a->acls);
	ocfs2_acl_release(&a->acls);
	return ret;
}

static int ocfs2_create(struct kc_idmap *idmap, struct inode *dir,
			struct dentry *dentry, umode_t mode, bool excl)
{
	struct new_inode_args a = { .mode = mode };

	return create_common(dir, dentry, &a);
}

static int ocfs2_mknod(struct kc_idmap *idmap, struct inode *dir,
		       struct dentry *dentry, umode_t mode, dev_t rdev)
{
	struct new_inode_args a = { .mode = mode, .rdev = rdev };

	return create_common(dir, dentry, &a);
}

static int ocfs2_mkdir(struct kc_idmap *idmap, struct inode *dir,
		       struct dentry *dentry, umode_t mode)
{
	struct new_inode_args a = { .mode = S_IFDIR | mode };

	if (dir->i_nlink >= OCFS2_LINK_MAX)
		return -EMLINK;
	return create_common(dir, dentry, &a);
}

/* Fast symlinks in the inode block, longer ones in a data extent. */
static int ocfs2_symlink(struct kc_idmap *idmap, struct inode *dir,
			 struct dentry *dentry, const char *symname)
{
	struct new_inode_args a = { .mode = S_IFLNK | 0777,
				    .symname = symname };

	if (strlen(symname) >= PATH_MAX)
		return -ENAMETOOLONG;
	return create_common(dir, dentry, &a);
}

/* parent inode block, target inode block, the new name */
#define OCFS2_LINK_CREDITS	(2 + OCFS2_DIR_NAME_CREDITS)

static int link_in_trans(struct inode *dir, struct buffer_head *dir_bh,
			 struct inode *inode, struct buffer_head *ibh,
			 struct dentry *dentry, struct ocfs2_dir_pos *pos)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct timespec64 a, m, c;
	handle_t *handle;
	int ret, ret2;

	handle = ocfs2_start_trans(OCFS2_SB(dir->i_sb), OCFS2_LINK_CREDITS);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_journal_access(handle, ibh);
	if (ret)
		goto out;
	inc_nlink(inode);
	kc_inode_get_times(inode, &a, &m, &c);
	ktime_get_coarse_real_ts64(&c);
	kc_inode_set_times(inode, a, m, c);
	ocfs2_inode_to_disk(inode, di);
	ocfs2_set_links(di, inode->i_nlink);
	ocfs2_journal_dirty(handle, ibh);
	ret = ocfs2_dir_insert(handle, dir, dir_bh, pos, &dentry->d_name,
			       OCFS2_I(inode)->blkno, inode->i_mode);
	if (ret)
		jbd2_journal_abort(OCFS2_SB(dir->i_sb)->journal, ret);
out:
	ret2 = ocfs2_commit_trans(handle);
	return ret ? ret : ret2;
}

static int ocfs2_link(struct dentry *old, struct inode *dir,
		      struct dentry *dentry)
{
	struct inode *inode = d_inode(old);
	struct buffer_head *dir_bh, *ibh;
	struct ocfs2_dir_pos pos;
	int ret;

	if (inode->i_nlink >= OCFS2_LINK_MAX)
		return -EMLINK;
	ret = ocfs2_inode_lock(dir, &dir_bh, 1);
	if (ret)
		return ret;
	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		goto out_dir;
	ret = ocfs2_dir_find_slot(dir, dir_bh, &dentry->d_name, &pos);
	if (!ret) {
		ret = link_in_trans(dir, dir_bh, inode, ibh, dentry, &pos);
		ocfs2_dir_pos_release(&pos);
	}
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
	if (!ret)
		ret = ocfs2_dentry_attach_lock(dentry, inode,
					       OCFS2_I(dir)->blkno);
	if (!ret) {
		ihold(inode);
		d_instantiate(dentry, inode);
	}
out_dir:
	brelse(dir_bh);
	ocfs2_inode_unlock(dir, 1);
	return ret;
}

/* parent inode, inode, the name removed, the orphan directory's name */
#define OCFS2_UNLINK_CREDITS	(2 + 2 * OCFS2_DIR_NAME_CREDITS)

/* Removal changes: the name, the inode's links, the parent for rmdir. */
static int unlink_in_trans(struct inode *dir, struct buffer_head *dir_bh,
			   struct inode *inode, struct buffer_head *ibh,
			   struct ocfs2_dir_pos *pos,
			   struct ocfs2_orphan_ctx *orphan)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(dir->i_sb);
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct timespec64 a, m, c;
	handle_t *handle;
	int ret;

	handle = ocfs2_start_trans(osb, OCFS2_UNLINK_CREDITS);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	ret = ocfs2_dir_remove(handle, dir, dir_bh, pos);
	if (!ret && S_ISDIR(inode->i_mode)) {
		drop_nlink(dir);
		ocfs2_set_links((struct ocfs2_dinode *)dir_bh->b_data,
				dir->i_nlink);
	}
	if (!ret)
		ret = ocfs2_journal_access(handle, ibh);
	if (ret)
		goto abort;
	if (S_ISDIR(inode->i_mode))
		clear_nlink(inode);
	else
		drop_nlink(inode);
	kc_inode_get_times(inode, &a, &m, &c);
	ktime_get_coarse_real_ts64(&c);
	kc_inode_set_times(inode, a, m, c);
	ocfs2_inode_to_disk(inode, di);
	ocfs2_set_links(di, inode->i_nlink);
	if (orphan)
		ret = ocfs2_orphan_add(handle, inode, ibh, orphan);
	ocfs2_journal_dirty(handle, ibh);
	if (ret)
		goto abort;
	return ocfs2_commit_trans(handle);
abort:
	jbd2_journal_abort(osb->journal, ret);
	ocfs2_commit_trans(handle);
	return ret;
}

static int check_removable(struct inode *dir, struct buffer_head *dir_bh,
			   struct inode *inode, struct buffer_head *ibh,
			   struct dentry *dentry, struct ocfs2_dir_pos *pos)
{
	const struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	int ret;

	ret = ocfs2_dir_find_for_remove(dir, dir_bh, &dentry->d_name, pos);
	if (ret)
		return ret;
	if (pos->ino != oi->blkno)
		return -ENOENT;
	if (!inode->i_nlink)
		return ocfs2_fs_error(dir->i_sb, __func__,
				      "directory %lu: \"%pd\" names inode %lu, which has no links (on disk %u, flags 0x%x)",
				      dir->i_ino, dentry, inode->i_ino,
				      le16_to_cpu(di->i_links_count),
				      le32_to_cpu(di->i_flags));
	if (S_ISDIR(inode->i_mode) && !ocfs2_dir_is_empty(inode, ibh))
		return -ENOTEMPTY;
	if (!S_ISDIR(inode->i_mode) && inode->i_nlink > 1)
		return 0;
	/* the last name of a refcounted inode: see ocfs2_rc_delete_refused */
	if (ocfs2_rc_delete_refused(inode))
		return -EOPNOTSUPP;
	/* nor freeing a bucket tree it may not (xattr_tree_free.c) */
	ret = ocfs2_xattr_tree_unfreeable(inode);
	return ret > 0 ? -EOPNOTSUPP : ret;
}

static int remove_name(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	struct ocfs2_orphan_ctx orphan, *op = NULL;
	struct buffer_head *dir_bh, *ibh;
	struct ocfs2_dir_pos pos = { };
	int ret;

	if (!OCFS2_SB(dir->i_sb)->orphan_dir)
		return -EROFS;
	ret = ocfs2_inode_lock(dir, &dir_bh, 1);
	if (ret)
		return ret;
	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		goto out_dir;
	ret = check_removable(dir, dir_bh, inode, ibh, dentry, &pos);
	if (ret)
		goto out_inode;
	ocfs2_dentry_remote_delete(dentry);
	if (S_ISDIR(inode->i_mode) || inode->i_nlink == 1) {
		ret = ocfs2_orphan_begin(inode, &orphan);
		if (ret)
			goto out_inode;
		op = &orphan;
	}
	ret = unlink_in_trans(dir, dir_bh, inode, ibh, &pos, op);
	if (op)
		ocfs2_orphan_end(inode, op);
out_inode:
	ocfs2_dir_pos_release(&pos);
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
out_dir:
	brelse(dir_bh);
	ocfs2_inode_unlock(dir, 1);
	return ret;
}

static int ocfs2_unlink(struct inode *dir, struct dentry *dentry)
{
	return remove_name(dir, dentry);
}

static int ocfs2_rmdir(struct inode *dir, struct dentry *dentry)
{
	return remove_name(dir, dentry);
}

const struct inode_operations ocfs2_dir_iops = {
	.unlink		= ocfs2_unlink,
	.rename		= ocfs2_rename,
	.rmdir		= ocfs2_rmdir,
	.link		= ocfs2_link,
	.setattr	= ocfs2_setattr,
	.getattr	= ocfs2_getattr,
	.fileattr_get	= ocfs2_fileattr_get,
	.fileattr_set	= ocfs2_fileattr_set,
	.create		= ocfs2_create,
	.mknod		= ocfs2_mknod,
	.mkdir		= ocfs2_mkdir,
	.symlink	= ocfs2_symlink,
	.lookup		= ocfs2_lookup,
	.listxattr	= ocfs2_listxattr,
	.permission	= ocfs2_permission,
	KC_ACL_IOPS(ocfs2_get_acl, ocfs2_set_acl)
};
