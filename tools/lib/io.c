// SPDX-License-Identifier: GPL-2.0
/*
 * Block I/O on image files and block devices.  Devices are opened O_DIRECT
 * so that what we read is what the other nodes wrote; image files use the
 * page cache (tmpfs and friends refuse O_DIRECT) and are synced on close.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libocfs2.h"

#define IO_ALIGN 4096

void *io_alloc(size_t len)
{
	void *p;

	if (posix_memalign(&p, IO_ALIGN, len ? len : IO_ALIGN))
		return NULL;
	memset(p, 0, len);
	return p;
}

static int io_probe_size(struct ocfs2_io *io, const struct stat *st)
{
	if (!io->is_bdev) {
		io->size = st->st_size;
		io->sector_size = 512;
		return 0;
	}
	if (ioctl(io->fd, BLKGETSIZE64, &io->size) < 0)
		return -errno;
	if (ioctl(io->fd, BLKSSZGET, &io->sector_size) < 0)
		io->sector_size = 512;
	return 0;
}

int io_open(const char *path, bool writable, struct ocfs2_io **out)
{
	struct ocfs2_io *io;
	struct stat st;
	int flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC;
	int ret;

	io = calloc(1, sizeof(*io));
	if (!io)
		return -ENOMEM;
	if (stat(path, &st) < 0) {
		ret = -errno;
		goto fail;
	}
	io->is_bdev = S_ISBLK(st.st_mode);
	if (!io->is_bdev && !S_ISREG(st.st_mode)) {
		ret = -ENOTBLK;
		goto fail;
	}
	io->fd = open(path, flags | (io->is_bdev ? O_DIRECT : 0));
	if (io->fd < 0 && io->is_bdev && errno == EINVAL)
		io->fd = open(path, flags);
	else
		io->direct = io->is_bdev;
	if (io->fd < 0) {
		ret = -errno;
		goto fail;
	}
	io->writable = writable;
	io->blocksize = 512;
	ret = io_probe_size(io, &st);
	if (ret)
		goto fail_close;
	*out = io;
	return 0;
fail_close:
	close(io->fd);
fail:
	free(io);
	return ret;
}

void io_close(struct ocfs2_io *io)
{
	if (!io)
		return;
	if (io->writable)
		fsync(io->fd);
	close(io->fd);
	free(io);
}

void io_set_blocksize(struct ocfs2_io *io, unsigned int blocksize)
{
	io->blocksize = blocksize;
}

int io_pread(struct ocfs2_io *io, void *buf, size_t len, u64 off)
{
	size_t done = 0;
	ssize_t n;

	if (off > io->size || len > io->size - off)
		return -ESPIPE;	/* past the end: a truncated image */
	while (done < len) {
		n = pread(io->fd, (char *)buf + done, len - done, off + done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ESPIPE;
		done += n;
	}
	return 0;
}

int io_pwrite(struct ocfs2_io *io, const void *buf, size_t len, u64 off)
{
	size_t done = 0;
	ssize_t n;

	if (!io->writable)
		return -EROFS;
	while (done < len) {
		n = pwrite(io->fd, (const char *)buf + done, len - done,
			   off + done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += n;
	}
	return 0;
}

int io_read_blocks(struct ocfs2_io *io, u64 blkno, unsigned int count,
		   void *buf)
{
	return io_pread(io, buf, (size_t)count * io->blocksize,
			blkno * io->blocksize);
}

int io_write_blocks(struct ocfs2_io *io, u64 blkno, unsigned int count,
		    const void *buf)
{
	return io_pwrite(io, buf, (size_t)count * io->blocksize,
			 blkno * io->blocksize);
}

/* Zero a byte range, cheaply when the file or device can do it itself. */
int io_zero(struct ocfs2_io *io, u64 off, u64 len)
{
	const size_t chunk = 1 << 20;
	void *zeros;
	int ret = 0;

	if (!io->writable)
		return -EROFS;
	if (io->is_bdev) {
		u64 range[2] = { off, len };

		if (!ioctl(io->fd, BLKZEROOUT, range))
			return 0;
	} else if (!fallocate(io->fd, FALLOC_FL_PUNCH_HOLE |
			      FALLOC_FL_KEEP_SIZE, off, len)) {
		return 0;
	}
	zeros = io_alloc(chunk);
	if (!zeros)
		return -ENOMEM;
	while (len && !ret) {
		size_t n = len < chunk ? len : chunk;

		ret = io_pwrite(io, zeros, n, off);
		off += n;
		len -= n;
	}
	free(zeros);
	return ret;
}

int io_sync(struct ocfs2_io *io)
{
	return fsync(io->fd) ? -errno : 0;
}
