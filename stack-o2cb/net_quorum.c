// SPDX-License-Identifier: GPL-2.0
/*
 * Quorum, the stock rules.  Two maps: nodes heartbeating on disk and
 * nodes we have a working connection to (ourselves included in both).
 * A node we lost the connection to while it still heartbeats is "held":
 * if its heartbeat stops in time, it simply died and nothing is decided;
 * if it still beats (dead_threshold + 2) intervals later, the cluster is
 * split and, once no hold is left, this node decides whether it is on
 * the surviving side.  It is not when it reaches fewer than half of the
 * heartbeating nodes, or exactly half without the lowest-numbered one
 * (so in two nodes the higher number goes).  A node that is not on the
 * surviving side stops heartbeating and fences itself (fence_method),
 * before the others recover its journal.
 */
#include <linux/bitmap.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <ocfs2/o2hb_fmt.h>

#include "net_internal.h"
#include "o2hb.h"

static struct {
	spinlock_t	lock;
	struct work_struct decide_work;
	bool		pending;	/* a split was seen: decide */
	unsigned long	hb[BITS_TO_LONGS(O2NM_MAX_NODES)];
	unsigned long	conn[BITS_TO_LONGS(O2NM_MAX_NODES)];
	unsigned long	hold[BITS_TO_LONGS(O2NM_MAX_NODES)];
} o2quo;

unsigned int o2quo_delay_ms(void)
{
	return (o2hb_dead_threshold_get() + 2) * O2HB_INTERVAL_MS;
}

/* o2quo.lock held: true when we must fence */
static bool __o2quo_must_fence(u8 self)
{
	int beating = bitmap_weight(o2quo.hb, O2NM_MAX_NODES);
	int reached = bitmap_weight(o2quo.conn, O2NM_MAX_NODES);
	int lowest = find_first_bit(o2quo.hb, O2NM_MAX_NODES);
	bool lowest_reached = lowest < O2NM_MAX_NODES &&
			      test_bit(lowest, o2quo.conn);

	if (self >= O2NM_MAX_NODES || !test_bit(self, o2quo.hb) || beating == 1)
		return false;
	if (beating & 1)
		return reached < (beating + 1) / 2;
	if (reached < beating / 2)
		return true;
	return reached == beating / 2 && !lowest_reached;
}

static void o2quo_decide(struct work_struct *work)
{
	u8 self = o2nm_this_node();
	int beating, reached, lowest;
	bool fence;

	spin_lock(&o2quo.lock);
	fence = __o2quo_must_fence(self);
	beating = bitmap_weight(o2quo.hb, O2NM_MAX_NODES);
	reached = bitmap_weight(o2quo.conn, O2NM_MAX_NODES);
	lowest = find_first_bit(o2quo.hb, O2NM_MAX_NODES);
	spin_unlock(&o2quo.lock);
	if (fence) {
		pr_emerg("o2quo: fencing this node: connected to %d of %d heartbeating nodes, lowest node %d %s\n",
			 reached, beating, lowest,
			 test_bit(lowest, o2quo.conn) ? "reachable" :
							"unreachable");
		o2hb_fence("no quorum");
		return;
	}
	pr_notice("o2quo: not fencing this node: heartbeating %d, connected %d, lowest %d\n",
		  beating, reached, lowest);
}

/* o2quo.lock held */
static void __o2quo_set_hold(u8 node)
{
	set_bit(node, o2quo.hold);
}

/* o2quo.lock held: the last hold gone, a pending decision is taken */
static void __o2quo_clear_hold(u8 node)
{
	if (!test_and_clear_bit(node, o2quo.hold))
		return;
	if (bitmap_empty(o2quo.hold, O2NM_MAX_NODES) && o2quo.pending) {
		o2quo.pending = false;
		schedule_work(&o2quo.decide_work);
	}
}

void o2quo_hb_up(u8 node)
{
	spin_lock(&o2quo.lock);
	set_bit(node, o2quo.hb);
	if (test_bit(node, o2quo.conn))
		__o2quo_clear_hold(node);
	else
		__o2quo_set_hold(node);
	spin_unlock(&o2quo.lock);
}

void o2quo_hb_down(u8 node)
{
	spin_lock(&o2quo.lock);
	clear_bit(node, o2quo.hb);
	__o2quo_clear_hold(node);
	spin_unlock(&o2quo.lock);
}

/* the connection stayed down while the node kept heartbeating */
void o2quo_hb_still_up(u8 node)
{
	spin_lock(&o2quo.lock);
	o2quo.pending = true;
	__o2quo_clear_hold(node);
	spin_unlock(&o2quo.lock);
}

void o2quo_conn_up(u8 node)
{
	spin_lock(&o2quo.lock);
	set_bit(node, o2quo.conn);
	if (test_bit(node, o2quo.hb))
		__o2quo_clear_hold(node);
	else
		__o2quo_set_hold(node);
	spin_unlock(&o2quo.lock);
}

void o2quo_conn_err(u8 node)
{
	spin_lock(&o2quo.lock);
	if (test_and_clear_bit(node, o2quo.conn) && test_bit(node, o2quo.hb))
		__o2quo_set_hold(node);
	spin_unlock(&o2quo.lock);
}

void o2quo_init(void)
{
	spin_lock_init(&o2quo.lock);
	INIT_WORK(&o2quo.decide_work, o2quo_decide);
}

void o2quo_exit(void)
{
	flush_work(&o2quo.decide_work);
}
