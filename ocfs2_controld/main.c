// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2_controld: the userspace cluster stack's control daemon for OCFS2.
 * Start-up in dependency order (kernel facts, control device, client
 * socket, corosync), then one event loop.  Losing corosync is not fatal:
 * mounts are refused and the daemon reconnects; with nothing mounted it
 * gives up after RECONNECT_GIVEUP seconds and exits with the reason.  It
 * never exits while volumes are mounted: closing /dev/ocfs2_control then
 * makes the kernel restart the node.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "controld.h"
#include "log.h"
#include "loop.h"

#define RECONNECT_GIVEUP 60
#define VERSION "1.0"

struct cluster_state cluster;

static int sigpipe_w = -1;
static const char *lost_reason;
static time_t lost_since;

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "Usage: %s [-D] [-h] [-V]\n"
		"  -D  stay in the foreground and log debug output to stderr\n"
		"  -h  this help\n"
		"  -V  print the version\n", prog);
}

/* quiet: a reconnect attempt, whose failure is expected and not news */
static int connect_corosync(int quiet)
{
	if (cmap_read_cluster(quiet))
		return -1;
	if (cpg_our_nodeid(&cluster.our_nodeid)) {
		log_err("cannot learn this node's id from corosync cpg");
		return -1;
	}
	if (quorum_setup())
		return -1;
	if (negotiate_start()) {
		quorum_teardown();
		return -1;
	}
	cluster.connected = 1;
	log_info("connected to corosync: cluster %s, node %u", cluster.name,
		 cluster.our_nodeid);
	return 0;
}

static void disconnect_corosync(void)
{
	negotiate_stop();
	mount_corosync_lost();
	quorum_teardown();
	cluster.connected = 0;
}

/* Called from dispatch handlers; the teardown waits for the next tick. */
void corosync_lost(const char *why)
{
	if (!lost_reason)
		lost_reason = why;
}

static void reconnect(void)
{
	if (connect_corosync(1) == 0) {
		log_info("corosync is back after %ld s; rejoining groups",
			 (long)(time(NULL) - lost_since));
		mount_corosync_back();
		return;
	}
	if (mount_count() == 0 && time(NULL) - lost_since >= RECONNECT_GIVEUP)
		loop_stop(1, "corosync gone and nothing mounted to guard");
}

static void tick(void)
{
	if (lost_reason && cluster.connected) {
		log_err("lost corosync (%s): refusing mounts, reconnecting",
			lost_reason);
		disconnect_corosync();
		lost_since = time(NULL);
	}
	lost_reason = NULL;
	if (!cluster.connected) {
		reconnect();
		return;
	}
	mount_tick();
}

static void on_signal(int sig)
{
	int saved = errno;

	/* a full pipe already holds a wake-up; nothing else to do here */
	(void)!write(sigpipe_w, &sig, sizeof(sig));
	errno = saved;
}

static void signal_ready(int fd, short revents, void *data)
{
	int sig, n;

	(void)revents;
	(void)data;
	if (read(fd, &sig, sizeof(sig)) != sizeof(sig))
		return;
	n = mount_count();
	if (n) {
		log_err("caught signal %d but %d volume(s) are mounted: not exiting (unmount first)",
			sig, n);
		return;
	}
	loop_stop(0, sig == SIGTERM ? "SIGTERM" : "signal");
}

static int setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK)) {
		log_err("cannot create the signal pipe: %s", strerror(errno));
		return -1;
	}
	sigpipe_w = p[1];
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return loop_add(p[0], POLLIN, signal_ready, NULL);
}

static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	setsid();
	if (chdir("/"))
		return -1;
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

static int parse_args(int argc, char **argv, int *foreground)
{
	int opt;

	while ((opt = getopt(argc, argv, "DhVw")) != -1) {
		switch (opt) {
		case 'D':
			*foreground = 1;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		case 'V':
			printf("ocfs2_controld %s\n", VERSION);
			exit(0);
		case 'w':	/* stock: accepted, no meaning here */
			break;
		default:
			usage(stderr, argv[0]);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr, argv[0]);
		return -1;
	}
	return 0;
}

static int start(int foreground)
{
	/* the socket first: a second daemon must not touch the device */
	if (client_listen())
		return -1;
	if (negotiate_read_kernel_max() || control_open())
		return -1;
	if (!foreground && daemonize()) {
		log_err("cannot become a daemon: %s", strerror(errno));
		return -1;
	}
	if (setup_signals())
		return -1;
	if (connect_corosync(0))
		return -1;
	if (mtab_watch())
		return -1;
	loop_set_tick(tick);
	return 0;
}

int main(int argc, char **argv)
{
	int foreground = 0, rc;

	if (parse_args(argc, argv, &foreground))
		return 2;
	log_init("ocfs2_controld", foreground, foreground);
	if (start(foreground)) {
		log_err("exiting: start-up failed (see above)");
		return 1;
	}
	log_info("started (%s; node deaths reach the kernel %s)",
		 fence_method(), control_down_needed() ?
		 "as DOWN from this daemon" : "from fs/dlm recovery callbacks");
	rc = loop_run();
	log_info("exiting: %s", loop_stop_reason());
	if (cluster.connected)
		negotiate_stop();
	control_close();
	return rc;
}
