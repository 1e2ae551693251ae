/* SPDX-License-Identifier: GPL-2.0 */
/* o2cb_ctl: the parsed command line shared by the operations. */
#ifndef O2CB_CTL_H
#define O2CB_CTL_H

#include <stdbool.h>

#include "o2cb_config.h"

#define O2CB_CTL_MAX_ITEMS	64

enum ctl_op { OP_NONE, OP_INFO, OP_CREATE, OP_DELETE, OP_CHANGE };
enum ctl_type { TYPE_NONE, TYPE_CLUSTER, TYPE_NODE };

struct ctl_attr {
	char *name;
	char *value;		/* NULL for "-a name" without '=' */
};

struct ctl {
	enum ctl_op op;
	enum ctl_type type;
	const char *objects[O2CB_CTL_MAX_ITEMS];
	int nobjects;
	struct ctl_attr attrs[O2CB_CTL_MAX_ITEMS];
	int nattrs;
	bool compact;		/* -o */
	bool modify_running;	/* -i with -C, -u with -D */
	bool only_values;	/* -z */
	struct o2cb_config cfg;
	const char *config_file;
};

/* Each returns 0 or a negative errno, having said what went wrong. */
int ctl_info(struct ctl *c);
int ctl_create(struct ctl *c);
int ctl_delete(struct ctl *c);
int ctl_change(struct ctl *c);

int ctl_load(struct ctl *c);
int ctl_store(struct ctl *c);
const char *ctl_attr(const struct ctl *c, const char *name);
bool ctl_has_attr(const struct ctl *c, const char *name);
/* Fill in the type from the objects, or the objects from the type. */
int ctl_resolve(struct ctl *c);

#endif
