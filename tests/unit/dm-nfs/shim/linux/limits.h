/* Userspace stand-in for <linux/limits.h>: the kernel's U32_MAX, LLONG_MAX. */
#ifndef SHIM_LINUX_LIMITS_H
#define SHIM_LINUX_LIMITS_H
#include <limits.h>
#include <stdint.h>
#define U32_MAX UINT32_MAX
#endif
