/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel APIs of the two Debian kernels we build for
 * (6.1 and 6.12), kept here as small inline wrappers so that no .c file
 * carries a version #ifdef.
 */
#ifndef OCFS2_SUITE_KCOMPAT_H
#define OCFS2_SUITE_KCOMPAT_H

#include <linux/version.h>

/*
 * sysctl tables: 6.1's register_sysctl() walks to an empty entry; from
 * 6.6 it is sized by ARRAY_SIZE and 6.12 rejects the empty entry.  End
 * every table with KC_SYSCTL_TABLE_END.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define KC_SYSCTL_TABLE_END	{ }
#else
#define KC_SYSCTL_TABLE_END
#endif

#endif /* OCFS2_SUITE_KCOMPAT_H */

/*
 * Wrappers for users of <linux/device-mapper.h>: include this header after
 * it.  Kept outside the include guard so a later inclusion still adds them.
 */
#if defined(_LINUX_DEVICE_MAPPER_H) && !defined(KCOMPAT_DM_WRAPPERS)
#define KCOMPAT_DM_WRAPPERS

/* dm_table_get_mode() gives an fmode_t before 6.5 and a blk_mode_t after. */
static inline bool kc_dm_table_writable(struct dm_table *t)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return dm_table_get_mode(t) & BLK_OPEN_WRITE;
#else
	return dm_table_get_mode(t) & FMODE_WRITE;
#endif
}

#endif /* _LINUX_DEVICE_MAPPER_H && !KCOMPAT_DM_WRAPPERS */
