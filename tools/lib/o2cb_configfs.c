// SPDX-License-Identifier: GPL-2.0
/*
 * Registering an o2cb cluster with the kernel's node manager through
 * configfs, and reading back what is registered.  The order of writes is
 * the ABI: a node's address and port before its number, all three before
 * its "local" flag, and the local node only after every other node exists.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "o2cb_configfs.h"

int o2cb_read_attr(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int o2cb_write_attr(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY), ret = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(value))
		ret = -EIO;
	close(fd);
	return ret;
}

enum o2cb_stack_state o2cb_stack_state(void)
{
	struct stat st;

	if (stat(O2CB_CONFIGFS_ROOT, &st) || access(O2CB_CONFIGFS_ROOT "/.", F_OK))
		return O2CB_NO_CONFIGFS;
	if (stat(O2CB_CLUSTER_DIR, &st)) {
		/* configfs present but empty: is it mounted at all? */
		DIR *d = opendir(O2CB_CONFIGFS_ROOT);
		int entries = 0;
		struct dirent *de;

		if (d) {
			while ((de = readdir(d)))
				entries += de->d_name[0] != '.';
			closedir(d);
		}
		return entries || !access(O2CB_REVISION_FILE, F_OK) ?
			O2CB_NO_MODULE : O2CB_NO_CONFIGFS;
	}
	return O2CB_READY;
}

const char *o2cb_stack_state_hint(enum o2cb_stack_state st)
{
	switch (st) {
	case O2CB_NO_CONFIGFS:
		return "configfs is not mounted on " O2CB_CONFIGFS_ROOT
		       " (mount -t configfs none " O2CB_CONFIGFS_ROOT
		       ", or 'o2cb.init online')";
	case O2CB_NO_MODULE:
		return "the o2cb node manager is not loaded "
		       "(modprobe ocfs2_nodemanager, or 'o2cb.init online')";
	default:
		return "the o2cb stack is loaded";
	}
}

int o2cb_active_cluster(char *name, size_t len)
{
	DIR *d = opendir(O2CB_CLUSTER_DIR);
	struct dirent *de;
	int ret = -ENOENT;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(name, len, "%s", de->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

static int node_path(char *buf, size_t len, const char *cluster,
		     const char *node, const char *attr)
{
	int n = snprintf(buf, len, O2CB_CLUSTER_DIR "/%s/node/%s%s%s", cluster,
			 node, attr ? "/" : "", attr ? attr : "");

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Create one node's directory and attributes; -EEXIST if it exists. */
static int add_node(const char *cluster, const struct o2cb_stanza *node)
{
	/* The node manager takes num only once address and port are set. */
	static const char *const attrs[][2] = {
		{ "ipv4_address", "ip_address" }, { "ipv4_port", "ip_port" },
		{ "num", "number" },
	};
	const char *name = o2cb_stanza_get(node, "name"), *v;
	char path[512];
	unsigned int i;
	int ret;

	if (!name)
		return -EINVAL;
	ret = node_path(path, sizeof(path), cluster, name, NULL);
	if (ret)
		return ret;
	if (mkdir(path, 0755))
		return -errno;
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		v = o2cb_stanza_get(node, attrs[i][1]);
		if (!v && !strcmp(attrs[i][0], "ipv4_port"))
			v = "7777";
		if (!v)
			ret = -EINVAL;
		if (!ret)
			ret = node_path(path, sizeof(path), cluster, name, attrs[i][0]);
		if (!ret)
			ret = o2cb_write_attr(path, v);
		if (ret)
			goto undo;
	}
	return 0;
undo:
	node_path(path, sizeof(path), cluster, name, NULL);
	rmdir(path);
	return ret;
}

/* Remove configfs nodes that the configuration no longer lists. */
static int prune_nodes(const struct o2cb_config *cfg, const char *cluster)
{
	char path[512];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/node", cluster);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    o2cb_find_member(cfg, "node", cluster, "name", de->d_name))
			continue;
		node_path(path, sizeof(path), cluster, de->d_name, NULL);
		if (rmdir(path) && !ret)
			ret = -errno;
	}
	closedir(d);
	return ret;
}

static int set_local(const char *cluster, const char *node)
{
	char path[512], cur[16];
	int ret = node_path(path, sizeof(path), cluster, node, "local");

	if (ret)
		return ret;
	if (!o2cb_read_attr(path, cur, sizeof(cur)) && !strcmp(cur, "1"))
		return 0;
	return o2cb_write_attr(path, "1");
}

bool o2cb_is_local_node(const char *name)
{
	struct utsname u;

	return !uname(&u) && !strcmp(u.nodename, name);
}

int o2cb_configfs_add_cluster(const char *cluster)
{
	char path[512];

	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s", cluster);
	return mkdir(path, 0755) ? -errno : 0;
}

int o2cb_configfs_add_node(const char *cluster, const struct o2cb_stanza *node,
			   bool local)
{
	int ret = add_node(cluster, node);

	if (ret || !local)
		return ret;
	return set_local(cluster, o2cb_stanza_get(node, "name"));
}

int o2cb_configfs_del_node(const char *cluster, const char *node)
{
	char path[512];
	int ret = node_path(path, sizeof(path), cluster, node, NULL);

	if (ret)
		return ret;
	return rmdir(path) ? -errno : 0;
}

static int set_heartbeat_mode(const struct o2cb_config *cfg, const char *cluster)
{
	const struct o2cb_stanza *c = o2cb_find_cluster(cfg, cluster);
	const char *mode = c ? o2cb_stanza_get(c, "heartbeat_mode") : NULL;
	char path[512], cur[16];

	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/heartbeat/mode", cluster);
	if (!mode)
		mode = "local";
	if (!o2cb_read_attr(path, cur, sizeof(cur)) && !strcmp(cur, mode))
		return 0;
	return o2cb_write_attr(path, mode);
}

int o2cb_register(const struct o2cb_config *cfg, const char *cluster,
		  int *local_node)
{
	const struct o2cb_stanza *node = NULL, *local = NULL;
	struct utsname u;
	char path[512];
	int ret;

	*local_node = -1;
	if (!o2cb_find_cluster(cfg, cluster))
		return -ENOENT;
	if (uname(&u))
		return -errno;
	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s", cluster);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	ret = set_heartbeat_mode(cfg, cluster);
	if (ret)
		return ret;
	while ((node = o2cb_next_of(cfg, (struct o2cb_stanza *)node, "node", cluster))) {
		const char *name = o2cb_stanza_get(node, "name");

		if (name && !strcmp(name, u.nodename))
			local = node;
		ret = add_node(cluster, node);
		if (ret && ret != -EEXIST)
			return ret;
	}
	ret = prune_nodes(cfg, cluster);
	if (ret || !local)
		return ret;
	*local_node = atoi(o2cb_stanza_get(local, "number") ?: "-1");
	return set_local(cluster, o2cb_stanza_get(local, "name"));
}

int o2cb_unregister(const char *cluster)
{
	struct o2cb_config empty = { NULL };
	char path[512];
	int ret;

	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s", cluster);
	if (access(path, F_OK))
		return -ENOENT;
	ret = prune_nodes(&empty, cluster);
	if (ret)
		return ret;
	return rmdir(path) ? -errno : 0;
}

/* The local node, or -ENOENT: without one this node does not listen. */
int o2cb_local_node(const char *cluster, char *name, size_t len)
{
	char path[512], v[8];
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/node", cluster);
	d = opendir(path);
	while (d && ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), O2CB_CLUSTER_DIR "/%s/node/%s/local",
			 cluster, de->d_name);
		if (!o2cb_read_attr(path, v, sizeof(v)) && !strcmp(v, "1")) {
			snprintf(name, len, "%s", de->d_name);
			ret = 0;
		}
	}
	if (d)
		closedir(d);
	return ret;
}
