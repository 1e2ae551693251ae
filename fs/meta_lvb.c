// SPDX-License-Identifier: GPL-2.0
/*
 * The inode meta lock's value block, in the layout stock nodes read
 * (include/ocfs2/lock_fmt.h).  Stock refreshes a cached inode from it
 * without reading the disk, so before our exclusive lock goes down it
 * must say exactly what the inode on disk says; a deleted inode gets
 * version 0, which sends stock nodes to the disk.
 *
 * We never trust a value block: a regained lock reloads the inode from
 * disk, which the last writer checkpointed before letting go.  The block
 * is still checked against what the disk says, because a peer that
 * writes a wrong one misleads every stock node in the cluster: that is
 * worth a log line, and the disk's values are the ones used.
 */
#include <linux/build_bug.h>
#include <ocfs2/lock_fmt.h>
#include "ocfs2.h"

static u64 pack_time(struct timespec64 ts)
{
	return ((u64)ts.tv_sec << OCFS2_LVB_SEC_SHIFT) |
	       (ts.tv_nsec & OCFS2_LVB_NSEC_MASK);
}

/* Before an exclusive meta lock goes down or away. */
void ocfs2_meta_set_lvb(struct ocfs2_lockres *res)
{
	struct ocfs2_inode_info *oi = res->owner;
	struct inode *inode = &oi->vfs_inode;
	struct ocfs2_meta_lvb *lvb = ocfs2_lock_lvb(res);
	struct timespec64 a, m, c;

	if (!lvb)
		return;
	memset(lvb, 0, sizeof(*lvb));
	if (!(oi->flags & OCFS2_VALID_FL))
		return;		/* deleted here: version 0 */
	kc_inode_get_times(inode, &a, &m, &c);
	lvb->lvb_version = OCFS2_META_LVB_VERSION;
	lvb->lvb_idynfeatures = cpu_to_be16(oi->dyn_features);
	lvb->lvb_iclusters = cpu_to_be32(oi->clusters);
	lvb->lvb_iuid = cpu_to_be32(i_uid_read(inode));
	lvb->lvb_igid = cpu_to_be32(i_gid_read(inode));
	lvb->lvb_iatime_packed = cpu_to_be64(pack_time(a));
	lvb->lvb_ictime_packed = cpu_to_be64(pack_time(c));
	lvb->lvb_imtime_packed = cpu_to_be64(pack_time(m));
	lvb->lvb_isize = cpu_to_be64(i_size_read(inode));
	lvb->lvb_imode = cpu_to_be16(inode->i_mode);
	lvb->lvb_inlink = cpu_to_be16(inode->i_nlink);
	lvb->lvb_iattr = cpu_to_be32(oi->attr);
	lvb->lvb_igeneration = cpu_to_be32(oi->generation);
}

#define OCFS2_LVB_FIELDS	8

struct lvb_field {
	const char	*what;
	u64		lvb;
	u64		disk;
};

/* The first field where @lvb and the inode block @di disagree, or NULL. */
static const struct lvb_field *lvb_mismatch(const struct ocfs2_meta_lvb *lvb,
					    const struct ocfs2_dinode *di,
					    struct lvb_field *f)
{
	u32 nlink = le16_to_cpu(di->i_links_count) |
		    (le16_to_cpu(di->i_links_count_hi) << OCFS2_LINKS_HI_SHIFT);
	int i;

	f[0] = (struct lvb_field){ "size", be64_to_cpu(lvb->lvb_isize),
				   le64_to_cpu(di->i_size) };
	f[1] = (struct lvb_field){ "clusters", be32_to_cpu(lvb->lvb_iclusters),
				   le32_to_cpu(di->i_clusters) };
	f[2] = (struct lvb_field){ "mode", be16_to_cpu(lvb->lvb_imode),
				   le16_to_cpu(di->i_mode) };
	f[3] = (struct lvb_field){ "links", be16_to_cpu(lvb->lvb_inlink),
				   nlink & 0xffff };
	f[4] = (struct lvb_field){ "uid", be32_to_cpu(lvb->lvb_iuid),
				   le32_to_cpu(di->i_uid) };
	f[5] = (struct lvb_field){ "gid", be32_to_cpu(lvb->lvb_igid),
				   le32_to_cpu(di->i_gid) };
	f[6] = (struct lvb_field){ "dynamic features",
				   be16_to_cpu(lvb->lvb_idynfeatures),
				   le16_to_cpu(di->i_dyn_features) };
	f[7] = (struct lvb_field){ "attributes", be32_to_cpu(lvb->lvb_iattr),
				   le32_to_cpu(di->i_attr) };
	for (i = 0; i < OCFS2_LVB_FIELDS; i++)
		if (f[i].lvb != f[i].disk)
			return &f[i];
	return NULL;
}

/*
 * After the meta lock came back from NL, with the inode block just read:
 * a value block other nodes would trust but that does not match the disk
 * is reported.  Version 0 (none written, or the inode deleted) and a
 * block the DLM marked invalid (its writer died) say nothing.
 */
void ocfs2_meta_check_lvb(struct inode *inode, const struct ocfs2_dinode *di)
{
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct lvb_field fields[OCFS2_LVB_FIELDS], head;
	const struct ocfs2_meta_lvb *lvb;
	const struct lvb_field *bad;

	lvb = ocfs2_lock_lvb_readable(&oi->il->meta);
	if (!lvb || !lvb->lvb_version)
		return;
	bad = &head;
	if (lvb->lvb_version != OCFS2_META_LVB_VERSION)
		head = (struct lvb_field){ "version", lvb->lvb_version,
					   OCFS2_META_LVB_VERSION };
	else if (be32_to_cpu(lvb->lvb_igeneration) != oi->generation)
		head = (struct lvb_field){ "generation",
					   be32_to_cpu(lvb->lvb_igeneration),
					   oi->generation };
	else
		bad = lvb_mismatch(lvb, di, fields);
	if (!bad)
		return;
	pr_warn_ratelimited("ocfs2 (%s): inode %lu: the lock value block another node left disagrees with the inode on disk (%s: %llu in the block, %llu here); ignored, the disk's values are used\n",
			    inode->i_sb->s_id, inode->i_ino, bad->what,
			    (unsigned long long)bad->lvb,
			    (unsigned long long)bad->disk);
}
