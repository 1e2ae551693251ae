// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl fs.ocfs2.nm.hb_ctl_path: the helper run after unmount to stop a
 * volume's heartbeat (default /sbin/ocfs2_hb_ctl; empty disables it).
 */
#include <linux/sysctl.h>
#include <kcompat.h>

#include "sg_internal.h"

char ocfs2_hb_ctl_path[OCFS2_MAX_HB_CTL_PATH] = "/sbin/ocfs2_hb_ctl";

static struct ctl_table_header *ocfs2_sg_sysctl_header;

static struct ctl_table ocfs2_nm_table[] = {
	{
		.procname	= "hb_ctl_path",
		.data		= ocfs2_hb_ctl_path,
		.maxlen		= OCFS2_MAX_HB_CTL_PATH,
		.mode		= 0644,
		.proc_handler	= proc_dostring,
	},
	KC_SYSCTL_TABLE_END
};

int ocfs2_sg_sysctl_init(void)
{
	ocfs2_sg_sysctl_header = register_sysctl("fs/ocfs2/nm",
						 ocfs2_nm_table);
	return ocfs2_sg_sysctl_header ? 0 : -ENOMEM;
}

void ocfs2_sg_sysctl_exit(void)
{
	unregister_sysctl_table(ocfs2_sg_sysctl_header);
}
