// SPDX-License-Identifier: GPL-2.0
/*
 * Node items of the o2cb node manager: cluster/<name>/node/<nodename>/
 * with num, ipv4_address, ipv4_port and local.  The tools write port,
 * address and num once each, in that order, then local; a node becomes
 * visible to heartbeat and o2net when its number is written.
 */
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "o2nm.h"
#include "o2net.h"

static struct o2nm_node *to_o2nm_node(struct config_item *item)
{
	return container_of(item, struct o2nm_node, item);
}

/* node -> node group -> cluster group */
static struct o2nm_cluster *o2nm_node_cluster(struct o2nm_node *node)
{
	struct config_item *ngroup = node->item.ci_parent;

	if (!ngroup || !ngroup->ci_parent)
		return NULL;
	return container_of(to_config_group(ngroup->ci_parent),
			    struct o2nm_cluster, group);
}

/* Parse a decimal (or 0x) number ending at the string end or a newline. */
static int o2nm_parse_ulong(const char *page, unsigned long *val)
{
	char buf[24];
	size_t len = strcspn(page, "\n");

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, page, len);
	buf[len] = '\0';
	return kstrtoul(buf, 0, val) ? -EINVAL : 0;
}

static bool o2nm_node_has(struct o2nm_node *node, int attr)
{
	return test_bit(attr, &node->set_attrs);
}

static ssize_t num_show(struct config_item *item, char *page)
{
	return sprintf(page, "%d\n", to_o2nm_node(item)->num);
}

static ssize_t num_store(struct config_item *item, const char *page,
			 size_t count)
{
	struct o2nm_node *node = to_o2nm_node(item);
	struct o2nm_cluster *cluster;
	unsigned long num;
	int ret;

	ret = o2nm_parse_ulong(page, &num);
	if (ret)
		return ret;
	if (num >= O2NM_MAX_NODES)
		return -EINVAL;
	/* o2net may connect as soon as the number is known */
	if (!o2nm_node_has(node, O2NM_NODE_ATTR_ADDRESS) ||
	    !o2nm_node_has(node, O2NM_NODE_ATTR_PORT))
		return -EINVAL;

	o2nm_lock_subsystem();
	cluster = o2nm_node_cluster(node);
	ret = -EINVAL;
	if (!cluster)
		goto out;
	write_lock(&cluster->nodes_lock);
	if (cluster->nodes[num]) {
		ret = -EEXIST;
	} else if (test_and_set_bit(O2NM_NODE_ATTR_NUM, &node->set_attrs)) {
		ret = -EBUSY;
	} else {
		node->num = num;
		cluster->nodes[num] = node;
		set_bit(num, cluster->node_map);
		ret = 0;
	}
	write_unlock(&cluster->nodes_lock);
out:
	o2nm_unlock_subsystem();
	return ret ? ret : count;
}

static ssize_t ipv4_port_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", ntohs(to_o2nm_node(item)->ipv4_port));
}

static ssize_t ipv4_port_store(struct config_item *item, const char *page,
			       size_t count)
{
	struct o2nm_node *node = to_o2nm_node(item);
	unsigned long port;
	int ret;

	ret = o2nm_parse_ulong(page, &port);
	if (ret)
		return ret;
	if (port == 0 || port >= U16_MAX)
		return -EINVAL;
	if (test_and_set_bit(O2NM_NODE_ATTR_PORT, &node->set_attrs))
		return -EBUSY;
	node->ipv4_port = htons(port);
	return count;
}

static ssize_t ipv4_address_show(struct config_item *item, char *page)
{
	return sprintf(page, "%pI4\n", &to_o2nm_node(item)->ipv4_address);
}

static struct o2nm_node *o2nm_ip_lookup(struct o2nm_cluster *cluster,
					__be32 addr, struct rb_node ***link,
					struct rb_node **parent)
{
	struct rb_node **p = &cluster->ip_tree.rb_node;
	struct rb_node *last = NULL;
	struct o2nm_node *node;

	while (*p) {
		last = *p;
		node = rb_entry(last, struct o2nm_node, ip_node);
		if ((__force u32)addr < (__force u32)node->ipv4_address)
			p = &last->rb_left;
		else if ((__force u32)addr > (__force u32)node->ipv4_address)
			p = &last->rb_right;
		else
			return node;
	}
	if (link)
		*link = p;
	if (parent)
		*parent = last;
	return NULL;
}

static int o2nm_parse_ipv4(const char *page, __be32 *addr)
{
	const char *end;
	size_t len = strcspn(page, "\n");

	if (!len || len > 15)
		return -EINVAL;
	if (!in4_pton(page, len, (u8 *)addr, -1, &end) || end != page + len)
		return -EINVAL;
	return 0;
}

static ssize_t ipv4_address_store(struct config_item *item, const char *page,
				  size_t count)
{
	struct o2nm_node *node = to_o2nm_node(item);
	struct o2nm_cluster *cluster;
	struct rb_node **link, *parent;
	__be32 addr;
	int ret;

	ret = o2nm_parse_ipv4(page, &addr);
	if (ret)
		return ret;

	o2nm_lock_subsystem();
	cluster = o2nm_node_cluster(node);
	ret = -EINVAL;
	if (!cluster)
		goto out;
	write_lock(&cluster->nodes_lock);
	if (o2nm_ip_lookup(cluster, addr, &link, &parent)) {
		ret = -EEXIST;
	} else if (test_and_set_bit(O2NM_NODE_ATTR_ADDRESS, &node->set_attrs)) {
		ret = -EBUSY;
	} else {
		node->ipv4_address = addr;
		rb_link_node(&node->ip_node, parent, link);
		rb_insert_color(&node->ip_node, &cluster->ip_tree);
		ret = 0;
	}
	write_unlock(&cluster->nodes_lock);
out:
	o2nm_unlock_subsystem();
	return ret ? ret : count;
}

static ssize_t local_show(struct config_item *item, char *page)
{
	return sprintf(page, "%d\n", to_o2nm_node(item)->local);
}

/* Called with the subsystem lock held. */
static int o2nm_set_local(struct o2nm_cluster *cluster, struct o2nm_node *node,
			  bool local)
{
	int ret;

	if (local && cluster->has_local && cluster->local_node != node->num)
		return -EBUSY;

	if (local && !cluster->has_local) {
		ret = o2net_start_listening(node);
		if (ret)
			return ret;
		cluster->has_local = true;
		cluster->local_node = node->num;
		node->local = true;
		/* now o2nm_this_node() is set: connect to live peers */
		o2net_complete_start_listening(node);
		return 0;
	} else if (!local && cluster->has_local &&
		   cluster->local_node == node->num) {
		o2net_stop_listening(node);
		cluster->has_local = false;
		cluster->local_node = O2NM_INVALID_NODE_NUM;
	}
	node->local = local;
	return 0;
}

static ssize_t local_store(struct config_item *item, const char *page,
			   size_t count)
{
	struct o2nm_node *node = to_o2nm_node(item);
	struct o2nm_cluster *cluster;
	unsigned long val;
	int ret;

	ret = o2nm_parse_ulong(page, &val);
	if (ret)
		return ret;
	/* the listener binds the node's address, so it must be complete */
	if (!o2nm_node_has(node, O2NM_NODE_ATTR_ADDRESS) ||
	    !o2nm_node_has(node, O2NM_NODE_ATTR_PORT) ||
	    !o2nm_node_has(node, O2NM_NODE_ATTR_NUM))
		return -EINVAL;

	o2nm_lock_subsystem();
	cluster = o2nm_node_cluster(node);
	ret = cluster ? o2nm_set_local(cluster, node, val != 0) : -EINVAL;
	o2nm_unlock_subsystem();
	return ret ? ret : count;
}

CONFIGFS_ATTR(, num);
CONFIGFS_ATTR(, ipv4_port);
CONFIGFS_ATTR(, ipv4_address);
CONFIGFS_ATTR(, local);

static struct configfs_attribute *o2nm_node_attrs[] = {
	&attr_num,
	&attr_ipv4_port,
	&attr_ipv4_address,
	&attr_local,
	NULL,
};

static void o2nm_node_release(struct config_item *item)
{
	kfree(to_o2nm_node(item));
}

static struct configfs_item_operations o2nm_node_item_ops = {
	.release	= o2nm_node_release,
};

static const struct config_item_type o2nm_node_type = {
	.ct_item_ops	= &o2nm_node_item_ops,
	.ct_attrs	= o2nm_node_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_item *o2nm_node_make_item(struct config_group *group,
					       const char *name)
{
	struct o2nm_node *node;

	if (strlen(name) > O2NM_MAX_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return ERR_PTR(-ENOMEM);
	node->num = O2NM_INVALID_NODE_NUM;
	RB_CLEAR_NODE(&node->ip_node);
	config_item_init_type_name(&node->item, name, &o2nm_node_type);
	return &node->item;
}

/* Take the node out of every lookup structure; nodes_lock held. */
static void o2nm_node_unlink(struct o2nm_cluster *cluster,
			     struct o2nm_node *node)
{
	if (!RB_EMPTY_NODE(&node->ip_node)) {
		rb_erase(&node->ip_node, &cluster->ip_tree);
		RB_CLEAR_NODE(&node->ip_node);
	}
	if (o2nm_node_has(node, O2NM_NODE_ATTR_NUM) &&
	    cluster->nodes[node->num] == node) {
		cluster->nodes[node->num] = NULL;
		clear_bit(node->num, cluster->node_map);
	}
}

static void o2nm_node_drop_item(struct config_group *group,
				struct config_item *item)
{
	struct o2nm_node *node = to_o2nm_node(item);
	struct o2nm_cluster *cluster =
		container_of(group, struct o2nm_cluster, node_group);

	if (o2nm_node_has(node, O2NM_NODE_ATTR_NUM) &&
	    cluster->nodes[node->num] == node) {
		o2net_disconnect_node(node);
		if (cluster->has_local && cluster->local_node == node->num) {
			o2net_stop_listening(node);
			cluster->has_local = false;
			cluster->local_node = O2NM_INVALID_NODE_NUM;
		}
	}

	write_lock(&cluster->nodes_lock);
	o2nm_node_unlink(cluster, node);
	write_unlock(&cluster->nodes_lock);

	config_item_put(item);
}

static struct configfs_group_operations o2nm_node_group_ops = {
	.make_item	= o2nm_node_make_item,
	.drop_item	= o2nm_node_drop_item,
};

const struct config_item_type o2nm_node_group_type = {
	.ct_group_ops	= &o2nm_node_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* Lookups for the layers above: each returns a reference to drop. */
struct o2nm_node *o2nm_get_node_by_num(u8 node_num)
{
	struct o2nm_cluster *cluster = o2nm_single_cluster;
	struct o2nm_node *node = NULL;

	if (node_num >= O2NM_MAX_NODES || !cluster)
		return NULL;
	read_lock(&cluster->nodes_lock);
	node = cluster->nodes[node_num];
	if (node)
		config_item_get(&node->item);
	read_unlock(&cluster->nodes_lock);
	return node;
}
EXPORT_SYMBOL_GPL(o2nm_get_node_by_num);

struct o2nm_node *o2nm_get_node_by_ip(__be32 addr)
{
	struct o2nm_cluster *cluster = o2nm_single_cluster;
	struct o2nm_node *node;

	if (!cluster)
		return NULL;
	read_lock(&cluster->nodes_lock);
	node = o2nm_ip_lookup(cluster, addr, NULL, NULL);
	if (node)
		config_item_get(&node->item);
	read_unlock(&cluster->nodes_lock);
	return node;
}
EXPORT_SYMBOL_GPL(o2nm_get_node_by_ip);

void o2nm_node_get(struct o2nm_node *node)
{
	config_item_get(&node->item);
}
EXPORT_SYMBOL_GPL(o2nm_node_get);

void o2nm_node_put(struct o2nm_node *node)
{
	config_item_put(&node->item);
}
EXPORT_SYMBOL_GPL(o2nm_node_put);

int o2nm_configured_node_map(unsigned long *map, unsigned int bytes)
{
	struct o2nm_cluster *cluster = o2nm_single_cluster;

	if (bytes < sizeof(cluster->node_map))
		return -EINVAL;
	if (!cluster)
		return -EINVAL;
	read_lock(&cluster->nodes_lock);
	memcpy(map, cluster->node_map, sizeof(cluster->node_map));
	read_unlock(&cluster->nodes_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(o2nm_configured_node_map);

u8 o2nm_this_node(void)
{
	struct o2nm_cluster *cluster = o2nm_single_cluster;

	if (cluster && cluster->has_local)
		return cluster->local_node;
	return O2NM_MAX_NODES;
}
EXPORT_SYMBOL_GPL(o2nm_this_node);
