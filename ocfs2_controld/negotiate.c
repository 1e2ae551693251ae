// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon group ("ocfs2_controld") and the filesystem locking protocol.
 *
 * Every daemon announces, in a HELLO on the daemon group, the highest
 * locking protocol its kernel supports (/sys/fs/ocfs2/max_locking_protocol)
 * and the protocol it runs, once it has one.  CPG's agreed ordering makes
 * every node see the same sequence, so:
 *  - a daemon that hears an established protocol adopts it (same major,
 *    minor no higher than its own kernel's); a joiner hears one because
 *    established members repeat their HELLO whenever a daemon joins;
 *  - daemons starting together, none established, settle on the lowest
 *    minor of the same major among all HELLOs once each member's arrived.
 * The result goes to the kernel with SETV (after SETN) exactly once.
 * Stock ocfs2_controld kept the same facts in openais checkpoints, which
 * corosync 2+ no longer has.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <corosync/cpg.h>
#include "controld.h"
#include "log.h"
#include "loop.h"

#define HELLO_MAGIC	"O2CD"
#define HELLO_TYPE	1
#define DAEMON_PROTO_MAJOR	1
#define DAEMON_PROTO_MINOR	0

/* All single bytes: no byte order to agree on. */
struct hello {
	char magic[4];
	uint8_t type;
	uint8_t daemon_major, daemon_minor;
	uint8_t fs_max_major, fs_max_minor;
	uint8_t fs_run_set, fs_run_major, fs_run_minor;
};
_Static_assert(sizeof(struct hello) == 12, "hello wire size");

static struct group *daemon_group;
static uint32_t waiting_for[MAX_NODES];	/* members whose HELLO is due */
static int nwaiting;
static int own_hello_seen;
static unsigned int low_minor;		/* lowest unestablished minor seen */

int negotiate_read_kernel_max(void)
{
	const char *path = getenv("OCFS2_CONTROLD_MAX_PROTOCOL");	/* tests */
	unsigned int major, minor;
	FILE *f;
	int n;

	if (!path)
		path = "/sys/fs/ocfs2/max_locking_protocol";
	f = fopen(path, "r");
	if (!f) {
		log_err("cannot read %s (%s): load ocfs2_stack_user and ocfs2 first",
			path, strerror(errno));
		return -1;
	}
	n = fscanf(f, "%u.%u", &major, &minor);
	fclose(f);
	if (n != 2 || major > 255 || minor > 255) {
		log_err("%s does not hold a major.minor version", path);
		return -1;
	}
	cluster.fs_max_major = major;
	cluster.fs_max_minor = minor;
	return 0;
}

static void send_hello(void)
{
	struct hello h = {
		.magic = HELLO_MAGIC,
		.type = HELLO_TYPE,
		.daemon_major = DAEMON_PROTO_MAJOR,
		.daemon_minor = DAEMON_PROTO_MINOR,
		.fs_max_major = cluster.fs_max_major,
		.fs_max_minor = cluster.fs_max_minor,
		.fs_run_set = cluster.fs_negotiated,
		.fs_run_major = cluster.fs_major,
		.fs_run_minor = cluster.fs_minor,
	};

	if (group_send(daemon_group, &h, sizeof(h)))
		log_err("cannot send HELLO on the daemon group");
}

static void settle(unsigned int major, unsigned int minor, const char *how)
{
	cluster.fs_major = major;
	cluster.fs_minor = minor;
	cluster.fs_negotiated = 1;
	log_info("filesystem locking protocol %u.%u (%s; this kernel supports up to %u.%u)",
		 major, minor, how, cluster.fs_max_major, cluster.fs_max_minor);
	if (control_set_node_and_version())
		loop_stop(1, "cannot hand node id and protocol to the kernel");
}

static void stop_waiting_for(uint32_t nodeid)
{
	int i;

	for (i = 0; i < nwaiting; i++)
		if (waiting_for[i] == nodeid)
			waiting_for[i] = waiting_for[--nwaiting];
}

static void adopt(const struct hello *h, uint32_t from)
{
	if (h->fs_run_major != cluster.fs_max_major ||
	    h->fs_run_minor > cluster.fs_max_minor) {
		log_err("the cluster runs locking protocol %u.%u (node %u) but this kernel supports only %u.%u",
			h->fs_run_major, h->fs_run_minor, from,
			cluster.fs_max_major, cluster.fs_max_minor);
		loop_stop(1, "incompatible filesystem locking protocol");
		return;
	}
	settle(h->fs_run_major, h->fs_run_minor, "adopted from the cluster");
}

static void check_peer(const struct hello *h, uint32_t from)
{
	if (h->fs_max_major != cluster.fs_major ||
	    h->fs_max_minor < cluster.fs_minor)
		log_err("node %u supports locking protocol %u.%u only, the cluster runs %u.%u: its mounts will fail",
			from, h->fs_max_major, h->fs_max_minor,
			cluster.fs_major, cluster.fs_minor);
}

static void note_unestablished(const struct hello *h, uint32_t from)
{
	if (h->fs_max_major != cluster.fs_max_major) {
		log_err("node %u supports locking protocol major %u, this kernel %u: it cannot share volumes with this node",
			from, h->fs_max_major, cluster.fs_max_major);
		return;
	}
	if (h->fs_max_minor < low_minor)
		low_minor = h->fs_max_minor;
}

static int hello_valid(const void *msg, size_t len, uint32_t from)
{
	const struct hello *h = msg;

	if (len != sizeof(*h) || memcmp(h->magic, HELLO_MAGIC, 4) ||
	    h->type != HELLO_TYPE) {
		log_err("daemon group: ignoring a malformed message (%zu bytes) from node %u",
			len, from);
		return 0;
	}
	if (h->daemon_major != DAEMON_PROTO_MAJOR) {
		log_err("daemon group: node %u speaks daemon protocol %u.%u, this daemon %u.%u: ignoring it",
			from, h->daemon_major, h->daemon_minor,
			DAEMON_PROTO_MAJOR, DAEMON_PROTO_MINOR);
		return 0;
	}
	return 1;
}

static void hello_received(struct group *g, uint32_t from, const void *msg,
			   size_t len, void *data)
{
	const struct hello *h = msg;

	(void)g;
	(void)data;
	if (!hello_valid(msg, len, from))
		return;
	stop_waiting_for(from);
	if (from == cluster.our_nodeid)
		own_hello_seen = 1;
	if (cluster.fs_negotiated) {
		if (from != cluster.our_nodeid)
			check_peer(h, from);
		return;
	}
	if (h->fs_run_set && from != cluster.our_nodeid) {
		adopt(h, from);
		return;
	}
	note_unestablished(h, from);
	if (own_hello_seen && nwaiting == 0)
		settle(cluster.fs_max_major, low_minor,
		       "lowest among the starting daemons");
}

static void daemon_joined(struct group *g, void *data)
{
	(void)data;
	nwaiting = 0;
	own_hello_seen = 0;
	low_minor = cluster.fs_max_minor;
	if (!cluster.fs_negotiated) {
		uint32_t m[MAX_NODES];
		int i, n = group_members(g, m, MAX_NODES);

		for (i = 0; i < n; i++)
			if (m[i] != cluster.our_nodeid)
				waiting_for[nwaiting++] = m[i];
	}
	send_hello();
}

/* Established members repeat themselves so a joiner can adopt. */
static void daemon_node_up(struct group *g, uint32_t nodeid, void *data)
{
	(void)g;
	(void)nodeid;
	(void)data;
	if (cluster.fs_negotiated)
		send_hello();
}

static void daemon_node_gone(struct group *g, uint32_t nodeid, int reason,
			     void *data)
{
	(void)g;
	(void)data;
	stop_waiting_for(nodeid);
	if (reason == CPG_REASON_PROCDOWN)
		log_err("ocfs2_controld on node %u died while its node stays up: its mounts are no longer guarded",
			nodeid);
	if (!cluster.fs_negotiated && own_hello_seen && nwaiting == 0)
		settle(cluster.fs_max_major, low_minor,
		       "lowest among the starting daemons");
}

static void daemon_left(struct group *g, void *data)
{
	(void)g;
	(void)data;
	log_info("left the daemon group");
}

static const struct group_ops daemon_ops = {
	.joined = daemon_joined,
	.left = daemon_left,
	.node_up = daemon_node_up,
	.node_gone = daemon_node_gone,
	.deliver = hello_received,
};

int negotiate_start(void)
{
	daemon_group = group_join(DAEMON_GROUP, &daemon_ops, NULL);
	return daemon_group ? 0 : -1;
}

void negotiate_stop(void)
{
	group_free(daemon_group);
	daemon_group = NULL;
}
