// SPDX-License-Identifier: GPL-2.0
/*
 * Lab helper (--add tests/stress/blk-probe): does every read reach the
 * disk and come back?  For SECONDS, every 500 ms, one 4 KiB O_DIRECT
 * read at a random place of each DEV, each in a child process of its
 * own so that a read that never completes holds up nothing else.  A
 * read still pending after 20 s is reported at once (a line on stdout,
 * and "lab-ctl virtio $NODE" when the lab offers it, so QEMU's view of
 * the queue is taken while the read hangs); later reads to the same
 * disk go on, and whether the stalled one ends after them is reported
 * too.  At the end: reads, stalls of 20 s or more, the longest read.
 *   blk-probe SECONDS DEV...
 * Exit status 0 when no read stalled, 1 when one did, 2 on bad usage.
 * O_DIRECT and pread: a new request every time (no page cache) and no
 * file position lock between readers.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/fs.h>
#include <time.h>
#include <unistd.h>

#define MAX_PENDING	256
#ifndef STALL_MS
#define STALL_MS	20000
#endif

struct probe {
	pid_t pid;
	int dev;
	long start;
	int stalled;
};

static struct probe pending[MAX_PENDING];
static int npending;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void hms(char *buf, size_t len)
{
	time_t t = time(NULL);

	strftime(buf, len, "%H:%M:%S", gmtime(&t));
}

/* the child: one read, exit 0 if it returned the whole block */
static void read_one(const char *dev, unsigned long long blocks)
{
	unsigned long long blk = ((unsigned long long)random() << 16 ^
				  random()) % blocks;
	void *buf;
	int fd;

	fd = open(dev, O_RDONLY | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, 4096, 4096))
		_exit(1);
	_exit(pread(fd, buf, 4096, blk * 4096) == 4096 ? 0 : 1);
}

static void device_side(void)
{
	const char *node = getenv("NODE");
	char cmd[64];

	if (!node)
		return;
	snprintf(cmd, sizeof(cmd), "lab-ctl virtio %s 2>/dev/null", node);
	if (system(cmd) < 0)
		perror("system");
}

int main(int argc, char **argv)
{
	unsigned long long blocks[16];
	long end, next = 0, longest = 0, t;
	unsigned long reads = 0, stalls = 0, failed = 0;
	int ndev = argc - 2, i, status;
	char when[16];

	if (argc < 3 || ndev > 16) {
		fprintf(stderr, "usage: blk-probe SECONDS DEV... (16 at most)\n");
		return 2;
	}
	for (i = 0; i < ndev; i++) {
		int fd = open(argv[i + 2], O_RDONLY);
		unsigned long long bytes = 0;

		if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes) || bytes < 4096) {
			fprintf(stderr, "blk-probe: %s: not a readable disk\n",
				argv[i + 2]);
			return 2;
		}
		close(fd);
		blocks[i] = bytes / 4096;
	}
	srandom(getpid());
	end = now_ms() + atol(argv[1]) * 1000L;
	while (now_ms() < end || npending) {
		t = now_ms();
		if (t < end && t >= next && npending + ndev <= MAX_PENDING) {
			for (i = 0; i < ndev; i++) {
				pid_t pid = fork();

				if (pid == 0)
					read_one(argv[i + 2], blocks[i]);
				if (pid < 0)
					break;
				pending[npending++] = (struct probe){
					pid, i, t, 0 };
				reads++;
			}
			next = t + 500;
		}
		for (i = 0; i < npending; i++) {
			struct probe *p = &pending[i];

			if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
				t = now_ms() - p->start;
				if (t > longest)
					longest = t;
				if (!WIFEXITED(status) || WEXITSTATUS(status))
					failed++;
				if (p->stalled) {
					hms(when, sizeof(when));
					printf("%s %s: the stalled read ended after %ld ms\n",
					       when, argv[p->dev + 2], t);
				}
				pending[i--] = pending[--npending];
				continue;
			}
			if (!p->stalled && now_ms() - p->start >= STALL_MS) {
				p->stalled = 1;
				stalls++;
				hms(when, sizeof(when));
				printf("%s %s: a read pending for %d s\n", when,
				       argv[p->dev + 2], STALL_MS / 1000);
				fflush(stdout);
				device_side();
			}
			/* past the end, a stalled read no longer holds us */
			if (p->stalled && now_ms() >= end + 30000) {
				kill(p->pid, SIGKILL);
				pending[i--] = pending[--npending];
			}
		}
		fflush(stdout);
		usleep(20000);
	}
	printf("blk-probe: %lu reads, %lu stalled 20 s or more, %lu failed, longest %ld ms\n",
	       reads, stalls, failed, longest);
	return stalls ? 1 : 0;
}
