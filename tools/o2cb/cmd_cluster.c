// SPDX-License-Identifier: GPL-2.0
/*
 * o2cb commands that act on the running stack: registering the cluster
 * with the node manager, unregistering it, and telling its status plainly.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "o2cb.h"
#include "o2cb_configfs.h"
#include "o2cb_running.h"

static int stack_ready(void)
{
	enum o2cb_stack_state st = o2cb_stack_state();

	if (st == O2CB_READY)
		return 0;
	o2cb_err("Unable to access cluster service: %s", o2cb_stack_state_hint(st));
	return -ENODEV;
}

static int cmd_register(struct o2cb_ctx *ctx, int argc, char **argv)
{
	char active[64];
	int ret, local;

	if (argc != 2) {
		o2cb_err("usage: register-cluster <clustername>");
		return -EINVAL;
	}
	ret = o2cb_load(ctx);
	if (ret || (ret = stack_ready()))
		return ret;
	if (!o2cb_find_cluster(&ctx->cfg, argv[1])) {
		o2cb_err("Unknown cluster '%s'", argv[1]);
		return -ENOENT;
	}
	if (!o2cb_active_cluster(active, sizeof(active)) && strcmp(active, argv[1])) {
		o2cb_err("Cluster '%s' is already registered; unregister it first "
			 "(o2cb unregister-cluster %s)", active, active);
		return -EBUSY;
	}
	ret = o2cb_register(&ctx->cfg, argv[1], &local);
	if (ret) {
		o2cb_err("%s while registering cluster '%s'", strerror(-ret), argv[1]);
		return ret;
	}
	if (local < 0)
		fprintf(stderr, "o2cb: warning: this host is not a node of cluster '%s' "
			"(no node is named like its hostname)\n", argv[1]);
	if (ctx->verbose)
		printf("Cluster '%s' registered%s\n", argv[1], local < 0 ? "" : ", local node set");
	return 0;
}

static int cmd_unregister(struct o2cb_ctx *ctx, int argc, char **argv)
{
	int ret;

	(void)ctx;
	if (argc != 2) {
		o2cb_err("usage: unregister-cluster <clustername>");
		return -EINVAL;
	}
	ret = stack_ready();
	if (ret)
		return ret;
	ret = o2cb_unregister(argv[1]);
	if (ret == -ENOENT)
		o2cb_err("Cluster '%s' is not registered", argv[1]);
	else if (ret == -EBUSY || ret == -ENOTEMPTY)
		o2cb_err("Cluster '%s' is in use (heartbeat or mounts active); "
			 "unmount its volumes and stop heartbeat first", argv[1]);
	else if (ret)
		o2cb_err("%s while unregistering cluster '%s'", strerror(-ret), argv[1]);
	return ret;
}

/* Subdirectories of PATH: nodes, or heartbeat regions. */
static int count_dirs(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_type == DT_DIR && de->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * Registered is not enough: stock calls a cluster online only with a
 * local node and, in global mode, a beating region.  Says why not (on
 * stderr, stdout stays stock's one line) and returns nonzero.
 */
static int why_offline(const char *cluster)
{
	char path[512], name[80], mode[16] = "";

	if (o2cb_local_node(cluster, name, sizeof(name))) {
		fprintf(stderr, "o2cb: no node of cluster '%s' is marked local: this host "
			"is not one of its nodes (node names must match 'uname -n'); fix "
			"/etc/ocfs2/cluster.conf and run o2cb register-cluster %s\n",
			cluster, cluster);
		return -ENOENT;
	}
	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/heartbeat/mode", cluster);
	o2cb_read_attr(path, mode, sizeof(mode));
	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/heartbeat", cluster);
	if (!strcmp(mode, "global") && count_dirs(path) < 1) {
		fprintf(stderr, "o2cb: cluster '%s' is in global heartbeat mode but no "
			"region beats (o2cb start-heartbeat %s)\n", cluster, cluster);
		return -ENOENT;
	}
	return 0;
}

/* The details an admin needs when the answer is not simply "online". */
static void print_details(const char *cluster)
{
	char path[512], mode[16] = "?", thr[16] = "?";

	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/heartbeat/mode", cluster);
	o2cb_read_attr(path, mode, sizeof(mode));
	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/heartbeat/dead_threshold", cluster);
	o2cb_read_attr(path, thr, sizeof(thr));
	printf("  heartbeat mode %s, dead threshold %s\n", mode, thr);
	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/node", cluster);
	printf("  %d node(s) registered\n", count_dirs(path));
	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/heartbeat", cluster);
	printf("  %d heartbeat region(s) active\n", count_dirs(path));
	if (!o2cb_local_node(cluster, path, sizeof(path)))
		printf("  local node %s\n", path);
}

/*
 * A user stack (pcmk): online once fs/dlm has its cluster name, which
 * dlm_controld sets from corosync (stock asks corosync itself).
 */
static int user_status(struct o2cb_ctx *ctx, const struct o2cb_running *r,
		       const char *name)
{
	if (name && strcmp(name, r->cluster)) {
		o2cb_err("the running %s cluster is '%s'", r->stack, r->cluster);
		printf("Cluster '%s' is offline\n", name);
		return -ENOENT;
	}
	printf("Cluster '%s' is online\n", r->cluster);
	if (ctx->verbose)
		printf("  stack %s (fs/dlm with dlm_controld)\n", r->stack);
	return 0;
}

/* stdout as stock prints it; what is wrong, and what to run, on stderr. */
static int cmd_status(struct o2cb_ctx *ctx, int argc, char **argv)
{
	char active[64];
	const char *name = argc > 1 ? argv[1] : NULL, *why = NULL;
	enum o2cb_stack_state st = o2cb_stack_state();
	struct o2cb_running r;
	int ret = o2cb_running_cluster(&r, &why);

	if (r.user) {
		if (!ret)
			return user_status(ctx, &r, name);
		o2cb_err("Unable to access cluster service: %s", why);
		printf("offline\n");
		return ret;
	}

	if (st != O2CB_READY) {
		o2cb_err("Unable to access cluster service while initializing the cluster");
		o2cb_err("%s", o2cb_stack_state_hint(st));
		printf("offline\n");
		return -ENODEV;
	}
	if (o2cb_active_cluster(active, sizeof(active))) {
		o2cb_err("no cluster is registered (o2cb register-cluster <name>, "
			 "or 'o2cb.init online')");
		printf("offline\n");
		return -ENOENT;
	}
	if (!name)
		name = active;
	if (strcmp(name, active)) {
		o2cb_err("cluster '%s' is the one registered", active);
		printf("Cluster '%s' is offline\n", name);
		return -ENOENT;
	}
	if (why_offline(active)) {
		printf("Cluster '%s' is offline\n", active);
		return -ENOENT;
	}
	printf("Cluster '%s' is online\n", active);
	if (ctx->verbose)
		print_details(active);
	return 0;
}

const struct o2cb_cmd o2cb_cluster_cmds[] = {
	{ "register-cluster", "Registers the cluster with configfs.", cmd_register },
	{ "unregister-cluster", "Unregisters the cluster from configfs.", cmd_unregister },
	{ NULL, NULL, NULL }
};

/* Listed after the heartbeat commands, where ocfs2-tools lists it. */
const struct o2cb_cmd o2cb_status_cmds[] = {
	{ "cluster-status", "Returns 0 if cluster online, 1 otherwise.", cmd_status },
	{ NULL, NULL, NULL }
};
