// SPDX-License-Identifier: GPL-2.0
/*
 * Refcount records of one block, shared by the kernel and the unit tests
 * (see refcount_list.h).
 */
#include <linux/types.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#include "refcount_list.h"

static u64 rl_end(const struct ocfs2_refcount_rec *r)
{
	return le64_to_cpu(r->r_cpos) + le32_to_cpu(r->r_clusters);
}

int ocfs2_rl_find(const struct ocfs2_refcount_list *rl, u64 cluster,
		  bool *inside)
{
	int i, used = le16_to_cpu(rl->rl_used);

	for (i = 0; i < used; i++)
		if (rl_end(&rl->rl_recs[i]) > cluster)
			break;
	*inside = i < used && le64_to_cpu(rl->rl_recs[i].r_cpos) <= cluster;
	return i;
}

int ocfs2_rl_added(const struct ocfs2_refcount_list *rl, int idx,
		   bool inside, u64 first, u32 len, int delta)
{
	const struct ocfs2_refcount_rec *r = &rl->rl_recs[idx];

	if (!inside)
		return delta > 0;
	return (first > le64_to_cpu(r->r_cpos)) + (first + len < rl_end(r)) +
	       ((s64)le32_to_cpu(r->r_refcount) + delta > 0) - 1;
}

static void rl_insert(struct ocfs2_refcount_list *rl, int at, u64 cpos,
		      u32 clusters, u32 count)
{
	int used = le16_to_cpu(rl->rl_used);
	struct ocfs2_refcount_rec *r = &rl->rl_recs[at];

	memmove(r + 1, r, (used - at) * sizeof(*r));
	r->r_cpos = cpu_to_le64(cpos);
	r->r_clusters = cpu_to_le32(clusters);
	r->r_refcount = cpu_to_le32(count);
	rl->rl_used = cpu_to_le16(used + 1);
}

static void rl_remove(struct ocfs2_refcount_list *rl, int at)
{
	int used = le16_to_cpu(rl->rl_used);

	memmove(&rl->rl_recs[at], &rl->rl_recs[at + 1],
		(used - at - 1) * sizeof(rl->rl_recs[0]));
	memset(&rl->rl_recs[used - 1], 0, sizeof(rl->rl_recs[0]));
	rl->rl_used = cpu_to_le16(used - 1);
}

void ocfs2_rl_change(struct ocfs2_refcount_list *rl, int idx, bool inside,
		     u64 first, u32 len, int delta)
{
	struct ocfs2_refcount_rec r = rl->rl_recs[idx];
	u64 start = le64_to_cpu(r.r_cpos), end = rl_end(&r);
	u32 count = le32_to_cpu(r.r_refcount);
	u64 last = first + len;
	int at = idx;

	if (!inside) {
		rl_insert(rl, at, first, len, delta);
		return;
	}
	rl_remove(rl, at);
	if (first > start)
		rl_insert(rl, at++, start, first - start, count);
	if ((s64)count + delta > 0)
		rl_insert(rl, at++, first, len, count + delta);
	if (last < end)
		rl_insert(rl, at, last, end - last, count);
}

void ocfs2_rl_merge(struct ocfs2_refcount_list *rl)
{
	struct ocfs2_refcount_rec *a, *b;
	int i = 0;

	while (i + 1 < le16_to_cpu(rl->rl_used)) {
		a = &rl->rl_recs[i];
		b = a + 1;
		if (a->r_refcount == b->r_refcount &&
		    rl_end(a) == le64_to_cpu(b->r_cpos) &&
		    (u64)le32_to_cpu(a->r_clusters) +
		    le32_to_cpu(b->r_clusters) <= 0xffffffffULL) {
			a->r_clusters = cpu_to_le32(le32_to_cpu(a->r_clusters) +
						    le32_to_cpu(b->r_clusters));
			rl_remove(rl, i + 1);
		} else {
			i++;
		}
	}
}
