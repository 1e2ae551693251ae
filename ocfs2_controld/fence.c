// SPDX-License-Identifier: GPL-2.0
/*
 * "Known fenced": when the daemon may tell the kernel a failed node is
 * down, so that the filesystem replays its journal and takes its locks.
 * Telling it early, while the node might still write, corrupts the volume.
 *
 * In order:
 *  0. never while this node's partition is inquorate (the other side may
 *     be the live one);
 *  1. pacemaker running (its fencer, pacemaker-fenced, is up): only once
 *     pacemaker's fencing history records the node fenced after it failed
 *     (stonith_api_time, asked by the node's corosync name);
 *  2. otherwise dlm_controld is the authority, as it is for fs/dlm: it
 *     removes a failed node from a lockspace (configfs
 *     spaces/<uuid>/nodes/<id>) only after its own fencing and quorum
 *     checks pass (with enable_fencing=0 an admin has chosen to trust
 *     membership alone, and so do we);
 *  3. no lockspace for the volume (it is being unmounted): the node left
 *     corosync's membership and we are quorate.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <crm/stonith-ng.h>
#include "controld.h"

#define DLM_SPACES "/sys/kernel/config/dlm/cluster/spaces"
#define FENCE_SLACK 5	/* s: clocks of fencer and this node may differ */

static int pacemaker_fencer_running(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, "pacemaker-fence", 15))
			found = 1;
		fclose(f);
	}
	closedir(d);
	return found;
}

/*
 * Last time pacemaker fenced the node, 0 if never.  Asked by name: once a
 * node is lost, pacemaker-fenced drops its id from its peer cache and can
 * no longer match an id to history recorded under the node's name (seen
 * in the lab on 6.12: "Could not expand nodeid '3' into a host name"),
 * which is all stonith_api_time_helper() can ask.  libstonithd is loaded
 * at first use, as pacemaker's helper does, so the daemon runs without it.
 */
static time_t fence_history_time(uint32_t nodeid)
{
	static void *lib;
	static st_api_time_fn last_fenced;
	char name[256];

	if (!lib)
		lib = dlopen(STONITH_LIBRARY, RTLD_LAZY);
	if (lib && !last_fenced)
		last_fenced = (st_api_time_fn)dlsym(lib, "stonith_api_time");
	if (!last_fenced)
		return 0;
	if (cmap_node_name(nodeid, name, sizeof(name)) == 0)
		return last_fenced(nodeid, name, false);
	return last_fenced(nodeid, NULL, false);
}

const char *fence_method(void)
{
	return pacemaker_fencer_running() ? "pacemaker fencing" :
		"dlm_controld lockspace membership";
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int dlm_says_gone(uint32_t nodeid, const char *uuid, const char **how)
{
	char path[256];

	snprintf(path, sizeof(path), DLM_SPACES "/%s", uuid);
	if (!exists(path)) {
		*how = "quorate, node out of the membership, no lockspace left";
		return 1;
	}
	snprintf(path, sizeof(path), DLM_SPACES "/%s/nodes/%u", uuid, nodeid);
	if (exists(path)) {
		*how = "waiting for dlm_controld to fence and remove it";
		return 0;
	}
	*how = "dlm_controld removed it from the lockspace";
	return 1;
}

int fence_known(uint32_t nodeid, const char *uuid, time_t failed_at,
		const char **how)
{
	time_t t;

	if (!cluster.connected || !cluster.quorate) {
		*how = "waiting for quorum";
		return 0;
	}
	if (!pacemaker_fencer_running())
		return dlm_says_gone(nodeid, uuid, how);
	t = fence_history_time(nodeid);
	if (t > 0 && t + FENCE_SLACK >= failed_at) {
		*how = "pacemaker fenced it";
		return 1;
	}
	*how = "waiting for pacemaker to fence it";
	return 0;
}
