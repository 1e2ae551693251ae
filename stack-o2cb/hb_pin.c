// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning heartbeat regions while o2dlm depends on them, so an admin
 * cannot stop heartbeat (rmdir the region) under a live DLM domain.
 * Local mode pins the region named like the domain.  Global mode pins
 * every region while there are users, but only while there are at most
 * O2HB_PIN_CUT_OFF quorum regions: with more, losing one is survivable
 * and admins must be able to remove it.
 */
#include <linux/bitmap.h>
#include <linux/mutex.h>

#include "hb_internal.h"

#define O2HB_PIN_CUT_OFF	3

/* pinned flags and the user count */
static DEFINE_MUTEX(o2hb_pin_mutex);
static unsigned int o2hb_dependent_users;

/* The next region to pin, with a reference held; NULL when done. */
static struct o2hb_region *o2hb_next_unpinned(const char *uuid)
{
	struct o2hb_region *reg, *found = NULL;

	spin_lock(&o2hb_live_lock);
	list_for_each_entry(reg, &o2hb_all_regions, all_item) {
		if (reg->dropped || reg->pinned)
			continue;
		if (uuid && strcmp(uuid, config_item_name(&reg->item)))
			continue;
		found = reg;
		config_item_get(&reg->item);
		break;
	}
	spin_unlock(&o2hb_live_lock);
	return found;
}

/* pin_mutex held; configfs_depend_item sleeps, so no spinlock here */
static int o2hb_pin(const char *uuid, bool in_configfs)
{
	struct o2hb_region *reg;
	int ret = 0;

	while (!ret && (reg = o2hb_next_unpinned(uuid))) {
		if (in_configfs)
			ret = o2nm_depend_item_unlocked(&reg->item);
		else
			ret = o2nm_depend_item(&reg->item);
		if (!ret)
			reg->pinned = true;
		else
			pr_err("o2hb: cannot pin region %s: %d\n",
			       config_item_name(&reg->item), ret);
		config_item_put(&reg->item);
		if (uuid)
			break;
	}
	return ret;
}

static void o2hb_unpin(const char *uuid)
{
	struct o2hb_region *reg;

	spin_lock(&o2hb_live_lock);
	list_for_each_entry(reg, &o2hb_all_regions, all_item) {
		if (!reg->pinned)
			continue;
		if (uuid && strcmp(uuid, config_item_name(&reg->item)))
			continue;
		o2nm_undepend_item(&reg->item);
		reg->pinned = false;
	}
	spin_unlock(&o2hb_live_lock);
}

static unsigned int o2hb_quorum_regions(void)
{
	unsigned int n;

	spin_lock(&o2hb_live_lock);
	n = bitmap_weight(o2hb_quorum_region_map, O2NM_MAX_REGIONS);
	spin_unlock(&o2hb_live_lock);
	return n;
}

int o2hb_region_inc_user(const char *region_uuid)
{
	int ret = 0;

	mutex_lock(&o2hb_pin_mutex);
	if (!o2hb_global_heartbeat_active()) {
		ret = o2hb_pin(region_uuid, false);
		goto out;
	}
	if (++o2hb_dependent_users > 1)
		goto out;
	if (o2hb_quorum_regions() <= O2HB_PIN_CUT_OFF) {
		ret = o2hb_pin(NULL, false);
		if (ret) {
			o2hb_unpin(NULL);
			o2hb_dependent_users--;
		}
	}
out:
	mutex_unlock(&o2hb_pin_mutex);
	return ret;
}

void o2hb_region_dec_user(const char *region_uuid)
{
	mutex_lock(&o2hb_pin_mutex);
	if (!o2hb_global_heartbeat_active())
		o2hb_unpin(region_uuid);
	else if (o2hb_dependent_users && --o2hb_dependent_users == 0)
		o2hb_unpin(NULL);
	mutex_unlock(&o2hb_pin_mutex);
}

/* Global mode: the quorum region set grew or shrank. */
void o2hb_pin_after_quorum_change(bool in_configfs)
{
	mutex_lock(&o2hb_pin_mutex);
	if (o2hb_dependent_users) {
		if (o2hb_quorum_regions() > O2HB_PIN_CUT_OFF)
			o2hb_unpin(NULL);
		else
			o2hb_pin(NULL, in_configfs);
	}
	mutex_unlock(&o2hb_pin_mutex);
}
