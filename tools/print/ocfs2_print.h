/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared printer of on-disk structures (the e2p of this suite): field
 * names and layout as stock debugfs.ocfs2 prints them, used by debugfs,
 * fsck -v and tunefs -Q.
 */
#ifndef OCFS2_TOOLS_PRINT_H
#define OCFS2_TOOLS_PRINT_H

#include <stdio.h>
#include "libocfs2.h"

void ocfs2_print_super(FILE *f, struct ocfs2_fs *fs, bool header_only);
void ocfs2_print_inode(FILE *f, struct ocfs2_fs *fs,
		       struct ocfs2_dinode *di);
void ocfs2_print_extent_list(FILE *f, struct ocfs2_extent_list *el);
void ocfs2_print_extent_block(FILE *f, struct ocfs2_extent_block *eb);
void ocfs2_print_extent_tree(FILE *f, struct ocfs2_fs *fs,
			     struct ocfs2_extent_list *el);
void ocfs2_print_group(FILE *f, struct ocfs2_group_desc *gd);
void ocfs2_print_chains(FILE *f, struct ocfs2_fs *fs,
			struct ocfs2_dinode *di);
void ocfs2_print_jbd2_super(FILE *f, struct ocfs2_jbd2_superblock *jsb);
void ocfs2_print_uuid(char *out, const u8 *uuid);
void ocfs2_mode_string(u16 mode, char *out);
void ocfs2_feature_words(FILE *f, struct ocfs2_super_block *sb);

#endif /* OCFS2_TOOLS_PRINT_H */
