// SPDX-License-Identifier: GPL-2.0
/*
 * Which cluster runs here, for tunefs.ocfs2 --update-cluster-stack and
 * o2cb cluster-status on the user stack.
 */
#include <errno.h>
#include <string.h>

#include "o2cb_configfs.h"
#include "o2cb_hb.h"
#include "o2cb_running.h"

static int running_o2cb(struct o2cb_running *r, const char **why)
{
	enum o2cb_stack_state st = o2cb_stack_state();

	if (st != O2CB_READY) {
		*why = o2cb_stack_state_hint(st);
		return -ENODEV;
	}
	if (o2cb_active_cluster(r->cluster, sizeof(r->cluster))) {
		*why = "no o2cb cluster is registered (o2cb register-cluster <name>, or 'o2cb.init online')";
		return -ENOENT;
	}
	if (o2cb_hb_global(r->cluster, &r->global_hb)) {
		*why = "cannot read the cluster's heartbeat mode";
		return -EIO;
	}
	return 0;
}

static int running_user(struct o2cb_running *r, const char **why)
{
	int ret = o2cb_read_attr(O2CB_DLM_CLUSTER_NAME, r->cluster,
				 sizeof(r->cluster));

	if (ret || !r->cluster[0]) {
		*why = "fs/dlm has no cluster name: is dlm_controld running (the dlm clone, or 'systemctl start dlm')?";
		return ret ? ret : -ENOENT;
	}
	return 0;
}

int o2cb_running_cluster(struct o2cb_running *r, const char **why)
{
	memset(r, 0, sizeof(*r));
	if (o2cb_read_attr(O2CB_STACK_FILE, r->stack, sizeof(r->stack)) ||
	    !r->stack[0]) {
		*why = "the ocfs2 stack glue is not loaded (modprobe ocfs2_stackglue)";
		return -ENODEV;
	}
	if (strlen(r->stack) != 4) {
		*why = "the running stack label is not 4 characters";
		return -EINVAL;
	}
	r->user = strcmp(r->stack, "o2cb") != 0;
	return r->user ? running_user(r, why) : running_o2cb(r, why);
}
