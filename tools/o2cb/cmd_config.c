// SPDX-License-Identifier: GPL-2.0
/*
 * o2cb commands that only edit or list the configuration file: clusters,
 * nodes, heartbeat regions and the heartbeat mode.
 */
#include <arpa/inet.h>
#include <blkid/blkid.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "o2cb.h"

static int bad_usage(const char *usage)
{
	o2cb_err("usage: %s", usage);
	return -EINVAL;
}

static struct o2cb_stanza *known_cluster(struct o2cb_ctx *ctx, const char *name)
{
	struct o2cb_stanza *c = o2cb_find_cluster(&ctx->cfg, name);

	if (!c)
		o2cb_err("Unknown cluster '%s'", name);
	return c;
}

/* The common start of a command on one cluster: argument count, file, cluster. */
static struct o2cb_stanza *open_cluster(struct o2cb_ctx *ctx, int argc, char **argv,
					int want_argc, const char *usage, int *ret)
{
	struct o2cb_stanza *c;

	*ret = argc == want_argc ? o2cb_load(ctx) : bad_usage(usage);
	if (*ret)
		return NULL;
	c = known_cluster(ctx, argv[1]);
	if (!c)
		*ret = -ENOENT;
	return c;
}

static int update_node_count(struct o2cb_ctx *ctx, struct o2cb_stanza *c)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d",
		 o2cb_count_members(&ctx->cfg, "node", o2cb_stanza_get(c, "name")));
	return o2cb_stanza_set(c, "node_count", buf);
}

static int cmd_add_cluster(struct o2cb_ctx *ctx, int argc, char **argv)
{
	struct o2cb_stanza *c;
	int ret;

	if (argc != 2)
		return bad_usage("add-cluster <clustername>");
	ret = o2cb_valid_cluster_name(argv[1]);
	if (ret == -ENAMETOOLONG)
		o2cb_err("Cluster name is invalid ; max %d characters", O2CB_CLUSTER_NAME_MAX);
	else if (ret)
		o2cb_err("Cluster name is invalid ; only alpha-numeric characters allowed");
	if (ret || (ret = o2cb_load(ctx)))
		return ret;
	if (o2cb_find_cluster(&ctx->cfg, argv[1])) {
		/* ocfs2-tools says so and succeeds: scripts rely on it. */
		o2cb_err("Cluster '%s' already exists", argv[1]);
		return 0;
	}
	c = o2cb_stanza_add(&ctx->cfg, "cluster");
	if (!c || o2cb_stanza_set(c, "name", argv[1]) ||
	    o2cb_stanza_set(c, "heartbeat_mode", "local") ||
	    o2cb_stanza_set(c, "node_count", "0"))
		return -ENOMEM;
	return o2cb_save(ctx);
}

static int cmd_remove_cluster(struct o2cb_ctx *ctx, int argc, char **argv)
{
	static const char *const types[] = { "node", "heartbeat", NULL };
	struct o2cb_stanza *c, *s;
	int ret, t;

	c = open_cluster(ctx, argc, argv, 2, "remove-cluster <clustername>", &ret);
	if (!c)
		return ret;
	for (t = 0; types[t]; t++)
		while ((s = o2cb_next_of(&ctx->cfg, NULL, types[t], argv[1])))
			o2cb_stanza_remove(&ctx->cfg, s);
	o2cb_stanza_remove(&ctx->cfg, c);
	return o2cb_save(ctx);
}

/* The node's address: --ip as given (checked), else its name resolved. */
static int node_address(const char *node, const char *ip, char *out, size_t len)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res;
	struct in_addr a;
	int ret;

	if (ip) {
		if (inet_pton(AF_INET, ip, &a) != 1) {
			o2cb_err("Bad IP Address '%s'", ip);
			return -EINVAL;
		}
		snprintf(out, len, "%s", ip);
		return 0;
	}
	ret = getaddrinfo(node, NULL, &hints, &res);
	if (ret) {
		o2cb_err("%s, while looking up the IP address for '%s'",
			 gai_strerror(ret), node);
		return -EINVAL;
	}
	inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, out, len);
	freeaddrinfo(res);
	return 0;
}

static int lowest_free_number(struct o2cb_ctx *ctx, const char *cluster)
{
	char buf[8];
	int n;

	for (n = 0; n < O2CB_MAX_NODES; n++) {
		snprintf(buf, sizeof(buf), "%d", n);
		if (!o2cb_find_member(&ctx->cfg, "node", cluster, "number", buf))
			return n;
	}
	return -1;
}

struct node_args {
	const char *cluster, *name, *ip, *port, *number;
};

static int parse_node_args(int argc, char **argv, struct node_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		const char **slot = NULL;

		if (!strcmp(argv[i], "--ip"))
			slot = &a->ip;
		else if (!strcmp(argv[i], "--port"))
			slot = &a->port;
		else if (!strcmp(argv[i], "--number"))
			slot = &a->number;
		if (slot) {
			if (++i >= argc)
				return -EINVAL;
			*slot = argv[i];
		} else if (!a->cluster) {
			a->cluster = argv[i];
		} else if (!a->name) {
			a->name = argv[i];
		} else {
			return -EINVAL;
		}
	}
	return a->cluster && a->name ? 0 : -EINVAL;
}

static int parse_bounded(const char *s, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || end == s || *end || *out < lo || *out > hi ? -EINVAL : 0;
}

static int check_node_args(struct o2cb_ctx *ctx, struct node_args *a, int *number)
{
	char buf[16];
	long v;

	if (strlen(a->name) > O2CB_NODE_NAME_MAX || !*a->name) {
		o2cb_err("Node name is invalid ; max %d characters", O2CB_NODE_NAME_MAX);
		return -EINVAL;
	}
	if (a->port && parse_bounded(a->port, 1, 65535, &v)) {
		o2cb_err("Port should be >0 and <65536 but is %s", a->port);
		return -EINVAL;
	}
	if (o2cb_find_member(&ctx->cfg, "node", a->cluster, "name", a->name)) {
		o2cb_err("Node '%s' already exists", a->name);
		return -EEXIST;
	}
	if (!a->number) {
		*number = lowest_free_number(ctx, a->cluster);
		if (*number < 0) {
			o2cb_err("Cluster '%s' already has %d nodes", a->cluster, O2CB_MAX_NODES);
			return -ENOSPC;
		}
		return 0;
	}
	if (parse_bounded(a->number, 0, O2CB_MAX_NODES - 1, &v)) {
		o2cb_err("Nodenum should be >=0 and < %d but is %s", O2CB_MAX_NODES, a->number);
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%ld", v);
	if (o2cb_find_member(&ctx->cfg, "node", a->cluster, "number", buf)) {
		o2cb_err("Choose another node number as '%ld' is in use", v);
		return -EEXIST;
	}
	*number = v;
	return 0;
}

static int cmd_add_node(struct o2cb_ctx *ctx, int argc, char **argv)
{
	struct o2cb_stanza *c, *n;
	struct node_args a;
	char ip[INET_ADDRSTRLEN], num[8];
	int number, ret;

	if (parse_node_args(argc, argv, &a))
		return bad_usage("add-node <clustername> <nodename> [--ip <ip>] "
				 "[--port <port>] [--number <num>]");
	ret = o2cb_load(ctx);
	if (ret)
		return ret;
	c = known_cluster(ctx, a.cluster);
	if (!c)
		return -ENOENT;
	ret = check_node_args(ctx, &a, &number);
	if (!ret)
		ret = node_address(a.name, a.ip, ip, sizeof(ip));
	if (ret)
		return ret;
	snprintf(num, sizeof(num), "%d", number);
	n = o2cb_stanza_add(&ctx->cfg, "node");
	if (!n || o2cb_stanza_set(n, "cluster", a.cluster) ||
	    o2cb_stanza_set(n, "number", num) ||
	    o2cb_stanza_set(n, "ip_port", a.port ? a.port : "7777") ||
	    o2cb_stanza_set(n, "ip_address", ip) || o2cb_stanza_set(n, "name", a.name) ||
	    update_node_count(ctx, c))
		return -ENOMEM;
	return o2cb_save(ctx);
}

static int cmd_remove_node(struct o2cb_ctx *ctx, int argc, char **argv)
{
	struct o2cb_stanza *c, *n;
	int ret;

	c = open_cluster(ctx, argc, argv, 3, "remove-node <clustername> <nodename>", &ret);
	if (!c)
		return ret;
	n = o2cb_find_member(&ctx->cfg, "node", argv[1], "name", argv[2]);
	if (!n) {
		o2cb_err("Unknown node '%s'", argv[2]);
		return -ENOENT;
	}
	o2cb_stanza_remove(&ctx->cfg, n);
	if (update_node_count(ctx, c))
		return -ENOMEM;
	return o2cb_save(ctx);
}

/* A region is named by the volume UUID: 32 hex digits, upper case. */
static int region_name(const char *arg, char *out)
{
	const char *uuid = arg;
	char *probed = NULL;
	int i, j = 0;

	if (arg[0] == '/') {
		probed = blkid_get_tag_value(NULL, "UUID", arg);
		if (!probed) {
			o2cb_err("Unable to read the UUID of '%s'; is it an OCFS2 volume?", arg);
			return -ENODEV;
		}
		uuid = probed;
	}
	for (i = 0; uuid[i] && j < 32; i++) {
		if (uuid[i] == '-')
			continue;
		if (!isxdigit((unsigned char)uuid[i]))
			break;
		out[j++] = toupper((unsigned char)uuid[i]);
	}
	out[j] = '\0';
	i = j == 32 && (!uuid[i] || probed) ? 0 : -EINVAL;
	if (i)
		o2cb_err("'%s' is neither a volume UUID (32 hex digits) nor a device", arg);
	free(probed);
	return i;
}

static int cmd_heartbeat_edit(struct o2cb_ctx *ctx, int argc, char **argv, int add)
{
	struct o2cb_stanza *h;
	char region[33];
	int ret;

	if (argc != 3)
		return bad_usage(add ? "add-heartbeat <clustername> <uuid|device>" :
				 "remove-heartbeat <clustername> <uuid|device>");
	ret = o2cb_load(ctx);
	if (!ret && !known_cluster(ctx, argv[1]))
		ret = -ENOENT;
	if (!ret)
		ret = region_name(argv[2], region);
	if (ret)
		return ret;
	h = o2cb_find_member(&ctx->cfg, "heartbeat", argv[1], "region", region);
	if (add && h) {
		o2cb_err("Heartbeat region '%s' already exists", region);
		return -EEXIST;
	}
	if (!add && !h) {
		o2cb_err("Unknown heartbeat region '%s'", region);
		return -ENOENT;
	}
	if (!add) {
		o2cb_stanza_remove(&ctx->cfg, h);
		return o2cb_save(ctx);
	}
	h = o2cb_stanza_add(&ctx->cfg, "heartbeat");
	if (!h || o2cb_stanza_set(h, "cluster", argv[1]) ||
	    o2cb_stanza_set(h, "region", region))
		return -ENOMEM;
	return o2cb_save(ctx);
}

static int cmd_add_heartbeat(struct o2cb_ctx *ctx, int argc, char **argv)
{
	return cmd_heartbeat_edit(ctx, argc, argv, 1);
}

static int cmd_remove_heartbeat(struct o2cb_ctx *ctx, int argc, char **argv)
{
	return cmd_heartbeat_edit(ctx, argc, argv, 0);
}

static int cmd_heartbeat_mode(struct o2cb_ctx *ctx, int argc, char **argv)
{
	struct o2cb_stanza *c;
	int ret;

	if (argc == 3 && strcmp(argv[2], "local") && strcmp(argv[2], "global"))
		argc = 0;	/* a bad mode is a usage error */
	c = open_cluster(ctx, argc, argv, 3, "heartbeat-mode <clustername> {global|local}", &ret);
	if (!c)
		return ret;
	if (o2cb_stanza_set(c, "heartbeat_mode", argv[2]))
		return -ENOMEM;
	return o2cb_save(ctx);
}

static int cmd_list_clusters(struct o2cb_ctx *ctx, int argc, char **argv)
{
	struct o2cb_stanza *c = NULL;
	int ret;

	(void)argv;
	if (argc != 1)
		return bad_usage("list-clusters");
	ret = o2cb_load(ctx);
	if (ret)
		return ret;
	while ((c = o2cb_next_of(&ctx->cfg, c, "cluster", NULL)))
		printf("%s\n", o2cb_stanza_get(c, "name") ?: "");
	return 0;
}

static const char *get(const struct o2cb_stanza *s, const char *key)
{
	return o2cb_stanza_get(s, key) ?: "";
}

static void print_oneline(const struct o2cb_stanza *s)
{
	if (!strcmp(s->type, "heartbeat"))
		printf("heartbeat: %s %s\n", get(s, "region"), get(s, "cluster"));
	else if (!strcmp(s->type, "node"))
		printf("node: %s %s %s:%s %s\n", get(s, "number"), get(s, "name"),
		       get(s, "ip_address"), get(s, "ip_port"), get(s, "cluster"));
	else
		printf("cluster: %s %s %s\n", get(s, "node_count"),
		       get(s, "heartbeat_mode"), get(s, "name"));
}

/* list-cluster, list-nodes, list-heartbeats: WHAT is a mask of 1 heartbeats,
 * 2 nodes, 4 the cluster, printed in that order as ocfs2-tools does. */
static int list_members(struct o2cb_ctx *ctx, int argc, char **argv, int what,
			const char *usage)
{
	static const char *const types[] = { "heartbeat", "node", "cluster" };
	const char *cluster = NULL;
	struct o2cb_stanza *s;
	int oneline = 0, i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--oneline"))
			oneline = 1;
		else if (!cluster)
			cluster = argv[i];
		else
			return bad_usage(usage);
	}
	if (!cluster)
		return bad_usage(usage);
	ret = o2cb_load(ctx);
	if (ret)
		return ret;
	if (!known_cluster(ctx, cluster))
		return -ENOENT;
	for (i = 0; i < 3; i++) {
		if (!(what & (1 << i)))
			continue;
		for (s = NULL; (s = o2cb_next_of(&ctx->cfg, s, types[i], cluster));) {
			if (oneline)
				print_oneline(s);
			else
				o2cb_stanza_print(stdout, s, 1);
		}
	}
	return 0;
}

static int cmd_list_cluster(struct o2cb_ctx *ctx, int argc, char **argv)
{
	return list_members(ctx, argc, argv, 7, "list-cluster [--oneline] <clustername>");
}

static int cmd_list_nodes(struct o2cb_ctx *ctx, int argc, char **argv)
{
	return list_members(ctx, argc, argv, 2, "list-nodes [--oneline] <clustername>");
}

static int cmd_list_heartbeats(struct o2cb_ctx *ctx, int argc, char **argv)
{
	return list_members(ctx, argc, argv, 1, "list-heartbeats [--oneline] <clustername>");
}

const struct o2cb_cmd o2cb_config_cmds[] = {
	{ "add-cluster", "Add cluster to the config file.", cmd_add_cluster },
	{ "remove-cluster", "Removes cluster from the config file.", cmd_remove_cluster },
	{ "add-node", "Adds a node to the cluster in the config file.", cmd_add_node },
	{ "remove-node", "Removes a node from the cluster in the config file.", cmd_remove_node },
	{ "add-heartbeat", "Adds a heartbeat region to the cluster in the config file.",
	  cmd_add_heartbeat },
	{ "remove-heartbeat", "Removes a heartbeat region from the cluster in the config file.",
	  cmd_remove_heartbeat },
	{ "heartbeat-mode", "Toggles the heartbeat mode between global and local.",
	  cmd_heartbeat_mode },
	{ "list-clusters", "Lists all the cluster names in the config file.", cmd_list_clusters },
	{ "list-cluster", "Lists all the nodes and heartbeat regions associated with the "
	  "cluster in the config file.", cmd_list_cluster },
	{ "list-nodes", "Lists all the nodes associated with the cluster in the config file. ",
	  cmd_list_nodes },
	{ "list-heartbeats", "Lists all the heartbeat regions associated with the cluster "
	  "in the config file.", cmd_list_heartbeats },
	{ NULL, NULL, NULL }
};
