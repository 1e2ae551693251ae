/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Metadata checksums (metaecc): a crc32 to detect damage and a Hamming code
 * to repair a single flipped bit.  Shared by the kernel and the tools.
 */
#ifndef OCFS2_FORMAT_BLOCKCHECK_H
#define OCFS2_FORMAT_BLOCKCHECK_H

#include <linux/types.h>
#include "ocfs2_fs.h"

u32 ocfs2_hamming_encode(u32 parity, const void *data, unsigned int d,
			 unsigned int nr);
void ocfs2_hamming_fix(void *data, unsigned int d, unsigned int nr,
		       unsigned int fix);
u32 ocfs2_hamming_encode_block(const void *data, unsigned int blocksize);
void ocfs2_hamming_fix_block(void *data, unsigned int blocksize,
			     unsigned int fix);

void ocfs2_block_check_compute(void *data, unsigned int blocksize,
			       struct ocfs2_block_check *bc);
int ocfs2_block_check_validate(void *data, unsigned int blocksize,
			       struct ocfs2_block_check *bc);

#endif /* OCFS2_FORMAT_BLOCKCHECK_H */
