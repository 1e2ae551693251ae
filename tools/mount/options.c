// SPDX-License-Identifier: GPL-2.0
/*
 * The -o string: generic options become mount(2) flags, as util-linux
 * mount would turn them; the rest is handed to the kernel's ocfs2 parser
 * untouched, in the order given.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "mount_ocfs2.h"

struct flag_opt {
	const char *name;
	unsigned long flag;
	bool clear;		/* the option turns the flag off */
};

static const struct flag_opt flag_opts[] = {
	{ "ro", MS_RDONLY, false },		{ "rw", MS_RDONLY, true },
	{ "nosuid", MS_NOSUID, false },		{ "suid", MS_NOSUID, true },
	{ "nodev", MS_NODEV, false },		{ "dev", MS_NODEV, true },
	{ "noexec", MS_NOEXEC, false },		{ "exec", MS_NOEXEC, true },
	{ "sync", MS_SYNCHRONOUS, false },	{ "async", MS_SYNCHRONOUS, true },
	{ "dirsync", MS_DIRSYNC, false },	{ "remount", MS_REMOUNT, false },
	{ "bind", MS_BIND, false },		{ "mand", MS_MANDLOCK, false },
	{ "nomand", MS_MANDLOCK, true },	{ "noatime", MS_NOATIME, false },
	{ "atime", MS_NOATIME, true },		{ "nodiratime", MS_NODIRATIME, false },
	{ "diratime", MS_NODIRATIME, true },	{ "relatime", MS_RELATIME, false },
	{ "norelatime", MS_RELATIME, true },	{ "strictatime", MS_STRICTATIME, false },
	{ "nostrictatime", MS_STRICTATIME, true }, { "lazytime", MS_LAZYTIME, false },
	{ "nolazytime", MS_LAZYTIME, true },	{ "silent", MS_SILENT, false },
	{ "loud", MS_SILENT, true },
};

/* Meaningful to mount(8), fstab or the boot scripts, never to the kernel. */
static const char *const user_only[] = {
	"defaults", "auto", "noauto", "user", "nouser", "users", "nousers",
	"owner", "noowner", "group", "nogroup", "_netdev", "nofail", "kudzu",
	"managed", "nopamconsole", "quiet",
};

static const char *const user_only_prefix[] = {
	"x-", "comment=", "loop=", "offset=", "encryption=", "speed=", "user=",
	"heartbeat=",
};

static bool is_user_only(const char *o)
{
	unsigned int i;

	for (i = 0; i < sizeof(user_only) / sizeof(user_only[0]); i++)
		if (!strcmp(o, user_only[i]))
			return true;
	for (i = 0; i < sizeof(user_only_prefix) / sizeof(user_only_prefix[0]); i++)
		if (!strncmp(o, user_only_prefix[i], strlen(user_only_prefix[i])))
			return true;
	return false;
}

static bool apply_flag(const char *o, unsigned long *flags)
{
	unsigned int i;

	for (i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++) {
		if (strcmp(o, flag_opts[i].name))
			continue;
		if (flag_opts[i].clear)
			*flags &= ~flag_opts[i].flag;
		else
			*flags |= flag_opts[i].flag;
		return true;
	}
	return false;
}

int mount_add_option(char **list, const char *name)
{
	size_t old = *list ? strlen(*list) : 0;
	char *n = realloc(*list, old + strlen(name) + 2);

	if (!n)
		return -ENOMEM;
	if (old)
		n[old++] = ',';
	strcpy(n + old, name);
	*list = n;
	return 0;
}

int mount_parse_options(const char *opts, struct mount_opts *mo)
{
	char *copy, *tok, *save = NULL;
	int ret = 0;

	if (!mo->fs_opts && !(mo->fs_opts = strdup("")))
		return -ENOMEM;
	if (!opts)
		return 0;
	copy = strdup(opts);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		if (apply_flag(tok, &mo->flags) || is_user_only(tok))
			continue;
		if (!strcmp(tok, "nocluster"))
			mo->nocluster = true;
		ret = mount_add_option(&mo->fs_opts, tok);
	}
	free(copy);
	return ret;
}
