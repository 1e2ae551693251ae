/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The records of one refcount block ({physical cluster, clusters, count},
 * sorted, not overlapping): finding a cluster, changing the count of a
 * range inside one record or one hole, merging neighbours.  Pure list
 * work shared by the kernel (which journals the block around it) and the
 * unit tests; nothing here reads or writes a disk.
 */
#ifndef OCFS2_FORMAT_REFCOUNT_LIST_H
#define OCFS2_FORMAT_REFCOUNT_LIST_H

#include <linux/types.h>
#include "ocfs2_fs.h"

/*
 * Index of the first record ending past @cluster; *@inside says whether
 * that record holds it (else @cluster is in a hole before it).
 */
int ocfs2_rl_find(const struct ocfs2_refcount_list *rl, u64 cluster,
		  bool *inside);
/*
 * Records a change of [@first, @first + @len) by @delta adds (may be
 * negative), at @idx as ocfs2_rl_find gave it for @first.
 */
int ocfs2_rl_added(const struct ocfs2_refcount_list *rl, int idx,
		   bool inside, u64 first, u32 len, int delta);
/*
 * The change itself: the record is replaced by its part before, the
 * changed part (unless its count reaches 0) and its part after; a hole
 * gets a record of count @delta.  The caller checked that it fits
 * (ocfs2_rl_added) and that the range lies in one record or hole.
 */
void ocfs2_rl_change(struct ocfs2_refcount_list *rl, int idx, bool inside,
		     u64 first, u32 len, int delta);
/* Neighbours that touch and share a count become one record. */
void ocfs2_rl_merge(struct ocfs2_refcount_list *rl);

#endif /* OCFS2_FORMAT_REFCOUNT_LIST_H */
