// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper for the fs scenarios (the node has no setfattr/getfattr):
 *   fs-xattr set PATH NAME LEN CHAR   set NAME to LEN bytes of CHAR+i
 *   fs-xattr dump PATH                list names, each with length and hash
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

static int set(const char *path, const char *name, long len, int c)
{
	char *v = malloc(len + 1);
	long i;

	for (i = 0; i < len; i++)
		v[i] = (char)(c + i % 23);
	if (lsetxattr(path, name, v, len, 0)) {
		perror(name);
		return 1;
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
	fprintf(stderr, "usage: fs-xattr set PATH NAME LEN CHAR | dump PATH\n");
	return 2;
}
