// SPDX-License-Identifier: GPL-2.0
/*
 * Departures fs/dlm did not report as failures.
 *
 * fs/dlm calls recover_slot for a departed member only when it takes the
 * departure for a failure: when dlm_controld removed the node's comms
 * before the lockspace recovered.  A node killed and booted again before
 * corosync's membership settled (seen in the lab with fencing off: a
 * 6.1 guest back in corosync within the failure detection) keeps its
 * comms, and its death looks like a clean leave; its slot would never be
 * recovered.  So every recover_done compares the members with the last
 * ones and hands each departure recover_slot did not report to the user
 * as well: to its left handler when it has one (the file system checks
 * the slot quietly: a node leaving cleanly emptied its slot first, so
 * nothing is recovered or logged unless the node died), else to the
 * recovery handler, which is as safe, only noisier.
 *
 * Both callbacks run on the lockspace's recovery thread, one at a time,
 * and disconnect frees this state only after the lockspace is released.
 */
#include <linux/slab.h>

#include "su_internal.h"

/* recover_slot reported @node in the current recovery */
void su_members_reported(struct su_conn *sc, int node)
{
	if (sc->sc_nreported < ARRAY_SIZE(sc->sc_reported))
		sc->sc_reported[sc->sc_nreported++] = node;
	else
		sc->sc_reported_overflow = true;
}

static bool was_reported(struct su_conn *sc, int node)
{
	int i;

	if (sc->sc_reported_overflow)
		return false;	/* a second report is harmless */
	for (i = 0; i < sc->sc_nreported; i++)
		if (sc->sc_reported[i] == node)
			return true;
	return false;
}

static bool in_slots(const struct dlm_slot *slots, int num, int node)
{
	int i;

	for (i = 0; i < num; i++)
		if (slots[i].nodeid == node)
			return true;
	return false;
}

static void report_departed(struct su_conn *sc, const struct dlm_slot *slots,
			    int num)
{
	struct ocfs2_cluster_connection *conn = sc->sc_conn;
	void (*left)(int node, void *data);
	int i, node;

	left = READ_ONCE(conn->cc_left_handler);
	for (i = 0; i < sc->sc_nmembers; i++) {
		node = sc->sc_members[i];
		if (in_slots(slots, num, node) || was_reported(sc, node))
			continue;
		if (left) {
			left(node, conn->cc_recovery_data);
			continue;
		}
		pr_info("ocfs2: group %s: node %d left without a failure report from fs/dlm; checking its slot\n",
			conn->cc_name, node);
		if (conn->cc_recovery_handler)
			conn->cc_recovery_handler(node,
						  conn->cc_recovery_data);
	}
}

/* recover_done: the members are now @slots */
void su_members_update(struct su_conn *sc, const struct dlm_slot *slots,
		       int num)
{
	int *members;
	int i;

	report_departed(sc, slots, num);
	sc->sc_nreported = 0;
	sc->sc_reported_overflow = false;
	/* without memory the next departures go unchecked, as before */
	members = kmalloc_array(num, sizeof(*members), GFP_NOFS);
	kfree(sc->sc_members);
	sc->sc_members = members;
	sc->sc_nmembers = members ? num : 0;
	for (i = 0; members && i < num; i++)
		members[i] = slots[i].nodeid;
}

void su_members_free(struct su_conn *sc)
{
	kfree(sc->sc_members);
	sc->sc_members = NULL;
	sc->sc_nmembers = 0;
}
