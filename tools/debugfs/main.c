// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2: look inside an OCFS2 volume.  `-R cmd` runs one command,
 * `-f file` runs a command file, otherwise commands are read from stdin
 * with a "debugfs: " prompt.  Read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "debugfs.h"

#define PROG "debugfs.ocfs2"

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [-f cmdfile] [-R request] [-s backup#] [-V] [-w] [-n] [-?] [device]\n"
		"\t-f, --file <cmdfile>\tExecute commands in cmdfile\n"
		"\t-R, --request <command>\tExecute a single command\n"
		"\t-s, --superblock <backup#>\tOpen the device using a backup superblock\n"
		"\t-w, --write\t\tOpen in read-write mode (ignored: read-only)\n"
		"\t-n, --noprompt\t\tHide prompt\n"
		"\t-V, --version\t\tShow version\n", PROG);
	exit(status);
}

/*
 * Commands from a file (-f) or stdin, shaped as stock debugfs.ocfs2 shapes
 * them so scripted output compares: a file's commands are echoed after
 * "debugfs: "; stdin gets the prompt (unless -n) and, when it is not a
 * terminal, the echoed line; both end with an empty line at EOF.
 */
static int run_stream(FILE *in, bool from_file, bool prompt)
{
	bool echo = from_file || !isatty(fileno(in));
	char line[4096];
	int ret = 0;

	for (;;) {
		if (prompt && !from_file) {
			printf("debugfs: ");
			fflush(stdout);
		}
		if (!fgets(line, sizeof(line), in))
			break;
		line[strcspn(line, "\n")] = '\0';
		if (echo)
			printf("%s%s\n", from_file ? "debugfs: " : "", line);
		if (!strcmp(line, "quit") || !strcmp(line, "q"))
			return ret;
		ret = dbg_run(line);
	}
	printf("\n");
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "request", required_argument, NULL, 'R' },
		{ "superblock", required_argument, NULL, 's' },
		{ "write", no_argument, NULL, 'w' },
		{ "noprompt", no_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, '?' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cmdfile = NULL, *request = NULL;
	bool noprompt = false;
	int c, backup = 0, ret = 0;
	FILE *in;

	while ((c = getopt_long(argc, argv, "f:R:s:wnV?", opts, NULL)) != -1) {
		switch (c) {
		case 'f': cmdfile = optarg; break;
		case 'R': request = optarg; break;
		case 's':
			backup = atoi(optarg);
			if (backup < 1 || backup > OCFS2_MAX_BACKUP_SUPERBLOCKS) {
				fprintf(stderr, "%s: backup superblock number must be 1 to 6\n", PROG);
				return 1;
			}
			break;
		case 'w': dbg.writable = true; break;
		case 'n': noprompt = true; break;
		case 'V': printf("%s 1.8.7\n", PROG); return 0;
		case '?':
			usage(optopt ? 1 : 0);
			break;
		default: usage(1);
		}
	}
	if (!request)
		fprintf(stderr, "%s 1.8.7\n", PROG);
	if (optind < argc && dbg_open(argv[optind], backup) && request)
		return 1;
	if (request) {
		char *line = strdup(request);

		ret = line ? dbg_run(line) : 1;
		free(line);
	} else if (cmdfile) {
		in = fopen(cmdfile, "r");
		if (!in) {
			fprintf(stderr, "%s: cannot open %s\n", PROG, cmdfile);
			return 1;
		}
		ret = run_stream(in, true, false);
		fclose(in);
	} else {
		ret = run_stream(stdin, false, !noprompt);
	}
	dbg_close();
	return ret ? 1 : 0;
}
