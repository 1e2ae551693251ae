/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's <linux/crc32.h>: the little-endian
 * CRC32 (polynomial 0xedb88320) that metaecc and o2hb use, from libocfs2.
 */
#ifndef OCFS2_TOOLS_LINUX_CRC32_H
#define OCFS2_TOOLS_LINUX_CRC32_H

#include <linux/types.h>

u32 crc32_le(u32 crc, const unsigned char *p, size_t len);

#endif /* OCFS2_TOOLS_LINUX_CRC32_H */
