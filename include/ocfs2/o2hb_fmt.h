/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The o2cb disk heartbeat block: one sector per node in a volume's
 * heartbeat area, rewritten by its owner every interval and read by every
 * other node.  Shared by the kernel heartbeat and the tools.
 */
#ifndef OCFS2_O2HB_FMT_H
#define OCFS2_O2HB_FMT_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#else
#include <assert.h>
#include <stddef.h>
#endif

/*
 * All fields little-endian.  hb_cksum is crc32_le(0, block, block_bytes)
 * computed with hb_cksum itself zero, over the whole sector (the bytes
 * past this struct are zero).  A node leaving cleanly writes generation 0
 * so that readers see a generation change and drop it at once.
 */
struct o2hb_disk_block {
	__le64 hb_seq;		/* wall-clock seconds of the write */
	__u8   hb_node;		/* writer's node number */
	__u8   hb_pad1[3];
	__le32 hb_cksum;
	__le64 hb_generation;	/* random per heartbeat start, never 0 live */
	__le32 hb_dead_ms;	/* writer's dead_threshold * interval */
};

static_assert(offsetof(struct o2hb_disk_block, hb_seq) == 0);
static_assert(offsetof(struct o2hb_disk_block, hb_node) == 8);
static_assert(offsetof(struct o2hb_disk_block, hb_cksum) == 12);
static_assert(offsetof(struct o2hb_disk_block, hb_generation) == 16);
static_assert(offsetof(struct o2hb_disk_block, hb_dead_ms) == 24);
static_assert(sizeof(struct o2hb_disk_block) == 32);

/* timing, in milliseconds and samples */
#define O2HB_INTERVAL_MS		2000
#define O2HB_LIVE_THRESHOLD		2
#define O2HB_DEFAULT_DEAD_THRESHOLD	31
#define O2HB_MIN_DEAD_THRESHOLD		2

/* heartbeat block sizes match filesystem sector sizes */
#define O2HB_MIN_BLOCK_BYTES		512
#define O2HB_MAX_BLOCK_BYTES		4096

/* region directories are named by the 32-char volume UUID */
#define O2HB_MAX_REGION_NAME_LEN	32

#endif /* OCFS2_O2HB_FMT_H */
