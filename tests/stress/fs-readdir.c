// SPDX-License-Identifier: GPL-2.0
/*
 * fs-readdir: readdir positions stay valid while the directory changes.
 *
 *   fs-readdir DIR N
 *	creates DIR/e0..e(N-1), reads about half of the entries, then
 *	removes every other entry already returned and creates N/4 new
 *	names (DIR/n*), and reads on to the end.  Checks: no name comes
 *	twice; every e* name that was never removed comes exactly once;
 *	seekdir() to a position telldir() gave before an entry that is
 *	still there returns that entry again; after rewinddir() the listing
 *	is exactly the names that exist, each once.  Prints a summary and
 *	exits 0, or names the first violation and exits 1.
 * (POSIX leaves open whether names made during the walk are returned;
 * this checks only what it does promise.)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct seen {
	long pos;	/* telldir() just before the entry was read */
	int count;
	int removed;
};

static int n_old, n_new;
static struct seen *olds, *news;

/* The record of a name this test made, or NULL for . and .. */
static struct seen *lookup(const char *name)
{
	char *end;
	long i;

	if ((name[0] != 'e' && name[0] != 'n') || !name[1])
		return NULL;
	i = strtol(name + 1, &end, 10);
	if (*end || i < 0)
		return NULL;
	if (name[0] == 'e')
		return i < n_old ? &olds[i] : NULL;
	return i < n_new ? &news[i] : NULL;
}

static int bad(const char *what, const char *name)
{
	printf("fs-readdir: FAIL: %s: %s\n", what, name);
	return 1;
}

static int make(const char *dir, char kind, int i)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%c%d", dir, kind, i);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		printf("fs-readdir: create %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

/* Read entries, counting each; stop after @limit of the e* names. */
static int walk(DIR *d, int limit, int *got)
{
	struct dirent *de;
	struct seen *s;
	long pos;

	for (;;) {
		pos = telldir(d);
		errno = 0;
		de = readdir(d);
		if (!de)
			return errno ? bad("readdir", strerror(errno)) : 0;
		s = lookup(de->d_name);
		if (!s)
			continue;
		if (s->count++)
			return bad("name returned twice", de->d_name);
		if (s->removed)
			return bad("removed name returned", de->d_name);
		if (de->d_name[0] == 'e') {
			s->pos = pos;
			if (++*got == limit)
				return 0;
		}
	}
}

/* Remove every other e* name already returned; make the n* names. */
static int change(const char *dir)
{
	char path[4096];
	int i, ret = 0;

	for (i = 0; i < n_old; i += 2) {
		if (!olds[i].count)
			continue;
		snprintf(path, sizeof(path), "%s/e%d", dir, i);
		if (unlink(path))
			return bad("unlink", path);
		olds[i].removed = 1;
	}
	for (i = 0; i < n_new && !ret; i++)
		ret = make(dir, 'n', i);
	return ret;
}

/* seekdir back to kept entries read in the first half */
static int seek_back(DIR *d)
{
	struct dirent *de;
	int i, checked = 0;
	char want[32];

	for (i = 1; i < n_old && checked < 8; i += 7) {
		if (!olds[i].count || olds[i].removed || olds[i].pos < 0)
			continue;
		snprintf(want, sizeof(want), "e%d", i);
		seekdir(d, olds[i].pos);
		de = readdir(d);
		if (!de || strcmp(de->d_name, want))
			return bad("seekdir to a kept entry's position gave", de ? de->d_name : "(end)");
		checked++;
	}
	printf("fs-readdir: %d seekdir positions still valid\n", checked);
	return 0;
}

static int relist(DIR *d)
{
	struct dirent *de;
	struct seen *s;
	int i;

	for (i = 0; i < n_old; i++)
		olds[i].count = 0;
	for (i = 0; i < n_new; i++)
		news[i].count = 0;
	rewinddir(d);
	while ((de = readdir(d))) {
		s = lookup(de->d_name);
		if (s && (s->count++ || s->removed))
			return bad("after rewinddir, twice or removed", de->d_name);
	}
	for (i = 0; i < n_old; i++)
		if (!olds[i].removed && olds[i].count != 1)
			return bad("after rewinddir, missing an old name", "e*");
	for (i = 0; i < n_new; i++)
		if (news[i].count != 1)
			return bad("after rewinddir, missing a new name", "n*");
	return 0;
}

int main(int argc, char **argv)
{
	int i, got = 0, late = 0;
	DIR *d;

	if (argc != 3 || atoi(argv[2]) < 8) {
		fprintf(stderr, "usage: fs-readdir DIR N (N >= 8)\n");
		return 2;
	}
	n_old = atoi(argv[2]);
	n_new = n_old / 4;
	olds = calloc(n_old, sizeof(*olds));
	news = calloc(n_new, sizeof(*news));
	if (!olds || !news)
		return 1;
	for (i = 0; i < n_old; i++) {
		olds[i].pos = -1;
		if (make(argv[1], 'e', i))
			return 1;
	}
	d = opendir(argv[1]);
	if (!d)
		return bad("opendir", argv[1]);
	if (walk(d, n_old / 2, &got) || change(argv[1]) ||
	    walk(d, -1, &got))
		return 1;
	for (i = 0; i < n_old; i++)
		if (!olds[i].removed && olds[i].count != 1)
			return bad("an old name never removed was not returned once", "e*");
	for (i = 0; i < n_new; i++)
		late += news[i].count;
	printf("fs-readdir: %d old names each returned once, %d of %d new names seen during the walk\n",
	       n_old, late, n_new);
	if (seek_back(d) || relist(d))
		return 1;
	closedir(d);
	printf("fs-readdir: ok\n");
	return 0;
}
