// SPDX-License-Identifier: GPL-2.0
/*
 * Locking protocol negotiation inside a new lockspace, as stock does it:
 * try the "version_lock" at EX without queueing; whoever gets it is first
 * and writes its protocol into the value block, then keeps the lock at
 * PR.  Everyone else takes PR, reads the running protocol and runs at it
 * if the major matches and the minor is not newer than ours.  Each node
 * holds the PR for as long as it is connected, so the value survives.
 */
#include <linux/string.h>
#include <ocfs2/stack_user_fmt.h>

#include "su_internal.h"

static void su_version_ast(void *arg)
{
	struct su_conn *sc = arg;

	complete(&sc->sc_version_done);
}

/* one synchronous request on the version lock; returns the DLM status */
static int su_version_lock(struct su_conn *sc, int mode, u32 flags)
{
	int ret;

	reinit_completion(&sc->sc_version_done);
	ret = dlm_lock(sc->sc_conn->cc_lockspace, mode, &sc->sc_version_lksb,
		       flags | DLM_LKF_VALBLK, OCFS2_VERSION_LOCK_NAME,
		       strlen(OCFS2_VERSION_LOCK_NAME), 0, su_version_ast, sc,
		       NULL);
	if (ret)
		return ret;
	wait_for_completion(&sc->sc_version_done);
	return sc->sc_version_lksb.sb_status;
}

static void su_version_write(struct su_conn *sc,
			     const struct ocfs2_protocol_version *pv)
{
	struct ocfs2_version_lvb *lvb = (void *)sc->sc_version_lvb;

	memset(sc->sc_version_lvb, 0, sizeof(sc->sc_version_lvb));
	lvb->vl_major = pv->pv_major;
	lvb->vl_minor = pv->pv_minor;
}

/* adopt the running protocol if we can speak it */
static int su_version_read(struct su_conn *sc,
			   const struct ocfs2_protocol_version *max)
{
	struct ocfs2_version_lvb *lvb = (void *)sc->sc_version_lvb;
	struct ocfs2_cluster_connection *conn = sc->sc_conn;

	if (sc->sc_version_lksb.sb_flags & DLM_SBF_VALNOTVALID) {
		pr_err("ocfs2: group %s: the locking protocol value was lost\n",
		       conn->cc_name);
		return -EPROTO;
	}
	if (lvb->vl_major != max->pv_major || lvb->vl_minor > max->pv_minor) {
		pr_err("ocfs2: group %s runs locking protocol %u.%u; this node speaks up to %u.%u\n",
		       conn->cc_name, lvb->vl_major, lvb->vl_minor,
		       max->pv_major, max->pv_minor);
		return -EPROTO;
	}
	conn->cc_version.pv_major = lvb->vl_major;
	conn->cc_version.pv_minor = lvb->vl_minor;
	return 0;
}

int su_version_negotiate(struct su_conn *sc)
{
	struct ocfs2_protocol_version max = sc->sc_conn->cc_proto->lp_max_version;
	int ret;

	sc->sc_version_lksb.sb_lvbptr = sc->sc_version_lvb;
	ret = su_version_lock(sc, DLM_LOCK_EX, DLM_LKF_NOQUEUE);
	if (!ret) {
		/* first in the group: our protocol is the group's */
		su_version_write(sc, &max);
		sc->sc_conn->cc_version = max;
		ret = su_version_lock(sc, DLM_LOCK_PR, DLM_LKF_CONVERT);
		if (ret)
			goto fail;
		return 0;
	}
	if (ret != -EAGAIN)
		goto fail;
	ret = su_version_lock(sc, DLM_LOCK_PR, 0);
	if (ret)
		goto fail;
	ret = su_version_read(sc, &max);
	if (ret)
		su_version_release(sc);
	return ret;

fail:
	pr_err("ocfs2: group %s: version lock request failed (%d)\n",
	       sc->sc_conn->cc_name, ret);
	/* a granted lock is dropped with the lockspace */
	return ret < 0 ? ret : -EIO;
}

void su_version_release(struct su_conn *sc)
{
	int ret;

	reinit_completion(&sc->sc_version_done);
	ret = dlm_unlock(sc->sc_conn->cc_lockspace, sc->sc_version_lksb.sb_lkid,
			 0, &sc->sc_version_lksb, sc);
	if (ret) {
		pr_err("ocfs2: group %s: version unlock failed (%d)\n",
		       sc->sc_conn->cc_name, ret);
		return;
	}
	wait_for_completion(&sc->sc_version_done);
}
