// SPDX-License-Identifier: GPL-2.0
/*
 * The slot's orphan directory: an inode whose last name is removed gets
 * an entry there (named by its number in hex) in the same transaction,
 * so a crash never leaks it; when the last user lets it go, one more
 * transaction removes the entry, frees its allocator bit and marks the
 * block unused, after the clusters of its data went back (truncate.c).
 * Inodes with xattr blocks or directory indexes cannot be freed yet, so
 * their last unlink is refused before anything changes.
 * A read-write mount first finishes the deletions a crash interrupted:
 * every inode still named in the slot's orphan directory.
 */
#include <linux/slab.h>
#include "ocfs2.h"
#include "refcount.h"

/*
 * the entry (its block, index root and leaf, free-list block), orphan
 * directory inode, inode block, allocator inode, group
 */
#define OCFS2_DELETE_CREDITS	8

static void orphan_name(struct ocfs2_orphan_ctx *ctx, u64 blkno)
{
	int len = scnprintf(ctx->buf, sizeof(ctx->buf), "%016llx",
			    (unsigned long long)blkno);

	ctx->name.name = ctx->buf;
	ctx->name.len = len;
}

/* Lock the orphan directory and find room; undone by ocfs2_orphan_end. */
int ocfs2_orphan_begin(struct inode *inode, struct ocfs2_orphan_ctx *ctx)
{
	struct inode *odir = OCFS2_SB(inode->i_sb)->orphan_dir;
	int ret;

	orphan_name(ctx, OCFS2_I(inode)->blkno);
	inode_lock(odir);
	ret = ocfs2_inode_lock(odir, &ctx->bh, 1);
	if (ret)
		goto fail;
	ret = ocfs2_dir_find_slot(odir, ctx->bh, &ctx->name, &ctx->pos);
	if (!ret)
		return 0;
	brelse(ctx->bh);
	ocfs2_inode_unlock(odir, 1);
fail:
	inode_unlock(odir);
	return ret;
}

void ocfs2_orphan_end(struct inode *inode, struct ocfs2_orphan_ctx *ctx)
{
	struct inode *odir = OCFS2_SB(inode->i_sb)->orphan_dir;

	ocfs2_dir_pos_release(&ctx->pos);
	brelse(ctx->bh);
	ocfs2_inode_unlock(odir, 1);
	inode_unlock(odir);
}

/* In the unlink transaction; @ibh is already under journal access. */
int ocfs2_orphan_add(handle_t *handle, struct inode *inode,
		     struct buffer_head *ibh, struct ocfs2_orphan_ctx *ctx)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	int ret;

	ret = ocfs2_dir_insert(handle, osb->orphan_dir, ctx->bh, &ctx->pos,
			       &ctx->name, OCFS2_I(inode)->blkno,
			       inode->i_mode);
	if (ret)
		return ret;
	OCFS2_I(inode)->flags |= OCFS2_ORPHANED_FL;
	di->i_flags = cpu_to_le32(OCFS2_I(inode)->flags);
	di->i_orphaned_slot = cpu_to_le16(osb->slot);
	return 0;
}

static int release_inode_block(handle_t *handle, struct inode *inode,
			       struct buffer_head *ibh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	struct timespec64 now;
	int ret;

	ret = ocfs2_journal_access(handle, ibh);
	if (ret)
		return ret;
	ktime_get_coarse_real_ts64(&now);
	di->i_flags &= cpu_to_le32(~(OCFS2_VALID_FL | OCFS2_ORPHANED_FL));
	di->i_dtime = cpu_to_le64(now.tv_sec);
	ocfs2_set_links(di, 0);
	ocfs2_journal_dirty(handle, ibh);
	/* other nodes must not take its lock value block for a live inode */
	OCFS2_I(inode)->flags &= ~OCFS2_VALID_FL;
	return 0;
}

static int delete_in_trans(struct inode *inode, struct buffer_head *ibh,
			   struct ocfs2_orphan_ctx *ctx,
			   struct ocfs2_dir_pos *pos, struct inode *odir)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)ibh->b_data;
	u16 bit = le16_to_cpu(di->i_suballoc_bit);
	u16 slot = le16_to_cpu(di->i_suballoc_slot);
	u64 group = le64_to_cpu(di->i_suballoc_loc);
	struct inode *alloc = osb->inode_alloc;
	handle_t *handle;
	int ret;

	if (!group)
		group = OCFS2_I(inode)->blkno - bit;
	/* cluster: the inode may come from another slot's allocator */
	if (slot != osb->slot) {
		if (slot >= osb->max_slots)
			return ocfs2_fs_error(inode->i_sb, __func__,
					      "inode %lu: suballocator slot %u",
					      inode->i_ino, slot);
		alloc = ocfs2_get_system_inode(inode->i_sb,
					       INODE_ALLOC_SYSTEM_INODE, slot);
		if (IS_ERR(alloc))
			return PTR_ERR(alloc);
	}
	/* the allocator's lock before the transaction (alloc_lock.c) */
	ret = ocfs2_inode_lock(alloc, NULL, 1);
	if (ret)
		goto out;
	handle = ocfs2_start_trans(osb, OCFS2_DELETE_CREDITS);
	if (IS_ERR(handle)) {
		ret = PTR_ERR(handle);
		goto out_unlock;
	}
	/*
	 * The block is marked free before its bit is: once the bit is free
	 * a create may claim it and fill the same block, which a later
	 * clear would wipe (local mounts do not serialize them).
	 */
	ret = ocfs2_dir_remove(handle, odir, ctx->bh, pos);
	if (!ret)
		ret = release_inode_block(handle, inode, ibh);
	if (!ret)
		ret = ocfs2_free_bit(handle, alloc, group, bit);
	if (ret)
		jbd2_journal_abort(osb->journal, ret);
	ocfs2_commit_trans(handle);
out_unlock:
	ocfs2_inode_unlock(alloc, 1);
out:
	if (alloc != osb->inode_alloc)
		iput(alloc);
	return ret;
}

/*
 * The orphan directory naming @inode: ours, or on a cluster mount the one
 * of the slot that unlinked it.  Returns a reference.
 */
static struct inode *orphan_dir_of(struct inode *inode)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct ocfs2_dinode *di;
	struct buffer_head *ibh;
	int slot, ret;

	if (osb->locks.local)
		return igrab(osb->orphan_dir);
	ret = ocfs2_inode_lock(inode, &ibh, 0);
	if (ret)
		return ERR_PTR(ret);
	di = (struct ocfs2_dinode *)ibh->b_data;
	slot = le16_to_cpu(di->i_orphaned_slot);
	brelse(ibh);
	ocfs2_inode_unlock(inode, 0);
	if (slot == osb->slot)
		return igrab(osb->orphan_dir);
	if (slot >= osb->max_slots)
		return ERR_PTR(ocfs2_fs_error(inode->i_sb, __func__,
					      "inode %lu: orphaned slot %d",
					      inode->i_ino, slot));
	return ocfs2_get_system_inode(inode->i_sb, ORPHAN_DIR_SYSTEM_INODE,
				      slot);
}

/* From evict: the inode has no names and no users left. */
void ocfs2_delete_inode(struct inode *inode)
{
	struct inode *odir;
	struct ocfs2_orphan_ctx ctx;
	struct ocfs2_dir_pos pos = { };
	struct buffer_head *ibh;
	int ret;

	/* clusters, indexes, xattrs and references go back */
	if (ocfs2_rc_delete_refused(inode)) {
		ocfs2_err(inode->i_sb, "inode %lu has a refcount tree, which this module does not free with ocfs2.refcount_writes=0 (or, with xattrs, ocfs2.refcount_xattr_delete=0); it stays in the orphan directory for the stock module or fsck.ocfs2",
			  inode->i_ino);
		return;
	}
	/* still open on another node: the last node to close deletes it */
	if (!ocfs2_open_lock_try_ex(inode))
		return;
	odir = orphan_dir_of(inode);
	if (IS_ERR(odir)) {
		ret = PTR_ERR(odir);
		goto out_open;
	}
	orphan_name(&ctx, OCFS2_I(inode)->blkno);
	inode_lock(odir);
	ret = ocfs2_inode_lock(odir, &ctx.bh, 1);
	if (ret)
		goto out;
	ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		goto out_odir;
	ret = ocfs2_dir_find_for_remove(odir, ctx.bh, &ctx.name, &pos);
	if (!ret) {
		truncate_inode_pages(&inode->i_data, 0);
		ret = ocfs2_xattr_free_all(inode, ibh);
	}
	if (!ret)
		ret = ocfs2_free_file_data(inode, ibh);
	if (!ret)
		ret = delete_in_trans(inode, ibh, &ctx, &pos, odir);
	ocfs2_dir_pos_release(&pos);
	brelse(ibh);
	ocfs2_inode_unlock(inode, 1);
out_odir:
	brelse(ctx.bh);
	ocfs2_inode_unlock(odir, 1);
out:
	inode_unlock(odir);
	iput(odir);
out_open:
	ocfs2_open_lock_drop_ex(inode);
	if (ret)
		ocfs2_err(inode->i_sb, "inode %lu stays in the orphan directory (error %d)",
			  inode->i_ino, ret);
}

/* The inode numbers named in the orphan directory, gathered under lock. */
struct orphan_list {
	u64		*ino;
	unsigned int	count;
	unsigned int	cap;
};

/* a slot never has more orphans than this worth handling at one mount */
#define OCFS2_ORPHANS_MAX	65536

static int gather_orphan(void *arg, const struct ocfs2_dir_entry *de)
{
	struct orphan_list *list = arg;
	u64 *bigger;

	if (de->name[0] == '.' &&
	    (de->name_len == 1 || (de->name_len == 2 && de->name[1] == '.')))
		return 0;
	if (list->count == list->cap) {
		if (list->cap >= OCFS2_ORPHANS_MAX)
			return -E2BIG;
		list->cap = list->cap ? list->cap * 2 : 32;
		bigger = krealloc_array(list->ino, list->cap, sizeof(u64),
					GFP_NOFS);
		if (!bigger)
			return -ENOMEM;
		list->ino = bigger;
	}
	list->ino[list->count++] = le64_to_cpu(de->inode);
	return 0;
}

static int gather_orphans(struct inode *odir, struct orphan_list *list)
{
	int ret;

	inode_lock(odir);
	ret = ocfs2_inode_lock(odir, NULL, 0);
	if (!ret) {
		ret = ocfs2_dir_walk(odir, gather_orphan, list);
		ocfs2_inode_unlock(odir, 0);
	}
	inode_unlock(odir);
	return ret;
}

/*
 * On a cluster mount the orphan's last user on another node may have
 * deleted it since the directory was read: its block is then no longer
 * in use, which reading it as an inode would report as damage.
 */
static bool orphan_gone(struct super_block *sb, u64 ino)
{
	struct buffer_head *bh;
	bool gone;

	if (OCFS2_SB(sb)->locks.local || !ocfs2_blkno_valid(OCFS2_SB(sb), ino))
		return false;
	if (ocfs2_read_meta(sb, ino, OCFS2_BLOCK_DINODE, &bh))
		return false;	/* ocfs2_iget says why */
	gone = !(le32_to_cpu(((struct ocfs2_dinode *)bh->b_data)->i_flags) &
		 OCFS2_VALID_FL);
	brelse(bh);
	return gone;
}

/*
 * Reading each orphan and letting it go deletes it (evict), exactly as
 * the last close would have.  Entries for inodes that still have names
 * are left alone.
 */
static void recover_one(struct super_block *sb, u64 ino)
{
	struct inode *inode;

	if (orphan_gone(sb, ino))
		return;
	inode = ocfs2_iget(sb, ino);
	if (IS_ERR(inode)) {
		ocfs2_err(sb, "orphan inode %llu cannot be read (error %ld); left for fsck.ocfs2",
			  (unsigned long long)ino, PTR_ERR(inode));
		return;
	}
	if (inode->i_nlink || !(OCFS2_I(inode)->flags & OCFS2_ORPHANED_FL))
		ocfs2_info(sb, "orphan directory names inode %llu, which is still linked; left alone",
			   (unsigned long long)ino);
	iput(inode);
}

/* Let every orphan named in @odir go; returns how many it named. */
static unsigned int recover_listed(struct super_block *sb, struct inode *odir,
				   bool say)
{
	struct orphan_list list = { };
	unsigned int i, count;
	int ret;

	ret = gather_orphans(odir, &list);
	if (ret)
		ocfs2_err(sb, "reading the orphan directory failed (error %d); recovering the orphans found so far",
			  ret);
	if (list.count && say)
		ocfs2_info(sb, "recovering %u orphan inode(s)", list.count);
	for (i = 0; i < list.count; i++)
		recover_one(sb, list.ino[i]);
	count = list.count;
	kfree(list.ino);
	return count;
}

/* Delete the orphans named in @odir (ours, or a dead node's). */
void ocfs2_recover_orphans_in(struct super_block *sb, struct inode *odir)
{
	recover_listed(sb, odir, true);
}

/*
 * The periodic scan's look at slot @slot's orphan directory.  Orphans
 * still open on a live node stay (their last close deletes them) and
 * would be named at every period, so only those that went are told:
 * counted by reading the directory again (an unlink meanwhile can only
 * make the count smaller).
 */
void ocfs2_scan_orphans_in(struct super_block *sb, struct inode *odir,
			   int slot)
{
	struct orphan_list left = { };
	unsigned int named;

	named = recover_listed(sb, odir, false);
	if (!named || gather_orphans(odir, &left))
		goto out;
	if (left.count < named)
		ocfs2_info(sb, "orphan scan: deleted %u orphan inode(s) of slot %d",
			   named - left.count, slot);
out:
	kfree(left.ino);
}

void ocfs2_recover_orphans(struct super_block *sb)
{
	ocfs2_recover_orphans_in(sb, OCFS2_SB(sb)->orphan_dir);
}
