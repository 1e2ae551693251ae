/* Userspace stand-in for <linux/types.h>, enough for dm-nfs-args.c. */
#ifndef SHIM_LINUX_TYPES_H
#define SHIM_LINUX_TYPES_H
#include <stdbool.h>
#include <stdint.h>
typedef uint64_t u64;
typedef uint32_t u32;
typedef u64 sector_t;
#endif
