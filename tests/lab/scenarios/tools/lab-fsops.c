// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper for the tools scenarios; the nodes have neither setfattr nor a
 * cp that can reflink:
 *   lab-fsops xattr PATH NAME LEN   set NAME to LEN bytes derived from NAME
 *   lab-fsops xattrs PATH PREFIX N  set PREFIX0..PREFIX<N-1>, value i*5+1 bytes
 *   lab-fsops reflink SRC DST       DST becomes a FICLONE of SRC (refcount tree)
 *   lab-fsops fragment FILE BYTES N N pieces of BYTES, a hole after each
 * Built on the host by the tools host drivers and added with --add.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/xattr.h>
#include <linux/fs.h>

static int set_xattr(const char *path, const char *name, long len)
{
	size_t nl = strlen(name);
	char *v;
	long i;
	int rc;

	if (len < 0 || len > 65536) {
		fprintf(stderr, "lab-fsops: bad length %ld\n", len);
		return 2;
	}
	v = malloc(len + 1);
	if (!v)
		return 1;
	/* a value that depends on the name, so a misplaced value shows */
	for (i = 0; i < len; i++)
		v[i] = (char)('a' + (name[i % nl] + i) % 26);
	rc = lsetxattr(path, name, v, len, 0);
	if (rc)
		perror(name);
	free(v);
	return rc ? 1 : 0;
}

static int set_many(const char *path, const char *prefix, long n)
{
	char name[256];
	long i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%ld", prefix, i);
		if (set_xattr(path, name, i * 5 + 1))
			return 1;
	}
	return 0;
}

/* Every other piece written: one extent each, more than an inode holds. */
static int fragment(const char *path, long bytes, long n)
{
	char *buf;
	long i;
	int fd, rc = 0;

	if (bytes <= 0 || bytes > (1L << 24) || n <= 0 || n > 100000) {
		fprintf(stderr, "lab-fsops: bad fragment size\n");
		return 2;
	}
	buf = calloc(1, bytes);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (!buf || fd < 0) {
		perror(path);
		free(buf);
		return 1;
	}
	for (i = 0; i < n && !rc; i++) {
		snprintf(buf, bytes, "%08ld", i);
		if (pwrite(fd, buf, bytes, i * 2 * bytes) != bytes) {
			perror("pwrite");
			rc = 1;
		}
	}
	close(fd);
	free(buf);
	return rc;
}

static int reflink(const char *src, const char *dst)
{
	int in, out, rc = 1;

	in = open(src, O_RDONLY);
	if (in < 0) {
		perror(src);
		return 1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		perror(dst);
		goto close_in;
	}
	if (ioctl(out, FICLONE, in)) {
		perror("FICLONE");
		goto close_out;
	}
	rc = 0;
close_out:
	close(out);
close_in:
	close(in);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "xattr"))
		return set_xattr(argv[2], argv[3], strtol(argv[4], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "xattrs"))
		return set_many(argv[2], argv[3], strtol(argv[4], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "reflink"))
		return reflink(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "fragment"))
		return fragment(argv[2], strtol(argv[3], NULL, 0),
				strtol(argv[4], NULL, 0));
	fprintf(stderr, "usage: lab-fsops xattr PATH NAME LEN | xattrs PATH PREFIX N |\n"
		"       reflink SRC DST | fragment FILE BYTES N\n");
	return 2;
}
