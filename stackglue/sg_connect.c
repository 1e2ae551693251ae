// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: a mount (or a dlmfs domain) connects to its group through
 * the active plugin, which creates the lockspace; disconnect removes it.
 * After unmount the filesystem calls hangup, which stops the volume's
 * heartbeat through the hb_ctl helper and drops the plugin reference.
 */
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sg_internal.h"

static bool ocfs2_proto_matches(struct ocfs2_locking_protocol *lproto)
{
	bool same;

	mutex_lock(&ocfs2_stack_lock);
	same = lproto->lp_max_version.pv_major ==
		ocfs2_locking_max_version.pv_major &&
	       lproto->lp_max_version.pv_minor ==
		ocfs2_locking_max_version.pv_minor;
	mutex_unlock(&ocfs2_stack_lock);
	return same;
}

static struct ocfs2_cluster_connection *
ocfs2_conn_alloc(const char *cluster_name, int cluster_name_len,
		 const char *group, int grouplen,
		 struct ocfs2_locking_protocol *lproto,
		 void (*recovery_handler)(int, void *), void *recovery_data)
{
	struct ocfs2_cluster_connection *conn;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return NULL;
	memcpy(conn->cc_name, group, grouplen);
	conn->cc_namelen = grouplen;
	if (cluster_name_len)
		memcpy(conn->cc_cluster_name, cluster_name, cluster_name_len);
	conn->cc_cluster_name_len = cluster_name_len;
	conn->cc_proto = lproto;
	/* the plugin lowers this to what the other nodes speak */
	conn->cc_version = lproto->lp_max_version;
	conn->cc_recovery_handler = recovery_handler;
	conn->cc_recovery_data = recovery_data;
	return conn;
}

int ocfs2_cluster_connect(const char *stack_name, const char *cluster_name,
			  int cluster_name_len, const char *group,
			  int grouplen, struct ocfs2_locking_protocol *lproto,
			  void (*recovery_handler)(int node_num,
						   void *recovery_data),
			  void *recovery_data,
			  struct ocfs2_cluster_connection **conn)
{
	struct ocfs2_cluster_connection *new;
	int ret;

	if (!conn || !lproto || !group || grouplen <= 0 ||
	    grouplen > GROUP_NAME_MAX || cluster_name_len < 0 ||
	    cluster_name_len > OCFS2_CLUSTER_NAME_LEN ||
	    (cluster_name_len && !cluster_name))
		return -EINVAL;
	if (!ocfs2_proto_matches(lproto)) {
		pr_err("ocfs2: locking protocol %u.%u does not match the registered %u.%u\n",
		       lproto->lp_max_version.pv_major,
		       lproto->lp_max_version.pv_minor,
		       ocfs2_locking_max_version.pv_major,
		       ocfs2_locking_max_version.pv_minor);
		return -EINVAL;
	}

	new = ocfs2_conn_alloc(cluster_name, cluster_name_len, group, grouplen,
			       lproto, recovery_handler, recovery_data);
	if (!new)
		return -ENOMEM;
	ret = ocfs2_stack_driver_get(stack_name);
	if (ret)
		goto out_free;
	ret = ocfs2_active_stack->sp_ops->connect(new);
	if (ret)
		goto out_put;
	*conn = new;
	return 0;

out_put:
	ocfs2_stack_driver_put();
out_free:
	kfree(new);
	return ret;
}
EXPORT_SYMBOL_GPL(ocfs2_cluster_connect);

int ocfs2_cluster_connect_agnostic(const char *group, int grouplen,
				   struct ocfs2_locking_protocol *lproto,
				   void (*recovery_handler)(int node_num,
							    void *recovery_data),
				   void *recovery_data,
				   struct ocfs2_cluster_connection **conn)
{
	char label[OCFS2_STACK_LABEL_LEN + 1];

	mutex_lock(&ocfs2_stack_lock);
	strscpy(label, ocfs2_cluster_stack_name, sizeof(label));
	mutex_unlock(&ocfs2_stack_lock);
	return ocfs2_cluster_connect(label, NULL, 0, group, grouplen, lproto,
				     recovery_handler, recovery_data, conn);
}
EXPORT_SYMBOL_GPL(ocfs2_cluster_connect_agnostic);

/* With hangup_pending the plugin stays pinned until ocfs2_cluster_hangup. */
int ocfs2_cluster_disconnect(struct ocfs2_cluster_connection *conn,
			     int hangup_pending)
{
	int ret;

	ret = ocfs2_active_stack->sp_ops->disconnect(conn);
	if (ret)
		return ret;
	kfree(conn);
	if (!hangup_pending)
		ocfs2_stack_driver_put();
	return 0;
}
EXPORT_SYMBOL_GPL(ocfs2_cluster_disconnect);

static void ocfs2_leave_group(const char *group)
{
	char path[OCFS2_MAX_HB_CTL_PATH];
	char *argv[] = { path, "-K", "-u", (char *)group, NULL };
	static char *envp[] = { "HOME=/",
				"PATH=/sbin:/bin:/usr/sbin:/usr/bin", NULL };
	int ret;

	mutex_lock(&ocfs2_stack_lock);
	strscpy(path, ocfs2_hb_ctl_path, sizeof(path));
	mutex_unlock(&ocfs2_stack_lock);
	if (!path[0])
		return;
	ret = call_usermodehelper(path, argv, envp, UMH_WAIT_PROC);
	if (ret)
		pr_err("ocfs2: \"%s -K -u %s\" failed (%d); stop the heartbeat by hand\n",
		       path, group, ret);
}

void ocfs2_cluster_hangup(const char *group, int grouplen)
{
	if (group && grouplen > 0 && !group[grouplen])
		ocfs2_leave_group(group);
	ocfs2_stack_driver_put();
}
EXPORT_SYMBOL_GPL(ocfs2_cluster_hangup);

int ocfs2_cluster_this_node(struct ocfs2_cluster_connection *conn,
			    unsigned int *node)
{
	return ocfs2_active_stack->sp_ops->this_node(conn, node);
}
EXPORT_SYMBOL_GPL(ocfs2_cluster_this_node);
