// SPDX-License-Identifier: GPL-2.0
/*
 * FITRIM (fstrim): discard the volume's free clusters.  The device is
 * shared, so one node trims at a time, cluster-wide, under the trim lock
 * ('I', exclusive); its value block (stock's layout) says what the last
 * trim covered, and a node that had to wait for another node's trim of
 * the very same range returns that result instead of sending the same
 * discards again.  Stock nodes take the same lock the same way.
 *
 * The global bitmap is walked one group at a time under its meta lock,
 * shared (no node claims while we look), and bitmap.c discards only what
 * is free in jbd2's committed copy too: a cluster freed by a transaction
 * not yet committed still belongs to its file if we crash.  A group at a
 * time, so an allocator waits at most for one group's discards.  Our own
 * local alloc window is set in the global bitmap: it is not trimmed.
 */
#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <ocfs2/lock_fmt.h>
#include "ocfs2.h"

struct ocfs2_trim {
	struct ocfs2_lockres	lock;
	struct super_block	*sb;
	struct ocfs2_trim_lvb	done;	/* left in the value block, if set */
	u64			trimmed;	/* clusters discarded */
};

/* In the lock core before our exclusive lock goes down or away. */
static void trim_set_lvb(struct ocfs2_lockres *res)
{
	struct ocfs2_trim *t = res->owner;
	void *lvb = ocfs2_lock_lvb(res);

	/* nothing trimmed by us: the value we were granted goes back as is */
	if (lvb && t->done.lvb_version)
		memcpy(lvb, &t->done, sizeof(t->done));
}

static const struct ocfs2_lock_type ocfs2_trim_lock_type = {
	.type_char	= 'I',
	.name		= "trim",
	.uses_lvb	= true,
	.set_lvb	= trim_set_lvb,
};

/*
 * Off until cluster/12 has passed in the lab: FITRIM is then refused as
 * on a device that cannot discard.
 */
static bool fitrim;
module_param(fitrim, bool, 0644);
MODULE_PARM_DESC(fitrim, "answer FITRIM (fstrim); default off until proven in the lab");

/* One trim at a time on this node, whatever the volume (stock: a mutex). */
static DEFINE_MUTEX(trim_mutex);

static int discard_run(struct ocfs2_sb_info *osb, const struct ocfs2_run *run,
		       void *arg)
{
	struct ocfs2_trim *t = arg;
	int ret;

	ret = sb_issue_discard(t->sb, (sector_t)run->cluster << osb->bpc_bits,
			       (sector_t)run->count << osb->bpc_bits, GFP_NOFS,
			       0);
	if (!ret)
		t->trimmed += run->count;
	return ret;
}

/* Clusters [@from, @to) of the global bitmap, a group at a time. */
static int trim_clusters(struct ocfs2_trim *t, u32 from, u32 to, u32 min)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(t->sb);
	struct inode *bm = osb->global_bitmap;
	struct buffer_head *abh;
	u32 cpg, next;
	int ret = 0;

	while (!ret && from < to) {
		ret = ocfs2_inode_lock(bm, &abh, 0);
		if (ret)
			break;
		cpg = le16_to_cpu(((struct ocfs2_dinode *)abh->b_data)->id2.i_chain.cl_cpg);
		next = cpg ? min_t(u64, to, ((u64)from / cpg + 1) * cpg) : to;
		ret = ocfs2_bitmap_free_runs(osb, abh, from, next, min,
					     discard_run, t);
		brelse(abh);
		ocfs2_inode_unlock(bm, 0);
		from = next;
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
		cond_resched();
	}
	return ret;
}

/* The request in clusters, checked; the caller trims [*from, *to). */
static int trim_bounds(struct ocfs2_sb_info *osb, struct fstrim_range *r,
		       u32 *from, u32 *to, u32 *min)
{
	u64 csize = 1ULL << osb->cluster_bits;
	u64 start = r->start >> osb->cluster_bits;
	u64 len = r->len >> osb->cluster_bits;

	if (start >= osb->total_clusters || !len)
		return -EINVAL;
	*from = start;
	*to = start + min_t(u64, len, osb->total_clusters - start);
	*min = max_t(u64, 1, DIV_ROUND_UP(r->minlen, csize));
	if (*min > osb->total_clusters)
		return -EINVAL;
	return 0;
}

/* After waiting for another node: had it just trimmed the same range? */
static bool already_trimmed(struct ocfs2_trim *t, struct fstrim_range *r)
{
	struct ocfs2_trim_lvb *lvb = ocfs2_lock_lvb_readable(&t->lock);

	if (!lvb || lvb->lvb_version != OCFS2_TRIM_LVB_VERSION ||
	    !lvb->lvb_success || be64_to_cpu(lvb->lvb_start) != r->start ||
	    be64_to_cpu(lvb->lvb_len) != r->len ||
	    be64_to_cpu(lvb->lvb_minlen) != r->minlen)
		return false;
	ocfs2_info(t->sb, "node %u has just trimmed the same range; not sent again",
		   be32_to_cpu(lvb->lvb_nodenum));
	r->len = be64_to_cpu(lvb->lvb_trimlen);
	return true;
}

static void note_done(struct ocfs2_trim *t, struct fstrim_range *r, int ret)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(t->sb);

	t->done.lvb_version = OCFS2_TRIM_LVB_VERSION;
	t->done.lvb_success = !ret;
	t->done.lvb_nodenum = cpu_to_be32(osb->locks.node);
	t->done.lvb_start = cpu_to_be64(r->start);
	t->done.lvb_len = cpu_to_be64(r->len);
	t->done.lvb_minlen = cpu_to_be64(r->minlen);
	t->done.lvb_trimlen = cpu_to_be64(t->trimmed << osb->cluster_bits);
}

static int trim_locked(struct ocfs2_trim *t, struct fstrim_range *r)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(t->sb);
	u32 from, to, min;
	int ret;

	ret = ocfs2_lock(&t->lock, OCFS2_LOCK_EX, OCFS2_LOCK_NOQUEUE);
	if (ret == -EAGAIN) {
		ocfs2_info(t->sb, "another node is trimming this volume; waiting for it");
		ret = ocfs2_lock(&t->lock, OCFS2_LOCK_EX, 0);
		if (!ret && already_trimmed(t, r))
			goto out;
	}
	if (ret)
		return ret;
	ret = trim_bounds(osb, r, &from, &to, &min);
	if (!ret)
		ret = trim_clusters(t, from, to, min);
	note_done(t, r, ret);
	r->len = t->trimmed << osb->cluster_bits;
out:
	ocfs2_unlock(&t->lock, OCFS2_LOCK_EX);
	return ret;
}

static int ocfs2_trim(struct super_block *sb, struct fstrim_range *r)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	char name[OCFS2_LOCK_NAME_MAX];
	struct ocfs2_trim *t;
	unsigned int len;
	int ret;

	if (!READ_ONCE(fitrim) || !bdev_max_discard_sectors(sb->s_bdev))
		return -EOPNOTSUPP;
	if (sb_rdonly(sb) || !osb->journal)
		return -EROFS;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->sb = sb;
	len = ocfs2_lock_name(name, 'I', 0, 0);
	mutex_lock(&trim_mutex);
	ocfs2_lockres_init(&t->lock, &osb->locks, &ocfs2_trim_lock_type, t,
			   name, len);
	ret = trim_locked(t, r);
	ocfs2_lockres_free(&t->lock);
	mutex_unlock(&trim_mutex);
	kfree(t);
	return ret;
}

static long ioctl_fitrim(struct file *file, void __user *arg)
{
	struct super_block *sb = file_inode(file)->i_sb;
	struct fstrim_range r;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	r.minlen = max_t(u64, r.minlen, bdev_discard_granularity(sb->s_bdev));
	ret = ocfs2_trim(sb, &r);
	if (ret)
		return ret;
	return copy_to_user(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

/* Files and directories; FS_IOC_[GS]ETFLAGS come through fileattr. */
long ocfs2_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case FITRIM:
		return ioctl_fitrim(file, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}
