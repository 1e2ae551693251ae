// SPDX-License-Identifier: GPL-2.0
/*
 * AST delivery.  Grants, blocking notices and unlock completions are
 * queued (under any lock) and delivered in order by one work item per
 * domain, outside every spinlock: a local lock's callback is called, a
 * remote holder's lock gets a PROXY_AST message from us, its master.
 * The other half is here too: the proxy_ast handler, where a master
 * tells us one of our locks was granted or blocks somebody.
 */
#include <linux/module.h>

#include "dlm_internal.h"

/*
 * While the domain is joined a proxy AST is posted: the master's AST
 * worker goes on to the next delivery without a round trip per grant
 * (messages to one node run there in the order sent, and the holder's
 * answer only ever reported a lock it no longer knew).  From our leave
 * on they are waited for again: migration and recovery must know every
 * notice was handled before a resource moves.  Off by default: with it
 * on, the mixed 6.12 set passed, but the bench showed no gain over its
 * noise (run 20261127-043215); 6.1 never ran it.
 */
static bool o2dlm_post_asts;
module_param_named(post_proxy_asts, o2dlm_post_asts, bool, 0644);
MODULE_PARM_DESC(post_proxy_asts,
		 "send proxy ASTs without waiting for the holder's answer while the domain is joined (default 0)");

static bool o2dlm_posting(struct o2dlm_ctxt *dlm)
{
	bool post;

	if (!READ_ONCE(o2dlm_post_asts))
		return false;
	spin_lock(&o2dlm_domain_lock);
	post = dlm->state == O2DLM_CTXT_JOINED;
	spin_unlock(&o2dlm_domain_lock);
	return post;
}

static void o2dlm_queue_entry(struct o2dlm_ctxt *dlm,
			      struct o2dlm_ast_entry *e)
{
	spin_lock(&dlm->ast_lock);
	if (list_empty(&e->item)) {
		o2dlm_lock_get(e->lock);
		list_add_tail(&e->item, &dlm->ast_list);
	}
	spin_unlock(&dlm->ast_lock);
	queue_work(dlm->wq, &dlm->ast_work);
}

void __o2dlm_queue_ast(struct o2dlm_ctxt *dlm, struct o2dlm_lock *lock)
{
	o2dlm_queue_entry(dlm, &lock->ast_e);
}

void __o2dlm_queue_bast(struct o2dlm_ctxt *dlm, struct o2dlm_lock *lock,
			int blocked)
{
	spin_lock(&dlm->ast_lock);
	if (list_empty(&lock->bast_e.item) || blocked > lock->bast_level)
		lock->bast_level = blocked;
	spin_unlock(&dlm->ast_lock);
	o2dlm_queue_entry(dlm, &lock->bast_e);
}

void o2dlm_queue_unlock_ast(struct o2dlm_ctxt *dlm, struct o2dlm_lock *lock,
			    enum o2dlm_status status)
{
	lock->unlock_status = status;
	o2dlm_queue_entry(dlm, &lock->unlock_e);
}

static void o2dlm_send_proxy(struct o2dlm_ctxt *dlm, struct o2dlm_lock *lock,
			     u8 type, int blocked)
{
	struct o2dlm_lockres *res = lock->res;
	struct o2dlm_proxy_ast past = { .node_idx = dlm->node_num };
	struct kvec vec[2] = { { &past, sizeof(past) },
			       { lock->own_lvb, O2DLM_LVB_LEN } };
	int ret, status = 0, veclen = 1;

	past.type = type;
	past.blocked_type = blocked;
	past.namelen = res->namelen;
	memcpy(past.name, res->name, res->namelen);
	past.cookie = cpu_to_be64(lock->cookie);
	if (type == O2DLM_AST &&
	    (lock->own_lksb.flags & O2DLM_LKSB_GET_LVB)) {
		past.flags = cpu_to_be32(O2DLM_LKM_GET_LVB);
		veclen = 2;
	}
	if (type == O2DLM_AST)
		lock->own_lksb.flags &= ~(O2DLM_LKSB_GET_LVB |
					  O2DLM_LKSB_PUT_LVB);
	if (o2dlm_posting(dlm))
		ret = o2net_post_message_vec(O2DLM_PROXY_AST_MSG, dlm->key, vec,
					     veclen, lock->node);
	else
		ret = o2net_send_message_vec(O2DLM_PROXY_AST_MSG, dlm->key,
					     vec, veclen, lock->node, &status);
	if (ret < 0 && !o2dlm_is_host_down(ret))
		pr_err("o2dlm: %s: proxy %s to node %u failed: %d\n",
		       dlm->name, type == O2DLM_AST ? "ast" : "bast",
		       lock->node, ret);
	else if (ret >= 0 && status != O2DLM_NORMAL && status != O2DLM_IVLOCKID)
		pr_err("o2dlm: %s: node %u answered a proxy ast with %d\n",
		       dlm->name, lock->node, status);
}

static void o2dlm_deliver(struct o2dlm_ctxt *dlm, struct o2dlm_ast_entry *e)
{
	struct o2dlm_lock *lock = e->lock;
	bool local = lock->node == dlm->node_num;

	if (e == &lock->unlock_e) {
		if (lock->unlock_ast)
			lock->unlock_ast(lock->unlock_data, lock->unlock_status);
	} else if (e == &lock->ast_e) {
		if (!local) {
			o2dlm_send_proxy(dlm, lock, O2DLM_AST, 0);
			return;
		}
		lock->lksb->status = O2DLM_NORMAL;
		lock->lksb->flags &= ~(O2DLM_LKSB_GET_LVB | O2DLM_LKSB_PUT_LVB);
		lock->ast(lock->astdata);
	} else if (!local) {
		o2dlm_send_proxy(dlm, lock, O2DLM_BAST, lock->bast_level);
	} else {
		lock->bast(lock->astdata, lock->bast_level);
	}
}

void o2dlm_ast_work(struct work_struct *work)
{
	struct o2dlm_ctxt *dlm = container_of(work, struct o2dlm_ctxt,
					      ast_work);
	struct o2dlm_ast_entry *e;

	spin_lock(&dlm->ast_lock);
	while ((e = list_first_entry_or_null(&dlm->ast_list,
					     struct o2dlm_ast_entry, item))) {
		list_del_init(&e->item);
		spin_unlock(&dlm->ast_lock);
		o2dlm_deliver(dlm, e);
		o2dlm_lock_put(e->lock);
		spin_lock(&dlm->ast_lock);
	}
	spin_unlock(&dlm->ast_lock);
}

void o2dlm_flush_asts(struct o2dlm_ctxt *dlm)
{
	flush_work(&dlm->ast_work);
}

/* res->spinlock held: the lock the master means, or NULL */
static struct o2dlm_lock *o2dlm_proxy_target(struct o2dlm_lockres *res,
					     u64 cookie, u8 type)
{
	enum o2dlm_queue q;
	struct o2dlm_lock *lock = o2dlm_find_lock(res, cookie, &q);

	if (!lock || q == O2DLM_Q_CONVERTING)
		return lock;
	if (type == O2DLM_AST)
		return q == O2DLM_Q_BLOCKED ? lock : NULL;
	return q == O2DLM_Q_GRANTED ? lock : NULL;
}

static void o2dlm_proxy_grant(struct o2dlm_lock *lock,
			      struct o2dlm_proxy_ast *past, u32 flags)
{
	struct o2dlm_lockres *res = lock->res;

	list_move_tail(&lock->list, &res->granted);
	if (lock->convert_type != O2DLM_IVMODE) {
		lock->type = lock->convert_type;
		lock->convert_type = O2DLM_IVMODE;
	}
	if (flags & O2DLM_LKM_GET_LVB) {
		if (lock->lksb->flags & O2DLM_LKSB_GET_LVB)
			memcpy(lock->lksb->lvb, past->lvb, O2DLM_LVB_LEN);
		else
			pr_err("o2dlm: %s: master sent a value block for %.*s nobody asked for; ignored\n",
			       res->dlm->name, res->namelen, res->name);
	}
}

static int o2dlm_proxy_check(struct o2net_msg *msg, u32 len, u32 *flags)
{
	struct o2dlm_proxy_ast *past = (void *)msg->buf;

	if (len < sizeof(*msg) + sizeof(*past) ||
	    past->namelen > O2DLM_LOCKID_NAME_MAX)
		return O2DLM_IVBUFLEN;
	*flags = be32_to_cpu(past->flags);
	if ((*flags & (O2DLM_LKM_PUT_LVB | O2DLM_LKM_GET_LVB)) ==
	    (O2DLM_LKM_PUT_LVB | O2DLM_LKM_GET_LVB) ||
	    ((*flags & O2DLM_LKM_GET_LVB) &&
	     len < sizeof(*msg) + sizeof(*past) + O2DLM_LVB_LEN))
		return O2DLM_BADARGS;
	if ((past->type != O2DLM_AST && past->type != O2DLM_BAST) ||
	    (past->type == O2DLM_BAST && past->blocked_type > O2DLM_MAXMODE))
		return O2DLM_IVLOCKID;
	return O2DLM_NORMAL;
}

static int o2dlm_proxy_ast_handler(struct o2net_msg *msg, u32 len, void *data,
				   void **ret_data)
{
	struct o2dlm_proxy_ast *past = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	struct o2dlm_lockres *res = NULL;
	struct o2dlm_lock *lock = NULL;
	int ret;
	u32 flags;

	ret = o2dlm_proxy_check(msg, len, &flags);
	if (ret != O2DLM_NORMAL) {
		pr_err("o2dlm: dropped a malformed proxy ast (len %u, status %d)\n",
		       len, ret);
		return ret;
	}
	if (!o2dlm_sender_ok(dlm, msg, past->node_idx, "a proxy ast"))
		return O2DLM_IVLOCKID;
	if (!o2dlm_grab(dlm))
		return O2DLM_NORMAL;
	res = o2dlm_lookup_lockres(dlm, past->name, past->namelen);
	if (!res) {
		ret = O2DLM_IVLOCKID;
		goto out;
	}
	spin_lock(&res->spinlock);
	if (res->owner == dlm->node_num || res->owner != past->node_idx) {
		pr_err("o2dlm: %s: node %u sent an ast for %.*s, mastered by %u; ignored\n",
		       dlm->name, past->node_idx, res->namelen, res->name,
		       res->owner);
		ret = O2DLM_IVLOCKID;
	} else {
		lock = o2dlm_proxy_target(res, be64_to_cpu(past->cookie),
					  past->type);
		if (lock && past->type == O2DLM_AST) {
			o2dlm_proxy_grant(lock, past, flags);
			__o2dlm_queue_ast(dlm, lock);
		} else if (lock) {
			__o2dlm_queue_bast(dlm, lock, past->blocked_type);
		}
	}
	spin_unlock(&res->spinlock);
	o2dlm_lockres_put(res);
out:
	o2dlm_put(dlm);
	return ret;
}

int o2dlm_register_ast_handlers(struct o2dlm_ctxt *dlm)
{
	return o2net_register_handler(O2DLM_PROXY_AST_MSG, dlm->key,
				      sizeof(struct o2dlm_proxy_ast) +
				      O2DLM_LVB_LEN,
				      o2dlm_proxy_ast_handler, dlm, NULL,
				      &dlm->handlers);
}
