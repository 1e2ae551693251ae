/* SPDX-License-Identifier: GPL-2.0 */
/* mount.ocfs2: the parsed command line and option string. */
#ifndef MOUNT_OCFS2_H
#define MOUNT_OCFS2_H

#include <stdbool.h>

struct mount_opts {
	const char *device;	/* as given */
	char *real_device;	/* resolved, what is mounted */
	const char *dir;
	unsigned long flags;	/* MS_* from the generic options */
	char *fs_opts;		/* what the kernel's ocfs2 parses, comma list */
	bool nocluster;		/* mount a clustered volume without the stack */
	bool verbose;
	bool no_mtab;
};

/*
 * Split OPTS into mount(2) flags and the filesystem's own options.
 * Options only userspace understands (_netdev, nofail, noauto, x-...)
 * are dropped; heartbeat= is dropped too, the volume decides it.
 */
int mount_parse_options(const char *opts, struct mount_opts *mo);
/* Append ",NAME" (or "NAME" to an empty list). */
int mount_add_option(char **list, const char *name);

#endif
