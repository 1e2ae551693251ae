// SPDX-License-Identifier: GPL-2.0
/*
 * System inodes: found by name in the system directory ("global_bitmap",
 * "journal:0000", ...), as mkfs laid them out.
 */
#include <linux/slab.h>
#include "ocfs2.h"

/* the list is in system inode type order */
#define SYSTEM_NAME(type, name, flags, mode)	name,
static const char * const system_names[] = {
	OCFS2_SYSTEM_INODE_LIST(SYSTEM_NAME)
};
#undef SYSTEM_NAME
static_assert(ARRAY_SIZE(system_names) == NUM_SYSTEM_INODES);

#define SYSTEM_NAME_MAX	32

/* Per-slot names are the base name (before ':') with the slot appended. */
static void system_inode_name(char *buf, int type, int slot)
{
	const char *fmt = system_names[type];
	const char *colon = strchr(fmt, ':');

	if (ocfs2_system_inode_is_global(type) || !colon)
		strscpy(buf, fmt, SYSTEM_NAME_MAX);
	else
		scnprintf(buf, SYSTEM_NAME_MAX, "%.*s:%04d",
			  (int)(colon - fmt), fmt, slot);
}

/* The system directory's lock, the lookup by name, then the inode. */
static struct inode *look_up(struct super_block *sb, int type, int slot)
{
	struct inode *sysdir = OCFS2_SB(sb)->system_dir;
	struct ocfs2_dir_match match;
	char name[SYSTEM_NAME_MAX];
	struct inode *inode;
	int ret;

	system_inode_name(name, type, slot);
	ret = ocfs2_inode_lock(sysdir, NULL, 0);
	if (ret)
		return ERR_PTR(ret);
	ret = ocfs2_find_entry(sysdir, name, strlen(name), &match);
	ocfs2_inode_unlock(sysdir, 0);
	if (ret == -ENOENT) {
		ret = ocfs2_fs_error(sb, __func__,
				     "system file %s is missing", name);
		return ERR_PTR(ret);
	}
	if (ret)
		return ERR_PTR(ret);
	inode = ocfs2_iget(sb, match.ino);
	if (!IS_ERR(inode) && !(OCFS2_I(inode)->flags & OCFS2_SYSTEM_FL)) {
		iput(inode);
		ret = ocfs2_fs_error(sb, __func__,
				     "system file %s (inode %llu) lacks the system flag",
				     name, (unsigned long long)match.ino);
		return ERR_PTR(ret);
	}
	return inode;
}

/*
 * A system inode, once found, stays referenced here until unmount (as on
 * stock nodes), so it is never evicted while mounted.  Otherwise memory
 * reclaim (drop_caches) could be freeing one, say the slot map, while a
 * node-down scan holding the superblock lock waits for it in iget, and
 * the same reclaim's eviction of another inode waits for that scan
 * (ocfs2_slot_recovery_wait): the unmount hang of lab runs
 * 20261127-155221 and -155230.  Later uses also skip the lookup.
 */
static size_t pin_count(const struct ocfs2_sb_info *osb)
{
	return NUM_GLOBAL_SYSTEM_INODES +
	       (size_t)osb->max_slots * NUM_LOCAL_SYSTEM_INODES;
}

/* Where @type of @slot is pinned, or NULL; under sys_pin_lock. */
static struct inode **pin_of(struct ocfs2_sb_info *osb, int type, int slot)
{
	if (!osb->sys_pins)
		return NULL;
	if (ocfs2_system_inode_is_global(type))
		return &osb->sys_pins[type];
	/* a slot number from disk: looked up, and refused, by name */
	if (slot < 0 || slot >= osb->max_slots)
		return NULL;
	return &osb->sys_pins[NUM_GLOBAL_SYSTEM_INODES +
			      slot * NUM_LOCAL_SYSTEM_INODES +
			      type - OCFS2_FIRST_LOCAL_SYSTEM_INODE];
}

/* The pinned copy with a reference for the caller, or NULL. */
static struct inode *pinned(struct ocfs2_sb_info *osb, int type, int slot)
{
	struct inode **pin, *inode = NULL;

	spin_lock(&osb->sys_pin_lock);
	pin = pin_of(osb, type, slot);
	if (pin && *pin) {
		inode = *pin;
		ihold(inode);
	}
	spin_unlock(&osb->sys_pin_lock);
	return inode;
}

/* @inode (the caller's reference) gets a reference of its own here. */
static void pin(struct ocfs2_sb_info *osb, int type, int slot,
		struct inode *inode)
{
	struct inode **pin;

	spin_lock(&osb->sys_pin_lock);
	pin = pin_of(osb, type, slot);
	/* a task that raced us pinned the same inode: one is enough */
	if (pin && !*pin) {
		ihold(inode);
		*pin = inode;
	}
	spin_unlock(&osb->sys_pin_lock);
}

/* Returns a reference of the caller's own; iput it when done. */
struct inode *ocfs2_get_system_inode(struct super_block *sb, int type,
				     int slot)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;

	if (type < 0 || type >= NUM_SYSTEM_INODES)
		return ERR_PTR(-EINVAL);
	inode = pinned(osb, type, slot);
	if (inode)
		return inode;
	inode = look_up(sb, type, slot);
	if (!IS_ERR(inode))
		pin(osb, type, slot, inode);
	return inode;
}

/* At mount, once max_slots is known and before any system inode. */
int ocfs2_sysfile_pin_init(struct ocfs2_sb_info *osb)
{
	spin_lock_init(&osb->sys_pin_lock);
	osb->sys_pins = kcalloc(pin_count(osb), sizeof(*osb->sys_pins),
				GFP_KERNEL);
	return osb->sys_pins ? 0 : -ENOMEM;
}

/*
 * At unmount (after the scans stopped and the journal closed) or a failed
 * mount: the pinned inodes go, evicted as their last users let go.  Later
 * lookups, if any, are no longer pinned, so none outlives the unmount.
 */
void ocfs2_sysfile_pin_release(struct ocfs2_sb_info *osb)
{
	struct inode **pins;
	size_t i;

	spin_lock(&osb->sys_pin_lock);
	pins = osb->sys_pins;
	osb->sys_pins = NULL;
	spin_unlock(&osb->sys_pin_lock);
	if (!pins)
		return;
	for (i = 0; i < pin_count(osb); i++)
		iput(pins[i]);
	kfree(pins);
}
