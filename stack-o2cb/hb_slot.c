// SPDX-License-Identifier: GPL-2.0
/*
 * The liveness rule for one node's heartbeat block, sampled once per
 * interval: a dead node becomes live after O2HB_LIVE_THRESHOLD samples
 * whose sequence moved (at any time while it was dead); a live node dies
 * after dead_threshold samples in a row that did not move, or at once
 * when its generation changes (it restarted or left cleanly).  Pure
 * state-machine code: no locks, no I/O.
 */
#include <linux/kernel.h>

#include "hb_slot.h"

static enum o2hb_verdict o2hb_slot_dead_sample(struct o2hb_slot *slot)
{
	if (slot->changed < O2HB_LIVE_THRESHOLD)
		return O2HB_SLOT_SAME;
	slot->live = true;
	slot->equal = 0;
	return O2HB_SLOT_UP;
}

static enum o2hb_verdict o2hb_slot_live_sample(struct o2hb_slot *slot,
					       unsigned int dead_threshold,
					       bool gen_changed)
{
	if (slot->equal >= dead_threshold || gen_changed) {
		slot->live = false;
		/*
		 * A new generation means the node is still writing: keep
		 * its changed samples so it can come back soon.
		 */
		if (!gen_changed)
			slot->changed = 0;
		return O2HB_SLOT_DOWN;
	}
	/* any movement proves it alive: restart both counts */
	if (slot->changed) {
		slot->changed = 0;
		slot->equal = 0;
	}
	return O2HB_SLOT_SAME;
}

/*
 * A block with a bad checksum counts as a missed beat for a live node
 * and is ignored for a dead one (a freshly formatted area has none).
 */
enum o2hb_verdict o2hb_slot_sample(struct o2hb_slot *slot,
				   const struct o2hb_disk_block *blk,
				   bool crc_ok, unsigned int dead_threshold,
				   bool *gen_changed)
{
	u64 seq, gen;

	*gen_changed = false;
	if (!crc_ok) {
		if (!slot->live)
			return O2HB_SLOT_SAME;
		if (slot->equal < U16_MAX)
			slot->equal++;
		return o2hb_slot_live_sample(slot, dead_threshold, false);
	}

	seq = le64_to_cpu(blk->hb_seq);
	gen = le64_to_cpu(blk->hb_generation);
	if (seq != slot->last_seq) {
		if (slot->changed < U16_MAX)
			slot->changed++;
	} else if (slot->equal < U16_MAX) {
		slot->equal++;
	}
	slot->last_seq = seq;
	if (gen != slot->last_gen) {
		*gen_changed = true;
		slot->equal = 0;
	}
	slot->last_gen = gen;

	if (!slot->live)
		return o2hb_slot_dead_sample(slot);
	return o2hb_slot_live_sample(slot, dead_threshold, *gen_changed);
}
