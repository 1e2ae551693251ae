// SPDX-License-Identifier: GPL-2.0
/*
 * mount.ocfs2: the helper util-linux mount runs for "-t ocfs2".  A
 * local-mount volume goes straight to mount(2) with heartbeat=none.  A
 * clustered o2cb volume needs its cluster online and named like the
 * volume's, and its heartbeat: the local region is started here (and
 * stopped again if mount(2) fails; the kernel stops it at unmount through
 * ocfs2_hb_ctl), global regions must already be beating.  A user-stack
 * volume needs the running stack to match and gets cluster_stack=.
 * Messages, options and exit codes follow the ocfs2-tools program.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mount_ocfs2.h"
#include "o2cb_configfs.h"
#include "o2cb_hb.h"
#include "o2cb_running.h"

static const char *progname = "mount.ocfs2";

/* What joining the cluster did, so that a failed mount can undo it. */
struct join {
	char cluster[64];
	const char *hb;		/* heartbeat= value for the kernel */
	bool started;		/* we took a local heartbeat reference */
};

static int parse_args(int argc, char **argv, struct mount_opts *mo)
{
	int c;

	while ((c = getopt(argc, argv, "vno:t:")) != -1) {
		switch (c) {
		case 'v': mo->verbose = true; break;
		case 'n': mo->no_mtab = true; break;
		case 'o':
			if (mount_parse_options(optarg, mo))
				return -ENOMEM;
			break;
		case 't': break;	/* always ocfs2 */
		default: optind = argc; break;	/* stock goes on to "no device" */
		}
	}
	if (mount_parse_options(NULL, mo))
		return -ENOMEM;
	if (optind >= argc) {
		fprintf(stderr, "%s: Illegal or malformed device name  \n", progname);
		return -EINVAL;
	}
	mo->device = argv[optind++];
	if (optind >= argc) {
		fprintf(stderr, "%s: Invalid argument passed to OCFS2 library "
			"no mountpoint specified\n", progname);
		return -EINVAL;
	}
	mo->dir = argv[optind];
	mo->real_device = realpath(mo->device, NULL);
	return 0;
}

static int read_volume(const struct mount_opts *mo, struct o2cb_volume *vol)
{
	const char *dev = mo->real_device ? mo->real_device : mo->device;
	int ret = o2cb_volume_read(dev, vol);

	if (!ret || ret == -O2CB_EBADHB)
		return 0;	/* a bad heartbeat file matters only for local hb */
	fprintf(stderr, "%s: %s while opening device %s\n", progname,
		o2cb_volume_strerror(dev, ret), mo->device);
	return ret;
}

static int check_dir(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st)) {
		fprintf(stderr, "%s: mount directory %s does not exist\n", progname, dir);
		return -ENOENT;
	}
	if (stat(dir, &st)) {
		fprintf(stderr, "%s: mount directory %s is a broken symbolic link\n",
			progname, dir);
		return -ENOENT;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: mount directory %s is not a directory\n", progname, dir);
		return -ENOTDIR;
	}
	return 0;
}

/*
 * The running user stack (pcmk, ...) and its cluster must be the
 * volume's: fs/dlm would refuse another cluster's lockspace anyway, with
 * only a kernel log line to say why.
 */
static int join_user_stack(const struct o2cb_volume *vol, struct mount_opts *mo)
{
	struct o2cb_running r;
	const char *why = NULL;
	char opt[32];
	int ret = o2cb_running_cluster(&r, &why);

	if (r.stack[0] && strcmp(r.stack, vol->stack)) {
		fprintf(stderr, "%s: Cluster stack is invalid while trying to join the "
			"group\n%s: %s is a '%s' stack volume but the running stack is "
			"'%s'\n", progname, progname, mo->device, vol->stack, r.stack);
		return -EINVAL;
	}
	if (ret) {
		fprintf(stderr, "%s: Unable to access cluster service while trying "
			"initialize cluster\n%s: %s\n", progname, progname, why);
		return -ENODEV;
	}
	if (vol->cluster[0] && strcmp(r.cluster, vol->cluster)) {
		fprintf(stderr, "%s: Cluster name is invalid while trying to join the "
			"group\n%s: %s is a volume of cluster '%s' but fs/dlm here runs "
			"cluster '%s' (corosync's totem.cluster_name)\n", progname,
			progname, mo->device, vol->cluster, r.cluster);
		return -EINVAL;
	}
	snprintf(opt, sizeof(opt), "cluster_stack=%s", vol->stack);
	return mount_add_option(&mo->fs_opts, opt);
}

static int o2cb_online(struct join *j)
{
	enum o2cb_stack_state st = o2cb_stack_state();

	if (st == O2CB_READY && !o2cb_active_cluster(j->cluster, sizeof(j->cluster)))
		return 0;
	fprintf(stderr, "%s: Unable to access cluster service while trying "
		"initialize cluster\n", progname);
	fprintf(stderr, "%s: Cluster not online: %s\n", progname,
		st == O2CB_READY ? "no cluster is registered "
		"(o2cb register-cluster <name>, or 'o2cb.init online')" :
		o2cb_stack_state_hint(st));
	return -ENODEV;
}

static int check_mode(const struct o2cb_volume *vol, const struct join *j)
{
	bool global;
	int ret = o2cb_hb_global(j->cluster, &global);

	if (ret || global == vol->global_hb)
		return ret;
	fprintf(stderr, "%s: Heartbeat mode is invalid while trying to join the group\n"
		"%s: the volume uses %s heartbeat but cluster '%s' runs in %s mode "
		"(o2cb heartbeat-mode %s %s, then restart the cluster)\n", progname,
		progname, vol->global_hb ? "global" : "local", j->cluster,
		global ? "global" : "local", j->cluster, vol->global_hb ? "global" : "local");
	return -EINVAL;
}

/* Global mode: o2cb start-heartbeat must have brought regions up. */
static int check_global_regions(const struct join *j)
{
	char path[PATH_MAX];
	struct dirent *de;
	int regions = 0;
	DIR *d;

	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/heartbeat", j->cluster);
	d = opendir(path);
	while (d && (de = readdir(d)))
		regions += de->d_type == DT_DIR && de->d_name[0] != '.';
	if (d)
		closedir(d);
	if (regions)
		return 0;
	fprintf(stderr, "%s: Heartbeat region could not be found while trying to join "
		"the group\n%s: no global heartbeat region is active in cluster '%s' "
		"(o2cb start-heartbeat %s)\n", progname, progname, j->cluster, j->cluster);
	return -ENOENT;
}

static int check_o2cb(const struct o2cb_volume *vol, struct join *j)
{
	int ret = o2cb_online(j);

	if (ret)
		return ret;
	if (vol->cluster[0] && strcmp(vol->cluster, j->cluster)) {
		fprintf(stderr, "%s: Cluster name is invalid while trying to join the group\n"
			"%s: the volume belongs to cluster '%s' but cluster '%s' is online\n",
			progname, progname, vol->cluster, j->cluster);
		return -EINVAL;
	}
	ret = check_mode(vol, j);
	if (ret)
		return ret;
	if (vol->global_hb) {
		j->hb = "global";
		return check_global_regions(j);
	}
	if (!vol->region.blocks) {
		fprintf(stderr, "%s: Invalid heartbeat file while trying to determine "
			"heartbeat information\n", progname);
		return -EINVAL;
	}
	j->hb = "local";
	return 0;
}

/* The mount's reference on the local region (the last step before mount). */
static int start_local_hb(const struct o2cb_volume *vol, struct join *j)
{
	int ret;

	if (strcmp(j->hb, "local"))
		return 0;
	ret = o2cb_hb_start(j->cluster, &vol->region);
	if (ret) {
		fprintf(stderr, "%s: %s while trying to join the group\n", progname,
			o2cb_hb_strerror(ret));
		return ret;
	}
	j->started = true;
	return 0;
}

/* Confirm a mount without the cluster stack, as stock asks. */
static bool confirm_nocluster(void)
{
	char answer[16] = "";

	printf("Warning: to mount a clustered volume without the cluster stack.\n"
	       "Please make sure you only mount the file system from one node.\n"
	       "Otherwise, the file system may be damaged.\nProceed (y/N): ");
	fflush(stdout);
	if (!fgets(answer, sizeof(answer), stdin))
		return false;
	return answer[0] == 'y' || answer[0] == 'Y';
}

static int check_cluster(const struct o2cb_volume *vol, struct mount_opts *mo,
			struct join *j)
{
	j->hb = "none";
	if (vol->local_mount || (mo->flags & MS_REMOUNT))
		return 0;
	if (mo->nocluster)
		return confirm_nocluster() ? 0 : -ECANCELED;
	if (vol->user_stack)
		return join_user_stack(vol, mo);
	return check_o2cb(vol, j);
}

/*
 * On remount the kernel refuses a changed heartbeat option, so it gets
 * the one the volume was mounted with.
 */
static const char *remount_hb(const struct o2cb_volume *vol)
{
	if (vol->local_mount || vol->user_stack)
		return "none";
	return vol->global_hb ? "global" : "local";
}

static int do_mount(struct mount_opts *mo, const struct o2cb_volume *vol,
		    const struct join *j)
{
	char opt[32];
	int ret;

	snprintf(opt, sizeof(opt), "heartbeat=%s",
		 (mo->flags & MS_REMOUNT) ? remount_hb(vol) : j->hb);
	ret = mount_add_option(&mo->fs_opts, opt);
	if (ret)
		return ret;
	if (mo->verbose)
		printf("%s: mount(%s, %s, ocfs2, 0x%lx, \"%s\")\n", progname,
		       mo->real_device, mo->dir, mo->flags, mo->fs_opts);
	if (!mount(mo->real_device, mo->dir, "ocfs2", mo->flags, mo->fs_opts))
		return 0;
	ret = errno;
	if (ret == EUCLEAN)
		fprintf(stderr, "%s: %s while mounting %s on %s, please try fixing "
			"this by fsck.ocfs2 and then retry mounting\n", progname,
			strerror(ret), mo->device, mo->dir);
	else	/* stock's words; the number is the errno */
		fprintf(stderr, "%s: Internal logic failure while mounting %s on %s. "
			"Check 'dmesg' for more information on this error %d.\n",
			progname, mo->device, mo->dir, ret);
	return -ret;
}

static void block_signals(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(how, &set, NULL);
}

int main(int argc, char **argv)
{
	struct mount_opts mo = { 0 };
	struct o2cb_volume vol;
	struct join j = { .hb = "none" };
	int ret;

	ret = parse_args(argc, argv, &mo);
	if (ret)
		goto out;
	ret = read_volume(&mo, &vol);
	if (ret)
		goto out;
	/* Nothing is started while the user could still interrupt us. */
	block_signals(SIG_BLOCK);
	ret = check_cluster(&vol, &mo, &j);
	if (!ret)
		ret = check_dir(mo.dir);
	if (!ret)
		ret = start_local_hb(&vol, &j);
	if (!ret)
		ret = do_mount(&mo, &vol, &j);
	if (ret && j.started && o2cb_hb_stop(j.cluster, vol.region.name))
		fprintf(stderr, "%s: could not stop heartbeat on %s "
			"(ocfs2_hb_ctl -K -u %s)\n", progname, mo.device, vol.region.name);
	block_signals(SIG_UNBLOCK);
out:
	free(mo.real_device);
	free(mo.fs_opts);
	return ret ? 1 : 0;
}
