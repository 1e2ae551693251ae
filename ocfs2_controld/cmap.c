// SPDX-License-Identifier: GPL-2.0
/*
 * corosync's configuration map: the cluster name, which mount.ocfs2 checks
 * against the name stored on the volume and fs/dlm against its lockspaces.
 * Read once per connection to corosync; it cannot change while corosync
 * runs.
 */
#include <stdlib.h>
#include <string.h>
#include <corosync/cmap.h>
#include "controld.h"
#include "log.h"

int cmap_read_cluster(int quiet)
{
	cmap_handle_t h;
	char *name = NULL;
	cs_error_t err;
	int rc = -1;

	err = cmap_initialize(&h);
	if (err != CS_OK) {
		if (!quiet)
				log_err("cannot connect to corosync cmap (error %d): is corosync running?",
				err);
		return -1;
	}
	err = cmap_get_string(h, "totem.cluster_name", &name);
	if (err != CS_OK || !name || !*name) {
		log_err("corosync has no totem.cluster_name (error %d): set cluster_name in corosync.conf",
			err);
		goto out;
	}
	if (strlen(name) >= sizeof(cluster.name) || strlen(name) > 16) {
		log_err("cluster name \"%s\" is longer than the 16 characters OCFS2 allows",
			name);
		goto out;
	}
	strcpy(cluster.name, name);
	rc = 0;
out:
	free(name);
	cmap_finalize(h);
	return rc;
}
