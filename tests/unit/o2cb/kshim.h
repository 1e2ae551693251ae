/* SPDX-License-Identifier: GPL-2.0 */
/* Just enough of the kernel's vocabulary to build hb_slot.c in userspace. */
#ifndef O2CB_TEST_KSHIM_H
#define O2CB_TEST_KSHIM_H
#include <stdbool.h>
#include <stdint.h>
#include <endian.h>
#include <linux/types.h>
typedef uint16_t u16;
typedef uint64_t u64;
#define U16_MAX 0xffff
#define le64_to_cpu(x) le64toh(x)
#define cpu_to_le64(x) htole64(x)
#define le32_to_cpu(x) le32toh(x)
#define cpu_to_le32(x) htole32(x)
#endif
