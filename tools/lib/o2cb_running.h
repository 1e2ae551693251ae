/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cluster this host runs now, as a volume's superblock would name it:
 * the stack label from /sys/fs/ocfs2/cluster_stack and the cluster name
 * from the o2cb node manager (configfs cluster/<name>) or, on a user
 * stack, from fs/dlm's configfs (dlm_controld copies corosync's
 * totem.cluster_name there; stock 1.8 reads the same name through
 * corosync's cmap).  Never prints.
 */
#ifndef O2CB_RUNNING_H
#define O2CB_RUNNING_H

#include <stdbool.h>

#define O2CB_STACK_FILE		"/sys/fs/ocfs2/cluster_stack"
#define O2CB_DLM_CLUSTER_NAME	"/sys/kernel/config/dlm/cluster/cluster_name"

struct o2cb_running {
	char stack[8];		/* "o2cb", "pcmk", ... */
	char cluster[80];
	bool user;		/* not the o2cb stack */
	bool global_hb;		/* o2cb in global heartbeat mode */
};

/*
 * Fill @r.  Returns 0, or a negative errno with *why saying which part
 * of the stack is missing and what starts it.
 */
int o2cb_running_cluster(struct o2cb_running *r, const char **why);

#endif
