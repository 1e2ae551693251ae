// SPDX-License-Identifier: GPL-2.0
/*
 * Lock resources and locks as objects: the per-domain hash of resources
 * by name, their reference counts, and lookups of a lock by cookie.  A
 * resource stays hashed until its domain goes away; this node then keeps
 * its reference on the master, which is always allowed by the protocol.
 */
#include <linux/dcache.h>
#include <linux/slab.h>
#include <linux/stringhash.h>

#include "dlm_internal.h"

static struct hlist_head *o2dlm_bucket(struct o2dlm_ctxt *dlm, const u8 *name,
				       unsigned int len)
{
	return &dlm->hash[full_name_hash(NULL, name, len) %
			  O2DLM_HASH_BUCKETS];
}

struct o2dlm_lockres *__o2dlm_lookup_lockres(struct o2dlm_ctxt *dlm,
					     const u8 *name, unsigned int len)
{
	struct o2dlm_lockres *res;

	assert_spin_locked(&dlm->spinlock);
	hlist_for_each_entry(res, o2dlm_bucket(dlm, name, len), hash_node) {
		if (res->namelen == len && !memcmp(res->name, name, len)) {
			kref_get(&res->refs);
			return res;
		}
	}
	return NULL;
}

struct o2dlm_lockres *o2dlm_lookup_lockres(struct o2dlm_ctxt *dlm,
					   const u8 *name, unsigned int len)
{
	struct o2dlm_lockres *res;

	spin_lock(&dlm->spinlock);
	res = __o2dlm_lookup_lockres(dlm, name, len);
	spin_unlock(&dlm->spinlock);
	return res;
}

struct o2dlm_lockres *o2dlm_new_lockres(struct o2dlm_ctxt *dlm,
					const u8 *name, unsigned int len)
{
	struct o2dlm_lockres *res;

	res = kzalloc(sizeof(*res), GFP_NOFS);
	if (!res)
		return NULL;
	INIT_HLIST_NODE(&res->hash_node);
	kref_init(&res->refs);
	res->dlm = dlm;
	memcpy(res->name, name, len);
	res->namelen = len;
	spin_lock_init(&res->spinlock);
	res->owner = O2DLM_OWNER_UNKNOWN;
	INIT_LIST_HEAD(&res->granted);
	INIT_LIST_HEAD(&res->converting);
	INIT_LIST_HEAD(&res->blocked);
	init_waitqueue_head(&res->wq);
	return res;
}

/* the hash holds a reference of its own */
void __o2dlm_insert_lockres(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res)
{
	assert_spin_locked(&dlm->spinlock);
	kref_get(&res->refs);
	hlist_add_head(&res->hash_node, o2dlm_bucket(dlm, res->name,
						     res->namelen));
}

/* the hashed resource of that name, made (without a master) if need be */
struct o2dlm_lockres *o2dlm_find_or_add_lockres(struct o2dlm_ctxt *dlm,
						const u8 *name,
						unsigned int len)
{
	struct o2dlm_lockres *res, *new;

	new = o2dlm_new_lockres(dlm, name, len);
	if (!new)
		return NULL;
	spin_lock(&dlm->spinlock);
	res = __o2dlm_lookup_lockres(dlm, name, len);
	if (!res) {
		res = new;
		new = NULL;
		__o2dlm_insert_lockres(dlm, res);
	}
	spin_unlock(&dlm->spinlock);
	if (new)
		o2dlm_lockres_put(new);
	return res;
}

void o2dlm_lockres_get(struct o2dlm_lockres *res)
{
	kref_get(&res->refs);
}

static void o2dlm_lockres_release(struct kref *kref)
{
	kfree(container_of(kref, struct o2dlm_lockres, refs));
}

void o2dlm_lockres_put(struct o2dlm_lockres *res)
{
	kref_put(&res->refs, o2dlm_lockres_release);
}

struct o2dlm_lock *o2dlm_new_lock(int type, u8 node, u64 cookie)
{
	struct o2dlm_lock *lock;

	lock = kzalloc(sizeof(*lock), GFP_NOFS);
	if (!lock)
		return NULL;
	INIT_LIST_HEAD(&lock->list);
	kref_init(&lock->refs);
	lock->type = type;
	lock->convert_type = O2DLM_IVMODE;
	lock->highest_blocked = O2DLM_IVMODE;
	lock->node = node;
	lock->cookie = cookie;
	lock->own_lksb.lvb = lock->own_lvb;
	lock->own_lksb.lock = lock;
	lock->lksb = &lock->own_lksb;
	INIT_LIST_HEAD(&lock->ast_e.item);
	INIT_LIST_HEAD(&lock->bast_e.item);
	INIT_LIST_HEAD(&lock->unlock_e.item);
	lock->ast_e.lock = lock;
	lock->bast_e.lock = lock;
	lock->unlock_e.lock = lock;
	return lock;
}

void o2dlm_lock_get(struct o2dlm_lock *lock)
{
	kref_get(&lock->refs);
}

static void o2dlm_lock_release(struct kref *kref)
{
	struct o2dlm_lock *lock = container_of(kref, struct o2dlm_lock, refs);

	if (lock->res)
		o2dlm_lockres_put(lock->res);
	kfree(lock);
}

void o2dlm_lock_put(struct o2dlm_lock *lock)
{
	kref_put(&lock->refs, o2dlm_lock_release);
}

static struct o2dlm_lock *o2dlm_find_on(struct list_head *q, u64 cookie)
{
	struct o2dlm_lock *lock;

	list_for_each_entry(lock, q, list)
		if (lock->cookie == cookie)
			return lock;
	return NULL;
}

/* res->spinlock held */
struct o2dlm_lock *o2dlm_find_lock(struct o2dlm_lockres *res, u64 cookie,
				   enum o2dlm_queue *queue)
{
	struct list_head *qs[] = { &res->granted, &res->converting,
				   &res->blocked };
	struct o2dlm_lock *lock;
	int i;

	for (i = 0; i < ARRAY_SIZE(qs); i++) {
		lock = o2dlm_find_on(qs[i], cookie);
		if (lock) {
			if (queue)
				*queue = i;
			return lock;
		}
	}
	return NULL;
}

bool o2dlm_res_has_locks(struct o2dlm_lockres *res)
{
	return !list_empty(&res->granted) || !list_empty(&res->converting) ||
	       !list_empty(&res->blocked);
}

/* dlm->spinlock held */
int __o2dlm_for_each_lockres(struct o2dlm_ctxt *dlm,
			     int (*fn)(struct o2dlm_ctxt *,
				       struct o2dlm_lockres *, void *),
			     void *arg)
{
	struct o2dlm_lockres *res;
	struct hlist_node *next;
	int i, n = 0;

	/* fn may unhash (and drop the hash's reference to) res */
	for (i = 0; i < O2DLM_HASH_BUCKETS; i++)
		hlist_for_each_entry_safe(res, next, &dlm->hash[i], hash_node)
			n += fn(dlm, res, arg);
	return n;
}

int o2dlm_for_each_lockres(struct o2dlm_ctxt *dlm,
			   int (*fn)(struct o2dlm_ctxt *, struct o2dlm_lockres *,
				     void *), void *arg)
{
	int n;

	spin_lock(&dlm->spinlock);
	n = __o2dlm_for_each_lockres(dlm, fn, arg);
	spin_unlock(&dlm->spinlock);
	return n;
}

static void o2dlm_drop_queue(struct list_head *q)
{
	struct o2dlm_lock *lock, *tmp;

	list_for_each_entry_safe(lock, tmp, q, list) {
		list_del_init(&lock->list);
		o2dlm_lock_put(lock);
	}
}

/* an unhashed resource's leftover locks */
void o2dlm_free_lockres_locks(struct o2dlm_lockres *res)
{
	spin_lock(&res->spinlock);
	o2dlm_drop_queue(&res->granted);
	o2dlm_drop_queue(&res->converting);
	o2dlm_drop_queue(&res->blocked);
	spin_unlock(&res->spinlock);
}

/* the domain is gone: no handler, AST or caller can reach these now */
void o2dlm_free_all_lockres(struct o2dlm_ctxt *dlm)
{
	struct o2dlm_lockres *res;
	struct hlist_node *tmp;
	int i;

	for (i = 0; i < O2DLM_HASH_BUCKETS; i++) {
		hlist_for_each_entry_safe(res, tmp, &dlm->hash[i], hash_node) {
			hlist_del_init(&res->hash_node);
			o2dlm_free_lockres_locks(res);
			o2dlm_lockres_put(res);
		}
	}
}
