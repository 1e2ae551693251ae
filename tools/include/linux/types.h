/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's <linux/types.h>, so that the shared
 * format headers under include/ocfs2/ compile unchanged in the tools.  The
 * system header already gives __u32/__le32; we add what only the kernel has.
 */
#ifndef OCFS2_TOOLS_LINUX_TYPES_H
#define OCFS2_TOOLS_LINUX_TYPES_H

#include_next <linux/types.h>
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

/* one-argument form, as the kernel allows; the message is the condition */
#undef static_assert
#define static_assert(expr, ...) ocfs2_static_assert_(expr, ##__VA_ARGS__, #expr)
#define ocfs2_static_assert_(expr, msg, ...) _Static_assert(expr, msg)

#ifndef __packed
#define __packed __attribute__((packed))
#endif

#endif /* OCFS2_TOOLS_LINUX_TYPES_H */
