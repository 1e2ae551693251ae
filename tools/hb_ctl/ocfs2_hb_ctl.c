// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2_hb_ctl: start, stop and inspect the o2cb local heartbeat of one
 * volume, with the options, messages and exit codes of the ocfs2-tools
 * program.  mount.ocfs2 starts heartbeat through the same library calls;
 * the kernel runs "ocfs2_hb_ctl -K -u UUID" at unmount, so stop must work
 * on a reference a stock mount.ocfs2 took, and the other way round.
 * In global heartbeat mode the regions belong to the cluster, and this
 * tool succeeds without doing anything, as the stock one does.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "o2cb_configfs.h"
#include "o2cb_hb.h"

static const char *progname = "ocfs2_hb_ctl";

enum action { ACT_NONE, ACT_USAGE, ACT_START, ACT_STOP, ACT_REFS, ACT_IONICE };

struct hb_opts {
	enum action action;
	const char *dev;
	const char *uuid;
	const char *service;
	int io_prio;
};

static void usage(FILE *f)
{
	static const char *const lines[] = {
		"-S -d <device> <service>", "-S -u <uuid> <service>",
		"-K -d <device> <service>", "-K -u <uuid> <service>",
		"-I -d <device>", "-I -u <uuid>",
		"-P -d <device> [-n <io_priority>]", "-P -u <uuid> [-n <io_priority>]",
		"-h",
	};
	unsigned int i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		fprintf(f, "%s %s %s\n", i ? "      " : "Usage:", progname, lines[i]);
}

/* com_err's layout: "prog: <error text> <what we were doing>". */
static int fail(int err, const char *doing)
{
	fprintf(stderr, "%s: %s %s\n", progname, o2cb_hb_strerror(err), doing);
	return 1;
}

static int parse(int argc, char **argv, struct hb_opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "ISKPd:u:n:h")) != -1) {
		switch (c) {
		case 'h': o->action = ACT_USAGE; break;
		case 'S': o->action = ACT_START; break;
		case 'K': o->action = ACT_STOP; break;
		case 'I': o->action = ACT_REFS; break;
		case 'P': o->action = ACT_IONICE; break;
		case 'd': o->dev = optarg; break;
		case 'u': o->uuid = optarg; break;
		case 'n': o->io_prio = atoi(optarg); break;
		default: return -EINVAL;
		}
	}
	if (optind < argc)
		o->service = argv[optind];
	if (o->action == ACT_USAGE)
		return 0;
	/* Every action names the volume exactly once; start also a service. */
	if (o->action == ACT_NONE || !o->dev == !o->uuid)
		return -EINVAL;
	if (o->action == ACT_START && !o->service)
		return -EINVAL;
	return 0;
}

/* Heartbeat is o2cb's; on the user stack corosync does it. */
static bool user_stack_active(void)
{
	char stack[16];

	return !o2cb_read_attr("/sys/fs/ocfs2/cluster_stack", stack, sizeof(stack)) &&
	       strcmp(stack, "o2cb");
}

/* The o2cb stack with a registered cluster, else the stock complaint. */
static int cluster_init(char *cluster, size_t len)
{
	if (o2cb_stack_state() != O2CB_READY || o2cb_active_cluster(cluster, len)) {
		fprintf(stderr, "%s: %s Cannot initialize cluster\n\n", progname,
			o2cb_hb_strerror(-ENODEV));
		return -ENODEV;
	}
	return 0;
}

/* Fill in whichever of device and UUID was not given, and the region. */
static int identify(struct hb_opts *o, struct o2cb_volume *vol, char *dev, size_t len)
{
	int ret;

	if (!o->dev) {
		ret = o2cb_volume_find(o->uuid, dev, len);
		if (ret) {
			/* stop and info work from the UUID alone */
			memset(vol, 0, sizeof(*vol));
			snprintf(vol->region.name, sizeof(vol->region.name), "%s", o->uuid);
			return o->action == ACT_START ? ret : 0;
		}
		o->dev = dev;
	}
	ret = o2cb_volume_read(o->dev, vol);
	if (ret && ret != -O2CB_EBADHB)
		return ret;
	if (o->uuid)
		snprintf(vol->region.name, sizeof(vol->region.name), "%s", o->uuid);
	return o->action == ACT_START ? ret : 0;
}

/* A global-heartbeat volume or cluster: the regions are not ours to touch. */
static int global_mode(const char *cluster, const struct o2cb_volume *vol, bool *global)
{
	int ret = o2cb_hb_global(cluster, global);

	if (!ret && vol->global_hb)
		*global = true;
	return ret;
}

static int do_start(const char *cluster, struct o2cb_volume *vol)
{
	bool global;
	int ret;

	if (vol->cluster[0] && strcmp(vol->cluster, cluster)) {
		fprintf(stderr, "%s: Cluster name is invalid while starting heartbeat "
			"(the volume belongs to cluster '%s', cluster '%s' is online)\n",
			progname, vol->cluster, cluster);
		return 1;
	}
	ret = global_mode(cluster, vol, &global);
	if (!ret && !global)
		ret = o2cb_hb_start(cluster, &vol->region);
	return ret ? fail(ret, "while starting heartbeat") : 0;
}

static int do_stop(const char *cluster, struct o2cb_volume *vol)
{
	bool global;
	int ret = global_mode(cluster, vol, &global);

	if (!ret && !global)
		ret = o2cb_hb_stop(cluster, vol->region.name);
	return ret ? fail(ret, "while stopping heartbeat") : 0;
}

static int do_refs(const struct o2cb_volume *vol)
{
	int refs, ret = o2cb_hb_refs(vol->region.name, &refs);

	if (ret)
		return fail(ret, "while reading reference counts");
	printf("%s: %d refs\n", vol->region.name, refs);
	return 0;
}

/* Real-time I/O class for the heartbeat thread, through ionice(1). */
static int do_ionice(const char *cluster, const struct o2cb_volume *vol, int prio)
{
	char nopt[16], popt[16];
	int pid, ret, status;
	pid_t child;

	ret = o2cb_hb_pid(cluster, vol->region.name, &pid);
	if (ret)
		return fail(ret, "while reading the heartbeat thread's pid");
	if (access("/usr/bin/ionice", X_OK)) {
		fprintf(stderr, "%s: Unable to find ionice(1)\n", progname);
		return 1;
	}
	snprintf(nopt, sizeof(nopt), "-n%d", prio);
	snprintf(popt, sizeof(popt), "-p%d", pid);
	child = fork();
	if (child == 0) {
		execl("/usr/bin/ionice", "ionice", "-c1", nopt, popt, (char *)NULL);
		_exit(127);
	}
	if (child < 0 || waitpid(child, &status, 0) < 0)
		return fail(-errno, "while running ionice");
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct hb_opts o = { ACT_NONE };
	struct o2cb_volume vol;
	char cluster[64], dev[PATH_MAX];
	int ret;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (parse(argc, argv, &o)) {
		usage(stderr);
		return 1;
	}
	if (o.action == ACT_USAGE) {
		usage(stdout);
		return 0;
	}
	if ((o.action == ACT_START || o.action == ACT_STOP) && user_stack_active())
		return 0;
	if (cluster_init(cluster, sizeof(cluster)))
		return 1;
	ret = identify(&o, &vol, dev, sizeof(dev));
	if (ret) {
		fprintf(stderr, "%s: %s while reading uuid\n", progname, o.dev ?
			o2cb_volume_strerror(o.dev, ret) : o2cb_hb_strerror(ret));
		return 1;
	}
	switch (o.action) {
	case ACT_START: return do_start(cluster, &vol);
	case ACT_STOP: return do_stop(cluster, &vol);
	case ACT_REFS: return do_refs(&vol);
	default: return do_ionice(cluster, &vol, o.io_prio);
	}
}
