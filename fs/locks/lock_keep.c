// SPDX-License-Identifier: GPL-2.0
/*
 * Locks kept past their object.  When the VFS drops an inode or a dentry
 * that nobody else wants, its cluster locks would go with it, and the
 * next stat of the name pays three DLM round trips again (meta, open,
 * dentry) though no other node asked for anything.  With kept_locks set,
 * the owner hands its idle locks to this per-domain cache instead,
 * found again by name: the next object of that name adopts them with no
 * request.  Another node asking (a BAST) makes the downconvert thread
 * give the whole group back, last lock first: an inode's open lock goes
 * before its meta lock, because a deleter holds the meta lock exclusive
 * before it tries the open lock with a trylock, which sends no BAST.
 * The bound, unmount and that BAST are the only ways out.
 */
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "lock_core.h"

static unsigned int kept_locks = 4096;
module_param(kept_locks, uint, 0644);
MODULE_PARM_DESC(kept_locks,
		 "cluster mounts: how many idle lock groups (an inode's, a name's) outlive their object, per mount (default 4096; 0: none)");

#define KEPT_HASH_BITS	10
#define KEPT_HASH_SIZE	(1U << KEPT_HASH_BITS)

/* ocfs2_kept.state, under dom->kept_lock */
enum {
	KEPT_LIVE,	/* its object owns the locks */
	KEPT_CACHED,	/* in the cache: adoptable */
	KEPT_RELEASING,	/* being given back: nobody may adopt it */
};

int ocfs2_lock_keep_init(struct ocfs2_lock_domain *dom)
{
	unsigned int i;

	spin_lock_init(&dom->kept_lock);
	INIT_LIST_HEAD(&dom->kept_lru);
	dom->nr_kept = 0;
	dom->kept_hash = kvmalloc_array(KEPT_HASH_SIZE,
					sizeof(*dom->kept_hash), GFP_KERNEL);
	if (!dom->kept_hash)
		return -ENOMEM;
	for (i = 0; i < KEPT_HASH_SIZE; i++)
		INIT_HLIST_HEAD(&dom->kept_hash[i]);
	return 0;
}

/* After ocfs2_lock_kept_flush: the cache is empty. */
void ocfs2_lock_keep_exit(struct ocfs2_lock_domain *dom)
{
	kvfree(dom->kept_hash);
	dom->kept_hash = NULL;
}

static struct hlist_head *bucket(struct ocfs2_lock_domain *dom,
				 const char *name, unsigned int len)
{
	return &dom->kept_hash[jhash(name, len, 0) & (KEPT_HASH_SIZE - 1)];
}

/*
 * res->lock held.  Only an idle, plain grant is kept: nothing in flight,
 * nobody waiting for it here or elsewhere, not going away.
 */
static bool keepable(struct ocfs2_lockres *res, int max_level)
{
	return res->initialized &&
	       (res->flags & ~OCFS2_LRF_ATTACH_QUEUED) == OCFS2_LRF_ATTACHED &&
	       res->level >= OCFS2_LOCK_PR && res->level <= max_level &&
	       !res->ro_holders && !res->ex_holders;
}

/*
 * dom->kept_lock held.  An exclusive lock keeps the value block of the
 * object it covered, set now while the object still exists: given back
 * later, the unlock carries it (ocfs2_dlm_lockres_free).
 */
static bool mark_kept(struct ocfs2_kept *kept, unsigned int i)
{
	struct ocfs2_lockres *res = kept->res[i];
	bool ok;

	spin_lock(&res->lock);
	ok = keepable(res, kept->max_level[i]);
	if (ok) {
		if (res->level == OCFS2_LOCK_EX && res->type->uses_lvb &&
		    res->type->set_lvb)
			res->type->set_lvb(res);
		res->flags |= OCFS2_LRF_KEPT;
		res->owner = kept;
	}
	spin_unlock(&res->lock);
	return ok;
}

/* dom->kept_lock held: res->owner back to @owner (NULL: the keeper's). */
static void unmark_kept(struct ocfs2_kept *kept, unsigned int n, void *owner)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct ocfs2_lockres *res = kept->res[i];

		spin_lock(&res->lock);
		res->flags &= ~OCFS2_LRF_KEPT;
		res->owner = owner ? owner : kept->owner;
		spin_unlock(&res->lock);
	}
}

/* dom->kept_lock held: the oldest entry, out of the cache, or NULL. */
static struct ocfs2_kept *take_oldest(struct ocfs2_lock_domain *dom)
{
	struct ocfs2_kept *kept;

	if (list_empty(&dom->kept_lru))
		return NULL;
	kept = list_first_entry(&dom->kept_lru, struct ocfs2_kept, lru);
	hlist_del_init(&kept->hash);
	list_del_init(&kept->lru);
	dom->nr_kept--;
	kept->state = KEPT_RELEASING;
	return kept;
}

/*
 * Gives the group's locks back to the DLM, last first, each unlock waited
 * for before the next (the open lock's before the meta lock's), then the
 * memory that held them.  Sleeps.
 */
void ocfs2_lock_kept_release(struct ocfs2_kept *kept)
{
	struct ocfs2_lock_domain *dom = kept->res[0]->domain;
	int i;

	for (i = kept->nr - 1; i >= 0; i--)
		ocfs2_lockres_free(kept->res[i]);
	atomic64_add(kept->nr, &dom->stats.kept_released);
	kept->free(kept);
}

/*
 * The owner is going away: its locks (kept->res, nr, max_level, owner
 * and free filled in) go to the cache if every one of them is idle, all
 * or none.  False: not kept, the caller frees them as before.  Over the
 * bound, the oldest groups are given back here, in the caller's context.
 */
bool ocfs2_lock_keep(struct ocfs2_kept *kept)
{
	struct ocfs2_lock_domain *dom = kept->res[0]->domain;
	struct ocfs2_kept *old;
	unsigned int i, max = READ_ONCE(kept_locks);

	if (dom->local || !max || !dom->kept_hash)
		return false;
	spin_lock(&dom->kept_lock);
	/*
	 * Fresh memory the first time: a BAST on a lock marked below, if
	 * the group then is not kept after all, must find it live.
	 */
	kept->state = KEPT_LIVE;
	for (i = 0; i < kept->nr; i++) {
		if (!mark_kept(kept, i)) {
			unmark_kept(kept, i, NULL);
			spin_unlock(&dom->kept_lock);
			return false;
		}
	}
	kept->state = KEPT_CACHED;
	hlist_add_head(&kept->hash, bucket(dom, kept->res[0]->name,
					   kept->res[0]->name_len));
	list_add_tail(&kept->lru, &dom->kept_lru);
	dom->nr_kept++;
	atomic64_add(kept->nr, &dom->stats.keeps);
	while (dom->nr_kept > max) {
		old = take_oldest(dom);
		spin_unlock(&dom->kept_lock);
		ocfs2_lock_kept_release(old);
		spin_lock(&dom->kept_lock);
	}
	spin_unlock(&dom->kept_lock);
	return true;
}

/*
 * A new object of @name takes the group kept under that name, its locks
 * granted as they were, with no request: their owner becomes @owner (NULL:
 * the one they were kept with).  NULL: none kept.
 */
struct ocfs2_kept *ocfs2_lock_adopt(struct ocfs2_lock_domain *dom,
				    const char *name, unsigned int name_len,
				    void *owner)
{
	struct ocfs2_kept *kept;
	struct ocfs2_lockres *res;

	if (dom->local || !dom->kept_hash || !READ_ONCE(dom->nr_kept))
		return NULL;
	spin_lock(&dom->kept_lock);
	hlist_for_each_entry(kept, bucket(dom, name, name_len), hash) {
		res = kept->res[0];
		if (res->name_len != name_len ||
		    memcmp(res->name, name, name_len))
			continue;
		hlist_del_init(&kept->hash);
		list_del_init(&kept->lru);
		dom->nr_kept--;
		kept->state = KEPT_LIVE;
		unmark_kept(kept, kept->nr, owner);
		spin_unlock(&dom->kept_lock);
		atomic64_add(kept->nr, &dom->stats.adopted);
		return kept;
	}
	spin_unlock(&dom->kept_lock);
	return NULL;
}

/*
 * The downconvert thread, for a BAST on a kept lock: true when the group
 * is still in the cache, now taken out for the caller to release; false
 * when it was adopted meanwhile (the lock goes down the ordinary way) or
 * another caller is releasing it.
 */
bool ocfs2_lock_kept_take(struct ocfs2_kept *kept)
{
	struct ocfs2_lock_domain *dom = kept->res[0]->domain;
	bool mine;

	spin_lock(&dom->kept_lock);
	mine = kept->state == KEPT_CACHED;
	if (mine) {
		hlist_del_init(&kept->hash);
		list_del_init(&kept->lru);
		dom->nr_kept--;
		kept->state = KEPT_RELEASING;
	}
	spin_unlock(&dom->kept_lock);
	return mine;
}

/* Unmount, before the domain goes: every kept lock is given back. */
void ocfs2_lock_kept_flush(struct ocfs2_lock_domain *dom)
{
	struct ocfs2_kept *kept;

	if (dom->local || !dom->kept_hash)
		return;
	for (;;) {
		spin_lock(&dom->kept_lock);
		kept = take_oldest(dom);
		spin_unlock(&dom->kept_lock);
		if (!kept)
			return;
		ocfs2_lock_kept_release(kept);
	}
}
