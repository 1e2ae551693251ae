// SPDX-License-Identifier: GPL-2.0
/*
 * Mount options: the stock OCFS2 set, parsed with the fs_context API.
 * Unknown options are refused by the VFS with their name.  Options that
 * only matter to a cluster mount are accepted and ignored on local-mount
 * volumes, as the stock module does, so existing fstab lines keep working.
 * acl/noacl and user_xattr/nouser_xattr act as stock's.  heartbeat= is
 * checked against the volume as stock checks it (one mode; the o2cb
 * volume's mode; started for a writable o2cb cluster mount), and the
 * cluster options are shown in /proc/mounts where and as stock shows
 * them.  nointr is the default (stock's too); with intr a system call's
 * first cluster locks end at a signal before their request is out, as
 * stock's do (ocfs2_syscall_lock_flags).
 */
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/blkdev.h>
#include <linux/seq_file.h>
#include "ocfs2.h"

enum {
	Opt_barrier, Opt_errors, Opt_intr, Opt_nointr, Opt_heartbeat,
	Opt_data, Opt_user_xattr, Opt_nouser_xattr, Opt_atime_quantum,
	Opt_preferred_slot, Opt_commit, Opt_localalloc, Opt_localflocks,
	Opt_stack, Opt_inode64, Opt_usrquota, Opt_grpquota, Opt_coherency,
	Opt_resv_level, Opt_dir_resv_level, Opt_journal_async_commit,
	Opt_acl, Opt_noacl, Opt_nocluster,
};

static const struct constant_table errors_table[] = {
	{ "remount-ro",	OCFS2_ERRORS_RO },
	{ "continue",	OCFS2_ERRORS_CONTINUE },
	{ "panic",	OCFS2_ERRORS_PANIC },
	{}
};

static const struct constant_table data_table[] = {
	{ "ordered",	OCFS2_DATA_ORDERED },
	{ "writeback",	OCFS2_DATA_WRITEBACK },
	{}
};

static const struct constant_table heartbeat_table[] = {
	{ "none",	OCFS2_HB_OPT_NONE },
	{ "local",	OCFS2_HB_OPT_LOCAL },
	{ "global",	OCFS2_HB_OPT_GLOBAL },
	{}
};

static const struct constant_table coherency_table[] = {
	{ "full", 0 }, { "buffered", 1 }, {}
};

const struct fs_parameter_spec ocfs2_param_specs[] = {
	fsparam_u32("barrier", Opt_barrier),
	fsparam_enum("errors", Opt_errors, errors_table),
	fsparam_flag("intr", Opt_intr),
	fsparam_flag("nointr", Opt_nointr),
	fsparam_enum("heartbeat", Opt_heartbeat, heartbeat_table),
	fsparam_enum("data", Opt_data, data_table),
	fsparam_flag("user_xattr", Opt_user_xattr),
	fsparam_flag("nouser_xattr", Opt_nouser_xattr),
	fsparam_u32("atime_quantum", Opt_atime_quantum),
	fsparam_s32("preferred_slot", Opt_preferred_slot),
	fsparam_u32("commit", Opt_commit),
	fsparam_u32("localalloc", Opt_localalloc),
	fsparam_flag("localflocks", Opt_localflocks),
	fsparam_string("cluster_stack", Opt_stack),
	fsparam_flag("inode64", Opt_inode64),
	fsparam_flag("usrquota", Opt_usrquota),
	fsparam_flag("grpquota", Opt_grpquota),
	fsparam_enum("coherency", Opt_coherency, coherency_table),
	fsparam_u32("resv_level", Opt_resv_level),
	fsparam_u32("dir_resv_level", Opt_dir_resv_level),
	fsparam_flag("journal_async_commit", Opt_journal_async_commit),
	fsparam_flag("acl", Opt_acl),
	fsparam_flag("noacl", Opt_noacl),
	fsparam_flag("nocluster", Opt_nocluster),
	{}
};

#define OCFS2_DEFAULT_ATIME_QUANTUM	60
#define OCFS2_DEFAULT_COMMIT_SECS	5

void ocfs2_default_opts(struct ocfs2_mount_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->errors = OCFS2_ERRORS_RO;
	opts->data_mode = OCFS2_DATA_ORDERED;
	opts->commit_secs = OCFS2_DEFAULT_COMMIT_SECS;
	opts->atime_quantum = OCFS2_DEFAULT_ATIME_QUANTUM;
	opts->preferred_slot = -1;
	opts->localalloc_mb = OCFS2_LOCALALLOC_UNSET;
	opts->barrier = true;
}

int ocfs2_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct ocfs2_mount_opts *opts = fc->fs_private;
	struct fs_parse_result result;
	int opt;

	opt = fs_parse(fc, ocfs2_param_specs, param, &result);
	if (opt < 0)
		return opt;
	switch (opt) {
	case Opt_barrier:
		opts->barrier = result.uint_32 != 0;
		break;
	case Opt_errors:
		opts->errors = result.uint_32;
		break;
	case Opt_data:
		opts->data_mode = result.uint_32;
		break;
	case Opt_atime_quantum:
		opts->atime_quantum = result.uint_32;
		break;
	case Opt_preferred_slot:
		/* as stock: 0 (and below) asks for no slot in particular */
		opts->preferred_slot = result.int_32 > 0 ? result.int_32 : -1;
		break;
	case Opt_heartbeat:
		opts->heartbeat |= result.uint_32;
		break;
	case Opt_intr:
		opts->intr = true;
		break;
	case Opt_nointr:
		opts->intr = false;
		break;
	case Opt_coherency:
		opts->coherency_buffered = result.uint_32 == 1;
		break;
	case Opt_commit:
		opts->commit_secs = result.uint_32 ? result.uint_32 :
				    OCFS2_DEFAULT_COMMIT_SECS;
		break;
	case Opt_localalloc:
		opts->localalloc_mb = result.uint_32;
		break;
	case Opt_localflocks:
		opts->localflocks = true;
		break;
	case Opt_acl:
		opts->acl = OCFS2_ACL_ON;
		break;
	case Opt_noacl:
		opts->acl = OCFS2_ACL_OFF;
		break;
	case Opt_user_xattr:
		opts->nouser_xattr = false;
		break;
	case Opt_nouser_xattr:
		opts->nouser_xattr = true;
		break;
	case Opt_stack:
		if (strlen(param->string) != OCFS2_STACK_LABEL_LEN)
			return invalfc(fc, "cluster_stack must be %d characters",
				       OCFS2_STACK_LABEL_LEN);
		strscpy(opts->cluster_stack, param->string,
			sizeof(opts->cluster_stack));
		break;
	default:
		/* not yet meaningful: accepted, ignored */
		break;
	}
	return 0;
}

/*
 * POSIX ACLs on or off for @sb (at mount and remount), as stock decides:
 * acl needs the xattr feature; without acl or noacl they are on when the
 * volume has xattrs.
 */
int ocfs2_apply_acl_opt(struct super_block *sb, struct ocfs2_mount_opts *opts)
{
	bool xattr = ocfs2_has_incompat(OCFS2_SB(sb),
					OCFS2_FEATURE_INCOMPAT_XATTR);

	if (opts->acl == OCFS2_ACL_ON && !xattr) {
		ocfs2_err(sb, "acl requested, but the volume has no xattr feature");
		return -EINVAL;
	}
	if (opts->acl == OCFS2_ACL_UNSET)
		opts->acl = xattr ? OCFS2_ACL_ON : OCFS2_ACL_OFF;
	if (opts->acl == OCFS2_ACL_ON)
		sb->s_flags |= SB_POSIXACL;
	else
		sb->s_flags &= ~SB_POSIXACL;
	return 0;
}

static bool user_stack(struct ocfs2_sb_info *osb)
{
	return osb->cluster_stack[0] && strcmp(osb->cluster_stack, "o2cb");
}

/* heartbeat=local or global: an o2cb cluster volume in that mode */
static int check_beating(struct super_block *sb, u8 hb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	bool global = hb & OCFS2_HB_OPT_GLOBAL;

	if (!ocfs2_is_cluster_mount(osb)) {
		ocfs2_err(sb, "cannot mount: heartbeat=%s on a local-mount volume (it has no heartbeat; mount it without the option)",
			  global ? "global" : "local");
		return -EINVAL;
	}
	if (user_stack(osb)) {
		ocfs2_err(sb, "cannot mount: heartbeat=%s is an o2cb option but the volume uses the \"%s\" stack (mount.ocfs2 passes cluster_stack= and no heartbeat)",
			  global ? "global" : "local", osb->cluster_stack);
		return -EINVAL;
	}
	if (global != osb->global_hb) {
		ocfs2_err(sb, "cannot mount: mismatching o2cb heartbeat modes: heartbeat=%s given, the volume uses %s heartbeat (tunefs.ocfs2 --update-cluster-stack sets the volume's from the running cluster)",
			  global ? "global" : "local",
			  osb->global_hb ? "global" : "local");
		return -EINVAL;
	}
	return 0;
}

/*
 * At mount, once the superblock is read: heartbeat= against the volume,
 * as stock checks it.  One mode only; local/global only where o2cb
 * heartbeats the volume in that mode; and an o2cb cluster volume is
 * mounted only with heartbeat started (mount.ocfs2 starts the local
 * region and says which mode), unless the device itself is read-only.
 */
int ocfs2_check_heartbeat_opt(struct super_block *sb)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	u8 hb = osb->opts.heartbeat;

	if (hweight8(hb) > 1) {
		ocfs2_err(sb, "cannot mount: more than one heartbeat mode given; give one of heartbeat=local, heartbeat=global or heartbeat=none");
		return -EINVAL;
	}
	if (hb & (OCFS2_HB_OPT_LOCAL | OCFS2_HB_OPT_GLOBAL))
		return check_beating(sb, hb);
	if (ocfs2_is_cluster_mount(osb) && !user_stack(osb) &&
	    !bdev_read_only(sb->s_bdev)) {
		ocfs2_err(sb, "cannot mount: heartbeat has to be started to mount an o2cb cluster volume (mount it through mount.ocfs2, which starts it; or pass heartbeat=%s with the region beating)",
			  osb->global_hb ? "global" : "local");
		return -EINVAL;
	}
	return 0;
}

/* At remount: the heartbeat mode stays (stock refuses a change too). */
int ocfs2_check_remount_opts(struct super_block *sb,
			     const struct ocfs2_mount_opts *opts)
{
	u8 was = OCFS2_SB(sb)->opts.heartbeat;

	/* none given at mount is none (mount.ocfs2 passes it on remount) */
	if (!was)
		was = OCFS2_HB_OPT_NONE;
	if (!opts->heartbeat || opts->heartbeat == was)
		return 0;
	ocfs2_err(sb, "cannot change the heartbeat mode on remount");
	return -EINVAL;
}

/* What stock shows of heartbeat= (_netdev: mount waits for the network) */
static void show_heartbeat(struct seq_file *seq, u8 hb)
{
	if (hb & OCFS2_HB_OPT_LOCAL)
		seq_puts(seq, ",_netdev,heartbeat=local");
	else if (hb & OCFS2_HB_OPT_GLOBAL)
		seq_puts(seq, ",_netdev,heartbeat=global");
	else
		seq_puts(seq, ",heartbeat=none");
}

/*
 * Stock's order; the local options as before (shown when not the
 * default).  Stock prints "localflocks," with a stray comma: not copied.
 */
int ocfs2_show_options(struct seq_file *seq, struct dentry *root)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(root->d_sb);
	struct ocfs2_mount_opts *opts = &osb->opts;

	show_heartbeat(seq, opts->heartbeat);
	if (!opts->intr)	/* stock shows nothing for intr */
		seq_puts(seq, ",nointr");
	if (!opts->barrier)
		seq_puts(seq, ",barrier=0");
	if (opts->errors != OCFS2_ERRORS_RO)
		seq_printf(seq, ",errors=%s",
			   opts->errors == OCFS2_ERRORS_PANIC ? "panic" :
			   "continue");
	if (opts->data_mode == OCFS2_DATA_WRITEBACK)
		seq_puts(seq, ",data=writeback");
	if (opts->preferred_slot >= 0)
		seq_printf(seq, ",preferred_slot=%d", opts->preferred_slot);
	if (opts->atime_quantum != OCFS2_DEFAULT_ATIME_QUANTUM)
		seq_printf(seq, ",atime_quantum=%u", opts->atime_quantum);
	if (opts->commit_secs != OCFS2_DEFAULT_COMMIT_SECS)
		seq_printf(seq, ",commit=%u", opts->commit_secs);
	if (opts->localalloc_mb != OCFS2_LOCALALLOC_UNSET)
		seq_printf(seq, ",localalloc=%u", opts->localalloc_mb);
	if (opts->localflocks)
		seq_puts(seq, ",localflocks");
	if (osb->cluster_stack[0])
		seq_show_option(seq, "cluster_stack", osb->cluster_stack);
	seq_puts(seq, opts->coherency_buffered ? ",coherency=buffered" :
		 ",coherency=full");
	seq_puts(seq, opts->nouser_xattr ? ",nouser_xattr" : ",user_xattr");
	seq_puts(seq, opts->acl == OCFS2_ACL_ON ? ",acl" : ",noacl");
	return 0;
}
