// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2 commands: one function per command, looked up in a table.
 * Output follows stock debugfs.ocfs2 so that scripts and eyes read it the
 * same way.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "debugfs.h"

struct dbg dbg;

static const char *errtext(int err)
{
	switch (err) {
	case -EUCLEAN: return "Corrupt metadata";
	case -EBADMSG: return "Metadata checksum failed";
	case -ENOENT: return "Not found";
	case -ESPIPE: return "Read past the end of the device (truncated image?)";
	case -ERANGE: return "Block number out of range";
	case -EOPNOTSUPP: return "Unsupported feature(s) on the volume";
	case -ELOOP: return "Loop in allocator chain";
	}
	return strerror(-err);
}

void dbg_err(const char *cmd, const char *what, int err)
{
	fprintf(stderr, "%s: %s %s\n", cmd, errtext(err), what);
	if ((err == -EUCLEAN || err == -EBADMSG || err == -ERANGE) && dbg.fs &&
	    dbg.fs->last_bad.what)
		fprintf(stderr, "%s: block %llu: %s (value %llu)\n", cmd,
			(unsigned long long)dbg.fs->last_bad_blkno,
			dbg.fs->last_bad.what,
			(unsigned long long)dbg.fs->last_bad.value);
}

int dbg_open(const char *device, int backup)
{
	u64 blkno = 0;
	unsigned int bs;
	int ret = -ENOENT;

	dbg_close();
	if (!backup)
		ret = ocfs2_fs_open(device, OCFS2_OPEN_NOCHECK, 0, 0, &dbg.fs);
	for (bs = OCFS2_MIN_BLOCKSIZE; backup && bs <= OCFS2_MAX_BLOCKSIZE;
	     bs <<= 1) {
		blkno = ocfs2_backup_super_blkno(__builtin_ctz(bs), backup - 1);
		ret = ocfs2_fs_open(device, OCFS2_OPEN_NOCHECK, blkno, bs,
				    &dbg.fs);
		if (!ret)
			break;
	}
	if (ret) {
		char what[600];

		snprintf(what, sizeof(what), "while opening device \"%s\"",
			 device);
		if (ret == -ENOENT)
			fprintf(stderr, "debugfs.ocfs2: Bad magic number in superblock (not an OCFS2 volume) %s\n",
				what);
		else
			dbg_err("debugfs.ocfs2", what, ret);
		dbg.fs = NULL;
		return ret;
	}
	dbg.cwd = le64_to_cpu(dbg.fs->sb->s_root_blkno);
	return 0;
}

void dbg_close(void)
{
	ocfs2_fs_close(dbg.fs);
	dbg.fs = NULL;
}

static int need_fs(const char *cmd)
{
	if (dbg.fs)
		return 0;
	fprintf(stderr, "%s: No device open\n", cmd);
	return -ENODEV;
}

/* Walk @path (relative, '/'-separated) from directory @cur. */
static int walk_from(u64 cur, const char *path, u64 *ino)
{
	int ret = 0;

	while (!ret && *path) {
		size_t len;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		len = strcspn(path, "/");
		ret = ocfs2_lookup(dbg.fs, cur, path, len, &cur);
		path += len;
	}
	*ino = cur;
	return ret;
}

/* Resolve a filespec: "<blkno>", "/abs", "//sysfile", or relative. */
static int resolve(const char *cmd, const char *spec, u64 *ino)
{
	char what[600];
	int ret;

	if (!spec || !*spec) {
		*ino = dbg.cwd;
		return 0;
	}
	if (*spec == '<' || *spec == '/')
		ret = ocfs2_namei(dbg.fs, spec, ino);
	else
		ret = walk_from(dbg.cwd, spec, ino);
	if (ret == -ENOENT) {
		fprintf(stderr, "%s: Directory entry not found '%s'\n", cmd,
			spec);
	} else if (ret) {
		snprintf(what, sizeof(what), "while looking up \"%s\"", spec);
		dbg_err(cmd, what, ret);
	}
	return ret;
}

/* Read inode @ino; on failure say so, @doing naming what stock says
 * it was doing ("reading inode", "checking directory at block"). */
static struct ocfs2_dinode *read_inode_for(const char *cmd, u64 ino,
					   const char *doing)
{
	struct ocfs2_dinode *di = io_alloc(dbg.fs->bs);
	char what[80];
	int ret;

	if (!di)
		return NULL;
	ret = ocfs2_read_inode(dbg.fs, ino, di);
	if (!ret)
		return di;
	snprintf(what, sizeof(what), "while %s %llu", doing,
		 (unsigned long long)ino);
	/* not an inode at all: stock's words, no detail to add */
	if (ret == -EUCLEAN && dbg.fs->last_bad.what &&
	    !strcmp(dbg.fs->last_bad.what, "bad inode signature"))
		fprintf(stderr, "%s: Bad magic number in inode %s\n", cmd, what);
	else
		dbg_err(cmd, what, ret);
	free(di);
	return NULL;
}

static struct ocfs2_dinode *read_inode(const char *cmd, u64 ino)
{
	return read_inode_for(cmd, ino, "reading inode");
}

struct ocfs2_dinode *dbg_read_dir_inode(const char *cmd, u64 ino)
{
	return read_inode_for(cmd, ino, "checking directory at block");
}

int dbg_need_fs(const char *cmd)
{
	return need_fs(cmd);
}

int dbg_resolve(const char *cmd, const char *spec, u64 *ino)
{
	return resolve(cmd, spec, ino);
}

struct ocfs2_dinode *dbg_read_inode(const char *cmd, u64 ino)
{
	return read_inode(cmd, ino);
}

static int cmd_stats(int argc, char **argv)
{
	bool header = argc > 1 && !strcmp(argv[1], "-h");

	if (need_fs(argv[0]))
		return -ENODEV;
	ocfs2_print_super(stdout, dbg.fs, header);
	return 0;
}

static int cmd_stat(int argc, char **argv)
{
	struct ocfs2_dinode *di;
	u64 ino;

	if (need_fs(argv[0]))
		return -ENODEV;
	if (argc < 2) {
		fprintf(stderr, "usage: stat <filespec>\n");
		return -EINVAL;
	}
	if (resolve(argv[0], argv[argc - 1], &ino))
		return -ENOENT;
	di = read_inode(argv[0], ino);
	if (!di)
		return -EIO;
	ocfs2_print_inode(stdout, dbg.fs, di);
	free(di);
	return 0;
}

struct ls_ctx {
	bool longfmt;
};

static int ls_one(struct ocfs2_fs *fs, struct ocfs2_dir_entry *de, u64 blkno,
		  unsigned int off, void *ctx)
{
	struct ls_ctx *lc = ctx;
	struct ocfs2_dinode *di;
	char mode[12], when[32];
	time_t t;
	struct tm tm;

	(void)blkno; (void)off;
	if (!lc->longfmt) {
		printf("\t%-15llu %-4u %-4u %-2u %.*s\n",
		       (unsigned long long)le64_to_cpu(de->inode),
		       le16_to_cpu(de->rec_len), de->name_len, de->file_type,
		       de->name_len, de->name);
		return 0;
	}
	di = io_alloc(fs->bs);
	if (!di || ocfs2_read_inode(fs, le64_to_cpu(de->inode), di)) {
		printf("\t%-15llu %10s %.*s\n",
		       (unsigned long long)le64_to_cpu(de->inode), "??????????",
		       de->name_len, de->name);
		free(di);
		return 0;
	}
	ocfs2_mode_string(le16_to_cpu(di->i_mode), mode);
	t = (time_t)le64_to_cpu(di->i_mtime);
	localtime_r(&t, &tm);	/* stock: day space-padded, local time */
	strftime(when, sizeof(when), "%e-%b-%Y %H:%M", &tm);
	printf("\t%-15llu %10s %3u %5u %5u %15llu %s %.*s\n",
	       (unsigned long long)le64_to_cpu(de->inode), mode,
	       le16_to_cpu(di->i_links_count), le32_to_cpu(di->i_uid),
	       le32_to_cpu(di->i_gid),
	       (unsigned long long)le64_to_cpu(di->i_size), when,
	       de->name_len, de->name);
	free(di);
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	struct ls_ctx lc = { false };
	struct ocfs2_dinode *di;
	const char *spec = NULL;
	int i, ret;
	u64 ino;

	if (need_fs(argv[0]))
		return -ENODEV;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-l"))
			lc.longfmt = true;
		else
			spec = argv[i];
	}
	if (resolve(argv[0], spec, &ino))
		return -ENOENT;
	di = read_inode(argv[0], ino);
	if (!di)
		return -EIO;
	ret = ocfs2_dir_iterate(dbg.fs, di, ls_one, &lc);
	if (ret < 0)
		dbg_err(argv[0], "while listing the directory", ret);
	free(di);
	return ret < 0 ? ret : 0;
}

static int cmd_cd(int argc, char **argv)
{
	u64 ino;

	if (need_fs(argv[0]))
		return -ENODEV;
	if (resolve(argv[0], argc > 1 ? argv[1] : "/", &ino))
		return -ENOENT;
	dbg.cwd = ino;
	return 0;
}

static int cmd_slotmap(int argc, char **argv)
{
	int nodes[OCFS2_MAX_SLOTS], ret, i;

	(void)argc;
	if (need_fs(argv[0]))
		return -ENODEV;
	ret = ocfs2_read_slot_map(dbg.fs, nodes);
	if (ret) {
		dbg_err(argv[0], "while reading the slot map", ret);
		return ret;
	}
	printf("\tSlot#   Node#\n");
	for (i = 0; i < le16_to_cpu(dbg.fs->sb->s_max_slots); i++)
		if (nodes[i] >= 0)
			printf("\t%5d   %5d\n", i, nodes[i]);
	return 0;
}

/* Copy the file's bytes to @fd. */
int dbg_copy_out(const char *cmd, u64 ino, int fd)
{
	struct ocfs2_dinode *di = read_inode(cmd, ino);
	const size_t chunk = 1 << 20;
	char *buf;
	u64 off = 0;
	size_t got;
	int ret = 0;

	if (!di)
		return -EIO;
	buf = malloc(chunk);
	while (buf && !ret) {
		ret = ocfs2_file_read(dbg.fs, di, buf, chunk, off, &got);
		if (ret || !got)
			break;
		if (write(fd, buf, got) != (ssize_t)got)
			ret = -errno;
		off += got;
	}
	if (ret)
		dbg_err(cmd, "while reading file data", ret);
	free(buf);
	free(di);
	return ret;
}

static int cmd_cat(int argc, char **argv)
{
	u64 ino;

	if (need_fs(argv[0]))
		return -ENODEV;
	if (argc < 2) {
		fprintf(stderr, "usage: cat <filespec>\n");
		return -EINVAL;
	}
	if (resolve(argv[0], argv[1], &ino))
		return -ENOENT;
	fflush(stdout);
	return dbg_copy_out(argv[0], ino, STDOUT_FILENO);
}

static int cmd_dump(int argc, char **argv)
{
	int i = 1, fd, ret;
	bool keep = false;
	u64 ino;

	if (need_fs(argv[0]))
		return -ENODEV;
	if (argc > 1 && !strcmp(argv[1], "-p")) {
		keep = true;
		i++;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: dump [-p] <filespec> <outfile>\n");
		return -EINVAL;
	}
	if (resolve(argv[0], argv[i], &ino))
		return -ENOENT;
	fd = open(argv[i + 1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot create %s\n", argv[0], argv[i + 1]);
		return -errno;
	}
	ret = dbg_copy_out(argv[0], ino, fd);
	if (!ret && keep) {
		struct ocfs2_dinode *di = read_inode(argv[0], ino);

		if (di) {
			if (fchmod(fd, le16_to_cpu(di->i_mode) & 07777) ||
			    fchown(fd, le32_to_cpu(di->i_uid),
				   le32_to_cpu(di->i_gid)))
				ret = 0;	/* best effort, as stock */
			free(di);
		}
	}
	close(fd);
	return ret;
}

static int cmd_logdump(int argc, char **argv)
{
	int slot = argc > 1 ? atoi(argv[argc - 1]) : 0;

	if (need_fs(argv[0]))
		return -ENODEV;
	if (slot < 0 || slot >= le16_to_cpu(dbg.fs->sb->s_max_slots)) {
		fprintf(stderr, "%s: Invalid node slot %d\n", argv[0], slot);
		return -EINVAL;
	}
	return dbg_logdump(dbg.fs, slot, stdout);
}

static int cmd_group(int argc, char **argv)
{
	struct ocfs2_group_desc *gd;
	u64 blkno;
	int ret;

	if (need_fs(argv[0]))
		return -ENODEV;
	if (argc < 2) {
		fprintf(stderr, "usage: group <block#>\n");
		return -EINVAL;
	}
	blkno = strtoull(argv[1], NULL, 0);
	gd = io_alloc(dbg.fs->bs);
	if (!gd)
		return -ENOMEM;
	ret = ocfs2_read_meta(dbg.fs, OCFS2_BLK_GROUP, blkno, gd);
	if (ret)
		dbg_err(argv[0], "while reading the group descriptor", ret);
	else
		ocfs2_print_group(stdout, gd);
	free(gd);
	return ret;
}

static int cmd_extent(int argc, char **argv)
{
	struct ocfs2_extent_block *eb;
	int ret;

	if (need_fs(argv[0]))
		return -ENODEV;
	if (argc < 2) {
		fprintf(stderr, "usage: extent <block#>\n");
		return -EINVAL;
	}
	eb = io_alloc(dbg.fs->bs);
	if (!eb)
		return -ENOMEM;
	ret = ocfs2_read_meta(dbg.fs, OCFS2_BLK_EXTENT,
			      strtoull(argv[1], NULL, 0), eb);
	if (ret)
		dbg_err(argv[0], "while reading the extent block", ret);
	else
		ocfs2_print_extent_block(stdout, eb);
	free(eb);
	return ret;
}

static int stat_one_sys(struct ocfs2_fs *fs, struct ocfs2_dir_entry *de,
			u64 blkno, unsigned int off, void *ctx)
{
	struct ocfs2_dinode *di = io_alloc(fs->bs);

	(void)blkno; (void)off; (void)ctx;
	if (di && !ocfs2_read_inode(fs, le64_to_cpu(de->inode), di)) {
		printf("\n\t%.*s\n", de->name_len, de->name);
		ocfs2_print_inode(stdout, fs, di);
	}
	free(di);
	return 0;
}

static int cmd_stat_sysdir(int argc, char **argv)
{
	struct ocfs2_dinode *di;
	int ret;

	(void)argc;
	if (need_fs(argv[0]))
		return -ENODEV;
	di = read_inode(argv[0], le64_to_cpu(dbg.fs->sb->s_system_dir_blkno));
	if (!di)
		return -EIO;
	ret = ocfs2_dir_iterate(dbg.fs, di, stat_one_sys, NULL);
	free(di);
	return ret < 0 ? ret : 0;
}

static int cmd_open(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: open <device> [-s backup#]\n");
		return -EINVAL;
	}
	if (argc >= 4 && !strcmp(argv[2], "-s"))
		return dbg_open(argv[1], atoi(argv[3]));
	return dbg_open(argv[1], 0);
}

static int cmd_close(int argc, char **argv)
{
	(void)argc;
	if (need_fs(argv[0]))
		return -ENODEV;
	dbg_close();
	return 0;
}

static int cmd_curdev(int argc, char **argv)
{
	(void)argc;
	if (need_fs(argv[0]))
		return -ENODEV;
	printf("%s\n", dbg.fs->device);
	return 0;
}

static int cmd_help(int argc, char **argv);

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static const struct command commands[] = {
	{ "bmap", dbg_cmd_bmap, "bmap <filespec> <logical_blk>",
	  "Show the corresponding physical block# for the inode" },
	{ "cat", cmd_cat, "cat <filespec>", "Show file on stdout" },
	{ "cd", cmd_cd, "cd <filespec>", "Change directory" },
	{ "close", cmd_close, "close", "Close a device" },
	{ "curdev", cmd_curdev, "curdev", "Show current device" },
	{ "decode", dbg_cmd_decode, "decode <lockname#> ...",
	  "Decode block#(s) from the lockname(s)" },
	{ "dirblocks", dbg_cmd_dirblocks, "dirblocks <filespec>",
	  "Dump directory blocks" },
	{ "dx_dump", dbg_cmd_dx_dump, "dx_dump <blkno>",
	  "Show directory index information" },
	{ "dx_leaf", dbg_cmd_dx_leaf, "dx_leaf <blkno>",
	  "Show directory index leaf block only" },
	{ "dx_root", dbg_cmd_dx_root, "dx_root <blkno>",
	  "Show directory index root block only" },
	{ "dx_space", dbg_cmd_dx_space, "dx_space <filespec>",
	  "Dump directory free space list" },
	{ "encode", dbg_cmd_encode, "encode <filespec>", "Show lock name" },
	{ "findpath", dbg_cmd_findpath, "findpath <block#>",
	  "List one pathname of the inode/lockname" },
	{ "frag", dbg_cmd_frag, "frag <filespec>",
	  "Show inode extents / clusters ratio" },
	{ "fs_locks", dbg_cmd_fs_locks, "fs_locks [-f <file>] [-l] [-B]",
	  "Show live fs locking state" },
	{ "dump", cmd_dump, "dump [-p] <filespec> <outfile>",
	  "Dumps file to outfile" },
	{ "extent", cmd_extent, "extent <block#>", "Show extent block" },
	{ "group", cmd_group, "group <block#>", "Show chain group" },
	{ "grpextents", dbg_cmd_grpextents, "grpextents <block#>",
	  "Show free extents in a chain group" },
	{ "hb", dbg_cmd_hb, "hb", "Show the heartbeat blocks" },
	{ "help", cmd_help, "help, ?", "This information" },
	{ "icheck", dbg_cmd_icheck, "icheck block# ...",
	  "List inode# that is using the block#" },
	{ "locate", dbg_cmd_locate, "locate <block#> ...",
	  "List all pathnames of the inode(s)/lockname(s)" },
	{ "?", cmd_help, NULL, NULL },
	{ "logdump", cmd_logdump, "logdump <slot#>",
	  "Show journal file for the node slot" },
	{ "ls", cmd_ls, "ls [-l] <filespec>", "List directory" },
	{ "ncheck", dbg_cmd_locate, "ncheck <block#> ...",
	  "List all pathnames of the inode(s)/lockname(s)" },
	{ "open", cmd_open, "open <device> [-s backup#]", "Open a device" },
	{ "quit, q", NULL, "quit, q", "Exit the program" },
	{ "rdump", dbg_cmd_rdump, "rdump [-v] <filespec> <outdir>",
	  "Recursively dumps from src to a dir on a mounted filesystem" },
	{ "refcount", dbg_cmd_refcount, "refcount [-e] <filespec>",
	  "Dump the refcount tree for the inode or refcount block" },
	{ "slotmap", cmd_slotmap, "slotmap", "Show slot map" },
	{ "stat", cmd_stat, "stat <filespec>", "Show inode" },
	{ "stat_sysdir", cmd_stat_sysdir, "stat_sysdir",
	  "Show all objects in the system directory" },
	{ "stats", cmd_stats, "stats [-h]", "Show superblock" },
	{ "xattr", dbg_cmd_xattr, "xattr [-v] <filespec>",
	  "Show extended attributes" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc; (void)argv;
	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].usage)
			printf("%-41s %s\n", commands[i].usage,
			       commands[i].help);
	return 0;
}

#define MAX_ARGS 51	/* as stock: words past the 51st are dropped */

int dbg_run(char *line)
{
	char *argv[MAX_ARGS], *save = NULL, *tok;
	int argc = 0;
	size_t i;

	for (tok = strtok_r(line, " \t", &save); tok && argc < MAX_ARGS;
	     tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	if (!argc)
		return 0;
	fflush(stdout);		/* the echoed command line comes first */
	for (i = 0; i < NCOMMANDS; i++) {
		if (commands[i].fn && !strcmp(commands[i].name, argv[0])) {
			int ret = commands[i].fn(argc, argv) ? 1 : 0;

			/* as stock: output and errors stay in command order */
			fflush(stdout);
			return ret;
		}
	}
	fprintf(stderr, "%s: Unknown command. Type \"help\" for a list.\n",
		argv[0]);
	return 1;
}
