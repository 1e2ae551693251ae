// SPDX-License-Identifier: GPL-2.0
/*
 * Recovery of a dead node's resources, the stock way.  Survivors race for
 * an EX NOQUEUE lock on "$RECOVERY"; the winner is the recovery master:
 * it tells the others (BEGIN_RECO), asks each for its locks on resources
 * the dead node mastered (LOCK_REQUEST; they answer with MIG_LOCKRES
 * messages and RECO_DATA_DONE), rebuilds those resources as their master,
 * and tells everybody (FINALIZE_RECO, two stages) that it now masters
 * them.  Losers wait for BEGIN_RECO, send their locks when asked, and
 * move the resources to the new master at FINALIZE.  All of it runs in
 * one work item per domain (reco_work), or in handlers that only record.
 */
#include <linux/delay.h>
#include <linux/slab.h>

#include "dlm_internal.h"

#define O2DLM_FINALIZE_STAGE2	0x01

enum { O2DLM_RECO_IDLE, O2DLM_RECO_ASKED, O2DLM_RECO_DONE };

static void o2dlm_reco_work(struct work_struct *work);

void o2dlm_recovery_init(struct o2dlm_ctxt *dlm)
{
	INIT_WORK(&dlm->reco_work, o2dlm_reco_work);
	init_waitqueue_head(&dlm->reco_wait);
	dlm->reco_dead = O2DLM_OWNER_UNKNOWN;
	dlm->reco_master = O2DLM_OWNER_UNKNOWN;
}

void o2dlm_start_recovery(struct o2dlm_ctxt *dlm, u8 dead)
{
	spin_lock(&dlm->spinlock);
	set_bit(dead, dlm->recovery_map);
	if (dlm->reco_master == dead) {
		/* the recovery master died: start over */
		dlm->reco_master = O2DLM_OWNER_UNKNOWN;
		dlm->reco_finalizing = false;
	}
	spin_unlock(&dlm->spinlock);
	wake_up(&dlm->reco_wait);
	queue_work(dlm->reco_wq, &dlm->reco_work);
}

void o2dlm_wait_recovered(struct o2dlm_lockres *res)
{
	wait_event_interruptible(res->wq, !(READ_ONCE(res->state) &
					     O2DLM_RES_RECOVERING));
}

/* ---- the recovery master's side ---- */

static int o2dlm_send_reco_msg(struct o2dlm_ctxt *dlm, u32 type, u8 dead,
			       u8 flags, int to)
{
	struct o2dlm_finalize_reco m = { .node_idx = dlm->node_num,
					 .dead_node = dead, .flags = flags };
	int ret, status = 0;

	ret = o2net_send_message(type, dlm->key, &m, sizeof(m), to, &status);
	if (ret < 0)
		return o2dlm_is_host_down(ret) ? 0 : ret;
	return status;
}

static void o2dlm_reco_map(struct o2dlm_ctxt *dlm, unsigned long *map, u8 dead)
{
	spin_lock(&dlm->spinlock);
	bitmap_copy(map, dlm->domain_map, O2NM_MAX_NODES);
	spin_unlock(&dlm->spinlock);
	clear_bit(dead, map);
	clear_bit(dlm->node_num, map);
}

static void o2dlm_send_to_all(struct o2dlm_ctxt *dlm, u32 type, u8 dead,
			      u8 flags)
{
	unsigned long map[O2DLM_MAP_LONGS];
	int node, ret, tries;

	o2dlm_reco_map(dlm, map, dead);
	for_each_set_bit(node, map, O2NM_MAX_NODES) {
		tries = 0;
		while ((ret = o2dlm_send_reco_msg(dlm, type, dead, flags,
						  node)) == -EAGAIN &&
		       ++tries < 100)
			msleep(100);
		if (ret)
			pr_err("o2dlm: %s: recovery message %u to node %d: %d\n",
			       dlm->name, type, node, ret);
	}
}

static bool o2dlm_all_data_in(struct o2dlm_ctxt *dlm, unsigned long *map)
{
	bool done = true;
	int node;

	spin_lock(&dlm->spinlock);
	for_each_set_bit(node, map, O2NM_MAX_NODES)
		if (dlm->reco_state[node] != O2DLM_RECO_DONE &&
		    test_bit(node, dlm->domain_map))
			done = false;
	spin_unlock(&dlm->spinlock);
	return done;
}

/* dlm->spinlock held: every resource the dead node had goes to master */
static int o2dlm_finish_fn(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			   void *arg)
{
	u8 dead = dlm->reco_dead, master = *(u8 *)arg;

	spin_lock(&res->spinlock);
	if (res->owner == dead ||
	    (res->owner == dlm->node_num &&
	     (res->state & O2DLM_RES_RECOVERING))) {
		res->owner = master;
		res->state &= ~O2DLM_RES_RECOVERING;
		if (master == dlm->node_num)
			__o2dlm_shuffle(dlm, res);
	}
	spin_unlock(&res->spinlock);
	wake_up(&res->wq);
	return 0;
}

static void o2dlm_finish_recovery(struct o2dlm_ctxt *dlm, u8 master)
{
	o2dlm_for_each_lockres(dlm, o2dlm_finish_fn, &master);
	spin_lock(&dlm->spinlock);
	clear_bit(dlm->reco_dead, dlm->recovery_map);
	pr_notice("o2dlm: domain %s: node %u recovered by node %u\n",
		  dlm->name, dlm->reco_dead, master);
	dlm->reco_dead = O2DLM_OWNER_UNKNOWN;
	dlm->reco_master = O2DLM_OWNER_UNKNOWN;
	dlm->reco_finalizing = false;
	spin_unlock(&dlm->spinlock);
	wake_up(&dlm->reco_wait);
}

static void o2dlm_remaster_locks(struct o2dlm_ctxt *dlm, u8 dead)
{
	struct o2dlm_reco_msg lr = { .node_idx = dlm->node_num,
				     .dead_node = dead };
	unsigned long map[O2DLM_MAP_LONGS];
	int node, ret, status;

	o2dlm_reco_map(dlm, map, dead);
	spin_lock(&dlm->spinlock);
	memset(dlm->reco_state, O2DLM_RECO_IDLE, sizeof(dlm->reco_state));
	for_each_set_bit(node, map, O2NM_MAX_NODES)
		dlm->reco_state[node] = O2DLM_RECO_ASKED;
	spin_unlock(&dlm->spinlock);
	for_each_set_bit(node, map, O2NM_MAX_NODES) {
		status = 0;
		ret = o2net_send_message(O2DLM_LOCK_REQUEST_MSG, dlm->key, &lr,
					 sizeof(lr), node, &status);
		if (ret < 0 || status < 0) {
			pr_err("o2dlm: %s: node %d did not take the lock request (%d/%d)\n",
			       dlm->name, node, ret, status);
			spin_lock(&dlm->spinlock);
			dlm->reco_state[node] = O2DLM_RECO_DONE;
			spin_unlock(&dlm->spinlock);
		}
	}
	while (wait_event_interruptible_timeout(dlm->reco_wait,
						o2dlm_all_data_in(dlm, map),
						HZ) <= 0)
		if (!test_bit(dlm->node_num, dlm->domain_map))
			return;
	o2dlm_send_to_all(dlm, O2DLM_FINALIZE_RECO_MSG, dead, 0);
	o2dlm_send_to_all(dlm, O2DLM_FINALIZE_RECO_MSG, dead,
			  O2DLM_FINALIZE_STAGE2);
	o2dlm_finish_recovery(dlm, dlm->node_num);
}

/* ---- choosing the recovery master ---- */

struct o2dlm_reco_lock {
	struct o2dlm_lksb	lksb;
	char			lvb[O2DLM_LVB_LEN];
	struct completion	granted;
	struct completion	unlocked;
};

static void o2dlm_reco_ast(void *data)
{
	complete(&((struct o2dlm_reco_lock *)data)->granted);
}

static void o2dlm_reco_bast(void *data, int level)
{
}

static void o2dlm_reco_unlock_ast(void *data, enum o2dlm_status st)
{
	complete(&((struct o2dlm_reco_lock *)data)->unlocked);
}

/* $RECOVERY mastered by the dead node must be mastered again first */
static void o2dlm_fix_reco_lockres(struct o2dlm_ctxt *dlm, u8 dead)
{
	struct o2dlm_lockres *res;

	res = o2dlm_lookup_lockres(dlm, O2DLM_RECOVERY_LOCK,
				   strlen(O2DLM_RECOVERY_LOCK));
	if (!res)
		return;
	if (READ_ONCE(res->owner) == dead)
		o2dlm_remaster(dlm, res);
	o2dlm_lockres_put(res);
}

static bool o2dlm_master_known(struct o2dlm_ctxt *dlm)
{
	bool known;

	spin_lock(&dlm->spinlock);
	known = dlm->reco_master != O2DLM_OWNER_UNKNOWN ||
		!test_bit(dlm->node_num, dlm->domain_map);
	spin_unlock(&dlm->spinlock);
	return known;
}

/* true when we won and must remaster; false when someone else does */
static bool o2dlm_pick_master(struct o2dlm_ctxt *dlm, u8 dead)
{
	struct o2dlm_reco_lock *rl;
	enum o2dlm_status st;
	bool won = false;

	rl = kzalloc(sizeof(*rl), GFP_NOFS);
	if (!rl)
		return false;
	for (;;) {
		o2dlm_fix_reco_lockres(dlm, dead);
		init_completion(&rl->granted);
		init_completion(&rl->unlocked);
		rl->lksb.lvb = rl->lvb;
		st = o2dlm_lock(dlm, O2DLM_EXMODE, &rl->lksb,
				O2DLM_LKM_NOQUEUE | O2DLM_LKM_RECOVERY,
				O2DLM_RECOVERY_LOCK, strlen(O2DLM_RECOVERY_LOCK),
				o2dlm_reco_ast, rl, o2dlm_reco_bast);
		if (st == O2DLM_NORMAL)
			break;
		wait_event_timeout(dlm->reco_wait, o2dlm_master_known(dlm), HZ);
		if (o2dlm_master_known(dlm))
			goto out;
	}
	wait_for_completion(&rl->granted);
	spin_lock(&dlm->spinlock);
	if (dlm->reco_master == O2DLM_OWNER_UNKNOWN) {
		dlm->reco_master = dlm->node_num;
		won = true;
	}
	spin_unlock(&dlm->spinlock);
	if (won) {
		pr_notice("o2dlm: domain %s: recovering node %u\n", dlm->name,
			  dead);
		o2dlm_send_to_all(dlm, O2DLM_BEGIN_RECO_MSG, dead, 0);
	}
	if (o2dlm_unlock(dlm, &rl->lksb, 0, o2dlm_reco_unlock_ast, rl) ==
	    O2DLM_NORMAL)
		wait_for_completion(&rl->unlocked);
out:
	kfree(rl);
	return won;
}

static u8 o2dlm_next_dead(struct o2dlm_ctxt *dlm)
{
	u8 dead;

	spin_lock(&dlm->spinlock);
	if (dlm->reco_dead == O2DLM_OWNER_UNKNOWN ||
	    !test_bit(dlm->reco_dead, dlm->recovery_map))
		dlm->reco_dead = find_first_bit(dlm->recovery_map,
						O2NM_MAX_NODES);
	if (dlm->reco_dead >= O2NM_MAX_NODES)
		dlm->reco_dead = O2DLM_OWNER_UNKNOWN;
	dead = dlm->reco_dead;
	/* leaving with nothing of ours left: the others recover it */
	if (dlm->migrate_done)
		dead = O2DLM_OWNER_UNKNOWN;
	spin_unlock(&dlm->spinlock);
	return dead;
}

static bool o2dlm_reco_settled(struct o2dlm_ctxt *dlm, u8 dead)
{
	bool settled;

	spin_lock(&dlm->spinlock);
	settled = !test_bit(dead, dlm->recovery_map) ||
		  dlm->reco_master == O2DLM_OWNER_UNKNOWN ||
		  !test_bit(dlm->node_num, dlm->domain_map);
	spin_unlock(&dlm->spinlock);
	return settled;
}

static void o2dlm_reco_work(struct work_struct *work)
{
	struct o2dlm_ctxt *dlm = container_of(work, struct o2dlm_ctxt,
					      reco_work);
	u8 dead;

	while ((dead = o2dlm_next_dead(dlm)) != O2DLM_OWNER_UNKNOWN) {
		/* a leaving node takes itself out of the map first */
		if (!test_bit(dlm->node_num, dlm->domain_map))
			return;
		if (!o2dlm_master_known(dlm) && o2dlm_pick_master(dlm, dead)) {
			o2dlm_remaster_locks(dlm, dead);
			continue;
		}
		/* another node recovers it; wait for its FINALIZE */
		wait_event_interruptible(dlm->reco_wait,
					 o2dlm_reco_settled(dlm, dead));
	}
}

/* ---- the other survivors' side ---- */

static struct o2dlm_reco_msg *o2dlm_reco_check(struct o2dlm_ctxt *dlm,
					       struct o2net_msg *msg, u32 len)
{
	struct o2dlm_reco_msg *m = (void *)msg->buf;

	if (len < sizeof(*msg) + sizeof(*m) || m->node_idx >= O2NM_MAX_NODES ||
	    m->dead_node >= O2NM_MAX_NODES) {
		o2dlm_malformed(dlm, "recovery message", len);
		return NULL;
	}
	if (!o2dlm_sender_ok(dlm, msg, m->node_idx, "a recovery message"))
		return NULL;
	return m;
}

static int o2dlm_begin_reco_handler(struct o2net_msg *msg, u32 len,
				    void *data, void **ret_data)
{
	struct o2dlm_reco_msg *br = o2dlm_reco_check(data, msg, len);
	struct o2dlm_ctxt *dlm = data;
	bool unseen;

	if (!br || !o2dlm_grab(dlm))
		return 0;
	spin_lock(&dlm->spinlock);
	if (dlm->reco_finalizing) {
		spin_unlock(&dlm->spinlock);
		o2dlm_put(dlm);
		return -EAGAIN;
	}
	dlm->reco_master = br->node_idx;
	dlm->reco_dead = br->dead_node;
	unseen = !test_bit(br->dead_node, dlm->recovery_map);
	spin_unlock(&dlm->spinlock);
	pr_notice("o2dlm: domain %s: node %u recovers node %u\n", dlm->name,
		  br->node_idx, br->dead_node);
	/* it saw the death before our heartbeat did */
	if (unseen) {
		spin_lock(&dlm->spinlock);
		clear_bit(br->dead_node, dlm->domain_map);
		spin_unlock(&dlm->spinlock);
		o2dlm_node_left(dlm, br->dead_node, true);
		o2dlm_start_recovery(dlm, br->dead_node);
	}
	wake_up(&dlm->reco_wait);
	o2dlm_put(dlm);
	return 0;
}

struct o2dlm_ral_work {
	struct work_struct	work;
	struct o2dlm_ctxt	*dlm;
	u8			dead;
	u8			to;
};

static void o2dlm_ral_worker(struct work_struct *work)
{
	struct o2dlm_ral_work *w = container_of(work, typeof(*w), work);
	struct o2dlm_reco_data_done done = {
		.hdr = { .node_idx = w->dlm->node_num, .dead_node = w->dead },
	};
	int ret;

	ret = o2dlm_send_reco_locks(w->dlm, w->dead, w->to);
	if (!ret)
		ret = o2net_send_message(O2DLM_RECO_DATA_DONE_MSG,
					 w->dlm->key, &done, sizeof(done),
					 w->to, NULL);
	if (ret < 0 && !o2dlm_is_host_down(ret))
		pr_err("o2dlm: %s: sending locks to recovery master %u: %d\n",
		       w->dlm->name, w->to, ret);
	o2dlm_put(w->dlm);
	kfree(w);
}

static int o2dlm_lock_request_handler(struct o2net_msg *msg, u32 len,
				      void *data, void **ret_data)
{
	struct o2dlm_reco_msg *lr = o2dlm_reco_check(data, msg, len);
	struct o2dlm_ctxt *dlm = data;
	struct o2dlm_ral_work *w;

	if (!lr || !o2dlm_grab(dlm))
		return -EINVAL;
	w = kzalloc(sizeof(*w), GFP_NOFS);
	if (!w) {
		o2dlm_put(dlm);
		return -ENOMEM;
	}
	spin_lock(&dlm->spinlock);
	dlm->reco_master = lr->node_idx;
	dlm->reco_dead = lr->dead_node;
	spin_unlock(&dlm->spinlock);
	INIT_WORK(&w->work, o2dlm_ral_worker);
	w->dlm = dlm;		/* keeps our reference */
	w->dead = lr->dead_node;
	w->to = lr->node_idx;
	queue_work(dlm->wq, &w->work);
	return 0;
}

static int o2dlm_data_done_handler(struct o2net_msg *msg, u32 len,
				   void *data, void **ret_data)
{
	struct o2dlm_reco_msg *d = o2dlm_reco_check(data, msg, len);
	struct o2dlm_ctxt *dlm = data;

	if (!d)
		return -EINVAL;
	spin_lock(&dlm->spinlock);
	if (dlm->reco_master == dlm->node_num &&
	    dlm->reco_dead == d->dead_node)
		dlm->reco_state[d->node_idx] = O2DLM_RECO_DONE;
	spin_unlock(&dlm->spinlock);
	wake_up(&dlm->reco_wait);
	return 0;
}

static int o2dlm_finalize_handler(struct o2net_msg *msg, u32 len, void *data,
				  void **ret_data)
{
	struct o2dlm_finalize_reco *fr = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	bool stage2, ours;

	if (len < sizeof(*msg) + sizeof(*fr) || fr->node_idx >= O2NM_MAX_NODES ||
	    fr->dead_node >= O2NM_MAX_NODES) {
		o2dlm_malformed(dlm, "finalize", len);
		return 0;
	}
	if (!o2dlm_sender_ok(dlm, msg, fr->node_idx, "a finalize"))
		return 0;
	stage2 = fr->flags & O2DLM_FINALIZE_STAGE2;
	spin_lock(&dlm->spinlock);
	ours = dlm->reco_master == fr->node_idx &&
	       dlm->reco_dead == fr->dead_node;
	if (ours && !stage2)
		dlm->reco_finalizing = true;
	spin_unlock(&dlm->spinlock);
	if (!ours) {
		pr_err("o2dlm: %s: node %u finalizes recovery of node %u, which we did not see begin; ignored\n",
		       dlm->name, fr->node_idx, fr->dead_node);
		return 0;
	}
	if (stage2)
		o2dlm_finish_recovery(dlm, fr->node_idx);
	return 0;
}

static int o2dlm_mig_lockres_handler(struct o2net_msg *msg, u32 len,
				     void *data, void **ret_data)
{
	struct o2dlm_migratable_lockres *mres = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	u8 from = O2DLM_OWNER_UNKNOWN;
	int ret;

	if (len < sizeof(*msg) + sizeof(*mres) ||
	    mres->lockname_len > O2DLM_LOCKID_NAME_MAX || !mres->lockname_len ||
	    mres->num_locks > O2DLM_MAX_MIGRATABLE_LOCKS ||
	    len < sizeof(*msg) + struct_size(mres, ml, mres->num_locks) ||
	    !(mres->flags & O2DLM_MRES_RECOVERY) ==
	    !(mres->flags & O2DLM_MRES_MIGRATION)) {
		o2dlm_malformed(dlm, "lock transfer", len);
		return -EINVAL;
	}
	if (!o2dlm_sender_ok(dlm, msg, O2DLM_OWNER_UNKNOWN, "a lock transfer"))
		return -EINVAL;
	if (!o2dlm_grab(dlm))
		return -EINVAL;
	if (mres->flags & O2DLM_MRES_MIGRATION)
		ret = o2dlm_joined(dlm) ? o2dlm_mig_target(dlm, mres) : 0;
	else
		ret = o2dlm_take_reco_locks(dlm, mres, &from);
	o2dlm_put(dlm);
	return ret;
}

/* a node asks who masters a resource: us, or we do not know */
static int o2dlm_requery_handler(struct o2net_msg *msg, u32 len, void *data,
				 void **ret_data)
{
	struct o2dlm_master_requery *q = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	struct o2dlm_lockres *res;
	int master = O2DLM_OWNER_UNKNOWN;

	if (len < sizeof(*msg) + sizeof(*q) || q->namelen > O2DLM_LOCKID_NAME_MAX)
		return master;
	res = o2dlm_lookup_lockres(dlm, q->name, q->namelen);
	if (res) {
		if (READ_ONCE(res->owner) == dlm->node_num)
			master = dlm->node_num;
		o2dlm_lockres_put(res);
	}
	return master;
}

int o2dlm_register_reco_handlers(struct o2dlm_ctxt *dlm)
{
	static const struct {
		u32 type;
		u32 len;
		o2net_msg_handler_func *func;
	} tbl[] = {
		{ O2DLM_BEGIN_RECO_MSG, sizeof(struct o2dlm_reco_msg),
		  o2dlm_begin_reco_handler },
		{ O2DLM_LOCK_REQUEST_MSG, sizeof(struct o2dlm_reco_msg),
		  o2dlm_lock_request_handler },
		{ O2DLM_RECO_DATA_DONE_MSG, sizeof(struct o2dlm_reco_data_done),
		  o2dlm_data_done_handler },
		{ O2DLM_FINALIZE_RECO_MSG, sizeof(struct o2dlm_finalize_reco),
		  o2dlm_finalize_handler },
		{ O2DLM_MIG_LOCKRES_MSG, O2DLM_MIG_LOCKRES_MAX_LEN,
		  o2dlm_mig_lockres_handler },
		{ O2DLM_MASTER_REQUERY_MSG, sizeof(struct o2dlm_master_requery),
		  o2dlm_requery_handler },
	};
	int i, ret = 0;

	for (i = 0; i < ARRAY_SIZE(tbl) && !ret; i++)
		ret = o2net_register_handler(tbl[i].type, dlm->key, tbl[i].len,
					     tbl[i].func, dlm, NULL,
					     &dlm->handlers);
	return ret;
}
