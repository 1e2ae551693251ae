/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The O2CB cluster configuration file (/etc/ocfs2/cluster.conf): a list of
 * stanzas ("cluster:", "node:", "heartbeat:") each holding "key = value"
 * parameters.  Parsed into memory, edited, and written back in the layout
 * ocfs2-tools writes, keeping parameters we do not know.
 */
#ifndef O2CB_CONFIG_H
#define O2CB_CONFIG_H

#include <stdio.h>

#define O2CB_CONFIG_FILE	"/etc/ocfs2/cluster.conf"
#define O2CB_MAX_NODES		255
#define O2CB_CLUSTER_NAME_MAX	16
#define O2CB_NODE_NAME_MAX	64
#define O2CB_DEFAULT_PORT	7777

struct o2cb_param {
	char *key;
	char *value;
};

struct o2cb_stanza {
	char *type;			/* "cluster", "node", "heartbeat", ... */
	struct o2cb_param *params;
	int nparams;
	struct o2cb_stanza *next;
};

struct o2cb_config {
	struct o2cb_stanza *head;
};

/* Parse errors carry the line number for the message. */
int o2cb_config_read(const char *path, struct o2cb_config *cfg, int *bad_line);
int o2cb_config_parse(FILE *f, struct o2cb_config *cfg, int *bad_line);
int o2cb_config_write(const char *path, const struct o2cb_config *cfg);
void o2cb_config_print(FILE *f, const struct o2cb_config *cfg);
/* One stanza, in file order or (LISTING) in the order o2cb list-* uses. */
void o2cb_stanza_print(FILE *f, const struct o2cb_stanza *s, int listing);
void o2cb_config_free(struct o2cb_config *cfg);

const char *o2cb_stanza_get(const struct o2cb_stanza *s, const char *key);
int o2cb_stanza_set(struct o2cb_stanza *s, const char *key, const char *value);
struct o2cb_stanza *o2cb_stanza_add(struct o2cb_config *cfg, const char *type);
void o2cb_stanza_remove(struct o2cb_config *cfg, struct o2cb_stanza *s);

/* Stanzas of TYPE whose "cluster" (or, for clusters, "name") is CLUSTER. */
struct o2cb_stanza *o2cb_find_cluster(const struct o2cb_config *cfg,
				      const char *cluster);
struct o2cb_stanza *o2cb_next_of(const struct o2cb_config *cfg,
				 struct o2cb_stanza *after, const char *type,
				 const char *cluster);
struct o2cb_stanza *o2cb_find_member(const struct o2cb_config *cfg,
				     const char *type, const char *cluster,
				     const char *key, const char *value);
int o2cb_count_members(const struct o2cb_config *cfg, const char *type,
		       const char *cluster);

/* Rename cluster OLD to NEW, with its nodes and heartbeat regions. */
int o2cb_rename_cluster(struct o2cb_config *cfg, const char *old, const char *new_name);

/* Name rules shared by the tools: alphanumerics only, bounded length. */
int o2cb_valid_cluster_name(const char *name);

#endif
