// SPDX-License-Identifier: GPL-2.0
/*
 * o2cb: edit the O2CB cluster configuration and register it with the
 * kernel, with the commands, options, messages and exit codes of the
 * ocfs2-tools utility of the same name.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "o2cb.h"

#define O2CB_VERSION "1.8.7-suite"

void o2cb_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "o2cb: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int o2cb_load(struct o2cb_ctx *ctx)
{
	int line = 0, ret = o2cb_config_read(ctx->config_file, &ctx->cfg, &line);

	if (ctx->verbose)
		printf("Using config file '%s'\n", ctx->config_file);
	if (ret == -EINVAL)
		o2cb_err("Syntax error at line %d of '%s'", line, ctx->config_file);
	else if (ret)
		o2cb_err("%s while reading '%s'", strerror(-ret), ctx->config_file);
	return ret;
}

int o2cb_save(struct o2cb_ctx *ctx)
{
	int ret = o2cb_config_write(ctx->config_file, &ctx->cfg);

	if (ret)
		o2cb_err("%s while writing '%s'", strerror(-ret), ctx->config_file);
	return ret;
}

/* In the order of stock's help text. */
static const struct o2cb_cmd *const cmd_tables[] = {
	o2cb_config_cmds, o2cb_cluster_cmds, o2cb_hb_cmds, o2cb_status_cmds,
};
#define NTABLES (sizeof(cmd_tables) / sizeof(cmd_tables[0]))

static void usage(FILE *f)
{
	const struct o2cb_cmd *c;
	unsigned int t;

	fprintf(f, "usage: o2cb [--config-file=path] [-h|--help] [-v|--verbose] "
		"[-V|--version] COMMAND [ARGS]\n\nThe commands are:\n");
	for (t = 0; t < NTABLES; t++)
		for (c = cmd_tables[t]; c->name; c++)
			fprintf(f, "  %-19s %s\n", c->name, c->help);
	fprintf(f, "\n");
}

static const struct o2cb_cmd *find_cmd(const char *name)
{
	const struct o2cb_cmd *c;
	unsigned int t;

	for (t = 0; t < NTABLES; t++)
		for (c = cmd_tables[t]; c->name; c++)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config-file", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct o2cb_ctx ctx = { .config_file = O2CB_CONFIG_FILE };
	const struct o2cb_cmd *cmd;
	int c, ret;

	/* in step with stderr, as stock's unbuffered output is */
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "+hvV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': ctx.config_file = optarg; break;
		case 'v': ctx.verbose = 1; break;
		case 'V': printf("o2cb version %s\n", O2CB_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	cmd = find_cmd(argv[optind]);
	if (!cmd) {
		o2cb_err("Unknown command '%s'", argv[optind]);
		usage(stderr);
		return 1;
	}
	ret = cmd->run(&ctx, argc - optind, argv + optind);
	o2cb_config_free(&ctx.cfg);
	return ret ? 1 : 0;
}
