// SPDX-License-Identifier: GPL-2.0
/*
 * Placeholder for o2net until the TCP layer lands: there is no listener
 * and no connection, so the node manager's hooks have nothing to do.
 * This file goes away with net_*.c; nothing here claims to be o2net.
 */
#include "o2net.h"

int o2net_init(void)
{
	return 0;
}

void o2net_exit(void)
{
}

int o2net_start_listening(struct o2nm_node *node)
{
	return 0;
}

void o2net_stop_listening(struct o2nm_node *node)
{
}

void o2net_disconnect_node(struct o2nm_node *node)
{
}

int o2net_num_connected_peers(void)
{
	return 0;
}
