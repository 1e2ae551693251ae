/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Name hashes of the on-disk format: the ext3-style TEA hash that orders
 * indexed-directory entries, and the rotate-xor hash used for the volume
 * uuid (s_uuid_hash) and xattr names.  Shared by the kernel and the tools.
 */
#ifndef OCFS2_FORMAT_DX_HASH_H
#define OCFS2_FORMAT_DX_HASH_H

#include <linux/types.h>

struct ocfs2_dx_hinfo {
	u32 major_hash;
	u32 minor_hash;
};

/* @seed: s_dx_seed[0..2] then s_uuid_hash, all in cpu order. */
void ocfs2_dx_name_hash(const u32 seed[4], const char *name, int len,
			struct ocfs2_dx_hinfo *hinfo);
u32 ocfs2_name_hash(u32 seed, const u8 *name, int len);

#endif /* OCFS2_FORMAT_DX_HASH_H */
