// SPDX-License-Identifier: GPL-2.0
/*
 * The heartbeat thread, one per region ("o2hb-<uuid>"): every interval it
 * reads the slots of all configured nodes, checks nobody else wrote our
 * slot, writes our block, samples every slot and re-arms the write
 * timeout.  The writer of "dev" waits until a few beats in a row brought
 * no membership change, so a mount that follows sees who is alive.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>

#include "hb_internal.h"

DECLARE_WAIT_QUEUE_HEAD(o2hb_steady_wq);

void o2hb_fill_own_block(struct o2hb_region *reg, u64 generation)
{
	struct o2hb_disk_block *blk = o2hb_slot_block(reg, reg->node_num);
	u64 now = ktime_get_real_seconds();

	memset(blk, 0, reg->block_bytes);
	blk->hb_seq = cpu_to_le64(now ? now : 1);
	blk->hb_node = reg->node_num;
	blk->hb_generation = cpu_to_le64(generation);
	blk->hb_dead_ms = cpu_to_le32(o2hb_dead_ms());
	blk->hb_cksum = cpu_to_le32(o2hb_block_crc(reg, blk));
}

/* Did the block we read back in our slot come from us? */
static bool o2hb_own_slot_ok(struct o2hb_region *reg)
{
	struct o2hb_disk_block *blk = o2hb_slot_block(reg, reg->node_num);
	const char *what;

	if (!reg->own_written)
		return true;
	if (blk->hb_node == reg->node_num &&
	    le64_to_cpu(blk->hb_generation) == reg->generation &&
	    le64_to_cpu(blk->hb_seq) == reg->own_seq)
		return true;

	if (blk->hb_node != reg->node_num)
		what = "another node is heartbeating in our slot";
	else if (le64_to_cpu(blk->hb_generation) != reg->generation)
		what = "heartbeat generation mismatch";
	else
		what = "heartbeat sequence mismatch";
	pr_err_ratelimited("o2hb: %s on device %pg: expected node %u gen 0x%llx seq %llu, found node %u gen 0x%llx seq %llu\n",
			   what, reg->bdev, reg->node_num, reg->generation,
			   reg->own_seq, blk->hb_node,
			   le64_to_cpu(blk->hb_generation),
			   le64_to_cpu(blk->hb_seq));
	return false;
}

/* Nodes to sample: configured ones plus any still live here. */
static int o2hb_nodes_to_scan(struct o2hb_region *reg, unsigned long *map)
{
	int ret;

	ret = o2nm_configured_node_map(map, BITS_TO_LONGS(O2NM_MAX_NODES) *
				       sizeof(unsigned long));
	if (ret)
		return ret;
	spin_lock(&o2hb_live_lock);
	bitmap_or(map, map, reg->live_map, O2NM_MAX_NODES);
	spin_unlock(&o2hb_live_lock);
	if (reg->blocks < O2NM_MAX_NODES)
		bitmap_clear(map, reg->blocks, O2NM_MAX_NODES - reg->blocks);
	return bitmap_empty(map, O2NM_MAX_NODES) ? -EINVAL : 0;
}

static void o2hb_warn_dead_ms(struct o2hb_region *reg, unsigned int node,
			      struct o2hb_disk_block *blk)
{
	unsigned int theirs = le32_to_cpu(blk->hb_dead_ms);

	if (theirs && theirs != o2hb_dead_ms())
		pr_err("o2hb: node %u on device %pg has a dead time of %u ms but ours is %u ms; check O2CB_HEARTBEAT_THRESHOLD on every node\n",
		       node, reg->bdev, theirs, o2hb_dead_ms());
}

/* Sample one slot; true if the node's state in this region changed. */
static bool o2hb_check_slot(struct o2hb_region *reg, unsigned int node)
{
	struct o2hb_disk_block *blk = o2hb_slot_block(reg, node);
	struct o2hb_slot *slot = &reg->slots[node];
	bool crc_ok, gen_changed;
	enum o2hb_verdict v;

	crc_ok = le32_to_cpu(blk->hb_cksum) == o2hb_block_crc(reg, blk);
	if (!crc_ok && slot->live && !slot->bad_crc_logged) {
		pr_err("o2hb: node %u wrote a block with a bad checksum to %pg (seq %llu gen 0x%llx)\n",
		       node, reg->bdev, le64_to_cpu(blk->hb_seq),
		       le64_to_cpu(blk->hb_generation));
		slot->bad_crc_logged = true;
	} else if (crc_ok) {
		slot->bad_crc_logged = false;
	}

	v = o2hb_slot_sample(slot, blk, crc_ok, o2hb_dead_threshold,
			     &gen_changed);
	if (v == O2HB_SLOT_UP) {
		o2hb_warn_dead_ms(reg, node, blk);
		o2hb_node_up(reg, node);
	} else if (v == O2HB_SLOT_DOWN) {
		o2hb_node_down(reg, node);
	}
	return v != O2HB_SLOT_SAME;
}

/*
 * A failing disk fails every beat; one line when a streak of errors
 * starts (or its error changes) and one when it ends keep the log
 * readable for the admin who has to find the first one.
 */
static void o2hb_io_result(struct o2hb_region *reg,
			   struct o2hb_io_streak *streak, const char *what,
			   int ret)
{
	if (ret && ret != streak->error) {
		pr_err("o2hb: %s error %d on device %pg; logged again only when it changes or clears\n",
		       what, ret, reg->bdev);
		if (!streak->error)
			streak->beats = 0;
		streak->error = ret;
	} else if (!ret && streak->error) {
		pr_notice("o2hb: %ss on device %pg work again after %u failed beats (error %d)\n",
			  what, reg->bdev, streak->beats, streak->error);
		streak->error = 0;
	}
	if (ret)
		streak->beats++;
}

static int o2hb_write_beat(struct o2hb_region *reg)
{
	int ret;

	o2hb_fill_own_block(reg, reg->generation);
	ret = o2hb_write_own_slot(reg);
	o2hb_io_result(reg, &reg->write_streak, "write", ret);
	if (ret)
		return ret;
	reg->own_written = true;
	reg->own_seq = le64_to_cpu(o2hb_slot_block(reg, reg->node_num)->hb_seq);
	return 0;
}

/* One beat; returns 0 or an errno, and whether membership changed. */
static int o2hb_beat(struct o2hb_region *reg, bool *own_ok, bool *changed)
{
	unsigned long map[BITS_TO_LONGS(O2NM_MAX_NODES)];
	unsigned int first, end, node;
	int ret;

	*own_ok = false;
	*changed = false;
	ret = o2hb_nodes_to_scan(reg, map);
	if (ret)
		return ret;
	first = find_first_bit(map, O2NM_MAX_NODES);
	end = find_last_bit(map, O2NM_MAX_NODES) + 1;
	ret = o2hb_read_slots(reg, first, end);
	o2hb_io_result(reg, &reg->read_streak, "read", ret);
	if (ret)
		return ret;
	*own_ok = o2hb_own_slot_ok(reg);

	ret = o2hb_write_beat(reg);
	for_each_set_bit(node, map, O2NM_MAX_NODES)
		*changed |= o2hb_check_slot(reg, node);
	if (ret)
		return ret;	/* no re-arm: the block may not be on disk */

	if (*own_ok) {
		o2hb_try_quorum_region(reg);
		o2hb_arm_timeout(reg);
		reg->last_arm = jiffies;
	}
	return 0;
}

/* Count beats toward the steady state the writer of "dev" waits for. */
static int o2hb_account_steady(struct o2hb_region *reg, int ret, bool own_ok,
			       bool changed)
{
	if (!atomic_read(&reg->steady_left))
		return ret;
	if (!ret && own_ok && !changed &&
	    atomic_dec_and_test(&reg->steady_left)) {
		wake_up(&o2hb_steady_wq);
		return ret;
	}
	if (atomic_dec_and_test(&reg->unsteady_left)) {
		pr_notice("o2hb: unable to stabilize heartbeat on region %s (%pg)\n",
			  config_item_name(&reg->item), reg->bdev);
		reg->aborted = true;
		atomic_set(&reg->steady_left, 0);
		wake_up(&o2hb_steady_wq);
		return -EIO;
	}
	return ret;
}

/* Leaving: drop every node we saw here and tell readers we are gone. */
static void o2hb_thread_leave(struct o2hb_region *reg)
{
	unsigned int node;

	o2hb_disarm_timeout(reg);
	if (reg->unclean_stop)
		return;
	for (node = 0; node < reg->blocks; node++)
		if (reg->slots[node].live) {
			reg->slots[node].live = false;
			o2hb_node_down(reg, node);
		}
	if (reg->aborted)
		return;
	/* generation 0: readers see a generation change and drop us now */
	o2hb_fill_own_block(reg, 0);
	if (o2hb_write_own_slot(reg))
		pr_err("o2hb: could not write the leaving block to %pg\n",
		       reg->bdev);
}

static bool o2hb_keep_beating(struct o2hb_region *reg)
{
	return !kthread_should_stop() && !READ_ONCE(reg->unclean_stop) &&
		!reg->aborted && o2nm_this_node() == reg->node_num;
}

int o2hb_thread(void *data)
{
	struct o2hb_region *reg = data;
	struct o2nm_node *node;
	bool own_ok, changed;
	unsigned int elapsed;
	ktime_t start;
	int ret;

	set_user_nice(current, MIN_NICE);
	/* our node must stay configured while we write its slot */
	node = o2nm_get_node_by_num(reg->node_num);
	if (!node || o2nm_depend_item(&node->item)) {
		if (node)
			o2nm_node_put(node);
		pr_err("o2hb: local node was removed; region %s not started\n",
		       config_item_name(&reg->item));
		reg->node_deleted = true;
		wake_up(&o2hb_steady_wq);
		return 0;
	}

	while (o2hb_keep_beating(reg)) {
		start = ktime_get();
		ret = o2hb_beat(reg, &own_ok, &changed);
		reg->last_status = o2hb_account_steady(reg, ret, own_ok,
						       changed);
		elapsed = ktime_ms_delta(ktime_get(), start);
		if (elapsed < O2HB_INTERVAL_MS && !kthread_should_stop())
			msleep_interruptible(O2HB_INTERVAL_MS - elapsed);
	}

	o2hb_thread_leave(reg);
	o2nm_undepend_item(&node->item);
	o2nm_node_put(node);
	return 0;
}
