/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The o2cb node manager: the one configured cluster, its nodes and
 * timeouts, as set up by the tools over configfs.  Heartbeat, o2net and
 * o2dlm look nodes up here; nothing here does I/O.
 */
#ifndef O2CB_O2NM_H
#define O2CB_O2NM_H

#include <linux/configfs.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <ocfs2/o2nm_abi.h>

enum o2nm_fence_method {
	O2NM_FENCE_RESET = 0,
	O2NM_FENCE_PANIC,
	O2NM_FENCE_METHODS,
};

/* bits of o2nm_node.set_attrs: each attribute may be written once */
enum {
	O2NM_NODE_ATTR_NUM,
	O2NM_NODE_ATTR_PORT,
	O2NM_NODE_ATTR_ADDRESS,
};

struct o2nm_node {
	struct config_item	item;
	u8			num;
	__be32			ipv4_address;
	__be16			ipv4_port;
	bool			local;
	unsigned long		set_attrs;
	struct rb_node		ip_node;	/* in cluster->ip_tree once addressed */
};

struct o2nm_cluster {
	struct config_group	group;
	struct config_group	node_group;
	struct config_group	*hb_group;

	/* nodes[], node_map and ip_tree; readers are o2net and o2hb */
	rwlock_t		nodes_lock;
	struct o2nm_node	*nodes[O2NM_MAX_NODES];
	unsigned long		node_map[BITS_TO_LONGS(O2NM_MAX_NODES)];
	struct rb_root		ip_tree;

	bool			has_local;
	u8			local_node;

	unsigned int		idle_timeout_ms;
	unsigned int		keepalive_delay_ms;
	unsigned int		reconnect_delay_ms;
	enum o2nm_fence_method	fence_method;
};

/* the cluster directory, or NULL; only one may exist at a time */
extern struct o2nm_cluster *o2nm_single_cluster;

u8 o2nm_this_node(void);
struct o2nm_node *o2nm_get_node_by_num(u8 node_num);
struct o2nm_node *o2nm_get_node_by_ip(__be32 addr);
void o2nm_node_get(struct o2nm_node *node);
void o2nm_node_put(struct o2nm_node *node);
int o2nm_configured_node_map(unsigned long *map, unsigned int bytes);
enum o2nm_fence_method o2nm_fence_method(void);

/* keep configfs from removing an item (a node, a region) while in use */
int o2nm_depend_item(struct config_item *item);
int o2nm_depend_item_unlocked(struct config_item *item);
void o2nm_undepend_item(struct config_item *item);
int o2nm_depend_this_node(void);
void o2nm_undepend_this_node(void);

/* serialises configuration changes with the configfs subsystem */
void o2nm_lock_subsystem(void);
void o2nm_unlock_subsystem(void);

/* configfs types: nm_node.c, nm_cluster.c */
extern const struct config_item_type o2nm_node_group_type;
extern const struct config_item_type o2nm_cluster_group_type;

/* nm_sysfs.c */
int o2nm_sysfs_init(void);
void o2nm_sysfs_exit(void);

#endif /* O2CB_O2NM_H */
