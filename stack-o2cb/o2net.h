/* SPDX-License-Identifier: GPL-2.0 */
/*
 * o2net, the o2cb TCP messaging layer, as the node manager and the
 * upper layers (o2dlm, heartbeat negotiation) see it: handlers keyed by
 * (message type, key), and a synchronous send that returns the remote
 * handler's status.
 */
#ifndef O2CB_O2NET_H
#define O2CB_O2NET_H

#include <linux/list.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <ocfs2/o2net_fmt.h>

struct o2nm_node;

/*
 * Runs in the connection's receive worker; its return value travels
 * back to the sender as the reply's status.  len includes the header.
 */
typedef int (o2net_msg_handler_func)(struct o2net_msg *msg, u32 len,
				     void *data, void **ret_data);
/*
 * The node the message came from.  The wire's pad1 is meaningless, so
 * o2net overwrites it with the connection's node before the handler
 * runs: payloads name nodes too, and a handler can refuse a payload
 * that claims to be from someone else.
 */
static inline u8 o2net_msg_sender(const struct o2net_msg *msg)
{
	return be16_to_cpu(msg->pad1);
}

/* Runs after the reply was sent, with what the handler left in ret_data. */
typedef void (o2net_post_msg_handler_func)(int status, void *data,
					   void *ret_data);

int o2net_register_handler(u32 msg_type, u32 key, u32 max_len,
			   o2net_msg_handler_func *func, void *data,
			   o2net_post_msg_handler_func *post_func,
			   struct list_head *unreg_list);
void o2net_unregister_handler_list(struct list_head *list);

/* 0 and the handler's *status, or a transport error (-ENOTCONN, ...) */
int o2net_send_message(u32 msg_type, u32 key, void *data, u32 len,
		       u8 target_node, int *status);
int o2net_send_message_vec(u32 msg_type, u32 key, struct kvec *vec,
			   size_t veclen, u8 target_node, int *status);
/*
 * Sent without waiting for the handler's status (dropped when it comes):
 * 0 once the message is handed to the connection, or a transport error.
 * Messages to one node still arrive and run in the order sent.
 */
int o2net_post_message_vec(u32 msg_type, u32 key, struct kvec *vec,
			   size_t veclen, u8 target_node);

/* nodes with a connection past the handshake */
void o2net_fill_node_map(unsigned long *map, unsigned int bytes);
int o2net_num_connected_peers(void);

int o2net_init(void);
void o2net_exit(void);

/* the node manager starts and stops the listener with the local node */
int o2net_start_listening(struct o2nm_node *node);
void o2net_complete_start_listening(struct o2nm_node *node);
void o2net_stop_listening(struct o2nm_node *node);
void o2net_disconnect_node(struct o2nm_node *node);

#endif /* O2CB_O2NET_H */
