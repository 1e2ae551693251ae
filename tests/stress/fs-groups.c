// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper for fs/08-suballoc-groups (--add tests/stress/fs-groups):
 * uses up suballocator bits quickly, in one process (a shell loop of
 * touch/setfattr/dd would take minutes on the TCG nodes).
 *   fs-groups files DIR FIRST COUNT XN     files fFIRST.. with a little
 *                                         content and XN xattrs user.x0..
 *                                         of XLEN bytes each (5 of them
 *                                         overflow the 256 inline bytes:
 *                                         one xattr block per file)
 *   fs-groups frag FILE COUNT              COUNT 4 KiB writes two blocks
 *                                         apart: COUNT extents
 *   fs-groups sum PATH...                  one line per path (sorted by
 *                                         the caller): name, size, FNV-1a
 *                                         hash of the content and of
 *                                         the xattr values
 * Any short I/O or error ends with exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define XLEN	60	/* stays below the 80-byte inline value limit */
#define XMAX	16

static void die(const char *what, const char *name)
{
	fprintf(stderr, "%s %s: %s\n", what, name, strerror(errno));
	exit(1);
}

static unsigned int fnv(unsigned int h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void fill(char *buf, size_t len, unsigned long seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (char)('a' + (seed * 7 + i) % 26);
}

static void write_all(int fd, const char *buf, size_t len, off_t off,
		      const char *name)
{
	if (pwrite(fd, buf, len, off) != (ssize_t)len)
		die("pwrite", name);
}

static void set_xattrs(const char *path, unsigned long seed, int xn)
{
	char name[24], x[XLEN];
	int j;

	for (j = 0; j < xn; j++) {
		snprintf(name, sizeof(name), "user.x%d", j);
		fill(x, sizeof(x), seed + j);
		if (setxattr(path, name, x, sizeof(x), 0))
			die("setxattr", path);
	}
}

static int files(const char *dir, unsigned long first, unsigned long count,
		 int xn)
{
	char path[4096], buf[64];
	unsigned long i;
	int fd, n;

	for (i = first; i < first + count; i++) {
		snprintf(path, sizeof(path), "%s/f%lu", dir, i);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			die("create", path);
		n = snprintf(buf, sizeof(buf), "file %lu\n", i);
		write_all(fd, buf, n, 0, path);
		if (close(fd))
			die("close", path);
		set_xattrs(path, i, xn);
	}
	return 0;
}

static int frag(const char *path, unsigned long count)
{
	char buf[4096];
	unsigned long i;
	int fd = open(path, O_CREAT | O_WRONLY, 0644);

	if (fd < 0)
		die("open", path);
	for (i = 0; i < count; i++) {
		fill(buf, sizeof(buf), i);
		write_all(fd, buf, sizeof(buf), (off_t)i * 2 * sizeof(buf),
			  path);
	}
	if (fsync(fd) || close(fd))
		die("fsync", path);
	return 0;
}

/* hash of user.x0.. in order, and how many there are */
static unsigned int xattr_hash(const char *path, int *count)
{
	char name[24], buf[256];
	unsigned int h = 2166136261u;
	ssize_t n;

	for (*count = 0; *count < XMAX; (*count)++) {
		snprintf(name, sizeof(name), "user.x%d", *count);
		n = getxattr(path, name, buf, sizeof(buf));
		if (n < 0 && errno == ENODATA)
			break;
		if (n < 0)
			die("getxattr", path);
		h = fnv(h, (unsigned char *)buf, n);
	}
	return h;
}

static int sum_one(const char *path)
{
	static char buf[65536];
	unsigned int h = 2166136261u, xh;
	ssize_t n;
	struct stat st;
	int xn, fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		die("open", path);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		h = fnv(h, (unsigned char *)buf, n);
	if (n < 0)
		die("read", path);
	close(fd);
	xh = xattr_hash(path, &xn);
	printf("%s %lld %08x %d:%08x\n", path, (long long)st.st_size, h, xn,
	       xh);
	return 0;
}

int main(int argc, char **argv)
{
	int i;

	if (argc == 6 && !strcmp(argv[1], "files"))
		return files(argv[2], strtoul(argv[3], NULL, 0),
			     strtoul(argv[4], NULL, 0),
			     atoi(argv[5]) > XMAX ? XMAX : atoi(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "frag"))
		return frag(argv[2], strtoul(argv[3], NULL, 0));
	if (argc >= 3 && !strcmp(argv[1], "sum")) {
		for (i = 2; i < argc; i++)
			sum_one(argv[i]);
		return 0;
	}
	fprintf(stderr, "usage: fs-groups files DIR FIRST COUNT XN | frag FILE COUNT | sum PATH...\n");
	return 2;
}
