// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: one fs/dlm lockspace per group (the filesystem's UUID, or
 * a dlmfs domain), created with the flags and value-block size stock
 * uses so that stock nodes share it.  fs/dlm's recovery callbacks give
 * us node deaths (recover_slot -> the connection's recovery handler) and
 * our own node id (recover_done); connect returns once both the locking
 * protocol and our node id are known, so node-down events for the group
 * are guaranteed from then on.
 */
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "su_internal.h"

DEFINE_MUTEX(su_lock);
LIST_HEAD(su_conn_list);

/* su_lock.c holds POSIX lock grants while this is set */
static void su_recover_prep(void *arg)
{
	struct ocfs2_cluster_connection *conn = arg;
	struct su_conn *sc = conn->cc_private;

	WRITE_ONCE(sc->sc_recovering, true);
}

static void su_recover_slot(void *arg, struct dlm_slot *slot)
{
	struct ocfs2_cluster_connection *conn = arg;

	pr_info("ocfs2: group %s: node %d (slot %d) is down, recovering it\n",
		conn->cc_name, slot->nodeid, slot->slot);
	su_members_reported(conn->cc_private, slot->nodeid);
	if (conn->cc_recovery_handler)
		conn->cc_recovery_handler(slot->nodeid, conn->cc_recovery_data);
}

static void su_recover_done(void *arg, struct dlm_slot *slots, int num_slots,
			    int our_slot, uint32_t generation)
{
	struct ocfs2_cluster_connection *conn = arg;
	struct su_conn *sc = conn->cc_private;
	int i;

	su_members_update(sc, slots, num_slots);
	for (i = 0; i < num_slots; i++) {
		if (slots[i].slot == our_slot) {
			WRITE_ONCE(sc->sc_this_node, slots[i].nodeid);
			break;
		}
	}
	WRITE_ONCE(sc->sc_recovering, false);
	wake_up(&sc->sc_wait);
}

static const struct dlm_lockspace_ops su_ls_ops = {
	.recover_prep	= su_recover_prep,
	.recover_slot	= su_recover_slot,
	.recover_done	= su_recover_done,
};

/* called by /dev/ocfs2_control for DOWN */
void su_node_down(const char *group, int node)
{
	struct su_conn *sc;

	mutex_lock(&su_lock);
	list_for_each_entry(sc, &su_conn_list, sc_list) {
		struct ocfs2_cluster_connection *conn = sc->sc_conn;

		if (strcmp(conn->cc_name, group))
			continue;
		pr_info("ocfs2: group %s: node %d reported down by the control daemon\n",
			group, node);
		if (conn->cc_recovery_handler)
			conn->cc_recovery_handler(node,
						  conn->cc_recovery_data);
		break;
	}
	mutex_unlock(&su_lock);
}

/*
 * Without recovery callbacks (an old dlm_controld) node deaths can only
 * come from the control daemon, which must then be running.
 */
static int su_conn_attach(struct su_conn *sc)
{
	int ret = 0;

	mutex_lock(&su_lock);
	if (sc->sc_needs_controld && !su_controld_running()) {
		pr_err("ocfs2: group %s: fs/dlm gives no recovery callbacks and no control daemon has /dev/ocfs2_control open\n",
		       sc->sc_conn->cc_name);
		ret = -ESRCH;
	} else {
		list_add(&sc->sc_list, &su_conn_list);
	}
	mutex_unlock(&su_lock);
	return ret;
}

static void su_conn_detach(struct su_conn *sc)
{
	mutex_lock(&su_lock);
	list_del_init(&sc->sc_list);
	mutex_unlock(&su_lock);
}

static int su_new_lockspace(struct ocfs2_cluster_connection *conn,
			    struct su_conn *sc)
{
	dlm_lockspace_t *ls;
	int ops_ret = 0, ret;
	/*
	 * dlmfs connects without a cluster name; passing none (rather than
	 * stock's empty one, which fs/dlm refuses with -EBADR) lets its
	 * domains work under dlm_controld.
	 */
	const char *cluster = conn->cc_cluster_name_len ?
			      conn->cc_cluster_name : NULL;

	ret = dlm_new_lockspace(conn->cc_name, cluster, DLM_LSFL_NEWEXCL,
				OCFS2_DLM_LVB_LEN, &su_ls_ops, conn, &ops_ret,
				&ls);
	if (ret == -EBADR)
		pr_err("ocfs2: group %s: cluster name \"%s\" is not the name dlm_controld runs (see corosync's totem.cluster_name)\n",
		       conn->cc_name, conn->cc_cluster_name);
	else if (ret == -EEXIST)
		pr_err("ocfs2: group %s: lockspace already in use on this node (a mount, dlmfs domain or ocfs2-tools program)\n",
		       conn->cc_name);
	else if (ret == -EUNATCH)
		pr_err("ocfs2: group %s: dlm_controld is not running\n",
		       conn->cc_name);
	else if (ret == -ENOTCONN)
		pr_err("ocfs2: group %s: dlm_controld has not set up fs/dlm's communication yet\n",
		       conn->cc_name);
	else if (ret)
		pr_err("ocfs2: group %s: cannot create the lockspace (%d)\n",
		       conn->cc_name, ret);
	if (ret)
		return ret;
	if (ops_ret == -EOPNOTSUPP)
		sc->sc_needs_controld = true;
	conn->cc_lockspace = ls;
	return 0;
}

static int su_wait_this_node(struct su_conn *sc)
{
	if (sc->sc_needs_controld) {
		int node = su_controld_this_node();

		if (node < 0)
			return node;
		sc->sc_this_node = node;
		return 0;
	}
	return wait_event_killable(sc->sc_wait, READ_ONCE(sc->sc_this_node));
}

/* a daemon that set a protocol must agree with what the group runs */
static int su_check_daemon_proto(struct ocfs2_cluster_connection *conn)
{
	struct ocfs2_protocol_version pv;

	if (!su_controld_proto(&pv))
		return 0;
	if (pv.pv_major == conn->cc_version.pv_major &&
	    pv.pv_minor == conn->cc_version.pv_minor)
		return 0;
	pr_err("ocfs2: group %s runs locking protocol %u.%u but the control daemon set %u.%u\n",
	       conn->cc_name, conn->cc_version.pv_major,
	       conn->cc_version.pv_minor, pv.pv_major, pv.pv_minor);
	return -EPROTO;
}

int su_connect(struct ocfs2_cluster_connection *conn)
{
	struct su_conn *sc;
	int ret;

	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return -ENOMEM;
	INIT_LIST_HEAD(&sc->sc_list);
	init_waitqueue_head(&sc->sc_wait);
	init_completion(&sc->sc_version_done);
	sc->sc_conn = conn;
	conn->cc_private = sc;

	ret = su_new_lockspace(conn, sc);
	if (ret)
		goto out_free;
	ret = su_conn_attach(sc);
	if (ret)
		goto out_release;
	ret = su_version_negotiate(sc);
	if (ret)
		goto out_detach;
	ret = su_wait_this_node(sc);
	if (ret)
		goto out_version;
	ret = su_check_daemon_proto(conn);
	if (ret)
		goto out_version;
	return 0;

out_version:
	su_version_release(sc);
out_detach:
	su_conn_detach(sc);
out_release:
	dlm_release_lockspace(conn->cc_lockspace, 2);
	conn->cc_lockspace = NULL;
out_free:
	conn->cc_private = NULL;
	su_members_free(sc);
	kfree(sc);
	return ret;
}

int su_disconnect(struct ocfs2_cluster_connection *conn)
{
	struct su_conn *sc = conn->cc_private;

	su_version_release(sc);
	su_conn_detach(sc);
	/* force: locks a caller still holds go with the lockspace */
	dlm_release_lockspace(conn->cc_lockspace, 2);
	conn->cc_lockspace = NULL;
	conn->cc_private = NULL;
	su_members_free(sc);
	kfree(sc);
	return 0;
}

int su_this_node(struct ocfs2_cluster_connection *conn, unsigned int *node)
{
	struct su_conn *sc = conn->cc_private;
	int n;

	n = sc->sc_needs_controld ? su_controld_this_node() :
				    READ_ONCE(sc->sc_this_node);
	if (n <= 0)
		return n < 0 ? n : -EINVAL;
	*node = n;
	return 0;
}
