// SPDX-License-Identifier: GPL-2.0
/*
 * Lock calls, passed through to the active plugin.  A connected
 * filesystem pins the plugin, so ocfs2_active_stack is stable here.
 */
#include <linux/module.h>

#include "sg_internal.h"

static const struct ocfs2_stack_operations *ocfs2_ops(void)
{
	return ocfs2_active_stack->sp_ops;
}

int ocfs2_dlm_lock(struct ocfs2_cluster_connection *conn, int mode,
		   struct ocfs2_dlm_lksb *lksb, u32 flags,
		   void *name, unsigned int namelen)
{
	if (!lksb->lksb_conn)
		lksb->lksb_conn = conn;
	else if (lksb->lksb_conn != conn)
		return -EINVAL;
	return ocfs2_ops()->dlm_lock(conn, mode, lksb, flags, name, namelen);
}
EXPORT_SYMBOL_GPL(ocfs2_dlm_lock);

int ocfs2_dlm_unlock(struct ocfs2_cluster_connection *conn,
		     struct ocfs2_dlm_lksb *lksb, u32 flags)
{
	if (lksb->lksb_conn != conn)
		return -EINVAL;
	return ocfs2_ops()->dlm_unlock(conn, lksb, flags);
}
EXPORT_SYMBOL_GPL(ocfs2_dlm_unlock);

int ocfs2_dlm_lock_status(struct ocfs2_dlm_lksb *lksb)
{
	return ocfs2_ops()->lock_status(lksb);
}
EXPORT_SYMBOL_GPL(ocfs2_dlm_lock_status);

int ocfs2_dlm_lvb_valid(struct ocfs2_dlm_lksb *lksb)
{
	return ocfs2_ops()->lvb_valid(lksb);
}
EXPORT_SYMBOL_GPL(ocfs2_dlm_lvb_valid);

void *ocfs2_dlm_lvb(struct ocfs2_dlm_lksb *lksb)
{
	return ocfs2_ops()->lock_lvb(lksb);
}
EXPORT_SYMBOL_GPL(ocfs2_dlm_lvb);

void ocfs2_dlm_dump_lksb(struct ocfs2_dlm_lksb *lksb)
{
	if (ocfs2_ops()->dump_lksb)
		ocfs2_ops()->dump_lksb(lksb);
}
EXPORT_SYMBOL_GPL(ocfs2_dlm_dump_lksb);

int ocfs2_stack_supports_plocks(void)
{
	return ocfs2_active_stack && ocfs2_active_stack->sp_ops->plock;
}
EXPORT_SYMBOL_GPL(ocfs2_stack_supports_plocks);

int ocfs2_plock(struct ocfs2_cluster_connection *conn, u64 ino,
		struct file *file, int cmd, struct file_lock *fl)
{
	if (!ocfs2_ops()->plock)
		return -EOPNOTSUPP;
	return ocfs2_ops()->plock(conn, ino, file, cmd, fl);
}
EXPORT_SYMBOL_GPL(ocfs2_plock);
