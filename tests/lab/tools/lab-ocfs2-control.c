// SPDX-License-Identifier: GPL-2.0
/*
 * lab-ocfs2-control: drive /dev/ocfs2_control step by step and check
 * what each step gives, for bad-input scenarios.
 *
 * usage: lab-ocfs2-control STEP...
 *   open            open the device again (a new handle; the old stays)
 *   close           close the newest handle
 *   read=>TEXT      read to EOF on the newest handle; expect TEXT
 *   w:DATA=>RESULT  one write(2) of DATA on the newest handle; RESULT is
 *                   ok or an errno name (EINVAL, ERANGE, ...)
 * DATA and TEXT take C escapes \n \\ \xHH.  The device is
 * $OCFS2_CONTROL or /dev/ocfs2_control.  Each step prints one line;
 * exit 0 if every step gave what it expected, 1 otherwise, 2 on usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FDS 8

static const struct { int err; const char *name; } errnames[] = {
	{ EINVAL, "EINVAL" }, { ERANGE, "ERANGE" }, { EFAULT, "EFAULT" },
	{ ENOENT, "ENOENT" }, { EBADF, "EBADF" }, { EPERM, "EPERM" },
	{ ENOSPC, "ENOSPC" }, { EPROTO, "EPROTO" }, { ESRCH, "ESRCH" },
};

static const char *errname(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return strerror(err);
}

/* decode C escapes into out; returns the length */
static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	while (*in) {
		if (*in != '\\' || !in[1]) {
			out[n++] = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n': out[n++] = '\n'; in++; break;
		case 'x': out[n++] = (char)strtol((char[]){ in[1], in[2], 0 }, NULL, 16);
			  in += 3; break;
		default: out[n++] = *in++; break;
		}
	}
	return n;
}

static int do_read(int fd, const char *expect)
{
	char buf[256], want[256];
	size_t len = 0, wlen = unescape(expect, want);
	ssize_t n;

	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	if (n < 0) {
		printf("read: %s\n", errname(errno));
		return 1;
	}
	printf("read: %zu bytes\n", len);
	return len != wlen || memcmp(buf, want, len);
}

static int do_write(int fd, const char *step)
{
	char data[4096];
	const char *sep = strstr(step, "=>");
	char *raw;
	size_t len;
	const char *got;
	int bad;

	if (!sep)
		return -1;
	raw = strndup(step + 2, sep - step - 2);
	len = unescape(raw, data);
	got = write(fd, data, len) == (ssize_t)len ? "ok" : errname(errno);
	bad = strcmp(got, sep + 2) != 0;
	printf("write %-50s -> %-6s %s\n", raw, got, bad ? "UNEXPECTED" : "");
	free(raw);
	return bad;
}

int main(int argc, char **argv)
{
	const char *dev = getenv("OCFS2_CONTROL") ?: "/dev/ocfs2_control";
	int fds[MAX_FDS], nfd = 0, bad = 0, i, r;

	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (!strcmp(s, "open")) {
			if (nfd == MAX_FDS)
				return 2;
			fds[nfd] = open(dev, O_RDWR);
			if (fds[nfd] < 0) {
				perror(dev);
				return 1;
			}
			nfd++;
			printf("open: handle %d\n", nfd);
			continue;
		}
		if (!nfd)
			return 2;
		if (!strcmp(s, "close")) {
			close(fds[--nfd]);
			printf("close: handle %d\n", nfd + 1);
		} else if (!strncmp(s, "read=>", 6)) {
			r = do_read(fds[nfd - 1], s + 6);
			if (r)
				printf("read: UNEXPECTED\n");
			bad |= r;
		} else if (!strncmp(s, "w:", 2)) {
			r = do_write(fds[nfd - 1], s);
			if (r < 0)
				return 2;
			bad |= r;
		} else {
			fprintf(stderr, "lab-ocfs2-control: bad step %s\n", s);
			return 2;
		}
	}
	return bad;
}
