// SPDX-License-Identifier: GPL-2.0
/*
 * Reading, editing and writing /etc/ocfs2/cluster.conf.  The format is the
 * one ocfs2-tools reads: a stanza header "type:" at the start of a line,
 * then indented "key = value" lines, stanzas separated by blank lines, '#'
 * comments.  Unknown stanzas and keys are kept so that editing a file never
 * loses what another tool put there.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "o2cb_config.h"

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

struct o2cb_stanza *o2cb_stanza_add(struct o2cb_config *cfg, const char *type)
{
	struct o2cb_stanza *s = calloc(1, sizeof(*s)), **tail;

	if (!s)
		return NULL;
	s->type = strdup(type);
	if (!s->type) {
		free(s);
		return NULL;
	}
	for (tail = &cfg->head; *tail; tail = &(*tail)->next)
		;
	*tail = s;
	return s;
}

static void stanza_free(struct o2cb_stanza *s)
{
	int i;

	for (i = 0; i < s->nparams; i++) {
		free(s->params[i].key);
		free(s->params[i].value);
	}
	free(s->params);
	free(s->type);
	free(s);
}

void o2cb_stanza_remove(struct o2cb_config *cfg, struct o2cb_stanza *s)
{
	struct o2cb_stanza **p;

	for (p = &cfg->head; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			stanza_free(s);
			return;
		}
	}
}

void o2cb_config_free(struct o2cb_config *cfg)
{
	struct o2cb_stanza *s, *next;

	for (s = cfg->head; s; s = next) {
		next = s->next;
		stanza_free(s);
	}
	cfg->head = NULL;
}

const char *o2cb_stanza_get(const struct o2cb_stanza *s, const char *key)
{
	int i;

	for (i = 0; i < s->nparams; i++)
		if (!strcmp(s->params[i].key, key))
			return s->params[i].value;
	return NULL;
}

int o2cb_stanza_set(struct o2cb_stanza *s, const char *key, const char *value)
{
	struct o2cb_param *p;
	char *v = strdup(value);
	int i;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < s->nparams; i++) {
		if (!strcmp(s->params[i].key, key)) {
			free(s->params[i].value);
			s->params[i].value = v;
			return 0;
		}
	}
	p = realloc(s->params, (s->nparams + 1) * sizeof(*p));
	if (!p)
		goto nomem;
	s->params = p;
	p[s->nparams].key = strdup(key);
	if (!p[s->nparams].key)
		goto nomem;
	p[s->nparams++].value = v;
	return 0;
nomem:
	free(v);
	return -ENOMEM;
}

/* "key = value" into the current stanza; -EINVAL if the line is neither. */
static int parse_param(struct o2cb_stanza *cur, char *line)
{
	char *eq = strchr(line, '='), *key, *value;

	if (!cur || !eq)
		return -EINVAL;
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!*key)
		return -EINVAL;
	return o2cb_stanza_set(cur, key, value);
}

int o2cb_config_parse(FILE *f, struct o2cb_config *cfg, int *bad_line)
{
	struct o2cb_stanza *cur = NULL;
	char buf[1024], *line;
	int lineno = 0, ret = 0;
	size_t len;

	cfg->head = NULL;
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		line = trim(buf);
		if (!*line || *line == '#')
			continue;
		len = strlen(line);
		if (!isspace((unsigned char)buf[0]) && line[len - 1] == ':' &&
		    !strchr(line, '=')) {
			line[len - 1] = '\0';
			cur = o2cb_stanza_add(cfg, trim(line));
			ret = cur ? 0 : -ENOMEM;
		} else {
			ret = parse_param(cur, line);
		}
		if (ret) {
			if (bad_line)
				*bad_line = lineno;
			o2cb_config_free(cfg);
			return ret;
		}
	}
	return 0;
}

int o2cb_config_read(const char *path, struct o2cb_config *cfg, int *bad_line)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (bad_line)
		*bad_line = 0;
	if (!f) {
		cfg->head = NULL;
		return errno == ENOENT ? 0 : -errno;
	}
	ret = o2cb_config_parse(f, cfg, bad_line);
	fclose(f);
	return ret;
}

static int belongs(const struct o2cb_stanza *s, const char *type,
		   const char *cluster)
{
	const char *c;

	if (strcmp(s->type, type))
		return 0;
	if (!cluster)
		return 1;
	c = o2cb_stanza_get(s, strcmp(type, "cluster") ? "cluster" : "name");
	return c && !strcmp(c, cluster);
}

/*
 * ocfs2-tools writes the keys of each stanza type in one order and lists
 * them (o2cb list-*) in another; both are kept so outputs read the same.
 */
static const char *const *key_order(const char *type, int listing)
{
	static const char *const cluster[2][4] = {
		{ "name", "heartbeat_mode", "node_count", NULL },
		{ "node_count", "heartbeat_mode", "name", NULL } };
	static const char *const node[2][6] = {
		{ "cluster", "number", "ip_port", "ip_address", "name", NULL },
		{ "number", "name", "ip_address", "ip_port", "cluster", NULL } };
	static const char *const heartbeat[2][3] = {
		{ "cluster", "region", NULL }, { "region", "cluster", NULL } };
	static const char *const none[] = { NULL };

	if (!strcmp(type, "cluster"))
		return cluster[listing];
	if (!strcmp(type, "node"))
		return node[listing];
	if (!strcmp(type, "heartbeat"))
		return heartbeat[listing];
	return none;
}

/*
 * The parameters of S in written order: the known keys first, then the
 * others as found.  Returns how many were put in OUT (sized s->nparams).
 */
static int ordered_params(const struct o2cb_stanza *s, int listing,
			  const struct o2cb_param **out)
{
	const char *const *order = key_order(s->type, listing);
	int i, k, n = 0, known;

	for (k = 0; order[k]; k++)
		for (i = 0; i < s->nparams; i++)
			if (!strcmp(s->params[i].key, order[k]))
				out[n++] = &s->params[i];
	for (i = 0; i < s->nparams; i++) {
		known = 0;
		for (k = 0; order[k]; k++)
			known |= !strcmp(s->params[i].key, order[k]);
		if (!known)
			out[n++] = &s->params[i];
	}
	return n;
}

void o2cb_stanza_print(FILE *f, const struct o2cb_stanza *s, int listing)
{
	const struct o2cb_param **p = calloc(s->nparams + 1, sizeof(*p));
	int i, n;

	if (!p)
		return;
	n = ordered_params(s, listing, p);
	fprintf(f, "%s:\n", s->type);
	for (i = 0; i < n; i++) {
		fprintf(f, "\t%s = %s\n", p[i]->key, p[i]->value);
	}
	fprintf(f, "\n");
	free(p);
}

/* Each cluster with its heartbeat regions and nodes, then anything else. */
/*
 * The layout ocfs2-tools writes: every cluster, then the heartbeat regions
 * cluster by cluster, then the nodes cluster by cluster; anything else
 * (unknown stanzas, members of no cluster) after them, as read.
 */
void o2cb_config_print(FILE *f, const struct o2cb_config *cfg)
{
	static const char *const members[] = { "heartbeat", "node", NULL };
	const struct o2cb_stanza *c, *s;
	const char *name;
	int m;

	for (c = cfg->head; c; c = c->next)
		if (!strcmp(c->type, "cluster"))
			o2cb_stanza_print(f, c, 0);
	for (m = 0; members[m]; m++) {
		for (c = cfg->head; c; c = c->next) {
			name = strcmp(c->type, "cluster") ? NULL : o2cb_stanza_get(c, "name");
			for (s = cfg->head; name && s; s = s->next)
				if (belongs(s, members[m], name))
					o2cb_stanza_print(f, s, 0);
		}
	}
	for (s = cfg->head; s; s = s->next) {
		const char *cl = o2cb_stanza_get(s, "cluster");

		if (strcmp(s->type, "cluster") &&
		    !((!strcmp(s->type, "node") || !strcmp(s->type, "heartbeat")) &&
		      cl && o2cb_find_cluster(cfg, cl)))
			o2cb_stanza_print(f, s, 0);
	}
}

/* Write to a temporary file and rename, so a crash never leaves half a file. */
int o2cb_config_write(const char *path, const struct o2cb_config *cfg)
{
	char tmp[4096];
	FILE *f;
	int ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	o2cb_config_print(f, cfg);
	if (fflush(f) || fsync(fileno(f)))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

struct o2cb_stanza *o2cb_find_cluster(const struct o2cb_config *cfg,
				      const char *cluster)
{
	return o2cb_find_member(cfg, "cluster", NULL, "name", cluster);
}

struct o2cb_stanza *o2cb_next_of(const struct o2cb_config *cfg,
				 struct o2cb_stanza *after, const char *type,
				 const char *cluster)
{
	struct o2cb_stanza *s = after ? after->next : cfg->head;

	for (; s; s = s->next)
		if (belongs(s, type, cluster))
			return s;
	return NULL;
}

struct o2cb_stanza *o2cb_find_member(const struct o2cb_config *cfg,
				     const char *type, const char *cluster,
				     const char *key, const char *value)
{
	struct o2cb_stanza *s = NULL;
	const char *v;

	while ((s = o2cb_next_of(cfg, s, type, cluster))) {
		v = o2cb_stanza_get(s, key);
		if (v && !strcmp(v, value))
			return s;
	}
	return NULL;
}

int o2cb_count_members(const struct o2cb_config *cfg, const char *type,
		       const char *cluster)
{
	struct o2cb_stanza *s = NULL;
	int n = 0;

	while ((s = o2cb_next_of(cfg, s, type, cluster)))
		n++;
	return n;
}

int o2cb_valid_cluster_name(const char *name)
{
	const char *p;

	if (!*name)
		return -EINVAL;
	if (strlen(name) > O2CB_CLUSTER_NAME_MAX)
		return -ENAMETOOLONG;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p))
			return -EINVAL;
	return 0;
}

int o2cb_rename_cluster(struct o2cb_config *cfg, const char *old, const char *new_name)
{
	struct o2cb_stanza *s;
	char *keep = strdup(old);
	int ret = keep ? 0 : -ENOMEM;

	/* OLD may point into the stanza being renamed: work from a copy. */
	for (s = cfg->head; s && !ret; s = s->next) {
		const char *key = strcmp(s->type, "cluster") ? "cluster" : "name";
		const char *v = o2cb_stanza_get(s, key);

		if (v && !strcmp(v, keep))
			ret = o2cb_stanza_set(s, key, new_name);
	}
	free(keep);
	return ret;
}
