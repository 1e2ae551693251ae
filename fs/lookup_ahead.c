// SPDX-License-Identifier: GPL-2.0
/*
 * Looking up names ahead of need on a cluster mount.  A name this node
 * has no dentry for costs its lookup DLM round trips (the inode's meta
 * and open locks, the name's dentry lock: lock_ahead.c overlaps them,
 * one round trip still remains), and a program walking a directory
 * (stat of every name, ls -l) pays them one name after the other.  When
 * a lookup finds a name, the names that follow it in the directory are
 * looked up by kworkers meanwhile, each a lookup of its own, so their
 * round trips overlap; the walker then finds their dentries cached.
 * The lookups ahead are ordinary lookups: the same locks, taken and
 * kept the same way; names that lead nowhere are simply not cached.
 */
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include "ocfs2.h"

/*
 * Names looked up ahead after a lookup found one; 0 turns it off.  32
 * keeps a walker's next names' round trips overlapped without taking
 * more than the per-mount OCFS2_AHEAD_MAX kworkers at once.
 */
static unsigned int lookup_ahead_names = 32;
module_param(lookup_ahead_names, uint, 0644);
MODULE_PARM_DESC(lookup_ahead_names,
		 "cluster mounts: after a lookup finds a name, look up this many of the names after it in kworkers (default 32; 0: off)");

/*
 * At most this many lookups ahead per mount at once: each waits for its
 * lock_ahead.c kworkers on the same workqueue, which must find room.
 */
#define OCFS2_AHEAD_MAX		32

struct ahead_work {
	struct work_struct	work;
	struct dentry		*parent;
	struct ocfs2_sb_info	*osb;
	unsigned int		len;
	char			name[OCFS2_MAX_FILENAME_LEN + 1];
};

static void ahead_work_fn(struct work_struct *work)
{
	struct ahead_work *aw = container_of(work, struct ahead_work, work);
	struct ocfs2_sb_info *osb = aw->osb;
	struct dentry *d;

	d = lookup_one_len_unlocked(aw->name, aw->parent, aw->len);
	if (!IS_ERR(d))
		dput(d);
	dput(aw->parent);
	kfree(aw);
	if (atomic_dec_and_test(&osb->lookups_ahead))
		wake_up_var(&osb->lookups_ahead);
}

/* A lookup ahead looks nothing up ahead itself. */
static bool in_ahead_work(void)
{
	struct work_struct *w = current_work();

	return w && w->func == ahead_work_fn;
}

/* the walk of the directory: the names after @name, @left of them */
struct ahead_walk {
	struct dentry		*parent;
	struct ocfs2_sb_info	*osb;
	const struct qstr	*name;
	bool			found;
	unsigned int		left;
};

static bool cached(struct dentry *parent, const char *name, unsigned int len)
{
	struct qstr q = QSTR_INIT(name, len);
	struct dentry *d = d_hash_and_lookup(parent, &q);

	if (IS_ERR_OR_NULL(d))
		return false;
	dput(d);
	return true;
}

static void queue_one(struct ahead_walk *w, const struct ocfs2_dir_entry *de)
{
	struct ahead_work *aw;

	if (atomic_inc_return(&w->osb->lookups_ahead) > OCFS2_AHEAD_MAX)
		goto out;
	aw = kmalloc(sizeof(*aw), GFP_NOFS);
	if (!aw)
		goto out;
	INIT_WORK(&aw->work, ahead_work_fn);
	aw->parent = dget(w->parent);
	aw->osb = w->osb;
	aw->len = de->name_len;
	memcpy(aw->name, de->name, de->name_len);
	aw->name[de->name_len] = '\0';
	queue_work(system_unbound_wq, &aw->work);
	return;
out:
	if (atomic_dec_and_test(&w->osb->lookups_ahead))
		wake_up_var(&w->osb->lookups_ahead);
	w->left = 0;
}

static int ahead_actor(void *arg, const struct ocfs2_dir_entry *de)
{
	struct ahead_walk *w = arg;
	const char *name = de->name;
	unsigned int len = de->name_len;

	if (!w->found) {
		w->found = len == w->name->len &&
			   !memcmp(name, w->name->name, len);
		return 0;
	}
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.') ||
	    cached(w->parent, name, len))
		return 0;
	queue_one(w, de);
	if (w->left)
		w->left--;
	return w->left ? 0 : 1;
}

/*
 * @dir's lookup of @dentry found a name; @dir's meta lock is held.  Not
 * for a local mount (nothing to wait for), nor from a lookup ahead.
 */
void ocfs2_lookup_ahead(struct inode *dir, struct dentry *dentry)
{
	unsigned int n = READ_ONCE(lookup_ahead_names);
	struct ahead_walk w = {
		.parent	= dentry->d_parent,
		.osb	= OCFS2_SB(dir->i_sb),
		.name	= &dentry->d_name,
		.left	= n,
	};

	if (!n || w.osb->locks.local || in_ahead_work())
		return;
	ocfs2_dir_walk(dir, ahead_actor, &w);
}

/* At unmount, before the dentries go: the lookups ahead hold some. */
void ocfs2_lookup_ahead_stop(struct ocfs2_sb_info *osb)
{
	long left;

	/* a stack recovering a dead node can hold them long: no hung task */
	do {
		left = wait_var_event_timeout(&osb->lookups_ahead,
					      !atomic_read(&osb->lookups_ahead),
					      20 * HZ);
	} while (!left);
}
