// SPDX-License-Identifier: GPL-2.0
/*
 * corosync's configuration map: the cluster name, which mount.ocfs2 checks
 * against the name stored on the volume and fs/dlm against its lockspaces
 * (read once per connection to corosync; it cannot change while corosync
 * runs), and node names from the nodelist, which pacemaker's fencing
 * history is keyed by.
 */
#include <stdio.h>
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

/* nodelist.node.N.name (else ring0_addr) of the node whose nodeid matches */
int cmap_node_name(uint32_t nodeid, char *buf, size_t len)
{
	char key[64], *name = NULL;
	cmap_handle_t h;
	uint32_t id;
	int i, rc = -1;

	if (cmap_initialize(&h) != CS_OK)
		return -1;
	for (i = 0; i < MAX_NODES; i++) {
		snprintf(key, sizeof(key), "nodelist.node.%d.nodeid", i);
		if (cmap_get_uint32(h, key, &id) != CS_OK)
			break;
		if (id != nodeid)
			continue;
		snprintf(key, sizeof(key), "nodelist.node.%d.name", i);
		if (cmap_get_string(h, key, &name) != CS_OK) {
			snprintf(key, sizeof(key), "nodelist.node.%d.ring0_addr", i);
			if (cmap_get_string(h, key, &name) != CS_OK)
				break;
		}
		if (strlen(name) < len) {
			strcpy(buf, name);
			rc = 0;
		}
		free(name);
		break;
	}
	cmap_finalize(h);
	return rc;
}
