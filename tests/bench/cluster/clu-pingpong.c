// SPDX-License-Identifier: GPL-2.0
/*
 * clu-pingpong: two nodes take turns writing the first 4 KiB of one file on
 * a shared cluster volume, for the cluster benchmark scenario.
 *
 *   clu-pingpong FILE ME N
 *
 * ME is 0 or 1.  The block starts with a decimal turn counter; the node
 * whose turn it is (counter % 2 == ME) writes the block with the counter
 * one higher, the other polls the block with pread until its turn comes.
 * Every write is therefore seen by the other node before its next write:
 * each turn moves the file's locks across the cluster.  After N turns of
 * each node, prints "<writes> <seconds> <writes/second>" counting both
 * nodes' writes.  The file must exist (node 0 creates it) and read 0 or
 * be empty at the start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 4096

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long read_turn(int fd, char *buf)
{
	ssize_t got = pread(fd, buf, BLOCK, 0);

	if (got < 0)
		return -1;
	if (got == 0)
		return 0;
	buf[got < BLOCK ? got : BLOCK - 1] = '\0';
	return strtol(buf, NULL, 10);
}

static int write_turn(int fd, char *buf, long turn)
{
	memset(buf, 'x', BLOCK);
	snprintf(buf, 32, "%ld\n", turn);
	buf[strlen(buf)] = ' ';
	return pwrite(fd, buf, BLOCK, 0) == BLOCK ? 0 : -1;
}

int main(int argc, char **argv)
{
	static char buf[BLOCK];
	long me, n, turn, polls = 0;
	double t = 0;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: clu-pingpong FILE ME N\n");
		return 2;
	}
	me = atol(argv[2]);
	n = atol(argv[3]);
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || (me != 0 && me != 1) || n <= 0) {
		fprintf(stderr, "clu-pingpong: %s: %s\n", argv[1],
			fd < 0 ? strerror(errno) : "bad arguments");
		return 2;
	}
	for (;;) {
		turn = read_turn(fd, buf);
		if (turn < 0)
			goto fail;
		if (turn >= 2 * n)
			break;
		if (turn % 2 != me) {
			/* a short nap: the guests share two host cores */
			usleep(200);
			polls++;
			continue;
		}
		if (turn <= 1)
			t = now();
		if (write_turn(fd, buf, turn + 1) < 0)
			goto fail;
	}
	t = now() - t;
	close(fd);
	if (t <= 0)
		t = 1e-6;
	printf("%ld %.3f %.1f polls=%ld\n", 2 * n, t, 2 * n / t, polls);
	return 0;
fail:
	fprintf(stderr, "clu-pingpong: %s: %s\n", argv[1], strerror(errno));
	return 1;
}
