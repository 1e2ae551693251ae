// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2_stack_user: the stackglue plugin "user" over the kernel's fs/dlm,
 * serving every cluster stack label but o2cb (pcmk, cman, ...).  Init
 * brings up /dev/ocfs2_control before the plugin can be chosen; exit is
 * the mirror.  Stackglue pins this module while a connection exists.
 */
#include <linux/module.h>

#include "su_internal.h"

struct ocfs2_stack_plugin su_plugin = {
	.sp_name	= OCFS2_STACK_PLUGIN_USER,
	.sp_ops		= &su_ops,
	.sp_owner	= THIS_MODULE,
};

static int __init su_init(void)
{
	int ret;

	ret = su_control_init();
	if (ret)
		return ret;
	ret = ocfs2_stack_glue_register(&su_plugin);
	if (ret)
		goto out_control;
	return 0;

out_control:
	su_control_exit();
	return ret;
}

static void __exit su_exit(void)
{
	ocfs2_stack_glue_unregister(&su_plugin);
	su_control_exit();
}

module_init(su_init);
module_exit(su_exit);
MODULE_DESCRIPTION("OCFS2 cluster stack plugin for fs/dlm (userspace cluster stacks)");
MODULE_LICENSE("GPL");
