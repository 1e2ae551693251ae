// SPDX-License-Identifier: GPL-2.0
/*
 * lab-dlmlock: take a dlmfs lock the way userspace agents do, for lab
 * scenarios.  Opening a file under a dlmfs domain takes its lock: O_RDONLY
 * for PR, O_RDWR for EX, O_NONBLOCK for a trylock that fails with ETXTBSY.
 *
 * usage: lab-dlmlock [-r|-w] [-n] [-s LVB|-S FILE] [-g] [-u FILE] [-t SEC] [-b] PATH
 *   -r/-w  PR (default) or EX      -n  trylock
 *   -s     write LVB (EX only)     -g  print the LVB read under the lock
 *   -S     write FILE's bytes (up to 64, binary) as the LVB
 *   -u     hold until FILE exists  -t  hold SEC seconds (default 0)
 *   -b     hold until poll() reports another node wants the lock ("bast")
 * exit: 0 granted, 3 busy (ETXTBSY), 1 other error, 2 usage
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LVB_LEN 64

struct opts {
	int ex, trylock, print_lvb, hold_sec, until_bast;
	const char *set_lvb, *lvb_file, *until, *path;
};

static int parse(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt(argc, argv, "rwns:S:gu:t:b")) != -1) {
		switch (c) {
		case 'r': o->ex = 0; break;
		case 'w': o->ex = 1; break;
		case 'n': o->trylock = 1; break;
		case 's': o->set_lvb = optarg; break;
		case 'S': o->lvb_file = optarg; break;
		case 'g': o->print_lvb = 1; break;
		case 'u': o->until = optarg; break;
		case 't': o->hold_sec = atoi(optarg); break;
		case 'b': o->until_bast = 1; break;
		default: return -1;
		}
	}
	if (optind != argc - 1)
		return -1;
	o->path = argv[optind];
	return 0;
}

static void hold(int fd, const struct opts *o)
{
	time_t end = time(NULL) + o->hold_sec;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (o->until_bast) {
		while (poll(&p, 1, -1) < 0 && errno == EINTR)
			;
		printf("bast\n");
		fflush(stdout);
		return;
	}
	if (o->until) {
		while (access(o->until, F_OK))
			usleep(100000);
		return;
	}
	while (time(NULL) < end)
		sleep(1);
}

/* -S: raw bytes, NULs included, which -s cannot pass */
static int write_lvb_file(int fd, const struct opts *o)
{
	char buf[LVB_LEN];
	ssize_t n;
	int in;

	in = open(o->lvb_file, O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "lab-dlmlock: %s: %s\n", o->lvb_file, strerror(errno));
		return -1;
	}
	n = read(in, buf, sizeof(buf));
	close(in);
	if (n < 0 || write(fd, buf, n) != n) {
		fprintf(stderr, "lab-dlmlock: write LVB %s: %s\n", o->path, strerror(errno));
		return -1;
	}
	return 0;
}

static int lvb_io(int fd, const struct opts *o)
{
	char buf[LVB_LEN + 1];
	ssize_t n;

	if (o->lvb_file && write_lvb_file(fd, o))
		return -1;

	if (o->set_lvb && write(fd, o->set_lvb, strlen(o->set_lvb)) < 0) {
		fprintf(stderr, "lab-dlmlock: write LVB %s: %s\n", o->path, strerror(errno));
		return -1;
	}
	if (!o->print_lvb)
		return 0;
	n = pread(fd, buf, LVB_LEN, 0);
	if (n < 0) {
		fprintf(stderr, "lab-dlmlock: read LVB %s: %s\n", o->path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	printf("lvb %s\n", buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	int fd, flags;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "usage: lab-dlmlock [-r|-w] [-n] [-s LVB|-S FILE] [-g] [-u FILE] [-t SEC] [-b] PATH\n");
		return 2;
	}
	flags = O_CREAT | (o.ex ? O_RDWR : O_RDONLY) | (o.trylock ? O_NONBLOCK : 0);
	fd = open(o.path, flags, 0600);
	if (fd < 0) {
		if (errno == ETXTBSY) {
			printf("busy\n");
			return 3;
		}
		fprintf(stderr, "lab-dlmlock: open %s: %s\n", o.path, strerror(errno));
		return 1;
	}
	printf("granted %s\n", o.ex ? "EX" : "PR");
	fflush(stdout);
	if (lvb_io(fd, &o))
		return 1;
	fflush(stdout);
	hold(fd, &o);
	close(fd);
	return 0;
}
