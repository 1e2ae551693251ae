// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper (--add tests/stress/fs-fsync): how many cache flushes does
 * the disk see per fsync?  Runs COUNT rounds of one kind of change and
 * sync on PATH and prints the flush requests DISK completed meanwhile
 * (field 16 of /sys/block/DISK/stat), the set-up excluded:
 *   fs-fsync MODE PATH COUNT DISK
 * MODE:
 *   append      write 4 KiB at the end of PATH, fsync
 *   over-fsync  write 4 KiB inside PATH (1 MiB, written and synced
 *               first), fsync
 *   over-fdata  the same, fdatasync
 *   direct      the same with O_DIRECT, fdatasync (no page cache)
 *   idle        fsync PATH (synced first) without changing it
 *   idle-busy   the same, each fsync after a chmod of another file
 *               (PATH.side): the running transaction holds only that
 *   dir         create a file in the directory PATH, fsync the directory
 *   ro          fsync PATH opened read-only, once; prints the errno
 *               (for a read-only mount; no flush count)
 * Output: "MODE COUNT syncs FLUSHES flushes".  Exit status 0, 1 when a
 * call failed, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK	4096
#define FILE_SZ	(1 << 20)

static char *buf;	/* aligned for O_DIRECT */
static const char *disk;
static int side = -1;	/* idle-busy: the other file */

/* flush requests the disk completed so far */
static long flushes(void)
{
	char path[256];
	long v[17];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/sys/block/%s/stat", disk);
	f = fopen(path, "r");
	if (!f)
		return -1;
	for (i = 0; i < 17; i++)
		if (fscanf(f, "%ld", &v[i]) != 1)
			break;
	fclose(f);
	return i == 17 ? v[15] : -1;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* a file of FILE_SZ bytes, written and synced */
static int filled(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	int i;

	if (fd < 0)
		die(path);
	for (i = 0; i < FILE_SZ / CHUNK; i++)
		if (write(fd, buf, CHUNK) != CHUNK)
			die("write");
	if (fsync(fd))
		die("fsync");
	return fd;
}

static void one(const char *mode, const char *path, int fd, int i)
{
	char name[4096];
	int nfd;

	if (!strcmp(mode, "append")) {
		if (write(fd, buf, CHUNK) != CHUNK || fsync(fd))
			die("append");
	} else if (!strncmp(mode, "over-", 5) || !strcmp(mode, "direct")) {
		buf[0] = i;
		if (pwrite(fd, buf, CHUNK, (off_t)(i % (FILE_SZ / CHUNK)) *
			   CHUNK) != CHUNK)
			die("pwrite");
		if (!strcmp(mode, "over-fsync") ? fsync(fd) : fdatasync(fd))
			die("sync");
	} else if (!strncmp(mode, "idle", 4)) {
		if (side >= 0 && fchmod(side, i & 1 ? 0600 : 0644))
			die("fchmod of the other file");
		if (fsync(fd))
			die("fsync");
	} else {
		snprintf(name, sizeof(name), "%s/f%d", path, i);
		nfd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (nfd < 0)
			die(name);
		close(nfd);
		if (fsync(fd))
			die("fsync of the directory");
	}
}

static int fsync_read_only(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die(path);
	if (fsync(fd))
		printf("read-only fsync: %s\n", strerror(errno));
	else
		printf("read-only fsync: 0\n");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode, *path;
	char name[4096];
	long before, after;
	int count, fd, i;

	if (argc == 3 && !strcmp(argv[1], "ro"))
		return fsync_read_only(argv[2]);
	if (argc != 5)
		return fprintf(stderr, "usage: fs-fsync MODE PATH COUNT DISK\n"), 2;
	mode = argv[1];
	path = argv[2];
	count = atoi(argv[3]);
	disk = argv[4];
	if (posix_memalign((void **)&buf, CHUNK, CHUNK))
		die("posix_memalign");
	memset(buf, 'x', CHUNK);
	if (!strcmp(mode, "append")) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	} else if (!strncmp(mode, "over-", 5) || !strcmp(mode, "idle")) {
		fd = filled(path);
	} else if (!strcmp(mode, "idle-busy")) {
		snprintf(name, sizeof(name), "%s.side", path);
		side = filled(name);
		fd = filled(path);
	} else if (!strcmp(mode, "direct")) {
		close(filled(path));
		fd = open(path, O_RDWR | O_DIRECT);
	} else if (!strcmp(mode, "dir")) {
		if (mkdir(path, 0755) && errno != EEXIST)
			die(path);
		fd = open(path, O_RDONLY | O_DIRECTORY);
		if (fd >= 0 && fsync(fd))
			die("fsync of the directory");
	} else {
		return fprintf(stderr, "fs-fsync: no mode %s\n", mode), 2;
	}
	if (fd < 0)
		die(path);
	before = flushes();
	for (i = 0; i < count; i++)
		one(mode, path, fd, i);
	after = flushes();
	close(fd);
	if (side >= 0)
		close(side);
	if (before < 0 || after < 0)
		return fprintf(stderr, "fs-fsync: no flush count for %s\n", disk), 1;
	printf("%s %d syncs %ld flushes\n", mode, count, after - before);
	return 0;
}
