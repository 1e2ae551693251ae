// SPDX-License-Identifier: GPL-2.0
/*
 * Heartbeat liveness maps and node up/down callbacks.  A node is alive
 * while it is live in at least one region; the first region to see it
 * fires "up", the last to lose it fires "down".  Callbacks run in the
 * region thread that saw the change, under o2hb_callback_sem held for
 * write, so a reader holding it for read sees a map consistent with the
 * callbacks delivered so far.
 */
#include <linux/bitmap.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/rwsem.h>

#include "hb_internal.h"

DEFINE_SPINLOCK(o2hb_live_lock);
static DECLARE_RWSEM(o2hb_callback_sem);

/* all under o2hb_live_lock */
unsigned long o2hb_live_node_map[BITS_TO_LONGS(O2NM_MAX_NODES)];
static u8 o2hb_live_region_count[O2NM_MAX_NODES];
LIST_HEAD(o2hb_all_regions);
unsigned long o2hb_region_map[BITS_TO_LONGS(O2NM_MAX_REGIONS)];
unsigned long o2hb_live_region_map[BITS_TO_LONGS(O2NM_MAX_REGIONS)];
unsigned long o2hb_quorum_region_map[BITS_TO_LONGS(O2NM_MAX_REGIONS)];
unsigned long o2hb_failed_region_map[BITS_TO_LONGS(O2NM_MAX_REGIONS)];

static struct list_head o2hb_callbacks[O2HB_NUM_CB];

void o2hb_events_init(void)
{
	int i;

	for (i = 0; i < O2HB_NUM_CB; i++)
		INIT_LIST_HEAD(&o2hb_callbacks[i]);
}

static void o2hb_fire(enum o2hb_callback_type type, u8 node_num)
{
	struct o2nm_node *node = o2nm_get_node_by_num(node_num);
	struct o2hb_callback_func *f;

	pr_debug("o2hb: node %u %s\n", node_num,
		 type == O2HB_NODE_UP_CB ? "up" : "down");
	list_for_each_entry(f, &o2hb_callbacks[type], hc_item)
		f->hc_func(node, node_num, f->hc_data);
	if (node)
		o2nm_node_put(node);
}

/* The region saw node_num come alive in its area. */
void o2hb_node_up(struct o2hb_region *reg, u8 node_num)
{
	bool first;

	down_write(&o2hb_callback_sem);
	spin_lock(&o2hb_live_lock);
	set_bit(node_num, reg->live_map);
	first = o2hb_live_region_count[node_num]++ == 0;
	if (first)
		set_bit(node_num, o2hb_live_node_map);
	spin_unlock(&o2hb_live_lock);
	if (first)
		o2hb_fire(O2HB_NODE_UP_CB, node_num);
	up_write(&o2hb_callback_sem);
}

/* The region lost node_num (timed out, restarted, or region stopping). */
void o2hb_node_down(struct o2hb_region *reg, u8 node_num)
{
	bool last = false;

	down_write(&o2hb_callback_sem);
	spin_lock(&o2hb_live_lock);
	if (test_and_clear_bit(node_num, reg->live_map) &&
	    !WARN_ON_ONCE(!o2hb_live_region_count[node_num])) {
		last = --o2hb_live_region_count[node_num] == 0;
		if (last)
			clear_bit(node_num, o2hb_live_node_map);
	}
	spin_unlock(&o2hb_live_lock);
	if (last)
		o2hb_fire(O2HB_NODE_DOWN_CB, node_num);
	up_write(&o2hb_callback_sem);
}

void o2hb_setup_callback(struct o2hb_callback_func *hc,
			 enum o2hb_callback_type type, o2hb_cb_func *func,
			 void *data, int priority)
{
	INIT_LIST_HEAD(&hc->hc_item);
	hc->hc_func = func;
	hc->hc_data = data;
	hc->hc_priority = priority;
	hc->hc_type = type;
}
EXPORT_SYMBOL_GPL(o2hb_setup_callback);

static void o2hb_add_sorted(struct o2hb_callback_func *hc)
{
	struct o2hb_callback_func *f;

	list_for_each_entry(f, &o2hb_callbacks[hc->hc_type], hc_item) {
		if (hc->hc_priority < f->hc_priority) {
			list_add_tail(&hc->hc_item, &f->hc_item);
			return;
		}
	}
	list_add_tail(&hc->hc_item, &o2hb_callbacks[hc->hc_type]);
}

int o2hb_register_callback(const char *region_uuid,
			   struct o2hb_callback_func *hc)
{
	int ret;

	if (hc->hc_type >= O2HB_NUM_CB || !list_empty(&hc->hc_item))
		return -EINVAL;
	if (region_uuid) {
		ret = o2hb_region_inc_user(region_uuid);
		if (ret)
			return ret;
	}
	down_write(&o2hb_callback_sem);
	o2hb_add_sorted(hc);
	up_write(&o2hb_callback_sem);
	return 0;
}
EXPORT_SYMBOL_GPL(o2hb_register_callback);

void o2hb_unregister_callback(const char *region_uuid,
			      struct o2hb_callback_func *hc)
{
	if (list_empty(&hc->hc_item))
		return;
	if (region_uuid)
		o2hb_region_dec_user(region_uuid);
	down_write(&o2hb_callback_sem);
	list_del_init(&hc->hc_item);
	up_write(&o2hb_callback_sem);
}
EXPORT_SYMBOL_GPL(o2hb_unregister_callback);

void o2hb_callback_read_lock(void)
{
	down_read(&o2hb_callback_sem);
}
EXPORT_SYMBOL_GPL(o2hb_callback_read_lock);

void o2hb_callback_read_unlock(void)
{
	up_read(&o2hb_callback_sem);
}
EXPORT_SYMBOL_GPL(o2hb_callback_read_unlock);

void o2hb_fill_node_map_locked(unsigned long *map, unsigned int bits)
{
	spin_lock(&o2hb_live_lock);
	bitmap_copy(map, o2hb_live_node_map, min_t(unsigned int, bits,
						   O2NM_MAX_NODES));
	spin_unlock(&o2hb_live_lock);
}
EXPORT_SYMBOL_GPL(o2hb_fill_node_map_locked);

void o2hb_fill_node_map(unsigned long *map, unsigned int bits)
{
	o2hb_callback_read_lock();
	o2hb_fill_node_map_locked(map, bits);
	o2hb_callback_read_unlock();
}
EXPORT_SYMBOL_GPL(o2hb_fill_node_map);

static int o2hb_node_is_live(u8 node_num)
{
	int live;

	if (node_num >= O2NM_MAX_NODES)
		return 0;
	spin_lock(&o2hb_live_lock);
	live = test_bit(node_num, o2hb_live_node_map);
	spin_unlock(&o2hb_live_lock);
	return live;
}

int o2hb_check_node_heartbeating_no_sem(u8 node_num)
{
	return o2hb_node_is_live(node_num);
}
EXPORT_SYMBOL_GPL(o2hb_check_node_heartbeating_no_sem);

int o2hb_check_node_heartbeating_from_callback(u8 node_num)
{
	return o2hb_node_is_live(node_num);
}
EXPORT_SYMBOL_GPL(o2hb_check_node_heartbeating_from_callback);
