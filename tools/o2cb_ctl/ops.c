// SPDX-License-Identifier: GPL-2.0
/*
 * The o2cb_ctl operations over the configuration: -I lists, -C creates,
 * -D deletes, -H changes (cluster name, online=yes|no).  Objects are
 * looked up in the file; a node may also be named by its number.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "o2cb_configfs.h"
#include "o2cb_ctl.h"
#include "o2cb_hb.h"

#define PROGNAME "o2cb_ctl"

/*
 * Why a change to the running cluster failed, in stock's words: stock
 * names a few errors and calls any other (a value the node manager
 * refused, a second cluster) an internal failure.
 */
static const char *cfs_strerror(int err)
{
	const char *s = o2cb_service_strerror(err);

	if (s)
		return s;
	switch (-err) {
	case EISDIR:
		return o2cb_service_strerror(-ENOENT);
	case ENOMEM:
		return "Memory allocation failed";
	case EIO:
		return "I/O error on channel";
	default:
		return "Internal logic failure";
	}
}

int ctl_load(struct ctl *c)
{
	int line = 0;

	if (!o2cb_config_read(c->config_file, &c->cfg, &line))
		return 0;
	fprintf(stderr, PROGNAME ": Unable to load cluster configuration file \"%s\"\n",
		c->config_file);
	return -EIO;
}

int ctl_store(struct ctl *c)
{
	int ret = o2cb_config_write(c->config_file, &c->cfg);

	if (ret)
		fprintf(stderr, PROGNAME ": Unable to store cluster configuration file "
			"\"%s\": %s\n", c->config_file, strerror(-ret));
	return ret;
}

const char *ctl_attr(const struct ctl *c, const char *name)
{
	int i;

	for (i = 0; i < c->nattrs; i++)
		if (!strcmp(c->attrs[i].name, name))
			return c->attrs[i].value;
	return NULL;
}

bool ctl_has_attr(const struct ctl *c, const char *name)
{
	int i;

	for (i = 0; i < c->nattrs; i++)
		if (!strcmp(c->attrs[i].name, name))
			return true;
	return false;
}

static bool valid_attr(enum ctl_type t, const char *name)
{
	static const char *const cluster_attrs[] = { "name", "online", NULL };
	static const char *const node_attrs[] = {
		"name", "cluster", "number", "ip_address", "ip_port", NULL
	};
	const char *const *a = t == TYPE_CLUSTER ? cluster_attrs : node_attrs;

	if (t == TYPE_NONE)
		return false;	/* not known yet: nothing is valid */
	for (; *a; a++)
		if (!strcmp(*a, name))
			return true;
	return false;
}

static int validate_attrs(const struct ctl *c)
{
	int i;

	for (i = 0; i < c->nattrs; i++) {
		if (!valid_attr(c->type, c->attrs[i].name)) {
			fprintf(stderr, PROGNAME ": Invalid attribute: \"%s\"\n",
				c->attrs[i].name);
			return -EINVAL;
		}
	}
	return 0;
}

/* The node called NAME (or numbered NAME) in any cluster. */
static struct o2cb_stanza *find_node(const struct ctl *c, const char *name)
{
	struct o2cb_stanza *s;

	for (s = c->cfg.head; s; s = s->next) {
		const char *n = o2cb_stanza_get(s, "name"), *num = o2cb_stanza_get(s, "number");

		if (strcmp(s->type, "node"))
			continue;
		if ((n && !strcmp(n, name)) || (num && !strcmp(num, name)))
			return s;
	}
	return NULL;
}

int ctl_resolve(struct ctl *c)
{
	struct o2cb_stanza *s;
	const char *want = c->type == TYPE_CLUSTER ? "cluster" : "node";

	if (c->nobjects && !c->type) {
		if (o2cb_find_cluster(&c->cfg, c->objects[0]))
			c->type = TYPE_CLUSTER;
		else if (find_node(c, c->objects[0]))
			c->type = TYPE_NODE;
		else
			return -ENOENT;
		return 0;
	}
	if (c->nobjects)
		return 0;
	for (s = c->cfg.head; s; s = s->next) {
		if (strcmp(s->type, want) || c->nobjects == O2CB_CTL_MAX_ITEMS)
			continue;
		c->objects[c->nobjects++] = o2cb_stanza_get(s, "name") ?: "";
	}
	return 0;
}

/* ---- -I ---- */

static const char *node_status(const struct o2cb_stanza *n)
{
	(void)n;
	return "configured";
}

static int info_clusters(const struct ctl *c)
{
	const struct o2cb_stanza *s;
	int i;

	if (c->compact)
		printf("#name:count:status\n");
	for (i = 0; i < c->nobjects; i++) {
		s = o2cb_find_cluster(&c->cfg, c->objects[i]);
		if (!s) {
			fprintf(stderr, "Cluster \"%s\" does not exist\n", c->objects[i]);
			return -ENOENT;
		}
		printf(c->compact ? "%s:%d:%s\n" :
		       "cluster:\n\tname = %s\n\tnode_count = %d\n\tstatus = %s\n\n",
		       c->objects[i], o2cb_count_members(&c->cfg, "node", c->objects[i]),
		       "configured");
	}
	return 0;
}

static int info_nodes(const struct ctl *c)
{
	const struct o2cb_stanza *s;
	int i;

	if (c->compact)
		printf("#name:cluster:number:ip_address:ip_port:status\n");
	for (i = 0; i < c->nobjects; i++) {
		/* by name only, though the type was found by number too */
		s = o2cb_find_member(&c->cfg, "node", NULL, "name", c->objects[i]);
		if (!s) {
			fprintf(stderr, "Node \"%s\" does not exist\n", c->objects[i]);
			return -ENOENT;
		}
		printf(c->compact ? "%s:%s:%s:%s:%s:%s\n" :
		       "node:\n\tname = %s\n\tcluster = %s\n\tnumber = %s\n"
		       "\tip_address = %s\n\tip_port = %s\n\tstatus = %s\n\n",
		       o2cb_stanza_get(s, "name") ?: "", o2cb_stanza_get(s, "cluster") ?: "",
		       o2cb_stanza_get(s, "number") ?: "0",
		       o2cb_stanza_get(s, "ip_address") ?: "",
		       o2cb_stanza_get(s, "ip_port") ?: "0", node_status(s));
	}
	return 0;
}

int ctl_info(struct ctl *c)
{
	int ret;

	if (!c->type && !c->nobjects) {
		fprintf(stderr, PROGNAME ": Operation '-I' requires an object or object type\n");
		return -EINVAL;
	}
	/* Checked before the type is known, so "-n X -a ..." is refused. */
	ret = validate_attrs(c);
	if (!ret)
		ret = ctl_load(c);
	if (!ret)
		ret = ctl_resolve(c);
	if (ret)
		return ret;
	return c->type == TYPE_CLUSTER ? info_clusters(c) : info_nodes(c);
}

/* ---- -C ---- */

static int create_clusters(struct ctl *c)
{
	struct o2cb_stanza *s;
	int i, ret;

	for (i = 0; i < c->nobjects; i++) {
		if (o2cb_find_cluster(&c->cfg, c->objects[i])) {
			fprintf(stderr, PROGNAME ": Cluster \"%s\" already exists\n",
				c->objects[i]);
			return -EEXIST;
		}
		s = o2cb_stanza_add(&c->cfg, "cluster");
		if (!s || o2cb_stanza_set(s, "name", c->objects[i]) ||
		    o2cb_stanza_set(s, "heartbeat_mode", "local") ||
		    o2cb_stanza_set(s, "node_count", "0")) {
			fprintf(stderr, PROGNAME ": Unable to add cluster \"%s\"\n",
				c->objects[i]);
			return -ENOMEM;
		}
		if (c->modify_running) {
			ret = o2cb_configfs_add_cluster(c->objects[i]);
			if (ret && ret != -EEXIST) {
				fprintf(stderr, PROGNAME ": %s while creating cluster\n",
					cfs_strerror(ret));
				return -EIO;
			}
			if (!ret)
				printf("Cluster %s created\n", c->objects[i]);
		}
	}
	return 0;
}

static const char *required(const struct ctl *c, const char *name)
{
	const char *v = ctl_attr(c, name);

	if (v && *v)
		return v;
	fprintf(stderr, PROGNAME ": \"%s\" attribute required to create a node\n", name);
	return NULL;
}

static int parse_num(const char *s, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return !*s || *end || errno || *out < 0 || *out > max ? -ERANGE : 0;
}

/* The lowest number no node of CLUSTER has. */
static int free_number(const struct ctl *c, const char *cluster)
{
	char num[8];
	int n;

	for (n = 0; n < O2CB_MAX_NODES; n++) {
		snprintf(num, sizeof(num), "%d", n);
		if (!o2cb_find_member(&c->cfg, "node", cluster, "number", num))
			return n;
	}
	return -1;
}

static int check_node(const struct ctl *c, const char *cluster, const char *ip,
		      const char *port, long *number)
{
	struct in_addr a;
	const char *num = ctl_attr(c, "number");
	char buf[16];
	long p;

	if (!o2cb_find_cluster(&c->cfg, cluster)) {
		fprintf(stderr, PROGNAME ": Cluster \"%s\" does not exist\n", cluster);
		return -ENOENT;
	}
	if (o2cb_find_member(&c->cfg, "node", cluster, "name", c->objects[0])) {
		fprintf(stderr, PROGNAME ": Node \"%s\" already exists\n", c->objects[0]);
		return -EEXIST;
	}
	if (inet_pton(AF_INET, ip, &a) != 1) {
		fprintf(stderr, PROGNAME ": IP address \"%s\" is invalid\n", ip);
		return -EINVAL;
	}
	if (parse_num(port, 65535, &p)) {
		fprintf(stderr, PROGNAME ": Port number \"%s\" is invalid\n", port);
		return -ERANGE;
	}
	if (!num) {
		*number = free_number(c, cluster);
		return 0;
	}
	if (parse_num(num, INT_MAX, number)) {
		fprintf(stderr, PROGNAME ": Node number \"%s\" is invalid\n", num);
		return -ERANGE;
	}
	snprintf(buf, sizeof(buf), "%ld", *number);
	if (o2cb_find_member(&c->cfg, "node", cluster, "number", buf)) {
		fprintf(stderr, PROGNAME ": Node number \"%ld\" already exists\n", *number);
		return -EEXIST;
	}
	return 0;
}

static int set_node_count(struct ctl *c, const char *cluster)
{
	struct o2cb_stanza *s = o2cb_find_cluster(&c->cfg, cluster);
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", o2cb_count_members(&c->cfg, "node", cluster));
	return s ? o2cb_stanza_set(s, "node_count", buf) : 0;
}

static int create_node(struct ctl *c)
{
	const char *cluster, *ip, *port;
	struct o2cb_stanza *n;
	char num[16];
	long number;
	int ret;

	if (c->nobjects > 1) {
		fprintf(stderr, PROGNAME ": Cannot create more than one node at a time\n");
		return -EINVAL;
	}
	if (!(cluster = required(c, "cluster")) || !(ip = required(c, "ip_address")) ||
	    !(port = required(c, "ip_port")))
		return -EINVAL;
	ret = check_node(c, cluster, ip, port, &number);
	if (ret)
		return ret;
	snprintf(num, sizeof(num), "%ld", number);
	n = o2cb_stanza_add(&c->cfg, "node");
	if (!n || o2cb_stanza_set(n, "cluster", cluster) || o2cb_stanza_set(n, "number", num) ||
	    o2cb_stanza_set(n, "ip_port", port) || o2cb_stanza_set(n, "ip_address", ip) ||
	    o2cb_stanza_set(n, "name", c->objects[0]) || set_node_count(c, cluster)) {
		fprintf(stderr, PROGNAME ": Unable to add node \"%s\"\n", c->objects[0]);
		return -ENOMEM;
	}
	if (!c->modify_running)
		return 0;
	ret = o2cb_configfs_add_node(cluster, n, o2cb_is_local_node(c->objects[0]));
	if (ret && ret != -EEXIST) {
		fprintf(stderr, PROGNAME ": %s while creating node\n", cfs_strerror(ret));
		return -EIO;
	}
	if (!ret)
		printf("Node %s created\n", c->objects[0]);
	return 0;
}

int ctl_create(struct ctl *c)
{
	int ret;

	if (!c->type || !c->nobjects) {
		fprintf(stderr, PROGNAME ": Operation '-C' requires an object and an "
			"object type\n");
		return -EINVAL;
	}
	ret = validate_attrs(c);
	if (!ret)
		ret = ctl_load(c);
	if (!ret)
		ret = c->type == TYPE_NODE ? create_node(c) : create_clusters(c);
	return ret ? ret : ctl_store(c);
}

/* ---- -D ---- */

/* ocfs2-tools 1.8.7 has no delete here (o2cb remove-node does it). */
int ctl_delete(struct ctl *c)
{
	(void)c;
	fprintf(stderr, PROGNAME ": Not yet supported\n");
	return -ENOTSUP;
}

/* ---- -H ---- */

/* ocfs2-tools' booleans: 1/0, t/f, true/false, y/n, yes/no, on/off. */
static int parse_bool(const char *name, const char *v, bool *out)
{
	static const char *const yes[] = { "1", "t", "true", "y", "yes", "on" };
	static const char *const no[] = { "0", "f", "false", "n", "no", "off" };
	unsigned int i;

	for (i = 0; v && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(v, yes[i]) || !strcmp(v, no[i])) {
			*out = !strcmp(v, yes[i]);
			return 0;
		}
	}
	fprintf(stderr, PROGNAME ": Invalid value for attribute \"%s\": %s\n", name, v ?: "");
	return -EINVAL;
}

/*
 * online=yes: the cluster and each of its nodes into configfs, in file
 * order, existing ones left alone; this host's node (by name) is local.
 */
static int online_cluster(struct ctl *c, const char *cluster)
{
	struct o2cb_stanza *n = NULL;
	const char *name;
	int ret, locals = 0;

	ret = o2cb_configfs_add_cluster(cluster);
	if (ret && ret != -EEXIST) {
		fprintf(stderr, PROGNAME ": %s while creating cluster\n", cfs_strerror(ret));
		return -EIO;
	}
	if (!ret)
		printf("Cluster %s created\n", cluster);
	while ((n = o2cb_next_of(&c->cfg, n, "node", cluster))) {
		name = o2cb_stanza_get(n, "name") ?: "";
		if (o2cb_is_local_node(name) && locals++) {
			fprintf(stderr, PROGNAME ": Configuration error discovered while "
				"adding node %s.  It is considered local but another node "
				"was already marked as local.  Do multiple node names in the "
				"config match this machine's host name?\n", name);
			return -EINVAL;
		}
		ret = o2cb_configfs_add_node(cluster, n, o2cb_is_local_node(name));
		if (ret && ret != -EEXIST) {
			fprintf(stderr, PROGNAME ": %s while adding node %s\n\n",
				cfs_strerror(ret), name);
			return -EIO;
		}
		if (!ret)
			printf("Node %s added\n", name);
	}
	if (!locals) {
		fprintf(stderr, PROGNAME ": Configuration error discovered while populating "
			"cluster %s.  None of its nodes were considered local.  A node is "
			"considered local when its node name in the configuration matches "
			"this machine's host name.\n", cluster);
		return -EINVAL;
	}
	return 0;
}

static int change_cluster(struct ctl *c, const char *name)
{
	struct o2cb_stanza *s = o2cb_find_cluster(&c->cfg, name);
	const char *v;
	bool online;
	int ret;

	if (!s) {
		fprintf(stderr, PROGNAME ": Cluster \"%s\" does not exist\n", name);
		return -ENOENT;
	}
	if (ctl_has_attr(c, "name")) {
		v = ctl_attr(c, "name");
		if (!v || !*v) {
			fprintf(stderr, PROGNAME ": Empty name for cluster\n");
			return -EINVAL;
		}
		ret = o2cb_rename_cluster(&c->cfg, name, v);
		if (ret)
			return ret;
		name = v;
	}
	if (!ctl_has_attr(c, "online"))
		return 0;
	/* stock says so and then takes it as "yes" */
	if (parse_bool("online", ctl_attr(c, "online"), &online))
		online = true;
	if (online)
		return online_cluster(c, name);
	ret = o2cb_unregister(name);
	if (ret && ret != -ENOENT) {
		fprintf(stderr, PROGNAME ": %s while removing cluster '%s'\n",
			cfs_strerror(ret), name);
		return -EIO;
	}
	return 0;
}

int ctl_change(struct ctl *c)
{
	int i, ret;

	if (!c->type && !c->nobjects) {
		fprintf(stderr, PROGNAME ": Operation '-H' requires an object or object type\n");
		return -EINVAL;
	}
	ret = validate_attrs(c);
	if (!ret)
		ret = ctl_load(c);
	if (!ret)
		ret = ctl_resolve(c);
	if (ret)
		return ret;
	if (c->type == TYPE_NODE) {
		fprintf(stderr, PROGNAME ": Node changes not yet supported\n");
		return -ENOTSUP;
	}
	for (i = 0; i < c->nobjects; i++) {
		ret = change_cluster(c, c->objects[i]);
		if (ret)
			return ret;
	}
	return ctl_store(c);
}
