// SPDX-License-Identifier: GPL-2.0
/*
 * Heartbeat regions in configfs: cluster/<name>/heartbeat/<uuid>/ with
 * block_bytes, start_block, blocks, dev and pid.  Writing an open file
 * descriptor of the block device to dev starts the region thread and
 * returns once heartbeat is steady; rmdir stops it.  A region that does
 * not fit on its device is refused.
 */
#include <linux/blkdev.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "hb_internal.h"

static int o2hb_parse_u64(const char *page, u64 *val)
{
	char buf[24];
	size_t len = strcspn(page, "\n");

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, page, len);
	buf[len] = '\0';
	return kstrtoull(buf, 0, val) ? -EINVAL : 0;
}

/* the geometry is fixed once dev has been written */
static bool o2hb_region_running(struct o2hb_region *reg)
{
	return test_bit(0, &reg->dev_busy);
}

static ssize_t block_bytes_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", to_o2hb_region(item)->block_bytes);
}

static ssize_t block_bytes_store(struct config_item *item, const char *page,
				 size_t count)
{
	struct o2hb_region *reg = to_o2hb_region(item);
	u64 bytes;

	if (o2hb_region_running(reg))
		return -EBUSY;
	if (o2hb_parse_u64(page, &bytes))
		return -EINVAL;
	if (bytes < O2HB_MIN_BLOCK_BYTES || bytes > O2HB_MAX_BLOCK_BYTES ||
	    !is_power_of_2(bytes))
		return -EINVAL;
	reg->block_bytes = bytes;
	reg->block_bits = ilog2(bytes);
	return count;
}

static ssize_t start_block_show(struct config_item *item, char *page)
{
	return sprintf(page, "%llu\n", to_o2hb_region(item)->start_block);
}

static ssize_t start_block_store(struct config_item *item, const char *page,
				 size_t count)
{
	struct o2hb_region *reg = to_o2hb_region(item);
	u64 start;

	if (o2hb_region_running(reg))
		return -EBUSY;
	/* keep start_block << block_bits well inside sector_t */
	if (o2hb_parse_u64(page, &start) || start >= (1ULL << 48))
		return -EINVAL;
	reg->start_block = start;
	return count;
}

static ssize_t blocks_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", to_o2hb_region(item)->blocks);
}

static ssize_t blocks_store(struct config_item *item, const char *page,
			    size_t count)
{
	struct o2hb_region *reg = to_o2hb_region(item);
	u64 blocks;

	if (o2hb_region_running(reg))
		return -EBUSY;
	if (o2hb_parse_u64(page, &blocks) || blocks == 0 ||
	    blocks > O2NM_MAX_NODES)
		return -EINVAL;
	reg->blocks = blocks;
	return count;
}

static ssize_t dev_show(struct config_item *item, char *page)
{
	struct o2hb_region *reg = to_o2hb_region(item);

	if (!reg->bdev)
		return 0;
	return sprintf(page, "%pg\n", reg->bdev);
}

/*
 * The device must be a block device whose sectors match and that holds
 * the whole area.
 */
static int o2hb_check_device(struct o2hb_region *reg, struct file *file)
{
	struct inode *inode = file->f_mapping->host;
	struct block_device *bdev;
	sector_t need;

	if (!S_ISBLK(inode->i_mode) || !(file->f_mode & FMODE_WRITE)) {
		pr_err("o2hb: region %s: dev must be a block device open for writing\n",
		       config_item_name(&reg->item));
		return -EINVAL;
	}
	bdev = I_BDEV(inode);
	if (bdev_logical_block_size(bdev) != reg->block_bytes) {
		pr_err("o2hb: region %s: block_bytes %u does not match the %u-byte sectors of %pg\n",
		       config_item_name(&reg->item), reg->block_bytes,
		       bdev_logical_block_size(bdev), bdev);
		return -EINVAL;
	}
	need = (reg->start_block + reg->blocks) <<
		(reg->block_bits - SECTOR_SHIFT);
	if (need > bdev_nr_sectors(bdev)) {
		pr_err("o2hb: region %s: blocks %llu..%llu lie beyond the end of %pg (%llu sectors)\n",
		       config_item_name(&reg->item), reg->start_block,
		       reg->start_block + reg->blocks - 1, bdev,
		       (unsigned long long)bdev_nr_sectors(bdev));
		return -ENOSPC;
	}
	reg->bdev = bdev;
	return 0;
}

/* Seed every slot with what is on disk now, so only later writes count. */
static int o2hb_seed_slots(struct o2hb_region *reg)
{
	struct o2hb_disk_block *blk;
	unsigned int i;
	int ret;

	ret = o2hb_read_slots(reg, 0, reg->blocks);
	if (ret)
		return ret;
	for (i = 0; i < reg->blocks; i++) {
		blk = o2hb_slot_block(reg, i);
		reg->slots[i].last_seq = le64_to_cpu(blk->hb_seq);
		reg->slots[i].last_gen = le64_to_cpu(blk->hb_generation);
	}
	return 0;
}

/* A node is live after LIVE_THRESHOLD beats; give others that long. */
static void o2hb_init_steady(struct o2hb_region *reg)
{
	int beats = O2HB_LIVE_THRESHOLD;

	if (o2hb_global_heartbeat_active()) {
		spin_lock(&o2hb_live_lock);
		/* the first global region decides liveness for all */
		if (bitmap_weight(o2hb_region_map, O2NM_MAX_REGIONS) == 1)
			beats *= 2;
		spin_unlock(&o2hb_live_lock);
	}
	atomic_set(&reg->steady_left, beats + 1);
	atomic_set(&reg->unsteady_left, (beats + 1) * 3);
}

static int o2hb_start_thread(struct o2hb_region *reg)
{
	struct task_struct *task;

	reg->aborted = false;
	reg->node_deleted = false;
	reg->own_written = false;
	do {
		get_random_bytes(&reg->generation, sizeof(reg->generation));
	} while (!reg->generation);
	o2hb_init_steady(reg);
	o2hb_set_stopping(reg, false);

	task = kthread_create(o2hb_thread, reg, "o2hb-%s",
			      config_item_name(&reg->item));
	if (IS_ERR(task))
		return PTR_ERR(task);
	get_task_struct(task);	/* the thread may exit before we stop it */
	spin_lock(&o2hb_live_lock);
	reg->task = task;
	spin_unlock(&o2hb_live_lock);
	wake_up_process(task);
	return 0;
}

static struct task_struct *o2hb_take_task(struct o2hb_region *reg)
{
	struct task_struct *task;

	spin_lock(&o2hb_live_lock);
	task = reg->task;
	reg->task = NULL;
	spin_unlock(&o2hb_live_lock);
	return task;
}

/* Stop the thread if nobody else did; true if it was ours to stop. */
static bool o2hb_stop_thread(struct o2hb_region *reg)
{
	struct task_struct *task;

	o2hb_set_stopping(reg, true);
	o2hb_disarm_timeout(reg);
	task = o2hb_take_task(reg);
	if (!task)
		return false;
	kthread_stop(task);
	put_task_struct(task);
	return true;
}

static int o2hb_wait_steady(struct o2hb_region *reg)
{
	bool running;

	if (wait_event_interruptible(o2hb_steady_wq,
				     !atomic_read(&reg->steady_left) ||
				     reg->node_deleted)) {
		atomic_set(&reg->steady_left, 0);
		reg->aborted = true;
	}
	if (reg->node_deleted)
		return -EINVAL;
	if (reg->aborted)
		return -EIO;
	spin_lock(&o2hb_live_lock);
	running = reg->task != NULL;	/* not taken by a racing rmdir */
	if (running && o2hb_global_heartbeat_active())
		set_bit(reg->region_num, o2hb_live_region_map);
	spin_unlock(&o2hb_live_lock);
	return running ? 0 : -EIO;
}

/*
 * From here the region owns file.  If a racing rmdir stopped the thread,
 * the thread may still be finishing its last beat: then the pages and
 * the device stay for the region's release to free.
 */
static int o2hb_region_start(struct o2hb_region *reg, struct file *file)
{
	int ret;

	ret = o2hb_check_device(reg, file);
	if (ret)
		return ret;
	reg->dev_file = file;
	ret = o2hb_io_alloc(reg);
	if (ret)
		goto out_dev;
	ret = o2hb_seed_slots(reg);
	if (ret)
		goto out_io;
	ret = o2hb_start_thread(reg);
	if (ret)
		goto out_io;
	ret = o2hb_wait_steady(reg);
	if (ret)
		goto out_thread;
	if (o2hb_global_heartbeat_active())
		pr_notice("o2hb: heartbeat started on region %s (%pg)\n",
			  config_item_name(&reg->item), reg->bdev);
	return 0;

out_thread:
	if (!o2hb_stop_thread(reg))
		return ret;	/* rmdir has it; release cleans up */
out_io:
	o2hb_io_free(reg);
out_dev:
	reg->dev_file = NULL;
	reg->bdev = NULL;
	return ret;
}

static int o2hb_dev_store(struct o2hb_region *reg, const char *page)
{
	struct file *file;
	u64 fd;
	int ret;

	if (reg->dropped)
		return -ENOENT;
	reg->node_num = o2nm_this_node();
	if (reg->node_num >= O2NM_MAX_NODES) {
		pr_err("o2hb: region %s: no local node configured\n",
		       config_item_name(&reg->item));
		return -EINVAL;
	}
	if (!reg->blocks || !reg->start_block || !reg->block_bytes)
		return -EINVAL;
	if (reg->node_num >= reg->blocks)
		return -EINVAL;
	if (o2hb_parse_u64(page, &fd) || fd > INT_MAX)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	ret = o2hb_region_start(reg, file);
	if (ret && reg->dev_file != file)
		fput(file);
	return ret;
}

static ssize_t dev_store(struct config_item *item, const char *page,
			 size_t count)
{
	struct o2hb_region *reg = to_o2hb_region(item);
	int ret;

	/* dev is written once; this also keeps two writers apart */
	if (test_and_set_bit(0, &reg->dev_busy))
		return -EBUSY;
	ret = o2hb_dev_store(reg, page);
	if (ret) {
		/* a region left to its release stays busy */
		if (!reg->dev_file)
			clear_bit(0, &reg->dev_busy);
		return ret;
	}
	return count;
}

static ssize_t pid_show(struct config_item *item, char *page)
{
	struct o2hb_region *reg = to_o2hb_region(item);
	pid_t pid = 0;

	spin_lock(&o2hb_live_lock);
	if (reg->task)
		pid = task_pid_nr(reg->task);
	spin_unlock(&o2hb_live_lock);
	return pid ? sprintf(page, "%u\n", pid) : 0;
}

CONFIGFS_ATTR(, block_bytes);
CONFIGFS_ATTR(, start_block);
CONFIGFS_ATTR(, blocks);
CONFIGFS_ATTR(, dev);
CONFIGFS_ATTR_RO(, pid);

static struct configfs_attribute *o2hb_region_attrs[] = {
	&attr_block_bytes,
	&attr_start_block,
	&attr_blocks,
	&attr_dev,
	&attr_pid,
	NULL,
};

static void o2hb_region_release(struct config_item *item)
{
	struct o2hb_region *reg = to_o2hb_region(item);

	o2hb_set_stopping(reg, true);
	o2hb_disarm_timeout(reg);
	o2hb_io_free(reg);
	if (reg->dev_file)
		fput(reg->dev_file);
	o2hb_debugfs_remove_region(reg);
	spin_lock(&o2hb_live_lock);
	list_del(&reg->all_item);
	spin_unlock(&o2hb_live_lock);
	kfree(reg);
}

static struct configfs_item_operations o2hb_region_item_ops = {
	.release	= o2hb_region_release,
};

static const struct config_item_type o2hb_region_type = {
	.ct_item_ops	= &o2hb_region_item_ops,
	.ct_attrs	= o2hb_region_attrs,
	.ct_owner	= THIS_MODULE,
};

/* Global mode numbers regions; o2dlm exchanges them by that number. */
static int o2hb_region_register(struct o2hb_region *reg)
{
	int ret = 0;

	spin_lock(&o2hb_live_lock);
	if (o2hb_global_heartbeat_active()) {
		reg->region_num = find_first_zero_bit(o2hb_region_map,
						      O2NM_MAX_REGIONS);
		if (reg->region_num >= O2NM_MAX_REGIONS)
			ret = -EFBIG;
		else
			set_bit(reg->region_num, o2hb_region_map);
	}
	if (!ret)
		list_add_tail(&reg->all_item, &o2hb_all_regions);
	spin_unlock(&o2hb_live_lock);
	return ret;
}

struct o2hb_region *o2hb_region_create(const char *name)
{
	struct o2hb_region *reg;
	int ret;

	if (strlen(name) > O2HB_MAX_REGION_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	reg = kzalloc(sizeof(*reg), GFP_KERNEL);
	if (!reg)
		return ERR_PTR(-ENOMEM);
	reg->node_num = O2NM_INVALID_NODE_NUM;
	o2hb_timeout_init(reg);
	config_item_init_type_name(&reg->item, name, &o2hb_region_type);
	ret = o2hb_region_register(reg);
	if (ret) {
		kfree(reg);
		return ERR_PTR(ret);
	}
	o2hb_debugfs_add_region(reg);
	return reg;
}

/* rmdir: stop the thread now; memory goes with the last reference. */
void o2hb_region_stop(struct o2hb_region *reg)
{
	bool was_quorum = false;

	spin_lock(&o2hb_live_lock);
	reg->dropped = true;
	spin_unlock(&o2hb_live_lock);

	/* wake a writer of dev still waiting for steady state */
	if (atomic_read(&reg->steady_left)) {
		reg->aborted = true;
		atomic_set(&reg->steady_left, 0);
		wake_up(&o2hb_steady_wq);
	}
	o2hb_stop_thread(reg);

	if (!o2hb_global_heartbeat_active())
		return;
	spin_lock(&o2hb_live_lock);
	clear_bit(reg->region_num, o2hb_region_map);
	clear_bit(reg->region_num, o2hb_live_region_map);
	clear_bit(reg->region_num, o2hb_failed_region_map);
	was_quorum = test_and_clear_bit(reg->region_num,
					o2hb_quorum_region_map);
	spin_unlock(&o2hb_live_lock);
	if (reg->bdev)
		pr_notice("o2hb: heartbeat stopped on region %s (%pg)\n",
			  config_item_name(&reg->item), reg->bdev);
	if (was_quorum)
		o2hb_pin_after_quorum_change(true);
}
