// SPDX-License-Identifier: GPL-2.0
/*
 * lab-appendio: O_APPEND|O_DIRECT records from several nodes into one
 * file, and the check that every record arrived whole, for the cluster
 * append-dio scenario.
 *
 *   lab-appendio write FILE TAG COUNT
 *        append COUNT records of 4096 bytes with O_APPEND|O_DIRECT (one
 *        write each); record i of TAG starts "TAG i\n" and is filled
 *        with one byte derived from TAG and i.
 *   lab-appendio check FILE COUNT TAG...
 *        read FILE: its size must be a whole number of records, every
 *        record intact (header and fill agree), and each TAG's records
 *        0..COUNT-1 present exactly once.  Prints a summary; exit 1 on
 *        the first problem (torn, unknown, duplicate or missing record).
 * TAG is a short word without spaces (the node's name).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REC 4096
#define MAXTAGS 16

static unsigned char fill_byte(const char *tag, long i)
{
	unsigned int h = 5381;

	while (*tag)
		h = h * 33 + (unsigned char)*tag++;
	return 'A' + (h + i) % 26;
}

static void make_record(unsigned char *rec, const char *tag, long i)
{
	int n = snprintf((char *)rec, REC, "%s %ld\n", tag, i);

	memset(rec + n, fill_byte(tag, i), REC - n);
}

static int do_write(const char *file, const char *tag, long count)
{
	unsigned char *rec;
	long i;
	int fd;

	if (posix_memalign((void **)&rec, REC, REC))
		return 2;
	fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_DIRECT, 0644);
	if (fd < 0) {
		fprintf(stderr, "lab-appendio: open %s: %s\n", file, strerror(errno));
		return 2;
	}
	for (i = 0; i < count; i++) {
		ssize_t n;

		make_record(rec, tag, i);
		n = write(fd, rec, REC);
		if (n != REC) {
			fprintf(stderr, "lab-appendio: record %ld: wrote %zd: %s\n",
				i, n, n < 0 ? strerror(errno) : "short");
			return 1;
		}
	}
	if (close(fd)) {
		fprintf(stderr, "lab-appendio: close: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

/* Which record @rec is: its tag's index and number, or -1 if torn. */
static int parse_record(const unsigned char *rec, char **tags, int ntags,
			long count, long *num)
{
	unsigned char want[REC];
	char tag[64];
	int t;

	if (sscanf((const char *)rec, "%63s %ld", tag, num) != 2)
		return -1;
	for (t = 0; t < ntags; t++)
		if (!strcmp(tag, tags[t]))
			break;
	if (t == ntags || *num < 0 || *num >= count)
		return -1;
	make_record(want, tags[t], *num);
	return memcmp(want, rec, REC) ? -1 : t;
}

static int do_check(const char *file, long count, char **tags, int ntags)
{
	unsigned char rec[REC];
	char *seen;
	long off = 0, num, total = 0;
	ssize_t n;
	int fd, t;

	seen = calloc((size_t)ntags * count, 1);
	fd = open(file, O_RDONLY);
	if (!seen || fd < 0) {
		fprintf(stderr, "lab-appendio: open %s: %s\n", file, strerror(errno));
		return 2;
	}
	while ((n = pread(fd, rec, REC, off)) == REC) {
		t = parse_record(rec, tags, ntags, count, &num);
		if (t < 0) {
			printf("torn or unknown record at offset %ld: %.40s\n", off, rec);
			return 1;
		}
		if (seen[t * count + num]++) {
			printf("record %s %ld twice (again at offset %ld)\n",
			       tags[t], num, off);
			return 1;
		}
		total++;
		off += REC;
	}
	if (n != 0) {
		printf("file ends with a partial record at offset %ld (%zd bytes)\n",
		       off, n);
		return 1;
	}
	for (t = 0; t < ntags; t++)
		for (num = 0; num < count; num++)
			if (!seen[t * count + num]) {
				printf("record %s %ld missing\n", tags[t], num);
				return 1;
			}
	printf("%ld records of %d bytes, every one whole, each of %d writers' %ld present once\n",
	       total, REC, ntags, count);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "write"))
		return do_write(argv[2], argv[3], atol(argv[4]));
	if (argc >= 5 && argc - 4 < MAXTAGS && !strcmp(argv[1], "check"))
		return do_check(argv[2], atol(argv[3]), argv + 4, argc - 4);
	fprintf(stderr, "usage: lab-appendio write FILE TAG COUNT\n"
		"       lab-appendio check FILE COUNT TAG...\n");
	return 2;
}
