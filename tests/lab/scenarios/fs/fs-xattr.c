// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper for the fs scenarios (the node has no setfattr/getfattr):
 *   fs-xattr set PATH NAME LEN CHAR   set NAME to LEN bytes of CHAR+i
 *   fs-xattr dump PATH                list names, each with length and hash
 *   fs-xattr batch PATH < LINES       one process for many changes: lines
 *       "s NAME LEN CHAR" set, "r NAME LEN CHAR" replace (must exist),
 *       "c NAME LEN CHAR" create (must not exist), "x NAME" remove
 *   fs-xattr fill COUNT LEN CHAR < PATHS
 *       on every path read (one a line) set user.f0 .. user.fCOUNT-1
 * Built on the host by the host-*.bash drivers and added with --add.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

static unsigned int fnv(const unsigned char *p, ssize_t n)
{
	unsigned int h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static int set_flags(const char *path, const char *name, long len, int c,
		     int flags)
{
	char *v = malloc(len + 1);
	long i;
	int ret = 0;

	for (i = 0; i < len; i++)
		v[i] = (char)(c + i % 23);
	if (lsetxattr(path, name, v, len, flags)) {
		perror(name);
		ret = 1;
	}
	free(v);
	return ret;
}

static int set(const char *path, const char *name, long len, int c)
{
	return set_flags(path, name, len, c, 0);
}

/* Changes read from stdin; stops at the first that fails. */
static int batch(const char *path)
{
	char line[512], op, name[300], c;
	long len, n = 0;
	int flags;

	while (fgets(line, sizeof(line), stdin)) {
		n++;
		if (sscanf(line, "x %299s", name) == 1) {
			if (lremovexattr(path, name)) {
				perror(name);
				return 1;
			}
			continue;
		}
		if (sscanf(line, "%c %299s %ld %c", &op, name, &len, &c) != 4) {
			fprintf(stderr, "line %ld: bad line\n", n);
			return 2;
		}
		flags = op == 'r' ? XATTR_REPLACE : op == 'c' ? XATTR_CREATE : 0;
		if (set_flags(path, name, len, c, flags))
			return 1;
	}
	return 0;
}

/* The same names on many files, one process (a fork each costs on TCG). */
static int fill(long count, long len, int c)
{
	char path[4096], name[32];
	size_t n;
	long i;

	while (fgets(path, sizeof(path), stdin)) {
		n = strlen(path);
		if (n && path[n - 1] == '\n')
			path[n - 1] = 0;
		for (i = 0; i < count; i++) {
			snprintf(name, sizeof(name), "user.f%ld", i);
			if (set(path, name, len, c)) {
				fprintf(stderr, "%s: %s failed\n", path, name);
				return 1;
			}
		}
	}
	return 0;
}

static int dump(const char *path)
{
	static char names[65536];
	static unsigned char val[65536];
	ssize_t n = llistxattr(path, names, sizeof(names)), v;
	char *p;

	if (n < 0) {
		perror(path);
		return 1;
	}
	for (p = names; p < names + n; p += strlen(p) + 1) {
		v = lgetxattr(path, p, val, sizeof(val));
		if (v < 0) {
			perror(p);
			return 1;
		}
		printf("%s %s %zd %08x\n", path, p, v, fnv(val, v));
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "set"))
		return set(argv[2], argv[3], atol(argv[4]), argv[5][0]);
	if (argc == 3 && !strcmp(argv[1], "dump"))
		return dump(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "batch"))
		return batch(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "fill"))
		return fill(atol(argv[2]), atol(argv[3]), argv[4][0]);
	fprintf(stderr, "usage: fs-xattr set PATH NAME LEN CHAR | dump PATH | batch PATH | fill COUNT LEN CHAR\n");
	return 2;
}
