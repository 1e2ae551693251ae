/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-slot liveness rule of the disk heartbeat, kept free of kernel
 * services so the unit tests build it in userspace too.
 */
#ifndef O2CB_HB_SLOT_H
#define O2CB_HB_SLOT_H

#include <ocfs2/o2hb_fmt.h>

/* What this node knows about one node's block in one region. */
struct o2hb_slot {
	u64	last_seq;
	u64	last_gen;
	u16	changed;	/* samples whose seq moved */
	u16	equal;		/* consecutive samples that did not */
	bool	live;
	bool	bad_crc_logged;
};

/* Result of sampling a slot once. */
enum o2hb_verdict {
	O2HB_SLOT_SAME,
	O2HB_SLOT_UP,
	O2HB_SLOT_DOWN,
};

enum o2hb_verdict o2hb_slot_sample(struct o2hb_slot *slot,
				   const struct o2hb_disk_block *blk,
				   bool crc_ok, unsigned int dead_threshold,
				   bool *gen_changed);

#endif /* O2CB_HB_SLOT_H */
