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

/* Stack loaded, CLUSTER registered, and in global mode (*global). */
static int hb_prepare(const char *cluster, bool *global)
{
	char active[64];
	enum o2cb_stack_state st = o2cb_stack_state();
	int ret;

	if (st != O2CB_READY) {
		o2cb_err("Unable to access cluster service while initializing the cluster");
		o2cb_err("%s", o2cb_stack_state_hint(st));
		return -ENODEV;
	}
	if (o2cb_active_cluster(active, sizeof(active)) || strcmp(active, cluster)) {
		o2cb_err("Cluster '%s' not registered", cluster);
		return -ENOENT;
	}
	ret = o2cb_hb_global(cluster, global);
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
		if (ctx->verbose)
			printf("Stopping heartbeat on region %s\n", de->d_name);
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

static int start_region(struct o2cb_ctx *ctx, const char *cluster, const char *uuid)
{
	struct o2cb_volume vol;
	char dev[PATH_MAX];
	int ret = o2cb_volume_find(uuid, dev, sizeof(dev));

	if (!ret)
		ret = o2cb_volume_read(dev, &vol);
	if (ret) {
		o2cb_err("Heartbeat region could not be found %s", uuid);
		o2cb_err("no disk holds an OCFS2 volume with UUID %s (see blkid; "
			 "o2cb remove-heartbeat %s %s drops it)", uuid, cluster, uuid);
		return ret;
	}
	if (ctx->verbose)
		printf("Starting heartbeat on region %s, device %s\n", uuid, dev);
	ret = o2cb_hb_start(cluster, &vol.region);
	if (ret)
		o2cb_err("%s while starting heartbeat on region '%s'",
			 o2cb_hb_strerror(ret), uuid);
	return ret;
}

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
	ret = hb_prepare(argv[1], &global);
	if (ret || !global)
		return ret;
	while ((hb = o2cb_next_of(&ctx->cfg, hb, "heartbeat", argv[1]))) {
		ret = start_region(ctx, argv[1], o2cb_stanza_get(hb, "region") ?: "");
		if (ret)
			return ret;
	}
	ret = stop_regions(ctx, argv[1], true);
	if (!ret && ctx->verbose)
		printf("Global heartbeat started\n");
	return ret;
}

static int cmd_stop_hb(struct o2cb_ctx *ctx, int argc, char **argv)
{
	bool global = false;
	int ret;

	if (argc < 2) {
		o2cb_err("usage: stop-heartbeat <clustername>");
		return -EINVAL;
	}
	ret = hb_prepare(argv[1], &global);
	if (ret || !global)
		return ret;
	ret = stop_regions(ctx, argv[1], false);
	if (!ret && ctx->verbose)
		printf("Global heartbeat stopped\n");
	return ret;
}

const struct o2cb_cmd o2cb_hb_cmds[] = {
	{ "start-heartbeat", "Starts global heartbeat.", cmd_start_hb },
	{ "stop-heartbeat", "Stops global heartbeat.", cmd_stop_hb },
	{ NULL, NULL, NULL }
};
