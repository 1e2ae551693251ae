// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2 rdump: copy a directory tree (or one file) out of the
 * volume into a directory of the host, as stock does: regular files with
 * their bytes, directories, symlinks; owner, mode and times put back;
 * devices, fifos and sockets left out.  -v names each file and directory.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include "debugfs.h"

struct rdump {
	const char *cmd;
	bool verbose;
	int depth;
};

static int rdump_inode(struct rdump *r, u64 ino, const char *name,
		       const char *root);

/* owner, mode and times of @di onto @path (stock: best effort) */
static void put_back_attrs(const struct ocfs2_dinode *di, const char *path)
{
	struct timeval tv[2] = {
		{ .tv_sec = (time_t)le64_to_cpu(di->i_atime) },
		{ .tv_sec = (time_t)le64_to_cpu(di->i_mtime) },
	};

	if (chown(path, le32_to_cpu(di->i_uid), le32_to_cpu(di->i_gid)) ||
	    chmod(path, le16_to_cpu(di->i_mode) & 07777))
		fprintf(stderr, "%s: could not set owner or mode of %s\n",
			"rdump", path);
	utimes(path, tv);
}

static int dump_link(struct ocfs2_dinode *di, const char *path)
{
	u64 size = le64_to_cpu(di->i_size);
	char *target = calloc(1, size + 1);
	size_t got = 0;
	int ret = target ? 0 : -ENOMEM;

	if (!ret && !le32_to_cpu(di->i_clusters))
		memcpy(target, di->id2.i_symlink,
		       size < ocfs2_fast_symlink_chars(dbg.fs->bs) ? size :
		       ocfs2_fast_symlink_chars(dbg.fs->bs));
	else if (!ret)
		ret = ocfs2_file_read(dbg.fs, di, target, size, 0, &got);
	if (!ret && symlink(target, path))
		ret = -errno;
	free(target);
	return ret;
}

static int dump_regular(struct rdump *r, u64 ino, struct ocfs2_dinode *di,
			const char *path)
{
	int fd, ret;

	if (r->verbose)
		printf("%s\n", path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0700);
	if (fd < 0) {
		fprintf(stderr, "%s: %s while opening file %s\n", r->cmd,
			strerror(errno), path);
		return -errno;
	}
	ret = dbg_copy_out(r->cmd, ino, fd);
	close(fd);
	if (!ret)
		put_back_attrs(di, path);
	return ret;
}

struct dir_walk {
	struct rdump *r;
	const char *path;
	int ret;
};

static int dump_entry(struct ocfs2_fs *fs, struct ocfs2_dir_entry *de,
		      u64 blkno, unsigned int off, void *data)
{
	struct dir_walk *w = data;
	char name[OCFS2_MAX_FILENAME_LEN + 1];

	(void)fs; (void)blkno; (void)off;
	if (!de->inode || (de->name_len == 1 && de->name[0] == '.') ||
	    (de->name_len == 2 && !memcmp(de->name, "..", 2)))
		return 0;
	memcpy(name, de->name, de->name_len);
	name[de->name_len] = '\0';
	w->ret = rdump_inode(w->r, le64_to_cpu(de->inode), name, w->path);
	return w->ret;
}

static int dump_dir(struct rdump *r, struct ocfs2_dinode *di, const char *path)
{
	struct dir_walk w = { r, path, 0 };

	if (r->verbose)
		printf("%s\n", path);
	if (mkdir(path, 0700)) {
		fprintf(stderr, "%s: %s while making directory %s\n", r->cmd,
			strerror(errno), path);
		return -errno;
	}
	/* a directory loop on a damaged volume stops here */
	if (++r->depth > 256) {
		r->depth--;
		return -ELOOP;
	}
	ocfs2_dir_iterate(dbg.fs, di, dump_entry, &w);
	r->depth--;
	put_back_attrs(di, path);
	return w.ret;
}

static int rdump_inode(struct rdump *r, u64 ino, const char *name,
		       const char *root)
{
	struct ocfs2_dinode *di;
	char *path;
	int ret = 0;

	if (asprintf(&path, "%s/%s", root, name) < 0)
		return -ENOMEM;
	di = dbg_read_inode(r->cmd, ino);
	if (!di) {
		free(path);
		return -EIO;
	}
	switch (le16_to_cpu(di->i_mode) & 0170000) {
	case 0120000:
		ret = dump_link(di, path);
		break;
	case 0100000:
		ret = dump_regular(r, ino, di, path);
		break;
	case 0040000:
		ret = dump_dir(r, di, path);
		break;
	}
	free(di);
	free(path);
	return ret;
}

/* the name a dump of "/", "." or ".." gets: stock's timestamp (its month
 * counts from 0 and its day is padded with a space) */
static void stamp_name(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm *tm = localtime(&now);

	snprintf(buf, len, "%4d-%2d-%2d_%02d:%02d:%02d", 1900 + tm->tm_year,
		 tm->tm_mon, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
}

int dbg_cmd_rdump(int argc, char **argv)
{
	struct rdump r = { .cmd = argv[0] };
	char stamp[40], *dst;
	const char *name;
	struct stat st;
	int i = 1, ret;
	u64 ino;

	if (dbg_need_fs(argv[0]))
		return -ENODEV;
	if (argc > 1 && !strcmp(argv[1], "-v")) {
		r.verbose = true;
		i++;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: rdump [-v] <srcdir> <dstdir>\n");
		return -EINVAL;
	}
	if (dbg_resolve(argv[0], argv[i], &ino))
		return -ENOENT;
	if (stat(argv[i + 1], &st)) {
		fprintf(stderr, "%s: %s '%s'\n", argv[0], strerror(errno),
			argv[i + 1]);
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: Inode is not a directory '%s'\n", argv[0],
			argv[i + 1]);
		return -ENOTDIR;
	}
	name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
	/* as stock: "/" leaves an empty name, and the mkdir of DST/ fails */
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		stamp_name(stamp, sizeof(stamp));
		name = stamp;
	}
	dst = strdup(argv[i + 1]);
	if (!dst)
		return -ENOMEM;
	if (*dst && dst[strlen(dst) - 1] == '/')
		dst[strlen(dst) - 1] = '\0';
	printf("Copying to %s/%s\n", dst, name);
	ret = rdump_inode(&r, ino, name, dst);
	free(dst);
	return ret;
}
