// SPDX-License-Identifier: GPL-2.0
/*
 * lab-o2net-send: play a misbehaving o2cb node against a lab node, for
 * bad-input scenarios (inside the lab only).  Each CASE gets its own TCP
 * connection: protocol 11 handshake, one frame, then the peer's answer is
 * printed as one line:
 *   CASE: status S sys N     a status frame came back (S the handler's
 *                            return value, N the o2net system error)
 *   CASE: closed             the peer dropped the connection
 *   CASE: silent             nothing within 3 s
 * The peer must take our address for a heartbeating node (see the o2cb
 * bad-input scenarios).  Payloads follow include/ocfs2/o2dlm_fmt.h.
 *
 * usage: lab-o2net-send [-i NODE] [-v NODE] [-p PORT] [-c DIR] HOST DOMAIN CASE...
 *   -i  node number written into the payloads (default 20)
 *   -v  the live member that forged recovery/exit/deref messages name
 *       (default 1)
 *   -c  the cluster's configfs directory, whose timeouts the handshake
 *       must match (default /sys/kernel/config/cluster/lab)
 * cases: magic oversize truncated unknown nodomain short badname create
 *        assert migboth migcount migbogus reco finalize exit deref
 *   a lock name of 200 bytes (the maximum is 64) in every other message
 *   that carries one: reqname assertname convname unlockname astname
 *   derefname; and a lock request for mode 9: badmode
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ocfs2/o2dlm_fmt.h>
#include <ocfs2/o2net_fmt.h>

static unsigned char me = 20;
static unsigned char victim = 1;	/* a live member forged messages name */
static unsigned int dlm_key;
static const char *cluster_dir = "/sys/kernel/config/cluster/lab";

static unsigned int cluster_value(const char *name, unsigned int dflt)
{
	char path[512];
	unsigned int v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", cluster_dir, name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fscanf(f, "%u", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

static unsigned int crc32_le0(const char *s)
{
	unsigned int crc = 0;
	int i;

	for (; *s; s++) {
		crc ^= (unsigned char)*s;
		for (i = 0; i < 8; i++)
			crc = (crc >> 1) ^ (crc & 1 ? 0xedb88320 : 0);
	}
	return crc;
}

static int peer_connect(const char *host, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || inet_pton(AF_INET, host, &sin.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int read_full(int fd, void *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		if (poll(&p, 1, ms) <= 0)
			return -2;
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

/* the peer's handshake must come back, or it refused us already */
static int handshake(int fd)
{
	struct o2net_handshake hs = {
		.protocol_version = htobe64(O2NET_PROTOCOL_VERSION),
		.connector_id = htobe64(O2NET_CONNECTOR_ID),
		.o2hb_heartbeat_timeout_ms =
			htonl(2000 * (cluster_value("heartbeat/dead_threshold",
						    31) - 1)),
		.o2net_idle_timeout_ms =
			htonl(cluster_value("idle_timeout_ms", 30000)),
		.o2net_keepalive_delay_ms =
			htonl(cluster_value("keepalive_delay_ms", 2000)),
		.o2net_reconnect_delay_ms =
			htonl(cluster_value("reconnect_delay_ms", 2000)),
	};
	struct o2net_handshake back;

	if (write(fd, &hs, sizeof(hs)) != sizeof(hs))
		return -1;
	return read_full(fd, &back, sizeof(back), 3000);
}

struct frame {
	struct o2net_msg	hdr;
	unsigned char		buf[O2NET_MAX_PAYLOAD_BYTES + 1024];
};

static void frame_init(struct frame *f, unsigned int type, unsigned int key,
		       size_t len)
{
	memset(&f->hdr, 0, sizeof(f->hdr));
	f->hdr.magic = htons(O2NET_MSG_MAGIC);
	f->hdr.msg_type = htons(type);
	f->hdr.key = htonl(key);
	f->hdr.msg_num = htonl(7);
	f->hdr.data_len = htons(len);
}

static void name_into(unsigned char *dst, unsigned char *len, const char *n)
{
	*len = strlen(n);
	memcpy(dst, n, *len);
}

static size_t create_lock(struct frame *f, const char *name, int namelen)
{
	struct o2dlm_create_lock *c = (void *)f->buf;

	c->cookie = htobe64(((unsigned long long)me << 56) | 1);
	c->node_idx = me;
	c->requested_type = O2DLM_EXMODE;
	name_into(c->name, &c->namelen, name);
	if (namelen >= 0)
		c->namelen = namelen;
	return sizeof(*c);
}

static size_t mig_lockres(struct frame *f, unsigned char flags, int n,
			  int sent)
{
	struct o2dlm_migratable_lockres *m = (void *)f->buf;
	int i;

	m->master = me;
	name_into(m->lockname, &m->lockname_len, "held");
	m->flags = flags;
	m->num_locks = n;
	m->total_locks = htonl(n);
	for (i = 0; i < sent; i++) {
		m->ml[i].cookie = htobe64(((unsigned long long)me << 56) | (i + 2));
		m->ml[i].list = 0;	/* granted */
		m->ml[i].type = O2DLM_EXMODE;
		m->ml[i].convert_type = O2DLM_IVMODE;
		m->ml[i].highest_blocked = O2DLM_IVMODE;
		m->ml[i].node = me;
	}
	return offsetof(struct o2dlm_migratable_lockres, ml) +
	       sent * sizeof(m->ml[0]);
}

/*
 * A message that names a lock, "held" with a name length of 200 (more
 * than the name field holds); 0 for a case not of this kind.
 */
static size_t long_name(struct frame *f, const char *c)
{
	struct o2dlm_master_request *rq = (void *)f->buf;
	struct o2dlm_convert_lock *cv = (void *)f->buf;
	struct o2dlm_unlock_lock *ul = (void *)f->buf;
	struct o2dlm_proxy_ast *pa = (void *)f->buf;
	struct o2dlm_deref_lockres *dr = (void *)f->buf;
	unsigned int type;
	size_t len;

	if (!strcmp(c, "reqname") || !strcmp(c, "assertname")) {
		/* the two have one layout */
		rq->node_idx = me;
		name_into(rq->name, &rq->namelen, "held");
		rq->namelen = 200;
		len = sizeof(*rq);
		type = c[0] == 'r' ? O2DLM_MASTER_REQUEST_MSG :
				     O2DLM_ASSERT_MASTER_MSG;
	} else if (!strcmp(c, "derefname")) {
		dr->node_idx = me;
		name_into(dr->name, &dr->namelen, "held");
		dr->namelen = 200;
		len = sizeof(*dr);
		type = O2DLM_DEREF_LOCKRES_MSG;
	} else if (!strcmp(c, "convname")) {
		cv->cookie = htobe64(((unsigned long long)me << 56) | 1);
		cv->node_idx = me;
		cv->requested_type = O2DLM_PRMODE;
		name_into(cv->name, &cv->namelen, "held");
		cv->namelen = 200;
		len = sizeof(*cv);
		type = O2DLM_CONVERT_LOCK_MSG;
	} else if (!strcmp(c, "unlockname")) {
		ul->cookie = htobe64(((unsigned long long)me << 56) | 1);
		ul->node_idx = me;
		name_into(ul->name, &ul->namelen, "held");
		ul->namelen = 200;
		len = sizeof(*ul);
		type = O2DLM_UNLOCK_LOCK_MSG;
	} else if (!strcmp(c, "astname")) {
		pa->cookie = htobe64(((unsigned long long)me << 56) | 1);
		pa->node_idx = me;
		pa->type = O2DLM_AST;
		name_into(pa->name, &pa->namelen, "held");
		pa->namelen = 200;
		len = sizeof(*pa);
		type = O2DLM_PROXY_AST_MSG;
	} else {
		return 0;
	}
	frame_init(f, type, dlm_key, len);
	return sizeof(f->hdr) + len;
}

/* builds CASE into f; returns the bytes to write, 0 for an unknown case */
static size_t build(struct frame *f, const char *c)
{
	size_t len = 0;

	memset(f, 0, sizeof(*f));
	if (!strcmp(c, "magic")) {
		frame_init(f, 1, 0x1234, 0);
		f->hdr.magic = htons(0x1234);
	} else if (!strcmp(c, "oversize")) {
		frame_init(f, O2DLM_CREATE_LOCK_MSG, dlm_key, 0);
		f->hdr.data_len = htons(O2NET_MAX_PAYLOAD_BYTES + 100);
		return sizeof(f->hdr) + O2NET_MAX_PAYLOAD_BYTES + 100;
	} else if (!strcmp(c, "truncated")) {
		len = create_lock(f, "held", -1);
		frame_init(f, O2DLM_CREATE_LOCK_MSG, dlm_key, len);
		return sizeof(f->hdr) + 10;	/* then the sender goes quiet */
	} else if (!strcmp(c, "unknown")) {
		frame_init(f, 999, dlm_key, 0);
	} else if (!strcmp(c, "nodomain")) {
		len = create_lock(f, "held", -1);
		frame_init(f, O2DLM_CREATE_LOCK_MSG, crc32_le0("nosuchdomain"),
			   len);
	} else if (!strcmp(c, "short")) {
		create_lock(f, "held", -1);
		len = 8;
		frame_init(f, O2DLM_CREATE_LOCK_MSG, dlm_key, len);
	} else if (!strcmp(c, "badname")) {
		len = create_lock(f, "held", 200);
		frame_init(f, O2DLM_CREATE_LOCK_MSG, dlm_key, len);
	} else if (!strcmp(c, "create")) {
		len = create_lock(f, "held", -1);
		frame_init(f, O2DLM_CREATE_LOCK_MSG, dlm_key, len);
	} else if (!strcmp(c, "badmode")) {
		len = create_lock(f, "held", -1);
		((struct o2dlm_create_lock *)f->buf)->requested_type = 9;
		frame_init(f, O2DLM_CREATE_LOCK_MSG, dlm_key, len);
	} else if (!strcmp(c, "assert")) {
		struct o2dlm_assert_master *a = (void *)f->buf;

		a->node_idx = me;
		name_into(a->name, &a->namelen, "held");
		len = sizeof(*a);
		frame_init(f, O2DLM_ASSERT_MASTER_MSG, dlm_key, len);
	} else if (!strcmp(c, "migboth")) {
		len = mig_lockres(f, O2DLM_MRES_RECOVERY | O2DLM_MRES_MIGRATION |
				  O2DLM_MRES_ALL_DONE, 1, 1);
		frame_init(f, O2DLM_MIG_LOCKRES_MSG, dlm_key, len);
	} else if (!strcmp(c, "migcount")) {
		len = mig_lockres(f, O2DLM_MRES_MIGRATION | O2DLM_MRES_ALL_DONE,
				  200, 1);
		frame_init(f, O2DLM_MIG_LOCKRES_MSG, dlm_key, len);
	} else if (!strcmp(c, "migbogus")) {
		len = mig_lockres(f, O2DLM_MRES_MIGRATION | O2DLM_MRES_ALL_DONE,
				  1, 1);
		frame_init(f, O2DLM_MIG_LOCKRES_MSG, dlm_key, len);
	} else if (!strcmp(c, "reco")) {
		struct o2dlm_reco_msg *r = (void *)f->buf;

		r->node_idx = me;
		r->dead_node = victim;
		len = sizeof(*r);
		frame_init(f, O2DLM_BEGIN_RECO_MSG, dlm_key, len);
	} else if (!strcmp(c, "finalize")) {
		struct o2dlm_finalize_reco *r = (void *)f->buf;

		r->node_idx = me;
		r->dead_node = victim;
		r->flags = 1;
		len = sizeof(*r);
		frame_init(f, O2DLM_FINALIZE_RECO_MSG, dlm_key, len);
	} else if (!strcmp(c, "exit")) {
		struct o2dlm_exit_domain *e = (void *)f->buf;

		e->node_idx = victim;	/* claims to be the victim */
		len = sizeof(*e);
		frame_init(f, O2DLM_EXIT_DOMAIN_MSG, dlm_key, len);
	} else if (!strcmp(c, "deref")) {
		struct o2dlm_deref_lockres *d = (void *)f->buf;

		d->node_idx = victim;
		name_into(d->name, &d->namelen, "held");
		len = sizeof(*d);
		frame_init(f, O2DLM_DEREF_LOCKRES_MSG, dlm_key, len);
	} else {
		return long_name(f, c);
	}
	return sizeof(f->hdr) + len;
}

static void report(const char *c, int fd)
{
	struct o2net_msg r;
	int ret;

	for (;;) {
		ret = read_full(fd, &r, sizeof(r), 3000);
		if (ret == -2) {
			printf("%s: silent\n", c);
			return;
		}
		if (ret < 0) {
			printf("%s: closed\n", c);
			return;
		}
		if (ntohs(r.magic) == O2NET_MSG_STATUS_MAGIC)
			break;
		/* keepalives and the like: skip their payload */
		if (ntohs(r.data_len)) {
			static char skip[O2NET_MAX_FRAME_BYTES];

			if (read_full(fd, skip, ntohs(r.data_len), 3000)) {
				printf("%s: closed\n", c);
				return;
			}
		}
	}
	printf("%s: status %d sys %u\n", c, (int)ntohl(r.status),
	       ntohl(r.sys_status));
}

/*
 * The peer refuses a second connection from a node while it still tears
 * down the last one: try again a few times.  -1 no connection, -2 no
 * handshake.
 */
static int connect_peer(const char *host, int port)
{
	int fd = -1, tries;

	for (tries = 0; tries < 10; tries++) {
		if (tries)
			usleep(300000);
		fd = peer_connect(host, port);
		if (fd < 0)
			continue;
		if (!handshake(fd))
			return fd;
		close(fd);
		fd = -2;
	}
	return fd;
}

static int one_case(const char *host, int port, const char *c)
{
	static struct frame f;
	size_t len = build(&f, c);
	int fd;

	if (!len) {
		fprintf(stderr, "lab-o2net-send: unknown case %s\n", c);
		return 2;
	}
	fd = connect_peer(host, port);
	if (fd < 0) {
		printf("%s: %s\n", c, fd == -1 ? "connect failed" :
		       "handshake refused");
		return 1;
	}
	if (write(fd, &f, len) != (ssize_t)len)
		printf("%s: write cut short\n", c);
	report(c, fd);
	fflush(stdout);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int c, port = 7777, rc = 0;

	while ((c = getopt(argc, argv, "i:v:p:c:")) != -1) {
		if (c == 'i')
			me = atoi(optarg);
		else if (c == 'v')
			victim = atoi(optarg);
		else if (c == 'p')
			port = atoi(optarg);
		else if (c == 'c')
			cluster_dir = optarg;
		else
			goto usage;
	}
	if (argc - optind < 3)
		goto usage;
	/* a peer that hangs up on a bad frame is an answer, not our end */
	signal(SIGPIPE, SIG_IGN);
	dlm_key = crc32_le0(argv[optind + 1]);
	for (c = optind + 2; c < argc; c++)
		rc |= one_case(argv[optind], port, argv[c]);
	return rc;
usage:
	fprintf(stderr, "usage: lab-o2net-send [-i NODE] [-v NODE] [-p PORT] [-c DIR] HOST DOMAIN CASE...\n");
	return 2;
}
