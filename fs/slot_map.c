// SPDX-License-Identifier: GPL-2.0
/*
 * The slot map: which node mounts the volume in which slot.  Read from
 * disk and written straight back (not journaled, as stock does) under the
 * superblock lock, held exclusive by the caller.  Two formats: the old one
 * is a le16 node number per slot (0xFFFF empty), the extended one an
 * 8-byte record {valid, node} per slot.
 */
#include <linux/slab.h>
#include "ocfs2.h"

struct slot_map {
	struct inode		*inode;
	unsigned int		nblocks;
	struct buffer_head	*bhs[];
};

static bool extended(struct ocfs2_sb_info *osb)
{
	return ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_EXTENDED_SLOT_MAP);
}

static unsigned int entry_bytes(struct ocfs2_sb_info *osb)
{
	return extended(osb) ? sizeof(struct ocfs2_extended_slot) :
			       sizeof(__le16);
}

/* A block of the map from disk, never from a cache another node outdated. */
static struct buffer_head *read_block(struct super_block *sb, u64 blkno)
{
	struct buffer_head *bh = sb_getblk(sb, blkno);

	if (!bh)
		return NULL;
	lock_buffer(bh);
	clear_buffer_uptodate(bh);
	get_bh(bh);
	bh->b_end_io = end_buffer_read_sync;
	submit_bh(REQ_OP_READ, bh);
	wait_on_buffer(bh);
	if (buffer_uptodate(bh))
		return bh;
	brelse(bh);
	return NULL;
}

static void free_map(struct slot_map *map)
{
	unsigned int i;

	for (i = 0; i < map->nblocks; i++)
		brelse(map->bhs[i]);
	iput(map->inode);
	kfree(map);
}

static int read_map(struct super_block *sb, struct slot_map **mapp)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	unsigned int bytes = osb->max_slots * entry_bytes(osb);
	unsigned int n = DIV_ROUND_UP(bytes, sb->s_blocksize);
	struct ocfs2_extent_hit hit;
	struct slot_map *map;
	unsigned int i;
	int ret;

	map = kzalloc(struct_size(map, bhs, n), GFP_NOFS);
	if (!map)
		return -ENOMEM;
	map->inode = ocfs2_get_system_inode(sb, SLOT_MAP_SYSTEM_INODE, -1);
	if (IS_ERR(map->inode)) {
		ret = PTR_ERR(map->inode);
		kfree(map);
		return ret;
	}
	if (i_size_read(map->inode) < bytes) {
		ret = ocfs2_fs_error(sb, __func__,
				     "slot_map is %lld bytes, %u slots need %u",
				     i_size_read(map->inode), osb->max_slots,
				     bytes);
		goto fail;
	}
	for (i = 0; i < n; i++, map->nblocks++) {
		ret = ocfs2_extent_lookup(map->inode, i, &hit);
		if (!ret && !hit.phys)
			ret = ocfs2_fs_error(sb, __func__,
					     "slot_map block %u is a hole", i);
		if (ret)
			goto fail;
		map->bhs[i] = read_block(sb, hit.phys);
		if (!map->bhs[i]) {
			ocfs2_err(sb, "cannot read slot_map block %llu",
				  (unsigned long long)hit.phys);
			ret = -EIO;
			goto fail;
		}
	}
	*mapp = map;
	return 0;
fail:
	free_map(map);
	return ret;
}

static void *entry(struct super_block *sb, struct slot_map *map, int slot,
		   struct buffer_head **bhp)
{
	unsigned int off = slot * entry_bytes(OCFS2_SB(sb));

	*bhp = map->bhs[off >> sb->s_blocksize_bits];
	return (*bhp)->b_data + (off & (sb->s_blocksize - 1));
}

/* The node in @slot, or -1 for an empty slot. */
static long slot_node(struct super_block *sb, struct slot_map *map, int slot)
{
	struct buffer_head *bh;
	void *e = entry(sb, map, slot, &bh);
	struct ocfs2_extended_slot *es = e;
	__le16 *old = e;

	if (extended(OCFS2_SB(sb))) {
		if (!es->es_valid)
			return -1;
		return (long)le32_to_cpu(es->es_node_num);
	}
	if (le16_to_cpu(*old) == (u16)OCFS2_INVALID_SLOT)
		return -1;
	return (long)le16_to_cpu(*old);
}

static int set_slot(struct super_block *sb, struct slot_map *map, int slot,
		    long node)
{
	struct buffer_head *bh;
	void *e = entry(sb, map, slot, &bh);
	struct ocfs2_extended_slot *es = e;
	__le16 *old = e;

	lock_buffer(bh);
	if (extended(OCFS2_SB(sb))) {
		memset(es, 0, sizeof(*es));
		es->es_valid = node >= 0;
		es->es_node_num = cpu_to_le32(node >= 0 ? node : 0);
	} else {
		*old = cpu_to_le16(node >= 0 ? node : OCFS2_INVALID_SLOT);
	}
	unlock_buffer(bh);
	mark_buffer_dirty(bh);
	return sync_dirty_buffer(bh);
}

/*
 * A slot for this node: the one the map already gives it (a crash left
 * it there), else the preferred one if free, else the first free one.
 */
static int choose_slot(struct super_block *sb, struct slot_map *map,
		       unsigned int node)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	int pref = osb->opts.preferred_slot;
	int i;

	for (i = 0; i < osb->max_slots; i++)
		if (slot_node(sb, map, i) == node)
			return i;
	if (pref >= 0 && pref < osb->max_slots && slot_node(sb, map, pref) < 0)
		return pref;
	for (i = 0; i < osb->max_slots; i++)
		if (slot_node(sb, map, i) < 0)
			return i;
	return -1;
}

/* preferred_slot= not honoured: say why, so the admin need not guess. */
static void note_preferred(struct super_block *sb, struct slot_map *map,
			   int slot)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	int pref = osb->opts.preferred_slot;

	if (pref < 0 || pref == slot)
		return;
	if (pref >= osb->max_slots)
		ocfs2_info(sb, "preferred_slot=%d is past the volume's %u slots (0-%u); taking slot %d",
			   pref, osb->max_slots, osb->max_slots - 1, slot);
	else if (slot_node(sb, map, pref) >= 0)
		ocfs2_info(sb, "preferred slot %d is node %ld's; taking slot %d",
			   pref, slot_node(sb, map, pref), slot);
	else
		ocfs2_info(sb, "this node still had slot %d (an unclean leave); taking it, not preferred slot %d",
			   slot, pref);
}

int ocfs2_slot_claim(struct super_block *sb, unsigned int node)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct slot_map *map;
	int slot, ret;

	ret = read_map(sb, &map);
	if (ret)
		return ret;
	slot = choose_slot(sb, map, node);
	if (slot < 0) {
		ocfs2_err(sb, "cannot mount: all %u slots are in use (see 'mounted.ocfs2 -f'; add slots with 'tunefs.ocfs2 -N' on a volume no node mounts)",
			  osb->max_slots);
		ret = -EINVAL;
		goto out;
	}
	note_preferred(sb, map, slot);
	ret = set_slot(sb, map, slot, node);
	if (ret) {
		ocfs2_err(sb, "cannot write the slot map (error %d)", ret);
		goto out;
	}
	osb->slot = slot;
out:
	free_map(map);
	return ret;
}

void ocfs2_slot_release(struct super_block *sb, unsigned int node)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct slot_map *map;
	int ret;

	ret = read_map(sb, &map);
	if (ret)
		goto fail;
	if (slot_node(sb, map, osb->slot) == node)
		ret = set_slot(sb, map, osb->slot, -1);
	free_map(map);
	if (!ret)
		return;
fail:
	ocfs2_err(sb, "cannot clear slot %d in the slot map (error %d)",
		  osb->slot, ret);
}

/*
 * A dead node's slot, recovered: free it for the next mount, unless the
 * map names another node by now.  Caller holds the superblock lock.
 */
void ocfs2_slot_clear(struct super_block *sb, int slot, long node)
{
	struct slot_map *map;
	int ret;

	ret = read_map(sb, &map);
	if (ret)
		goto fail;
	if (slot_node(sb, map, slot) == node)
		ret = set_slot(sb, map, slot, -1);
	free_map(map);
	if (!ret)
		return;
fail:
	ocfs2_err(sb, "cannot clear slot %d in the slot map (error %d)",
		  slot, ret);
}

/* The node in every slot (-1: empty), for the mount's liveness check. */
int ocfs2_slot_nodes(struct super_block *sb, long *nodes)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct slot_map *map;
	int i, ret;

	ret = read_map(sb, &map);
	if (ret)
		return ret;
	for (i = 0; i < osb->max_slots; i++)
		nodes[i] = slot_node(sb, map, i);
	free_map(map);
	return 0;
}
