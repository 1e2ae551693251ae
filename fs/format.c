// SPDX-License-Identifier: GPL-2.0
/*
 * The format code shared with the tools, built into the module: block
 * validators, metadata checksums and the directory/xattr name hashes.
 * Compiling the same sources here is what keeps the module and fsck in
 * agreement on what a valid block is.
 */
#include "ocfs2/validate.c"
#include "ocfs2/blockcheck.c"
#include "ocfs2/dx_hash.c"
#include "ocfs2/refcount_list.c"
