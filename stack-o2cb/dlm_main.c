// SPDX-License-Identifier: GPL-2.0
/*
 * ocfs2_dlm: the o2cb distributed lock manager.  This file holds the
 * module's lifetime, the list of domains this node has joined and the
 * handlers for the join messages, which are keyed by O2DLM_MOD_KEY rather
 * than by a domain so a joining node can reach domains it is not in yet.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dlm_internal.h"

DEFINE_SPINLOCK(o2dlm_domain_lock);
LIST_HEAD(o2dlm_domains);
static LIST_HEAD(o2dlm_join_handlers);

struct o2dlm_ctxt *o2dlm_lookup_domain(const char *name, unsigned int len)
{
	struct o2dlm_ctxt *dlm;

	assert_spin_locked(&o2dlm_domain_lock);
	list_for_each_entry(dlm, &o2dlm_domains, list)
		if (strlen(dlm->name) == len && !memcmp(dlm->name, name, len))
			return dlm;
	return NULL;
}

/* a reference for a message handler, refused once the domain is going */
bool o2dlm_grab(struct o2dlm_ctxt *dlm)
{
	bool ok;

	spin_lock(&o2dlm_domain_lock);
	ok = dlm->state != O2DLM_CTXT_LEAVING;
	if (ok)
		kref_get(&dlm->refs);
	spin_unlock(&o2dlm_domain_lock);
	return ok;
}

void o2dlm_put(struct o2dlm_ctxt *dlm)
{
	kref_put(&dlm->refs, o2dlm_ctxt_release);
}

bool o2dlm_joined(struct o2dlm_ctxt *dlm)
{
	bool joined;

	spin_lock(&o2dlm_domain_lock);
	joined = dlm->state == O2DLM_CTXT_JOINED ||
		 dlm->state == O2DLM_CTXT_IN_SHUTDOWN;
	spin_unlock(&o2dlm_domain_lock);
	return joined;
}

/* errors of o2net_send_message that mean "that node is gone" */
bool o2dlm_is_host_down(int err)
{
	switch (err) {
	case -EBADF:
	case -ECONNREFUSED:
	case -ENOTCONN:
	case -ECONNRESET:
	case -EPIPE:
	case -EHOSTDOWN:
	case -EHOSTUNREACH:
	case -ETIMEDOUT:
	case -ECONNABORTED:
	case -ENETDOWN:
	case -ENETUNREACH:
	case -ENETRESET:
	case -ESHUTDOWN:
	case -ENOPROTOOPT:
	case -EINVAL:
		return true;
	}
	return false;
}

static int __init o2dlm_init(void)
{
	int ret;

	ret = o2dlm_register_join_handlers(&o2dlm_join_handlers);
	if (ret)
		return ret;
	o2dlm_debug_init();
	pr_info("o2dlm: loaded, DLM protocol %u.%u\n", O2DLM_PROTO_MAJOR,
		O2DLM_PROTO_MINOR);
	return 0;
}

static void __exit o2dlm_exit(void)
{
	o2dlm_debug_exit();
	o2net_unregister_handler_list(&o2dlm_join_handlers);
}

MODULE_DESCRIPTION("o2cb distributed lock manager");
MODULE_LICENSE("GPL");
module_init(o2dlm_init);
module_exit(o2dlm_exit);
