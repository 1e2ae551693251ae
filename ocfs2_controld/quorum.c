// SPDX-License-Identifier: GPL-2.0
/*
 * corosync quorum tracking.  The daemon refuses new mounts while this node
 * is in an inquorate partition, and holds node-down reports back until
 * quorum is regained: a minority cannot know the other side is dead.
 */
#include <corosync/quorum.h>
#include "controld.h"
#include "log.h"
#include "loop.h"

static quorum_handle_t qh;
static int qfd = -1;

static void quorum_changed(quorum_handle_t h, uint32_t quorate,
			   uint64_t ring_seq, uint32_t n, uint32_t *nodes)
{
	(void)h;
	(void)nodes;
	if (!!quorate != cluster.quorate)
		log_info("cluster %s is %s (ring %llu, %u nodes)", cluster.name,
			 quorate ? "quorate" : "NOT quorate: no new mounts, node-down reports held",
			 (unsigned long long)ring_seq, n);
	cluster.quorate = !!quorate;
}

static quorum_callbacks_t callbacks = {
	.quorum_notify_fn = quorum_changed,
};

static void quorum_ready(int fd, short revents, void *data)
{
	cs_error_t err;

	(void)fd;
	(void)data;
	err = quorum_dispatch(qh, CS_DISPATCH_ALL);
	if (err != CS_OK || (revents & (POLLHUP | POLLERR))) {
		loop_del(qfd);
		corosync_lost("quorum service connection lost");
	}
}

int quorum_setup(void)
{
	uint32_t type;
	int quorate = 0;
	cs_error_t err;

	err = quorum_initialize(&qh, &callbacks, &type);
	if (err != CS_OK) {
		log_err("cannot connect to corosync quorum service (error %d)",
			err);
		return -1;
	}
	if (quorum_getquorate(qh, &quorate) != CS_OK ||
	    quorum_trackstart(qh, CS_TRACK_CHANGES) != CS_OK ||
	    quorum_fd_get(qh, &qfd) != CS_OK) {
		log_err("cannot start quorum tracking");
		goto fail;
	}
	if (loop_add(qfd, POLLIN, quorum_ready, NULL))
		goto fail;
	cluster.quorate = quorate;
	log_info("cluster %s is %s", cluster.name,
		 quorate ? "quorate" : "not quorate");
	return 0;
fail:
	quorum_finalize(qh);
	qfd = -1;
	return -1;
}

void quorum_teardown(void)
{
	if (qfd < 0)
		return;
	loop_del(qfd);
	quorum_finalize(qh);
	qfd = -1;
	cluster.quorate = 0;
}
