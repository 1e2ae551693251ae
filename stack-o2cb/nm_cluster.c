// SPDX-License-Identifier: GPL-2.0
/*
 * The cluster directory of the o2cb node manager:
 * /sys/kernel/config/cluster/<name>/ with the network timeouts and the
 * fence method, holding the node/ and heartbeat/ groups.  Only one
 * cluster can exist; o2net and o2hb read its settings.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "o2nm.h"
#include "o2hb.h"
#include "o2net.h"

struct o2nm_cluster *o2nm_single_cluster;
EXPORT_SYMBOL_GPL(o2nm_single_cluster);

static const char *const o2nm_fence_method_names[O2NM_FENCE_METHODS] = {
	[O2NM_FENCE_RESET] = "reset",
	[O2NM_FENCE_PANIC] = "panic",
};

static struct o2nm_cluster *to_o2nm_cluster(struct config_item *item)
{
	return container_of(to_config_group(item), struct o2nm_cluster, group);
}

enum o2nm_fence_method o2nm_fence_method(void)
{
	struct o2nm_cluster *cluster = o2nm_single_cluster;

	return cluster ? cluster->fence_method : O2NM_FENCE_RESET;
}
EXPORT_SYMBOL_GPL(o2nm_fence_method);

/* A positive 32-bit millisecond count, optionally newline-terminated. */
static int o2nm_parse_ms(const char *page, unsigned int *ms)
{
	char buf[16];
	size_t len = strcspn(page, "\n");
	unsigned int val;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, page, len);
	buf[len] = '\0';
	if (kstrtouint(buf, 0, &val) || val == 0 || val == U32_MAX)
		return -EINVAL;
	*ms = val;
	return 0;
}

/*
 * Peers agreed on the timeouts in the o2net handshake; changing them
 * under live connections would make the nodes disagree on when a
 * silent peer is dead.
 */
static int o2nm_timeouts_frozen(unsigned int old, unsigned int new)
{
	int peers;

	if (old == new)
		return 0;
	peers = o2net_num_connected_peers();
	if (!peers)
		return 0;
	pr_notice("o2nm: timeouts cannot change while %d peer(s) are connected\n",
		  peers);
	return -EINVAL;
}

static ssize_t idle_timeout_ms_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", to_o2nm_cluster(item)->idle_timeout_ms);
}

static ssize_t idle_timeout_ms_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct o2nm_cluster *cluster = to_o2nm_cluster(item);
	unsigned int val;
	int ret;

	ret = o2nm_parse_ms(page, &val);
	if (!ret)
		ret = o2nm_timeouts_frozen(cluster->idle_timeout_ms, val);
	if (ret)
		return ret;
	if (val <= cluster->keepalive_delay_ms) {
		pr_notice("o2nm: idle timeout must be larger than keepalive delay (%u ms)\n",
			  cluster->keepalive_delay_ms);
		return -EINVAL;
	}
	cluster->idle_timeout_ms = val;
	return count;
}

static ssize_t keepalive_delay_ms_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", to_o2nm_cluster(item)->keepalive_delay_ms);
}

static ssize_t keepalive_delay_ms_store(struct config_item *item,
					const char *page, size_t count)
{
	struct o2nm_cluster *cluster = to_o2nm_cluster(item);
	unsigned int val;
	int ret;

	ret = o2nm_parse_ms(page, &val);
	if (!ret)
		ret = o2nm_timeouts_frozen(cluster->keepalive_delay_ms, val);
	if (ret)
		return ret;
	if (val >= cluster->idle_timeout_ms) {
		pr_notice("o2nm: keepalive delay must be smaller than idle timeout (%u ms)\n",
			  cluster->idle_timeout_ms);
		return -EINVAL;
	}
	cluster->keepalive_delay_ms = val;
	return count;
}

static ssize_t reconnect_delay_ms_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", to_o2nm_cluster(item)->reconnect_delay_ms);
}

static ssize_t reconnect_delay_ms_store(struct config_item *item,
					const char *page, size_t count)
{
	struct o2nm_cluster *cluster = to_o2nm_cluster(item);
	unsigned int val;
	int ret;

	ret = o2nm_parse_ms(page, &val);
	if (!ret)
		ret = o2nm_timeouts_frozen(cluster->reconnect_delay_ms, val);
	if (ret)
		return ret;
	cluster->reconnect_delay_ms = val;
	return count;
}

static ssize_t fence_method_show(struct config_item *item, char *page)
{
	return sprintf(page, "%s\n",
		       o2nm_fence_method_names[to_o2nm_cluster(item)->fence_method]);
}

static ssize_t fence_method_store(struct config_item *item, const char *page,
				  size_t count)
{
	struct o2nm_cluster *cluster = to_o2nm_cluster(item);
	size_t len = strcspn(page, "\n");
	int i;

	for (i = 0; i < O2NM_FENCE_METHODS; i++) {
		if (len != strlen(o2nm_fence_method_names[i]) ||
		    strncasecmp(page, o2nm_fence_method_names[i], len))
			continue;
		if (cluster->fence_method != i)
			pr_info("o2nm: fence method is now %s\n",
				o2nm_fence_method_names[i]);
		cluster->fence_method = i;
		return count;
	}
	return -EINVAL;
}

CONFIGFS_ATTR(, idle_timeout_ms);
CONFIGFS_ATTR(, keepalive_delay_ms);
CONFIGFS_ATTR(, reconnect_delay_ms);
CONFIGFS_ATTR(, fence_method);

static struct configfs_attribute *o2nm_cluster_attrs[] = {
	&attr_idle_timeout_ms,
	&attr_keepalive_delay_ms,
	&attr_reconnect_delay_ms,
	&attr_fence_method,
	NULL,
};

static void o2nm_cluster_release(struct config_item *item)
{
	struct o2nm_cluster *cluster = to_o2nm_cluster(item);

	o2hb_free_hb_set(cluster->hb_group);
	kfree(cluster);
}

static struct configfs_item_operations o2nm_cluster_item_ops = {
	.release	= o2nm_cluster_release,
};

static const struct config_item_type o2nm_cluster_type = {
	.ct_item_ops	= &o2nm_cluster_item_ops,
	.ct_attrs	= o2nm_cluster_attrs,
	.ct_owner	= THIS_MODULE,
};

static void o2nm_cluster_init(struct o2nm_cluster *cluster, const char *name)
{
	config_group_init_type_name(&cluster->group, name, &o2nm_cluster_type);
	config_group_init_type_name(&cluster->node_group, "node",
				    &o2nm_node_group_type);
	configfs_add_default_group(&cluster->node_group, &cluster->group);
	configfs_add_default_group(cluster->hb_group, &cluster->group);

	rwlock_init(&cluster->nodes_lock);
	cluster->ip_tree = RB_ROOT;
	cluster->local_node = O2NM_INVALID_NODE_NUM;
	cluster->idle_timeout_ms = O2NET_IDLE_TIMEOUT_MS_DEFAULT;
	cluster->keepalive_delay_ms = O2NET_KEEPALIVE_DELAY_MS_DEFAULT;
	cluster->reconnect_delay_ms = O2NET_RECONNECT_DELAY_MS_DEFAULT;
	cluster->fence_method = O2NM_FENCE_RESET;
}

/* mkdir cluster/<name>: configfs holds the parent's lock, so no races */
static struct config_group *o2nm_cluster_make_group(struct config_group *group,
						    const char *name)
{
	struct o2nm_cluster *cluster;

	if (o2nm_single_cluster)
		return ERR_PTR(-ENOSPC);
	if (strlen(name) > O2NM_MAX_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);

	cluster = kzalloc(sizeof(*cluster), GFP_KERNEL);
	if (!cluster)
		return ERR_PTR(-ENOMEM);
	cluster->hb_group = o2hb_alloc_hb_set();
	if (!cluster->hb_group) {
		kfree(cluster);
		return ERR_PTR(-ENOMEM);
	}
	o2nm_cluster_init(cluster, name);
	o2nm_single_cluster = cluster;
	return &cluster->group;
}

static void o2nm_cluster_drop_item(struct config_group *group,
				   struct config_item *item)
{
	struct o2nm_cluster *cluster = to_o2nm_cluster(item);

	if (o2nm_single_cluster == cluster)
		o2nm_single_cluster = NULL;
	configfs_remove_default_groups(&cluster->group);
	config_item_put(item);
}

static struct configfs_group_operations o2nm_cluster_group_ops = {
	.make_group	= o2nm_cluster_make_group,
	.drop_item	= o2nm_cluster_drop_item,
};

const struct config_item_type o2nm_cluster_group_type = {
	.ct_group_ops	= &o2nm_cluster_group_ops,
	.ct_owner	= THIS_MODULE,
};
