// SPDX-License-Identifier: GPL-2.0
/*
 * The lock state file admins read with `debugfs.ocfs2 -R fs_locks`:
 * <debugfs>/ocfs2/<volume UUID>/locking_state, one line per lock resource
 * of a cluster mount in the layout stock's module writes (version 4: the
 * name, level, flags, pending action, holders, requested and blocking
 * levels, the 64 LVB bytes, then lock statistics, which we do not keep and
 * write as zeros).  Flags and actions are translated to stock's values,
 * since the tools decode them by those.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "lock_core.h"

#define OCFS2_LOCKING_STATE_VERSION	4
#define OCFS2_LOCK_STATS_FIELDS		12

/* stock's lockres flag bits, as the tools decode them */
#define STOCK_ATTACHED		0x001
#define STOCK_BUSY		0x002
#define STOCK_BLOCKED		0x004
#define STOCK_NEEDS_REFRESH	0x010
#define STOCK_REFRESHING	0x020
#define STOCK_INITIALIZED	0x040
#define STOCK_FREEING		0x080
#define STOCK_QUEUED		0x100
#define STOCK_NOCACHE		0x200
#define STOCK_PENDING		0x400

/* stock's pending actions */
#define STOCK_AST_ATTACH	1
#define STOCK_AST_CONVERT	2
#define STOCK_AST_DOWNCONVERT	3
#define STOCK_UNLOCK_CANCEL	1
#define STOCK_UNLOCK_DROP	2

static struct dentry *ocfs2_debug_root;

static const struct {
	unsigned int ours, stock;
} flag_map[] = {
	{ OCFS2_LRF_ATTACHED, STOCK_ATTACHED },
	{ OCFS2_LRF_BUSY, STOCK_BUSY },
	{ OCFS2_LRF_BLOCKED, STOCK_BLOCKED },
	{ OCFS2_LRF_NEEDS_REFRESH, STOCK_NEEDS_REFRESH },
	{ OCFS2_LRF_REFRESHING, STOCK_REFRESHING },
	{ OCFS2_LRF_FREEING, STOCK_FREEING },
	{ OCFS2_LRF_QUEUED, STOCK_QUEUED },
	{ OCFS2_LRF_DOWNCONVERTING, STOCK_QUEUED },
	{ OCFS2_LRF_PENDING, STOCK_PENDING },
};

static unsigned long stock_flags(const struct ocfs2_lockres *res)
{
	unsigned int flags = READ_ONCE(res->flags);
	unsigned long f = STOCK_INITIALIZED;
	int i;

	for (i = 0; i < ARRAY_SIZE(flag_map); i++)
		if (flags & flag_map[i].ours)
			f |= flag_map[i].stock;
	if (res->type->drop_on_unlock)
		f |= STOCK_NOCACHE;
	return f;
}

static unsigned int stock_action(const struct ocfs2_lockres *res)
{
	unsigned int flags = READ_ONCE(res->flags);

	if (!(flags & OCFS2_LRF_BUSY) || (flags & OCFS2_LRF_FREEING))
		return 0;
	if (!(flags & OCFS2_LRF_ATTACHED))
		return STOCK_AST_ATTACH;
	return READ_ONCE(res->requested) > READ_ONCE(res->level) ?
	       STOCK_AST_CONVERT : STOCK_AST_DOWNCONVERT;
}

static unsigned int stock_unlock_action(const struct ocfs2_lockres *res)
{
	unsigned int flags = READ_ONCE(res->flags);

	if (flags & OCFS2_LRF_CANCEL)
		return STOCK_UNLOCK_CANCEL;
	if ((flags & (OCFS2_LRF_FREEING | OCFS2_LRF_BUSY)) ==
	    (OCFS2_LRF_FREEING | OCFS2_LRF_BUSY))
		return STOCK_UNLOCK_DROP;
	return 0;
}

/* A dentry lock's name ends in the inode number in binary: shown in hex. */
static void show_name(struct seq_file *m, const struct ocfs2_lockres *res)
{
	__be64 ino;

	if (res->name[0] != 'N' ||
	    res->name_len < OCFS2_DENTRY_LOCK_INO_START + sizeof(ino)) {
		seq_printf(m, "%.*s\t", (int)res->name_len, res->name);
		return;
	}
	memcpy(&ino, res->name + OCFS2_DENTRY_LOCK_INO_START, sizeof(ino));
	seq_printf(m, "%.*s%08x\t", OCFS2_DENTRY_LOCK_INO_START - 1,
		   res->name, (unsigned int)be64_to_cpu(ino));
}

/*
 * Under dc_lock, which keeps @res listed and allocated.  Its own lock is
 * taken before dc_lock elsewhere, so not here: the fields are a snapshot
 * that may be a moment old, as in stock's file.
 */
static void show_lockres(struct seq_file *m, struct ocfs2_lockres *res)
{
	const signed char *lvb = ocfs2_dlm_lvb(&res->lksb);
	int i;

	seq_printf(m, "0x%x\t", OCFS2_LOCKING_STATE_VERSION);
	show_name(m, res);
	seq_printf(m, "%d\t0x%lx\t0x%x\t0x%x\t%u\t%u\t%d\t%d\t",
		   READ_ONCE(res->level), stock_flags(res), stock_action(res),
		   stock_unlock_action(res), READ_ONCE(res->ro_holders),
		   READ_ONCE(res->ex_holders), READ_ONCE(res->requested),
		   READ_ONCE(res->blocking));
	/* bytes as stock prints them: a signed char through %x */
	for (i = 0; i < OCFS2_DLM_LVB_LEN; i++)
		seq_printf(m, "0x%x\t", lvb ? (int)lvb[i] : 0);
	for (i = 0; i < OCFS2_LOCK_STATS_FIELDS; i++)
		seq_puts(m, "0\t");
	seq_putc(m, '\n');
}

static void *ls_start(struct seq_file *m, loff_t *pos)
{
	struct ocfs2_lock_domain *dom = m->private;

	spin_lock(&dom->dc_lock);
	return seq_list_start(&dom->all, *pos);
}

static void *ls_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct ocfs2_lock_domain *dom = m->private;

	return seq_list_next(v, &dom->all, pos);
}

static void ls_stop(struct seq_file *m, void *v)
{
	struct ocfs2_lock_domain *dom = m->private;

	spin_unlock(&dom->dc_lock);
}

static int ls_show(struct seq_file *m, void *v)
{
	show_lockres(m, list_entry(v, struct ocfs2_lockres, all_item));
	return 0;
}

static const struct seq_operations locking_state_sops = {
	.start	= ls_start,
	.next	= ls_next,
	.stop	= ls_stop,
	.show	= ls_show,
};
DEFINE_SEQ_ATTRIBUTE(locking_state);

/*
 * Ours only: the lock groups kept past their objects (lock_keep.c),
 * oldest first, one line each: the names and levels of its locks.
 * Under kept_lock, which keeps them listed and allocated.
 */
static void *kept_start(struct seq_file *m, loff_t *pos)
{
	struct ocfs2_lock_domain *dom = m->private;

	spin_lock(&dom->kept_lock);
	return seq_list_start(&dom->kept_lru, *pos);
}

static void *kept_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct ocfs2_lock_domain *dom = m->private;

	return seq_list_next(v, &dom->kept_lru, pos);
}

static void kept_stop(struct seq_file *m, void *v)
{
	struct ocfs2_lock_domain *dom = m->private;

	spin_unlock(&dom->kept_lock);
}

static int kept_show(struct seq_file *m, void *v)
{
	struct ocfs2_kept *kept = list_entry(v, struct ocfs2_kept, lru);
	unsigned int i;

	for (i = 0; i < kept->nr; i++) {
		show_name(m, kept->res[i]);
		seq_printf(m, "%d\t", READ_ONCE(kept->res[i]->level));
	}
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations kept_locks_sops = {
	.start	= kept_start,
	.next	= kept_next,
	.stop	= kept_stop,
	.show	= kept_show,
};
DEFINE_SEQ_ATTRIBUTE(kept_locks);

static char kind_char(int i)
{
	return i < OCFS2_STAT_KINDS - 1 ? OCFS2_STAT_KIND_CHARS[i] : '*';
}

/*
 * Ours only (stock has no such file): what the cluster domain spent, then
 * per kind of lock (meta, open, dentry, rw, others) first requests and
 * converts with their waits.
 */
static int lock_stats_show(struct seq_file *m, void *v)
{
	struct ocfs2_lock_domain *dom = m->private;
	const struct ocfs2_lock_stats *st = &dom->stats;
	int i;

	seq_printf(m, "requests %lld\nrequest_us %lld\ndownconverts %lld\nprepare_us %lld\nparked %lld\nblocked_us %lld\nrefreshes %lld\nrefresh_us %lld\nshared_reads %lld\nslow_attaches %lld\nnew_requests %lld\nnew_pending %lld\nresends %lld\nkept_now %u\nkeeps %lld\nadopted %lld\nkept_released %lld\n",
		   atomic64_read(&st->requests),
		   atomic64_read(&st->request_ns) / NSEC_PER_USEC,
		   atomic64_read(&st->downconverts),
		   atomic64_read(&st->prepare_ns) / NSEC_PER_USEC,
		   atomic64_read(&st->parked),
		   atomic64_read(&st->blocked_ns) / NSEC_PER_USEC,
		   atomic64_read(&st->refreshes),
		   atomic64_read(&st->refresh_ns) / NSEC_PER_USEC,
		   atomic64_read(&st->shared_reads),
		   atomic64_read(&st->slow_attaches),
		   atomic64_read(&st->new_requests),
		   atomic64_read(&st->new_pending),
		   atomic64_read(&st->resends), READ_ONCE(dom->nr_kept),
		   atomic64_read(&st->keeps), atomic64_read(&st->adopted),
		   atomic64_read(&st->kept_released));
	for (i = 0; i < OCFS2_STAT_KINDS; i++)
		seq_printf(m, "%c_attach %lld %lldus %c_convert %lld %lldus\n",
			   kind_char(i), atomic64_read(&st->kind[i].count[0]),
			   atomic64_read(&st->kind[i].ns[0]) / NSEC_PER_USEC,
			   kind_char(i), atomic64_read(&st->kind[i].count[1]),
			   atomic64_read(&st->kind[i].ns[1]) / NSEC_PER_USEC);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lock_stats);

/* At module load and unload: stock's directory, <debugfs>/ocfs2. */
void ocfs2_lock_debug_init(void)
{
	ocfs2_debug_root = debugfs_create_dir("ocfs2", NULL);
}

void ocfs2_lock_debug_exit(void)
{
	debugfs_remove_recursive(ocfs2_debug_root);
	ocfs2_debug_root = NULL;
}

/* Nothing depends on it: a failure leaves the file out, nothing else. */
void ocfs2_lock_debug_add(struct ocfs2_lock_domain *dom)
{
	if (IS_ERR_OR_NULL(ocfs2_debug_root))
		return;
	dom->debug_dir = debugfs_create_dir(dom->group, ocfs2_debug_root);
	debugfs_create_file("locking_state", 0400, dom->debug_dir, dom,
			    &locking_state_fops);
	debugfs_create_file("lock_stats", 0400, dom->debug_dir, dom,
			    &lock_stats_fops);
	debugfs_create_file("kept_locks", 0400, dom->debug_dir, dom,
			    &kept_locks_fops);
}

void ocfs2_lock_debug_remove(struct ocfs2_lock_domain *dom)
{
	debugfs_remove_recursive(dom->debug_dir);
	dom->debug_dir = NULL;
}
