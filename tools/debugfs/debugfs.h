/* SPDX-License-Identifier: GPL-2.0 */
/* debugfs.ocfs2 internals: the open volume and the command table. */
#ifndef OCFS2_DEBUGFS_H
#define OCFS2_DEBUGFS_H

#include "ocfs2_print.h"

struct dbg {
	struct ocfs2_fs *fs;
	u64 cwd;
	bool writable;
};

extern struct dbg dbg;

int dbg_open(const char *device, int backup);
void dbg_close(void);
int dbg_run(char *line);
int dbg_logdump(struct ocfs2_fs *fs, int slot, FILE *out);
void dbg_err(const char *cmd, const char *what, int err);

#endif /* OCFS2_DEBUGFS_H */
