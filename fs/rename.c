// SPDX-License-Identifier: GPL-2.0
/*
 * Rename: moving a name within a directory or to another one, over an
 * existing name (whose inode loses a link, through the orphan directory
 * when it was the last), RENAME_NOREPLACE and RENAME_EXCHANGE.  A
 * directory that changes parent takes its ".." along and the parents'
 * link counts follow.  All of it is one transaction.
 *
 * Lock order, as stock's so that mixed clusters cannot deadlock: the
 * volume's rename lock when a directory changes parent (two nodes moving
 * directories could otherwise build a loop), the two parents (higher
 * block number first), the source inode, the target inode, and last the
 * orphan directory.
 */
#include "ocfs2.h"
#include "refcount.h"

/*
 * old and new parent inodes, source and target inodes, ".." blocks of two
 * moved directories, and three names (old, new, orphan) each with its
 * block, index root and leaf, and free-list block
 */
#define OCFS2_RENAME_CREDITS	(6 + 3 * 4)

struct rename_ctx {
	struct inode		*odir, *ndir, *src, *tgt;
	struct dentry		*odentry, *ndentry;
	struct buffer_head	*odir_bh, *ndir_bh, *src_bh, *tgt_bh;
	struct ocfs2_dir_pos	opos, npos;	/* npos: only with a target */
	struct ocfs2_orphan_ctx	orphan;
	unsigned int		flags;
	bool			rename_locked;
	bool			orphaning;
};

static bool is_dir(struct inode *inode)
{
	return inode && S_ISDIR(inode->i_mode);
}

static bool moves_dir_across(const struct rename_ctx *c)
{
	return c->odir != c->ndir &&
	       (is_dir(c->src) ||
		((c->flags & RENAME_EXCHANGE) && is_dir(c->tgt)));
}

/* Does the target lose its last name (and so go to the orphan dir)? */
static bool target_dies(const struct rename_ctx *c)
{
	return c->tgt && !(c->flags & RENAME_EXCHANGE) &&
	       (is_dir(c->tgt) || c->tgt->i_nlink == 1);
}

static void unlock_all(struct rename_ctx *c)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(c->odir->i_sb);

	if (c->orphaning)
		ocfs2_orphan_end(c->tgt, &c->orphan);
	ocfs2_dir_pos_release(&c->opos);
	ocfs2_dir_pos_release(&c->npos);
	if (c->tgt_bh) {
		brelse(c->tgt_bh);
		ocfs2_inode_unlock(c->tgt, 1);
	}
	if (c->src_bh) {
		brelse(c->src_bh);
		ocfs2_inode_unlock(c->src, 1);
	}
	if (c->ndir_bh && c->ndir != c->odir) {
		brelse(c->ndir_bh);
		ocfs2_inode_unlock(c->ndir, 1);
	}
	if (c->odir_bh) {
		brelse(c->odir_bh);
		ocfs2_inode_unlock(c->odir, 1);
	}
	if (c->rename_locked)
		ocfs2_unlock(&osb->rename_lock, OCFS2_LOCK_EX);
}

static int lock_parents(struct rename_ctx *c)
{
	struct inode *first = c->odir, *second = c->ndir;
	struct buffer_head **first_bh = &c->odir_bh, **second_bh = &c->ndir_bh;
	int ret;

	if (c->odir == c->ndir) {
		ret = ocfs2_inode_lock(c->odir, &c->odir_bh, 1);
		c->ndir_bh = c->odir_bh;
		return ret;
	}
	if (OCFS2_I(c->ndir)->blkno > OCFS2_I(c->odir)->blkno) {
		swap(first, second);
		swap(first_bh, second_bh);
	}
	ret = ocfs2_inode_lock(first, first_bh, 1);
	if (ret)
		return ret;
	return ocfs2_inode_lock(second, second_bh, 1);
}

static int lock_all(struct rename_ctx *c)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(c->odir->i_sb);
	int ret;

	if (moves_dir_across(c)) {
		ret = ocfs2_lock(&osb->rename_lock, OCFS2_LOCK_EX, 0);
		if (ret)
			return ret;
		c->rename_locked = true;
	}
	ret = lock_parents(c);
	if (ret)
		return ret;
	ret = ocfs2_inode_lock(c->src, &c->src_bh, 1);
	if (ret || !c->tgt)
		return ret;
	return ocfs2_inode_lock(c->tgt, &c->tgt_bh, 1);
}

/*
 * Room for a new name (no target), checked first: finding it may grow
 * the new directory, which moves an inline directory's entries.
 */
static int check_room(struct rename_ctx *c)
{
	struct qstr *nname = &c->ndentry->d_name;
	struct ocfs2_dir_pos slot;
	int ret;

	ret = ocfs2_dir_find_slot(c->ndir, c->ndir_bh, nname, &slot);
	ocfs2_dir_pos_release(&slot);
	/*
	 * In one unindexed directory, removing the old name makes room
	 * enough (an index leaf might still be full: not counted on).
	 */
	if (ret == -ENOSPC && c->odir == c->ndir &&
	    !(OCFS2_I(c->odir)->dyn_features & OCFS2_INDEXED_DIR_FL) &&
	    OCFS2_DIR_REC_LEN(nname->len) <=
	    OCFS2_DIR_REC_LEN(c->odentry->d_name.len))
		ret = 0;
	return ret;
}

/* The names on disk must still be the ones the dentries say. */
static int find_names(struct rename_ctx *c)
{
	int ret;

	if (!c->tgt) {
		ret = check_room(c);
		if (ret)
			return ret;
	}
	ret = ocfs2_dir_find_for_remove(c->odir, c->odir_bh,
					&c->odentry->d_name, &c->opos);
	if (ret)
		return ret;
	if (c->opos.ino != OCFS2_I(c->src)->blkno)
		return -ENOENT;
	if (!c->tgt)
		return 0;
	ret = ocfs2_dir_find_for_remove(c->ndir, c->ndir_bh,
					&c->ndentry->d_name, &c->npos);
	if (!ret && c->npos.ino != OCFS2_I(c->tgt)->blkno)
		ret = -ENOENT;
	return ret;
}

static int check_links(struct rename_ctx *c)
{
	int ret;

	if (c->odir != c->ndir && !(c->flags & RENAME_EXCHANGE) &&
	    is_dir(c->src) && !is_dir(c->tgt) &&
	    c->ndir->i_nlink >= OCFS2_LINK_MAX)
		return -EMLINK;
	if (c->odir != c->ndir && (c->flags & RENAME_EXCHANGE) &&
	    is_dir(c->src) != is_dir(c->tgt) &&
	    (is_dir(c->src) ? c->ndir : c->odir)->i_nlink >= OCFS2_LINK_MAX)
		return -EMLINK;
	if (c->tgt && !c->tgt->i_nlink)
		return ocfs2_fs_error(c->ndir->i_sb, __func__,
				      "directory %lu names inode %lu, which has no links",
				      c->ndir->i_ino, c->tgt->i_ino);
	if (!target_dies(c))
		return 0;
	if (is_dir(c->tgt) && !ocfs2_dir_is_empty(c->tgt, c->tgt_bh))
		return -ENOTEMPTY;
	/*
	 * The target goes to the orphan directory and is freed at its last
	 * close, as unlink's victims are; freeing shared (refcounted)
	 * clusters may be refused (ocfs2_rc_delete_refused): before anything
	 * changes.
	 */
	if (ocfs2_rc_delete_refused(c->tgt))
		return -EOPNOTSUPP;
	/* nor is freeing a bucket tree deeper than its root */
	ret = ocfs2_xattr_tree_unfreeable(c->tgt);
	return ret > 0 ? -EOPNOTSUPP : ret;
}

static void stamp_ctime(struct inode *inode)
{
	struct timespec64 a, m, c;

	kc_inode_get_times(inode, &a, &m, &c);
	ktime_get_coarse_real_ts64(&c);
	kc_inode_set_times(inode, a, m, c);
}

/* Write @inode's times and link count back into its (journaled) block. */
static void inode_back(struct inode *inode, struct buffer_head *bh)
{
	struct ocfs2_dinode *di = (struct ocfs2_dinode *)bh->b_data;

	ocfs2_inode_to_disk(inode, di);
	ocfs2_set_links(di, inode->i_nlink);
}

/* The target's name goes to the source; the target loses a link. */
static int replace_target(handle_t *handle, struct rename_ctx *c)
{
	int ret;

	ret = ocfs2_dir_set_entry(handle, c->ndir, c->ndir_bh, &c->npos,
				  OCFS2_I(c->src)->blkno, c->src->i_mode);
	if (!ret)
		ret = ocfs2_journal_access(handle, c->tgt_bh);
	if (ret)
		return ret;
	if (is_dir(c->tgt)) {
		clear_nlink(c->tgt);
		drop_nlink(c->ndir);	/* the target's ".." */
	} else {
		drop_nlink(c->tgt);
	}
	stamp_ctime(c->tgt);
	inode_back(c->tgt, c->tgt_bh);
	if (c->orphaning)
		ret = ocfs2_orphan_add(handle, c->tgt, c->tgt_bh, &c->orphan);
	ocfs2_journal_dirty(handle, c->tgt_bh);
	return ret;
}

/* No target: the old name goes, then the new one is added. */
static int move_name(handle_t *handle, struct rename_ctx *c)
{
	struct ocfs2_dir_pos slot;
	int ret;

	ret = ocfs2_dir_remove(handle, c->odir, c->odir_bh, &c->opos);
	if (ret)
		return ret;
	ret = ocfs2_dir_find_slot(c->ndir, c->ndir_bh, &c->ndentry->d_name,
				  &slot);
	if (ret)
		return ret;
	ret = ocfs2_dir_insert(handle, c->ndir, c->ndir_bh, &slot,
			       &c->ndentry->d_name, OCFS2_I(c->src)->blkno,
			       c->src->i_mode);
	ocfs2_dir_pos_release(&slot);
	return ret;
}

/* A directory changed parent: its ".." and both parents' link counts. */
static int reparent(handle_t *handle, struct inode *dir,
		    struct buffer_head *dir_bh, struct inode *from,
		    struct inode *to)
{
	int ret = ocfs2_dir_set_parent(handle, dir, dir_bh,
				       OCFS2_I(to)->blkno);

	if (ret)
		return ret;
	drop_nlink(from);
	inc_nlink(to);
	return 0;
}

static int do_rename(handle_t *handle, struct rename_ctx *c)
{
	int ret;

	if (c->tgt)
		ret = replace_target(handle, c);
	else
		ret = move_name(handle, c);
	if (ret)
		return ret;
	if (c->tgt)
		ret = ocfs2_dir_remove(handle, c->odir, c->odir_bh, &c->opos);
	if (!ret && is_dir(c->src) && c->odir != c->ndir)
		ret = reparent(handle, c->src, c->src_bh, c->odir, c->ndir);
	return ret;
}

static int do_exchange(handle_t *handle, struct rename_ctx *c)
{
	int ret;

	ret = ocfs2_dir_set_entry(handle, c->odir, c->odir_bh, &c->opos,
				  OCFS2_I(c->tgt)->blkno, c->tgt->i_mode);
	if (!ret)
		ret = ocfs2_dir_set_entry(handle, c->ndir, c->ndir_bh,
					  &c->npos, OCFS2_I(c->src)->blkno,
					  c->src->i_mode);
	if (!ret && c->odir != c->ndir && is_dir(c->src))
		ret = reparent(handle, c->src, c->src_bh, c->odir, c->ndir);
	if (!ret && c->odir != c->ndir && is_dir(c->tgt))
		ret = reparent(handle, c->tgt, c->tgt_bh, c->ndir, c->odir);
	if (!ret)
		ret = ocfs2_journal_access(handle, c->tgt_bh);
	if (ret)
		return ret;
	stamp_ctime(c->tgt);
	inode_back(c->tgt, c->tgt_bh);
	ocfs2_journal_dirty(handle, c->tgt_bh);
	return 0;
}

/* The parents' link counts and the source's ctime, last. */
static int finish_inodes(handle_t *handle, struct rename_ctx *c)
{
	int ret;

	ret = ocfs2_journal_access(handle, c->odir_bh);
	if (!ret)
		ret = ocfs2_journal_access(handle, c->ndir_bh);
	if (!ret)
		ret = ocfs2_journal_access(handle, c->src_bh);
	if (ret)
		return ret;
	ocfs2_touch_dir(c->odir, (struct ocfs2_dinode *)c->odir_bh->b_data);
	ocfs2_set_links((struct ocfs2_dinode *)c->odir_bh->b_data,
			c->odir->i_nlink);
	ocfs2_touch_dir(c->ndir, (struct ocfs2_dinode *)c->ndir_bh->b_data);
	ocfs2_set_links((struct ocfs2_dinode *)c->ndir_bh->b_data,
			c->ndir->i_nlink);
	stamp_ctime(c->src);
	inode_back(c->src, c->src_bh);
	ocfs2_journal_dirty(handle, c->odir_bh);
	ocfs2_journal_dirty(handle, c->ndir_bh);
	ocfs2_journal_dirty(handle, c->src_bh);
	return 0;
}

static int rename_in_trans(struct rename_ctx *c)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(c->odir->i_sb);
	handle_t *handle;
	int ret, ret2;

	handle = ocfs2_start_trans(osb, OCFS2_RENAME_CREDITS);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	if (c->flags & RENAME_EXCHANGE)
		ret = do_exchange(handle, c);
	else
		ret = do_rename(handle, c);
	if (!ret)
		ret = finish_inodes(handle, c);
	/* a failure midway leaves the journal to abort, never half a rename */
	if (ret)
		jbd2_journal_abort(osb->journal, ret);
	ret2 = ocfs2_commit_trans(handle);
	return ret ? ret : ret2;
}

static int prepare(struct rename_ctx *c)
{
	int ret;

	ret = lock_all(c);
	if (!ret)
		ret = find_names(c);
	if (!ret)
		ret = check_links(c);
	if (ret || !target_dies(c))
		return ret;
	ret = ocfs2_orphan_begin(c->tgt, &c->orphan);
	c->orphaning = !ret;
	return ret;
}

int ocfs2_rename(struct kc_idmap *idmap, struct inode *old_dir,
		 struct dentry *old_dentry, struct inode *new_dir,
		 struct dentry *new_dentry, unsigned int flags)
{
	struct rename_ctx c = {
		.odir = old_dir, .ndir = new_dir,
		.src = d_inode(old_dentry), .tgt = d_inode(new_dentry),
		.odentry = old_dentry, .ndentry = new_dentry, .flags = flags,
	};
	int ret;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if (!OCFS2_SB(old_dir->i_sb)->orphan_dir)
		return -EROFS;
	if ((flags & RENAME_NOREPLACE) && c.tgt)
		return -EEXIST;
	ret = prepare(&c);
	if (!ret) {
		/* other nodes drop the names this changes */
		ocfs2_dentry_remote_delete(old_dentry);
		if (c.tgt)
			ocfs2_dentry_remote_delete(new_dentry);
		ret = rename_in_trans(&c);
	}
	unlock_all(&c);
	if (ret || old_dir == new_dir)
		return ret;
	ocfs2_dentry_move_lock(old_dentry, c.src, OCFS2_I(new_dir)->blkno);
	if (flags & RENAME_EXCHANGE)
		ocfs2_dentry_move_lock(new_dentry, c.tgt,
				       OCFS2_I(old_dir)->blkno);
	return 0;
}
