// SPDX-License-Identifier: GPL-2.0
/*
 * fsck.ocfs2: check and repair an OCFS2 volume.  Options and exit codes
 * as stock fsck.ocfs2 and e2fsck; the passes live in pass*.c, journal
 * replay in journal.c, the questions in problem.c.
 */
#include <getopt.h>
#include <mntent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "fsck.h"

#define PROG "fsck.ocfs2"

static void usage(int status)
{
	fprintf(stderr,
		"Usage: %s {-y|-n|-p} [ -fGnuvVy ] [ -b superblock block ]\n"
		"\t\t    [ -B block size ] [-r num] device\n\n"
		"Critical flags for emergency repair:\n"
		" -n\t\tCheck but don't change the file system\n"
		" -y\t\tAnswer 'yes' to all repair questions\n"
		" -p\t\tAutomatic repair (no questions, only safe repairs)\n"
		" -f\t\tForce checking even if file system is clean\n"
		" -F\t\tIgnore cluster locking (dangerous!)\n"
		" -r\t\trestore backup superblock(dangerous!)\n\n"
		"Less critical flags:\n"
		" -b superblock\tTreat given block as the super block\n"
		" -B blocksize\tForce the given block size\n"
		" -G\t\tAsk to fix mismatched inode generations\n"
		" -P\t\tShow progress\n"
		" -t\t\tShow I/O statistics\n"
		" -u\t\tAccess the device with buffering\n"
		" -V\t\tOutput fsck.ocfs2's version\n"
		" -v\t\tProvide verbose debugging output\n", PROG);
	exit(status);
}

struct opts {
	int backup;		/* -r */
	u64 sb_blkno;		/* -b */
	unsigned int blocksize;	/* -B */
};

static bool is_mounted(const char *device)
{
	struct stat a, b;
	struct mntent *m;
	bool found = false;
	FILE *f;

	if (stat(device, &a) < 0 || !S_ISBLK(a.st_mode))
		return false;
	f = setmntent("/proc/self/mounts", "r");
	while (f && !found && (m = getmntent(f)))
		found = !stat(m->mnt_fsname, &b) && S_ISBLK(b.st_mode) &&
			b.st_rdev == a.st_rdev;
	if (f)
		endmntent(f);
	return found;
}

static void parse(struct fsck_ctx *ctx, struct opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "apb:B:fFGnyPr:tuvVD")) != -1) {
		switch (c) {
		case 'a': case 'p': ctx->preen = true; break;
		case 'b': o->sb_blkno = strtoull(optarg, NULL, 0); break;
		case 'B': o->blocksize = strtoul(optarg, NULL, 0); break;
		case 'f': ctx->force = true; break;
		case 'n': ctx->no = true; break;
		case 'y': ctx->yes = true; break;
		case 'r': o->backup = atoi(optarg); break;
		case 'v': ctx->verbose = true; break;
		case 'V': printf("%s 1.8.7\n", PROG); exit(0);
		case 'F': case 'G': case 'P': case 't': case 'u': case 'D':
			break;
		default: usage(FSCK_USAGE);
		}
	}
	if (optind != argc - 1)
		usage(FSCK_USAGE);
	if (ctx->yes + ctx->no + ctx->preen > 1) {
		fprintf(stderr, "%s: only one of -y, -n and -p\n", PROG);
		exit(FSCK_USAGE);
	}
	if (o->backup && (o->backup < 1 ||
			  o->backup > OCFS2_MAX_BACKUP_SUPERBLOCKS)) {
		fprintf(stderr, "%s: -r takes a backup superblock number, 1 to 6\n",
			PROG);
		exit(FSCK_USAGE);
	}
	ctx->device = argv[optind];
}

static int open_backup(struct fsck_ctx *ctx, struct opts *o, int flags)
{
	unsigned int bs;
	int ret = -ENOENT;

	for (bs = OCFS2_MIN_BLOCKSIZE; bs <= OCFS2_MAX_BLOCKSIZE; bs <<= 1) {
		u64 blk = ocfs2_backup_super_blkno(__builtin_ctz(bs),
						   o->backup - 1);

		if (o->blocksize && bs != o->blocksize)
			continue;
		ret = ocfs2_fs_open(ctx->device, flags, blk, bs, &ctx->fs);
		if (!ret)
			break;
	}
	if (ret)
		return ret;
	if (fix_problem(ctx, PR_RECOVER_BACKUP_SUPERBLOCK,
			"Recover the primary superblock from backup %d at block %llu",
			o->backup, (unsigned long long)ctx->fs->sb_blkno)) {
		ctx->fs->sb_di->i_blkno = cpu_to_le64(OCFS2_SUPER_BLOCK_BLKNO);
		if (!ctx->no)
			ret = ocfs2_write_super(ctx->fs);
	}
	return ret;
}

static int open_volume(struct fsck_ctx *ctx, struct opts *o)
{
	int flags = ctx->no ? 0 : OCFS2_OPEN_RW;
	int ret;

	if (o->backup)
		ret = open_backup(ctx, o, flags);
	else
		ret = ocfs2_fs_open(ctx->device, flags, o->sb_blkno,
				    o->blocksize, &ctx->fs);
	if (!ret)
		return 0;
	if (ret == -ENOENT)
		fprintf(stderr, "%s: %s: no OCFS2 superblock found (not an OCFS2 volume?)\n",
			PROG, ctx->device);
	else if (ret == -EUCLEAN || ret == -EBADMSG)
		fprintf(stderr, "%s: %s: the superblock is corrupt; try -r 1 to recover it from the first backup\n",
			PROG, ctx->device);
	else if (ret == -EOPNOTSUPP)
		fprintf(stderr, "%s: %s: the volume uses features this fsck does not know; refusing to check it\n",
			PROG, ctx->device);
	else if (ret == -ESPIPE)
		fprintf(stderr, "%s: %s: the device is smaller than the volume claims (truncated image?)\n",
			PROG, ctx->device);
	else
		fprintf(stderr, "%s: %s while opening %s\n", PROG,
			strerror(-ret), ctx->device);
	return ret;
}

static void print_header(struct fsck_ctx *ctx)
{
	struct ocfs2_fs *fs = ctx->fs;
	char uuid[40];

	ocfs2_print_uuid(uuid, fs->sb->s_uuid);
	printf("Checking OCFS2 filesystem in %s:\n", ctx->device);
	printf("  Label:              %.64s\n",
	       fs->sb->s_label[0] ? (char *)fs->sb->s_label : "<NONE>");
	printf("  UUID:               %s\n", uuid);
	printf("  Number of blocks:   %llu\n", (unsigned long long)fs->blocks);
	printf("  Block size:         %u\n", fs->bs);
	printf("  Number of clusters: %u\n", fs->clusters);
	printf("  Cluster size:       %u\n", fs->cs);
	printf("  Number of slots:    %u\n\n",
	       le16_to_cpu(fs->sb->s_max_slots));
}

static int setup_maps(struct fsck_ctx *ctx)
{
	size_t bytes = ctx->fs->clusters / 8 + 1;
	int ret;

	ctx->cmap = calloc(1, bytes);
	ctx->dupmap = calloc(1, bytes);
	if (!ctx->cmap || !ctx->dupmap)
		return -ENOMEM;
	ctx->root = le64_to_cpu(ctx->fs->sb->s_root_blkno);
	ctx->sysdir = le64_to_cpu(ctx->fs->sb->s_system_dir_blkno);
	ret = ocfs2_lookup(ctx->fs, ctx->root, "lost+found", 10,
			   &ctx->lost_found);
	if (ret)
		ctx->lost_found = 0;
	for (ret = 0; ret < le16_to_cpu(ctx->fs->sb->s_max_slots); ret++)
		if (ocfs2_lookup_system_inode(ctx->fs, ORPHAN_DIR_SYSTEM_INODE,
				ret, &ctx->sys_alloc[ORPHAN_DIR_SYSTEM_INODE][ret]))
			fix_problem(ctx, PR_ORPHAN_DIR_MISSING,
				    "The orphan directory of slot %d is missing",
				    ret);
	return 0;
}

static int run_passes(struct fsck_ctx *ctx)
{
	int ret;

	ret = fsck_pass0(ctx);
	if (ret)
		return ret;
	ret = fsck_pass1(ctx);
	if (!ret)
		ret = fsck_pass1_dups(ctx);
	if (!ret)
		ret = fsck_refcounts(ctx);
	if (!ret)
		ret = fsck_pass2(ctx);
	if (!ret)
		ret = fsck_pass3(ctx);
	if (!ret)
		ret = fsck_pass4(ctx);
	if (!ret)
		ret = fsck_extent_leaks(ctx);
	if (!ret)
		ret = fsck_cluster_bitmap(ctx);
	if (!ret)
		ret = fsck_pass5(ctx);
	return ret;
}

static void mark_checked(struct fsck_ctx *ctx)
{
	struct ocfs2_super_block *sb = ctx->fs->sb;

	if (ctx->no)
		return;
	sb->s_lastcheck = cpu_to_le64((u64)time(NULL));
	sb->s_mnt_count = 0;
	if (ctx->found == ctx->fixed)
		sb->s_state &= ~cpu_to_le16(OCFS2_ERROR_FS);
	ocfs2_write_super(ctx->fs);
}

static bool needs_check(struct fsck_ctx *ctx)
{
	struct ocfs2_super_block *sb = ctx->fs->sb;

	return ctx->force || (le16_to_cpu(sb->s_state) & OCFS2_ERROR_FS) ||
	       ctx->found;
}

int main(int argc, char **argv)
{
	struct fsck_ctx ctx = { 0 };
	struct opts o = { 0 };
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse(&ctx, &o, argc, argv);
	printf("%s 1.8.7\n", PROG);
	if (!ctx.no && is_mounted(ctx.device)) {
		fprintf(stderr, "%s: %s is mounted here; unmount it (on every node) before repairing, or use -n\n",
			PROG, ctx.device);
		return FSCK_ERROR;
	}
	if (open_volume(&ctx, &o))
		return FSCK_ERROR;
	print_header(&ctx);
	fsck_journals(&ctx);
	if (!needs_check(&ctx)) {
		printf("%s is clean.  It will be checked after %u additional mounts.\n",
		       ctx.device, le16_to_cpu(ctx.fs->sb->s_max_mnt_count) -
		       le16_to_cpu(ctx.fs->sb->s_mnt_count));
		return FSCK_OK;
	}
	if (ctx.force)
		printf("%s was run with -f, check forced.\n", ctx.device);
	ret = setup_maps(&ctx);
	if (!ret)
		ret = run_passes(&ctx);
	if (ret) {
		fprintf(stderr, "%s: %s while checking %s; the check is incomplete\n",
			PROG, strerror(-ret), ctx.device);
		ocfs2_fs_close(ctx.fs);
		return FSCK_ERROR | (ctx.found > ctx.fixed ? FSCK_UNCORRECTED : 0);
	}
	mark_checked(&ctx);
	ocfs2_fs_close(ctx.fs);
	if (ctx.found == 0) {
		printf("All passes succeeded.\n\n");
		return FSCK_OK;
	}
	if (ctx.found > ctx.fixed) {
		printf("%d problem(s) found, %d fixed; %s still has errors.\n\n",
		       ctx.found, ctx.fixed, ctx.device);
		return FSCK_UNCORRECTED;
	}
	printf("All passes succeeded.\n%d problem(s) fixed.\n\n", ctx.fixed);
	return FSCK_NONDESTRUCT;
}
