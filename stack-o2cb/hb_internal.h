/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Heartbeat internals shared by the hb_*.c files: the region (one
 * heartbeat area on one device, one thread), per-slot liveness state and
 * the global maps every region feeds.
 */
#ifndef O2CB_HB_INTERNAL_H
#define O2CB_HB_INTERNAL_H

#include <linux/atomic.h>
#include <linux/configfs.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "o2nm.h"
#include "o2hb.h"
#include "hb_slot.h"

enum o2hb_mode {
	O2HB_MODE_LOCAL = 0,
	O2HB_MODE_GLOBAL,
	O2HB_NUM_MODES,
};

/* a run of failed reads or writes: its first error and its length */
struct o2hb_io_streak {
	int			error;
	unsigned int		beats;
};

struct o2hb_region {
	struct config_item	item;
	struct list_head	all_item;	/* o2hb_all_regions */
	unsigned int		region_num;	/* bit in the region maps */

	/* set through configfs before dev; fixed while running */
	unsigned int		block_bytes;
	unsigned int		block_bits;
	u64			start_block;
	unsigned int		blocks;

	/* running state, valid while dev is set */
	unsigned long		dev_busy;	/* bit 0: dev written/being written */
	struct file		*dev_file;
	struct block_device	*bdev;
	struct task_struct	*task;		/* under o2hb_live_lock */
	u8			node_num;
	u64			generation;
	struct page		**pages;
	unsigned int		npages;
	unsigned int		per_page;	/* blocks per page */
	struct o2hb_slot	*slots;
	unsigned long		live_map[BITS_TO_LONGS(O2NM_MAX_NODES)];

	/* start-up handshake with the writer of dev */
	atomic_t		steady_left;
	atomic_t		unsteady_left;
	bool			aborted;
	bool			node_deleted;

	/* what we last wrote, to notice someone else in our slot */
	bool			own_written;
	u64			own_seq;

	/* self-fence if our block has not been written for this long */
	struct delayed_work	write_timeout;
	struct mutex		arm_mutex;
	bool			stopping;	/* under arm_mutex */
	unsigned long		last_arm;	/* jiffies of last good write */
	int			last_status;

	/* I/O error streaks, logged when they start and when they end */
	struct o2hb_io_streak	read_streak;
	struct o2hb_io_streak	write_streak;

	bool			unclean_stop;	/* fencing: no goodbye write */
	bool			dropped;	/* rmdir done */
	bool			pinned;		/* depended on by o2dlm */
	struct dentry		*debug_dir;
};

extern spinlock_t o2hb_live_lock;
extern struct list_head o2hb_all_regions;
extern unsigned int o2hb_dead_threshold;
extern unsigned int o2hb_mode;	/* enum o2hb_mode */
extern unsigned long o2hb_live_node_map[BITS_TO_LONGS(O2NM_MAX_NODES)];
extern unsigned long o2hb_region_map[BITS_TO_LONGS(O2NM_MAX_REGIONS)];
extern unsigned long o2hb_live_region_map[BITS_TO_LONGS(O2NM_MAX_REGIONS)];
extern unsigned long o2hb_quorum_region_map[BITS_TO_LONGS(O2NM_MAX_REGIONS)];
extern unsigned long o2hb_failed_region_map[BITS_TO_LONGS(O2NM_MAX_REGIONS)];

static inline unsigned int o2hb_dead_ms(void)
{
	return o2hb_dead_threshold * O2HB_INTERVAL_MS;
}

static inline unsigned int o2hb_write_timeout_ms(void)
{
	return O2HB_INTERVAL_MS * (o2hb_dead_threshold - 1);
}

/* hb_events.c: liveness maps and callbacks */
void o2hb_events_init(void);
void o2hb_node_up(struct o2hb_region *reg, u8 node_num);
void o2hb_node_down(struct o2hb_region *reg, u8 node_num);

/* hb_io.c: the region's blocks on disk */
int o2hb_io_alloc(struct o2hb_region *reg);
void o2hb_io_free(struct o2hb_region *reg);
struct o2hb_disk_block *o2hb_slot_block(struct o2hb_region *reg,
					unsigned int slot);
int o2hb_read_slots(struct o2hb_region *reg, unsigned int first,
		    unsigned int end);
int o2hb_write_own_slot(struct o2hb_region *reg);
u32 o2hb_block_crc(struct o2hb_region *reg, struct o2hb_disk_block *blk);

/* hb_thread.c: the region thread */
extern struct wait_queue_head o2hb_steady_wq;
int o2hb_thread(void *data);
void o2hb_fill_own_block(struct o2hb_region *reg, u64 generation);

/* hb_fence.c: write timeout and self-fencing */
void o2hb_timeout_init(struct o2hb_region *reg);
void o2hb_arm_timeout(struct o2hb_region *reg);
void o2hb_disarm_timeout(struct o2hb_region *reg);
void o2hb_set_stopping(struct o2hb_region *reg, bool stopping);
void o2hb_try_quorum_region(struct o2hb_region *reg);

/* hb_region.c: the region configfs item */
struct o2hb_region *o2hb_region_create(const char *name);
void o2hb_region_stop(struct o2hb_region *reg);

/* hb_pin.c: keeping regions alive under o2dlm */
int o2hb_region_inc_user(const char *region_uuid);
void o2hb_region_dec_user(const char *region_uuid);
void o2hb_pin_after_quorum_change(bool in_configfs);

/* hb_debugfs.c */
void o2hb_debugfs_init(void);
void o2hb_debugfs_exit(void);
void o2hb_debugfs_add_region(struct o2hb_region *reg);
void o2hb_debugfs_remove_region(struct o2hb_region *reg);

static inline struct o2hb_region *to_o2hb_region(struct config_item *item)
{
	return container_of(item, struct o2hb_region, item);
}

#endif /* O2CB_HB_INTERNAL_H */
