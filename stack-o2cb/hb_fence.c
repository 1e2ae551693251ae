// SPDX-License-Identifier: GPL-2.0
/*
 * Write timeout and self-fencing.  After each good write of our block a
 * timer is re-armed for (dead_threshold - 1) intervals; if it fires, the
 * other nodes are about to declare us dead and recover our journal, so
 * we must stop touching the disk: reset or panic, per fence_method.  In
 * global mode one failed region is tolerated as long as fewer than half
 * of the quorum regions have failed.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/reboot.h>
#include <linux/workqueue.h>

#include "hb_internal.h"

void o2hb_fence(const char *why)
{
	o2hb_stop_all_regions();
	if (o2nm_fence_method() == O2NM_FENCE_PANIC)
		panic("o2hb: fencing this node by panicking: %s\n", why);
	pr_emerg("o2hb: fencing this node by restarting: %s\n", why);
	emergency_restart();
}

/* Global mode: is this failure survivable? */
static bool o2hb_quorum_survives(struct o2hb_region *reg)
{
	unsigned int failed, quorum;

	spin_lock(&o2hb_live_lock);
	if (test_bit(reg->region_num, o2hb_quorum_region_map))
		set_bit(reg->region_num, o2hb_failed_region_map);
	failed = bitmap_weight(o2hb_failed_region_map, O2NM_MAX_REGIONS);
	quorum = bitmap_weight(o2hb_quorum_region_map, O2NM_MAX_REGIONS);
	spin_unlock(&o2hb_live_lock);

	pr_notice("o2hb: %u of %u quorum regions failed\n", failed, quorum);
	return failed * 2 < quorum;
}

static void o2hb_write_timeout_fn(struct work_struct *work)
{
	struct o2hb_region *reg = container_of(to_delayed_work(work),
					       struct o2hb_region,
					       write_timeout);

	pr_err("o2hb: heartbeat write timeout to device %pg after %u ms\n",
	       reg->bdev, jiffies_to_msecs(jiffies - reg->last_arm));
	if (o2hb_global_heartbeat_active() && o2hb_quorum_survives(reg))
		return;
	o2hb_fence("heartbeat writes timed out");
}

void o2hb_timeout_init(struct o2hb_region *reg)
{
	mutex_init(&reg->arm_mutex);
	reg->stopping = true;
	INIT_DELAYED_WORK(&reg->write_timeout, o2hb_write_timeout_fn);
}

void o2hb_set_stopping(struct o2hb_region *reg, bool stopping)
{
	mutex_lock(&reg->arm_mutex);
	reg->stopping = stopping;
	mutex_unlock(&reg->arm_mutex);
}

/* Only once steady: before that, nobody relies on our beat yet. */
void o2hb_arm_timeout(struct o2hb_region *reg)
{
	mutex_lock(&reg->arm_mutex);
	if (reg->stopping || atomic_read(&reg->steady_left))
		goto out;
	if (o2hb_global_heartbeat_active()) {
		spin_lock(&o2hb_live_lock);
		clear_bit(reg->region_num, o2hb_failed_region_map);
		spin_unlock(&o2hb_live_lock);
	}
	mod_delayed_work(system_wq, &reg->write_timeout,
			 msecs_to_jiffies(o2hb_write_timeout_ms()));
out:
	mutex_unlock(&reg->arm_mutex);
}

void o2hb_disarm_timeout(struct o2hb_region *reg)
{
	cancel_delayed_work_sync(&reg->write_timeout);
}

/*
 * Global mode: a region counts toward quorum once it is steady and sees
 * every node that is alive anywhere, i.e. every node uses it.
 */
void o2hb_try_quorum_region(struct o2hb_region *reg)
{
	bool added = false;

	if (!o2hb_global_heartbeat_active() || atomic_read(&reg->steady_left))
		return;
	spin_lock(&o2hb_live_lock);
	if (!test_bit(reg->region_num, o2hb_quorum_region_map) &&
	    bitmap_equal(reg->live_map, o2hb_live_node_map, O2NM_MAX_NODES)) {
		set_bit(reg->region_num, o2hb_quorum_region_map);
		added = true;
	}
	spin_unlock(&o2hb_live_lock);
	if (!added)
		return;
	pr_notice("o2hb: region %s (%pg) is now a quorum device\n",
		  config_item_name(&reg->item), reg->bdev);
	o2hb_pin_after_quorum_change(false);
}

void o2hb_stop_all_regions(void)
{
	struct o2hb_region *reg;

	pr_err("o2hb: stopping heartbeat on all active regions\n");
	spin_lock(&o2hb_live_lock);
	list_for_each_entry(reg, &o2hb_all_regions, all_item)
		WRITE_ONCE(reg->unclean_stop, true);
	spin_unlock(&o2hb_live_lock);
}
EXPORT_SYMBOL_GPL(o2hb_stop_all_regions);
