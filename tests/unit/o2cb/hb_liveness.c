// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the heartbeat liveness rule (stack-o2cb/hb_slot.c): alive
 * after 2 moving samples, dead after dead_threshold still ones or at a
 * generation change, bad checksums as missed beats.
 */
#include <stdio.h>
#include <string.h>
#include "hb_slot.h"

static int failures;

#define CHECK(cond, what) do { \
	if (!(cond)) { printf("not ok: %s (line %d)\n", what, __LINE__); \
		failures++; } else { printf("ok: %s\n", what); } } while (0)

static struct o2hb_disk_block blk;

static enum o2hb_verdict beat(struct o2hb_slot *s, uint64_t seq, uint64_t gen,
			      bool crc_ok)
{
	bool gen_changed;

	blk.hb_seq = cpu_to_le64(seq);
	blk.hb_generation = cpu_to_le64(gen);
	return o2hb_slot_sample(s, &blk, crc_ok, 7, &gen_changed);
}

int main(void)
{
	struct o2hb_slot s;
	int i, v = 0;

	memset(&s, 0, sizeof(s));
	s.last_seq = 100;
	s.last_gen = 9;
	CHECK(beat(&s, 100, 9, true) == O2HB_SLOT_SAME, "unchanged block: still dead");
	CHECK(beat(&s, 102, 9, true) == O2HB_SLOT_SAME, "one change: not yet alive");
	CHECK(beat(&s, 104, 9, true) == O2HB_SLOT_UP, "two changes: alive");
	for (i = 0; i < 6; i++)
		v |= beat(&s, 104, 9, true);
	CHECK(v == O2HB_SLOT_SAME && s.live, "six still samples: alive at threshold 7");
	CHECK(beat(&s, 106, 9, true) == O2HB_SLOT_SAME && !s.equal, "a beat resets the count");
	for (i = 0, v = 0; i < 6; i++)
		v |= beat(&s, 106, 9, true);
	CHECK(v == O2HB_SLOT_SAME, "six more still samples: alive");
	CHECK(beat(&s, 106, 9, true) == O2HB_SLOT_DOWN && !s.live, "seventh: dead");

	/*
	 * As in stock, the moving samples that made a node alive are only
	 * cleared by its next live sample, so every case below lets a live
	 * node beat once before testing it.
	 */
	memset(&s, 0, sizeof(s));
	beat(&s, 1, 5, true);
	CHECK(beat(&s, 2, 5, true) == O2HB_SLOT_UP, "alive again");
	beat(&s, 3, 5, true);
	CHECK(beat(&s, 4, 6, true) == O2HB_SLOT_DOWN, "generation change: dead at once");
	CHECK(beat(&s, 5, 6, true) == O2HB_SLOT_UP, "restarted node back after one beat");
	beat(&s, 6, 6, true);
	CHECK(beat(&s, 7, 0, true) == O2HB_SLOT_DOWN, "generation 0 (clean leave): dead");
	CHECK(beat(&s, 7, 0, true) == O2HB_SLOT_SAME && !s.live, "left node stays dead");

	memset(&s, 0, sizeof(s));
	CHECK(beat(&s, 1, 1, false) == O2HB_SLOT_SAME && !s.changed,
	      "bad checksum on a dead slot is ignored");
	beat(&s, 2, 1, true);
	beat(&s, 3, 1, true);
	beat(&s, 4, 1, true);
	CHECK(s.live, "alive");
	for (i = 0, v = 0; i < 6; i++)
		v |= beat(&s, 99, 99, false);
	CHECK(v == O2HB_SLOT_SAME, "six bad checksums: still alive");
	CHECK(beat(&s, 99, 99, false) == O2HB_SLOT_DOWN, "seventh bad checksum: dead");

	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures ? 1 : 0;
}
