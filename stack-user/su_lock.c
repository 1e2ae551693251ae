// SPDX-License-Identifier: GPL-2.0
/*
 * Lock operations over fs/dlm.  Stackglue's modes and flags are fs/dlm's,
 * so requests pass straight through; fs/dlm's completion AST carries
 * both grants and unlock/cancel completions, which are told apart by
 * their status and turned into the caller's lock or unlock callback.
 * Cluster POSIX locks go to fs/dlm's plock service (dlm_controld); a
 * grant made while a failed node is not yet fenced can be held back.
 * (dlm_plock.h needs fs.h and dlm.h before it.)
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/fcntl.h>
#include <linux/dlm.h>
#include <linux/dlm_plock.h>
#include <linux/wait.h>
#include <kcompat.h>

#include "su_internal.h"

static void su_ast(void *arg)
{
	struct ocfs2_dlm_lksb *lksb = arg;
	struct ocfs2_locking_protocol *proto = lksb->lksb_conn->cc_proto;
	int status = lksb->lksb_fsdlm.sb_status;

	if (status == -DLM_EUNLOCK || status == -DLM_ECANCEL)
		proto->lp_unlock_ast(lksb, 0);
	else
		proto->lp_lock_ast(lksb);
}

static void su_bast(void *arg, int mode)
{
	struct ocfs2_dlm_lksb *lksb = arg;

	lksb->lksb_conn->cc_proto->lp_blocking_ast(lksb, mode);
}

static void *su_lock_lvb(struct ocfs2_dlm_lksb *lksb)
{
	if (!lksb->lksb_fsdlm.sb_lvbptr)
		lksb->lksb_fsdlm.sb_lvbptr = lksb->lksb_lvb;
	return lksb->lksb_fsdlm.sb_lvbptr;
}

static int su_dlm_lock(struct ocfs2_cluster_connection *conn, int mode,
		       struct ocfs2_dlm_lksb *lksb, u32 flags, void *name,
		       unsigned int namelen)
{
	su_lock_lvb(lksb);
	/* ocfs2 orders its own locks; fs/dlm need not check for deadlock */
	return dlm_lock(conn->cc_lockspace, mode, &lksb->lksb_fsdlm,
			flags | DLM_LKF_NODLCKWT, name, namelen, 0, su_ast,
			lksb, su_bast);
}

static int su_dlm_unlock(struct ocfs2_cluster_connection *conn,
			 struct ocfs2_dlm_lksb *lksb, u32 flags)
{
	return dlm_unlock(conn->cc_lockspace, lksb->lksb_fsdlm.sb_lkid, flags,
			  &lksb->lksb_fsdlm, lksb);
}

static int su_lock_status(struct ocfs2_dlm_lksb *lksb)
{
	return lksb->lksb_fsdlm.sb_status;
}

static int su_lvb_valid(struct ocfs2_dlm_lksb *lksb)
{
	return !(lksb->lksb_fsdlm.sb_flags & DLM_SBF_VALNOTVALID);
}

static void su_dump_lksb(struct ocfs2_dlm_lksb *lksb)
{
	pr_info("ocfs2: fs/dlm lksb: lkid %x status %d flags %x\n",
		lksb->lksb_fsdlm.sb_lkid, lksb->lksb_fsdlm.sb_status,
		lksb->lksb_fsdlm.sb_flags);
}

/*
 * dlm_controld drops a failed node's POSIX locks and grants its waiters
 * at the membership change, before the node is fenced (every node must
 * purge at the same point of its message stream).  A node that only
 * looks dead may still be writing under such a lock, so a lock granted
 * here, or a holder looked up, while fs/dlm is recovering is answered
 * only once recovery is done, which dlm_controld starts after fencing.
 * The timeout keeps a long fencing from looking like a hung task.
 */
static bool plock_fence_wait = true;
module_param(plock_fence_wait, bool, 0644);
MODULE_PARM_DESC(plock_fence_wait,
		 "Hold POSIX locks granted while fs/dlm recovers until recovery (after fencing) is done (default on)");

static void su_plock_wait_recovery(struct ocfs2_cluster_connection *conn)
{
	struct su_conn *sc = conn->cc_private;

	if (!READ_ONCE(plock_fence_wait))
		return;
	while (READ_ONCE(sc->sc_recovering)) {
		if (wait_event_killable_timeout(sc->sc_wait,
						!READ_ONCE(sc->sc_recovering),
						30 * HZ) < 0)
			return;	/* dying: its locks go when it exits */
	}
}

static int su_plock(struct ocfs2_cluster_connection *conn, u64 ino,
		    struct file *file, int cmd, struct file_lock *fl)
{
	dlm_lockspace_t *ls = conn->cc_lockspace;
	int ret;

	if (cmd == F_CANCELLK)
		return kc_dlm_posix_cancel(ls, ino, file, fl);
	if (IS_GETLK(cmd)) {
		su_plock_wait_recovery(conn);
		return dlm_posix_get(ls, ino, file, fl);
	}
	if (kc_posix_lock_is_unlock(fl))
		return dlm_posix_unlock(ls, ino, file, fl);
	ret = dlm_posix_lock(ls, ino, file, cmd, fl);
	if (!ret)
		su_plock_wait_recovery(conn);
	return ret;
}

const struct ocfs2_stack_operations su_ops = {
	.connect	= su_connect,
	.disconnect	= su_disconnect,
	.this_node	= su_this_node,
	.dlm_lock	= su_dlm_lock,
	.dlm_unlock	= su_dlm_unlock,
	.lock_status	= su_lock_status,
	.lvb_valid	= su_lvb_valid,
	.lock_lvb	= su_lock_lvb,
	.plock		= su_plock,
	.dump_lksb	= su_dump_lksb,
};
