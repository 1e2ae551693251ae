// SPDX-License-Identifier: GPL-2.0
/*
 * Lock domains: each directory under the dlmfs root is a stackglue
 * connection to the group of the same name, on whatever cluster stack
 * /sys/fs/ocfs2/cluster_stack names.  Node deaths need no action here:
 * the DLM itself recovers the locks a dead node held.
 */
#include <linux/err.h>

#include "dlmfs.h"

static void dlmfs_node_down(int node_num, void *data)
{
}

/* dlmfs speaks the filesystem locking protocol in its domains */
void dlmfs_domain_init(void)
{
	ocfs2_stack_glue_set_max_proto_version(&dlmfs_lproto.lp_max_version);
}

struct ocfs2_cluster_connection *dlmfs_domain_join(const struct qstr *name)
{
	struct ocfs2_cluster_connection *conn;
	int ret;

	ret = ocfs2_cluster_connect_agnostic(name->name, name->len,
					     &dlmfs_lproto, dlmfs_node_down,
					     NULL, &conn);
	if (ret) {
		pr_err("dlmfs: cannot join domain \"%.*s\" (%d)\n",
		       name->len, name->name, ret);
		return ERR_PTR(ret);
	}
	return conn;
}

void dlmfs_domain_leave(struct ocfs2_cluster_connection *conn)
{
	int ret = ocfs2_cluster_disconnect(conn, 0);

	if (ret)
		pr_err("dlmfs: leaving domain %s failed (%d)\n",
		       conn->cc_name, ret);
}
