// SPDX-License-Identifier: GPL-2.0
/*
 * o2net requests and replies.  Upper layers register handlers keyed by
 * (message type, key); a received message runs its handler in the
 * connection's receive worker and the handler's return value goes back
 * in a status frame carrying the request's msg_num.  A sender sleeps on
 * its peer until that reply arrives or the connection dies, unless it
 * posts the message: then its msg_num is held by a marker nobody waits
 * on (so no later request can be given that number and take its reply)
 * and the reply is dropped when it comes.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/rwsem.h>
#include <linux/slab.h>

#include "net_internal.h"

struct o2net_handler {
	struct hlist_node	hash;
	struct list_head	unreg_item;	/* on the owner's list */
	u32			msg_type;
	u32			key;
	u32			max_len;
	o2net_msg_handler_func	*func;
	o2net_post_msg_handler_func *post_func;
	void			*data;
};

/* held for read while a handler runs, so unregistering waits for it */
static DECLARE_RWSEM(o2net_handler_sem);
static DEFINE_HASHTABLE(o2net_handlers, 7);

struct o2net_status_wait {
	bool	done;
	u32	sys_status;
	s32	status;
};

/* the waiter of every posted message: never written, never waited on */
static struct o2net_status_wait o2net_posted;

static u32 o2net_handler_hash(u32 msg_type, u32 key)
{
	return key ^ (msg_type * 0x9e3779b9);
}

static struct o2net_handler *o2net_handler_find(u32 msg_type, u32 key)
{
	struct o2net_handler *h;

	hash_for_each_possible(o2net_handlers, h, hash,
			       o2net_handler_hash(msg_type, key))
		if (h->msg_type == msg_type && h->key == key)
			return h;
	return NULL;
}

int o2net_register_handler(u32 msg_type, u32 key, u32 max_len,
			   o2net_msg_handler_func *func, void *data,
			   o2net_post_msg_handler_func *post_func,
			   struct list_head *unreg_list)
{
	struct o2net_handler *h;
	int ret = 0;

	if (!func || !unreg_list || max_len > O2NET_MAX_PAYLOAD_BYTES)
		return -EINVAL;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->msg_type = msg_type;
	h->key = key;
	h->max_len = max_len;
	h->func = func;
	h->post_func = post_func;
	h->data = data;

	down_write(&o2net_handler_sem);
	if (o2net_handler_find(msg_type, key)) {
		pr_err("o2net: a handler for type %u key 0x%08x already exists\n",
		       msg_type, key);
		ret = -EEXIST;
		kfree(h);
	} else {
		hash_add(o2net_handlers, &h->hash,
			 o2net_handler_hash(msg_type, key));
		list_add_tail(&h->unreg_item, unreg_list);
	}
	up_write(&o2net_handler_sem);
	return ret;
}
EXPORT_SYMBOL_GPL(o2net_register_handler);

void o2net_unregister_handler_list(struct list_head *list)
{
	struct o2net_handler *h, *tmp;

	down_write(&o2net_handler_sem);
	list_for_each_entry_safe(h, tmp, list, unreg_item) {
		hash_del(&h->hash);
		list_del(&h->unreg_item);
		kfree(h);
	}
	up_write(&o2net_handler_sem);
}
EXPORT_SYMBOL_GPL(o2net_unregister_handler_list);

static void o2net_send_status(struct o2net_conn *conn, struct o2net_msg *req,
			      u32 sys_status, s32 status)
{
	struct o2net_msg reply = {
		.magic = cpu_to_be16(O2NET_MSG_STATUS_MAGIC),
		.msg_type = req->msg_type,
		.sys_status = cpu_to_be32(sys_status),
		.status = cpu_to_be32(status),
		.key = req->key,
		.msg_num = req->msg_num,
	};
	struct kvec vec = { .iov_base = &reply, .iov_len = sizeof(reply) };

	o2net_send_bytes(conn, &vec, 1, sizeof(reply));
}

static void o2net_handle_message(struct o2net_conn *conn,
				 struct o2net_msg *hdr)
{
	u32 type = be16_to_cpu(hdr->msg_type), key = be32_to_cpu(hdr->key);
	u32 len = be16_to_cpu(hdr->data_len);
	struct o2net_handler *h;
	void *ret_data = NULL;
	s32 status = 0;

	down_read(&o2net_handler_sem);
	h = o2net_handler_find(type, key);
	if (!h) {
		/* also seen when a peer races our leaving a domain */
		pr_notice_ratelimited("o2net: node %u sent type %u key 0x%08x, which nothing here handles\n",
				      conn->peer, type, key);
		o2net_send_status(conn, hdr, O2NET_ERR_NO_HNDLR, 0);
	} else if (len > h->max_len) {
		pr_notice_ratelimited("o2net: node %u sent %u bytes to type %u key 0x%08x, which takes %u\n",
				      conn->peer, len, type, key, h->max_len);
		o2net_send_status(conn, hdr, O2NET_ERR_OVERFLOW, 0);
	} else {
		hdr->pad1 = cpu_to_be16(conn->peer);
		status = h->func(hdr, sizeof(*hdr) + len, h->data, &ret_data);
		o2net_send_status(conn, hdr, O2NET_ERR_NONE, status);
		if (h->post_func)
			h->post_func(status, h->data, ret_data);
	}
	up_read(&o2net_handler_sem);
}

void o2net_dispatch(struct o2net_conn *conn, struct o2net_msg *hdr)
{
	struct o2net_msg resp = {
		.magic = cpu_to_be16(O2NET_MSG_KEEP_RESP_MAGIC),
	};
	struct kvec vec = { .iov_base = &resp, .iov_len = sizeof(resp) };

	switch (be16_to_cpu(hdr->magic)) {
	case O2NET_MSG_STATUS_MAGIC:
		o2net_complete_status(o2net_peer(conn->peer),
				      be32_to_cpu(hdr->msg_num),
				      be32_to_cpu(hdr->sys_status),
				      (s32)be32_to_cpu(hdr->status));
		break;
	case O2NET_MSG_KEEP_REQ_MAGIC:
		o2net_send_bytes(conn, &vec, 1, sizeof(resp));
		break;
	case O2NET_MSG_KEEP_RESP_MAGIC:
		break;
	case O2NET_MSG_MAGIC:
		o2net_handle_message(conn, hdr);
		break;
	}
}

void o2net_complete_status(struct o2net_peer *peer, u32 msg_num,
			   u32 sys_status, s32 status)
{
	struct o2net_status_wait *w;

	spin_lock(&peer->lock);
	w = idr_remove(&peer->status_idr, msg_num);
	if (w && w != &o2net_posted) {
		w->sys_status = sys_status;
		w->status = status;
		w->done = true;
	}
	spin_unlock(&peer->lock);
	if (w == &o2net_posted)
		return;
	if (w)
		wake_up_all(&peer->wq);
	else
		pr_debug("o2net: reply %u matches no request\n", msg_num);
}

/* the connection died: nobody will answer */
void o2net_fail_all_status(struct o2net_peer *peer)
{
	struct o2net_status_wait *w;
	int id;

	spin_lock(&peer->lock);
	idr_for_each_entry(&peer->status_idr, w, id) {
		idr_remove(&peer->status_idr, id);
		if (w == &o2net_posted)
			continue;
		w->sys_status = O2NET_ERR_DIED;
		w->done = true;
	}
	spin_unlock(&peer->lock);
	wake_up_all(&peer->wq);
}

static int o2net_sys_errno(u32 sys_status)
{
	switch (sys_status) {
	case O2NET_ERR_NONE:
		return 0;
	case O2NET_ERR_NO_HNDLR:
		return -ENOPROTOOPT;
	case O2NET_ERR_OVERFLOW:
		return -EOVERFLOW;
	default:
		return -EHOSTDOWN;
	}
}

/* Wait for a connection past the handshake; returns it referenced. */
static struct o2net_conn *o2net_get_valid_conn(struct o2net_peer *peer,
					       int *err)
{
	struct o2net_conn *conn = NULL;

	wait_event_timeout(peer->wq, READ_ONCE(peer->valid) ||
			   READ_ONCE(peer->error),
			   msecs_to_jiffies(o2net_idle_timeout()));
	spin_lock(&peer->lock);
	if (peer->valid && peer->conn) {
		conn = peer->conn;
		kref_get(&conn->kref);
	} else {
		*err = peer->error ? peer->error : -ENOTCONN;
	}
	spin_unlock(&peer->lock);
	return conn;
}

static int o2net_add_waiter(struct o2net_peer *peer,
			    struct o2net_status_wait *w)
{
	int id;

	idr_preload(GFP_NOFS);
	spin_lock(&peer->lock);
	id = idr_alloc_cyclic(&peer->status_idr, w, 0, INT_MAX, GFP_NOWAIT);
	spin_unlock(&peer->lock);
	idr_preload_end();
	return id;
}

static void o2net_drop_waiter(struct o2net_peer *peer, int id)
{
	spin_lock(&peer->lock);
	idr_remove(&peer->status_idr, id);
	spin_unlock(&peer->lock);
}

/* post: returns once the message is on its way; its reply is dropped */
static int o2net_send_and_wait(struct o2net_conn *conn, struct o2net_msg *hdr,
			       struct kvec *vec, size_t veclen, size_t total,
			       int *status, bool post)
{
	struct o2net_peer *peer = o2net_peer(conn->peer);
	struct o2net_status_wait w = { };
	int id, ret;

	id = o2net_add_waiter(peer, post ? &o2net_posted : &w);
	if (id < 0)
		return id;
	hdr->msg_num = cpu_to_be32(id);
	ret = o2net_send_bytes(conn, vec, veclen, total);
	if (ret) {
		o2net_drop_waiter(peer, id);
		return ret;
	}
	if (post)
		return 0;
	wait_event(peer->wq, READ_ONCE(w.done));
	ret = o2net_sys_errno(w.sys_status);
	if (!ret && status)
		*status = w.status;
	return ret;
}

static int o2net_send_vec(u32 msg_type, u32 key, struct kvec *caller_vec,
			  size_t veclen, u8 target_node, int *status,
			  bool post)
{
	struct o2net_msg hdr = { .magic = cpu_to_be16(O2NET_MSG_MAGIC) };
	struct o2net_conn *conn;
	struct kvec *vec;
	size_t total = 0, i;
	int ret = 0;

	for (i = 0; i < veclen; i++)
		total += caller_vec[i].iov_len;
	if (!veclen || total > O2NET_MAX_PAYLOAD_BYTES ||
	    target_node >= O2NM_MAX_NODES)
		return -EINVAL;
	if (target_node == o2nm_this_node())
		return -ELOOP;

	vec = kmalloc_array(veclen + 1, sizeof(*vec), GFP_NOFS);
	if (!vec)
		return -ENOMEM;
	conn = o2net_get_valid_conn(o2net_peer(target_node), &ret);
	if (!conn)
		goto out;
	hdr.data_len = cpu_to_be16(total);
	hdr.msg_type = cpu_to_be16(msg_type);
	hdr.key = cpu_to_be32(key);
	vec[0].iov_base = &hdr;
	vec[0].iov_len = sizeof(hdr);
	memcpy(vec + 1, caller_vec, veclen * sizeof(*vec));
	ret = o2net_send_and_wait(conn, &hdr, vec, veclen + 1,
				  total + sizeof(hdr), status, post);
	o2net_conn_put(conn);
out:
	kfree(vec);
	return ret;
}

int o2net_send_message_vec(u32 msg_type, u32 key, struct kvec *vec,
			   size_t veclen, u8 target_node, int *status)
{
	return o2net_send_vec(msg_type, key, vec, veclen, target_node, status,
			      false);
}
EXPORT_SYMBOL_GPL(o2net_send_message_vec);

int o2net_post_message_vec(u32 msg_type, u32 key, struct kvec *vec,
			   size_t veclen, u8 target_node)
{
	return o2net_send_vec(msg_type, key, vec, veclen, target_node, NULL,
			      true);
}
EXPORT_SYMBOL_GPL(o2net_post_message_vec);

int o2net_send_message(u32 msg_type, u32 key, void *data, u32 len,
		       u8 target_node, int *status)
{
	struct kvec vec = { .iov_base = data, .iov_len = len };

	return o2net_send_message_vec(msg_type, key, &vec, 1, target_node,
				      status);
}
EXPORT_SYMBOL_GPL(o2net_send_message);
