// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/fs/o2cb/interface_revision: the tools read it first and refuse a
 * node manager newer than they understand.
 */
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "o2nm.h"

static struct kset *o2nm_kset;

static ssize_t interface_revision_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", O2NM_API_VERSION);
}

static struct kobj_attribute o2nm_attr_revision = __ATTR_RO(interface_revision);

static struct attribute *o2nm_sysfs_attrs[] = {
	&o2nm_attr_revision.attr,
	NULL,
};

static const struct attribute_group o2nm_sysfs_group = {
	.attrs = o2nm_sysfs_attrs,
};

int o2nm_sysfs_init(void)
{
	int ret;

	o2nm_kset = kset_create_and_add("o2cb", NULL, fs_kobj);
	if (!o2nm_kset)
		return -ENOMEM;
	ret = sysfs_create_group(&o2nm_kset->kobj, &o2nm_sysfs_group);
	if (ret)
		kset_unregister(o2nm_kset);
	return ret;
}

void o2nm_sysfs_exit(void)
{
	sysfs_remove_group(&o2nm_kset->kobj, &o2nm_sysfs_group);
	kset_unregister(o2nm_kset);
}
