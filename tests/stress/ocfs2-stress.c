// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2-stress: an fsstress-style load for the filesystem module.
 *
 *   ocfs2-stress run DIR [-p PROCS] [-t SECONDS] [-s SEED] [-w [-F]] [-v]
 *	PROCS processes (default 4) each work in DIR/pN for SECONDS
 *	(default 60), choosing random paths in a small namespace (nested
 *	directories d0..d5, names f0..f47) and doing random create, mkdir,
 *	rmdir, unlink, rename (within and across directories, over
 *	existing names, RENAME_NOREPLACE, RENAME_EXCHANGE), link, fast and
 *	long symlinks, stat and readdir; with -w also writes, fsync and
 *	truncates (-F: data-heavy, writes with fsync four times as often,
 *	truncates and writes twice, so commits keep meeting write-back).
 *	Failures the namespace explains (ENOENT, EEXIST,
 *	ENOTEMPTY, ...) are counted as expected; any other error (EIO,
 *	EUCLEAN, EROFS, ...) is reported and makes the exit status 1.
 *	ENOSPC and EOPNOTSUPP are counted and listed apart: they mark what
 *	the filesystem cannot do yet.
 *   ocfs2-stress rename2 OLD NEW [none|noreplace|exchange]
 *	one renameat2() call; prints "ok" or the error name.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#define RENAME_EXCHANGE		(1 << 1)
#endif

enum op {
	OP_CREATE, OP_MKDIR, OP_RMDIR, OP_UNLINK, OP_RENAME, OP_NOREPLACE,
	OP_EXCHANGE, OP_LINK, OP_SYMLINK, OP_STAT, OP_READDIR, OP_WRITE,
	OP_FSYNC, OP_TRUNCATE, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"create", "mkdir", "rmdir", "unlink", "rename", "rename-noreplace",
	"rename-exchange", "link", "symlink", "stat", "readdir", "write",
	"fsync", "truncate",
};

/* how often each operation is picked (write ops only with -w) */
static int op_weight[OP_COUNT] = {
	10, 5, 4, 8, 10, 3, 3, 4, 4, 6, 2, 8, 2, 3,
};

struct counts {
	unsigned long ok[OP_COUNT];
	unsigned long expected[OP_COUNT];
	unsigned long nospace[OP_COUNT];
	unsigned long unsupported[OP_COUNT];
	unsigned long unexpected[OP_COUNT];
};

static int with_writes;
static int verbose;

static unsigned int pick(unsigned int n)
{
	return (unsigned int)random() % n;
}

/* A random path under @base: up to two directory levels, then a name. */
static void random_path(const char *base, char *buf, size_t len, int want_dir)
{
	int depth = pick(3), n;

	n = snprintf(buf, len, "%s", base);
	while (depth-- > 0)
		n += snprintf(buf + n, len - n, "/d%u", pick(6));
	if (!want_dir || pick(2))
		snprintf(buf + n, len - n, "/%c%u", want_dir ? 'd' : 'f',
			 pick(want_dir ? 6 : 48));
}

static int is_expected(int err)
{
	switch (err) {
	case ENOENT:
	case EEXIST:
	case ENOTEMPTY:
	case ENOTDIR:
	case EISDIR:
	case EINVAL:
	case EMLINK:
	case EBUSY:
	case EPERM:
	case ELOOP:
	case ENAMETOOLONG:
	case EXDEV:
		return 1;
	}
	return 0;
}

static int do_write(const char *path, int sync_it)
{
	static char buf[65536];
	size_t len = pick(sizeof(buf));
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return -1;
	memset(buf, 'a' + pick(26), len);
	if (pwrite(fd, buf, len, pick(1 << 20)) < 0)
		ret = -1;
	if (!ret && sync_it && fsync(fd))
		ret = -1;
	if (ret) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

static int do_readdir(const char *path)
{
	DIR *d = opendir(path);

	if (!d)
		return -1;
	errno = 0;
	while (readdir(d))
		;
	if (errno) {
		int err = errno;

		closedir(d);
		errno = err;
		return -1;
	}
	return closedir(d);
}

static int do_symlink(const char *path)
{
	char target[2048];
	size_t len = pick(2) ? 1 + pick(40) : 200 + pick(1800);

	memset(target, 'L', len);
	target[len] = '\0';
	return symlink(target, path);
}

static int run_op(enum op op, const char *base)
{
	char a[512], b[512];
	struct stat st;

	random_path(base, a, sizeof(a), op == OP_MKDIR || op == OP_RMDIR ||
		    op == OP_READDIR);
	random_path(base, b, sizeof(b), pick(4) == 0);
	switch (op) {
	case OP_CREATE:
		return mknod(a, S_IFREG | 0644, 0);
	case OP_MKDIR:
		return mkdir(a, 0755);
	case OP_RMDIR:
		return rmdir(a);
	case OP_UNLINK:
		return unlink(a);
	case OP_RENAME:
		return rename(pick(3) ? a : b, pick(3) ? b : a);
	case OP_NOREPLACE:
		return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE);
	case OP_EXCHANGE:
		return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
	case OP_LINK:
		return link(a, b);
	case OP_SYMLINK:
		return do_symlink(a);
	case OP_STAT:
		return lstat(a, &st);
	case OP_READDIR:
		return do_readdir(a);
	case OP_WRITE:
		return do_write(a, 0);
	case OP_FSYNC:
		return do_write(a, 1);
	case OP_TRUNCATE:
		return truncate(a, pick(1 << 20));
	default:
		return 0;
	}
}

static enum op pick_op(void)
{
	int total = 0, i, r;

	for (i = 0; i < OP_COUNT; i++)
		if (with_writes || i < OP_WRITE)
			total += op_weight[i];
	r = pick(total);
	for (i = 0; i < OP_COUNT; i++) {
		if (!with_writes && i >= OP_WRITE)
			break;
		if (r < op_weight[i])
			return i;
		r -= op_weight[i];
	}
	return OP_STAT;
}

static void count(struct counts *c, enum op op, int ret, int err)
{
	if (!ret)
		c->ok[op]++;
	else if (err == ENOSPC)
		c->nospace[op]++;
	else if (err == EOPNOTSUPP)
		c->unsupported[op]++;
	else if (is_expected(err))
		c->expected[op]++;
	else
		c->unexpected[op]++;
}

static void worker(const char *dir, int id, int seconds, unsigned int seed,
		   int fd)
{
	struct counts c = { };
	char base[256];
	time_t end = time(NULL) + seconds;
	enum op op;
	int ret;

	srandom(seed + id * 7919);
	snprintf(base, sizeof(base), "%s/p%d", dir, id);
	if (mkdir(base, 0755) && errno != EEXIST) {
		perror(base);
		exit(1);
	}
	while (time(NULL) < end) {
		op = pick_op();
		errno = 0;
		ret = run_op(op, base);
		if (ret && !is_expected(errno) && errno != ENOSPC &&
		    errno != EOPNOTSUPP)
			fprintf(stderr, "p%d: %s: %s\n", id, op_names[op],
				strerror(errno));
		else if (ret && verbose)
			fprintf(stderr, "p%d: %s: %s (expected)\n", id,
				op_names[op], strerror(errno));
		count(&c, op, ret, errno);
	}
	if (write(fd, &c, sizeof(c)) != sizeof(c))
		exit(1);
	exit(0);
}

static int report(const struct counts *t)
{
	unsigned long bad = 0, total = 0;
	int i;

	printf("%-17s %9s %9s %7s %7s %7s\n", "operation", "ok", "expected",
	       "ENOSPC", "ENOTSUP", "other");
	for (i = 0; i < OP_COUNT; i++) {
		if (!with_writes && i >= OP_WRITE)
			break;
		printf("%-17s %9lu %9lu %7lu %7lu %7lu\n", op_names[i],
		       t->ok[i], t->expected[i], t->nospace[i],
		       t->unsupported[i], t->unexpected[i]);
		bad += t->unexpected[i];
		total += t->ok[i] + t->expected[i] + t->nospace[i] +
			 t->unsupported[i] + t->unexpected[i];
	}
	printf("%lu operations, %lu unexpected errors\n", total, bad);
	return bad ? 1 : 0;
}

static int collect(int procs, int fd, struct counts *t)
{
	struct counts c;
	int i, j, status, failed = 0;

	for (i = 0; i < procs; i++) {
		if (read(fd, &c, sizeof(c)) != sizeof(c)) {
			failed = 1;
			continue;
		}
		for (j = 0; j < OP_COUNT; j++) {
			t->ok[j] += c.ok[j];
			t->expected[j] += c.expected[j];
			t->nospace[j] += c.nospace[j];
			t->unsupported[j] += c.unsupported[j];
			t->unexpected[j] += c.unexpected[j];
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	return failed;
}

static int cmd_run(int argc, char **argv)
{
	int procs = 4, seconds = 60, opt, i, pipefd[2], failed;
	unsigned int seed = time(NULL);
	struct counts total = { };
	const char *dir;

	if (argc < 2) {
		fprintf(stderr, "usage: ocfs2-stress run DIR [-p PROCS] [-t SECONDS] [-s SEED] [-w [-F]] [-v]\n");
		return 2;
	}
	dir = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "p:t:s:wFv")) != -1) {
		switch (opt) {
		case 'p':
			procs = atoi(optarg);
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			with_writes = 1;
			break;
		case 'F':
			op_weight[OP_WRITE] *= 2;
			op_weight[OP_FSYNC] *= 4;
			op_weight[OP_TRUNCATE] *= 2;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			return 2;
		}
	}
	if (procs < 1 || procs > 64 || seconds < 1) {
		fprintf(stderr, "ocfs2-stress: PROCS must be 1..64 and SECONDS positive\n");
		return 2;
	}
	printf("ocfs2-stress: %d processes, %d s, seed %u, writes %s, in %s\n",
	       procs, seconds, seed, !with_writes ? "off" :
	       op_weight[OP_FSYNC] > 2 ? "heavy" : "on", dir);
	fflush(stdout);
	if (pipe(pipefd))
		return 1;
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (!pid) {
			close(pipefd[0]);
			worker(dir, i, seconds, seed, pipefd[1]);
		}
	}
	close(pipefd[1]);
	failed = collect(procs, pipefd[0], &total);
	return report(&total) | failed;
}

static int cmd_rename2(int argc, char **argv)
{
	unsigned int flags = 0;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: ocfs2-stress rename2 OLD NEW [none|noreplace|exchange]\n");
		return 2;
	}
	if (argc == 4 && !strcmp(argv[3], "noreplace"))
		flags = RENAME_NOREPLACE;
	else if (argc == 4 && !strcmp(argv[3], "exchange"))
		flags = RENAME_EXCHANGE;
	else if (argc == 4 && strcmp(argv[3], "none"))
		return 2;
	if (renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], flags)) {
		printf("%s\n", strerrorname_np(errno) ?: strerror(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "rename2"))
		return cmd_rename2(argc - 1, argv + 1);
	fprintf(stderr, "usage: ocfs2-stress run DIR [options] | rename2 OLD NEW [noreplace|exchange]\n");
	return 2;
}
