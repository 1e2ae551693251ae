// SPDX-License-Identifier: GPL-2.0
/*
 * Dentry operations and the dentry lock.  Every positive dentry holds a
 * protected-read dentry lock named by its parent directory and its inode;
 * in a cluster, a node removing or renaming the name takes it exclusive,
 * which tells every other node to drop the dentry.  The lock is taken and
 * released at once: the level stays cached until another node asks, and
 * the DLM lock goes with the dentry, or with ocfs2.kept_locks into the
 * domain's cache of kept locks (lock_keep.c) for the name's next dentry.
 */
#include <linux/namei.h>
#include <linux/slab.h>
#include "ocfs2.h"

static int dentry_downconvert(struct ocfs2_lockres *res, int new_level);

static const struct ocfs2_lock_type ocfs2_dentry_lock_type = {
	.type_char	= 'N',
	.name		= "dentry",
	.downconvert	= dentry_downconvert,
};

struct ocfs2_dentry_lock {
	struct ocfs2_lockres	res;
	u64			parent_blkno;
	struct dentry		*dentry;
	struct ocfs2_kept	kept;
};

/*
 * Another node removes or renames this name: later lookups must go to the
 * directory.  The dentry stays allocated until d_release, which waits for
 * this callback before freeing the lock.  A lock asked for ahead and not
 * wanted after all (the lookup failed) has no dentry.
 */
static int dentry_downconvert(struct ocfs2_lockres *res, int new_level)
{
	struct ocfs2_dentry_lock *dl = res->owner;
	struct dentry *dentry = READ_ONCE(dl->dentry);

	if (dentry)
		d_drop(dentry);
	return 0;
}

/*
 * The stock name: 'N', the parent block in 16 hex digits, a NUL, then the
 * inode number as a big-endian binary value, zero-padded: stock hands
 * every lock name to the DLM as 31 bytes, and the DLM compares lengths.
 */
static unsigned int dentry_lock_name(char *buf, u64 parent, u64 ino)
{
	__be64 ino_be = cpu_to_be64(ino);

	memset(buf, 0, OCFS2_LOCK_NAME_MAX);
	scnprintf(buf, OCFS2_DENTRY_LOCK_INO_START, "%c%016llx", 'N',
		  (unsigned long long)parent);
	memcpy(buf + OCFS2_DENTRY_LOCK_INO_START, &ino_be, sizeof(ino_be));
	return OCFS2_LOCK_NAME_MAX - 1;
}

/*
 * The dentry lock of a name for @ino in @parent_blkno, asked for before
 * the dentry it will belong to is known: a lookup or create starts it as
 * soon as it knows the inode number and reads the inode meanwhile
 * (lock_ahead.c).  Its dentry is set before the lock is let go, so a
 * downconvert always finds one.
 */
int ocfs2_dentry_lock_start(struct ocfs2_dentry_ahead *da,
			    struct super_block *sb, u64 parent_blkno, u64 ino)
{
	struct ocfs2_lock_domain *dom = &OCFS2_SB(sb)->locks;
	struct ocfs2_dentry_lock *dl;
	char name[OCFS2_LOCK_NAME_MAX];
	struct ocfs2_kept *kept;
	unsigned int len;

	len = dentry_lock_name(name, parent_blkno, ino);
	/* kept from the name's last dentry: granted, no request */
	kept = ocfs2_lock_adopt(dom, name, len, NULL);
	if (kept) {
		dl = container_of(kept, struct ocfs2_dentry_lock, kept);
		da->dl = dl;
		goto start;
	}
	dl = kmalloc(sizeof(*dl), GFP_NOFS);
	da->dl = dl;
	if (!dl)
		return -ENOMEM;
	dl->parent_blkno = parent_blkno;
	dl->dentry = NULL;
	ocfs2_lockres_init(&dl->res, dom, &ocfs2_dentry_lock_type, dl, name,
			   len);
start:
	ocfs2_lock_ahead_start(&da->la, &dl->res, OCFS2_LOCK_PR);
	return 0;
}

static void dl_free(struct ocfs2_dentry_lock *dl)
{
	ocfs2_lockres_free(&dl->res);
	kfree(dl);
}

/*
 * The started lock goes to @dentry, unless it has one already (an alias
 * found by the lookup) or is NULL (the caller failed): then it goes.
 */
int ocfs2_dentry_lock_finish(struct ocfs2_dentry_ahead *da,
			     struct dentry *dentry)
{
	struct ocfs2_dentry_lock *dl = da->dl;
	int ret;

	if (!dentry || dentry->d_fsdata) {
		ocfs2_lock_ahead_drop(&da->la);
		dl_free(dl);
		return 0;
	}
	ret = ocfs2_lock_ahead_wait(&da->la);
	if (ret) {
		dl_free(dl);
		return ret;
	}
	dl->dentry = dentry;
	ocfs2_unlock(&dl->res, OCFS2_LOCK_PR);
	dentry->d_fsdata = dl;
	return 0;
}

/*
 * The dentry lock of a name just made in @dir, whose exclusive lock is
 * still ours: asked for, not waited for (ocfs2_lock_new), counted
 * against @dir.
 */
int ocfs2_dentry_lock_new(struct dentry *dentry, struct inode *dir,
			  struct inode *inode)
{
	struct ocfs2_dentry_lock *dl;
	char name[OCFS2_LOCK_NAME_MAX];
	unsigned int len;
	int ret;

	if (dentry->d_fsdata)
		return 0;
	dl = kmalloc(sizeof(*dl), GFP_NOFS);
	if (!dl)
		return -ENOMEM;
	dl->parent_blkno = OCFS2_I(dir)->blkno;
	dl->dentry = dentry;
	len = dentry_lock_name(name, dl->parent_blkno, OCFS2_I(inode)->blkno);
	ocfs2_lockres_init(&dl->res, &OCFS2_SB(dir->i_sb)->locks,
			   &ocfs2_dentry_lock_type, dl, name, len);
	ret = ocfs2_lock_new(&dl->res, OCFS2_LOCK_PR, false,
			     &OCFS2_I(dir)->unpublished);
	if (ret) {
		dl_free(dl);
		return ret;
	}
	dentry->d_fsdata = dl;
	return 0;
}

int ocfs2_dentry_attach_lock(struct dentry *dentry, struct inode *inode,
			     u64 parent_blkno)
{
	struct ocfs2_dentry_ahead da;
	int ret;

	if (dentry->d_fsdata)
		return 0;
	ret = ocfs2_dentry_lock_start(&da, inode->i_sb, parent_blkno,
				      OCFS2_I(inode)->blkno);
	if (ret)
		return ret;
	return ocfs2_dentry_lock_finish(&da, dentry);
}

/* Before a name goes away here: every other node drops its dentry. */
void ocfs2_dentry_remote_delete(struct dentry *dentry)
{
	struct ocfs2_dentry_lock *dl = dentry->d_fsdata;

	if (!dl || OCFS2_SB(dentry->d_sb)->locks.local)
		return;
	if (!ocfs2_lock(&dl->res, OCFS2_LOCK_EX, 0))
		ocfs2_unlock(&dl->res, OCFS2_LOCK_EX);
}

/* A kept dentry lock given back (lock_keep.c): the lock is freed already. */
static void free_kept_dl(struct ocfs2_kept *kept)
{
	kfree(container_of(kept, struct ocfs2_dentry_lock, kept));
}

/*
 * A dentry the VFS lets go while its inode still has names: the lock,
 * if idle at protected-read (a name removed or renamed here holds it
 * exclusive, and goes), is kept for the name's next dentry.  Not at
 * unmount (SB_ACTIVE clear).
 */
static bool keep_dentry_lock(struct dentry *dentry, struct inode *inode)
{
	struct ocfs2_dentry_lock *dl = dentry->d_fsdata;

	if (!dl || OCFS2_SB(dentry->d_sb)->locks.local || !inode->i_nlink ||
	    !(dentry->d_sb->s_flags & SB_ACTIVE))
		return false;
	dl->kept.res[0] = &dl->res;
	dl->kept.max_level[0] = OCFS2_LOCK_PR;
	dl->kept.nr = 1;
	dl->kept.owner = dl;
	dl->kept.free = free_kept_dl;
	/* a downconvert from here on has no dentry to drop */
	WRITE_ONCE(dl->dentry, NULL);
	if (!ocfs2_lock_keep(&dl->kept))
		return false;
	dentry->d_fsdata = NULL;
	return true;
}

static void ocfs2_d_release(struct dentry *dentry)
{
	struct ocfs2_dentry_lock *dl = dentry->d_fsdata;

	if (!dl)
		return;
	dentry->d_fsdata = NULL;
	dl_free(dl);
}

/*
 * A negative dentry may hide a name another node created since: on a
 * cluster mount it is never trusted, the lookup goes to the directory.
 * Positive ones are dropped through their dentry lock.
 */
static int ocfs2_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	if (d_really_is_positive(dentry) ||
	    OCFS2_SB(dentry->d_sb)->locks.local)
		return 1;
	if (flags & LOOKUP_RCU)
		return -ECHILD;
	return 0;
}

/*
 * The name now lives under another directory: its lock is named by the
 * new parent.  A failure (memory) leaves the dentry without a lock, which
 * only means other nodes are not told about it; log it.
 */
void ocfs2_dentry_move_lock(struct dentry *dentry, struct inode *inode,
			    u64 new_parent_blkno)
{
	struct ocfs2_dentry_lock *dl = dentry->d_fsdata;
	int ret;

	if (dl && dl->parent_blkno == new_parent_blkno)
		return;
	ocfs2_d_release(dentry);
	ret = ocfs2_dentry_attach_lock(dentry, inode, new_parent_blkno);
	if (ret)
		ocfs2_err(inode->i_sb, "renamed entry for inode %lu has no dentry lock (error %d)",
			  inode->i_ino, ret);
}

/*
 * The dentry loses its inode (unlink made it negative, or it is going
 * away): its lock is named by that inode, so it goes too, and a name
 * created later on this dentry takes a lock named by the new inode.
 */
static void ocfs2_d_iput(struct dentry *dentry, struct inode *inode)
{
	if (!keep_dentry_lock(dentry, inode))
		ocfs2_d_release(dentry);
	iput(inode);
}

const struct dentry_operations ocfs2_dentry_ops = {
	.d_revalidate	= ocfs2_d_revalidate,
	.d_iput		= ocfs2_d_iput,
	.d_release	= ocfs2_d_release,
};
