// SPDX-License-Identifier: GPL-2.0
/*
 * lab-hub: an Ethernet hub for QEMU nodes, over unix datagram sockets.
 *
 * Each node runs "-netdev dgram" with its own local socket and this hub's
 * socket as the remote.  Every frame received from one node is relayed to
 * all the others, so any number of nodes share one L2 segment without a
 * single IP packet on the host.  QEMU's virtio-net MAC filter drops frames
 * not meant for a node, so no learning is needed here.
 *
 * usage: lab-hub HUB_SOCKET NODE_SOCKET...
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FRAME 65536

static int make_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		fprintf(stderr, "lab-hub: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

static int open_hub(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (make_addr(&sa, path))
		return -1;
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("lab-hub: socket");
		return -1;
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "lab-hub: bind %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Relay one frame to every node but its sender; a node not up yet is skipped. */
static void relay(int fd, const char *buf, ssize_t len, const char *from,
		  struct sockaddr_un *nodes, int nnodes)
{
	int i;

	for (i = 0; i < nnodes; i++) {
		if (!strcmp(nodes[i].sun_path, from))
			continue;
		if (sendto(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&nodes[i],
			   sizeof(nodes[i])) < 0 && errno != ENOENT &&
		    errno != ECONNREFUSED && errno != EAGAIN)
			fprintf(stderr, "lab-hub: to %s: %s\n", nodes[i].sun_path,
				strerror(errno));
	}
}

int main(int argc, char **argv)
{
	static char buf[MAX_FRAME];
	struct sockaddr_un *nodes, from;
	socklen_t fromlen;
	ssize_t len;
	int fd, i, nnodes = argc - 2;

	if (argc < 3) {
		fprintf(stderr, "usage: lab-hub HUB_SOCKET NODE_SOCKET...\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	nodes = calloc(nnodes, sizeof(*nodes));
	if (!nodes)
		return 1;
	for (i = 0; i < nnodes; i++)
		if (make_addr(&nodes[i], argv[i + 2]))
			return 2;
	fd = open_hub(argv[1]);
	if (fd < 0)
		return 1;
	for (;;) {
		fromlen = sizeof(from);
		memset(&from, 0, sizeof(from));
		len = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			perror("lab-hub: recvfrom");
			return 1;
		}
		relay(fd, buf, len, from.sun_path, nodes, nnodes);
	}
}
