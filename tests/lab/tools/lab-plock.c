// SPDX-License-Identifier: GPL-2.0
/*
 * lab-plock: POSIX (fcntl) record locks for lab scenarios, one process
 * running a list of steps on one open file, each step printing one line.
 *
 * usage: lab-plock PATH STEP...
 *   w:START:LEN  r:START:LEN    F_SETLKW write / read lock ("granted w 0 10")
 *   tw:START:LEN tr:START:LEN   F_SETLK; "busy" and exit 3 when refused
 *   u:START:LEN                 unlock
 *   gw:START:LEN gr:START:LEN   F_GETLK: "free", or "held w|r pid P start S
 *                               len L" (P is negative for another node's)
 *   pid                         print "pid P"
 *   touch:FILE  wait:FILE       create FILE / return once FILE exists
 *   sleep:SEC                   sleep
 *   close2                      open PATH again and close that descriptor
 *                               (POSIX: drops all of this process's locks)
 *   close                       close PATH's descriptor
 *   fx fs tfx tfs fu            flock(2): exclusive / shared (blocking, or
 *                               LOCK_NB: "busy" and exit 3), unlock
 * A directory is opened read-only (read locks and flock only).
 * LEN 0 means "to the end of the file".  exit: 0 all steps done, 3 busy,
 * 1 error, 2 usage
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

static const char *path;
static int fd = -1;

static int parse_range(const char *s, struct flock *fl)
{
	long long start, len;
	char *end;

	start = strtoll(s, &end, 10);
	if (*end != ':')
		return -1;
	len = strtoll(end + 1, &end, 10);
	if (*end || start < 0 || len < 0)
		return -1;
	fl->l_whence = SEEK_SET;
	fl->l_start = start;
	fl->l_len = len;
	return 0;
}

static int do_lock(int cmd, short type, const char *range)
{
	struct flock fl = { .l_type = type };

	if (parse_range(range, &fl))
		return 2;
	if (fcntl(fd, cmd, &fl) == 0) {
		printf("%s %s %s\n", type == F_UNLCK ? "unlocked" : "granted",
		       type == F_WRLCK ? "w" : type == F_RDLCK ? "r" : "-", range);
		return 0;
	}
	if (cmd == F_SETLK && (errno == EAGAIN || errno == EACCES)) {
		printf("busy\n");
		return 3;
	}
	fprintf(stderr, "lab-plock: fcntl %s %s: %s\n", path, range, strerror(errno));
	return 1;
}

static int do_get(short type, const char *range)
{
	struct flock fl = { .l_type = type };

	if (parse_range(range, &fl))
		return 2;
	if (fcntl(fd, F_GETLK, &fl)) {
		fprintf(stderr, "lab-plock: F_GETLK %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (fl.l_type == F_UNLCK)
		printf("free\n");
	else
		printf("held %s pid %d start %lld len %lld\n",
		       fl.l_type == F_WRLCK ? "w" : "r", (int)fl.l_pid,
		       (long long)fl.l_start, (long long)fl.l_len);
	return 0;
}

static int do_file(const char *step)
{
	int f;

	if (!strncmp(step, "touch:", 6)) {
		f = open(step + 6, O_CREAT | O_WRONLY, 0644);
		if (f < 0) {
			fprintf(stderr, "lab-plock: %s: %s\n", step + 6, strerror(errno));
			return 1;
		}
		close(f);
		return 0;
	}
	while (access(step + 5, F_OK))
		usleep(100000);
	return 0;
}

static int do_flock(const char *s)
{
	int op = LOCK_UN;

	if (*s == 't')
		s++;
	if (!strcmp(s, "fx"))
		op = LOCK_EX;
	else if (!strcmp(s, "fs"))
		op = LOCK_SH;
	else if (strcmp(s, "fu"))
		return 2;
	if (op != LOCK_UN && s[-1] == 't')
		op |= LOCK_NB;
	if (flock(fd, op) == 0) {
		printf("%s %s\n", op == LOCK_UN ? "unlocked" : "granted", s);
		return 0;
	}
	if ((op & LOCK_NB) && errno == EWOULDBLOCK) {
		printf("busy\n");
		return 3;
	}
	fprintf(stderr, "lab-plock: flock %s %s: %s\n", path, s, strerror(errno));
	return 1;
}

static int open_path(void)
{
	int f = open(path, O_RDWR | O_CREAT, 0644);

	if (f < 0 && errno == EISDIR)
		f = open(path, O_RDONLY | O_DIRECTORY);
	return f;
}

static int do_close2(void)
{
	int f = open_path();

	if (f < 0) {
		fprintf(stderr, "lab-plock: reopen %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(f);
	printf("closed another descriptor\n");
	return 0;
}

static int step(const char *s)
{
	if (!strncmp(s, "w:", 2))
		return do_lock(F_SETLKW, F_WRLCK, s + 2);
	if (!strncmp(s, "r:", 2))
		return do_lock(F_SETLKW, F_RDLCK, s + 2);
	if (!strncmp(s, "tw:", 3))
		return do_lock(F_SETLK, F_WRLCK, s + 3);
	if (!strncmp(s, "tr:", 3))
		return do_lock(F_SETLK, F_RDLCK, s + 3);
	if (!strncmp(s, "u:", 2))
		return do_lock(F_SETLK, F_UNLCK, s + 2);
	if (!strncmp(s, "gw:", 3))
		return do_get(F_WRLCK, s + 3);
	if (!strncmp(s, "gr:", 3))
		return do_get(F_RDLCK, s + 3);
	if (!strcmp(s, "pid"))
		return printf("pid %d\n", (int)getpid()) < 0;
	if (!strncmp(s, "touch:", 6) || !strncmp(s, "wait:", 5))
		return do_file(s);
	if (!strncmp(s, "sleep:", 6)) {
		sleep(atoi(s + 6));
		return 0;
	}
	if (!strcmp(s, "close2"))
		return do_close2();
	if (!strcmp(s, "fx") || !strcmp(s, "fs") || !strcmp(s, "fu") ||
	    !strcmp(s, "tfx") || !strcmp(s, "tfs"))
		return do_flock(s);
	if (!strcmp(s, "close")) {
		close(fd);
		printf("closed\n");
		return 0;
	}
	return 2;
}

int main(int argc, char **argv)
{
	int i, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: lab-plock PATH STEP...\n");
		return 2;
	}
	path = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open_path();
	if (fd < 0) {
		fprintf(stderr, "lab-plock: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (i = 2; i < argc; i++) {
		ret = step(argv[i]);
		if (ret == 2)
			fprintf(stderr, "lab-plock: bad step '%s'\n", argv[i]);
		if (ret)
			return ret;
	}
	return 0;
}
