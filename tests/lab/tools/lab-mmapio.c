// SPDX-License-Identifier: GPL-2.0
/*
 * lab-mmapio: write or check a byte range of a file through a shared
 * mapping, O_DIRECT or the page cache, for the cluster coherence scenarios
 * (busybox has no mmap and no O_DIRECT dd on every image).
 *
 *   lab-mmapio MODE FILE OFF LEN BYTE
 * MODE:  mwrite  fill the range through a shared writable mapping (no
 *                msync: another node's lock request must flush it)
 *        dwrite  fill it with O_DIRECT writes (OFF, LEN multiples of 4096)
 *        bwrite  fill it with one buffered pwrite
 *        mcheck  check it through a fresh read-only shared mapping
 *        dcheck  check it with an O_DIRECT read
 *        bcheck  check it with a buffered pread
 *   lab-mmapio hold FILE OFF LEN
 *        map the range once, then for each BYTE read from stdin (one per
 *        line) check the same mapping and print "ok BYTE" or "bad ...":
 *        pages this node mapped before another node wrote must not show
 *        the old data.
 * BYTE is a number (0x41 or 65).  A check prints the first differing
 * offset and exits 1; exit 0 when every byte is BYTE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALIGN 4096

static int fail(const char *what, const char *file)
{
	fprintf(stderr, "lab-mmapio: %s %s: %s\n", what, file, strerror(errno));
	return 2;
}

static int compare(const unsigned char *p, long len, int byte, long off)
{
	long i;

	for (i = 0; i < len; i++) {
		if (p[i] != byte) {
			printf("bad: offset %ld is 0x%02x, want 0x%02x\n",
			       off + i, p[i], byte);
			return 1;
		}
	}
	return 0;
}

static unsigned char *map(int fd, long off, long len, int prot)
{
	unsigned char *p = mmap(NULL, len, prot, MAP_SHARED, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

static int do_mmap(const char *mode, int fd, long off, long len, int byte)
{
	int wr = mode[1] == 'w';
	unsigned char *p = map(fd, off, len, wr ? PROT_READ | PROT_WRITE : PROT_READ);
	int ret = 0;

	if (!p)
		return -1;
	if (wr)
		memset(p, byte, len);
	else
		ret = compare(p, len, byte, off);
	munmap(p, len);
	return ret;
}

static int do_io(const char *mode, int fd, long off, long len, int byte)
{
	int wr = mode[1] == 'w';
	unsigned char *buf;
	ssize_t done;
	int ret = 0;

	if (posix_memalign((void **)&buf, ALIGN, len))
		return -1;
	memset(buf, wr ? byte : ~byte, len);
	done = wr ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
	if (done != len) {
		if (done >= 0)
			errno = EIO;
		free(buf);
		return -1;
	}
	if (!wr)
		ret = compare(buf, len, byte, off);
	free(buf);
	return ret;
}

static int hold(int fd, long off, long len)
{
	unsigned char *p = map(fd, off, len, PROT_READ);
	char line[64];
	int byte;

	if (!p)
		return -1;
	while (fgets(line, sizeof(line), stdin)) {
		byte = strtol(line, NULL, 0);
		if (!compare(p, len, byte, off))
			printf("ok 0x%02x\n", byte);
		fflush(stdout);
	}
	munmap(p, len);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int direct = mode[0] == 'd', ret, fd;
	long off, len;

	if (argc != (strcmp(mode, "hold") ? 6 : 5)) {
		fprintf(stderr, "usage: lab-mmapio mwrite|dwrite|bwrite|mcheck|dcheck|bcheck FILE OFF LEN BYTE\n"
				"       lab-mmapio hold FILE OFF LEN\n");
		return 2;
	}
	off = strtol(argv[3], NULL, 0);
	len = strtol(argv[4], NULL, 0);
	fd = open(argv[2], (strstr(mode, "write") ? O_RDWR : O_RDONLY) |
		  (direct ? O_DIRECT : 0));
	if (fd < 0 || len <= 0)
		return fail("open", argv[2]);
	if (!strcmp(mode, "hold"))
		ret = hold(fd, off, len);
	else if (mode[0] == 'm')
		ret = do_mmap(mode, fd, off, len, strtol(argv[5], NULL, 0));
	else
		ret = do_io(mode, fd, off, len, strtol(argv[5], NULL, 0));
	if (ret < 0)
		return fail(mode, argv[2]);
	close(fd);
	return ret;
}
