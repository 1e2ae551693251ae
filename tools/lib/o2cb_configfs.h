/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The o2cb node manager's configfs interface as the tools drive it:
 * /sys/kernel/config/cluster/<name>/{node,heartbeat}/...  Every function
 * returns 0 or a negative errno and never prints.
 */
#ifndef O2CB_CONFIGFS_H
#define O2CB_CONFIGFS_H

#include <stdbool.h>

#include "o2cb_config.h"

#define O2CB_CONFIGFS_ROOT	"/sys/kernel/config"
#define O2CB_CLUSTER_DIR	O2CB_CONFIGFS_ROOT "/cluster"
#define O2CB_REVISION_FILE	"/sys/fs/o2cb/interface_revision"

/* Which part of the stack is missing, for a message that says what to do. */
enum o2cb_stack_state {
	O2CB_NO_CONFIGFS,	/* configfs not mounted */
	O2CB_NO_MODULE,		/* ocfs2_nodemanager not loaded */
	O2CB_READY,		/* node manager present */
};

enum o2cb_stack_state o2cb_stack_state(void);
const char *o2cb_stack_state_hint(enum o2cb_stack_state st);

/* Name of the registered cluster (only one can be), or -ENOENT. */
int o2cb_active_cluster(char *name, size_t len);

/*
 * Make configfs match CLUSTER's nodes in CFG: nodes added, vanished ones
 * removed, this host's node (by uname nodename) marked local last.
 * *local_node is set to -1 when this host is not in the cluster.
 */
int o2cb_register(const struct o2cb_config *cfg, const char *cluster,
		  int *local_node);
int o2cb_unregister(const char *cluster);

/* One object at a time, for o2cb_ctl -i/-u. */
int o2cb_configfs_add_cluster(const char *cluster);
int o2cb_configfs_add_node(const char *cluster, const struct o2cb_stanza *node,
			   bool local);
int o2cb_configfs_del_node(const char *cluster, const char *node);
/* The node marked local in CLUSTER (this host), or -ENOENT. */
int o2cb_local_node(const char *cluster, char *name, size_t len);
/* Is NAME this host's node name (uname nodename)? */
bool o2cb_is_local_node(const char *name);

int o2cb_read_attr(const char *path, char *buf, size_t len);
int o2cb_write_attr(const char *path, const char *value);

#endif
