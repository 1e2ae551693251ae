// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/fs/ocfs2: what the tools read to decide how to join a cluster
 * (cluster_stack, max_locking_protocol, loaded and active plugins,
 * dlm_recover_callback_support) and where to write the stack label.
 * The kset is exported for the filesystem's per-volume directories.
 */
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#include "sg_internal.h"

struct kset *ocfs2_kset;
EXPORT_SYMBOL_GPL(ocfs2_kset);

static ssize_t max_locking_protocol_show(struct kobject *kobj,
					 struct kobj_attribute *attr,
					 char *buf)
{
	ssize_t ret = 0;

	mutex_lock(&ocfs2_stack_lock);
	if (ocfs2_locking_max_version.pv_major)
		ret = sysfs_emit(buf, "%u.%u\n",
				 ocfs2_locking_max_version.pv_major,
				 ocfs2_locking_max_version.pv_minor);
	mutex_unlock(&ocfs2_stack_lock);
	return ret;
}

static ssize_t loaded_cluster_plugins_show(struct kobject *kobj,
					   struct kobj_attribute *attr,
					   char *buf)
{
	struct ocfs2_stack_plugin *p;
	ssize_t ret = 0;

	mutex_lock(&ocfs2_stack_lock);
	list_for_each_entry(p, &ocfs2_stack_list, sp_list)
		ret += sysfs_emit_at(buf, ret, "%s\n", p->sp_name);
	mutex_unlock(&ocfs2_stack_lock);
	return ret;
}

static ssize_t active_cluster_plugin_show(struct kobject *kobj,
					  struct kobj_attribute *attr,
					  char *buf)
{
	ssize_t ret = 0;

	mutex_lock(&ocfs2_stack_lock);
	if (ocfs2_active_stack)
		ret = sysfs_emit(buf, "%s\n", ocfs2_active_stack->sp_name);
	mutex_unlock(&ocfs2_stack_lock);
	return ret;
}

static ssize_t cluster_stack_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	ssize_t ret;

	mutex_lock(&ocfs2_stack_lock);
	ret = sysfs_emit(buf, "%s\n", ocfs2_cluster_stack_name);
	mutex_unlock(&ocfs2_stack_lock);
	return ret;
}

/* A 4-character label; fixed while a plugin is in use. */
static ssize_t cluster_stack_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	size_t len = count;
	ssize_t ret = count;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len != OCFS2_STACK_LABEL_LEN || strnlen(buf, len) != len)
		return -EINVAL;

	mutex_lock(&ocfs2_stack_lock);
	if (!ocfs2_active_stack)
		memcpy(ocfs2_cluster_stack_name, buf, len);
	else if (strncmp(buf, ocfs2_cluster_stack_name, len))
		ret = -EBUSY;
	mutex_unlock(&ocfs2_stack_lock);
	return ret;
}

static ssize_t dlm_recover_callback_support_show(struct kobject *kobj,
						 struct kobj_attribute *attr,
						 char *buf)
{
	return sysfs_emit(buf, "1\n");
}

static struct kobj_attribute ocfs2_attr_max_proto =
	__ATTR_RO(max_locking_protocol);
static struct kobj_attribute ocfs2_attr_loaded =
	__ATTR_RO(loaded_cluster_plugins);
static struct kobj_attribute ocfs2_attr_active =
	__ATTR_RO(active_cluster_plugin);
static struct kobj_attribute ocfs2_attr_stack =
	__ATTR(cluster_stack, 0644, cluster_stack_show, cluster_stack_store);
static struct kobj_attribute ocfs2_attr_recover =
	__ATTR_RO(dlm_recover_callback_support);

static struct attribute *ocfs2_sg_attrs[] = {
	&ocfs2_attr_max_proto.attr,
	&ocfs2_attr_loaded.attr,
	&ocfs2_attr_active.attr,
	&ocfs2_attr_stack.attr,
	&ocfs2_attr_recover.attr,
	NULL,
};

static const struct attribute_group ocfs2_sg_group = {
	.attrs = ocfs2_sg_attrs,
};

int ocfs2_sg_sysfs_init(void)
{
	int ret;

	ocfs2_kset = kset_create_and_add("ocfs2", NULL, fs_kobj);
	if (!ocfs2_kset)
		return -ENOMEM;
	ret = sysfs_create_group(&ocfs2_kset->kobj, &ocfs2_sg_group);
	if (ret)
		kset_unregister(ocfs2_kset);
	return ret;
}

void ocfs2_sg_sysfs_exit(void)
{
	sysfs_remove_group(&ocfs2_kset->kobj, &ocfs2_sg_group);
	kset_unregister(ocfs2_kset);
}
