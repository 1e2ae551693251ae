// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ocfs2_control, the kernel's side channel from ocfs2_stack_user.
 *
 * Opened at start-up: read the offered protocol tags to EOF, pick T01, then
 * SETN (our node id) and SETV (the negotiated locking protocol) make the
 * handle valid.  From then on the kernel reboots the node if the last valid
 * handle closes while any user-stack mount exists ("unexpected release"),
 * so the daemon must not exit while mounts exist; main.c enforces that.
 * DOWN tells the kernel a node of a mount is gone and fenced.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ocfs2/controld_proto.h"
#include "controld.h"
#include "log.h"

static int control_fd = -1;
static int control_valid;

int control_is_open(void)
{
	return control_fd >= 0 && control_valid;
}

/*
 * OCFS2_CONTROLD_DEVICE names another device for the host tests: a
 * regular file holding "T01\n" behaves like the device (read to EOF, then
 * every write lands after it), so the messages can be checked afterwards.
 */
static int open_device(void)
{
	const char *test_path = getenv("OCFS2_CONTROLD_DEVICE");
	int fd;

	if (test_path) {
		fd = open(test_path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			log_err("cannot open %s: %s", test_path, strerror(errno));
		return fd;
	}
	fd = open(OCFS2_CONTROL_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fd = open(OCFS2_CONTROL_DEVICE_ALT, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		log_err("cannot open %s: %s (is ocfs2_stack_user loaded?)",
			OCFS2_CONTROL_DEVICE, strerror(errno));
	return fd;
}

/* Read the tag list to EOF and check T01 is among the offers. */
static int read_tags(int fd)
{
	char buf[256];
	size_t len = 0;
	ssize_t n;
	int rc;

	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_err("reading the protocol list from ocfs2_control: %s",
				strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	rc = ocfs2_control_parse_tags(buf, len);
	if (rc < 0)
		log_err("ocfs2_control offered a malformed protocol list (%zu bytes)",
			len);
	else if (rc == 0)
		log_err("ocfs2_control does not offer protocol %s",
			OCFS2_CONTROL_PROTO);
	return rc == 1 ? 0 : -1;
}

/* One whole message per write, as the kernel demands. */
static int write_msg(const char *msg, int len, const char *what)
{
	ssize_t n;

	do
		n = write(control_fd, msg, len);
	while (n < 0 && errno == EINTR);
	if (n != len) {
		log_err("ocfs2_control rejected %s \"%.*s\": %s", what, len - 1,
			msg, n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

int control_open(void)
{
	static const char tag[] = OCFS2_CONTROL_PROTO "\n";

	control_fd = open_device();
	if (control_fd < 0)
		return -1;
	if (read_tags(control_fd))
		goto fail;
	if (write_msg(tag, OCFS2_CONTROL_TAG_LEN, "the protocol choice"))
		goto fail;
	return 0;
fail:
	close(control_fd);
	control_fd = -1;
	return -1;
}

int control_set_node_and_version(void)
{
	char msg[OCFS2_CONTROL_MAX_LEN + 1];
	int len;

	if (control_fd < 0 || control_valid)
		return control_valid ? 0 : -1;
	len = ocfs2_control_fmt_setn(msg, sizeof(msg), cluster.our_nodeid);
	if (len < 0 || write_msg(msg, len, "SETN"))
		return -1;
	len = ocfs2_control_fmt_setv(msg, sizeof(msg), cluster.fs_major,
				     cluster.fs_minor);
	if (len < 0 || write_msg(msg, len, "SETV"))
		return -1;
	control_valid = 1;
	log_info("ocfs2_control: node %u, locking protocol %u.%u handed to the kernel",
		 cluster.our_nodeid, cluster.fs_major, cluster.fs_minor);
	return 0;
}

/*
 * With fs/dlm recovery callbacks the kernel learns node deaths from the DLM
 * itself, and a DOWN is redundant.  It is also dangerous there: Debian's
 * 6.1 ocfs2_stack_user BUG()s on every DOWN (a fortified strlen() over the
 * unterminated UUID field), killing the writer.  So DOWN is sent only to
 * kernels without the callbacks, where it is the only way, or when
 * OCFS2_CONTROLD_SEND_DOWN=1 asks for it (a stack known to parse it).
 */
int control_down_needed(void)
{
	const char *force = getenv("OCFS2_CONTROLD_SEND_DOWN");
	FILE *f;
	int v = 0;

	if (force && *force)
		return strcmp(force, "0") != 0;
	f = fopen("/sys/fs/ocfs2/dlm_recover_callback_support", "r");
	if (!f)
		return 1;
	if (fscanf(f, "%d", &v) != 1)
		v = 0;
	fclose(f);
	return v != 1;
}

int control_node_down(const char *uuid, uint32_t nodeid)
{
	char msg[OCFS2_CONTROL_MAX_LEN + 1];
	int len;

	if (!control_is_open()) {
		log_err("cannot report node %u down for %s: ocfs2_control not ready",
			nodeid, uuid);
		return -1;
	}
	/* the kernel BUG()s on a DOWN for itself */
	if (nodeid == cluster.our_nodeid) {
		log_err("refusing to report this node (%u) down for %s", nodeid,
			uuid);
		return -1;
	}
	len = ocfs2_control_fmt_down(msg, sizeof(msg), uuid, nodeid);
	if (len < 0) {
		log_err("cannot encode DOWN for node %u: bad uuid \"%s\"", nodeid,
			uuid);
		return -1;
	}
	return write_msg(msg, len, "DOWN");
}

void control_close(void)
{
	if (control_fd >= 0)
		close(control_fd);
	control_fd = -1;
	control_valid = 0;
}
