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
int dbg_need_fs(const char *cmd);
int dbg_resolve(const char *cmd, const char *spec, u64 *ino);
struct ocfs2_dinode *dbg_read_inode(const char *cmd, u64 ino);
struct ocfs2_dinode *dbg_read_dir_inode(const char *cmd, u64 ino);
int dbg_copy_out(const char *cmd, u64 ino, int fd);

/* find.c */
int dbg_inode_args(int argc, char **argv, int max, u64 *out);
int dbg_inode_spec(int argc, char **argv, u64 *ino);
int dbg_cmd_decode(int argc, char **argv);
int dbg_cmd_encode(int argc, char **argv);
int dbg_cmd_bmap(int argc, char **argv);
int dbg_cmd_frag(int argc, char **argv);
int dbg_cmd_findpath(int argc, char **argv);
int dbg_cmd_locate(int argc, char **argv);
int dbg_cmd_icheck(int argc, char **argv);

/* dx.c */
int dbg_cmd_dx_root(int argc, char **argv);
int dbg_cmd_dx_leaf(int argc, char **argv);
int dbg_cmd_dx_dump(int argc, char **argv);
int dbg_cmd_dx_space(int argc, char **argv);
void dbg_print_dir_trailer(const void *block);

/* blocks.c */
int dbg_cmd_dirblocks(int argc, char **argv);
int dbg_cmd_grpextents(int argc, char **argv);
int dbg_cmd_hb(int argc, char **argv);

/* rdump.c */
int dbg_cmd_rdump(int argc, char **argv);

/* refcount.c */
int dbg_cmd_refcount(int argc, char **argv);

/* xattr.c */
int dbg_cmd_xattr(int argc, char **argv);

/* fs_locks.c */
int dbg_cmd_fs_locks(int argc, char **argv);

#endif /* OCFS2_DEBUGFS_H */
