// SPDX-License-Identifier: GPL-2.0
/*
 * o2net transport: TCP sockets to the other nodes.  The local node
 * listens on its configured address; a higher-numbered node connects to
 * a lower-numbered one, from its own address, so the acceptor knows the
 * peer by source address and refuses anyone else.  Socket callbacks only
 * queue work; everything runs on the o2net workqueue (accept, connect,
 * per-connection receive), senders write from their own context under
 * the connection's send lock.
 */
#include <linux/in.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "o2hb.h"
#include "net_internal.h"

struct workqueue_struct *o2net_wq;
static struct socket *o2net_listen_sock;
static void (*o2net_listen_saved_ready)(struct sock *sk);
static void o2net_accept_fn(struct work_struct *work);
static DECLARE_WORK(o2net_accept_work, o2net_accept_fn);

struct o2net_conn *o2net_conn_alloc(struct o2nm_node *node)
{
	struct o2net_conn *conn = kzalloc(sizeof(*conn), GFP_NOFS);

	if (!conn)
		return NULL;
	conn->rx_buf = kmalloc(O2NET_MAX_FRAME_BYTES, GFP_NOFS);
	if (!conn->rx_buf) {
		kfree(conn);
		return NULL;
	}
	kref_init(&conn->kref);
	o2nm_node_get(node);
	conn->node = node;
	conn->peer = node->num;
	mutex_init(&conn->send_lock);
	INIT_WORK(&conn->rx_work, o2net_rx_work);
	INIT_DELAYED_WORK(&conn->keepalive_work, o2net_keepalive_fn);
	INIT_DELAYED_WORK(&conn->idle_work, o2net_idle_fn);
	return conn;
}

static void o2net_conn_detach(struct o2net_conn *conn);

static void o2net_conn_release(struct kref *kref)
{
	struct o2net_conn *conn = container_of(kref, struct o2net_conn, kref);

	if (conn->sock) {
		if (conn->sock->sk)
			o2net_conn_detach(conn);
		sock_release(conn->sock);
	}
	o2nm_node_put(conn->node);
	kfree(conn->rx_buf);
	kfree(conn);
}

void o2net_conn_put(struct o2net_conn *conn)
{
	kref_put(&conn->kref, o2net_conn_release);
}

/* Queue receive work; the work owns the reference it is given. */
static void o2net_queue_rx(struct o2net_conn *conn)
{
	kref_get(&conn->kref);
	if (!queue_work(o2net_wq, &conn->rx_work))
		kref_put(&conn->kref, o2net_conn_release);
}

/* Runs in softirq context: the peer's reference keeps conn alive. */
static void o2net_data_ready(struct sock *sk)
{
	struct o2net_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn)
		o2net_queue_rx(conn);
	read_unlock_bh(&sk->sk_callback_lock);
}

/* a closing socket: the receive work reads the EOF or error */
static void o2net_state_change(struct sock *sk)
{
	struct o2net_conn *conn;
	void (*saved)(struct sock *sk) = NULL;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn) {
		saved = conn->saved_state_change;
		if (sk->sk_state != TCP_ESTABLISHED)
			o2net_queue_rx(conn);
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (saved)
		saved(sk);
}

/*
 * Under the peer lock so that shutdown either sees the callbacks
 * installed (and removes them) or we see it shut and install nothing.
 */
void o2net_conn_attach(struct o2net_conn *conn, struct socket *sock)
{
	struct o2net_peer *peer = o2net_peer(conn->peer);
	struct sock *sk = sock->sk;

	tcp_sock_set_nodelay(sk);
	spin_lock(&peer->lock);
	if (conn->shut) {
		spin_unlock(&peer->lock);
		return;
	}
	write_lock_bh(&sk->sk_callback_lock);
	conn->saved_data_ready = sk->sk_data_ready;
	conn->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = conn;
	sk->sk_data_ready = o2net_data_ready;
	sk->sk_state_change = o2net_state_change;
	sk->sk_allocation = GFP_NOFS;
	write_unlock_bh(&sk->sk_callback_lock);
	spin_unlock(&peer->lock);
	/* bytes may have arrived before the callbacks were in place */
	o2net_queue_rx(conn);
}

static void o2net_conn_detach(struct o2net_conn *conn)
{
	struct sock *sk = conn->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data == conn) {
		sk->sk_user_data = NULL;
		sk->sk_data_ready = conn->saved_data_ready;
		sk->sk_state_change = conn->saved_state_change;
	}
	write_unlock_bh(&sk->sk_callback_lock);
}

int o2net_send_bytes(struct o2net_conn *conn, struct kvec *vec,
		     size_t veclen, size_t total)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	int ret;

	mutex_lock(&conn->send_lock);
	if (READ_ONCE(conn->shut))
		ret = -ENOTCONN;
	else
		ret = kernel_sendmsg(conn->sock, &msg, vec, veclen, total);
	mutex_unlock(&conn->send_lock);
	if (ret >= 0 && ret != total)
		ret = -EPIPE;
	if (ret < 0) {
		o2net_conn_shutdown(conn, ret);
		return ret;
	}
	return 0;
}

/* >0 bytes read, 0 on EOF, -EAGAIN when nothing is waiting */
int o2net_recv_bytes(struct o2net_conn *conn, void *buf, size_t len)
{
	struct kvec vec = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };

	return kernel_recvmsg(conn->sock, &msg, &vec, 1, len, msg.msg_flags);
}

/*
 * Close a connection once: detach it from its peer, stop its timers,
 * fail the senders waiting on it, and drop the peer's reference.
 */
void o2net_conn_shutdown(struct o2net_conn *conn, int error)
{
	struct o2net_peer *peer = o2net_peer(conn->peer);
	bool was_valid = false, mine = false;

	spin_lock(&peer->lock);
	if (!conn->shut) {
		WRITE_ONCE(conn->shut, true);
		if (peer->conn == conn) {
			mine = true;
			was_valid = peer->valid;
			peer->conn = NULL;
			peer->valid = false;
		}
	}
	spin_unlock(&peer->lock);
	if (!mine)
		return;

	if (conn->sock) {
		if (conn->sock->sk)
			o2net_conn_detach(conn);
		kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	}
	if (cancel_delayed_work(&conn->keepalive_work))
		o2net_conn_put(conn);
	if (cancel_delayed_work(&conn->idle_work))
		o2net_conn_put(conn);
	o2net_peer_lost(conn, error, was_valid);
	o2net_conn_put(conn);	/* the peer's */
}

static int o2net_sockaddr(struct o2nm_node *node, struct sockaddr_in *sin,
			  bool with_port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = node->ipv4_address;
	sin->sin_port = with_port ? node->ipv4_port : 0;
	return sizeof(*sin);
}

static int o2net_bind_local(struct socket *sock)
{
	struct o2nm_node *me = o2nm_get_node_by_num(o2nm_this_node());
	struct sockaddr_in sin;
	int ret;

	if (!me)
		return -ENOTCONN;
	ret = kernel_bind(sock, (struct sockaddr *)&sin,
			  o2net_sockaddr(me, &sin, false));
	o2nm_node_put(me);
	return ret;
}

/* Connect to a lower-numbered node; blocking, on the o2net workqueue. */
int o2net_connect_to(struct o2nm_node *node)
{
	struct o2net_conn *conn;
	struct sockaddr_in sin;
	struct socket *sock;
	int ret;

	conn = o2net_conn_alloc(node);
	if (!conn)
		return -ENOMEM;
	ret = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (ret)
		goto out_put;
	conn->sock = sock;
	sock->sk->sk_sndtimeo = msecs_to_jiffies(o2net_idle_timeout());
	ret = o2net_bind_local(sock);
	if (ret)
		goto out_put;
	if (!o2net_peer_set_conn(conn)) {
		ret = -EEXIST;	/* someone else got there first */
		goto out_put;
	}
	ret = kernel_connect(sock, (struct sockaddr *)&sin,
			     o2net_sockaddr(node, &sin, true), 0);
	if (ret) {
		pr_debug("o2net: connect to node %u at %pI4:%u failed: %d\n",
			 node->num, &node->ipv4_address,
			 ntohs(node->ipv4_port), ret);
		o2net_conn_shutdown(conn, ret);
		goto out_put;
	}
	o2net_conn_attach(conn, sock);
	o2net_send_handshake(conn);
out_put:
	o2net_conn_put(conn);
	return ret;
}

/* Who may connect to us: a configured, heartbeating, higher node. */
static struct o2nm_node *o2net_accept_check(struct socket *sock)
{
	struct sockaddr_in sin;
	struct o2nm_node *node;
	u8 me = o2nm_this_node();

	if (kernel_getpeername(sock, (struct sockaddr *)&sin) < 0)
		return NULL;
	node = o2nm_get_node_by_ip(sin.sin_addr.s_addr);
	if (!node) {
		pr_notice_ratelimited("o2net: refused a connection from %pI4:%u: not a configured node\n",
				      &sin.sin_addr.s_addr, ntohs(sin.sin_port));
		return NULL;
	}
	if (me >= O2NM_MAX_NODES || me >= node->num) {
		pr_notice_ratelimited("o2net: refused a connection from node %u at %pI4:%u: only higher-numbered nodes connect to node %u\n",
				      node->num, &sin.sin_addr.s_addr,
				      ntohs(sin.sin_port), me);
		goto refuse;
	}
	/* normal while its heartbeat reaches us later than ours reached it */
	if (!o2hb_check_node_heartbeating_no_sem(node->num)) {
		pr_debug("o2net: node %u connected before heartbeating\n",
			 node->num);
		goto refuse;
	}
	return node;
refuse:
	o2nm_node_put(node);
	return NULL;
}

static void o2net_accept_one(struct socket *new)
{
	struct o2nm_node *node = o2net_accept_check(new);
	struct o2net_conn *conn;

	if (!node)
		goto drop;
	conn = o2net_conn_alloc(node);
	o2nm_node_put(node);
	if (!conn)
		goto drop;
	conn->sock = new;
	if (!o2net_peer_set_conn(conn)) {
		pr_notice("o2net: refused a second connection from node %u\n",
			  conn->peer);
		o2net_conn_put(conn);	/* releases the socket */
		return;
	}
	o2net_conn_attach(conn, new);
	o2net_send_handshake(conn);
	o2net_conn_put(conn);
	return;
drop:
	sock_release(new);
}

static void o2net_accept_fn(struct work_struct *work)
{
	struct socket *new;

	while (o2net_listen_sock &&
	       !kernel_accept(o2net_listen_sock, &new, O_NONBLOCK))
		o2net_accept_one(new);
}

static void o2net_listen_data_ready(struct sock *sk)
{
	read_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data)
		queue_work(o2net_wq, &o2net_accept_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

int o2net_listen_start(struct o2nm_node *node)
{
	struct sockaddr_in sin;
	struct socket *sock;
	int ret;

	ret = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (ret)
		return ret;
	sock_set_reuseaddr(sock->sk);
	ret = kernel_bind(sock, (struct sockaddr *)&sin,
			  o2net_sockaddr(node, &sin, true));
	if (!ret)
		ret = kernel_listen(sock, 64);
	if (ret) {
		pr_err("o2net: cannot listen on %pI4:%u: %d\n",
		       &node->ipv4_address, ntohs(node->ipv4_port), ret);
		sock_release(sock);
		return ret;
	}
	write_lock_bh(&sock->sk->sk_callback_lock);
	o2net_listen_saved_ready = sock->sk->sk_data_ready;
	sock->sk->sk_user_data = sock;
	sock->sk->sk_data_ready = o2net_listen_data_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);
	o2net_listen_sock = sock;
	return 0;
}

void o2net_listen_stop(void)
{
	struct socket *sock = o2net_listen_sock;

	if (!sock)
		return;
	write_lock_bh(&sock->sk->sk_callback_lock);
	sock->sk->sk_user_data = NULL;
	sock->sk->sk_data_ready = o2net_listen_saved_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);
	o2net_listen_sock = NULL;
	cancel_work_sync(&o2net_accept_work);
	sock_release(sock);
}
