// SPDX-License-Identifier: GPL-2.0
/*
 * Heartbeat views in debugfs, in the stock layout so o2hbmonitor and
 * admins' scripts read them unchanged: o2hb/{livenodes,live_regions,
 * quorum_regions,failed_regions} and o2hb/<region>/{livenodes,num,
 * elapsed_time_in_ms,pinned}.  Maps print as numbers each followed by a
 * space, then a newline.
 */
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/seq_file.h>

#include "hb_internal.h"

static struct dentry *o2hb_debug_dir;

static void o2hb_seq_map(struct seq_file *m, const unsigned long *src,
			 unsigned int bits)
{
	unsigned long map[BITS_TO_LONGS(O2NM_MAX_NODES)];
	unsigned int i;

	spin_lock(&o2hb_live_lock);
	bitmap_copy(map, src, bits);
	spin_unlock(&o2hb_live_lock);
	for_each_set_bit(i, map, bits)
		seq_printf(m, "%u ", i);
	seq_putc(m, '\n');
}

static int o2hb_livenodes_show(struct seq_file *m, void *v)
{
	o2hb_seq_map(m, o2hb_live_node_map, O2NM_MAX_NODES);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2hb_livenodes);

static int o2hb_live_regions_show(struct seq_file *m, void *v)
{
	o2hb_seq_map(m, o2hb_live_region_map, O2NM_MAX_REGIONS);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2hb_live_regions);

static int o2hb_quorum_regions_show(struct seq_file *m, void *v)
{
	o2hb_seq_map(m, o2hb_quorum_region_map, O2NM_MAX_REGIONS);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2hb_quorum_regions);

static int o2hb_failed_regions_show(struct seq_file *m, void *v)
{
	o2hb_seq_map(m, o2hb_failed_region_map, O2NM_MAX_REGIONS);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2hb_failed_regions);

static int o2hb_region_livenodes_show(struct seq_file *m, void *v)
{
	struct o2hb_region *reg = m->private;

	o2hb_seq_map(m, reg->live_map, O2NM_MAX_NODES);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2hb_region_livenodes);

static int o2hb_region_num_show(struct seq_file *m, void *v)
{
	struct o2hb_region *reg = m->private;

	seq_printf(m, "%u\n", reg->region_num);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2hb_region_num);

/* time since the last good write; 0 before the first */
static int o2hb_region_elapsed_show(struct seq_file *m, void *v)
{
	struct o2hb_region *reg = m->private;
	unsigned long last = READ_ONCE(reg->last_arm);

	seq_printf(m, "%u\n", last ? jiffies_to_msecs(jiffies - last) : 0);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2hb_region_elapsed);

static int o2hb_region_pinned_show(struct seq_file *m, void *v)
{
	struct o2hb_region *reg = m->private;

	seq_printf(m, "%u\n", reg->pinned ? 1 : 0);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2hb_region_pinned);

void o2hb_debugfs_init(void)
{
	o2hb_debug_dir = debugfs_create_dir("o2hb", NULL);
	debugfs_create_file("livenodes", 0400, o2hb_debug_dir, NULL,
			    &o2hb_livenodes_fops);
	debugfs_create_file("live_regions", 0400, o2hb_debug_dir, NULL,
			    &o2hb_live_regions_fops);
	debugfs_create_file("quorum_regions", 0400, o2hb_debug_dir, NULL,
			    &o2hb_quorum_regions_fops);
	debugfs_create_file("failed_regions", 0400, o2hb_debug_dir, NULL,
			    &o2hb_failed_regions_fops);
}

void o2hb_debugfs_exit(void)
{
	debugfs_remove_recursive(o2hb_debug_dir);
}

void o2hb_debugfs_add_region(struct o2hb_region *reg)
{
	struct dentry *dir;

	dir = debugfs_create_dir(config_item_name(&reg->item), o2hb_debug_dir);
	reg->debug_dir = dir;
	debugfs_create_file("livenodes", 0400, dir, reg,
			    &o2hb_region_livenodes_fops);
	debugfs_create_file("num", 0400, dir, reg, &o2hb_region_num_fops);
	debugfs_create_file("elapsed_time_in_ms", 0400, dir, reg,
			    &o2hb_region_elapsed_fops);
	debugfs_create_file("pinned", 0400, dir, reg,
			    &o2hb_region_pinned_fops);
}

void o2hb_debugfs_remove_region(struct o2hb_region *reg)
{
	debugfs_remove_recursive(reg->debug_dir);
	reg->debug_dir = NULL;
}
