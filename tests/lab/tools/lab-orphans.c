// SPDX-License-Identifier: GPL-2.0
/*
 * lab-orphans: make many open unlinked files (orphans) and hold them, so
 * a node killed meanwhile leaves a long orphan directory for its
 * recoverer.  Shell scripts cannot hold more than a few descriptors.
 *
 * usage: lab-orphans DIR N KIB
 *   creates DIR/orphan.0 .. orphan.N-1 with KIB KiB of data each, unlinks
 *   them all, syncs the file system (the unlinks are in the journal), prints
 *   "holding N orphans" and sleeps until killed.
 * Exit 1 with the errno name on stderr on a failure before that.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "lab-orphans: %s %s: %s\n", what, path, strerror(errno));
	return 1;
}

/* Room for @n descriptors and a few more. */
static int raise_fd_limit(long n)
{
	rlim_t need = (rlim_t)n + 16;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -1;
	if (rl.rlim_cur >= need)
		return 0;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

/* One file of @kib KiB, open; its descriptor or -1. */
static int make_one(const char *path, long kib, const char *buf)
{
	int fd;
	long i;

	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		return -1;
	for (i = 0; i < kib; i++) {
		if (write(fd, buf, 1024) != 1024) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

int main(int argc, char **argv)
{
	char path[4096], buf[1024];
	long n, kib, i;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: lab-orphans DIR N KIB\n");
		return 2;
	}
	n = strtol(argv[2], NULL, 10);
	kib = strtol(argv[3], NULL, 10);
	if (n <= 0 || n > 100000 || kib < 0 || kib > 1048576) {
		fprintf(stderr, "lab-orphans: N wants 1..100000, KIB 0..1048576\n");
		return 2;
	}
	if (raise_fd_limit(n))
		return fail("setrlimit for", argv[2]);
	memset(buf, 'o', sizeof(buf));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/orphan.%ld", argv[1], i);
		fd = make_one(path, kib, buf);
		if (fd < 0)
			return fail("create", path);
		if (unlink(path))
			return fail("unlink", path);
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || syncfs(fd))
		return fail("syncfs", argv[1]);
	printf("holding %ld orphans\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
