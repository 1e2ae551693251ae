/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel APIs of the two Debian kernels we build for
 * (6.1 and 6.12), kept here as small inline wrappers so that no .c file
 * carries a version #ifdef.
 */
#ifndef OCFS2_SUITE_KCOMPAT_H
#define OCFS2_SUITE_KCOMPAT_H

#include <linux/version.h>

#endif /* OCFS2_SUITE_KCOMPAT_H */
