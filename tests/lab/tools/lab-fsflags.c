// SPDX-License-Identifier: GPL-2.0
/*
 * lab-fsflags: the chattr flags of a file, through FS_IOC_GETFLAGS and
 * FS_IOC_SETFLAGS (the lab nodes have no e2fsprogs chattr/lsattr).
 *
 * usage: lab-fsflags FILE          print the flags as 0x%08x
 *        lab-fsflags FILE HEX      set them to HEX (all of them)
 * Exit 0 on success; 1 with the errno name on stderr on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, flags, ret;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: lab-fsflags FILE [HEX]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "lab-fsflags: open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (argc == 3) {
		flags = (int)strtoul(argv[2], NULL, 16);
		ret = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	} else {
		ret = ioctl(fd, FS_IOC_GETFLAGS, &flags);
		if (!ret)
			printf("0x%08x\n", flags);
	}
	if (ret) {
		fprintf(stderr, "lab-fsflags: %s %s: %s\n", argc == 3 ? "set" : "get",
			argv[1], strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
