// SPDX-License-Identifier: GPL-2.0
/*
 * o2cb_ctl: create, delete, list and change clusters and nodes in
 * /etc/ocfs2/cluster.conf and, with -i/-u/-H online=, in the running
 * cluster.  Options, messages and exit codes are the ocfs2-tools
 * program's; an error exits with the negative errno's low byte (234 for
 * -EINVAL), as it does.  The file is read and written by the same library
 * as o2cb's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "o2cb_configfs.h"
#include "o2cb_ctl.h"

#define PROGNAME "o2cb_ctl"

static void usage(int rc)
{
	FILE *f = rc ? stderr : stdout;

	fprintf(f, "Usage: " PROGNAME " -C -n <object> -t <type> [-i] [-a <attribute> ] ...\n"
		"       " PROGNAME " -D -n <object> [-u]\n"
		"       " PROGNAME " -I [-o|-z] [-n <object>] [-t <type>] [-a <attribute>] ...\n"
		"       " PROGNAME " -H [-n <object>] [-t <type>] [-a <attribute>] ...\n"
		"       " PROGNAME " -h\n"
		"       " PROGNAME " -V\n");
	exit(rc & 0xff);
}

static void version(void)
{
	printf(PROGNAME " version 1.8.7\n");
	exit(0);
}

static int set_op(struct ctl *c, enum ctl_op op)
{
	if (c->op != OP_NONE)
		return -EINVAL;	/* stock: just the usage */
	c->op = op;
	return 0;
}

static int not_empty(const char *arg, char opt)
{
	if (*arg)
		return 0;
	fprintf(stderr, PROGNAME ": Argument to '-%c' cannot be \"\"\n", opt);
	return -EINVAL;
}

static int add_attr(struct ctl *c, const char *arg)
{
	struct ctl_attr *a;
	const char *eq;

	if (not_empty(arg, 'a'))
		return -EINVAL;
	eq = strchr(arg, '=');
	if (eq == arg || c->nattrs == O2CB_CTL_MAX_ITEMS)
		return -EINVAL;
	a = &c->attrs[c->nattrs++];
	a->name = eq ? strndup(arg, eq - arg) : strdup(arg);
	a->value = eq ? strdup(eq + 1) : NULL;
	return a->name ? 0 : -ENOMEM;
}

static int set_type(struct ctl *c, const char *arg)
{
	if (not_empty(arg, 't'))
		return -EINVAL;
	if (!strcmp(arg, "cluster"))
		c->type = TYPE_CLUSTER;
	else if (!strcmp(arg, "node"))
		c->type = TYPE_NODE;
	else {
		fprintf(stderr, PROGNAME ": Object type \"%s\" is invalid\n", arg);
		return -EINVAL;
	}
	return 0;
}

static int one_option(struct ctl *c, int opt, bool *flags)
{
	switch (opt) {
	case 'h': usage(0); break;
	case 'V': version(); break;
	case '-':
		if (!strcmp(optarg, "version"))
			version();
		if (!strcmp(optarg, "help"))
			usage(0);
		fprintf(stderr, PROGNAME ": Invalid option: '--%s'\n", optarg);
		return -EINVAL;
	case 'C': return set_op(c, OP_CREATE);
	case 'D': return set_op(c, OP_DELETE);
	case 'I': return set_op(c, OP_INFO);
	case 'H': return set_op(c, OP_CHANGE);
	case 'i': flags[0] = true; break;
	case 'u': flags[1] = true; break;
	case 'z': flags[2] = true; break;
	case 'o': flags[3] = true; break;
	case 'n':
		if (not_empty(optarg, 'n') || c->nobjects == O2CB_CTL_MAX_ITEMS)
			return -EINVAL;
		c->objects[c->nobjects++] = optarg;
		break;
	case 't': return set_type(c, optarg);
	case 'a': return add_attr(c, optarg);
	case ':':
		fprintf(stderr, PROGNAME ": Option '-%c' requires an argument\n", optopt);
		return -EINVAL;
	default:
		fprintf(stderr, PROGNAME ": Invalid option: '-%c'\n", optopt);
		return -EINVAL;
	}
	return 0;
}

/* -i only with -C, -u only with -D, -z and -o only with -I. */
static int check_flags(struct ctl *c, const bool *f)
{
	static const struct { int idx; char opt; enum ctl_op op; } rules[] = {
		{ 1, 'u', OP_DELETE }, { 0, 'i', OP_CREATE },
		{ 2, 'z', OP_INFO }, { 3, 'o', OP_INFO },
	};
	unsigned int i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (f[rules[i].idx] && c->op != rules[i].op) {
			fprintf(stderr, PROGNAME ": Argument '-%c' is not valid for "
				"this operation\n", rules[i].opt);
			return -EINVAL;
		}
	}
	if (f[2] && f[3]) {
		fprintf(stderr, PROGNAME ": Cannot specify '-z' and '-o' at the same time\n");
		return -EINVAL;
	}
	c->compact = f[3];
	c->only_values = f[2];
	c->modify_running = f[0] || f[1];
	return 0;
}

static int parse(int argc, char **argv, struct ctl *c)
{
	bool flags[4] = { false };
	int opt, ret;

	opterr = 0;
	while ((opt = getopt(argc, argv, ":hVCDIHiuozn:t:a:-:")) != -1) {
		ret = one_option(c, opt, flags);
		if (ret)
			return ret;
	}
	if (optind < argc) {
		fprintf(stderr, PROGNAME ": Extraneous arguments: \"");
		for (; optind < argc; optind++)
			fprintf(stderr, "%s%s", argv[optind], optind + 1 < argc ? " " : "");
		fprintf(stderr, "\"\n");
		return -E2BIG;
	}
	return check_flags(c, flags);
}

/* Every operation needs the node manager, as the stock tool does. */
static int cluster_init(void)
{
	if (o2cb_stack_state() == O2CB_READY)
		return 0;
	fprintf(stderr, PROGNAME ": Unable to access cluster service Cannot initialize "
		"cluster\n\n");
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct ctl c = { .config_file = O2CB_CONFIG_FILE };
	int ret, i;

	/* what was done before an error is told before it, as stock does */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = parse(argc, argv, &c);
	if (ret)
		usage(ret);
	ret = cluster_init();
	if (!ret && c.op == OP_NONE) {
		fprintf(stderr, PROGNAME ": You must specify an operation\n");
		usage(-EINVAL);
	}
	if (!ret) {
		switch (c.op) {
		case OP_INFO: ret = ctl_info(&c); break;
		case OP_CREATE: ret = ctl_create(&c); break;
		case OP_DELETE: ret = ctl_delete(&c); break;
		default: ret = ctl_change(&c); break;
		}
	}
	o2cb_config_free(&c.cfg);
	for (i = 0; i < c.nattrs; i++) {
		free(c.attrs[i].name);
		free(c.attrs[i].value);
	}
	return ret & 0xff;
}
