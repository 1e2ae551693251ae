// SPDX-License-Identifier: GPL-2.0
/*
 * tunefs.ocfs2: change the parameters of an OCFS2 volume that no node has
 * mounted: label, UUID, mount type, cluster stack, node slots, features;
 * and -Q to query them.  Options as stock tunefs.ocfs2 1.8.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>
#include "tunefs.h"

#define PROG "tunefs.ocfs2"

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: %s [options] <device>\n"
		"       %s -h|--help\n"
		"       %s -V|--version\n"
		"[options] can be any mix of:\n"
		"\t-L|--label <label>\n"
		"\t-N|--node-slots <number-of-node-slots>\n"
		"\t-U|--uuid-reset[=new-uuid]\n"
		"\t-M|--mount local|cluster\n"
		"\t-J|--journal-options size=<journal-size>\n"
		"\t-Q|--query <query-format>\n"
		"\t   --fs-features [no]sparse,...\n"
		"\t   --cluster-stack <stack> --cluster-name <name>\n"
		"\t   --global-heartbeat | --no-global-heartbeat\n"
		"\t   --update-cluster-stack (with --cluster-stack/--cluster-name)\n"
		"\t   --cloned-volume[=new-label]\n"
		"\t   --backup-super\n"
		"\t-v|--verbose  -q|--quiet  -y|--yes  -n|--no\n",
		PROG, PROG, PROG);
	exit(status);
}

enum { O_FEATURES = 256, O_STACK, O_CNAME, O_GHB, O_NOGHB, O_UPDATE,
       O_CLONED, O_BACKUP, O_LIST_SPARSE };

static void parse(struct tunefs_req *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, 'L' },
		{ "node-slots", required_argument, NULL, 'N' },
		{ "uuid-reset", optional_argument, NULL, 'U' },
		{ "mount", required_argument, NULL, 'M' },
		{ "journal-options", required_argument, NULL, 'J' },
		{ "query", required_argument, NULL, 'Q' },
		{ "fs-features", required_argument, NULL, O_FEATURES },
		{ "cluster-stack", required_argument, NULL, O_STACK },
		{ "cluster-name", required_argument, NULL, O_CNAME },
		{ "global-heartbeat", no_argument, NULL, O_GHB },
		{ "no-global-heartbeat", no_argument, NULL, O_NOGHB },
		{ "update-cluster-stack", no_argument, NULL, O_UPDATE },
		{ "cloned-volume", optional_argument, NULL, O_CLONED },
		{ "backup-super", no_argument, NULL, O_BACKUP },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "yes", no_argument, NULL, 'y' },
		{ "no", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	r->mount = -1;
	while ((c = getopt_long(argc, argv, "L:N:U::M:Q:J:S::vqynhVip", opts,
				NULL)) != -1) {
		switch (c) {
		case 'L': r->label = optarg; break;
		case 'N':
			r->slots = atoi(optarg);
			if (r->slots < 1 || r->slots > OCFS2_MAX_SLOTS) {
				fprintf(stderr, "%s: node slots must be 1 to 255\n", PROG);
				exit(1);
			}
			break;
		case 'U': r->set_uuid = true; r->uuid = optarg; break;
		case 'M':
			if (strcmp(optarg, "local") && strcmp(optarg, "cluster"))
				usage(1);
			r->mount = !strcmp(optarg, "local");
			break;
		case 'Q': r->query = optarg; break;
		case 'J':
			if (strncmp(optarg, "size=", 5) ||
			    !(r->journal_bytes = ocfs2_parse_size(optarg + 5))) {
				fprintf(stderr, "%s: invalid journal option \"%s\" (only size=N is supported)\n",
					PROG, optarg);
				exit(1);
			}
			break;
		case 'S':
			fprintf(stderr, "%s: resizing the volume is not supported by this tunefs\n",
				PROG);
			exit(1);
		case O_FEATURES: r->features = optarg; break;
		case O_STACK: r->stack = optarg; break;
		case O_CNAME: r->cluster_name = optarg; break;
		case O_GHB: r->global_hb = true; break;
		case O_NOGHB: r->no_global_hb = true; break;
		case O_UPDATE: r->update_stack = true; break;
		case O_CLONED:
			r->cloned = r->set_uuid = true;
			if (optarg)
				r->label = optarg;
			break;
		case O_BACKUP: r->backup_super = true; break;
		case 'v': r->verbose = true; break;
		case 'q': r->quiet = true; break;
		case 'y': r->yes = true; break;
		case 'n': r->no = true; break;
		case 'V': printf("%s 1.8.7\n", PROG); exit(0);
		case 'h': usage(0); break;
		case 'i': case 'p': break;
		default: usage(1);
		}
	}
	if (optind != argc - 1)
		usage(1);
	r->device = argv[optind];
	if (r->update_stack && (r->stack || r->cluster_name || r->global_hb ||
				r->no_global_hb || r->mount >= 0)) {
		fprintf(stderr, "%s: --update-cluster-stack takes the running cluster's stack; give no other stack, cluster or mount option with it\n",
			PROG);
		exit(1);
	}
}

/* -Q: printf-like, %B %T %N %R %Y %P %V %U %M %H %O and \n \t escapes. */
static void query(struct ocfs2_fs *fs, const char *fmt)
{
	struct ocfs2_super_block *sb = fs->sb;
	char buf[512];
	const char *p;

	for (p = fmt; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			putchar(*p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
			continue;
		}
		if (*p != '%' || !p[1]) {
			putchar(*p);
			continue;
		}
		switch (*++p) {
		case 'B': printf("%u", fs->bs); break;
		case 'T': printf("%u", fs->cs); break;
		case 'N': printf("%u", le16_to_cpu(sb->s_max_slots)); break;
		case 'R': printf("%llu", (unsigned long long)
				 le64_to_cpu(sb->s_root_blkno)); break;
		case 'Y': printf("%llu", (unsigned long long)
				 le64_to_cpu(sb->s_system_dir_blkno)); break;
		case 'P': printf("%llu", (unsigned long long)
				 le64_to_cpu(sb->s_first_cluster_group)); break;
		case 'V': printf("%.64s", sb->s_label); break;
		case 'U': ocfs2_print_uuid(buf, sb->s_uuid); printf("%s", buf);
			break;
		case 'M': case 'H': case 'O':
			ocfs2_feature_string(buf, sizeof(buf),
				*p == 'M' ? 0 : *p == 'H' ? 1 : 2,
				le32_to_cpu(*p == 'M' ? sb->s_feature_compat :
					    *p == 'H' ? sb->s_feature_incompat :
					    sb->s_feature_ro_compat));
			printf("%s", buf);
			break;
		case '%': putchar('%'); break;
		default:
			fprintf(stderr, "\n%s: unknown query specifier %%%c\n",
				PROG, *p);
			exit(1);
		}
	}
}

static int set_uuid(struct ocfs2_fs *fs, const char *text)
{
	struct ocfs2_super_block *sb = fs->sb;
	uuid_t u;
	char canon[40];
	size_t i, j = 0;

	if (!text) {
		uuid_generate(u);
	} else {
		/* accept plain 32 hex digits as well as the dashed form */
		for (i = 0; text[i] && j < 36; i++) {
			if (j == 8 || j == 13 || j == 18 || j == 23)
				canon[j++] = '-';
			if (text[i] != '-')
				canon[j++] = text[i];
		}
		canon[j] = '\0';
		if (uuid_parse(canon, u)) {
			fprintf(stderr, "%s: invalid UUID %s\n", PROG, text);
			return -EINVAL;
		}
	}
	memcpy(sb->s_uuid, u, OCFS2_VOL_UUID_LEN);
	/* xattr and indexed-dir hashes are seeded with it: keep it then */
	if (!ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_XATTR |
				OCFS2_FEATURE_INCOMPAT_INDEXED_DIRS))
		sb->s_uuid_hash = cpu_to_le32(ocfs2_uuid_hash(sb->s_uuid));
	return 0;
}

static int set_stack(struct ocfs2_fs *fs, struct tunefs_req *r)
{
	struct ocfs2_super_block *sb = fs->sb;
	struct ocfs2_cluster_info *ci = &sb->s_cluster_info;
	u32 inc = le32_to_cpu(sb->s_feature_incompat);

	if (!r->stack || !r->cluster_name || strlen(r->stack) != 4 ||
	    strlen(r->cluster_name) > OCFS2_CLUSTER_NAME_LEN) {
		fprintf(stderr, "%s: give both --cluster-stack=<4 chars> and --cluster-name=<16 chars at most>\n",
			PROG);
		return -EINVAL;
	}
	if (inc & OCFS2_FEATURE_INCOMPAT_LOCAL_MOUNT) {
		fprintf(stderr, "%s: a local volume has no cluster stack; use -M cluster first\n",
			PROG);
		return -EINVAL;
	}
	memset(ci, 0, sizeof(*ci));
	memcpy(ci->ci_stack, r->stack, 4);
	memcpy(ci->ci_cluster, r->cluster_name, strlen(r->cluster_name));
	inc &= ~(OCFS2_FEATURE_INCOMPAT_CLUSTERINFO |
		 OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK);
	if (strcmp(r->stack, OCFS2_CLASSIC_CLUSTER_STACK))
		inc |= OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK;
	else
		inc |= OCFS2_FEATURE_INCOMPAT_CLUSTERINFO;
	if (r->global_hb && strcmp(r->stack, OCFS2_CLASSIC_CLUSTER_STACK)) {
		fprintf(stderr, "%s: global heartbeat is an o2cb feature\n", PROG);
		return -EINVAL;
	}
	if (r->global_hb)
		ci->ci_stackflags = OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT;
	sb->s_feature_incompat = cpu_to_le32(inc);
	return 0;
}

static void set_mount(struct ocfs2_fs *fs, bool local)
{
	struct ocfs2_super_block *sb = fs->sb;
	u32 inc = le32_to_cpu(sb->s_feature_incompat);

	if (local) {
		inc |= OCFS2_FEATURE_INCOMPAT_LOCAL_MOUNT;
		inc &= ~(OCFS2_FEATURE_INCOMPAT_CLUSTERINFO |
			 OCFS2_FEATURE_INCOMPAT_USERSPACE_STACK);
		memset(&sb->s_cluster_info, 0, sizeof(sb->s_cluster_info));
	} else {
		inc &= ~OCFS2_FEATURE_INCOMPAT_LOCAL_MOUNT;
	}
	sb->s_feature_incompat = cpu_to_le32(inc);
}

static int check_safe(struct tunefs_req *r)
{
	if (ocfs2_device_mounted(r->device)) {
		fprintf(stderr, "%s: %s is mounted; this tunefs only changes unmounted volumes\n",
			PROG, r->device);
		return -EBUSY;
	}
	if (ocfs2_heartbeat_live(r->device)) {
		fprintf(stderr, "%s: %s has live heartbeat: a node is using it; stop it there first\n",
			PROG, r->device);
		return -EBUSY;
	}
	return 0;
}

/* Returns 0 to write the superblock, 1 when nothing changed, or -errno. */
static int apply(struct ocfs2_fs *fs, struct tunefs_req *r)
{
	const char *why = NULL;
	bool stack_changed = false;
	int ret = 0;

	if (r->label)
		strncpy((char *)fs->sb->s_label, r->label,
			OCFS2_MAX_VOL_LABEL_LEN - 1);
	if (r->set_uuid)
		ret = set_uuid(fs, r->uuid);
	if (!ret && r->mount >= 0)
		set_mount(fs, r->mount);
	if (!ret && (r->stack || r->cluster_name))
		ret = set_stack(fs, r);
	if (!ret && (r->global_hb || r->no_global_hb) && !r->stack) {
		if (!ocfs2_has_incompat(fs, OCFS2_FEATURE_INCOMPAT_CLUSTERINFO)) {
			fprintf(stderr, "%s: global heartbeat needs the o2cb stack set with --cluster-stack/--cluster-name\n",
				PROG);
			ret = -EINVAL;
		} else {
			fs->sb->s_cluster_info.ci_stackflags = r->global_hb ?
				OCFS2_CLUSTER_O2CB_GLOBAL_HEARTBEAT : 0;
		}
	}
	if (!ret && r->features)
		ret = tunefs_set_features(fs, r->features, r->verbose);
	if (!ret && r->update_stack) {
		ret = tunefs_update_stack(fs, r->device, r->verbose, &stack_changed);
		if (!ret && !stack_changed && !r->label && !r->set_uuid &&
		    !r->features && !r->backup_super && !r->journal_bytes &&
		    !r->slots)
			return 1;	/* nothing to write */
	}
	if (!ret && r->backup_super) {
		ret = tunefs_backup_super(fs, &why);
		if (ret)
			fprintf(stderr, "%s: cannot back up the superblock: %s\n",
				PROG, why ? why : strerror(-ret));
	}
	/* before new slots, which copy slot 0's journal size */
	if (!ret && r->journal_bytes) {
		ret = tunefs_resize_journals(fs, r->journal_bytes, &why);
		if (ret)
			fprintf(stderr, "%s: cannot resize the journals: %s\n",
				PROG, why ? why : strerror(-ret));
	}
	if (!ret && r->slots && r->slots != le16_to_cpu(fs->sb->s_max_slots)) {
		ret = tunefs_add_slots(fs, r->slots, &why);
		if (ret)
			fprintf(stderr, "%s: cannot change the node slots: %s\n",
				PROG, why ? why : strerror(-ret));
	}
	return ret;
}

static int write_back(struct ocfs2_fs *fs)
{
	int count, ret = ocfs2_write_super(fs);

	if (!ret)
		ret = ocfs2_write_backup_supers(fs, NULL, &count);
	return ret;
}

int main(int argc, char **argv)
{
	struct tunefs_req r = { 0 };
	struct ocfs2_fs *fs;
	bool changes;
	int ret;

	parse(&r, argc, argv);
	changes = r.label || r.set_uuid || r.mount >= 0 || r.stack ||
		  r.cluster_name || r.global_hb || r.no_global_hb ||
		  r.features || r.backup_super || r.slots || r.journal_bytes ||
		  r.update_stack;
	if (changes && check_safe(&r))
		return 1;
	ret = ocfs2_fs_open(r.device, changes ? OCFS2_OPEN_RW : 0, 0, 0, &fs);
	if (ret) {
		fprintf(stderr, "%s: %s while opening device \"%s\"\n", PROG,
			ret == -ENOENT ? "no OCFS2 superblock found" :
			strerror(-ret), r.device);
		return 1;
	}
	if (r.query)
		query(fs, r.query);
	if (changes && !r.no) {
		ret = apply(fs, &r);
		if (!ret)
			ret = write_back(fs);
		if (ret && ret != 1 && ret != -EINVAL && ret != -EOPNOTSUPP &&
		    ret != -EBUSY && ret != -ENODEV)
			fprintf(stderr, "%s: %s while updating %s\n", PROG,
				strerror(-ret), r.device);
		else if (!ret && !r.quiet)
			printf("Wrote Superblock\n");
		if (ret == 1)
			ret = 0;	/* nothing to write */
	}
	ocfs2_fs_close(fs);
	return ret ? 1 : 0;
}
