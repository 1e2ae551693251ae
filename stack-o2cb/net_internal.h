/* SPDX-License-Identifier: GPL-2.0 */
/*
 * o2net internals shared by net_*.c: a connection (one TCP socket to one
 * peer, with its receive state) and a peer (per node number: the current
 * connection, heartbeat state, senders waiting for replies).
 *
 * Layers, as in fs/dlm: net_transport.c owns sockets (listen, accept,
 * connect, send bytes, tear down); net_framing.c turns received bytes
 * into the handshake and frames and answers keepalives; net_proto.c has
 * the handlers and the request/reply exchange; net_peer.c decides when
 * to connect, from heartbeat events.
 */
#ifndef O2CB_NET_INTERNAL_H
#define O2CB_NET_INTERNAL_H

#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "o2nm.h"
#include "o2net.h"

struct o2net_conn {
	struct kref		kref;
	struct socket		*sock;
	struct o2nm_node	*node;		/* reference held */
	u8			peer;		/* node number */
	bool			handshake_ok;
	bool			shut;		/* under peer lock */

	/* receive state: one frame at a time in rx_buf */
	struct work_struct	rx_work;
	u8			*rx_buf;	/* O2NET_MAX_FRAME_BYTES */
	size_t			rx_off;

	struct mutex		send_lock;	/* whole frames on the wire */
	struct delayed_work	keepalive_work;
	struct delayed_work	idle_work;
	struct work_struct	shutdown_work;

	void (*saved_data_ready)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
};

struct o2net_peer {
	spinlock_t		lock;
	struct o2net_conn	*conn;		/* connecting or connected */
	bool			valid;		/* handshake passed */
	bool			hb_up;		/* heartbeating on disk */
	int			error;		/* sends fail with this */
	wait_queue_head_t	wq;		/* valid or error changed */
	struct idr		status_idr;	/* senders waiting on replies */
	struct delayed_work	connect_work;
	struct delayed_work	still_up_work;	/* quorum: lost but beating */
};

extern struct workqueue_struct *o2net_wq;
extern struct o2net_peer o2net_peers[O2NM_MAX_NODES];

static inline struct o2net_peer *o2net_peer(u8 num)
{
	return &o2net_peers[num];
}

/* timeouts of the cluster directory */
unsigned int o2net_idle_timeout(void);
unsigned int o2net_keepalive_delay(void);
unsigned int o2net_reconnect_delay(void);

/* net_quorum.c */
unsigned int o2quo_delay_ms(void);
void o2quo_hb_up(u8 node);
void o2quo_hb_down(u8 node);
void o2quo_hb_still_up(u8 node);
void o2quo_conn_up(u8 node);
void o2quo_conn_err(u8 node);
void o2quo_init(void);
void o2quo_exit(void);

/* net_transport.c */
struct o2net_conn *o2net_conn_alloc(struct o2nm_node *node);
void o2net_conn_put(struct o2net_conn *conn);
void o2net_conn_attach(struct o2net_conn *conn, struct socket *sock);
int o2net_send_bytes(struct o2net_conn *conn, struct kvec *vec,
		     size_t veclen, size_t total);
int o2net_recv_bytes(struct o2net_conn *conn, void *buf, size_t len);
void o2net_conn_shutdown(struct o2net_conn *conn, int error);
int o2net_connect_to(struct o2nm_node *node);
int o2net_listen_start(struct o2nm_node *node);
void o2net_listen_stop(void);

/* net_framing.c */
void o2net_rx_work(struct work_struct *work);
void o2net_send_handshake(struct o2net_conn *conn);
void o2net_keepalive_fn(struct work_struct *work);
void o2net_idle_fn(struct work_struct *work);
void o2net_postpone_idle(struct o2net_conn *conn);

/* net_proto.c */
void o2net_dispatch(struct o2net_conn *conn, struct o2net_msg *hdr);
void o2net_complete_status(struct o2net_peer *peer, u32 msg_num,
			   u32 sys_status, s32 status);
void o2net_fail_all_status(struct o2net_peer *peer);

/* net_peer.c */
void o2net_peer_connected(struct o2net_conn *conn);
void o2net_peer_lost(struct o2net_conn *conn, int error, bool was_valid);
bool o2net_peer_set_conn(struct o2net_conn *conn);

#endif /* O2CB_NET_INTERNAL_H */
