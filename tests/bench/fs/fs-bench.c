// SPDX-License-Identifier: GPL-2.0
/*
 * fs-bench: one timed file system operation, for the fs benchmark scenario.
 * Prints "<count> <seconds> <count/second>"; the scenario drops caches and
 * picks the directories.  No fork per file, so the rates measure the file
 * system rather than the shell.
 *
 *   fs-bench create DIR N [FIRST]
 *                             create DIR/fFIRST..f(FIRST+N-1) (FIRST 0
 *                             unless given), empty, then syncfs
 *   fs-bench stat DIR N       lstat each of them by name
 *   fs-bench readdir DIR      read every entry of DIR (getdents64)
 *   fs-bench unlink DIR N     unlink them all, then syncfs
 *   fs-bench write PATH MB    write MB MiB in 1 MiB writes, then fsync
 *                             (a block device is written in place); the
 *                             time of the writes and of the fsync goes
 *                             to stderr, to tell copying from writeback
 *   fs-bench read PATH MB     read MB MiB in 1 MiB reads
 *   fs-bench readmap FILE DEV MB
 *                             read from the device DEV the blocks that
 *                             hold FILE's first MB MiB (FIBMAP, before
 *                             the clock starts), in the file's order, in
 *                             1 MiB reads cut at its extents' ends: the
 *                             raw disk where the file lives, so its host
 *                             image's layout is the same on both sides
 *   fs-bench cached PATH      how many of PATH's pages are in the page
 *                             cache (mincore; not timed)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1024 * 1024)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int die(const char *what, const char *path)
{
	fprintf(stderr, "fs-bench: %s %s: %s\n", what, path, strerror(errno));
	return 1;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return die("open", dir);
	if (syncfs(fd) < 0) {
		close(fd);
		return die("syncfs", dir);
	}
	close(fd);
	return 0;
}

static int each_name(const char *op, const char *dir, long first, long n)
{
	char path[4096];
	struct stat st;
	long i;
	int fd;

	for (i = first; i < first + n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		if (!strcmp(op, "create")) {
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
			if (fd < 0)
				return die("create", path);
			close(fd);
		} else if (!strcmp(op, "stat")) {
			if (lstat(path, &st) < 0)
				return die("lstat", path);
		} else if (unlink(path) < 0) {
			return die("unlink", path);
		}
	}
	return strcmp(op, "stat") ? sync_dir(dir) : 0;
}

static int read_dir(const char *dir, long *count)
{
	char buf[32768];
	long got, off;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return die("open", dir);
	*count = 0;
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < got; (*count)++)
			off += ((struct dirent64 *)(buf + off))->d_reclen;
	}
	close(fd);
	return got < 0 ? die("getdents64", dir) : 0;
}

static int stream(const char *op, const char *path, long mb)
{
	int wr = !strcmp(op, "write");
	char *buf = malloc(CHUNK);
	double t0 = now(), t1;
	long i;
	int fd;

	if (!buf)
		return die("malloc", path);
	memset(buf, 0x5a, CHUNK);
	fd = wr ? open(path, O_WRONLY | O_CREAT, 0644) : open(path, O_RDONLY);
	if (fd < 0)
		return die("open", path);
	for (i = 0; i < mb; i++) {
		if ((wr ? write(fd, buf, CHUNK) : read(fd, buf, CHUNK)) != CHUNK) {
			close(fd);
			return die(op, path);
		}
	}
	t1 = now();
	if (wr && fsync(fd) < 0) {
		close(fd);
		return die("fsync", path);
	}
	if (wr)
		fprintf(stderr, "writes %.3f s, fsync %.3f s\n", t1 - t0,
			now() - t1);
	free(buf);
	return close(fd) < 0 ? die("close", path) : 0;
}

/* a run of device blocks holding consecutive file blocks */
struct run {
	long long start;	/* byte offset on the device */
	long long len;		/* bytes */
};

/*
 * FILE's first @mb MiB as runs of device bytes, merged where they
 * follow each other; a hole or an unmapped block is an error.
 */
static struct run *map_file(const char *path, long mb, int *nruns)
{
	struct run *runs = NULL;
	long long bytes = (long long)mb * CHUNK;
	int fd = open(path, O_RDONLY), bsz, blk, n = 0;
	long long i, nblk;

	if (fd < 0 || ioctl(fd, FIGETBSZ, &bsz) < 0 || bsz <= 0) {
		die("FIGETBSZ", path);
		goto out;
	}
	nblk = bytes / bsz;
	runs = calloc(nblk, sizeof(*runs));
	if (!runs) {
		die("calloc", path);
		goto out;
	}
	for (i = 0; i < nblk; i++) {
		blk = (int)i;
		if (ioctl(fd, FIBMAP, &blk) < 0 || blk <= 0) {
			fprintf(stderr, "fs-bench: FIBMAP %s block %lld: %s\n",
				path, i, blk ? strerror(errno) : "unmapped");
			free(runs);
			runs = NULL;
			goto out;
		}
		if (n && runs[n - 1].start + runs[n - 1].len ==
			 (long long)blk * bsz) {
			runs[n - 1].len += bsz;
			continue;
		}
		runs[n].start = (long long)blk * bsz;
		runs[n++].len = bsz;
	}
	*nruns = n;
out:
	if (fd >= 0)
		close(fd);
	return runs;
}

/* the timed part of readmap: every run, in 1 MiB reads or shorter */
static int read_runs(const char *dev, const struct run *runs, int n)
{
	char *buf = malloc(CHUNK);
	long long off, len;
	int fd = open(dev, O_RDONLY), i, rc = 0;

	if (fd < 0 || !buf) {
		free(buf);
		return die("open", dev);
	}
	for (i = 0; i < n && !rc; i++) {
		for (off = 0; off < runs[i].len && !rc; off += len) {
			len = runs[i].len - off < CHUNK ? runs[i].len - off : CHUNK;
			if (pread(fd, buf, len, runs[i].start + off) != len)
				rc = die("pread", dev);
		}
	}
	free(buf);
	close(fd);
	return rc;
}

static int count_cached(const char *path)
{
	long page = sysconf(_SC_PAGESIZE), n, i, in = 0;
	unsigned char *vec;
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return die("open", path);
	n = (st.st_size + page - 1) / page;
	if (!n) {
		printf("0 of 0 pages cached\n");
		return close(fd);
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	vec = malloc(n);
	if (map == MAP_FAILED || !vec || mincore(map, st.st_size, vec) < 0)
		return die("mincore", path);
	for (i = 0; i < n; i++)
		in += vec[i] & 1;
	printf("%ld of %ld pages cached\n", in, n);
	munmap(map, st.st_size);
	free(vec);
	return close(fd);
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	long n = argc > 3 ? atol(argv[3]) : 0;
	struct run *runs;
	int rc, nruns;
	double t;

	if (argc == 3 && !strcmp(op, "cached"))
		return count_cached(argv[2]);
	if (argc == 5 && !strcmp(op, "readmap") && atol(argv[4]) > 0) {
		n = atol(argv[4]);
		runs = map_file(argv[2], n, &nruns);
		if (!runs)
			return 1;
		t = now();
		rc = read_runs(argv[3], runs, nruns);
		t = now() - t;
		free(runs);
		if (rc)
			return rc;
		fprintf(stderr, "%d runs\n", nruns);
		printf("%ld %.3f %.1f\n", n, t, n / (t > 0 ? t : 1e-6));
		return 0;
	}
	if (argc < 3 || (strcmp(op, "readdir") && n <= 0)) {
		fprintf(stderr, "usage: fs-bench create DIR N [FIRST] | stat|unlink DIR N | readdir DIR | write|read PATH MB | readmap FILE DEV MB | cached PATH\n");
		return 2;
	}
	t = now();
	if (!strcmp(op, "create") || !strcmp(op, "stat") || !strcmp(op, "unlink"))
		rc = each_name(op, argv[2], argc > 4 ? atol(argv[4]) : 0, n);
	else if (!strcmp(op, "readdir"))
		rc = read_dir(argv[2], &n);
	else if (!strcmp(op, "write") || !strcmp(op, "read"))
		rc = stream(op, argv[2], n);
	else
		rc = 2;
	t = now() - t;
	if (rc)
		return rc;
	if (t <= 0)
		t = 1e-6;
	printf("%ld %.3f %.1f\n", n, t, n / t);
	return 0;
}
