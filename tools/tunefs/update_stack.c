// SPDX-License-Identifier: GPL-2.0
/*
 * --update-cluster-stack: stamp the superblock with the cluster this host
 * runs now (a volume moved from o2cb to pacemaker, or renamed cluster).
 * Stock asks and then trusts the admin that no other node uses the
 * volume; here the volume must also look unused on disk: no node slot
 * held and no journal left dirty, since a user-stack cluster has no disk
 * heartbeat to tell us.  Which superblock fields and feature bits change
 * follows ocfs2-tools 1.8: a running o2cb in local heartbeat mode is the
 * classic stack (no stack stamped), o2cb in global mode stamps o2cb with
 * its cluster and the global heartbeat flag, a user stack stamps its
 * label and cluster name and needs the extended slot map.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "o2cb_running.h"
#include "tunefs.h"

#define PROG "tunefs.ocfs2"

/* The stamp a superblock carries: empty stack = classic o2cb. */
struct stack_stamp {
	char stack[OCFS2_STACK_LABEL_LEN + 1];
	char cluster[OCFS2_CLUSTER_NAME_LEN + 1];
	bool global_hb;
};

static void stamp_of_disk(struct ocfs2_fs *fs, struct stack_stamp *s)
{
	struct ocfs2_cluster_info *ci = &fs->sb->s_cluster_info;

	memset(s, 0, sizeof(*s));
	if (!ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK |
				OCFS2_FEATURE_INCOMPAT_CLUSTERINFO))
		return;
	memcpy(s->stack, ci->ci_stack, OCFS2_STACK_LABEL_LEN);
	memcpy(s->cluster, ci->ci_cluster, OCFS2_CLUSTER_NAME_LEN);
	s->global_hb = ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_CLUSTERINFO) &&
		       (ci->ci_stackflags & OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT);
}

static int stamp_of_running(struct stack_stamp *s)
{
	struct o2cb_running r;
	const char *why = NULL;
	int ret = o2cb_running_cluster(&r, &why);

	memset(s, 0, sizeof(*s));
	if (ret) {
		fprintf(stderr, "%s: Unable to determine the running cluster: %s\n",
			PROG, why);
		return -ENODEV;	/* reported */
	}
	if (strlen(r.cluster) > OCFS2_CLUSTER_NAME_LEN) {
		fprintf(stderr, "%s: the running cluster's name '%s' is longer than the %d characters a superblock holds\n",
			PROG, r.cluster, OCFS2_CLUSTER_NAME_LEN);
		return -EINVAL;
	}
	if (!r.user && !r.global_hb)
		return 0;	/* classic o2cb: nothing stamped */
	strcpy(s->stack, r.stack);
	strcpy(s->cluster, r.cluster);
	s->global_hb = r.global_hb;
	return 0;
}

static const char *stamp_text(const struct stack_stamp *s, char *buf,
			      size_t len)
{
	if (!s->stack[0])
		snprintf(buf, len, "the classic o2cb stack (none stamped)");
	else
		snprintf(buf, len, "stack %s, cluster %s%s", s->stack,
			 s->cluster, s->global_hb ? ", global heartbeat" : "");
	return buf;
}

/* No node slot held on disk. */
static int slots_free(struct ocfs2_fs *fs)
{
	int slots = le16_to_cpu(fs->sb->s_max_slots), *nodes, i, ret;

	nodes = calloc(slots, sizeof(*nodes));
	ret = nodes ? ocfs2_read_slot_map(fs, nodes) : -ENOMEM;
	for (i = 0; !ret && i < slots; i++) {
		if (nodes[i] >= 0) {
			fprintf(stderr, "%s: slot %d is held by node %d: the volume is mounted on another node or was not unmounted cleanly (unmount it everywhere, or run fsck.ocfs2)\n",
				PROG, i, nodes[i]);
			ret = -EBUSY;
		}
	}
	free(nodes);
	return ret;
}

/* Unused on disk: every slot free and every journal clean. */
static int volume_unused(struct ocfs2_fs *fs)
{
	int ret = slots_free(fs), slot = -1;

	if (!ret)
		ret = tunefs_journals_clean(fs, &slot);
	if (ret == -EBUSY && slot >= 0)
		fprintf(stderr, "%s: the journal of slot %d is dirty: run fsck.ocfs2 to replay it first\n",
			PROG, slot);
	return ret;
}

/* Stock asks this even with --yes: only a "y" on stdin goes on. */
static bool admin_agrees(void)
{
	char line[64];

	fprintf(stderr, "Updating on-disk cluster information to match the running cluster.\n"
		"DANGER: YOU MUST BE ABSOLUTELY SURE THAT NO OTHER NODE IS USING THIS FILESYSTEM BEFORE MODIFYING ITS CLUSTER CONFIGURATION.\n"
		"Update the on-disk cluster information? ");
	return fgets(line, sizeof(line), stdin) && (line[0] == 'y' || line[0] == 'Y');
}

static int write_stamp(struct ocfs2_fs *fs, const struct stack_stamp *s,
		       bool verbose)
{
	struct ocfs2_cluster_info *ci = &fs->sb->s_cluster_info;
	u32 inc;
	int ret = 0;

	if (s->stack[0] && !ocfs2_has_incompat(fs,
				OCFS2_FEATURE_INCOMPAT_EXTENDED_SLOT_MAP))
		ret = tunefs_set_features(fs, "extended-slotmap", verbose);
	if (ret)
		return ret;
	inc = le32_to_cpu(fs->sb->s_feature_incompat);
	memset(ci, 0, sizeof(*ci));
	if (!s->stack[0]) {
		inc &= ~(OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK |
			 OCFS2_FEATURE_INCOMPAT_CLUSTERINFO);
	} else {
		memcpy(ci->ci_stack, s->stack, OCFS2_STACK_LABEL_LEN);
		memcpy(ci->ci_cluster, s->cluster, strlen(s->cluster));
		if (s->global_hb)
			ci->ci_stackflags = OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT;
		/* o2cb needs clusterinfo; a user stack keeps it if set */
		if (!strcmp(s->stack, OCFS2_CLASSIC_CLUSTER_STACK))
			inc |= OCFS2_FEATURE_INCOMPAT_CLUSTERINFO;
		if (inc & OCFS2_FEATURE_INCOMPAT_CLUSTERINFO)
			inc &= ~OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK;
		else
			inc |= OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK;
	}
	fs->sb->s_feature_incompat = cpu_to_le32(inc);
	return 0;
}

/*
 * Returns 0 with *changed set when the superblock is to be written, 0
 * with it clear when there is nothing to do or the admin said no.
 */
int tunefs_update_stack(struct ocfs2_fs *fs, const char *device,
			bool verbose, bool *changed)
{
	struct stack_stamp disk, run;
	char a[96], b[96];
	int ret;

	*changed = false;
	if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_LOCAL_MOUNT)) {
		fprintf(stderr, "%s: %s is a local (single-node) volume: it has no cluster stack (tunefs.ocfs2 -M cluster first)\n",
			PROG, device);
		return -EINVAL;
	}
	ret = stamp_of_running(&run);
	if (ret)
		return ret;
	stamp_of_disk(fs, &disk);
	if (!memcmp(&disk, &run, sizeof(disk))) {
		printf("Device \"%s\" is already configured for the running cluster; nothing to do\n",
		       device);
		return 0;
	}
	ret = volume_unused(fs);
	if (ret)
		return ret;
	if (!admin_agrees())
		return 0;
	ret = write_stamp(fs, &run, verbose);
	if (ret)
		return ret;
	printf("%s: %s -> %s\n", device, stamp_text(&disk, a, sizeof(a)),
	       stamp_text(&run, b, sizeof(b)));
	*changed = true;
	return 0;
}
