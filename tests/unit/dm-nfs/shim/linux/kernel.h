/*
 * Userspace stand-in for <linux/kernel.h>: kstrtoull() with the kernel's
 * rules for base 10 (digits, one optional trailing newline, -ERANGE on
 * overflow, -EINVAL otherwise).
 */
#ifndef SHIM_LINUX_KERNEL_H
#define SHIM_LINUX_KERNEL_H
#include <linux/errno.h>
#include <linux/types.h>

static inline int kstrtoull(const char *s, unsigned int base,
			    unsigned long long *res)
{
	unsigned long long v = 0;
	const char *p = s;

	if (base != 10 || !*p)
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = *p - '0';

		if (v > (~0ULL - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (p == s || (*p && !(p[0] == '\n' && !p[1])))
		return -EINVAL;
	*res = v;
	return 0;
}
#endif
