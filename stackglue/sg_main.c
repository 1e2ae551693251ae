// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2_stackglue module entry: the sysctl and /sys/fs/ocfs2, in order,
 * and their mirror on exit.  Plugins register themselves later.
 */
#include <linux/module.h>

#include "sg_internal.h"

static int __init ocfs2_stackglue_init(void)
{
	int ret;

	ret = ocfs2_sg_sysctl_init();
	if (ret)
		return ret;
	ret = ocfs2_sg_sysfs_init();
	if (ret)
		goto out_sysctl;
	return 0;

out_sysctl:
	ocfs2_sg_sysctl_exit();
	return ret;
}

static void __exit ocfs2_stackglue_exit(void)
{
	ocfs2_sg_sysfs_exit();
	ocfs2_sg_sysctl_exit();
}

module_init(ocfs2_stackglue_init);
module_exit(ocfs2_stackglue_exit);
MODULE_DESCRIPTION("OCFS2 cluster stack glue: plugin switch, /sys/fs/ocfs2");
MODULE_LICENSE("GPL");
