// SPDX-License-Identifier: GPL-2.0
/*
 * The client socket: mount.ocfs2 and o2cb talk to the daemon on the
 * abstract unix socket "ocfs2_controld_sock" in fixed 256-byte messages
 * (controld_proto.h).  A connection is read without blocking into its own
 * buffer, so a slow or hostile client cannot stall the daemon; a message
 * that does not parse is answered with STATUS EBADMSG and the connection
 * closed, an out-of-order one with STATUS EINVAL.
 */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "ocfs2/controld_proto.h"
#include "controld.h"
#include "log.h"
#include "loop.h"

#define MAX_CLIENTS 64

struct client {
	int fd;
	int id;
	size_t have;
	char buf[CONTROLD_MSG_LEN];
};

static int nclients, next_id = 1, refused;

int client_id(struct client *c)
{
	return c->id;
}

static void client_close(struct client *c)
{
	log_debug("client %d: closed", c->id);
	mount_client_gone(c);
	loop_del(c->fd);
	close(c->fd);
	nclients--;
	free(c);
}

static int send_msg(struct client *c, enum controld_msg type, int argc,
		    const char *const argv[])
{
	char wire[CONTROLD_MSG_LEN];
	ssize_t n;

	if (controld_msg_format(wire, type, argc, argv)) {
		log_err("client %d: cannot encode %s", c->id,
			controld_msg_name(type));
		return -1;
	}
	n = send(c->fd, wire, sizeof(wire), MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n != (ssize_t)sizeof(wire)) {
		log_warn("client %d: reply %s not delivered: %s", c->id,
			 controld_msg_name(type),
			 n < 0 ? strerror(errno) : "short send");
		return -1;
	}
	return 0;
}

void client_status(struct client *c, int err, const char *fmt, ...)
{
	char num[16], text[200];
	const char *argv[2] = { num, text };
	va_list ap;

	snprintf(num, sizeof(num), "%d", err);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (err && err != EALREADY)
		log_info("client %d: error %d: %s", c->id, err, text);
	send_msg(c, CM_STATUS, 2, argv);
}

void client_list(struct client *c, const char *const *items, int n)
{
	char count[16];
	const char *argv[1] = { count };
	int i;

	snprintf(count, sizeof(count), "%d", n);
	if (send_msg(c, CM_ITEMCOUNT, 1, argv))
		return;
	for (i = 0; i < n; i++)
		if (send_msg(c, CM_ITEM, 1, &items[i]))
			return;
	client_status(c, 0, "OK");
}

static void list_clusters(struct client *c)
{
	const char *items[1] = { cluster.name };

	client_list(c, items, 1);
}

static void dispatch(struct client *c, struct controld_msg_in *m)
{
	log_debug("client %d: %s", c->id, controld_msg_name(m->type));
	switch (m->type) {
	case CM_MOUNT:		mount_client_mount(c, m->argv); break;
	case CM_MRESULT:	mount_client_result(c, m->argv); break;
	case CM_UNMOUNT:	mount_client_unmount(c, m->argv); break;
	case CM_LISTFS:		mount_list_fs(c, m->argv); break;
	case CM_LISTMOUNTS:	mount_list_mounts(c, m->argv); break;
	case CM_LISTCLUSTERS:	list_clusters(c); break;
	case CM_DUMP:		mount_dump(c); break;
	default:
		client_status(c, EINVAL, "%s is a reply, not a request",
			      controld_msg_name(m->type));
	}
}

/* Returns -1 when the connection is to be closed. */
static int handle_message(struct client *c)
{
	struct controld_msg_in m;
	const char *why;

	if (controld_msg_parse(c->buf, sizeof(c->buf), &m, &why)) {
		log_warn("client %d: rejected a message: %s", c->id, why);
		client_status(c, EBADMSG, "Bad message: %s", why);
		return -1;
	}
	dispatch(c, &m);
	return 0;
}

static void client_ready(int fd, short revents, void *data)
{
	struct client *c = data;
	ssize_t n;

	(void)revents;
	n = recv(fd, c->buf + c->have, sizeof(c->buf) - c->have, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (c->have)
			log_warn("client %d: hung up in the middle of a message (%zu bytes)",
				 c->id, c->have);
		client_close(c);
		return;
	}
	c->have += n;
	if (c->have < sizeof(c->buf))
		return;
	c->have = 0;
	if (handle_message(c))
		client_close(c);
}

static void accept_ready(int fd, short revents, void *data)
{
	struct client *c;
	int cfd;

	(void)revents;
	(void)data;
	cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (cfd < 0)
		return;
	if (nclients >= MAX_CLIENTS) {
		/* one line per burst, not one per connection */
		if (refused++ % 100 == 0)
			log_warn("refusing clients: %d connections already open (%d refused)",
				 nclients, refused);
		close(cfd);
		return;
	}
	refused = 0;
	c = calloc(1, sizeof(*c));
	if (!c || loop_add(cfd, POLLIN, client_ready, c)) {
		free(c);
		close(cfd);
		return;
	}
	c->fd = cfd;
	c->id = next_id++;
	nclients++;
	log_debug("client %d: connected", c->id);
}

int client_listen(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_err("cannot create the client socket: %s", strerror(errno));
		return -1;
	}
	/* abstract name: sun_path[0] is NUL, no file to clean up */
	memcpy(addr.sun_path + 1, CONTROLD_SOCK_NAME, strlen(CONTROLD_SOCK_NAME));
	len = offsetof(struct sockaddr_un, sun_path) + 1 +
	      strlen(CONTROLD_SOCK_NAME);
	if (bind(fd, (struct sockaddr *)&addr, len) || listen(fd, 16)) {
		log_err("cannot listen on @%s: %s (another ocfs2_controld running?)",
			CONTROLD_SOCK_NAME, strerror(errno));
		close(fd);
		return -1;
	}
	if (loop_add(fd, POLLIN, accept_ready, NULL)) {
		close(fd);
		return -1;
	}
	return 0;
}
