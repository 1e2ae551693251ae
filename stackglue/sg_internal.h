/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of ocfs2_stackglue shared by its files: the plugin registry
 * and the selected cluster stack label.
 */
#ifndef OCFS2_SG_INTERNAL_H
#define OCFS2_SG_INTERNAL_H

#include <linux/mutex.h>
#include <ocfs2/stackglue.h>

/* protects the registry, the label, the active plugin and max version */
extern struct mutex ocfs2_stack_lock;
extern struct list_head ocfs2_stack_list;
extern struct ocfs2_stack_plugin *ocfs2_active_stack;
extern char ocfs2_cluster_stack_name[OCFS2_STACK_LABEL_LEN + 1];
extern struct ocfs2_protocol_version ocfs2_locking_max_version;
extern char ocfs2_hb_ctl_path[OCFS2_MAX_HB_CTL_PATH];

/* sg_plugin.c */
int ocfs2_stack_driver_get(const char *stack_name);
void ocfs2_stack_driver_put(void);

/* sg_sysfs.c */
int ocfs2_sg_sysfs_init(void);
void ocfs2_sg_sysfs_exit(void);

/* sg_sysctl.c */
int ocfs2_sg_sysctl_init(void);
void ocfs2_sg_sysctl_exit(void);

#endif /* OCFS2_SG_INTERNAL_H */
