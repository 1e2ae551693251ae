// SPDX-License-Identifier: GPL-2.0
/*
 * The mount table as a source of mounts.  mount.ocfs2 only asks the daemon
 * when the kernel lacks DLM recovery callbacks; otherwise a user-stack
 * volume gets mounted without a word to us.  Watching
 * /proc/self/mountinfo (poll wakes with POLLPRI on every change) lets the
 * daemon still join the volume's group and guard its node-down reports.
 * A user-stack ocfs2 mount shows "cluster_stack=" in its super options;
 * its UUID is read from the device with libblkid.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <blkid/blkid.h>
#include "ocfs2/controld_proto.h"
#include "controld.h"
#include "log.h"
#include "loop.h"

#define MOUNTINFO "/proc/self/mountinfo"

static int mtab_fd = -1;

/* blkid gives 8-4-4-4-12 lower case; the kernel names it 32 upper case. */
int mtab_uuid_of(const char *device, char *uuid, size_t size)
{
	char *val = blkid_get_tag_value(NULL, "UUID", device);
	size_t n = 0;
	char *p;

	if (!val)
		return -1;
	for (p = val; *p && n + 1 < size; p++)
		if (*p != '-')
			uuid[n++] = toupper((unsigned char)*p);
	uuid[n] = '\0';
	free(val);
	return ocfs2_control_uuid_valid(uuid) ? 0 : -1;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' &&
		    r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
			*w++ = (r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0');
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* Fields: id parent maj:min root dir opts [optional...] - type source super */
static void parse_line(char *line)
{
	char *f[6], *dash, *type, *source, *super, *save = NULL;
	char uuid[64];
	int i;

	dash = strstr(line, " - ");
	if (!dash)
		return;
	*dash = '\0';
	for (i = 0; i < 6; i++) {
		f[i] = strtok_r(i ? NULL : line, " ", &save);
		if (!f[i])
			return;
	}
	type = strtok_r(dash + 3, " ", &save);
	source = strtok_r(NULL, " ", &save);
	super = strtok_r(NULL, " \n", &save);
	if (!type || !source || !super || strcmp(type, "ocfs2") ||
	    !strstr(super, "cluster_stack="))
		return;
	unescape(f[4]);
	unescape(source);
	if (mtab_uuid_of(source, uuid, sizeof(uuid))) {
		log_err("cannot read the UUID of %s mounted on %s", source, f[4]);
		return;
	}
	mount_seen(uuid, source, f[4]);
}

static void mtab_scan(void)
{
	char line[4096];
	FILE *f = fopen(MOUNTINFO, "r");

	if (!f) {
		log_err("cannot read %s: %s", MOUNTINFO, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		parse_line(line);
	fclose(f);
	mount_table_done();
}

static void mtab_changed(int fd, short revents, void *data)
{
	(void)fd;
	(void)revents;
	(void)data;
	mtab_scan();
}

int mtab_watch(void)
{
	mtab_fd = open(MOUNTINFO, O_RDONLY | O_CLOEXEC);
	if (mtab_fd < 0) {
		log_err("cannot open %s: %s", MOUNTINFO, strerror(errno));
		return -1;
	}
	if (loop_add(mtab_fd, POLLPRI, mtab_changed, NULL)) {
		close(mtab_fd);
		return -1;
	}
	mtab_scan();
	return 0;
}
