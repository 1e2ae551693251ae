// SPDX-License-Identifier: GPL-2.0
/*
 * Stack plugin registry and selection.  Plugins register by name ("o2cb",
 * "user"); the first connect picks the plugin the cluster_stack label
 * names, loading ocfs2_stack_<name> if needed, and pins it (module and
 * use count) until the last disconnect.  Only one plugin is active.
 */
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/string.h>

#include "sg_internal.h"

DEFINE_MUTEX(ocfs2_stack_lock);
LIST_HEAD(ocfs2_stack_list);
struct ocfs2_stack_plugin *ocfs2_active_stack;
char ocfs2_cluster_stack_name[OCFS2_STACK_LABEL_LEN + 1] =
	OCFS2_STACK_PLUGIN_O2CB;
struct ocfs2_protocol_version ocfs2_locking_max_version;

static struct ocfs2_stack_plugin *ocfs2_stack_lookup(const char *name)
{
	struct ocfs2_stack_plugin *p;

	list_for_each_entry(p, &ocfs2_stack_list, sp_list)
		if (!strcmp(p->sp_name, name))
			return p;
	return NULL;
}

/* every label but "o2cb" (pcmk, cman, ...) is served by "user" */
static const char *ocfs2_plugin_for_label(const char *label)
{
	return strcmp(label, OCFS2_STACK_PLUGIN_O2CB) ?
		OCFS2_STACK_PLUGIN_USER : OCFS2_STACK_PLUGIN_O2CB;
}

/* stack_lock held */
static int ocfs2_stack_try_get(const char *label, const char *plugin_name)
{
	struct ocfs2_stack_plugin *p;

	if (strcmp(label, ocfs2_cluster_stack_name)) {
		pr_err("ocfs2: the volume wants cluster stack \"%s\" but this node runs \"%s\"\n",
		       label, ocfs2_cluster_stack_name);
		return -EBUSY;
	}
	if (ocfs2_active_stack) {
		if (strcmp(ocfs2_active_stack->sp_name, plugin_name))
			return -EBUSY;
		ocfs2_active_stack->sp_count++;
		return 0;
	}
	p = ocfs2_stack_lookup(plugin_name);
	if (!p)
		return -ENOENT;
	if (!try_module_get(p->sp_owner))
		return -ENOENT;
	ocfs2_active_stack = p;
	p->sp_count++;
	return 0;
}

int ocfs2_stack_driver_get(const char *stack_name)
{
	const char *plugin_name;
	int ret;

	if (!stack_name || !*stack_name)
		stack_name = OCFS2_STACK_PLUGIN_O2CB;
	if (strlen(stack_name) != OCFS2_STACK_LABEL_LEN) {
		pr_err("ocfs2: cluster stack label \"%s\" is not %d characters\n",
		       stack_name, OCFS2_STACK_LABEL_LEN);
		return -EINVAL;
	}
	plugin_name = ocfs2_plugin_for_label(stack_name);

	mutex_lock(&ocfs2_stack_lock);
	ret = ocfs2_stack_try_get(stack_name, plugin_name);
	mutex_unlock(&ocfs2_stack_lock);
	if (ret != -ENOENT)
		return ret;

	request_module("ocfs2_stack_%s", plugin_name);
	mutex_lock(&ocfs2_stack_lock);
	ret = ocfs2_stack_try_get(stack_name, plugin_name);
	mutex_unlock(&ocfs2_stack_lock);
	if (ret == -ENOENT)
		pr_err("ocfs2: cluster stack plugin \"%s\" is not available (load ocfs2_stack_%s)\n",
		       plugin_name, plugin_name);
	return ret;
}

void ocfs2_stack_driver_put(void)
{
	struct ocfs2_stack_plugin *p;

	mutex_lock(&ocfs2_stack_lock);
	p = ocfs2_active_stack;
	if (!WARN_ON_ONCE(!p || !p->sp_count) && --p->sp_count == 0) {
		module_put(p->sp_owner);
		ocfs2_active_stack = NULL;
	}
	mutex_unlock(&ocfs2_stack_lock);
}

int ocfs2_stack_glue_register(struct ocfs2_stack_plugin *plugin)
{
	int ret = 0;

	mutex_lock(&ocfs2_stack_lock);
	if (ocfs2_stack_lookup(plugin->sp_name)) {
		pr_err("ocfs2: stack plugin \"%s\" is already registered\n",
		       plugin->sp_name);
		ret = -EEXIST;
	} else {
		plugin->sp_max_proto = ocfs2_locking_max_version;
		plugin->sp_count = 0;
		list_add(&plugin->sp_list, &ocfs2_stack_list);
		pr_info("ocfs2: registered cluster interface %s\n",
			plugin->sp_name);
	}
	mutex_unlock(&ocfs2_stack_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(ocfs2_stack_glue_register);

void ocfs2_stack_glue_unregister(struct ocfs2_stack_plugin *plugin)
{
	mutex_lock(&ocfs2_stack_lock);
	if (ocfs2_stack_lookup(plugin->sp_name) == plugin) {
		/* the module reference keeps an active plugin loaded */
		WARN_ON_ONCE(plugin == ocfs2_active_stack);
		list_del_init(&plugin->sp_list);
		pr_info("ocfs2: unregistered cluster interface %s\n",
			plugin->sp_name);
	}
	mutex_unlock(&ocfs2_stack_lock);
}
EXPORT_SYMBOL_GPL(ocfs2_stack_glue_unregister);

void ocfs2_stack_glue_set_max_proto_version(struct ocfs2_protocol_version *v)
{
	struct ocfs2_stack_plugin *p;

	mutex_lock(&ocfs2_stack_lock);
	ocfs2_locking_max_version = *v;
	list_for_each_entry(p, &ocfs2_stack_list, sp_list)
		p->sp_max_proto = *v;
	mutex_unlock(&ocfs2_stack_lock);
}
EXPORT_SYMBOL_GPL(ocfs2_stack_glue_set_max_proto_version);
