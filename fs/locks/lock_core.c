// SPDX-License-Identifier: GPL-2.0
/*
 * The lock core: holder counting and levels for every lock resource,
 * knowing nothing of what a lock protects.  In a local domain (a volume
 * formatted for local mount) a request is granted at once, which is all
 * a single node needs: the VFS and per-inode locks serialise the rest.
 * A cluster domain hands the same requests to lock_dlm.c.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "lock_core.h"

/* No @params: a local domain. */
int ocfs2_lock_domain_init(struct ocfs2_lock_domain *dom,
			   const struct ocfs2_domain_params *params,
			   const char *dev_name)
{
	memset(dom, 0, sizeof(*dom));
	dom->dev_name = dev_name;
	if (params)
		return ocfs2_dlm_domain_init(dom, params);
	dom->local = true;
	return 0;
}

void ocfs2_lock_domain_retry(struct ocfs2_lock_domain *dom)
{
	if (!dom->local)
		ocfs2_dlm_domain_retry(dom);
}

void ocfs2_lock_domain_exit(struct ocfs2_lock_domain *dom)
{
	if (!dom->local)
		ocfs2_dlm_domain_exit(dom);
	dom->conn = NULL;
}

unsigned int ocfs2_lock_name(char *buf, char type_char, u64 blkno, u32 gen)
{
	return scnprintf(buf, OCFS2_LOCK_NAME_MAX, "%c%s%016llx%08x",
			 type_char, OCFS2_LOCK_NAME_PAD,
			 (unsigned long long)blkno, gen);
}

void ocfs2_lockres_init(struct ocfs2_lockres *res,
			struct ocfs2_lock_domain *dom,
			const struct ocfs2_lock_type *type, void *owner,
			const char *name, unsigned int name_len)
{
	memset(res, 0, sizeof(*res));
	spin_lock_init(&res->lock);
	init_waitqueue_head(&res->wq);
	INIT_LIST_HEAD(&res->dc_item);
	INIT_LIST_HEAD(&res->all_item);
	res->requested = -1;
	res->blocking = OCFS2_LOCK_NL;
	res->lksb.lksb_conn = dom->conn;
	res->type = type;
	res->domain = dom;
	res->owner = owner;
	res->level = OCFS2_LOCK_NL;
	res->name_len = min_t(unsigned int, name_len, OCFS2_LOCK_NAME_MAX);
	memcpy(res->name, name, res->name_len);
	res->initialized = true;
	if (!dom->local)
		ocfs2_dlm_lockres_add(res);
}

/*
 * Before first use: a lock other nodes seldom pass back and forth (a
 * file's, not a directory's or a system file's) is first asked for
 * queued at the level wanted, one round trip even when another node
 * holds it (ls -l of names another node just made), with no starvation
 * to fear from conversions queued ahead of it.
 */
void ocfs2_lockres_attach_queued(struct ocfs2_lockres *res)
{
	spin_lock(&res->lock);
	res->flags |= OCFS2_LRF_ATTACH_QUEUED;
	spin_unlock(&res->lock);
}

/*
 * A resource going away must have no holders left; a leak here is our bug,
 * not the disk's, so it is reported loudly once.
 */
void ocfs2_lockres_free(struct ocfs2_lockres *res)
{
	if (!res->initialized)
		return;
	spin_lock(&res->lock);
	if (res->ro_holders || res->ex_holders)
		pr_err("ocfs2 (%s): %s lock %.*s freed with holders (ro %u ex %u)\n",
		       res->domain->dev_name, res->type->name,
		       (int)res->name_len, res->name,
		       res->ro_holders, res->ex_holders);
	spin_unlock(&res->lock);
	if (!res->domain->local)
		ocfs2_dlm_lockres_free(res);
	res->level = OCFS2_LOCK_NL;
	res->initialized = false;
}

static void add_holder(struct ocfs2_lockres *res, int level)
{
	if (level == OCFS2_LOCK_EX)
		res->ex_holders++;
	else
		res->ro_holders++;
	if (level > res->level)
		res->level = level;
}

int ocfs2_lock(struct ocfs2_lockres *res, int level, unsigned int flags)
{
	if (level != OCFS2_LOCK_PR && level != OCFS2_LOCK_EX)
		return -EINVAL;
	if (!res->domain->local)
		return ocfs2_dlm_cluster_lock(res, level, flags);
	spin_lock(&res->lock);
	add_holder(res, level);
	spin_unlock(&res->lock);
	return 0;
}

/*
 * Dropping the last holder keeps the granted level cached: a cluster
 * domain gives it up only when another node asks, so a single-node
 * workload never pays a round trip per operation.
 */
void ocfs2_unlock(struct ocfs2_lockres *res, int level)
{
	spin_lock(&res->lock);
	if (level == OCFS2_LOCK_EX && res->ex_holders)
		res->ex_holders--;
	else if (level == OCFS2_LOCK_PR && res->ro_holders)
		res->ro_holders--;
	else
		pr_err("ocfs2 (%s): unbalanced unlock of %s lock %.*s\n",
		       res->domain->dev_name, res->type->name,
		       (int)res->name_len, res->name);
	if (!res->domain->local)
		ocfs2_lock_owner_del(res);
	spin_unlock(&res->lock);
	if (!res->domain->local)
		ocfs2_dlm_cluster_unlock(res);
}

/*
 * The locks of an object this node has just made (a new inode, its
 * name), which no other node can know of until the directory it was
 * made in is given up: asked for, not waited for (a create would wait
 * for three DLM round trips).  Until every such request of a directory
 * is granted, that directory's lock keeps its exclusive level (its type
 * parks the downconvert) and is not freed (ocfs2_lock_new_wait), so no
 * node learns the name while its locks are not ours; a holder here
 * waits for the grant as for any request in flight.  @hold counts one
 * holder, who lets go with ocfs2_unlock.  When the request cannot be
 * handed to the DLM, it is waited for the ordinary way.
 */
int ocfs2_lock_new(struct ocfs2_lockres *res, int level, bool hold,
		   atomic_t *unpublished)
{
	int ret;

	if (!res->domain->local &&
	    !ocfs2_dlm_lock_new(res, level, hold, unpublished))
		return 0;
	ret = ocfs2_lock(res, level, 0);
	if (!ret && !hold)
		ocfs2_unlock(res, level);
	return ret;
}

/*
 * Before the directory's lock goes away.  The wait wakes now and then:
 * a stack recovering a dead node stalls every grant meanwhile, which is
 * no hung task.
 */
void ocfs2_lock_new_wait(struct ocfs2_lock_domain *dom, atomic_t *unpublished)
{
	if (dom->local)
		return;
	while (!wait_event_timeout(dom->new_wq, !atomic_read(unpublished),
				   20 * HZ))
		pr_info("ocfs2 (%s): waiting for the DLM to grant the locks of new names (%d)\n",
			dom->dev_name, atomic_read(unpublished));
}

void *ocfs2_lock_lvb(struct ocfs2_lockres *res)
{
	if (res->domain->local)
		return NULL;
	return ocfs2_dlm_lvb(&res->lksb);
}

void *ocfs2_lock_lvb_readable(struct ocfs2_lockres *res)
{
	if (res->domain->local || !ocfs2_dlm_lvb_valid(&res->lksb))
		return NULL;
	return ocfs2_dlm_lvb(&res->lksb);
}
