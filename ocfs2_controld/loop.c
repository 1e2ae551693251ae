// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop.  One thread, one poll(): corosync's dispatch fds, the
 * client socket and its connections, the mount table and the signal pipe
 * all land here, so no handler ever races another.  A handler may add or
 * remove fds (even its own) while the loop walks the set.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include "log.h"
#include "loop.h"

#define LOOP_MAX	256

struct watch {
	int fd;
	short events;
	loop_fn fn;
	void *data;
};

static struct watch watches[LOOP_MAX];
static int nwatches;
static void (*tick_fn)(void);
static int stopping, stop_status;
static const char *stop_reason = "not stopped";

int loop_add(int fd, short events, loop_fn fn, void *data)
{
	if (nwatches == LOOP_MAX) {
		log_err("event loop full (%d fds): not watching fd %d",
			LOOP_MAX, fd);
		return -EMFILE;
	}
	watches[nwatches++] = (struct watch){ fd, events, fn, data };
	return 0;
}

void loop_del(int fd)
{
	int i;

	for (i = 0; i < nwatches; i++)
		if (watches[i].fd == fd)
			watches[i].fd = -1;	/* compacted after dispatch */
}

void loop_set_tick(void (*tick)(void))
{
	tick_fn = tick;
}

void loop_stop(int status, const char *reason)
{
	if (stopping)
		return;
	stopping = 1;
	stop_status = status;
	stop_reason = reason;
}

const char *loop_stop_reason(void)
{
	return stop_reason;
}

static void compact(void)
{
	int i, j = 0;

	for (i = 0; i < nwatches; i++)
		if (watches[i].fd >= 0)
			watches[j++] = watches[i];
	nwatches = j;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Dispatch one poll round; handlers see the snapshot taken before poll. */
static int poll_once(int timeout_ms)
{
	struct pollfd pfd[LOOP_MAX];
	struct watch snap[LOOP_MAX];
	int i, n = nwatches, rc;

	memcpy(snap, watches, n * sizeof(snap[0]));
	for (i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ snap[i].fd, snap[i].events, 0 };
	rc = poll(pfd, n, timeout_ms);
	if (rc < 0) {
		if (errno == EINTR)
			return 0;
		log_err("poll failed: %s", strerror(errno));
		return -errno;
	}
	for (i = 0; i < n && !stopping; i++) {
		int j, live = 0;

		if (!pfd[i].revents)
			continue;
		/* skip a watch removed by an earlier handler this round */
		for (j = 0; j < nwatches; j++)
			if (watches[j].fd == snap[i].fd &&
			    watches[j].data == snap[i].data)
				live = 1;
		if (live)
			snap[i].fn(snap[i].fd, pfd[i].revents, snap[i].data);
	}
	compact();
	return 0;
}

int loop_run(void)
{
	double next_tick = now() + 1;

	while (!stopping) {
		int wait = (int)((next_tick - now()) * 1000);

		if (wait < 0)
			wait = 0;
		if (poll_once(wait) < 0) {
			loop_stop(1, "poll failed");
			break;
		}
		if (now() >= next_tick) {
			next_tick = now() + 1;
			if (tick_fn && !stopping)
				tick_fn();
		}
	}
	return stop_status;
}
