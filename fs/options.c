// SPDX-License-Identifier: GPL-2.0
/*
 * Mount options: the stock OCFS2 set, parsed with the fs_context API.
 * Unknown options are refused by the VFS with their name.  Options that
 * only matter to a cluster mount are accepted and ignored on local-mount
 * volumes, as the stock module does, so existing fstab lines keep working.
 * acl/noacl and user_xattr/nouser_xattr act as stock's.
 */
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
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
	{ "none", 0 }, { "local", 1 }, { "global", 2 }, {}
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
		opts->preferred_slot = result.int_32;
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
		/* cluster-only or not yet meaningful: accepted, ignored */
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

int ocfs2_show_options(struct seq_file *seq, struct dentry *root)
{
	struct ocfs2_mount_opts *opts = &OCFS2_SB(root->d_sb)->opts;

	if (!opts->barrier)
		seq_puts(seq, ",barrier=0");
	if (opts->errors != OCFS2_ERRORS_RO)
		seq_printf(seq, ",errors=%s",
			   opts->errors == OCFS2_ERRORS_PANIC ? "panic" :
			   "continue");
	if (opts->data_mode == OCFS2_DATA_WRITEBACK)
		seq_puts(seq, ",data=writeback");
	if (opts->commit_secs != OCFS2_DEFAULT_COMMIT_SECS)
		seq_printf(seq, ",commit=%u", opts->commit_secs);
	if (opts->atime_quantum != OCFS2_DEFAULT_ATIME_QUANTUM)
		seq_printf(seq, ",atime_quantum=%u", opts->atime_quantum);
	if (opts->localalloc_mb != OCFS2_LOCALALLOC_UNSET)
		seq_printf(seq, ",localalloc=%u", opts->localalloc_mb);
	if (opts->localflocks)
		seq_puts(seq, ",localflocks");
	seq_puts(seq, opts->nouser_xattr ? ",nouser_xattr" : ",user_xattr");
	seq_puts(seq, opts->acl == OCFS2_ACL_ON ? ",acl" : ",noacl");
	return 0;
}
