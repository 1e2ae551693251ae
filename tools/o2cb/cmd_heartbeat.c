// SPDX-License-Identifier: GPL-2.0
/*
 * o2cb start-heartbeat / stop-heartbeat: the global heartbeat regions of
 * a registered cluster.  In global mode the regions are the devices the
 * configuration lists (by volume UUID), found by scanning the disks, and
 * they beat for the whole cluster rather than per mount.  In local mode
 * both commands do nothing: mount.ocfs2 starts per-volume heartbeat.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "o2cb.h"
#include "o2cb_configfs.h"
#include "o2cb_hb.h"

static int stack_up(void)
{
	enum o2cb_stack_state st = o2cb_stack_state();

	if (st == O2CB_READY)
		return 0;
	o2cb_err("Unable to access cluster service while initializing the cluster");
	o2cb_err("%s", o2cb_stack_state_hint(st));
	return -ENODEV;
}

/* Registered, as stock means it: the active cluster, with a local node. */
static bool registered(const char *cluster)
{
	char active[64], node[80];

	return !o2cb_active_cluster(active, sizeof(active)) && !strcmp(active, cluster) &&
	       !o2cb_local_node(cluster, node, sizeof(node));
}

static int check_mode(const char *cluster, bool *global)
{
	int ret = o2cb_hb_global(cluster, global);

	if (ret)
		o2cb_err("%s while checking the heartbeat mode", o2cb_hb_strerror(ret));
	return ret;
}

/* Stop every active region, or (ONLY_UNLISTED) those the config dropped. */
static int stop_regions(struct o2cb_ctx *ctx, const char *cluster, bool only_unlisted)
{
	char path[PATH_MAX];
	struct dirent *de;
	int ret = 0, r;
	DIR *d;

	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/heartbeat", cluster);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (only_unlisted &&
		    o2cb_find_member(&ctx->cfg, "heartbeat", cluster, "region", de->d_name))
			continue;
		r = o2cb_hb_stop(cluster, de->d_name);
		if (r) {
			o2cb_err("%s while stopping heartbeat on region '%s'",
				 o2cb_hb_strerror(r), de->d_name);
			ret = ret ?: r;
		}
	}
	closedir(d);
	return ret;
}

static int start_region(const char *cluster, const char *uuid)
{
	struct o2cb_volume vol;
	char dev[PATH_MAX];
	int ret = o2cb_volume_find(uuid, dev, sizeof(dev));

	if (!ret)
		ret = o2cb_volume_read(dev, &vol);
	if (ret) {
		o2cb_err("Heartbeat region could not be found %s", uuid);
		return ret;
	}
	ret = o2cb_hb_start(cluster, &vol.region);
	if (ret)
		o2cb_err("%s while starting heartbeat on region '%s'",
			 o2cb_hb_strerror(ret), uuid);
	return ret;
}

/*
 * Exit codes and messages are stock's, including its quirks: an
 * unregistered cluster is reported but exits 0; stop says "Global
 * heartbeat stopped" in local mode too (and touches nothing there).
 */
static int cmd_start_hb(struct o2cb_ctx *ctx, int argc, char **argv)
{
	struct o2cb_stanza *hb = NULL;
	bool global = false;
	int ret;

	if (argc < 2) {
		o2cb_err("usage: start-heartbeat <clustername>");
		return -EINVAL;
	}
	ret = o2cb_load(ctx);
	if (ret)
		return ret;
	if (!o2cb_find_cluster(&ctx->cfg, argv[1])) {
		o2cb_err("Unknown cluster '%s'", argv[1]);
		return -ENOENT;
	}
	ret = stack_up();
	if (ret)
		return ret;
	if (!registered(argv[1])) {
		o2cb_err("Cluster '%s' not registered", argv[1]);
		return 0;
	}
	ret = check_mode(argv[1], &global);
	if (ret || !global)
		return ret;
	while ((hb = o2cb_next_of(&ctx->cfg, hb, "heartbeat", argv[1]))) {
		ret = start_region(argv[1], o2cb_stanza_get(hb, "region") ?: "");
		if (ret)
			return ret;
	}
	ret = stop_regions(ctx, argv[1], true);
	if (!ret)
		printf("Global heartbeat started\n");
	return ret;
}

static int cmd_stop_hb(struct o2cb_ctx *ctx, int argc, char **argv)
{
	char active[64];
	bool global = false;
	int ret;

	if (argc < 2) {
		o2cb_err("usage: stop-heartbeat <clustername>");
		return -EINVAL;
	}
	ret = o2cb_load(ctx);
	if (!ret)
		ret = stack_up();
	if (ret)
		return ret;
	if (o2cb_active_cluster(active, sizeof(active)) || strcmp(active, argv[1])) {
		o2cb_err("Cluster '%s' is not active", argv[1]);
		return -ENOENT;
	}
	ret = check_mode(argv[1], &global);
	if (!ret && global)
		ret = stop_regions(ctx, argv[1], false);
	if (!ret)
		printf("Global heartbeat stopped\n");
	return ret;
}

const struct o2cb_cmd o2cb_hb_cmds[] = {
	{ "start-heartbeat", "Starts global heartbeat.", cmd_start_hb },
	{ "stop-heartbeat", "Stops global heartbeat.", cmd_stop_hb },
	{ NULL, NULL, NULL }
};
