// SPDX-License-Identifier: GPL-2.0
/*
 * Joining a domain, both sides.  The joiner asks every live node
 * (QUERY_JOIN, carrying its view of the live nodes and its protocol
 * versions); a node that has the domain answers JOIN_OK and reserves the
 * join slot for it, one joiner at a time.  The joiner then checks that
 * both sides configured the same nodes (QUERY_NODEINFO) and heartbeat
 * regions (QUERY_REGION), and finally announces itself (ASSERT_JOINED).
 * On any refusal it releases the slots it got (CANCEL_JOIN) and retries.
 */
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dlm_internal.h"

#define O2DLM_JOIN_BACKOFF_MS	200

static void o2dlm_map_to_bytes(u8 *bytes, const unsigned long *map)
{
	int node;

	memset(bytes, 0, O2DLM_NODE_MAP_BYTES);
	for_each_set_bit(node, map, O2NM_MAX_NODES)
		bytes[node >> 3] |= 1 << (node & 7);
}

static bool o2dlm_byte_test(const u8 *bytes, int node)
{
	return bytes[node >> 3] & (1 << (node & 7));
}

static u32 o2dlm_join_reply(u8 code, u8 dlm_minor, u8 fs_minor)
{
	return (u32)code << 24 | (u32)dlm_minor << 16 | (u32)fs_minor << 8;
}

/*
 * A peer may join at the lower minor of ours and its request; the
 * majors must match and it may not ask below the minor we already run.
 */
static bool o2dlm_proto_fits(const struct o2dlm_protocol_version *ours,
			     struct o2dlm_protocol_version *req)
{
	if (ours->pv_major != req->pv_major || ours->pv_minor > req->pv_minor)
		return false;
	req->pv_minor = ours->pv_minor;
	return true;
}

static u8 o2dlm_judge_joiner(struct o2dlm_ctxt *dlm,
			     struct o2dlm_query_join_request *q, u32 *reply)
{
	int node;

	for_each_set_bit(node, dlm->domain_map, O2NM_MAX_NODES) {
		if (!o2dlm_byte_test(q->node_map, node)) {
			pr_notice("o2dlm: node %u may not join %s yet: it does not see node %d\n",
				  q->node_idx, dlm->name, node);
			return O2DLM_JOIN_DISALLOW;
		}
	}
	if (dlm->state == O2DLM_CTXT_NEW &&
	    dlm->joining_node == O2DLM_OWNER_UNKNOWN)
		return O2DLM_JOIN_OK_NO_MAP;
	if (dlm->joining_node != O2DLM_OWNER_UNKNOWN ||
	    test_bit(q->node_idx, dlm->domain_map))
		return O2DLM_JOIN_DISALLOW;
	if (!o2dlm_proto_fits(&dlm->dlm_proto, &q->dlm_proto) ||
	    !o2dlm_proto_fits(&dlm->fs_proto, &q->fs_proto)) {
		pr_err("o2dlm: node %u asked to join %s with DLM protocol %u.%u and fs protocol %u.%u; we run %u.%u and %u.%u\n",
		       q->node_idx, dlm->name, q->dlm_proto.pv_major,
		       q->dlm_proto.pv_minor, q->fs_proto.pv_major,
		       q->fs_proto.pv_minor, dlm->dlm_proto.pv_major,
		       dlm->dlm_proto.pv_minor, dlm->fs_proto.pv_major,
		       dlm->fs_proto.pv_minor);
		return O2DLM_JOIN_PROTOCOL_MISMATCH;
	}
	dlm->joining_node = q->node_idx;
	*reply = o2dlm_join_reply(O2DLM_JOIN_OK, q->dlm_proto.pv_minor,
				  q->fs_proto.pv_minor);
	return O2DLM_JOIN_OK;
}

static int o2dlm_query_join_handler(struct o2net_msg *msg, u32 len,
				    void *data, void **ret_data)
{
	struct o2dlm_query_join_request *q = (void *)msg->buf;
	struct o2dlm_ctxt *dlm;
	u32 reply = 0;
	u8 code = O2DLM_JOIN_DISALLOW;

	if (len < sizeof(*msg) + sizeof(*q) || q->name_len > O2NM_MAX_NAME_LEN ||
	    q->node_idx >= O2NM_MAX_NODES) {
		pr_err("o2dlm: dropped a malformed query-join (len %u)\n", len);
		return o2dlm_join_reply(O2DLM_JOIN_DISALLOW, 0, 0);
	}
	if (!o2hb_check_node_heartbeating_no_sem(q->node_idx))
		return o2dlm_join_reply(O2DLM_JOIN_DISALLOW, 0, 0);

	code = O2DLM_JOIN_OK_NO_MAP;
	spin_lock(&o2dlm_domain_lock);
	dlm = o2dlm_lookup_domain(q->domain, q->name_len);
	if (dlm && dlm->state != O2DLM_CTXT_LEAVING) {
		spin_lock(&dlm->spinlock);
		code = o2dlm_judge_joiner(dlm, q, &reply);
		spin_unlock(&dlm->spinlock);
	}
	spin_unlock(&o2dlm_domain_lock);
	return code == O2DLM_JOIN_OK ? reply : o2dlm_join_reply(code, 0, 0);
}

static struct o2dlm_ctxt *o2dlm_joining(const u8 *name, u8 len, u8 node)
{
	struct o2dlm_ctxt *dlm;

	assert_spin_locked(&o2dlm_domain_lock);
	dlm = o2dlm_lookup_domain(name, len);
	if (dlm && dlm->joining_node != node) {
		pr_err("o2dlm: node %u sent a join step for %s but the joining node is %u\n",
		       node, dlm->name, dlm->joining_node);
		return NULL;
	}
	return dlm;
}

static int o2dlm_assert_joined_handler(struct o2net_msg *msg, u32 len,
				       void *data, void **ret_data)
{
	struct o2dlm_assert_joined *a = (void *)msg->buf;
	struct o2dlm_ctxt *dlm;

	if (len < sizeof(*msg) + sizeof(*a) || a->name_len > O2NM_MAX_NAME_LEN ||
	    a->node_idx >= O2NM_MAX_NODES) {
		pr_err("o2dlm: dropped a malformed assert-joined (len %u)\n",
		       len);
		return 0;
	}
	spin_lock(&o2dlm_domain_lock);
	dlm = o2dlm_joining(a->domain, a->name_len, a->node_idx);
	if (dlm) {
		spin_lock(&dlm->spinlock);
		set_bit(a->node_idx, dlm->domain_map);
		dlm->joining_node = O2DLM_OWNER_UNKNOWN;
		spin_unlock(&dlm->spinlock);
		pr_notice("o2dlm: node %u joins domain %s\n", a->node_idx,
			  dlm->name);
		wake_up(&dlm->events);
	}
	spin_unlock(&o2dlm_domain_lock);
	return 0;
}

static int o2dlm_cancel_join_handler(struct o2net_msg *msg, u32 len,
				     void *data, void **ret_data)
{
	struct o2dlm_cancel_join *c = (void *)msg->buf;
	struct o2dlm_ctxt *dlm;

	if (len < sizeof(*msg) + sizeof(*c) || c->name_len > O2NM_MAX_NAME_LEN)
		return -EINVAL;
	spin_lock(&o2dlm_domain_lock);
	dlm = o2dlm_lookup_domain(c->domain, c->name_len);
	if (dlm) {
		spin_lock(&dlm->spinlock);
		if (dlm->joining_node == c->node_idx)
			dlm->joining_node = O2DLM_OWNER_UNKNOWN;
		spin_unlock(&dlm->spinlock);
		wake_up(&dlm->events);
	}
	spin_unlock(&o2dlm_domain_lock);
	return 0;
}

/* the joiner's configured nodes must be ours: number, address, port */
static int o2dlm_match_nodes(struct o2dlm_query_nodeinfo *qn)
{
	struct o2dlm_node_info *remote;
	struct o2nm_node *local;
	int i, j, ret = 0;

	if (qn->qn_numnodes > O2NM_MAX_NODES)
		return -EINVAL;
	for (i = 0; i < O2NM_MAX_NODES && !ret; i++) {
		local = o2nm_get_node_by_num(i);
		remote = NULL;
		for (j = 0; j < qn->qn_numnodes; j++)
			if (qn->qn_nodes[j].ni_nodenum == i)
				remote = &qn->qn_nodes[j];
		if (!local != !remote ||
		    (local && (remote->ni_ipv4_port != local->ipv4_port ||
			       remote->ni_ipv4_address != local->ipv4_address))) {
			pr_err("o2dlm: node %d is configured differently on node %u\n",
			       i, qn->qn_nodenum);
			ret = -EINVAL;
		}
		if (local)
			o2nm_node_put(local);
	}
	return ret;
}

static int o2dlm_query_nodeinfo_handler(struct o2net_msg *msg, u32 len,
					void *data, void **ret_data)
{
	struct o2dlm_query_nodeinfo *qn = (void *)msg->buf;
	struct o2dlm_ctxt *dlm;
	bool ok;

	if (len < sizeof(*msg) + offsetof(struct o2dlm_query_nodeinfo,
					  qn_nodes) ||
	    qn->qn_namelen > O2NM_MAX_NAME_LEN ||
	    len < sizeof(*msg) + offsetof(struct o2dlm_query_nodeinfo,
					  qn_nodes[qn->qn_numnodes]))
		return -EINVAL;
	spin_lock(&o2dlm_domain_lock);
	dlm = o2dlm_joining(qn->qn_domain, qn->qn_namelen, qn->qn_nodenum);
	ok = dlm != NULL;
	spin_unlock(&o2dlm_domain_lock);
	return ok ? o2dlm_match_nodes(qn) : -EINVAL;
}

static int o2dlm_match_regions(struct o2dlm_query_region *qr)
{
	char *local;
	int nr, i, j, ret = 0;

	if (!o2hb_global_heartbeat_active())
		return qr->qr_numregions ? -EINVAL : 0;
	if (!qr->qr_numregions || qr->qr_numregions > O2NM_MAX_REGIONS)
		return -EINVAL;
	local = kmalloc(sizeof(qr->qr_regions), GFP_KERNEL);
	if (!local)
		return -ENOMEM;
	nr = o2hb_get_all_regions(local, O2NM_MAX_REGIONS);
	if (nr != qr->qr_numregions)
		ret = -EINVAL;
	for (i = 0; i < nr && !ret; i++) {
		for (j = 0; j < qr->qr_numregions; j++)
			if (!memcmp(local + i * O2DLM_REGION_NAME_LEN,
				    qr->qr_regions + j * O2DLM_REGION_NAME_LEN,
				    O2DLM_REGION_NAME_LEN))
				break;
		if (j == qr->qr_numregions)
			ret = -EINVAL;
	}
	kfree(local);
	if (ret)
		pr_err("o2dlm: node %u heartbeats on other regions than we do\n",
		       qr->qr_node);
	return ret;
}

static int o2dlm_query_region_handler(struct o2net_msg *msg, u32 len,
				      void *data, void **ret_data)
{
	struct o2dlm_query_region *qr = (void *)msg->buf;
	struct o2dlm_ctxt *dlm;
	bool ok;

	if (len < sizeof(*msg) + sizeof(*qr) || qr->qr_namelen > O2NM_MAX_NAME_LEN)
		return -EINVAL;
	spin_lock(&o2dlm_domain_lock);
	dlm = o2dlm_joining(qr->qr_domain, qr->qr_namelen, qr->qr_node);
	ok = dlm != NULL;
	spin_unlock(&o2dlm_domain_lock);
	return ok ? o2dlm_match_regions(qr) : -EINVAL;
}

int o2dlm_register_join_handlers(struct list_head *list)
{
	static const struct {
		u32 type;
		u32 len;
		o2net_msg_handler_func *func;
	} tbl[] = {
		{ O2DLM_QUERY_JOIN_MSG, sizeof(struct o2dlm_query_join_request),
		  o2dlm_query_join_handler },
		{ O2DLM_ASSERT_JOINED_MSG, sizeof(struct o2dlm_assert_joined),
		  o2dlm_assert_joined_handler },
		{ O2DLM_CANCEL_JOIN_MSG, sizeof(struct o2dlm_cancel_join),
		  o2dlm_cancel_join_handler },
		{ O2DLM_QUERY_REGION_MSG, sizeof(struct o2dlm_query_region),
		  o2dlm_query_region_handler },
		{ O2DLM_QUERY_NODEINFO_MSG, sizeof(struct o2dlm_query_nodeinfo),
		  o2dlm_query_nodeinfo_handler },
	};
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(tbl); i++) {
		ret = o2net_register_handler(tbl[i].type, O2DLM_MOD_KEY,
					     tbl[i].len, tbl[i].func, NULL,
					     NULL, list);
		if (ret) {
			o2net_unregister_handler_list(list);
			return ret;
		}
	}
	return 0;
}

/* ---- the joining side ---- */

static int o2dlm_send_to(u32 type, void *buf, u32 len, int node, int *st)
{
	int ret = o2net_send_message(type, O2DLM_MOD_KEY, buf, len, node, st);

	if (ret < 0 && ret != -ENOPROTOOPT)
		pr_err("o2dlm: message %u to node %d failed: %d\n", type, node,
		       ret);
	return ret;
}

/* 0 with *code set, or a send error */
static int o2dlm_request_join(struct o2dlm_ctxt *dlm, int node, u8 *code)
{
	struct o2dlm_query_join_request q = { .node_idx = dlm->node_num };
	int st = 0, ret;

	q.name_len = strlen(dlm->name);
	memcpy(q.domain, dlm->name, q.name_len);
	q.dlm_proto = dlm->dlm_proto;
	q.fs_proto = dlm->fs_proto;
	spin_lock(&dlm->spinlock);
	o2dlm_map_to_bytes(q.node_map, dlm->live_map);
	spin_unlock(&dlm->spinlock);

	ret = o2dlm_send_to(O2DLM_QUERY_JOIN_MSG, &q, sizeof(q), node, &st);
	if (ret == -ENOPROTOOPT) {
		/* no o2dlm loaded there: a yes, but not in the domain */
		*code = O2DLM_JOIN_OK_NO_MAP;
		return 0;
	}
	if (ret < 0)
		return ret;
	*code = (u32)st >> 24;
	switch (*code) {
	case O2DLM_JOIN_OK:
		dlm->dlm_proto.pv_minor = ((u32)st >> 16) & 0xff;
		dlm->fs_proto.pv_minor = ((u32)st >> 8) & 0xff;
		return 0;
	case O2DLM_JOIN_DISALLOW:
	case O2DLM_JOIN_OK_NO_MAP:
		return 0;
	case O2DLM_JOIN_PROTOCOL_MISMATCH:
		pr_err("o2dlm: node %d runs a DLM or fs locking protocol incompatible with %u.%u/%u.%u\n",
		       node, dlm->dlm_proto.pv_major, dlm->dlm_proto.pv_minor,
		       dlm->fs_proto.pv_major, dlm->fs_proto.pv_minor);
		return -EPROTO;
	}
	pr_err("o2dlm: node %d answered query-join with code %u\n", node,
	       *code);
	return -EINVAL;
}

static int o2dlm_send_nodeinfo(struct o2dlm_ctxt *dlm, unsigned long *map)
{
	struct o2dlm_query_nodeinfo *qn;
	struct o2nm_node *n;
	int i, st, ret = 0;

	qn = kzalloc(sizeof(*qn), GFP_KERNEL);
	if (!qn)
		return -ENOMEM;
	for (i = 0; i < O2NM_MAX_NODES; i++) {
		n = o2nm_get_node_by_num(i);
		if (!n)
			continue;
		qn->qn_nodes[qn->qn_numnodes].ni_nodenum = n->num;
		qn->qn_nodes[qn->qn_numnodes].ni_ipv4_port = n->ipv4_port;
		qn->qn_nodes[qn->qn_numnodes].ni_ipv4_address = n->ipv4_address;
		qn->qn_numnodes++;
		o2nm_node_put(n);
	}
	qn->qn_nodenum = dlm->node_num;
	qn->qn_namelen = strlen(dlm->name);
	memcpy(qn->qn_domain, dlm->name, qn->qn_namelen);
	for_each_set_bit(i, map, O2NM_MAX_NODES) {
		if (i == dlm->node_num)
			continue;
		ret = o2dlm_send_to(O2DLM_QUERY_NODEINFO_MSG, qn, sizeof(*qn),
				    i, &st);
		ret = ret < 0 ? ret : st;
		if (ret)
			break;
	}
	kfree(qn);
	return ret;
}

static int o2dlm_send_regions(struct o2dlm_ctxt *dlm, unsigned long *map)
{
	struct o2dlm_query_region *qr;
	int i, st, ret = 0;

	qr = kzalloc(sizeof(*qr), GFP_KERNEL);
	if (!qr)
		return -ENOMEM;
	qr->qr_node = dlm->node_num;
	qr->qr_namelen = strlen(dlm->name);
	memcpy(qr->qr_domain, dlm->name, qr->qr_namelen);
	if (o2hb_global_heartbeat_active())
		qr->qr_numregions = o2hb_get_all_regions(qr->qr_regions,
							 O2NM_MAX_REGIONS);
	for_each_set_bit(i, map, O2NM_MAX_NODES) {
		if (i == dlm->node_num)
			continue;
		ret = o2dlm_send_to(O2DLM_QUERY_REGION_MSG, qr, sizeof(*qr),
				    i, &st);
		ret = ret < 0 ? ret : st;
		if (ret)
			break;
	}
	kfree(qr);
	return ret;
}

static void o2dlm_send_join_asserts(struct o2dlm_ctxt *dlm,
				    unsigned long *map)
{
	struct o2dlm_assert_joined a = { .node_idx = dlm->node_num };
	int node, st, ret;
	bool live;

	a.name_len = strlen(dlm->name);
	memcpy(a.domain, dlm->name, a.name_len);
	for_each_set_bit(node, map, O2NM_MAX_NODES) {
		if (node == dlm->node_num)
			continue;
		do {
			ret = o2dlm_send_to(O2DLM_ASSERT_JOINED_MSG, &a,
					    sizeof(a), node, &st);
			ret = ret < 0 ? ret : st;
			spin_lock(&dlm->spinlock);
			live = test_bit(node, dlm->live_map);
			spin_unlock(&dlm->spinlock);
			if (ret && live)
				msleep(O2DLM_JOIN_BACKOFF_MS);
		} while (ret && live);
	}
}

static void o2dlm_send_join_cancels(struct o2dlm_ctxt *dlm,
				    unsigned long *map)
{
	struct o2dlm_cancel_join c = { .node_idx = dlm->node_num };
	int node;

	c.name_len = strlen(dlm->name);
	memcpy(c.domain, dlm->name, c.name_len);
	for_each_set_bit(node, map, O2NM_MAX_NODES)
		if (node != dlm->node_num)
			o2dlm_send_to(O2DLM_CANCEL_JOIN_MSG, &c, sizeof(c),
				      node, NULL);
}

static int o2dlm_ask_all(struct o2dlm_ctxt *dlm, unsigned long *live,
			 unsigned long *yes)
{
	int node, ret;
	u8 code;

	for_each_set_bit(node, live, O2NM_MAX_NODES) {
		if (node == dlm->node_num)
			continue;
		ret = o2dlm_request_join(dlm, node, &code);
		if (ret)
			return ret;
		if (code == O2DLM_JOIN_OK)
			set_bit(node, yes);
		if (code == O2DLM_JOIN_DISALLOW)
			return -EAGAIN;
		spin_lock(&dlm->spinlock);
		ret = bitmap_equal(live, dlm->live_map, O2NM_MAX_NODES);
		spin_unlock(&dlm->spinlock);
		if (!ret)
			return -EAGAIN;
	}
	return 0;
}

/* one attempt; -EAGAIN means back off and try again */
int o2dlm_try_join(struct o2dlm_ctxt *dlm)
{
	unsigned long live[O2DLM_MAP_LONGS], yes[O2DLM_MAP_LONGS] = { 0 };
	int ret;

	o2hb_fill_node_map(live, O2NM_MAX_NODES);
	spin_lock(&dlm->spinlock);
	bitmap_copy(dlm->live_map, live, O2NM_MAX_NODES);
	dlm->joining_node = dlm->node_num;
	spin_unlock(&dlm->spinlock);

	ret = o2dlm_ask_all(dlm, live, yes);
	if (ret)
		goto out;
	spin_lock(&dlm->spinlock);
	bitmap_copy(dlm->domain_map, yes, O2NM_MAX_NODES);
	set_bit(dlm->node_num, dlm->domain_map);
	spin_unlock(&dlm->spinlock);
	if (dlm->dlm_proto.pv_major > 1 || dlm->dlm_proto.pv_minor > 0) {
		ret = o2dlm_send_nodeinfo(dlm, yes);
		if (!ret)
			ret = o2dlm_send_regions(dlm, yes);
		if (ret) {
			pr_err("o2dlm: domain %s: node or region configuration differs from the other nodes' (%d)\n",
			       dlm->name, ret);
			goto out;
		}
	}
	o2dlm_send_join_asserts(dlm, yes);
	spin_lock(&o2dlm_domain_lock);
	dlm->state = O2DLM_CTXT_JOINED;
	dlm->num_joins++;
	spin_unlock(&o2dlm_domain_lock);
out:
	spin_lock(&dlm->spinlock);
	dlm->joining_node = O2DLM_OWNER_UNKNOWN;
	spin_unlock(&dlm->spinlock);
	if (ret)
		o2dlm_send_join_cancels(dlm, yes);
	return ret;
}
