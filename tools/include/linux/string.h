/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel's <linux/string.h>. */
#ifndef OCFS2_TOOLS_LINUX_STRING_H
#define OCFS2_TOOLS_LINUX_STRING_H

#include <string.h>

#endif /* OCFS2_TOOLS_LINUX_STRING_H */
