// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2_nodemanager module entry: registers the "cluster" configfs
 * subsystem and /sys/fs/o2cb, and starts heartbeat and o2net in the
 * order the layers depend on each other.  Also the configfs dependency
 * helpers other layers use to pin nodes and regions while in use.
 */
#include <linux/kernel.h>
#include <linux/module.h>

#include "o2nm.h"
#include "o2hb.h"
#include "o2net.h"

static struct configfs_subsystem o2nm_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "cluster",
			.ci_type = &o2nm_cluster_group_type,
		},
	},
};

void o2nm_lock_subsystem(void)
{
	mutex_lock(&o2nm_subsys.su_mutex);
}

void o2nm_unlock_subsystem(void)
{
	mutex_unlock(&o2nm_subsys.su_mutex);
}

int o2nm_depend_item(struct config_item *item)
{
	return configfs_depend_item(&o2nm_subsys, item);
}
EXPORT_SYMBOL_GPL(o2nm_depend_item);

/* for callers already inside a configfs callback of this subsystem */
int o2nm_depend_item_unlocked(struct config_item *item)
{
	return configfs_depend_item_unlocked(&o2nm_subsys, item);
}
EXPORT_SYMBOL_GPL(o2nm_depend_item_unlocked);

void o2nm_undepend_item(struct config_item *item)
{
	configfs_undepend_item(item);
}
EXPORT_SYMBOL_GPL(o2nm_undepend_item);

int o2nm_depend_this_node(void)
{
	struct o2nm_node *node = o2nm_get_node_by_num(o2nm_this_node());
	int ret;

	if (!node)
		return -EINVAL;
	ret = o2nm_depend_item(&node->item);
	o2nm_node_put(node);
	return ret;
}
EXPORT_SYMBOL_GPL(o2nm_depend_this_node);

void o2nm_undepend_this_node(void)
{
	struct o2nm_node *node = o2nm_get_node_by_num(o2nm_this_node());

	if (WARN_ON_ONCE(!node))
		return;
	o2nm_undepend_item(&node->item);
	o2nm_node_put(node);
}
EXPORT_SYMBOL_GPL(o2nm_undepend_this_node);

static int __init o2nm_module_init(void)
{
	int ret;

	ret = o2hb_init();
	if (ret)
		return ret;
	ret = o2net_init();
	if (ret)
		goto out_hb;

	config_group_init(&o2nm_subsys.su_group);
	mutex_init(&o2nm_subsys.su_mutex);
	ret = configfs_register_subsystem(&o2nm_subsys);
	if (ret) {
		pr_err("o2nm: cannot register the cluster configfs subsystem: %d\n",
		       ret);
		goto out_net;
	}

	ret = o2nm_sysfs_init();
	if (ret)
		goto out_configfs;
	return 0;

out_configfs:
	configfs_unregister_subsystem(&o2nm_subsys);
out_net:
	o2net_exit();
out_hb:
	o2hb_exit();
	return ret;
}

static void __exit o2nm_module_exit(void)
{
	o2nm_sysfs_exit();
	configfs_unregister_subsystem(&o2nm_subsys);
	o2net_exit();
	o2hb_exit();
}

module_init(o2nm_module_init);
module_exit(o2nm_module_exit);
MODULE_DESCRIPTION("OCFS2 cluster management: o2cb node manager, heartbeat, o2net");
MODULE_LICENSE("GPL");
