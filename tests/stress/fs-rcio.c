// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper for fs/27-refcount-* (--add tests/stress/fs-rcio): one
 * write of deterministic bytes into a file on the volume, through the
 * path named, and the same bytes into a model file (on tmpfs) by plain
 * pwrite, so the scenario can compare the two afterwards.
 *   fs-rcio buf|direct|mmap FILE MODEL OFFSET LENGTH SEED
 *   fs-rcio punch FILE MODEL OFFSET LENGTH 0    (a hole, size kept)
 *   fs-rcio trunc FILE MODEL SIZE 0 0
 * direct: O_DIRECT, OFFSET and LENGTH multiples of 4096; mmap: a shared
 * writable mapping of the file's pages over the range (the file must
 * already reach OFFSET + LENGTH).  Exit status 1 on any error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "fs-rcio: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fill(unsigned char *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x >> 24;
	}
}

static void put(int fd, const unsigned char *buf, size_t len, off_t off)
{
	ssize_t n = pwrite(fd, buf, len, off);

	if (n < 0 || (size_t)n != len)
		die("pwrite");
}

/* punch and trunc: the same change to both files */
static int change(const char *how, int fd, int model, off_t off, off_t len)
{
	int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;

	if (!strcmp(how, "punch")) {
		if (fallocate(fd, mode, off, len) ||
		    fallocate(model, mode, off, len))
			die("punch");
	} else if (ftruncate(fd, off) || ftruncate(model, off)) {
		die("truncate");
	}
	if (fsync(fd))
		die("fsync");
	return 0;
}

static void by_mmap(int fd, const unsigned char *buf, size_t len, off_t off)
{
	long page = sysconf(_SC_PAGESIZE);
	off_t base = off & ~(off_t)(page - 1);
	size_t span = len + (off - base);
	unsigned char *map;

	map = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_SHARED, fd, base);
	if (map == MAP_FAILED)
		die("mmap");
	memcpy(map + (off - base), buf, len);
	if (msync(map, span, MS_SYNC))
		die("msync");
	munmap(map, span);
}

int main(int argc, char **argv)
{
	unsigned char *buf;
	size_t len;
	off_t off;
	int fd, model, flags = O_RDWR;

	if (argc != 7) {
		fprintf(stderr, "usage: fs-rcio buf|direct|mmap|punch|trunc FILE MODEL OFFSET LENGTH SEED\n");
		return 2;
	}
	off = strtoll(argv[4], NULL, 0);
	len = strtoull(argv[5], NULL, 0);
	if (!strcmp(argv[1], "punch") || !strcmp(argv[1], "trunc")) {
		fd = open(argv[2], O_RDWR);
		model = open(argv[3], O_RDWR);
		if (fd < 0 || model < 0)
			die("open");
		return change(argv[1], fd, model, off, len);
	}
	if (!strcmp(argv[1], "direct"))
		flags |= O_DIRECT;
	else if (strcmp(argv[1], "buf") && strcmp(argv[1], "mmap"))
		return 2;
	if (posix_memalign((void **)&buf, 4096, len + 4096))
		die("memory");
	fill(buf, len, strtoul(argv[6], NULL, 0));
	fd = open(argv[2], flags);
	if (fd < 0)
		die(argv[2]);
	model = open(argv[3], O_RDWR);
	if (model < 0)
		die(argv[3]);
	if (!strcmp(argv[1], "mmap"))
		by_mmap(fd, buf, len, off);
	else
		put(fd, buf, len, off);
	put(model, buf, len, off);
	if (fsync(fd))
		die("fsync");
	close(fd);
	close(model);
	free(buf);
	return 0;
}
