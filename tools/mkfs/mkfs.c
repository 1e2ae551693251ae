// SPDX-License-Identifier: GPL-2.0
/*
 * mkfs.ocfs2: make an OCFS2 volume.  Options and defaults follow stock
 * ocfs2-tools 1.8; the planning is in layout.c, the writing in format.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "mkfs.h"

#define PROG "mkfs.ocfs2"
#define VERSION "1.8.7"


static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [-b block-size] [-C cluster-size] [-J journal-options]\n"
		"\t[-L volume-label] [-M mount-type] [-N number-of-node-slots]\n"
		"\t[-T filesystem-type] [-FqvV] [--fs-features=[no]sparse,...]\n"
		"\t[--fs-feature-level=max-compat|default|max-features]\n"
		"\t[--cluster-stack=stackname] [--cluster-name=clustername]\n"
		"\t[--global-heartbeat] [--discard|--nodiscard]\n"
		"\t[--no-backup-super] [-n] device [blocks-count]\n", PROG);
	exit(status);
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", PROG);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static void parse_journal(struct mkfs_opts *o, char *arg)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(arg, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strncmp(tok, "size=", 5)) {
			o->journal_bytes = ocfs2_parse_size(tok + 5);
			if (!o->journal_bytes)
				die("Invalid journal size: %s", tok + 5);
		} else if (!strcmp(tok, "block32")) {
			o->journal64 = 0;
		} else if (!strcmp(tok, "block64")) {
			o->journal64 = 1;
		} else {
			die("Invalid journal option: %s", tok);
		}
	}
}

static bool pow2_in(u64 v, u64 lo, u64 hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

enum { OPT_FEATURES = 256, OPT_LEVEL, OPT_STACK, OPT_CNAME, OPT_GHB,
       OPT_DISCARD, OPT_NODISCARD, OPT_NOBACKUP };

static const struct option long_opts[] = {
	{ "fs-features", required_argument, NULL, OPT_FEATURES },
	{ "fs-feature-level", required_argument, NULL, OPT_LEVEL },
	{ "cluster-stack", required_argument, NULL, OPT_STACK },
	{ "cluster-name", required_argument, NULL, OPT_CNAME },
	{ "global-heartbeat", no_argument, NULL, OPT_GHB },
	{ "discard", no_argument, NULL, OPT_DISCARD },
	{ "nodiscard", no_argument, NULL, OPT_NODISCARD },
	{ "no-backup-super", no_argument, NULL, OPT_NOBACKUP },
	{ "label", required_argument, NULL, 'L' },
	{ "node-slots", required_argument, NULL, 'N' },
	{ "block-size", required_argument, NULL, 'b' },
	{ "cluster-size", required_argument, NULL, 'C' },
	{ "journal-options", required_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void parse_type(struct mkfs_opts *o, const char *arg)
{
	if (!strcmp(arg, "mail"))
		o->type = TYPE_MAIL;
	else if (!strcmp(arg, "datafiles"))
		o->type = TYPE_DATAFILES;
	else if (!strcmp(arg, "vmstore"))
		o->type = TYPE_VMSTORE;
	else
		die("Bad fs type: %s (use mail, datafiles or vmstore)", arg);
}

static void parse_one_opt(struct mkfs_opts *o, int c, char *arg)
{
	u64 v;

	switch (c) {
	case 'b':
		v = ocfs2_parse_size(arg);
		if (!pow2_in(v, OCFS2_MIN_BLOCKSIZE, OCFS2_MAX_BLOCKSIZE))
			die("Invalid block size %s: use 512, 1K, 2K or 4K", arg);
		o->blocksize = (unsigned int)v;
		break;
	case 'C':
		v = ocfs2_parse_size(arg);
		if (!pow2_in(v, OCFS2_MIN_CLUSTERSIZE, OCFS2_MAX_CLUSTERSIZE))
			die("Invalid cluster size %s: a power of two from 4K to 1M", arg);
		o->clustersize = (unsigned int)v;
		break;
	case 'N':
		v = strtoul(arg, NULL, 10);
		if (!v || v > OCFS2_MAX_SLOTS)
			die("Invalid number of node slots %s: 1 to 255", arg);
		o->slots = (unsigned int)v;
		break;
	case 'L':
		if (strlen(arg) >= OCFS2_MAX_VOL_LABEL_LEN)
			die("Volume label too long: %s (63 characters at most)", arg);
		o->label = arg;
		break;
	case 'J': parse_journal(o, arg); break;
	case 'M':
		if (strcmp(arg, "local") && strcmp(arg, "cluster"))
			die("Invalid mount type %s: use local or cluster", arg);
		o->local = !strcmp(arg, "local");
		break;
	case 'T': parse_type(o, arg); break;
	case OPT_FEATURES: o->features = arg; break;
	case OPT_LEVEL:
		if (strcmp(arg, "default") && strcmp(arg, "max-compat") &&
		    strcmp(arg, "max-features"))
			die("Bad feature level %s: use default, max-compat or max-features", arg);
		o->feature_level = arg;
		break;
	case OPT_STACK:
		if (strlen(arg) != OCFS2_STACK_LABEL_LEN)
			die("Invalid cluster stack %s: four characters, e.g. o2cb or pcmk", arg);
		o->stack = arg;
		break;
	case OPT_CNAME:
		if (!*arg || strlen(arg) > OCFS2_CLUSTER_NAME_LEN)
			die("Invalid cluster name %s: 1 to 16 characters", arg);
		o->cluster_name = arg;
		break;
	case OPT_GHB: o->global_hb = true; break;
	case OPT_DISCARD: o->discard = true; break;
	case OPT_NODISCARD: o->discard = false; break;
	case OPT_NOBACKUP: o->no_backup_super = true; break;
	case 'F': o->force = true; break;
	case 'n': o->dry_run = true; break;
	case 'q': o->quiet = true; break;
	case 'v': o->verbose = true; break;
	case 'V': printf("%s %s\n", PROG, VERSION); exit(0);
	case 'h': usage(0); break;
	default: usage(1);
	}
}

static void parse_args(struct mkfs_opts *o, int argc, char **argv)
{
	int c;

	o->journal64 = -1;
	o->discard = true;
	while ((c = getopt_long(argc, argv, "b:C:L:N:J:M:T:FnqvVh", long_opts,
				NULL)) != -1)
		parse_one_opt(o, c, optarg);
	if (optind >= argc)
		usage(1);
	o->device = argv[optind];
	if (optind + 1 < argc)
		die("%s", "a blocks-count argument is not supported: the volume takes the whole device");
	if (o->local && o->global_hb)
		die("%s", "--global-heartbeat cannot be used with -M local");
	if ((o->stack && !o->cluster_name) || (!o->stack && o->cluster_name))
		die("%s", "--cluster-stack and --cluster-name go together");
	if (o->global_hb && (!o->stack || strcmp(o->stack, "o2cb")))
		die("%s", "--global-heartbeat needs --cluster-stack=o2cb and --cluster-name");
	if (o->local && o->stack)
		die("%s", "a local volume (-M local) takes no cluster stack");
}

static void print_summary(struct mkfs_state *st)
{
	char feat[512];

	ocfs2_feature_string_all(feat, sizeof(feat), &st->feat);
	if (st->o->stack)
		printf("Cluster stack: %s\nCluster name: %s\nStack Flags: 0x%x\n",
		       st->o->stack, st->o->cluster_name, st->o->global_hb);
	else
		printf("Cluster stack: classic o2cb\n");
	printf("Label: %s\n", st->o->label ? st->o->label : "");
	printf("Features: %s\n", feat);
	printf("Block size: %u (%u bits)\n", st->fs->bs, st->fs->bbits);
	printf("Cluster size: %u (%u bits)\n", st->fs->cs, st->fs->cbits);
	printf("Volume size: %llu (%u clusters) (%llu blocks)\n",
	       (unsigned long long)st->clusters * st->fs->cs, st->clusters,
	       (unsigned long long)st->fs->blocks);
	printf("Cluster groups: %u (tail covers %u clusters, rest cover %u clusters)\n",
	       st->groups, st->clusters - (st->groups - 1) * st->cpg, st->cpg);
	printf("Extent allocator size: 0 (0 groups)\n");
	printf("Journal size: %llu\n",
	       (unsigned long long)st->journal_clusters * st->fs->cs);
	printf("Node slots: %u\n", st->o->slots);
}

static int confirm(const char *what)
{
	char ans[16];

	if (!isatty(0)) {
		fprintf(stderr, "%s: %s; use -F to overwrite it\n", PROG, what);
		return 0;
	}
	printf("%s. Proceed (y/N): ", what);
	fflush(stdout);
	if (!fgets(ans, sizeof(ans), stdin))
		return 0;
	return ans[0] == 'y' || ans[0] == 'Y';
}

static void check_device(struct mkfs_opts *o)
{
	char *type;

	if (o->force || o->dry_run)
		return;
	if (ocfs2_device_mounted(o->device))
		die("%s is mounted; unmount it first (or use -F if you are sure)",
		    o->device);
	type = ocfs2_existing_fs(o->device);
	if (!type)
		return;
	if (!strcmp(type, "ocfs2") && ocfs2_heartbeat_live(o->device))
		die("%s has live heartbeat: a node is using it; stop the cluster on it first (or use -F)",
		    o->device);
	if (!confirm(!strcmp(type, "ocfs2") ?
		     "Overwriting existing ocfs2 partition" :
		     "The device holds an existing filesystem"))
		exit(1);
	free(type);
}

static struct mkfs_state *setup(struct mkfs_opts *o)
{
	static struct mkfs_state st;
	int ret;

	st.o = o;
	st.now = (u32)time(NULL);
	st.fs = calloc(1, sizeof(*st.fs));
	if (!st.fs)
		die("%s", "out of memory");
	st.fs->writable = !o->dry_run;
	ret = io_open(o->device, !o->dry_run, &st.fs->io);
	if (ret)
		die("while opening %s", o->device), (void)ret;
	st.fs->sb_di = io_alloc(OCFS2_MAX_BLOCKSIZE);
	st.fs->sb = &st.fs->sb_di->id2.i_super;
	st.volume_bytes = st.fs->io->size;
	ret = mkfs_plan_geometry(&st);
	if (ret == -EINVAL)
		die("Invalid feature in \"%s\"", o->features ? o->features : "");
	if (ret == -EFBIG)
		die("%s is too large for this block/cluster size (try -C bigger or -J block64)",
		    o->device);
	if (ret)
		die("%s", "cannot plan the volume");
	io_set_blocksize(st.fs->io, st.fs->bs);
	return &st;
}

static void check_plan(struct mkfs_state *st)
{
	const struct mkfs_opts *o = st->o;

	if ((o->type == TYPE_DATAFILES || o->type == TYPE_VMSTORE) &&
	    st->volume_bytes < (2ULL << 30))
		die("%s", "Selected file system type requires a device of at least 2 gigabytes");
	if (st->clusters < (u64)st->journal_clusters * o->slots + 64)
		die("%s is too small for the journals and system files; use fewer slots or -J size=",
		    o->device);
}

int main(int argc, char **argv)
{
	struct mkfs_opts o = { 0 };
	struct mkfs_state *st;
	int ret;

	parse_args(&o, argc, argv);
	if (!o.quiet)
		printf("%s %s\n", PROG, VERSION);
	if (mkfs_pick_stack(&o))
		return 1;
	check_device(&o);
	st = setup(&o);
	check_plan(st);
	if (!o.quiet)
		print_summary(st);
	if (o.dry_run)
		return 0;
	ret = mkfs_cluster_map_init(st);
	if (!ret)
		ret = mkfs_write_volume(st);
	if (ret == -ENOSPC)
		die("%s is too small for this layout", o.device);
	if (ret == -E2BIG)
		die("%s", "a system file needs more extents than fit in its inode; use a bigger cluster size");
	if (ret) {
		fprintf(stderr, "%s: while formatting %s: %s\n", PROG,
			o.device, strerror(-ret));
		return 1;
	}
	io_close(st->fs->io);
	if (!o.quiet)
		printf("%s successful\n\n", PROG);
	return 0;
}
