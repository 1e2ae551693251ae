// SPDX-License-Identifier: GPL-2.0
/*
 * Mount groups: one per mounted user-stack volume, joined as the CPG group
 * named by the volume UUID (as stock ocfs2_controld names it).  A group
 * starts from either side:
 *  - mount.ocfs2 asks first (MOUNT), we join, answer, it mounts and reports
 *    (MRESULT); UNMOUNT leaves;
 *  - a mount appears in the mount table without asking (mount.ocfs2 skips
 *    the daemon when the kernel has DLM recovery callbacks): it is adopted,
 *    and its disappearance leaves the group.
 * A member lost with its node (or daemon) is reported to the kernel with
 * DOWN once fence.c says it is known fenced; a clean leave is not.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <corosync/cpg.h>
#include "ocfs2/controld_proto.h"
#include "controld.h"
#include "log.h"

struct service {			/* one mount point of the volume */
	struct service *next;
	char dir[PATH_MAX];
	int confirmed;			/* mounted (MRESULT 0 or mount table) */
	int in_mtab, seen_in_mtab;
};

struct down {
	uint32_t nodeid;
	time_t failed_at;
	const char *last_how;
};

struct mountgroup {
	struct mountgroup *next;
	char uuid[OCFS2_CONTROL_UUID_LEN + 1];
	char device[PATH_MAX];
	struct group *group;
	int joined;
	struct service *services;
	struct client *mounter;		/* MOUNT until MRESULT */
	struct service *in_progress;
	struct client *unmounter;	/* UNMOUNT until we left */
	int leaving;			/* cpg_leave sent, waiting for it */
	uint32_t members[MAX_NODES];	/* last membership, for reconnects */
	int nmembers;
	struct down downs[MAX_NODES];
	int ndowns;
};

static struct mountgroup *groups;
static time_t lost_at;

int mount_count(void)
{
	struct mountgroup *mg;
	int n = 0;

	for (mg = groups; mg; mg = mg->next)
		n++;
	return n;
}

static struct mountgroup *find_mg(const char *uuid)
{
	struct mountgroup *mg;

	for (mg = groups; mg; mg = mg->next)
		if (!strcmp(mg->uuid, uuid))
			return mg;
	return NULL;
}

static struct service *find_service(struct mountgroup *mg, const char *dir)
{
	struct service *s;

	for (s = mg->services; s; s = s->next)
		if (!strcmp(s->dir, dir))
			return s;
	return NULL;
}

static struct service *add_service(struct mountgroup *mg, const char *dir)
{
	struct service *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	s->next = mg->services;
	mg->services = s;
	return s;
}

static void drop_service(struct mountgroup *mg, struct service *s)
{
	struct service **p;

	for (p = &mg->services; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	if (mg->in_progress == s)
		mg->in_progress = NULL;
	free(s);
}

static void free_mg(struct mountgroup *mg)
{
	struct mountgroup **p;

	for (p = &groups; *p; p = &(*p)->next) {
		if (*p == mg) {
			*p = mg->next;
			break;
		}
	}
	while (mg->services)
		drop_service(mg, mg->services);
	group_free(mg->group);
	free(mg);
}

/* ---- group callbacks ---- */

static void remember(struct mountgroup *mg)
{
	mg->nmembers = group_members(mg->group, mg->members, MAX_NODES);
}

static void queue_down(struct mountgroup *mg, uint32_t nodeid, time_t when)
{
	int i;

	if (nodeid == cluster.our_nodeid)
		return;
	for (i = 0; i < mg->ndowns; i++)
		if (mg->downs[i].nodeid == nodeid)
			return;
	if (mg->ndowns == MAX_NODES)
		return;
	mg->downs[mg->ndowns++] = (struct down){ nodeid, when, NULL };
	log_info("volume %s: node %u is gone; node-down held until it is known fenced (%s)",
		 mg->uuid, nodeid, fence_method());
}

/* After a reconnect: members we knew of that are missing now failed. */
static void missing_since_lost(struct mountgroup *mg)
{
	uint32_t old[MAX_NODES];
	int i, n = mg->nmembers;

	memcpy(old, mg->members, sizeof(old));
	remember(mg);
	for (i = 0; i < n; i++)
		if (!group_is_member(mg->group, old[i]))
			queue_down(mg, old[i], lost_at);
}

static void mg_joined(struct group *g, void *data)
{
	struct mountgroup *mg = data;

	(void)g;
	mg->joined = 1;
	if (mg->nmembers)
		missing_since_lost(mg);
	else
		remember(mg);
	if (mg->mounter && mg->in_progress && !mg->in_progress->confirmed)
		client_status(mg->mounter, 0, "OK");
}

static void mg_left(struct group *g, void *data)
{
	struct mountgroup *mg = data;

	(void)g;
	mg->joined = 0;
	if (mg->services) {
		log_err("volume %s: dropped out of its group while mounted",
			mg->uuid);
		return;
	}
	log_info("volume %s: left its group", mg->uuid);
	if (mg->unmounter)
		client_status(mg->unmounter, 0, "OK");
	free_mg(mg);
}

static void mg_node_up(struct group *g, uint32_t nodeid, void *data)
{
	struct mountgroup *mg = data;
	int i;

	(void)g;
	remember(mg);
	for (i = 0; i < mg->ndowns; i++)
		if (mg->downs[i].nodeid == nodeid)
			log_warn("volume %s: node %u is back before it was known fenced",
				 mg->uuid, nodeid);
}

static void mg_node_gone(struct group *g, uint32_t nodeid, int reason,
			 void *data)
{
	struct mountgroup *mg = data;

	(void)g;
	remember(mg);
	if (reason == CPG_REASON_NODEDOWN || reason == CPG_REASON_PROCDOWN)
		queue_down(mg, nodeid, time(NULL));
}

static const struct group_ops mg_ops = {
	.joined = mg_joined,
	.left = mg_left,
	.node_up = mg_node_up,
	.node_gone = mg_node_gone,
};

static struct mountgroup *new_mg(const char *uuid, const char *device)
{
	struct mountgroup *mg = calloc(1, sizeof(*mg));

	if (!mg)
		return NULL;
	snprintf(mg->uuid, sizeof(mg->uuid), "%s", uuid);
	snprintf(mg->device, sizeof(mg->device), "%s", device);
	mg->next = groups;
	groups = mg;
	if (cluster.connected) {
		mg->group = group_join(uuid, &mg_ops, mg);
		if (!mg->group) {
			free_mg(mg);
			return NULL;
		}
	}
	return mg;
}

/* Last mount point gone: leave (or forget, if never joined). */
static void maybe_leave(struct mountgroup *mg)
{
	if (mg->services || mg->leaving)
		return;
	if (mg->group && mg->joined && group_leave(mg->group) == 0) {
		mg->leaving = 1;
		return;
	}
	if (mg->unmounter)
		client_status(mg->unmounter, 0, "OK");
	free_mg(mg);
}

/* ---- client requests ---- */

static int check_common(struct client *c, const char *fstype,
			const char *uuid)
{
	if (strcmp(fstype, CONTROLD_FSTYPE)) {
		client_status(c, EINVAL, "Invalid filesystem type %s", fstype);
		return -1;
	}
	if (!ocfs2_control_uuid_valid(uuid)) {
		client_status(c, EINVAL, "Invalid volume UUID %.40s", uuid);
		return -1;
	}
	return 0;
}

static int check_can_mount(struct client *c, const char *cluster_name)
{
	if (strcmp(cluster_name, cluster.name)) {
		client_status(c, EINVAL, "Invalid cluster name %s: this cluster is %s",
			      cluster_name, cluster.name);
		return -1;
	}
	if (!cluster.connected || !cluster.quorate) {
		client_status(c, ENOLCK, "Cluster %s has no quorum: mount refused",
			      cluster.name);
		log_warn("refused a mount: cluster %s has no quorum", cluster.name);
		return -1;
	}
	if (!control_is_open()) {
		client_status(c, EAGAIN, "Daemon not ready: locking protocol not negotiated yet");
		return -1;
	}
	return 0;
}

static void mount_more(struct client *c, struct mountgroup *mg,
		       const char *device, const char *dir)
{
	if (strcmp(mg->device, device)) {
		client_status(c, EINVAL, "Volume %s is mounted from %s, not %s",
			      mg->uuid, mg->device, device);
		return;
	}
	if (find_service(mg, dir)) {
		client_status(c, EBUSY, "Volume %s is already mounted on %s",
			      mg->uuid, dir);
		return;
	}
	if (mg->leaving) {
		client_status(c, EBUSY, "Volume %s is leaving its group; retry",
			      mg->uuid);
		return;
	}
	if (mg->mounter || !mg->joined) {
		client_status(c, EBUSY, "Another mount of %s is in progress",
			      mg->uuid);
		return;
	}
	mg->in_progress = add_service(mg, dir);
	if (!mg->in_progress) {
		client_status(c, ENOMEM, "Out of memory");
		return;
	}
	mg->mounter = c;
	client_status(c, EALREADY, "Already mounted, go ahead");
}

/* MOUNT fstype uuid cluster device dir */
void mount_client_mount(struct client *c, char **argv)
{
	struct mountgroup *mg;

	if (check_common(c, argv[0], argv[1]) || check_can_mount(c, argv[2]))
		return;
	log_info("client %d: mount of %s (%s) on %s", client_id(c), argv[1],
		 argv[3], argv[4]);
	mg = find_mg(argv[1]);
	if (mg) {
		mount_more(c, mg, argv[3], argv[4]);
		return;
	}
	mg = new_mg(argv[1], argv[3]);
	if (!mg) {
		client_status(c, EIO, "Unable to join group %s", argv[1]);
		return;
	}
	mg->in_progress = add_service(mg, argv[4]);
	if (!mg->in_progress) {
		free_mg(mg);
		client_status(c, ENOMEM, "Out of memory");
		return;
	}
	mg->mounter = c;	/* answered when the join completes */
}

static struct mountgroup *find_by_mounter(struct client *c)
{
	struct mountgroup *mg;

	for (mg = groups; mg; mg = mg->next)
		if (mg->mounter == c)
			return mg;
	return NULL;
}

static int parse_errno(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = v;
	return 0;
}

/* MRESULT fstype uuid errno dir */
void mount_client_result(struct client *c, char **argv)
{
	struct mountgroup *mg = find_by_mounter(c);
	struct service *s;
	int err;

	if (!mg || !mg->joined || strcmp(mg->uuid, argv[1]) || !mg->in_progress) {
		client_status(c, EINVAL, "No mount of %.40s in progress on this connection",
			      argv[1]);
		return;
	}
	s = mg->in_progress;
	if (strcmp(s->dir, argv[3])) {
		client_status(c, EINVAL, "Mount in progress is on %s, not %s",
			      s->dir, argv[3]);
		return;
	}
	if (parse_errno(argv[2], &err)) {
		client_status(c, EINVAL, "Invalid error code %s", argv[2]);
		return;
	}
	mg->mounter = NULL;
	mg->in_progress = NULL;
	if (err == 0) {
		s->confirmed = 1;
		log_info("volume %s: mounted on %s", mg->uuid, s->dir);
	} else {
		log_info("volume %s: mount on %s failed (%s)", mg->uuid, s->dir,
			 strerror(abs(err)));
		drop_service(mg, s);
	}
	client_status(c, 0, "OK");
	maybe_leave(mg);
}

/* UNMOUNT fstype uuid dir */
void mount_client_unmount(struct client *c, char **argv)
{
	struct mountgroup *mg;
	struct service *s;

	if (check_common(c, argv[0], argv[1]))
		return;
	mg = find_mg(argv[1]);
	s = mg ? find_service(mg, argv[2]) : NULL;
	if (!s) {
		client_status(c, ENOENT, "Volume %s is not mounted on %s",
			      argv[1], argv[2]);
		return;
	}
	if (s == mg->in_progress) {
		client_status(c, EBUSY, "Mount of %s on %s is still in progress",
			      argv[1], argv[2]);
		return;
	}
	log_info("volume %s: unmounted from %s", mg->uuid, s->dir);
	drop_service(mg, s);
	if (mg->services) {
		client_status(c, 0, "OK");
		return;
	}
	mg->unmounter = c;	/* answered once we left */
	maybe_leave(mg);
}

void mount_client_gone(struct client *c)
{
	struct mountgroup *mg, *next;

	for (mg = groups; mg; mg = next) {
		next = mg->next;
		if (mg->unmounter == c)
			mg->unmounter = NULL;
		if (mg->mounter != c)
			continue;
		mg->mounter = NULL;
		if (mg->in_progress && !mg->in_progress->seen_in_mtab) {
			log_warn("volume %s: mounter went away before reporting; mount on %s abandoned",
				 mg->uuid, mg->in_progress->dir);
			drop_service(mg, mg->in_progress);
			maybe_leave(mg);
		} else if (mg->in_progress) {
			mg->in_progress->confirmed = 1;
			mg->in_progress = NULL;
		}
	}
}

/* LISTFS fstype cluster: the UUIDs of the groups */
void mount_list_fs(struct client *c, char **argv)
{
	const char *items[64];
	struct mountgroup *mg;
	int n = 0;

	if (strcmp(argv[0], CONTROLD_FSTYPE) || strcmp(argv[1], cluster.name)) {
		client_status(c, EINVAL, "Invalid filesystem type or cluster name");
		return;
	}
	for (mg = groups; mg && n < 64; mg = mg->next)
		items[n++] = mg->uuid;
	client_list(c, items, n);
}

/* LISTMOUNTS fstype uuid: the mount points of one volume */
void mount_list_mounts(struct client *c, char **argv)
{
	const char *items[64];
	struct mountgroup *mg;
	struct service *s;
	int n = 0;

	if (check_common(c, argv[0], argv[1]))
		return;
	mg = find_mg(argv[1]);
	for (s = mg ? mg->services : NULL; s && n < 64; s = s->next)
		items[n++] = s->dir;
	client_list(c, items, n);
}

void mount_dump(struct client *c)
{
	static char lines[66][200];
	const char *items[66];
	struct mountgroup *mg;
	int n = 0;

	snprintf(lines[n++], 200, "cluster %s node %u %s %s protocol %u.%u",
		 cluster.name, cluster.our_nodeid,
		 cluster.connected ? "connected" : "disconnected",
		 cluster.quorate ? "quorate" : "inquorate", cluster.fs_major,
		 cluster.fs_minor);
	for (mg = groups; mg && n < 65; mg = mg->next)
		snprintf(lines[n++], 200, "volume %s %s members %d pending-down %d",
			 mg->uuid, mg->joined ? "joined" : "not-joined",
			 mg->nmembers, mg->ndowns);
	for (int i = 0; i < n; i++)
		items[i] = lines[i];
	client_list(c, items, n);
}

/* ---- the mount table ---- */

void mount_seen(const char *uuid, const char *device, const char *dir)
{
	struct mountgroup *mg = find_mg(uuid);
	struct service *s;

	if (!mg) {
		log_info("volume %s: mounted on %s without asking the daemon; joining its group",
			 uuid, dir);
		mg = new_mg(uuid, device);
		if (!mg)
			return;
	}
	s = find_service(mg, dir);
	if (!s) {
		s = add_service(mg, dir);
		if (!s)
			return;
		s->confirmed = 1;
	}
	s->in_mtab = 1;
	s->seen_in_mtab = 1;
}

/* Mount points that left the table (unmounted without UNMOUNT). */
void mount_table_done(void)
{
	struct mountgroup *mg, *next;

	for (mg = groups; mg; mg = next) {
		struct service *s = mg->services, *sn;

		next = mg->next;
		for (; s; s = sn) {
			sn = s->next;
			if (!s->in_mtab && s->seen_in_mtab &&
			    s != mg->in_progress) {
				log_info("volume %s: unmounted from %s", mg->uuid,
					 s->dir);
				drop_service(mg, s);
				continue;
			}
			s->in_mtab = 0;
		}
		if (!mg->services && !mg->mounter)
			maybe_leave(mg);
	}
}

/* ---- node-down reports and reconnects ---- */

static void try_down(struct mountgroup *mg, int i)
{
	struct down *d = &mg->downs[i];
	const char *how = "";

	if (!fence_known(d->nodeid, mg->uuid, d->failed_at, &how)) {
		if (how != d->last_how)
			log_info("volume %s: node %u: %s", mg->uuid, d->nodeid,
				 how);
		d->last_how = how;
		return;
	}
	if (!control_down_needed())
		log_info("volume %s: node %u known fenced (%s): the kernel has it from fs/dlm (recovery callbacks), no DOWN needed",
			 mg->uuid, d->nodeid, how);
	else if (control_node_down(mg->uuid, d->nodeid) == 0)
		log_info("volume %s: node %u known fenced (%s): DOWN sent to the kernel",
			 mg->uuid, d->nodeid, how);
	mg->downs[i] = mg->downs[--mg->ndowns];
}

void mount_tick(void)
{
	struct mountgroup *mg;
	int i;

	for (mg = groups; mg; mg = mg->next)
		for (i = mg->ndowns - 1; i >= 0; i--)
			try_down(mg, i);
}

void mount_corosync_lost(void)
{
	struct mountgroup *mg;

	lost_at = time(NULL);
	for (mg = groups; mg; mg = mg->next) {
		group_free(mg->group);
		mg->group = NULL;
		mg->joined = 0;
	}
}

void mount_corosync_back(void)
{
	struct mountgroup *mg;

	for (mg = groups; mg; mg = mg->next) {
		mg->group = group_join(mg->uuid, &mg_ops, mg);
		if (!mg->group)
			log_err("volume %s: cannot rejoin its group", mg->uuid);
	}
}
