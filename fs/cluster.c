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
	ocfs2_slot_recovery_queue(data, node);
}

static void node_left(int node, void *data)
{
	ocfs2_slot_recovery_check(data, node);
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
 * Cluster mounts are on.  cluster_mounts=0 keeps a node to local mounts
 * (a node that must never join a volume's lock domain); it was the opt-in
 * gate while cluster mode was being proven, opened once the cluster set
 * (coherence, node recovery, bad input, the orphan scan) passed on both
 * kernels from one commit.
 */
static bool cluster_mounts = true;
module_param(cluster_mounts, bool, 0644);
MODULE_PARM_DESC(cluster_mounts,
		 "allow cluster (non-local) mounts (default on; 0: local mounts only)");

int ocfs2_cluster_start(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	struct ocfs2_domain_params p = {
		.stack		= osb->cluster_stack,
		.cluster	= osb->cluster_name,
		.uuid		= osb->uuid,
		.node_down	= node_down,
		.node_left	= node_left,
		.node_down_data	= osb,
	};
	int ret;

	ocfs2_slot_recovery_init(osb);
	if (!ocfs2_is_cluster_mount(osb))
		return ocfs2_lock_domain_init(&osb->locks, NULL, sb->s_id);
	if (!READ_ONCE(cluster_mounts)) {
		ocfs2_err(sb, "cannot mount: cluster mounts are turned off on this node (ocfs2.cluster_mounts=0); write 1 to /sys/module/ocfs2/parameters/cluster_mounts to allow them");
		return -EOPNOTSUPP;
	}
	ret = check_stack_option(sb);
	if (ret)
		return ret;
	return ocfs2_lock_domain_init(&osb->locks, &p, sb->s_id);
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
	ret = ocfs2_slot_recovery_replay(sb);
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
