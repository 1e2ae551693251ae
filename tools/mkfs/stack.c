// SPDX-License-Identifier: GPL-2.0
/*
 * Which cluster stack a new clustered volume is stamped with.  As in
 * ocfs2-tools 1.8: what the admin asked for, else what this host runs.
 * A running user stack (pcmk, ...) is stamped with its cluster name, so
 * `mkfs.ocfs2 /dev/sdX` on a pacemaker node makes a volume that node can
 * mount; a running o2cb, or none at all, leaves the classic stack.  A
 * request that contradicts the running cluster is refused unless -F, as
 * stock does.  Beyond stock: a user stack whose cluster name cannot be
 * read (dlm_controld down) is an error rather than a silent classic
 * volume that the node then fails to mount.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mkfs.h"
#include "o2cb_configfs.h"
#include "o2cb_running.h"

#define PROG "mkfs.ocfs2"

/* o2cb's stack file holds "o2cb" even with no cluster registered */
static bool user_stack_loaded(void)
{
	char stack[8];

	return !o2cb_read_attr(O2CB_STACK_FILE, stack, sizeof(stack)) &&
	       stack[0] && strcmp(stack, OCFS2_CLASSIC_CLUSTER_STACK);
}

/* @what "was requested" but @running runs: refused unless forced */
static int conflict(const struct mkfs_opts *o, const char *what,
		    const char *want, const char *running)
{
	fprintf(stderr, "%s: %s \"%s\" was requested, but \"%s\" is running.\n",
		PROG, what, want, running);
	if (!o->force) {
		fprintf(stderr, "%s: To skip this check, use --force or -F\n",
			PROG);
		return -EINVAL;
	}
	printf("%s forced\n", what);
	return 0;
}

static int check_request(const struct mkfs_opts *o,
			 const struct o2cb_running *r)
{
	const char *stack = r->user || r->global_hb ? r->stack :
			    OCFS2_CLASSIC_CLUSTER_STACK;
	int ret = 0;

	if (strcmp(o->stack, stack))
		ret = conflict(o, "cluster stack", o->stack, stack);
	else if (strcmp(o->cluster_name, r->cluster))
		ret = conflict(o, "cluster name", o->cluster_name, r->cluster);
	return ret;
}

int mkfs_pick_stack(struct mkfs_opts *o)
{
	static struct o2cb_running r;
	const char *why = NULL;

	if (o->local)
		return 0;
	if (o2cb_running_cluster(&r, &why)) {
		if (o->stack || !user_stack_loaded())
			return 0;	/* nothing runs to compare with */
		fprintf(stderr, "%s: the running cluster stack is a user stack but its cluster is unknown: %s\n",
			PROG, why);
		if (!o->force) {
			fprintf(stderr, "%s: start it, or give --cluster-stack and --cluster-name (or -M local); -F formats for the classic o2cb stack\n",
				PROG);
			return -ENODEV;
		}
		return 0;
	}
	if (o->stack)
		return check_request(o, &r);
	if (!r.user)
		return 0;	/* o2cb: the classic stack, nothing stamped */
	if (strlen(r.cluster) > OCFS2_CLUSTER_NAME_LEN) {
		fprintf(stderr, "%s: the running cluster's name '%s' is longer than the %d characters a superblock holds\n",
			PROG, r.cluster, OCFS2_CLUSTER_NAME_LEN);
		return -EINVAL;
	}
	o->stack = r.stack;
	o->cluster_name = r.cluster;
	return 0;
}
