/* SPDX-License-Identifier: GPL-2.0 */
/* o2cb: shared state of the command-line tool and its command table. */
#ifndef O2CB_TOOL_H
#define O2CB_TOOL_H

#include "o2cb_config.h"

struct o2cb_ctx {
	const char *config_file;
	int verbose;
	struct o2cb_config cfg;
};

struct o2cb_cmd {
	const char *name;
	const char *help;
	int (*run)(struct o2cb_ctx *ctx, int argc, char **argv);
};

extern const struct o2cb_cmd o2cb_config_cmds[];
extern const struct o2cb_cmd o2cb_cluster_cmds[];
extern const struct o2cb_cmd o2cb_hb_cmds[];
extern const struct o2cb_cmd o2cb_status_cmds[];

void o2cb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int o2cb_load(struct o2cb_ctx *ctx);
int o2cb_save(struct o2cb_ctx *ctx);

#endif
