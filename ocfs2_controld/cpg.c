// SPDX-License-Identifier: GPL-2.0
/*
 * CPG groups.  Each group has its own cpg handle (as stock ocfs2_controld
 * does), so a group's membership callbacks arrive on its own fd.  The
 * confchg callback only records the lists; the work is done after
 * cpg_dispatch returns, in list order, identically on every node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <corosync/cpg.h>
#include "controld.h"
#include "log.h"
#include "loop.h"

struct group {
	struct cpg_name name;
	char cname[CPG_MAX_NAME_LENGTH + 1];
	cpg_handle_t handle;
	int fd;
	int joined;
	int leaving;
	int free_pending;	/* group_free() called from its own callback */
	uint32_t members[MAX_NODES];
	int nmembers;
	const struct group_ops *ops;
	void *data;
};

int group_is_member(struct group *g, uint32_t nodeid)
{
	int i;

	for (i = 0; i < g->nmembers; i++)
		if (g->members[i] == nodeid)
			return 1;
	return 0;
}

int group_members(struct group *g, uint32_t *out, int max)
{
	int i;

	for (i = 0; i < g->nmembers && i < max; i++)
		out[i] = g->members[i];
	return i;
}

int group_member_count(struct group *g)
{
	return g->nmembers;
}

const char *group_name(struct group *g)
{
	return g->cname;
}

static void remember_members(struct group *g, const struct cpg_address *m,
			     size_t n)
{
	size_t i;

	g->nmembers = 0;
	for (i = 0; i < n && i < MAX_NODES; i++)
		g->members[g->nmembers++] = m[i].nodeid;
}

static const char *reason_name(int reason)
{
	switch (reason) {
	case CPG_REASON_LEAVE: return "left cleanly";
	case CPG_REASON_NODEDOWN: return "node down";
	case CPG_REASON_PROCDOWN: return "daemon died";
	default: return "unknown reason";
	}
}

static int is_self(const struct cpg_address *a)
{
	return a->nodeid == cluster.our_nodeid && a->pid == (uint32_t)getpid();
}

static void handle_left(struct group *g, const struct cpg_address *a)
{
	if (is_self(a)) {
		log_debug("group %s: we left", g->cname);
		g->joined = 0;
		if (g->ops->left)
			g->ops->left(g, g->data);
		return;
	}
	log_info("group %s: node %u %s", g->cname, a->nodeid,
		 reason_name(a->reason));
	if (g->joined && g->ops->node_gone)
		g->ops->node_gone(g, a->nodeid, a->reason, g->data);
}

static void handle_joined(struct group *g, const struct cpg_address *a)
{
	if (is_self(a)) {
		if (g->joined)
			return;
		g->joined = 1;
		log_info("group %s: joined, %d member(s)", g->cname,
			 g->nmembers);
		if (g->ops->joined)
			g->ops->joined(g, g->data);
		return;
	}
	log_info("group %s: node %u joined", g->cname, a->nodeid);
	if (g->joined && g->ops->node_up)
		g->ops->node_up(g, a->nodeid, g->data);
}

static void confchg(cpg_handle_t h, const struct cpg_name *name,
		    const struct cpg_address *members, size_t nmembers,
		    const struct cpg_address *left, size_t nleft,
		    const struct cpg_address *joined, size_t njoined)
{
	struct group *g = NULL;
	size_t i;

	(void)name;
	if (cpg_context_get(h, (void **)&g) != CS_OK || !g)
		return;
	remember_members(g, members, nmembers);
	for (i = 0; i < njoined; i++)
		handle_joined(g, &joined[i]);
	for (i = 0; i < nleft; i++)
		handle_left(g, &left[i]);
}

static void deliver(cpg_handle_t h, const struct cpg_name *name,
		    uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct group *g = NULL;

	(void)name;
	(void)pid;
	if (cpg_context_get(h, (void **)&g) != CS_OK || !g)
		return;
	if (g->ops->deliver)
		g->ops->deliver(g, nodeid, msg, len, g->data);
}

static cpg_callbacks_t callbacks = {
	.cpg_deliver_fn = deliver,
	.cpg_confchg_fn = confchg,
};

static struct group *dispatching;

static void group_destroy(struct group *g)
{
	loop_del(g->fd);
	cpg_finalize(g->handle);
	free(g);
}

static void group_ready(int fd, short revents, void *data)
{
	struct group *g = data;
	cs_error_t err;

	(void)fd;
	dispatching = g;
	err = cpg_dispatch(g->handle, CS_DISPATCH_ALL);
	dispatching = NULL;
	if (g->free_pending) {
		group_destroy(g);
		return;
	}
	if (err != CS_OK || (revents & (POLLHUP | POLLERR))) {
		/* stop polling a dead fd; main.c tears the rest down */
		log_debug("group %s: cpg dispatch failed (error %d)", g->cname,
			  err);
		loop_del(g->fd);
		corosync_lost("cpg connection lost");
	}
}

static int join_retrying(struct group *g)
{
	cs_error_t err;
	int tries;

	for (tries = 0; tries < 10; tries++) {
		err = cpg_join(g->handle, &g->name);
		if (err != CS_ERR_TRY_AGAIN)
			break;
		usleep(200000);
	}
	if (err != CS_OK) {
		log_err("group %s: cpg_join failed (error %d)", g->cname, err);
		return -EIO;
	}
	return 0;
}

struct group *group_join(const char *name, const struct group_ops *ops,
			 void *data)
{
	struct group *g;
	size_t len = strlen(name);

	if (len > CPG_MAX_NAME_LENGTH) {
		log_err("group name %s is too long for cpg", name);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	memcpy(g->name.value, name, len);
	g->name.length = len;
	strcpy(g->cname, name);
	g->ops = ops;
	g->data = data;
	if (cpg_initialize(&g->handle, &callbacks) != CS_OK) {
		log_err("group %s: cannot connect to corosync cpg", name);
		goto out_free;
	}
	cpg_context_set(g->handle, g);
	if (cpg_fd_get(g->handle, &g->fd) != CS_OK)
		goto out_finalize;
	if (loop_add(g->fd, POLLIN, group_ready, g))
		goto out_finalize;
	if (join_retrying(g))
		goto out_unwatch;
	log_debug("group %s: join requested", name);
	return g;

out_unwatch:
	loop_del(g->fd);
out_finalize:
	cpg_finalize(g->handle);
out_free:
	free(g);
	return NULL;
}

int group_leave(struct group *g)
{
	cs_error_t err;
	int tries;

	g->leaving = 1;
	for (tries = 0; tries < 10; tries++) {
		err = cpg_leave(g->handle, &g->name);
		if (err != CS_ERR_TRY_AGAIN)
			break;
		usleep(200000);
	}
	if (err != CS_OK) {
		log_err("group %s: cpg_leave failed (error %d)", g->cname, err);
		return -EIO;
	}
	return 0;
}

/*
 * Drop the handle; corosync treats a finalize as leaving the group.  From
 * inside the group's own callback the free waits until dispatch returns.
 */
void group_free(struct group *g)
{
	if (!g)
		return;
	if (g == dispatching) {
		g->free_pending = 1;
		return;
	}
	group_destroy(g);
}

int group_send(struct group *g, const void *msg, size_t len)
{
	struct iovec iov = { (void *)msg, len };
	cs_error_t err;
	int tries;

	for (tries = 0; tries < 10; tries++) {
		err = cpg_mcast_joined(g->handle, CPG_TYPE_AGREED, &iov, 1);
		if (err != CS_ERR_TRY_AGAIN)
			break;
		usleep(100000);
	}
	return err == CS_OK ? 0 : -EIO;
}

int cpg_our_nodeid(uint32_t *nodeid)
{
	cpg_handle_t h;
	unsigned int id;
	cs_error_t err;

	if (cpg_initialize(&h, &callbacks) != CS_OK)
		return -1;
	err = cpg_local_get(h, &id);
	cpg_finalize(h);
	if (err != CS_OK)
		return -1;
	*nodeid = id;
	return 0;
}
