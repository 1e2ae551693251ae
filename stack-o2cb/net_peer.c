// SPDX-License-Identifier: GPL-2.0
/*
 * o2net peers: one per node number.  Heartbeat drives them: when a node
 * starts heartbeating and has a lower number than ours, we connect to it
 * (and retry every reconnect_delay while it heartbeats); when it stops,
 * its connection is closed.  Also the listener's life with the local
 * node, and module setup.  Heartbeat callbacks run in the heartbeat
 * thread; connects run on the o2net workqueue.
 */
#include <linux/bitmap.h>
#include <linux/module.h>

#include "o2hb.h"
#include "net_internal.h"

struct o2net_peer o2net_peers[O2NM_MAX_NODES];
static atomic_t o2net_connected_peers = ATOMIC_INIT(0);
static unsigned long o2net_connected_map[BITS_TO_LONGS(O2NM_MAX_NODES)];
static DEFINE_SPINLOCK(o2net_map_lock);
static bool o2net_listening;
static struct o2hb_callback_func o2net_hb_up_cb, o2net_hb_down_cb;

#define O2NET_HB_PRI	1

unsigned int o2net_idle_timeout(void)
{
	struct o2nm_cluster *c = o2nm_single_cluster;

	return c ? c->idle_timeout_ms : O2NET_IDLE_TIMEOUT_MS_DEFAULT;
}

unsigned int o2net_keepalive_delay(void)
{
	struct o2nm_cluster *c = o2nm_single_cluster;

	return c ? c->keepalive_delay_ms : O2NET_KEEPALIVE_DELAY_MS_DEFAULT;
}

unsigned int o2net_reconnect_delay(void)
{
	struct o2nm_cluster *c = o2nm_single_cluster;

	return c ? c->reconnect_delay_ms : O2NET_RECONNECT_DELAY_MS_DEFAULT;
}

/* we connect to lower-numbered nodes; they connect to us otherwise */
static bool o2net_we_connect(u8 num)
{
	u8 me = o2nm_this_node();

	return READ_ONCE(o2net_listening) && me < O2NM_MAX_NODES && me > num;
}

static void o2net_queue_connect(u8 num, unsigned int delay_ms)
{
	struct o2net_peer *peer = o2net_peer(num);

	if (o2net_we_connect(num) && READ_ONCE(peer->hb_up))
		mod_delayed_work(o2net_wq, &peer->connect_work,
				 msecs_to_jiffies(delay_ms));
}

static void o2net_connect_fn(struct work_struct *work)
{
	struct o2net_peer *peer = container_of(to_delayed_work(work),
					       struct o2net_peer,
					       connect_work);
	u8 num = peer - o2net_peers;
	struct o2nm_node *node;
	int ret;

	if (!o2net_we_connect(num) || !READ_ONCE(peer->hb_up) ||
	    READ_ONCE(peer->conn))
		return;
	node = o2nm_get_node_by_num(num);
	if (!node)
		return;
	ret = o2net_connect_to(node);
	o2nm_node_put(node);
	if (ret && ret != -EEXIST)
		o2net_queue_connect(num, o2net_reconnect_delay());
}

bool o2net_peer_set_conn(struct o2net_conn *conn)
{
	struct o2net_peer *peer = o2net_peer(conn->peer);
	bool set = false;

	spin_lock(&peer->lock);
	if (!peer->conn) {
		kref_get(&conn->kref);
		peer->conn = conn;
		peer->valid = false;
		set = true;
	}
	spin_unlock(&peer->lock);
	return set;
}

void o2net_peer_connected(struct o2net_conn *conn)
{
	struct o2net_peer *peer = o2net_peer(conn->peer);
	bool ours;

	spin_lock(&peer->lock);
	ours = peer->conn == conn;
	if (ours) {
		peer->valid = true;
		peer->error = 0;
	}
	spin_unlock(&peer->lock);
	if (!ours)
		return;
	spin_lock(&o2net_map_lock);
	set_bit(conn->peer, o2net_connected_map);
	spin_unlock(&o2net_map_lock);
	atomic_inc(&o2net_connected_peers);
	cancel_delayed_work(&peer->still_up_work);
	o2quo_conn_up(conn->peer);
	wake_up_all(&peer->wq);
	pr_notice("o2net: connected to node %s (num %u) at %pI4:%u\n",
		  config_item_name(&conn->node->item), conn->peer,
		  &conn->node->ipv4_address, ntohs(conn->node->ipv4_port));
}

void o2net_peer_lost(struct o2net_conn *conn, int error, bool was_valid)
{
	struct o2net_peer *peer = o2net_peer(conn->peer);

	o2net_fail_all_status(peer);
	if (was_valid) {
		spin_lock(&o2net_map_lock);
		clear_bit(conn->peer, o2net_connected_map);
		spin_unlock(&o2net_map_lock);
		atomic_dec(&o2net_connected_peers);
		/* still heartbeating that long after: a split, decide */
		o2quo_conn_err(conn->peer);
		if (READ_ONCE(peer->hb_up))
			queue_delayed_work(o2net_wq, &peer->still_up_work,
					   msecs_to_jiffies(o2quo_delay_ms()));
		pr_notice("o2net: no longer connected to node %s (num %u) at %pI4:%u\n",
			  config_item_name(&conn->node->item), conn->peer,
			  &conn->node->ipv4_address,
			  ntohs(conn->node->ipv4_port));
	}
	/* refuse a peer that disagrees on the protocol until it restarts */
	if (error == -EPROTO) {
		WRITE_ONCE(peer->error, -ENOTCONN);
		wake_up_all(&peer->wq);
		return;
	}
	wake_up_all(&peer->wq);
	o2net_queue_connect(conn->peer, o2net_reconnect_delay());
}

static void o2net_peer_disconnect(u8 num, int error)
{
	struct o2net_peer *peer = o2net_peer(num);
	struct o2net_conn *conn;

	spin_lock(&peer->lock);
	conn = peer->conn;
	if (conn)
		kref_get(&conn->kref);
	spin_unlock(&peer->lock);
	if (conn) {
		o2net_conn_shutdown(conn, error);
		o2net_conn_put(conn);
	}
}

static void o2net_hb_up(struct o2nm_node *node, int num, void *data)
{
	struct o2net_peer *peer = o2net_peer(num);

	o2quo_hb_up(num);
	WRITE_ONCE(peer->error, 0);
	WRITE_ONCE(peer->hb_up, true);
	if (num != o2nm_this_node())
		o2net_queue_connect(num, 0);
}

static void o2net_hb_down(struct o2nm_node *node, int num, void *data)
{
	struct o2net_peer *peer = o2net_peer(num);

	o2quo_hb_down(num);
	WRITE_ONCE(peer->hb_up, false);
	cancel_delayed_work(&peer->connect_work);
	cancel_delayed_work(&peer->still_up_work);
	if (num != o2nm_this_node())
		o2net_peer_disconnect(num, -ENOTCONN);
}

void o2net_disconnect_node(struct o2nm_node *node)
{
	struct o2net_peer *peer = o2net_peer(node->num);

	WRITE_ONCE(peer->hb_up, false);
	cancel_delayed_work_sync(&peer->connect_work);
	o2net_peer_disconnect(node->num, -ENOTCONN);
}

int o2net_start_listening(struct o2nm_node *node)
{
	int ret = o2net_listen_start(node);

	/* we always reach ourselves */
	if (!ret)
		o2quo_conn_up(node->num);
	return ret;
}

/* o2nm_this_node() is set now: connect to whoever already heartbeats. */
void o2net_complete_start_listening(struct o2nm_node *node)
{
	unsigned long live[BITS_TO_LONGS(O2NM_MAX_NODES)];
	unsigned int num;

	o2hb_callback_read_lock();
	WRITE_ONCE(o2net_listening, true);
	o2hb_fill_node_map_locked(live, O2NM_MAX_NODES);
	for_each_set_bit(num, live, O2NM_MAX_NODES) {
		WRITE_ONCE(o2net_peer(num)->hb_up, true);
		if (num != node->num)
			o2net_queue_connect(num, 0);
	}
	o2hb_callback_read_unlock();
}

void o2net_stop_listening(struct o2nm_node *node)
{
	unsigned int num;

	WRITE_ONCE(o2net_listening, false);
	o2net_listen_stop();
	for (num = 0; num < O2NM_MAX_NODES; num++) {
		cancel_delayed_work_sync(&o2net_peer(num)->connect_work);
		o2net_peer_disconnect(num, -ENOTCONN);
	}
	flush_workqueue(o2net_wq);
	for (num = 0; num < O2NM_MAX_NODES; num++)
		cancel_delayed_work_sync(&o2net_peer(num)->still_up_work);
	o2quo_conn_err(node->num);
}

int o2net_num_connected_peers(void)
{
	return atomic_read(&o2net_connected_peers);
}
EXPORT_SYMBOL_GPL(o2net_num_connected_peers);

void o2net_fill_node_map(unsigned long *map, unsigned int bytes)
{
	if (WARN_ON_ONCE(bytes < sizeof(o2net_connected_map)))
		return;
	spin_lock(&o2net_map_lock);
	bitmap_copy(map, o2net_connected_map, O2NM_MAX_NODES);
	spin_unlock(&o2net_map_lock);
}
EXPORT_SYMBOL_GPL(o2net_fill_node_map);

static void o2net_still_up_fn(struct work_struct *work)
{
	struct o2net_peer *peer = container_of(to_delayed_work(work),
					       struct o2net_peer,
					       still_up_work);

	o2quo_hb_still_up(peer - o2net_peers);
}

static void o2net_peers_init(void)
{
	struct o2net_peer *peer;
	unsigned int i;

	for (i = 0; i < O2NM_MAX_NODES; i++) {
		peer = &o2net_peers[i];
		spin_lock_init(&peer->lock);
		init_waitqueue_head(&peer->wq);
		idr_init(&peer->status_idr);
		INIT_DELAYED_WORK(&peer->connect_work, o2net_connect_fn);
		INIT_DELAYED_WORK(&peer->still_up_work, o2net_still_up_fn);
	}
}

int o2net_init(void)
{
	int ret;

	o2net_wq = alloc_workqueue("o2net", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!o2net_wq)
		return -ENOMEM;
	o2net_peers_init();
	o2quo_init();
	o2hb_setup_callback(&o2net_hb_up_cb, O2HB_NODE_UP_CB, o2net_hb_up,
			    NULL, O2NET_HB_PRI);
	o2hb_setup_callback(&o2net_hb_down_cb, O2HB_NODE_DOWN_CB,
			    o2net_hb_down, NULL, O2NET_HB_PRI);
	ret = o2hb_register_callback(NULL, &o2net_hb_up_cb);
	if (ret)
		goto out_wq;
	ret = o2hb_register_callback(NULL, &o2net_hb_down_cb);
	if (ret)
		goto out_up;
	return 0;

out_up:
	o2hb_unregister_callback(NULL, &o2net_hb_up_cb);
out_wq:
	destroy_workqueue(o2net_wq);
	return ret;
}

void o2net_exit(void)
{
	unsigned int i;

	o2hb_unregister_callback(NULL, &o2net_hb_down_cb);
	o2hb_unregister_callback(NULL, &o2net_hb_up_cb);
	for (i = 0; i < O2NM_MAX_NODES; i++)
		cancel_delayed_work_sync(&o2net_peers[i].still_up_work);
	o2quo_exit();
	destroy_workqueue(o2net_wq);
	for (i = 0; i < O2NM_MAX_NODES; i++)
		idr_destroy(&o2net_peers[i].status_idr);
}
