// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper for fs/11-rw-data-io (--add tests/stress/fs-dataio): file data written through every path
 * the module offers (buffered with fsync/fdatasync, O_DIRECT aligned,
 * appending and misaligned, shared writable mmap into a hole and into an
 * inline file, fallocate with and without keep-size, writes into
 * unwritten extents), each checked against an in-memory model of what
 * the file must hold.  The model is computed here, so no other
 * filesystem is needed as a reference.
 *   fs-dataio write DIR   do the work in DIR, then check it
 *   fs-dataio check DIR   check DIR's files against the model
 * Each line of output names a file, its size and an FNV-1a hash; any
 * difference, short I/O or unexpected error ends with exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB	(1024 * 1024)
#define MAX	(5 * MIB)

struct model {
	const char	*name;
	unsigned char	*data;		/* MAX bytes, zero past size */
	size_t		size;
	size_t		min_blocks;	/* st_blocks at least (512-byte) */
};

static const char *dir;
static int failed;

static void die(const char *what, const char *name)
{
	fprintf(stderr, "%s %s: %s\n", what, name, strerror(errno));
	exit(1);
}

static int open_in(const char *name, int flags)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, flags, 0644);
	if (fd < 0)
		die("open", path);
	return fd;
}

static void *aligned(size_t len, int c)
{
	void *p;

	if (posix_memalign(&p, 4096, len))
		exit(1);
	memset(p, c, len);
	return p;
}

static void model_write(struct model *m, size_t off, int c, size_t len)
{
	memset(m->data + off, c, len);
	if (off + len > m->size)
		m->size = off + len;
}

static void do_pwrite(int fd, const void *buf, size_t len, off_t off,
		      const char *name)
{
	ssize_t n = pwrite(fd, buf, len, off);

	if (n != (ssize_t)len) {
		fprintf(stderr, "pwrite %s %zu@%lld: %zd (%s)\n", name, len,
			(long long)off, n, n < 0 ? strerror(errno) : "short");
		exit(1);
	}
}

static void buffered(struct model *m, size_t off, int c, size_t len,
		     int (*sync_fn)(int))
{
	int fd = open_in(m->name, O_WRONLY | O_CREAT);
	void *buf = aligned(len, c);

	do_pwrite(fd, buf, len, off, m->name);
	if (sync_fn && sync_fn(fd))
		die("sync", m->name);
	close(fd);
	free(buf);
	model_write(m, off, c, len);
}

/* O_DIRECT: aligned overwrite, append past EOF, misaligned in the middle */
static void direct(struct model *m)
{
	int fd = open_in(m->name, O_RDWR | O_DIRECT);
	void *buf = aligned(MIB, 0);

	memset(buf, 'd', 65536);
	do_pwrite(fd, buf, 65536, 4096, m->name);
	model_write(m, 4096, 'd', 65536);
	memset(buf, 'e', 8192);
	do_pwrite(fd, buf, 8192, MIB, m->name);
	model_write(m, MIB, 'e', 8192);
	memset(buf, 'f', 1001);
	do_pwrite(fd, (char *)buf + 1, 1000, 100, m->name);
	model_write(m, 100, 'f', 1000);
	if (pread(fd, buf, MIB, 0) != MIB)
		die("direct read", m->name);
	if (memcmp(buf, m->data, MIB)) {
		fprintf(stderr, "%s: O_DIRECT read differs\n", m->name);
		failed = 1;
	}
	close(fd);
	free(buf);
}

static void mmap_write(struct model *m, size_t map_len, size_t off, int c,
		       size_t len)
{
	int fd = open_in(m->name, O_RDWR);
	char *p = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       0);

	if (p == MAP_FAILED)
		die("mmap", m->name);
	memset(p + off, c, len);
	if (msync(p, map_len, MS_SYNC))
		die("msync", m->name);
	munmap(p, map_len);
	close(fd);
	model_write(m, off, c, len);
}

static void falloc(struct model *m, int mode, size_t off, size_t len)
{
	int fd = open_in(m->name, O_WRONLY | O_CREAT);

	if (fallocate(fd, mode, off, len))
		die("fallocate", m->name);
	close(fd);
	if (!(mode & FALLOC_FL_KEEP_SIZE) && off + len > m->size)
		m->size = off + len;
}

static void append(struct model *m, const char *s)
{
	int fd = open_in(m->name, O_WRONLY | O_APPEND);
	size_t len = strlen(s);

	if (write(fd, s, len) != (ssize_t)len)
		die("append", m->name);
	close(fd);
	memcpy(m->data + m->size, s, len);
	m->size += len;
}

static void truncate_to(struct model *m, size_t size)
{
	int fd = open_in(m->name, O_WRONLY | O_CREAT);

	if (ftruncate(fd, size))
		die("ftruncate", m->name);
	close(fd);
	if (size < m->size)
		memset(m->data + size, 0, m->size - size);
	m->size = size;
}

enum { F_FSYNC, F_FDATASYNC, F_DIRECT, F_MMAP, F_MMAP_INLINE, F_FALLOC,
       F_FALLOC_KEEP, F_COUNT };

static struct model files[F_COUNT] = {
	[F_FSYNC]	= { "fsynced", NULL, 0, 2048 },
	[F_FDATASYNC]	= { "fdatasynced", NULL, 0, 600 },
	[F_DIRECT]	= { "direct", NULL, 0, 2048 },
	[F_MMAP]	= { "mmapped", NULL, 0, 390 },
	[F_MMAP_INLINE]	= { "mmapped_inline", NULL, 0, 0 },
	[F_FALLOC]	= { "falloc", NULL, 0, 8192 },
	[F_FALLOC_KEEP]	= { "falloc_keep", NULL, 0, 2048 },
};

/* The work; with @act 0 only the model is built (for check). */
static void workload(int act)
{
	struct model *m = files;

	if (!act) {
		model_write(&m[F_FSYNC], 0, 'a', MIB);
		model_write(&m[F_FDATASYNC], 0, 'b', 300 * 1024);
		model_write(&m[F_DIRECT], 0, 'c', MIB);
		model_write(&m[F_DIRECT], 4096, 'd', 65536);
		model_write(&m[F_DIRECT], MIB, 'e', 8192);
		model_write(&m[F_DIRECT], 100, 'f', 1000);
		m[F_MMAP].size = MIB;
		model_write(&m[F_MMAP], 8192, 'g', 200000);
		model_write(&m[F_MMAP_INLINE], 0, 'i', 6);
		model_write(&m[F_MMAP_INLINE], 1, 'h', 3);
		m[F_FALLOC].size = 4 * MIB;
		model_write(&m[F_FALLOC], MIB, 'j', 4096);
		model_write(&m[F_FALLOC_KEEP], 0, 'k', 10000);
		memcpy(m[F_FALLOC_KEEP].data + 10000, "tail", 4);
		m[F_FALLOC_KEEP].size += 4;
		return;
	}
	buffered(&m[F_FSYNC], 0, 'a', MIB, fsync);
	buffered(&m[F_FDATASYNC], 0, 'b', 300 * 1024, fdatasync);
	buffered(&m[F_DIRECT], 0, 'c', MIB, fsync);
	direct(&m[F_DIRECT]);
	truncate_to(&m[F_MMAP], MIB);
	mmap_write(&m[F_MMAP], MIB, 8192, 'g', 200000);
	buffered(&m[F_MMAP_INLINE], 0, 'i', 6, NULL);
	mmap_write(&m[F_MMAP_INLINE], 6, 1, 'h', 3);
	falloc(&m[F_FALLOC], 0, 0, 4 * MIB);
	buffered(&m[F_FALLOC], MIB, 'j', 4096, NULL);
	buffered(&m[F_FALLOC_KEEP], 0, 'k', 10000, NULL);
	falloc(&m[F_FALLOC_KEEP], FALLOC_FL_KEEP_SIZE, 16384, MIB);
	append(&m[F_FALLOC_KEEP], "tail");
}

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	while (n--)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

static void check_one(const struct model *m)
{
	unsigned char *buf = aligned(MAX, 0x5a);
	int fd = open_in(m->name, O_RDONLY);
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st))
		die("stat", m->name);
	n = pread(fd, buf, MAX, 0);
	close(fd);
	if (n < 0)
		die("read", m->name);
	printf("%s %lld %016llx\n", m->name, (long long)st.st_size,
	       (unsigned long long)fnv(buf, n));
	if ((size_t)st.st_size != m->size || (size_t)n != m->size ||
	    memcmp(buf, m->data, m->size)) {
		fprintf(stderr, "%s: size %lld read %zd, expected %zu, or content differs\n",
			m->name, (long long)st.st_size, n, m->size);
		failed = 1;
	}
	if ((size_t)st.st_blocks < m->min_blocks) {
		fprintf(stderr, "%s: %lld blocks allocated, expected at least %zu\n",
			m->name, (long long)st.st_blocks, m->min_blocks);
		failed = 1;
	}
	free(buf);
}

int main(int argc, char **argv)
{
	int i, act;

	if (argc != 3 || (strcmp(argv[1], "write") && strcmp(argv[1], "check"))) {
		fprintf(stderr, "usage: fs-dataio write|check DIR\n");
		return 2;
	}
	dir = argv[2];
	act = !strcmp(argv[1], "write");
	for (i = 0; i < F_COUNT; i++) {
		files[i].data = calloc(1, MAX);
		if (!files[i].data)
			return 1;
	}
	workload(act);
	if (act)
		for (i = 0; i < F_COUNT; i++)
			memset(files[i].data, 0, MAX), files[i].size = 0;
	if (act)
		workload(0);
	for (i = 0; i < F_COUNT; i++)
		check_one(&files[i]);
	return failed;
}
