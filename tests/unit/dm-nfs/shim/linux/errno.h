/* Userspace stand-in for <linux/errno.h>: the uapi errno values. */
#include <asm-generic/errno.h>
