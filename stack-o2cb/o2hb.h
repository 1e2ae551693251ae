/* SPDX-License-Identifier: GPL-2.0 */
/*
 * o2cb disk heartbeat, as the layers above see it: which nodes are
 * alive on disk, and callbacks when a node comes up or goes down.
 * o2net and o2dlm register here; the callbacks run in a heartbeat
 * thread, one at a time, in the order the events happened.
 */
#ifndef O2CB_O2HB_H
#define O2CB_O2HB_H

#include <linux/list.h>
#include <linux/types.h>
#include <ocfs2/o2hb_fmt.h>

struct o2nm_node;
struct config_group;

enum o2hb_callback_type {
	O2HB_NODE_DOWN_CB = 0,
	O2HB_NODE_UP_CB,
	O2HB_NUM_CB
};

/* node is NULL on a down event for a node no longer configured */
typedef void (o2hb_cb_func)(struct o2nm_node *node, int node_num, void *data);

struct o2hb_callback_func {
	struct list_head	hc_item;
	o2hb_cb_func		*hc_func;
	void			*hc_data;
	int			hc_priority;	/* lower runs first */
	enum o2hb_callback_type	hc_type;
};

void o2hb_setup_callback(struct o2hb_callback_func *hc,
			 enum o2hb_callback_type type, o2hb_cb_func *func,
			 void *data, int priority);
/*
 * region_uuid names the heartbeat region the caller depends on (a
 * local-mode volume); it is pinned until unregistered.  NULL pins
 * nothing.  In global mode every region is pinned while users exist.
 */
int o2hb_register_callback(const char *region_uuid,
			   struct o2hb_callback_func *hc);
void o2hb_unregister_callback(const char *region_uuid,
			      struct o2hb_callback_func *hc);

/* maps of nodes heartbeating in any region */
void o2hb_fill_node_map(unsigned long *map, unsigned int bits);
/* same, for callers holding the callback lock (inside a callback) */
void o2hb_fill_node_map_locked(unsigned long *map, unsigned int bits);
void o2hb_callback_read_lock(void);
void o2hb_callback_read_unlock(void);
int o2hb_check_node_heartbeating_no_sem(u8 node_num);
int o2hb_check_node_heartbeating_from_callback(u8 node_num);

int o2hb_global_heartbeat_active(void);
/* fills up to max_regions 32-byte names; returns the number of regions */
int o2hb_get_all_regions(char *region_uuids, u8 max_regions);
/* make every region thread exit without clean-up writes (fencing) */
void o2hb_stop_all_regions(void);
/* stop heartbeating, then reset or panic per fence_method; never returns */
void o2hb_fence(const char *why);
unsigned int o2hb_dead_threshold_get(void);

/* for the node manager */
struct config_group *o2hb_alloc_hb_set(void);
void o2hb_free_hb_set(struct config_group *group);
int o2hb_init(void);
void o2hb_exit(void);

#endif /* O2CB_O2HB_H */
