// SPDX-License-Identifier: GPL-2.0
/*
 * The periodic orphan scan of a cluster mount.  An inode unlinked on one
 * node while open on another sits in the unlinking node's orphan
 * directory until some node can delete it; if every node that could have
 * let it go missed its chance (each saw the other still holding it), only
 * a later look finds it.  Every mounted node wakes up every few minutes
 * and takes the orphan-scan lock: its value block carries a sequence
 * number (stock's layout) that the node which last scanned moved on, so
 * a node that sees it moved since its own last look only notes the new
 * number; a node that sees it unchanged scans the orphan directories of
 * every slot and moves it on.  Roughly one scan per period for the whole
 * cluster, with stock nodes taking their turns too.
 *
 * The period is the module parameter orphan_scan_secs, 300 s as stock's;
 * 0 turns the scan off.
 */
#include <linux/random.h>
#include <linux/workqueue.h>
#include "ocfs2.h"

/* stock's orphan-scan value block: version 1, then the sequence number */
#define ORPHAN_SCAN_LVB_VERSION	1
struct orphan_scan_lvb {
	u8	version;
	u8	reserved[3];
	__be32	seqno;
};

static unsigned int orphan_scan_secs = 300;
module_param(orphan_scan_secs, uint, 0644);
MODULE_PARM_DESC(orphan_scan_secs,
		 "seconds between cluster orphan scans, 0 = off (default 300, as stock)");

static void write_lvb(struct ocfs2_lockres *res, u32 seqno)
{
	struct orphan_scan_lvb *lvb = ocfs2_lock_lvb(res);

	if (!lvb)
		return;
	lvb->version = ORPHAN_SCAN_LVB_VERSION;
	lvb->seqno = cpu_to_be32(seqno);
}

/*
 * Runs in the downconvert thread before our EX goes: what we leave.  The
 * next grant brings what other nodes left.
 */
static void orphan_scan_set_lvb(struct ocfs2_lockres *res)
{
	struct ocfs2_sb_info *osb = res->owner;

	write_lvb(res, READ_ONCE(osb->os_lvb_seqno));
	WRITE_ONCE(osb->os_lvb_mine, false);
}

static const struct ocfs2_lock_type ocfs2_orphan_scan_lock_type = {
	.type_char	= 'P',
	.name		= "orphan_scan",
	.uses_lvb	= true,
	.set_lvb	= orphan_scan_set_lvb,
};

static void scan_all_slots(struct super_block *sb)
{
	struct inode *odir;
	int slot;

	for (slot = 0; slot < OCFS2_SB(sb)->max_slots; slot++) {
		odir = ocfs2_get_system_inode(sb, ORPHAN_DIR_SYSTEM_INODE,
					      slot);
		if (IS_ERR(odir))
			continue;
		ocfs2_scan_orphans_in(sb, odir, slot);
		iput(odir);
	}
}

/* A peer left a value block of no version we know: not trusted. */
static void warn_bad_lvb(struct ocfs2_sb_info *osb, u8 version)
{
	pr_warn_ratelimited("ocfs2 (%s): the orphan scan lock's value block has version %u (expected %u); ignored, counted as a scan by another node\n",
			    osb->sb->s_id, version, ORPHAN_SCAN_LVB_VERSION);
}

/*
 * The cluster's number, under EX.  While our EX stayed cached since our
 * last turn, the value block is the one we left (a grant's "not valid"
 * flag would otherwise stick to it until the next grant).
 */
static u32 cluster_seqno(struct ocfs2_sb_info *osb)
{
	struct orphan_scan_lvb *lvb;

	if (osb->os_lvb_mine)
		return osb->os_lvb_seqno;
	lvb = ocfs2_lock_lvb_readable(&osb->orphan_scan_lock);
	if (lvb && lvb->version == ORPHAN_SCAN_LVB_VERSION)
		return be32_to_cpu(lvb->seqno);
	if (lvb && lvb->version)
		warn_bad_lvb(osb, lvb->version);
	/* no value yet (or its writer died): count it as moved on */
	return osb->os_seqno + 1;
}

/*
 * One turn: scan, or note that another node scanned since our last look.
 * As stock, a node alone scans every other turn.
 */
static void orphan_scan_once(struct ocfs2_sb_info *osb)
{
	struct ocfs2_lockres *res = &osb->orphan_scan_lock;
	u32 seqno;

	/* an error made the volume read-only: nothing may be deleted now */
	if (sb_rdonly(osb->sb))
		return;
	if (ocfs2_lock(res, OCFS2_LOCK_EX, 0))
		return;
	seqno = cluster_seqno(osb);
	if (seqno == osb->os_seqno) {
		scan_all_slots(osb->sb);
		seqno++;
	} else {
		osb->os_seqno = seqno;
	}
	WRITE_ONCE(osb->os_lvb_seqno, seqno);
	write_lvb(res, seqno);
	osb->os_lvb_mine = true;
	ocfs2_unlock(res, OCFS2_LOCK_EX);
}

static void queue_next(struct ocfs2_sb_info *osb)
{
	unsigned int secs = READ_ONCE(orphan_scan_secs);

	if (secs)
		queue_delayed_work(system_long_wq, &osb->orphan_scan_work,
				   secs * HZ + get_random_u32() % (5 * HZ));
}

static void orphan_scan_work(struct work_struct *work)
{
	struct ocfs2_sb_info *osb = container_of(to_delayed_work(work),
						 struct ocfs2_sb_info,
						 orphan_scan_work);

	orphan_scan_once(osb);
	queue_next(osb);
}

/* After a read-write cluster mount or a remount read-write. */
void ocfs2_orphan_scan_start(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	char name[OCFS2_LOCK_NAME_MAX];
	unsigned int len;

	if (osb->orphan_scan_on || osb->locks.local || sb_rdonly(sb) ||
	    !READ_ONCE(orphan_scan_secs))
		return;
	len = ocfs2_lock_name(name, 'P', 0, 0);
	ocfs2_lockres_init(&osb->orphan_scan_lock, &osb->locks,
			   &ocfs2_orphan_scan_lock_type, osb, name, len);
	INIT_DELAYED_WORK(&osb->orphan_scan_work, orphan_scan_work);
	osb->orphan_scan_on = true;
	queue_next(osb);
}

/* At unmount, before the journal and the system inodes go. */
void ocfs2_orphan_scan_stop(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	if (!osb->orphan_scan_on)
		return;
	osb->orphan_scan_on = false;
	cancel_delayed_work_sync(&osb->orphan_scan_work);
	ocfs2_lockres_free(&osb->orphan_scan_lock);
}
