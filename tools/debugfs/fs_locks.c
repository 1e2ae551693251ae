// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2 fs_locks [-f <file>] [-l] [-B]: the cluster lock state a
 * mounted volume's module keeps in <debugfs>/ocfs2/<UUID>/locking_state,
 * printed as stock's tool prints it.  One record per line: the format
 * version, the lock name, level, flags, pending actions, holders,
 * requested and blocking levels, the 64 value block bytes, then (from
 * version 2) lock statistics.  Stock's tool stops at version 3; the
 * kernels we run (stock's module and ours) write version 4, which only
 * adds statistics after those stock's tool shows, so versions 1 to 4 are
 * read here.  -l adds the value block, -B shows busy locks only.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include "debugfs.h"

#define STATE_VERSION_MAX	4
#define LVB_LEN			64
#define STATS_MAX		16
#define DEBUGFS_MAGIC_NR	0x64626720
#define DEBUGFS_DIR		"/sys/kernel/debug"
#define DEBUGFS_ALT_DIR		"/debug"

/* the lock module's flag bits and pending actions, as the file has them */
#define LF_ATTACHED		0x001
#define LF_BUSY			0x002
#define LF_BLOCKED		0x004
#define LF_LOCAL		0x008
#define LF_NEEDS_REFRESH	0x010
#define LF_REFRESHING		0x020
#define LF_INITIALIZED		0x040
#define LF_FREEING		0x080
#define LF_QUEUED		0x100

struct lock_rec {
	char name[64];
	int level, requested, blocking;
	unsigned long flags;
	unsigned int action, unlock_action, ro, ex;
	unsigned char lvb[LVB_LEN];
	unsigned long long stats[STATS_MAX];
	int nstats;
};

static const char *level_name(int level)
{
	static const char * const names[] = {
		"No Lock", "Concurrent Read", "Concurrent Write",
		"Protected Read", "Protected Write", "Exclusive",
	};

	if (level == -1)
		return "Invalid";
	if (level < 0 || level > 5)
		return "Unknown";
	return names[level];
}

static const char *action_name(unsigned int action)
{
	static const char * const names[] = {
		"None", "Attach", "Convert", "Downconvert",
	};

	return action < 4 ? names[action] : "Unknown";
}

static const char *unlock_action_name(unsigned int action)
{
	static const char * const names[] = {
		"None", "Cancel Convert", "Drop Lock",
	};

	return action < 3 ? names[action] : "Unknown";
}

static void print_flags(unsigned long flags)
{
	static const struct {
		unsigned long bit;
		const char *name;
	} names[] = {
		{ LF_INITIALIZED, "Initialized" }, { LF_ATTACHED, "Attached" },
		{ LF_BUSY, "Busy" }, { LF_BLOCKED, "Blocked" },
		{ LF_LOCAL, "Local" }, { LF_NEEDS_REFRESH, "Needs Refresh" },
		{ LF_REFRESHING, "Refreshing" }, { LF_FREEING, "Freeing" },
		{ LF_QUEUED, "Queued" },
	};
	size_t i;

	printf("Flags:");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			printf(" %s", names[i].name);
	printf("\n");
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint16_t get_be16(const unsigned char *p)
{
	return p[0] << 8 | p[1];
}

static uint64_t get_be64(const unsigned char *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

/*
 * The two old meta value block layouts stock's tool decodes (version 1:
 * a sequence word first; version 2); today's kernels write neither, and
 * stock's tool then decodes nothing.  Offsets of clusters, uid, gid,
 * mode, nlink, atime, ctime, mtime, size in each.
 */
static const struct meta_layout {
	unsigned int version_at, clusters, uid, gid, mode, nlink;
	unsigned int atime, ctime, mtime, size;
} v1_layout = { 4, 8, 12, 16, 20, 22, 24, 32, 40, 48 },
  v2_layout = { 0, 4, 8, 12, 48, 50, 16, 24, 32, 40 };

static void print_meta_lvb(const unsigned char *lvb)
{
	const struct meta_layout *l;

	if (!get_be32(lvb) && get_be32(lvb + v1_layout.version_at) == 1)
		l = &v1_layout;
	else if (get_be32(lvb + v2_layout.version_at) == 2)
		l = &v2_layout;
	else
		return;
	printf("Decoded LVB:\tVersion: %u  Clusters: %u  Size: %" PRIu64 "\n",
	       get_be32(lvb + l->version_at), get_be32(lvb + l->clusters),
	       get_be64(lvb + l->size));
	printf("\t\tMode: 0%o  UID: %u  GID: %u  Nlink: %u\n",
	       get_be16(lvb + l->mode), get_be32(lvb + l->uid),
	       get_be32(lvb + l->gid), get_be16(lvb + l->nlink));
	printf("\t\tAtime_packed: 0x%" PRIx64 "\n"
	       "\t\tCtime_packed: 0x%" PRIx64 "\n"
	       "\t\tMtime_packed: 0x%" PRIx64 "\n",
	       get_be64(lvb + l->atime), get_be64(lvb + l->ctime),
	       get_be64(lvb + l->mtime));
}

static void print_lvb(const struct lock_rec *r)
{
	int i;

	printf("Raw LVB:\t");
	for (i = 0; i < LVB_LEN; i++) {
		printf("%02x ", r->lvb[i]);
		if (!((i + 1) % 16) && i != LVB_LEN - 1)
			printf("\n\t\t");
	}
	printf("\n");
	if (r->name[0] == 'M')
		print_meta_lvb(r->lvb);
}

/*
 * Statistics, in the file's order: gets PR, EX; failures PR, EX; total
 * wait PR, EX (ns); longest wait PR, EX (us); disk refreshes; version 4
 * adds the last grant times and the current wait, not shown (nor by
 * stock, which never read them).
 */
static void print_stats(const struct lock_rec *r)
{
	const unsigned long long *s = r->stats;
	int i;

	for (i = 0; i < 2; i++)
		printf("%s > Gets: %llu  Fails: %llu    Waits Total: %lluus  Max: %lluus  Avg: %lluns\n",
		       i ? "EX" : "PR", s[i], s[2 + i], s[4 + i] / 1000,
		       s[6 + i], s[i] ? s[4 + i] / s[i] : 0);
	printf("Disk Refreshes: %llu\n", s[8]);
}

static void print_rec(const struct lock_rec *r, bool lvbs)
{
	printf("Lockres: %s  Mode: %s\n", r->name, level_name(r->level));
	print_flags(r->flags);
	printf("RO Holders: %u  EX Holders: %u\n", r->ro, r->ex);
	printf("Pending Action: %s  Pending Unlock Action: %s\n",
	       action_name(r->action), unlock_action_name(r->unlock_action));
	printf("Requested Mode: %s  Blocking Mode: %s\n",
	       level_name(r->requested), level_name(r->blocking));
	if (lvbs)
		print_lvb(r);
	if (r->nstats >= 9)
		print_stats(r);
	printf("\n");
}

/* One line after its version field; false when it is not a record. */
static bool parse_rec(char *line, struct lock_rec *r)
{
	char *save = NULL, *tok;
	unsigned int v;
	int n, i;

	memset(r, 0, sizeof(*r));
	tok = strtok_r(line, "\t\n", &save);
	if (!tok || strlen(tok) >= sizeof(r->name))
		return false;
	strcpy(r->name, tok);
	tok = strtok_r(NULL, "\n", &save);
	if (!tok || sscanf(tok, "%d\t0x%lx\t0x%x\t0x%x\t%u\t%u\t%d\t%d%n",
			   &r->level, &r->flags, &r->action,
			   &r->unlock_action, &r->ro, &r->ex,
			   &r->requested, &r->blocking, &n) != 8)
		return false;
	tok += n;
	for (i = 0; i < LVB_LEN; i++) {
		if (sscanf(tok, " 0x%x%n", &v, &n) != 1)
			return false;
		r->lvb[i] = (unsigned char)v;
		tok += n;
	}
	while (r->nstats < STATS_MAX &&
	       sscanf(tok, " %llu%n", &r->stats[r->nstats], &n) == 1) {
		r->nstats++;
		tok += n;
	}
	return true;
}

static int dump_state(FILE *f, bool lvbs, bool only_busy)
{
	struct lock_rec r;
	unsigned int version;
	char line[2048], *rest;

	while (fgets(line, sizeof(line), f)) {
		version = strtoul(line, &rest, 16);
		if (rest == line || *rest != '\t')
			break;
		if (version > STATE_VERSION_MAX) {
			printf("Debug string proto %u found, but %u is the highest I understand.\n",
			       version, STATE_VERSION_MAX);
			break;
		}
		if (!parse_rec(rest + 1, &r))
			break;
		if (!only_busy || (r.flags & LF_BUSY))
			print_rec(&r, lvbs);
	}
	return 0;
}

/* The volume's own file: debugfs must be mounted and the volume too. */
static FILE *open_volume_state(void)
{
	const char *dir = DEBUGFS_DIR;
	char uuid[2 * OCFS2_VOL_UUID_LEN + 1], path[256];
	struct statfs sfs;
	struct stat st;
	FILE *f;
	int i;

	if (stat("/sys/kernel/", &st))
		dir = DEBUGFS_ALT_DIR;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode) || statfs(dir, &sfs) ||
	    sfs.f_type != DEBUGFS_MAGIC_NR) {
		fprintf(stderr, "Could not locate debugfs file system. Perhaps it is not mounted?\n");
		return NULL;
	}
	/* the kernel names the directory as it names the lock domain */
	for (i = 0; i < OCFS2_VOL_UUID_LEN; i++)
		snprintf(uuid + 2 * i, 3, "%02X", dbg.fs->sb->s_uuid[i]);
	snprintf(path, sizeof(path), "%s/ocfs2/%s/locking_state", dir, uuid);
	f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "Could not open debug state for \"%s\".\nPerhaps that OCFS2 file system is not mounted?\n",
			uuid);
	return f;
}

int dbg_cmd_fs_locks(int argc, char **argv)
{
	bool lvbs = false, only_busy = false;
	const char *file = NULL;
	FILE *f;
	int c;

	optind = 0;
	while ((c = getopt(argc, argv, "f:lB")) != -1) {
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 'l':
			lvbs = true;
			break;
		case 'B':
			only_busy = true;
			break;
		default:
			fprintf(stderr, "usage: fs_locks [-f <file>] [-l] [-B]\n");
			return -EINVAL;
		}
	}
	if (file) {
		f = fopen(file, "r");
		if (!f) {
			fprintf(stderr, "Could not open file at \"%s\"\n", file);
			return -errno;
		}
	} else {
		if (dbg_need_fs(argv[0]))
			return -ENODEV;
		f = open_volume_state();
		if (!f)
			return -ENOENT;
	}
	dump_state(f, lvbs, only_busy);
	fclose(f);
	return 0;
}
