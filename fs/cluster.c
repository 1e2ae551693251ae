// SPDX-License-Identifier: GPL-2.0
/*
 * A cluster mount's membership: the lock domain named by the volume UUID
 * on the stack and cluster the superblock names, a slot in the slot map,
 * and our slot's journal lock, held exclusive for the whole mount.  That
 * lock is how every node (stock ones too) tells a live slot from a dead
 * one: a node that can take another slot's journal lock may recover it.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "ocfs2.h"

/* Stack and cluster name as stock reads them from the superblock. */
void ocfs2_cluster_read_info(struct ocfs2_sb_info *osb,
			     const struct ocfs2_super_block *s)
{
	const struct ocfs2_cluster_info *ci = &s->s_cluster_info;

	osb->cluster_stack[0] = '\0';
	osb->cluster_name[0] = '\0';
	if (ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK))
		memcpy(osb->cluster_stack, ci->ci_stack, OCFS2_STACK_LABEL_LEN);
	if (ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK |
			       OCFS2_FEATURE_INCOMPAT_CLUSTERINFO)) {
		if (!osb->cluster_stack[0])
			memcpy(osb->cluster_stack, ci->ci_stack,
			       OCFS2_STACK_LABEL_LEN);
		memcpy(osb->cluster_name, ci->ci_cluster,
		       OCFS2_CLUSTER_NAME_LEN);
	}
	osb->cluster_stack[OCFS2_STACK_LABEL_LEN] = '\0';
	osb->cluster_name[OCFS2_CLUSTER_NAME_LEN] = '\0';
}

bool ocfs2_is_cluster_mount(struct ocfs2_sb_info *osb)
{
	return !ocfs2_has_incompat(osb, OCFS2_FEATURE_INCOMPAT_LOCAL_MOUNT);
}

static void node_down(int node, void *data)
{
	struct ocfs2_sb_info *osb = data;

	ocfs2_err(osb->sb, "node %d left the cluster; this module cannot recover its slot yet: unmount everywhere and let the next mount (or fsck.ocfs2) recover it",
		  node);
}

/* The cluster_stack= mount option, if given, must name the volume's stack. */
static int check_stack_option(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	const char *want = osb->opts.cluster_stack;
	const char *have = osb->cluster_stack[0] ? osb->cluster_stack : "o2cb";

	if (!want[0] || !strcmp(want, have))
		return 0;
	ocfs2_err(sb, "cannot mount: the volume uses cluster stack \"%s\" but the mount asked for \"%s\" (mount.ocfs2 passes the right one; tunefs.ocfs2 --update-cluster-stack changes the volume's)",
		  have, want);
	return -EINVAL;
}

/*
 * Cluster mounts are new and not yet safe for data (a kernel BUG seen with
 * three writers, no recovery of a dead node's slot), so an admin opts in.
 */
static bool cluster_mounts;
module_param(cluster_mounts, bool, 0644);
MODULE_PARM_DESC(cluster_mounts,
		 "allow cluster (non-local) mounts, experimental (default off)");

int ocfs2_cluster_start(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_domain_params p = {
		.stack		= osb->cluster_stack,
		.cluster	= osb->cluster_name,
		.uuid		= osb->uuid,
		.node_down	= node_down,
		.node_down_data	= osb,
	};
	int ret;

	if (!ocfs2_is_cluster_mount(osb))
		return ocfs2_lock_domain_init(&osb->locks, NULL, sb->s_id);
	if (!READ_ONCE(cluster_mounts)) {
		ocfs2_err(sb, "cannot mount: cluster mounts of this module are experimental and off; use the stock ocfs2 module, or load this one with cluster_mounts=1 to test");
		return -EOPNOTSUPP;
	}
	ret = check_stack_option(sb);
	if (ret)
		return ret;
	return ocfs2_lock_domain_init(&osb->locks, &p, sb->s_id);
}

/*
 * Whether the node in @slot is gone with its journal still dirty.  A live
 * node holds its journal lock exclusive, so our trylock fails; if it
 * succeeds the node died, and a dirty journal means it died mid-work.
 */
static int slot_needs_recovery(struct super_block *sb, int slot)
{
	struct ocfs2_inode_info *oi;
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	struct inode *inode;
	int ret;

	inode = ocfs2_get_system_inode(sb, JOURNAL_SYSTEM_INODE, slot);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	oi = OCFS2_I(inode);
	ret = ocfs2_lock(&oi->meta_lock, OCFS2_LOCK_EX, OCFS2_LOCK_NOQUEUE);
	if (ret == -EAGAIN) {
		ret = 0;	/* alive */
		goto out;
	}
	if (ret)
		goto out;
	ret = ocfs2_read_meta(sb, oi->blkno, OCFS2_BLOCK_DINODE, &bh);
	if (!ret) {
		di = (struct ocfs2_dinode *)bh->b_data;
		ret = !!(le32_to_cpu(di->id1.journal1.ij_flags) &
			 OCFS2_JOURNAL_DIRTY_FL);
		brelse(bh);
	}
	ocfs2_unlock(&oi->meta_lock, OCFS2_LOCK_EX);
out:
	iput(inode);
	return ret;
}

/*
 * Slots of nodes that died with dirty journals need a replay this module
 * cannot do for another slot yet: refuse rather than work on metadata
 * that a replay would change under us.
 */
static int check_other_slots(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	long *nodes;
	int i, ret;

	nodes = kcalloc(osb->max_slots, sizeof(*nodes), GFP_NOFS);
	if (!nodes)
		return -ENOMEM;
	ret = ocfs2_slot_nodes(sb, nodes);
	for (i = 0; !ret && i < osb->max_slots; i++) {
		if (i == osb->slot || nodes[i] < 0)
			continue;
		ret = slot_needs_recovery(sb, i);
		if (ret > 0) {
			ocfs2_err(sb, "cannot mount: slot %d (node %ld) died with a dirty journal, which this module cannot recover yet; mount once with the stock module, or unmount everywhere and run fsck.ocfs2",
				  i, nodes[i]);
			ret = -EAGAIN;
		}
	}
	kfree(nodes);
	return ret;
}

/*
 * Under the superblock lock (exclusive): take a slot, then hold its
 * journal's lock.  A local mount uses slot 0 and needs neither.
 */
int ocfs2_cluster_join(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct inode *inode;
	int ret;

	if (osb->locks.local)
		return 0;
	ret = ocfs2_slot_claim(sb, osb->locks.node);
	if (ret)
		return ret;
	inode = ocfs2_get_system_inode(sb, JOURNAL_SYSTEM_INODE, osb->slot);
	if (IS_ERR(inode)) {
		ret = PTR_ERR(inode);
		goto fail;
	}
	ret = ocfs2_inode_lock(inode, NULL, 1);
	if (ret) {
		iput(inode);
		goto fail;
	}
	osb->slot_journal = inode;
	ret = check_other_slots(sb);
	if (ret) {
		ocfs2_inode_unlock(inode, 1);
		iput(inode);
		osb->slot_journal = NULL;
		goto fail;
	}
	return 0;
fail:
	ocfs2_slot_release(sb, osb->locks.node);
	return ret;
}

/* At unmount, after the journal is closed. */
void ocfs2_cluster_leave(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	if (osb->locks.local || !osb->slot_journal)
		return;
	if (!ocfs2_lock(&osb->super_lock, OCFS2_LOCK_EX, 0)) {
		ocfs2_slot_release(sb, osb->locks.node);
		ocfs2_unlock(&osb->super_lock, OCFS2_LOCK_EX);
	} else {
		ocfs2_err(sb, "cannot take the superblock lock to leave slot %d; other nodes will recover it",
			  osb->slot);
	}
	/* only now may another node take the slot's journal lock */
	ocfs2_inode_unlock(osb->slot_journal, 1);
	iput(osb->slot_journal);
	osb->slot_journal = NULL;
}
