// SPDX-License-Identifier: GPL-2.0
/*
 * lab-hbghost: keep a dead node's o2cb heartbeat slot beating, as the
 * disk sees a node that died but was never fenced (its beats still
 * land).  Writes a valid heartbeat block for NODE into the region that
 * starts at START_BLOCK (blocks of BLOCK_BYTES) once a second, with a new
 * sequence number each time, for SECS seconds (default 600) or until the
 * file STOP exists.
 *
 * usage: lab-hbghost DEV START_BLOCK BLOCK_BYTES NODE [SECS [STOP]]
 * exit: 0 done, 1 I/O error, 2 usage
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ocfs2/o2hb_fmt.h"

/* reflected CRC32, no inversion: the kernel's crc32_le */
static uint32_t crc32_le(uint32_t crc, const unsigned char *p, size_t len)
{
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (crc & 1 ? 0xedb88320 : 0);
	}
	return crc;
}

static int beat(int fd, void *buf, size_t bytes, off_t off, unsigned int node,
		uint64_t seq, uint64_t gen)
{
	struct o2hb_disk_block *blk = buf;

	memset(buf, 0, bytes);
	blk->hb_seq = htole64(seq);
	blk->hb_node = node;
	blk->hb_generation = htole64(gen);
	blk->hb_cksum = htole32(crc32_le(0, buf, bytes));
	return pwrite(fd, buf, bytes, off) == (ssize_t)bytes ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned long long start;
	unsigned int node, bytes;
	const char *stop;
	uint64_t gen, seq;
	long secs, i;
	void *buf;
	int fd;

	if (argc < 5 || argc > 7) {
		fprintf(stderr, "usage: lab-hbghost DEV START_BLOCK BLOCK_BYTES NODE [SECS [STOP]]\n");
		return 2;
	}
	start = strtoull(argv[2], NULL, 0);
	bytes = strtoul(argv[3], NULL, 0);
	node = strtoul(argv[4], NULL, 0);
	secs = argc > 5 ? strtol(argv[5], NULL, 0) : 600;
	stop = argc > 6 ? argv[6] : NULL;
	if (bytes < sizeof(struct o2hb_disk_block) || bytes > 4096 || node > 254) {
		fprintf(stderr, "lab-hbghost: bad block size or node\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_DIRECT | O_SYNC);
	if (fd < 0 || posix_memalign(&buf, 4096, bytes)) {
		perror(argv[1]);
		return 1;
	}
	gen = ((uint64_t)time(NULL) << 20 ^ (uint64_t)getpid()) | 1;
	seq = (uint64_t)time(NULL);
	for (i = 0; i < secs; i++) {
		if (stop && access(stop, F_OK) == 0)
			break;
		if (beat(fd, buf, bytes, (off_t)(start + node) * bytes, node,
			 seq++, gen)) {
			perror("lab-hbghost: write");
			return 1;
		}
		sleep(1);
	}
	close(fd);
	return 0;
}
