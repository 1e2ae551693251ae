/* SPDX-License-Identifier: GPL-2.0 */
/*
 * o2net, the o2cb TCP messaging layer, as the node manager and the
 * upper layers see it.
 */
#ifndef O2CB_O2NET_H
#define O2CB_O2NET_H

#include <linux/types.h>

struct o2nm_node;

int o2net_init(void);
void o2net_exit(void);

/* the node manager starts and stops the listener with the local node */
int o2net_start_listening(struct o2nm_node *node);
void o2net_stop_listening(struct o2nm_node *node);
void o2net_disconnect_node(struct o2nm_node *node);
int o2net_num_connected_peers(void);

#endif /* O2CB_O2NET_H */
