// SPDX-License-Identifier: GPL-2.0
/*
 * Debugfs views of o2dlm for admins: /sys/kernel/debug/o2dlm/<domain>/
 *   dlm_state      this node, state, protocols, domain and recovery maps
 *   locking_state  one line per resource: name, master, state, refmap,
 *                  then one line per lock (queue, node, cookie, modes)
 * The text is ours, not stock's locking_state format.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "dlm_internal.h"

static struct dentry *o2dlm_debug_root;

static const char *const o2dlm_state_names[] = {
	"NEW", "JOINED", "SHUTDOWN", "LEAVING",
};

static int o2dlm_state_show(struct seq_file *m, void *v)
{
	struct o2dlm_ctxt *dlm = m->private;

	spin_lock(&dlm->spinlock);
	seq_printf(m, "Domain: %s  Key: 0x%08x  Node: %u  State: %s\n",
		   dlm->name, dlm->key, dlm->node_num,
		   o2dlm_state_names[dlm->state & 3]);
	seq_printf(m, "Protocol: DLM %u.%u  FS %u.%u\n",
		   dlm->dlm_proto.pv_major, dlm->dlm_proto.pv_minor,
		   dlm->fs_proto.pv_major, dlm->fs_proto.pv_minor);
	seq_printf(m, "Domain map: %*pbl\n", O2NM_MAX_NODES, dlm->domain_map);
	seq_printf(m, "Live map: %*pbl\n", O2NM_MAX_NODES, dlm->live_map);
	seq_printf(m, "Exit map: %*pbl\n", O2NM_MAX_NODES, dlm->exit_map);
	seq_printf(m, "Recovery map: %*pbl  Dead: %d  Recovery master: %d\n",
		   O2NM_MAX_NODES, dlm->recovery_map,
		   dlm->reco_dead == O2DLM_OWNER_UNKNOWN ? -1 : dlm->reco_dead,
		   dlm->reco_master == O2DLM_OWNER_UNKNOWN ? -1 :
		   dlm->reco_master);
	spin_unlock(&dlm->spinlock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2dlm_state);

static void o2dlm_show_queue(struct seq_file *m, const char *q,
			     struct list_head *head)
{
	struct o2dlm_lock *lock;

	list_for_each_entry(lock, head, list)
		seq_printf(m, "  %s node %u cookie %u:%llu mode %d convert %d\n",
			   q, lock->node, O2DLM_COOKIE_NODE(lock->cookie),
			   lock->cookie & ((1ULL << 56) - 1), lock->type,
			   lock->convert_type);
}

static int o2dlm_show_res(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			  void *arg)
{
	struct seq_file *m = arg;

	spin_lock(&res->spinlock);
	seq_printf(m, "%.*s master %d state 0x%x refs %*pbl\n", res->namelen,
		   res->name,
		   res->owner == O2DLM_OWNER_UNKNOWN ? -1 : res->owner,
		   res->state, O2NM_MAX_NODES, res->refmap);
	o2dlm_show_queue(m, "granted", &res->granted);
	o2dlm_show_queue(m, "converting", &res->converting);
	o2dlm_show_queue(m, "blocked", &res->blocked);
	spin_unlock(&res->spinlock);
	return 0;
}

static int o2dlm_locking_show(struct seq_file *m, void *v)
{
	o2dlm_for_each_lockres(m->private, o2dlm_show_res, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(o2dlm_locking);

void o2dlm_debug_add(struct o2dlm_ctxt *dlm)
{
	if (IS_ERR_OR_NULL(o2dlm_debug_root))
		return;
	dlm->debug_dir = debugfs_create_dir(dlm->name, o2dlm_debug_root);
	debugfs_create_file("dlm_state", 0400, dlm->debug_dir, dlm,
			    &o2dlm_state_fops);
	debugfs_create_file("locking_state", 0400, dlm->debug_dir, dlm,
			    &o2dlm_locking_fops);
}

void o2dlm_debug_remove(struct o2dlm_ctxt *dlm)
{
	debugfs_remove_recursive(dlm->debug_dir);
	dlm->debug_dir = NULL;
}

void o2dlm_debug_init(void)
{
	o2dlm_debug_root = debugfs_create_dir("o2dlm", NULL);
}

void o2dlm_debug_exit(void)
{
	debugfs_remove_recursive(o2dlm_debug_root);
}
