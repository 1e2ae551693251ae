// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting faults: log lines that name the device, and the one error
 * helper that applies the errors= policy (remount read-only, continue or
 * panic) when the filesystem finds its metadata damaged.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include "ocfs2.h"

void ocfs2_msg(struct super_block *sb, const char *level,
	       const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	printk("%socfs2 (%s): %pV\n", level, sb->s_id, &vaf);
	va_end(args);
}

/*
 * The policy only; the caller has logged what is wrong.  Recording the
 * error in the superblock needs the journal, which read-only mounts do
 * not have, so it is left to fsck today.
 */
static void ocfs2_apply_error_policy(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);

	switch (osb->opts.errors) {
	case OCFS2_ERRORS_PANIC:
		panic("ocfs2 (%s): panic forced after error\n", sb->s_id);
		break;
	case OCFS2_ERRORS_CONTINUE:
		break;
	default:
		if (sb_rdonly(sb))
			break;
		if (osb->journal)
			jbd2_journal_abort(osb->journal, -EIO);
		ocfs2_err(sb, "remounting read-only after error");
		sb->s_flags |= SB_RDONLY;
		break;
	}
}

int ocfs2_fs_error(struct super_block *sb, const char *func,
		   const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (__ratelimit(&OCFS2_SB(sb)->error_rs)) {
		va_start(args, fmt);
		vaf.fmt = fmt;
		vaf.va = &args;
		pr_crit("ocfs2 (%s): error in %s: %pV\n", sb->s_id, func,
			&vaf);
		va_end(args);
	}
	ocfs2_apply_error_policy(sb);
	return -EFSCORRUPTED;
}

int ocfs2_corrupt_block(struct super_block *sb, const char *func, u64 blkno,
			const struct ocfs2_bad *bad)
{
	return ocfs2_fs_error(sb, func, "block %llu: %s (value %llu)",
			      (unsigned long long)blkno, bad->what,
			      (unsigned long long)bad->value);
}
