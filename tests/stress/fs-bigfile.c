// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper for large files (fs/11-rw-data-io, --add tests/stress/fs-bigfile):
 * writes or checks a range of a file in whole MiB, each 8-byte word a hash
 * of the seed and its own file offset, so a block written to the wrong
 * place, lost or left stale is found wherever it lands (identical chunks
 * would hide a misplaced one).  No reference copy of the data is needed.
 *   fs-bigfile write FILE SEED START_MB COUNT_MB   (then fsync)
 *   fs-bigfile check FILE SEED START_MB COUNT_MB
 *   fs-bigfile fault FILE SEED MB  MiB number MB written from a buffer whose
 *       last quarter cannot be read: the write must stop short (or fail
 *       EFAULT) having written only what it could read; then the rest is
 *       written, so the file checks whole (then fsync)
 * Prints one line naming what it did and the MiB/s; a mismatch names the
 * first bad offset and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB	(1024 * 1024)

static uint64_t word_at(uint64_t seed, uint64_t off)
{
	uint64_t z = seed * 0x9e3779b97f4a7c15ULL + off;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void fill(uint64_t *buf, uint64_t seed, uint64_t base)
{
	size_t i;

	for (i = 0; i < MIB / 8; i++)
		buf[i] = word_at(seed, base + i * 8);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int full_io(int fd, void *buf, off_t off, int write_it)
{
	size_t done = 0;

	while (done < MIB) {
		ssize_t n = write_it ?
			pwrite(fd, (char *)buf + done, MIB - done, off + done) :
			pread(fd, (char *)buf + done, MIB - done, off + done);

		if (n <= 0) {
			fprintf(stderr, "fs-bigfile: %s at %lld: %s\n",
				write_it ? "write" : "read",
				(long long)(off + done),
				n ? strerror(errno) : "short file");
			return -1;
		}
		done += n;
	}
	return 0;
}

static int check_mib(const uint64_t *got, uint64_t *want, uint64_t seed,
		     uint64_t base)
{
	size_t i;

	fill(want, seed, base);
	if (!memcmp(got, want, MIB))
		return 0;
	for (i = 0; i < MIB / 8 && got[i] == want[i]; i++)
		;
	fprintf(stderr, "fs-bigfile: mismatch at offset %llu\n",
		(unsigned long long)(base + i * 8));
	return -1;
}

static int fault_write(int fd, uint64_t seed, uint64_t m)
{
	char *buf = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ssize_t n, done;

	if (buf == MAP_FAILED)
		return -1;
	fill((uint64_t *)buf, seed, m * MIB);
	if (mprotect(buf + MIB / 4 * 3, MIB / 4, PROT_NONE) < 0) {
		perror("mprotect");
		return -1;
	}
	n = pwrite(fd, buf, MIB, m * MIB);
	if ((n < 0 && errno != EFAULT) || n == MIB || n > MIB / 4 * 3) {
		fprintf(stderr, "fs-bigfile: write from a partly unreadable buffer returned %zd (%s)\n",
			n, n < 0 ? strerror(errno) : "more than it could read");
		return -1;
	}
	done = n < 0 ? 0 : n;
	printf("fault write: %zd of %d bytes before the unreadable part\n",
	       done, MIB);
	if (mprotect(buf, MIB, PROT_READ | PROT_WRITE) < 0)
		return -1;
	while (done < MIB) {
		n = pwrite(fd, buf + done, MIB - done, m * MIB + done);
		if (n <= 0) {
			perror("pwrite");
			return -1;
		}
		done += n;
	}
	return fsync(fd);
}

int main(int argc, char **argv)
{
	uint64_t *buf, *want, seed, start, count, m;
	int write_it, fd;
	double t0;

	if (argc == 5 && !strcmp(argv[1], "fault")) {
		fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
		if (fd < 0) {
			perror(argv[2]);
			return 1;
		}
		return fault_write(fd, strtoull(argv[3], NULL, 0),
				   strtoull(argv[4], NULL, 0)) ? 1 : 0;
	}
	if (argc != 6 || (strcmp(argv[1], "write") && strcmp(argv[1], "check"))) {
		fprintf(stderr, "usage: fs-bigfile write|check FILE SEED START_MB COUNT_MB | fault FILE SEED MB\n");
		return 2;
	}
	write_it = !strcmp(argv[1], "write");
	seed = strtoull(argv[3], NULL, 0);
	start = strtoull(argv[4], NULL, 0);
	count = strtoull(argv[5], NULL, 0);
	buf = malloc(MIB);
	want = malloc(MIB);
	if (!buf || !want)
		return 1;
	fd = open(argv[2], write_it ? O_WRONLY | O_CREAT : O_RDONLY, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	t0 = now();
	for (m = start; m < start + count; m++) {
		if (write_it)
			fill(buf, seed, m * MIB);
		if (full_io(fd, buf, m * MIB, write_it))
			return 1;
		if (!write_it && check_mib(buf, want, seed, m * MIB))
			return 1;
	}
	if (write_it && fsync(fd)) {
		perror("fsync");
		return 1;
	}
	close(fd);
	printf("%s %s seed %llu MiB %llu-%llu ok, %.1f MiB/s\n", argv[1], argv[2],
	       (unsigned long long)seed, (unsigned long long)start,
	       (unsigned long long)(start + count - 1),
	       count / (now() - t0));
	return 0;
}
