// SPDX-License-Identifier: GPL-2.0
/*
 * mounted.ocfs2: list OCFS2 volumes.  -d (default) shows stack, cluster,
 * UUID and label; -f shows which nodes have the volume mounted, from its
 * slot map.  Devices come from libblkid, or from the command line.
 */
#include <blkid/blkid.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ocfs2_print.h"

#define PROG "mounted.ocfs2"

struct vol {
	char *device;
	struct ocfs2_fs *fs;
};

static void stack_columns(struct ocfs2_fs *fs, char *stack, char *cluster,
			  char *flag)
{
	struct ocfs2_cluster_info *ci = &fs->sb->s_cluster_info;

	strcpy(stack, "o2cb");
	cluster[0] = '\0';
	strcpy(flag, " ");
	if (ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_LOCAL_MOUNT)) {
		strcpy(stack, "None");
		return;
	}
	if (!ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_CLUSTERINFO |
				OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK))
		return;
	snprintf(stack, 8, "%.4s", ci->ci_stack);
	snprintf(cluster, 20, "%.16s", ci->ci_cluster);
	if (ci->ci_stackflags & OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT)
		strcpy(flag, "G");
}

static void print_nodes(struct ocfs2_fs *fs)
{
	int nodes[OCFS2_MAX_SLOTS], i, n = 0, ret;

	ret = ocfs2_read_slot_map(fs, nodes);
	if (ret) {
		printf("Unknown: %s\n", strerror(-ret));
		return;
	}
	for (i = 0; i < le16_to_cpu(fs->sb->s_max_slots); i++) {
		if (nodes[i] < 0)
			continue;
		printf("%s%d", n++ ? ", " : "", nodes[i]);
	}
	printf("%s\n", n ? "" : "Not mounted");
}

static void print_vols(struct vol *v, int n, bool full)
{
	int i, width = 7;
	char stack[8], cluster[20], flag[4], uuid[40];

	for (i = 0; i < n; i++)
		if ((int)strlen(v[i].device) > width)
			width = strlen(v[i].device);
	width += 2;
	printf("%-*s%-7s%-9s%-3s%s\n", width, "Device", "Stack", "Cluster", "F",
	       full ? "Nodes" : "UUID                              Label");
	for (i = 0; i < n; i++) {
		stack_columns(v[i].fs, stack, cluster, flag);
		printf("%-*s%-7s%-9s%-3s", width, v[i].device, stack, cluster,
		       flag);
		if (full) {
			print_nodes(v[i].fs);
			continue;
		}
		ocfs2_print_uuid(uuid, v[i].fs->sb->s_uuid);
		printf("%-34s%.64s\n", uuid, v[i].fs->sb->s_label);
	}
}

static int add_vol(struct vol **v, int *n, const char *device, bool quiet)
{
	struct ocfs2_fs *fs;
	struct vol *nv;
	int ret;

	ret = ocfs2_fs_open(device, OCFS2_OPEN_NOCHECK, 0, 0, &fs);
	if (ret) {
		if (!quiet)
			fprintf(stderr, "%s: %s: %s\n", PROG, device,
				ret == -ENOENT ? "no OCFS2 superblock found" :
				strerror(-ret));
		return ret;
	}
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		ocfs2_fs_close(fs);
		return -ENOMEM;
	}
	*v = nv;
	nv[*n].device = strdup(device);
	nv[*n].fs = fs;
	(*n)++;
	return 0;
}

/* Every block device libblkid knows with an ocfs2 signature. */
static void scan_devices(struct vol **v, int *n)
{
	blkid_cache cache;
	blkid_dev_iterate it;
	blkid_dev dev;

	if (blkid_get_cache(&cache, NULL) < 0)
		return;
	blkid_probe_all(cache);
	it = blkid_dev_iterate_begin(cache);
	blkid_dev_set_search(it, "TYPE", "ocfs2");
	while (!blkid_dev_next(it, &dev)) {
		dev = blkid_verify(cache, dev);
		if (dev)
			add_vol(v, n, blkid_dev_devname(dev), true);
	}
	blkid_dev_iterate_end(it);
	blkid_put_cache(cache);
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [-d] [-f] [-V] [device ...]\n"
		"\t-d  quick detect: stack, cluster, UUID, label (default)\n"
		"\t-f  full detect: the nodes that have each volume mounted\n",
		PROG);
	exit(status);
}

int main(int argc, char **argv)
{
	struct vol *v = NULL;
	bool full = false;
	int c, n = 0, i, failed = 0;

	while ((c = getopt(argc, argv, "dfVh")) != -1) {
		switch (c) {
		case 'd': full = false; break;
		case 'f': full = true; break;
		case 'V': printf("%s 1.8.7\n", PROG); return 0;
		case 'h': usage(0); break;
		default: usage(1);
		}
	}
	if (optind < argc) {
		for (i = optind; i < argc; i++)
			failed |= add_vol(&v, &n, argv[i], false) != 0;
	} else {
		scan_devices(&v, &n);
	}
	print_vols(v, n, full);
	for (i = 0; i < n; i++) {
		ocfs2_fs_close(v[i].fs);
		free(v[i].device);
	}
	free(v);
	return failed;
}
