/*
 * Test shim for test-o2cb-ctl-ops.sh: the stock o2cb_ctl insists that
 * /sys/kernel/config is configfs (statfs magic); in the test's private
 * mount namespace it is a tmpfs, so report the configfs magic for it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include <sys/vfs.h>

int statfs(const char *path, struct statfs *buf)
{
	int (*real)(const char *, struct statfs *) = dlsym(RTLD_NEXT, "statfs");
	int ret = real(path, buf);

	if (!ret && !strncmp(path, "/sys/kernel/config", 18))
		buf->f_type = 0x62656570;
	return ret;
}
int statfs64(const char *path, struct statfs64 *buf)
{
	int (*real)(const char *, struct statfs64 *) = dlsym(RTLD_NEXT, "statfs64");
	int ret = real(path, buf);

	if (!ret && !strncmp(path, "/sys/kernel/config", 18))
		buf->f_type = 0x62656570;
	return ret;
}
