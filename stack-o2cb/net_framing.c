// SPDX-License-Identifier: GPL-2.0
/*
 * o2net framing: per connection, the receive worker reads the peer's
 * handshake, then frames (24-byte header + payload) one at a time into
 * the connection's buffer and hands complete ones to net_proto.c.  A
 * malformed handshake or frame closes the connection with a log line.
 * Also the connection timers: a keepalive request after keepalive_delay
 * of silence, and after idle_timeout of silence the connection is closed
 * (and reopened while the peer still heartbeats).
 */
#include <linux/jiffies.h>

#include "o2hb.h"
#include "net_internal.h"

void o2net_send_handshake(struct o2net_conn *conn)
{
	struct o2net_handshake hs = {
		.protocol_version = cpu_to_be64(O2NET_PROTOCOL_VERSION),
		.connector_id = cpu_to_be64(O2NET_CONNECTOR_ID),
		.o2hb_heartbeat_timeout_ms =
			cpu_to_be32(O2HB_INTERVAL_MS *
				    (o2hb_dead_threshold_get() - 1)),
		.o2net_idle_timeout_ms = cpu_to_be32(o2net_idle_timeout()),
		.o2net_keepalive_delay_ms =
			cpu_to_be32(o2net_keepalive_delay()),
		.o2net_reconnect_delay_ms =
			cpu_to_be32(o2net_reconnect_delay()),
	};
	struct kvec vec = { .iov_base = &hs, .iov_len = sizeof(hs) };

	o2net_send_bytes(conn, &vec, 1, sizeof(hs));
}

static bool o2net_hs_field_ok(struct o2net_conn *conn, const char *what,
			      u32 theirs, u32 ours)
{
	if (theirs == ours)
		return true;
	pr_notice("o2net: node %u at %pI4:%u uses a %s of %u ms but we use %u ms; disconnecting\n",
		  conn->peer, &conn->node->ipv4_address,
		  ntohs(conn->node->ipv4_port), what, theirs, ours);
	return false;
}

/* Every node must agree on when a silent peer is dead. */
static bool o2net_check_handshake(struct o2net_conn *conn)
{
	struct o2net_handshake *hs = (struct o2net_handshake *)conn->rx_buf;

	if (be64_to_cpu(hs->protocol_version) != O2NET_PROTOCOL_VERSION) {
		pr_notice("o2net: node %u at %pI4:%u speaks protocol %llu, we need %llu; disconnecting\n",
			  conn->peer, &conn->node->ipv4_address,
			  ntohs(conn->node->ipv4_port),
			  be64_to_cpu(hs->protocol_version),
			  O2NET_PROTOCOL_VERSION);
		return false;
	}
	return o2net_hs_field_ok(conn, "network idle timeout",
				 be32_to_cpu(hs->o2net_idle_timeout_ms),
				 o2net_idle_timeout()) &&
	       o2net_hs_field_ok(conn, "keepalive delay",
				 be32_to_cpu(hs->o2net_keepalive_delay_ms),
				 o2net_keepalive_delay()) &&
	       o2net_hs_field_ok(conn, "heartbeat timeout",
				 be32_to_cpu(hs->o2hb_heartbeat_timeout_ms),
				 O2HB_INTERVAL_MS *
				 (o2hb_dead_threshold_get() - 1));
}

static void o2net_arm(struct o2net_conn *conn, struct delayed_work *dw,
		      unsigned int ms)
{
	/* a queued timer holds a reference; re-arming keeps the one it has */
	kref_get(&conn->kref);
	if (READ_ONCE(conn->shut) ||
	    mod_delayed_work(o2net_wq, dw, msecs_to_jiffies(ms)))
		o2net_conn_put(conn);
}

/* Traffic from the peer: it is alive, push both timers back. */
void o2net_postpone_idle(struct o2net_conn *conn)
{
	o2net_arm(conn, &conn->keepalive_work, o2net_keepalive_delay());
	o2net_arm(conn, &conn->idle_work, o2net_idle_timeout());
}

void o2net_keepalive_fn(struct work_struct *work)
{
	struct o2net_conn *conn = container_of(to_delayed_work(work),
					       struct o2net_conn,
					       keepalive_work);
	struct o2net_msg req = {
		.magic = cpu_to_be16(O2NET_MSG_KEEP_REQ_MAGIC),
	};
	struct kvec vec = { .iov_base = &req, .iov_len = sizeof(req) };

	if (!READ_ONCE(conn->shut))
		o2net_send_bytes(conn, &vec, 1, sizeof(req));
	o2net_conn_put(conn);
}

void o2net_idle_fn(struct work_struct *work)
{
	struct o2net_conn *conn = container_of(to_delayed_work(work),
					       struct o2net_conn, idle_work);

	pr_notice("o2net: connection to node %u at %pI4:%u has been idle for %u.%03u secs; closing it\n",
		  conn->peer, &conn->node->ipv4_address,
		  ntohs(conn->node->ipv4_port), o2net_idle_timeout() / 1000,
		  o2net_idle_timeout() % 1000);
	o2net_conn_shutdown(conn, -ETIMEDOUT);
	o2net_conn_put(conn);
}

/* A header just completed: is it one we can take? */
static int o2net_check_header(struct o2net_conn *conn, struct o2net_msg *hdr)
{
	u16 magic = be16_to_cpu(hdr->magic);
	u16 len = be16_to_cpu(hdr->data_len);

	switch (magic) {
	case O2NET_MSG_MAGIC:
		if (len <= O2NET_MAX_PAYLOAD_BYTES)
			return 0;
		break;
	case O2NET_MSG_STATUS_MAGIC:
	case O2NET_MSG_KEEP_REQ_MAGIC:
	case O2NET_MSG_KEEP_RESP_MAGIC:
		if (!len)
			return 0;
		break;
	}
	pr_notice_ratelimited("o2net: bad frame from node %u at %pI4:%u (magic 0x%04x, length %u, type %u); disconnecting\n",
			      conn->peer, &conn->node->ipv4_address,
			      ntohs(conn->node->ipv4_port), magic, len,
			      be16_to_cpu(hdr->msg_type));
	return -EPROTO;
}

/* bytes still missing from the current handshake or frame */
static size_t o2net_rx_need(struct o2net_conn *conn)
{
	struct o2net_msg *hdr = (struct o2net_msg *)conn->rx_buf;

	if (!conn->handshake_ok)
		return sizeof(struct o2net_handshake) - conn->rx_off;
	if (conn->rx_off < sizeof(*hdr))
		return sizeof(*hdr) - conn->rx_off;
	return sizeof(*hdr) + be16_to_cpu(hdr->data_len) - conn->rx_off;
}

static int o2net_rx_handshake_done(struct o2net_conn *conn)
{
	if (!o2net_check_handshake(conn))
		return -EPROTO;
	conn->handshake_ok = true;
	conn->rx_off = 0;
	o2net_peer_connected(conn);
	o2net_postpone_idle(conn);
	return 0;
}

/* Account n new bytes; returns <0 to close the connection. */
static int o2net_rx_advance(struct o2net_conn *conn, size_t n)
{
	struct o2net_msg *hdr = (struct o2net_msg *)conn->rx_buf;
	int ret;

	conn->rx_off += n;
	if (!conn->handshake_ok) {
		if (conn->rx_off == sizeof(struct o2net_handshake))
			return o2net_rx_handshake_done(conn);
		return 0;
	}
	o2net_postpone_idle(conn);
	if (conn->rx_off == sizeof(*hdr)) {
		ret = o2net_check_header(conn, hdr);
		if (ret)
			return ret;
	}
	if (conn->rx_off >= sizeof(*hdr) && !o2net_rx_need(conn)) {
		o2net_dispatch(conn, hdr);
		conn->rx_off = 0;
	}
	return 0;
}

void o2net_rx_work(struct work_struct *work)
{
	struct o2net_conn *conn = container_of(work, struct o2net_conn,
					       rx_work);
	int ret = 0;

	while (!READ_ONCE(conn->shut)) {
		ret = o2net_recv_bytes(conn, conn->rx_buf + conn->rx_off,
				       o2net_rx_need(conn));
		if (ret == -EAGAIN)
			break;
		if (ret <= 0) {
			o2net_conn_shutdown(conn, ret ? ret : -ECONNRESET);
			break;
		}
		ret = o2net_rx_advance(conn, ret);
		if (ret) {
			o2net_conn_shutdown(conn, ret);
			break;
		}
	}
	o2net_conn_put(conn);
}
