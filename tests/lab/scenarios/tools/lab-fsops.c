// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper for the tools scenarios; the nodes have neither setfattr nor a
 * cp that can reflink:
 *   lab-fsops xattr PATH NAME LEN   set NAME to LEN bytes derived from NAME
 *   lab-fsops xattrs PATH PREFIX N  set PREFIX0..PREFIX<N-1>, value i*5+1 bytes
 *   lab-fsops reflink SRC DST       DST becomes a FICLONE of SRC (refcount tree)
 *   lab-fsops ioc-reflink SRC DST   DST made by OCFS2_IOC_REFLINK (stock's:
 *                                   a new inode sharing data and xattr values)
 *   lab-fsops fragment FILE BYTES N N pieces of BYTES, a hole after each
 *   lab-fsops interleave A B BYTES N  N pieces of BYTES to A and B in turn
 *                                   (with resv_level=0 each piece of A gets
 *                                   its own extent: many refcount records)
 *   lab-fsops poke FILE BYTES STEP N  one byte into every STEP-th piece of
 *                                   BYTES (copy on write in a reflink)
 *   lab-fsops setquota DEV MNT user|group ID BSOFT BHARD ISOFT IHARD
 *                                   limits (space in KiB) through quotactl
 *   lab-fsops quotaon DEV user|group   enforce limits (a mount with
 *                                   usrquota/grpquota only counts usage)
 *   lab-fsops writeas UID GID FILE BYTES  write FILE as that user; exit 3
 *                                   when the quota stops it (EDQUOT)
 * Built on the host by the tools host drivers and added with --add.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/quota.h>
#include <sys/xattr.h>
#include <linux/fs.h>

static int set_xattr(const char *path, const char *name, long len)
{
	size_t nl = strlen(name);
	char *v;
	long i;
	int rc;

	if (len < 0 || len > 65536) {
		fprintf(stderr, "lab-fsops: bad length %ld\n", len);
		return 2;
	}
	v = malloc(len + 1);
	if (!v)
		return 1;
	/* a value that depends on the name, so a misplaced value shows */
	for (i = 0; i < len; i++)
		v[i] = (char)('a' + (name[i % nl] + i) % 26);
	rc = lsetxattr(path, name, v, len, 0);
	if (rc)
		perror(name);
	free(v);
	return rc ? 1 : 0;
}

static int set_many(const char *path, const char *prefix, long n)
{
	char name[256];
	long i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%ld", prefix, i);
		if (set_xattr(path, name, i * 5 + 1))
			return 1;
	}
	return 0;
}

/* Every other piece written: one extent each, more than an inode holds. */
static int fragment(const char *path, long bytes, long n)
{
	char *buf;
	long i;
	int fd, rc = 0;

	if (bytes <= 0 || bytes > (1L << 24) || n <= 0 || n > 100000) {
		fprintf(stderr, "lab-fsops: bad fragment size\n");
		return 2;
	}
	buf = calloc(1, bytes);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (!buf || fd < 0) {
		perror(path);
		free(buf);
		return 1;
	}
	for (i = 0; i < n && !rc; i++) {
		snprintf(buf, bytes, "%08ld", i);
		if (pwrite(fd, buf, bytes, i * 2 * bytes) != bytes) {
			perror("pwrite");
			rc = 1;
		}
	}
	close(fd);
	free(buf);
	return rc;
}

static int reflink(const char *src, const char *dst)
{
	int in, out, rc = 1;

	in = open(src, O_RDONLY);
	if (in < 0) {
		perror(src);
		return 1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		perror(dst);
		goto close_in;
	}
	if (ioctl(out, FICLONE, in)) {
		perror("FICLONE");
		goto close_out;
	}
	rc = 0;
close_out:
	close(out);
close_in:
	close(in);
	return rc;
}

static int interleave(const char *a, const char *b, long bytes, long n)
{
	char *buf;
	long i;
	int fa, fb, rc = 1;

	if (bytes <= 0 || bytes > (1L << 24) || n <= 0 || n > 1000000) {
		fprintf(stderr, "lab-fsops: bad interleave size\n");
		return 2;
	}
	buf = malloc(bytes);
	fa = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fb = open(b, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!buf || fa < 0 || fb < 0) {
		perror("interleave");
		goto out;
	}
	for (i = 0; i < n; i++) {
		memset(buf, 'a' + i % 26, bytes);
		if (pwrite(fa, buf, bytes, i * bytes) != bytes ||
		    pwrite(fb, buf, bytes, i * bytes) != bytes) {
			perror("pwrite");
			goto out;
		}
	}
	rc = 0;
out:
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	free(buf);
	return rc;
}

static int poke(const char *path, long bytes, long step, long n)
{
	long i;
	int fd, rc = 0;

	if (bytes <= 0 || step <= 0 || n <= 0) {
		fprintf(stderr, "lab-fsops: bad poke arguments\n");
		return 2;
	}
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < n && !rc; i++) {
		if (pwrite(fd, "P", 1, i * step * bytes) != 1) {
			perror("pwrite");
			rc = 1;
		}
	}
	close(fd);
	return rc;
}

static int set_quota(char **argv)
{
	struct dqblk dq = { 0 };
	int type = strcmp(argv[4], "group") ? USRQUOTA : GRPQUOTA;

	/* argv[3], the mount point, is for the reader of the scenario */
	dq.dqb_bsoftlimit = strtoull(argv[6], NULL, 0);
	dq.dqb_bhardlimit = strtoull(argv[7], NULL, 0);
	dq.dqb_isoftlimit = strtoull(argv[8], NULL, 0);
	dq.dqb_ihardlimit = strtoull(argv[9], NULL, 0);
	dq.dqb_valid = QIF_LIMITS;
	if (quotactl(QCMD(Q_SETQUOTA, type), argv[2],
		     strtol(argv[5], NULL, 0), (caddr_t)&dq)) {
		perror("quotactl");
		return 1;
	}
	return 0;
}

static int quota_on(const char *dev, const char *type)
{
	int t = strcmp(type, "group") ? USRQUOTA : GRPQUOTA;

	if (quotactl(QCMD(Q_QUOTAON, t), dev, 0, NULL)) {
		perror("quotactl Q_QUOTAON");
		return 1;
	}
	return 0;
}

static int write_as(uid_t uid, gid_t gid, const char *path, long bytes)
{
	char buf[65536] = { 'q' };
	long done = 0;
	int fd, rc = 0;

	if (setgid(gid) || setuid(uid)) {
		perror("setuid");
		return 1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		return errno == EDQUOT ? 3 : 1;
	}
	while (done < bytes && !rc) {
		long n = bytes - done > (long)sizeof(buf) ? (long)sizeof(buf) :
			 bytes - done;
		ssize_t w = write(fd, buf, n);

		/* a write cut short by the quota says so on the next one */
		if (w < 0) {
			rc = errno == EDQUOT ? 3 : 1;
			if (rc == 1)
				perror("write");
		} else {
			done += w;
		}
	}
	if (close(fd) && !rc)
		rc = errno == EDQUOT ? 3 : 1;
	return rc;
}

/* the ioctl's argument, as stock's ocfs2_ioctl.h lays it out */
struct lab_reflink_args {
	unsigned long long old_path;
	unsigned long long new_path;
	unsigned long long preserve;
};
#define LAB_IOC_REFLINK _IOW('o', 4, struct lab_reflink_args)

static int ioc_reflink(const char *src, const char *dst)
{
	struct lab_reflink_args a = {
		(unsigned long)src, (unsigned long)dst, 1
	};
	int fd = open(src, O_RDONLY), rc;

	if (fd < 0) {
		perror(src);
		return 1;
	}
	rc = ioctl(fd, LAB_IOC_REFLINK, &a);
	if (rc)
		perror("OCFS2_IOC_REFLINK");
	close(fd);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "quotaon"))
		return quota_on(argv[2], argv[3]);
	if (argc == 6 && !strcmp(argv[1], "writeas"))
		return write_as(strtol(argv[2], NULL, 0), strtol(argv[3], NULL, 0),
				argv[4], strtol(argv[5], NULL, 0));
	if (argc == 6 && !strcmp(argv[1], "interleave"))
		return interleave(argv[2], argv[3], strtol(argv[4], NULL, 0),
				  strtol(argv[5], NULL, 0));
	if (argc == 6 && !strcmp(argv[1], "poke"))
		return poke(argv[2], strtol(argv[3], NULL, 0),
			    strtol(argv[4], NULL, 0), strtol(argv[5], NULL, 0));
	if (argc == 10 && !strcmp(argv[1], "setquota"))
		return set_quota(argv);
	if (argc == 5 && !strcmp(argv[1], "xattr"))
		return set_xattr(argv[2], argv[3], strtol(argv[4], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "xattrs"))
		return set_many(argv[2], argv[3], strtol(argv[4], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "reflink"))
		return reflink(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "ioc-reflink"))
		return ioc_reflink(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "fragment"))
		return fragment(argv[2], strtol(argv[3], NULL, 0),
				strtol(argv[4], NULL, 0));
	fprintf(stderr, "usage: lab-fsops xattr PATH NAME LEN | xattrs PATH PREFIX N |\n"
		"       reflink SRC DST | ioc-reflink SRC DST | fragment FILE BYTES N |\n"
		"       interleave A B BYTES N | poke FILE BYTES STEP N |\n"
		"       setquota DEV MNT user|group ID BSOFT BHARD ISOFT IHARD |\n"
		"       quotaon DEV user|group | writeas UID GID FILE BYTES\n");
	return 2;
}
