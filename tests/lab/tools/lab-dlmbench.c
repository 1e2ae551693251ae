// SPDX-License-Identifier: GPL-2.0
/*
 * lab-dlmbench: dlmfs lock timings for benchmarks (never pass/fail).
 *
 * usage: lab-dlmbench local PATH N
 *          N opens (EX) and closes of a lock no other node uses; prints
 *          "local <N> <seconds> <ops/s>"
 *        lab-dlmbench churn DIR N
 *          N times: create a file (a new lock, taken EX), close it and
 *          unlink it (the lock is released and forgotten); every round
 *          trip is a full lock and unlock in the DLM, mastery included;
 *          prints "churn <N> <seconds> <ops/s>"
 *        lab-dlmbench pingpong PATH ME PEERS N
 *          PEERS nodes pass a token through the lock's value block: each
 *          takes the lock EX, and when the counter says it is its turn
 *          (counter % PEERS == ME) increments it; N rounds in all.  Every
 *          increment follows a hand-off from another node.  Prints
 *          "pingpong <handoffs> <seconds> <ms/handoff>" on node ME.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LVB_LEN 64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int lock_ex(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT, 0600);

	if (fd < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

static int run_local(const char *path, long n)
{
	double t0 = now(), dt;
	long i;

	for (i = 0; i < n; i++)
		close(lock_ex(path));
	dt = now() - t0;
	printf("local %ld %.3f %.1f\n", n, dt, n / dt);
	return 0;
}

static int run_churn(const char *dir, long n)
{
	char path[4096];
	double t0 = now(), dt;
	long i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/churn%ld", dir, i);
		close(lock_ex(path));
		if (unlink(path)) {
			perror(path);
			return 1;
		}
	}
	dt = now() - t0;
	printf("churn %ld %.3f %.1f\n", n, dt, n / dt);
	return 0;
}

static long read_counter(int fd)
{
	char buf[LVB_LEN + 1];
	ssize_t len = pread(fd, buf, LVB_LEN, 0);

	if (len <= 0)
		return 0;
	buf[len] = '\0';
	return strtol(buf, NULL, 10);
}

static void write_counter(int fd, long v)
{
	char buf[LVB_LEN];
	int len = snprintf(buf, sizeof(buf), "%ld", v);

	if (pwrite(fd, buf, len + 1, 0) < 0) {
		perror("write LVB");
		exit(1);
	}
}

static int run_pingpong(const char *path, long me, long peers, long n)
{
	long mine = 0, v;
	double t0 = 0, dt;
	int fd;

	for (;;) {
		fd = lock_ex(path);
		v = read_counter(fd);
		if (v >= n) {
			close(fd);
			break;
		}
		if (v % peers == me) {
			if (v == peers)
				t0 = now();	/* after every node's first turn */
			write_counter(fd, v + 1);
			mine++;
		}
		close(fd);
	}
	dt = now() - t0;
	if (me == 0 && n > peers)
		printf("pingpong %ld %.3f %.2f\n", n - peers, dt,
		       dt * 1000 / (n - peers));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "local"))
		return run_local(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "churn"))
		return run_churn(argv[2], atol(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "pingpong"))
		return run_pingpong(argv[2], atol(argv[3]), atol(argv[4]),
				    atol(argv[5]));
	fprintf(stderr, "usage: lab-dlmbench local PATH N | churn DIR N | pingpong PATH ME PEERS N\n");
	return 2;
}
