// SPDX-License-Identifier: GPL-2.0
/*
 * The heartbeat group, cluster/<name>/heartbeat/: dead_threshold and
 * mode (local|global), and mkdir/rmdir of regions.  Both settings are
 * node-wide and can change only while no region exists, because every
 * node of the cluster must agree on them.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "hb_internal.h"

unsigned int o2hb_dead_threshold = O2HB_DEFAULT_DEAD_THRESHOLD;
unsigned int o2hb_mode = O2HB_MODE_LOCAL;

/* samples are counted in 16 bits */
#define O2HB_MAX_DEAD_THRESHOLD	U16_MAX

static const char *const o2hb_mode_names[O2HB_NUM_MODES] = {
	[O2HB_MODE_LOCAL] = "local",
	[O2HB_MODE_GLOBAL] = "global",
};

int o2hb_global_heartbeat_active(void)
{
	return o2hb_mode == O2HB_MODE_GLOBAL;
}
EXPORT_SYMBOL_GPL(o2hb_global_heartbeat_active);

unsigned int o2hb_dead_threshold_get(void)
{
	return o2hb_dead_threshold;
}
EXPORT_SYMBOL_GPL(o2hb_dead_threshold_get);

/* Change a node-wide setting only while no region exists. */
static int o2hb_set_if_idle(unsigned int *setting, unsigned int val)
{
	int ret = 0;

	spin_lock(&o2hb_live_lock);
	if (*setting != val && !list_empty(&o2hb_all_regions))
		ret = -EBUSY;
	else
		*setting = val;
	spin_unlock(&o2hb_live_lock);
	return ret;
}

static ssize_t dead_threshold_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", o2hb_dead_threshold);
}

static ssize_t dead_threshold_store(struct config_item *item,
				    const char *page, size_t count)
{
	char buf[16];
	size_t len = strcspn(page, "\n");
	unsigned int val;
	int ret;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, page, len);
	buf[len] = '\0';
	/* at the minimum the write timeout would equal one interval */
	if (kstrtouint(buf, 10, &val) || val <= O2HB_MIN_DEAD_THRESHOLD ||
	    val > O2HB_MAX_DEAD_THRESHOLD)
		return -EINVAL;
	ret = o2hb_set_if_idle(&o2hb_dead_threshold, val);
	if (ret)
		pr_notice("o2hb: dead_threshold cannot change while heartbeat regions exist\n");
	return ret ? ret : count;
}

static ssize_t mode_show(struct config_item *item, char *page)
{
	return sprintf(page, "%s\n", o2hb_mode_names[o2hb_mode]);
}

static ssize_t mode_store(struct config_item *item, const char *page,
			  size_t count)
{
	size_t len = strcspn(page, "\n");
	unsigned int mode;
	int ret;

	for (mode = 0; mode < O2HB_NUM_MODES; mode++)
		if (len == strlen(o2hb_mode_names[mode]) &&
		    !strncasecmp(page, o2hb_mode_names[mode], len))
			break;
	if (mode == O2HB_NUM_MODES)
		return -EINVAL;
	ret = o2hb_set_if_idle(&o2hb_mode, mode);
	if (ret) {
		pr_notice("o2hb: heartbeat mode cannot change while heartbeat regions exist\n");
		return ret;
	}
	pr_notice("o2hb: heartbeat mode set to %s\n", o2hb_mode_names[mode]);
	return count;
}

CONFIGFS_ATTR(, dead_threshold);
CONFIGFS_ATTR(, mode);

static struct configfs_attribute *o2hb_group_attrs[] = {
	&attr_dead_threshold,
	&attr_mode,
	NULL,
};

static struct config_item *o2hb_group_make_item(struct config_group *group,
						const char *name)
{
	struct o2hb_region *reg = o2hb_region_create(name);

	return IS_ERR(reg) ? ERR_CAST(reg) : &reg->item;
}

static void o2hb_group_drop_item(struct config_group *group,
				 struct config_item *item)
{
	o2hb_region_stop(to_o2hb_region(item));
	config_item_put(item);
}

static struct configfs_group_operations o2hb_group_ops = {
	.make_item	= o2hb_group_make_item,
	.drop_item	= o2hb_group_drop_item,
};

static const struct config_item_type o2hb_group_type = {
	.ct_group_ops	= &o2hb_group_ops,
	.ct_attrs	= o2hb_group_attrs,
	.ct_owner	= THIS_MODULE,
};

struct config_group *o2hb_alloc_hb_set(void)
{
	struct config_group *group = kzalloc(sizeof(*group), GFP_KERNEL);

	if (group)
		config_group_init_type_name(group, "heartbeat",
					    &o2hb_group_type);
	return group;
}

void o2hb_free_hb_set(struct config_group *group)
{
	kfree(group);
}

/* o2dlm sends names as fixed 32-byte fields, unterminated when full */
static void o2hb_copy_region_name(char *dst, const char *name)
{
	memset(dst, 0, O2HB_MAX_REGION_NAME_LEN);
	memcpy(dst, name, strnlen(name, O2HB_MAX_REGION_NAME_LEN));
}

int o2hb_get_all_regions(char *region_uuids, u8 max_regions)
{
	struct o2hb_region *reg;
	int n = 0;

	spin_lock(&o2hb_live_lock);
	list_for_each_entry(reg, &o2hb_all_regions, all_item) {
		if (reg->dropped)
			continue;
		if (n < max_regions)
			o2hb_copy_region_name(region_uuids +
					      n * O2HB_MAX_REGION_NAME_LEN,
					      config_item_name(&reg->item));
		n++;
	}
	spin_unlock(&o2hb_live_lock);
	return n;
}
EXPORT_SYMBOL_GPL(o2hb_get_all_regions);

int o2hb_init(void)
{
	o2hb_events_init();
	o2hb_debugfs_init();
	return 0;
}

void o2hb_exit(void)
{
	o2hb_debugfs_exit();
}
