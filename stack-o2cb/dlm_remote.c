// SPDX-License-Identifier: GPL-2.0
/*
 * Locks on resources another node masters.  We keep a shadow of our own
 * locks in the resource's queues (blocked until the master's AST, then
 * granted, converting while a conversion is pending) and send the
 * request to the master: CREATE_LOCK, CONVERT_LOCK (with our value block
 * when leaving EX), UNLOCK_LOCK.  The master's reply is the request's
 * immediate fate; grants come later as proxy ASTs (dlm_ast.c).
 * The master's side of the same three messages is here too.
 */
#include "dlm_internal.h"

static enum o2dlm_status o2dlm_net_status(struct o2dlm_ctxt *dlm, int ret,
					  int status, u8 to)
{
	if (ret >= 0)
		return status >= 0 && status < O2DLM_MAXSTATS ? status :
								 O2DLM_SYSERR;
	if (o2dlm_is_host_down(ret))
		return O2DLM_RECOVERING;
	pr_err("o2dlm: %s: lock message to node %u failed: %d\n", dlm->name,
	       to, ret);
	return O2DLM_SYSERR;
}

enum o2dlm_status o2dlm_remote_lock(struct o2dlm_ctxt *dlm,
				    struct o2dlm_lockres *res,
				    struct o2dlm_lock *lock, int flags)
{
	struct o2dlm_create_lock create = { .node_idx = dlm->node_num };
	int ret, status = 0;
	u8 owner;

	create.requested_type = lock->type;
	create.cookie = cpu_to_be64(lock->cookie);
	create.namelen = res->namelen;
	memcpy(create.name, res->name, res->namelen);
	if (flags & O2DLM_LKM_VALBLK)
		flags |= O2DLM_LKM_GET_LVB;
	create.flags = cpu_to_be32(flags & ~O2DLM_LKM_LOCAL);

	spin_lock(&res->spinlock);
	owner = res->owner;
	o2dlm_lock_get(lock);
	list_add_tail(&lock->list, &res->blocked);
	spin_unlock(&res->spinlock);

	ret = o2net_send_message(O2DLM_CREATE_LOCK_MSG, dlm->key, &create,
				 sizeof(create), owner, &status);
	status = o2dlm_net_status(dlm, ret, status, owner);

	if (status != O2DLM_NORMAL) {
		spin_lock(&res->spinlock);
		if (!list_empty(&lock->list)) {
			list_del_init(&lock->list);
			o2dlm_lock_put(lock);
		}
		spin_unlock(&res->spinlock);
	}
	return status;
}

enum o2dlm_status o2dlm_remote_convert(struct o2dlm_ctxt *dlm,
				       struct o2dlm_lockres *res,
				       struct o2dlm_lock *lock, int flags,
				       int mode)
{
	struct o2dlm_convert_lock conv = { .node_idx = dlm->node_num };
	struct kvec vec[2] = { { &conv, sizeof(conv) },
			       { lock->lksb->lvb, O2DLM_LVB_LEN } };
	int ret, status = 0, veclen = 1;
	u8 owner;

	spin_lock(&res->spinlock);
	if (lock->convert_type != O2DLM_IVMODE ||
	    !o2dlm_on(&res->granted, lock)) {
		spin_unlock(&res->spinlock);
		return O2DLM_DENIED;
	}
	owner = res->owner;
	lock->convert_type = mode;
	list_move_tail(&lock->list, &res->converting);
	lock->lksb->flags &= ~(O2DLM_LKSB_GET_LVB | O2DLM_LKSB_PUT_LVB);
	if ((flags & O2DLM_LKM_VALBLK) && lock->type == O2DLM_EXMODE) {
		flags |= O2DLM_LKM_PUT_LVB;
		veclen = 2;
	} else if ((flags & O2DLM_LKM_VALBLK) && mode > O2DLM_NLMODE) {
		flags |= O2DLM_LKM_GET_LVB;
		lock->lksb->flags |= O2DLM_LKSB_GET_LVB;
	}
	spin_unlock(&res->spinlock);

	conv.cookie = cpu_to_be64(lock->cookie);
	conv.flags = cpu_to_be32(flags);
	conv.requested_type = mode;
	conv.namelen = res->namelen;
	memcpy(conv.name, res->name, res->namelen);
	ret = o2net_send_message_vec(O2DLM_CONVERT_LOCK_MSG, dlm->key, vec,
				     veclen, owner, &status);
	status = o2dlm_net_status(dlm, ret, status, owner);

	if (status != O2DLM_NORMAL) {
		spin_lock(&res->spinlock);
		if (lock->convert_type != O2DLM_IVMODE) {
			lock->convert_type = O2DLM_IVMODE;
			list_move_tail(&lock->list, &res->granted);
		}
		lock->lksb->flags &= ~O2DLM_LKSB_GET_LVB;
		spin_unlock(&res->spinlock);
	}
	return status;
}

/* the master accepted: make our shadow queues agree */
static void o2dlm_unlock_commit(struct o2dlm_lockres *res,
				struct o2dlm_lock *lock, int flags)
{
	spin_lock(&res->spinlock);
	if (!(flags & O2DLM_LKM_CANCEL) || lock->convert_type == O2DLM_IVMODE) {
		if (!list_empty(&lock->list)) {
			list_del_init(&lock->list);
			o2dlm_lock_put(lock);
		}
	} else {
		lock->convert_type = O2DLM_IVMODE;
		list_move_tail(&lock->list, &res->granted);
	}
	spin_unlock(&res->spinlock);
}

enum o2dlm_status o2dlm_remote_unlock(struct o2dlm_ctxt *dlm,
				      struct o2dlm_lockres *res,
				      struct o2dlm_lock *lock, int flags)
{
	struct o2dlm_unlock_lock unl = { .node_idx = dlm->node_num };
	struct kvec vec[2] = { { &unl, sizeof(unl) },
			       { lock->lksb->lvb, O2DLM_LVB_LEN } };
	int ret, status = 0, veclen = 1;
	u8 owner;

	spin_lock(&res->spinlock);
	owner = res->owner;
	if (!(flags & O2DLM_LKM_CANCEL) && (flags & O2DLM_LKM_VALBLK) &&
	    lock->type == O2DLM_EXMODE) {
		flags |= O2DLM_LKM_PUT_LVB;
		veclen = 2;
	} else {
		flags &= ~O2DLM_LKM_VALBLK;
	}
	spin_unlock(&res->spinlock);

	unl.cookie = cpu_to_be64(lock->cookie);
	unl.flags = cpu_to_be32(flags);
	unl.namelen = res->namelen;
	memcpy(unl.name, res->name, res->namelen);
	ret = o2net_send_message_vec(O2DLM_UNLOCK_LOCK_MSG, dlm->key, vec,
				     veclen, owner, &status);
	status = o2dlm_net_status(dlm, ret, status, owner);
	if (status == O2DLM_NORMAL)
		o2dlm_unlock_commit(res, lock, flags);
	return status;
}

/* ---- the master's side ---- */

/* a hashed resource we master, or NULL with *status set */
static struct o2dlm_lockres *o2dlm_mastered(struct o2dlm_ctxt *dlm,
					    const u8 *name, u8 len, u8 node,
					    int *status)
{
	struct o2dlm_lockres *res;

	*status = O2DLM_IVLOCKID;
	if (node >= O2NM_MAX_NODES || !o2dlm_joined(dlm)) {
		*status = O2DLM_FORWARD;
		return NULL;
	}
	res = o2dlm_lookup_lockres(dlm, name, len);
	if (!res)
		return NULL;
	if (READ_ONCE(res->state) & O2DLM_RES_MIGRATING) {
		/* the sender asks again, of the new master */
		*status = O2DLM_MIGRATING;
		o2dlm_lockres_put(res);
		return NULL;
	}
	if (res->owner != dlm->node_num) {
		pr_err("o2dlm: %s: node %u sent a lock request for %.*s, mastered by %u\n",
		       dlm->name, node, len, name, res->owner);
		o2dlm_lockres_put(res);
		return NULL;
	}
	return res;
}

static bool o2dlm_mode_ok(int mode)
{
	return mode >= O2DLM_NLMODE && mode <= O2DLM_MAXMODE;
}

static int o2dlm_create_lock_handler(struct o2net_msg *msg, u32 len,
				     void *data, void **ret_data)
{
	struct o2dlm_create_lock *c = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	struct o2dlm_lockres *res;
	struct o2dlm_lock *lock;
	int status;

	if (len < sizeof(*msg) + sizeof(*c) ||
	    c->namelen > O2DLM_LOCKID_NAME_MAX || !o2dlm_mode_ok(c->requested_type))
		return o2dlm_malformed(dlm, "lock request", len);
	if (!o2dlm_sender_ok(dlm, msg, c->node_idx, "a lock request"))
		return O2DLM_REJECTED;
	if (!o2dlm_grab(dlm))
		return O2DLM_FORWARD;
	res = o2dlm_mastered(dlm, c->name, c->namelen, c->node_idx, &status);
	if (!res)
		goto out;
	status = O2DLM_SYSERR;
	lock = o2dlm_new_lock(c->requested_type, c->node_idx,
			      be64_to_cpu(c->cookie));
	if (!lock)
		goto out_res;
	if (be32_to_cpu(c->flags) & O2DLM_LKM_GET_LVB)
		lock->own_lksb.flags |= O2DLM_LKSB_GET_LVB;
	o2dlm_lockres_get(res);
	lock->res = res;
	spin_lock(&res->spinlock);
	if (o2dlm_find_lock(res, lock->cookie, NULL))
		status = O2DLM_DENIED;
	else
		status = __o2dlm_lock_master(dlm, res, lock,
					     be32_to_cpu(c->flags));
	spin_unlock(&res->spinlock);
	o2dlm_lock_put(lock);
out_res:
	o2dlm_lockres_put(res);
out:
	o2dlm_put(dlm);
	return status;
}

/* res->spinlock held: the sender's own granted lock, or NULL */
static struct o2dlm_lock *o2dlm_senders_lock(struct o2dlm_lockres *res,
					     __be64 cookie, u8 node)
{
	struct o2dlm_lock *lock = o2dlm_find_lock(res, be64_to_cpu(cookie),
						  NULL);

	return lock && lock->node == node ? lock : NULL;
}

static int o2dlm_convert_lock_handler(struct o2net_msg *msg, u32 len,
				      void *data, void **ret_data)
{
	struct o2dlm_convert_lock *c = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	struct o2dlm_lockres *res;
	struct o2dlm_lock *lock;
	int status;
	u32 flags;

	if (len < sizeof(*msg) + sizeof(*c) ||
	    c->namelen > O2DLM_LOCKID_NAME_MAX || !o2dlm_mode_ok(c->requested_type))
		return o2dlm_malformed(dlm, "convert request", len);
	flags = be32_to_cpu(c->flags);
	if (((flags & O2DLM_LKM_PUT_LVB) && (flags & O2DLM_LKM_GET_LVB)) ||
	    ((flags & O2DLM_LKM_PUT_LVB) &&
	     len < sizeof(*msg) + sizeof(*c) + O2DLM_LVB_LEN))
		return o2dlm_malformed(dlm, "convert request", len);
	if (!o2dlm_sender_ok(dlm, msg, c->node_idx, "a convert request"))
		return O2DLM_REJECTED;
	if (!o2dlm_grab(dlm))
		return O2DLM_FORWARD;
	res = o2dlm_mastered(dlm, c->name, c->namelen, c->node_idx, &status);
	if (!res)
		goto out;
	spin_lock(&res->spinlock);
	lock = o2dlm_senders_lock(res, c->cookie, c->node_idx);
	if (!lock) {
		status = O2DLM_IVLOCKID;
	} else {
		if (flags & O2DLM_LKM_PUT_LVB)
			memcpy(lock->own_lvb, c->lvb, O2DLM_LVB_LEN);
		status = __o2dlm_convert_master(dlm, res, lock, flags,
						c->requested_type);
	}
	spin_unlock(&res->spinlock);
	o2dlm_lockres_put(res);
out:
	o2dlm_put(dlm);
	return status;
}

static int o2dlm_unlock_lock_handler(struct o2net_msg *msg, u32 len,
				     void *data, void **ret_data)
{
	struct o2dlm_unlock_lock *u = (void *)msg->buf;
	struct o2dlm_ctxt *dlm = data;
	struct o2dlm_lockres *res;
	struct o2dlm_lock *lock;
	int status;
	u32 flags;

	if (len < sizeof(*msg) + sizeof(*u) || u->namelen > O2DLM_LOCKID_NAME_MAX)
		return o2dlm_malformed(dlm, "unlock request", len);
	flags = be32_to_cpu(u->flags);
	if ((flags & O2DLM_LKM_GET_LVB) ||
	    ((flags & O2DLM_LKM_PUT_LVB) &&
	     (flags & O2DLM_LKM_CANCEL || len < sizeof(*msg) + sizeof(*u) +
					      O2DLM_LVB_LEN)))
		return o2dlm_malformed(dlm, "unlock request", len);
	if (!o2dlm_sender_ok(dlm, msg, u->node_idx, "an unlock request"))
		return O2DLM_REJECTED;
	if (!o2dlm_grab(dlm))
		return O2DLM_FORWARD;
	res = o2dlm_mastered(dlm, u->name, u->namelen, u->node_idx, &status);
	if (!res)
		goto out;
	spin_lock(&res->spinlock);
	lock = o2dlm_senders_lock(res, u->cookie, u->node_idx);
	if (!lock) {
		status = O2DLM_IVLOCKID;
	} else {
		if (flags & O2DLM_LKM_PUT_LVB) {
			memcpy(lock->own_lvb, u->lvb, O2DLM_LVB_LEN);
			flags |= O2DLM_LKM_VALBLK;
		} else {
			flags &= ~O2DLM_LKM_VALBLK;
		}
		status = __o2dlm_unlock_master(dlm, res, lock, flags);
	}
	spin_unlock(&res->spinlock);
	o2dlm_lockres_put(res);
out:
	o2dlm_put(dlm);
	return status;
}

int o2dlm_register_remote_handlers(struct o2dlm_ctxt *dlm)
{
	int ret;

	ret = o2net_register_handler(O2DLM_CREATE_LOCK_MSG, dlm->key,
				     sizeof(struct o2dlm_create_lock),
				     o2dlm_create_lock_handler, dlm, NULL,
				     &dlm->handlers);
	if (!ret)
		ret = o2net_register_handler(O2DLM_CONVERT_LOCK_MSG, dlm->key,
					     sizeof(struct o2dlm_convert_lock) +
					     O2DLM_LVB_LEN,
					     o2dlm_convert_lock_handler, dlm,
					     NULL, &dlm->handlers);
	if (!ret)
		ret = o2net_register_handler(O2DLM_UNLOCK_LOCK_MSG, dlm->key,
					     sizeof(struct o2dlm_unlock_lock) +
					     O2DLM_LVB_LEN,
					     o2dlm_unlock_lock_handler, dlm,
					     NULL, &dlm->handlers);
	return ret;
}
