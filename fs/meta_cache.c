// SPDX-License-Identifier: GPL-2.0
/*
 * Which cached metadata blocks a cluster node may use without going to
 * the disk.  A block covered by an inode's meta lock (the inode block,
 * its extent, directory, index and xattr blocks; an allocator's group
 * descriptors) changes on disk only under that lock held exclusive, so
 * while this node keeps the lock at protected-read or above, what it
 * read from disk stays true.  Each inode therefore keeps the set of
 * blocks read from disk since its meta lock last came back from NL; a
 * block in the set whose buffer is still up to date is used as it is.
 * The set is emptied when the lock goes down to NL and again when it is
 * regained, so nothing read while another node could write survives.
 * Without this every lookup re-read each directory block it scanned.
 * Local mounts read through the buffer cache as always.
 */
#include <linux/blkdev.h>
#include <linux/module.h>
#include "ocfs2.h"

/*
 * Off: every read under a lock goes to disk, as before this file.  Sets
 * are emptied whether on or not, so it may be switched at any time.
 */
static bool cluster_meta_cache = true;
module_param(cluster_meta_cache, bool, 0644);
MODULE_PARM_DESC(cluster_meta_cache,
		 "cluster mounts keep metadata read under a held lock (default on)");

bool ocfs2_meta_cache_on(struct super_block *sb)
{
	return !OCFS2_SB(sb)->locks.local && READ_ONCE(cluster_meta_cache);
}

/* an entry's value: presence is all that counts */
#define FRESH	xa_mk_value(1)

void ocfs2_meta_cache_init(struct inode *inode)
{
	xa_init(&OCFS2_I(inode)->fresh);
}

/* The lock left us or came back: read everything from disk again. */
void ocfs2_meta_cache_forget(struct inode *inode)
{
	xa_destroy(&OCFS2_I(inode)->fresh);
}

/*
 * A block covered by @owner's meta lock, which the caller holds (or, if
 * not, it learns nothing it could trust: the regain empties the set).
 */
int ocfs2_read_covered(struct inode *owner, u64 blkno,
		       enum ocfs2_block_kind kind, struct buffer_head **bhp)
{
	struct super_block *sb = owner->i_sb;
	struct xarray *fresh = &OCFS2_I(owner)->fresh;
	struct buffer_head *bh;
	int ret;

	if (!ocfs2_meta_cache_on(sb) || !ocfs2_blkno_valid(OCFS2_SB(sb), blkno))
		return ocfs2_read_meta(sb, blkno, kind, bhp);
	*bhp = NULL;
	if (xa_load(fresh, blkno)) {
		bh = sb_getblk(sb, blkno);
		if (!bh)
			return -ENOMEM;
		/* a read ahead may still be on its way */
		wait_on_buffer(bh);
		if (buffer_uptodate(bh))
			return ocfs2_meta_checked(sb, bh, kind, bhp);
		brelse(bh);
	}
	ret = ocfs2_read_meta(sb, blkno, kind, bhp);
	/* no memory for the entry: the block is read again next time */
	if (!ret)
		xa_store(fresh, blkno, FRESH, GFP_NOFS);
	return ret;
}

/*
 * A buffer cached from before is read again: only what the disk says now
 * may enter the set.  Ours (dirty or in the journal) stay as they are.
 * False: busy, left out of the set.
 */
static bool start_read(struct buffer_head *bh)
{
	if (!trylock_buffer(bh))
		return false;
	if (!ocfs2_start_reread(bh, REQ_RAHEAD))
		unlock_buffer(bh);
	return true;
}

/*
 * Start reading up to @count blocks from @blkno that @owner's set lacks,
 * so a walk over a directory waits once per run of blocks, not per block.
 * A failed read leaves its buffer not up to date: the reader reads again.
 */
void ocfs2_covered_readahead(struct inode *owner, u64 blkno,
			     unsigned int count)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(owner->i_sb);
	struct xarray *fresh = &OCFS2_I(owner)->fresh;
	struct buffer_head *bh;
	struct blk_plug plug;

	if (osb->locks.local) {
		ocfs2_meta_readahead(owner->i_sb, blkno, count);
		return;
	}
	if (!ocfs2_meta_cache_on(owner->i_sb))
		return;
	blk_start_plug(&plug);
	for (; count && ocfs2_blkno_valid(osb, blkno); count--, blkno++) {
		if (xa_load(fresh, blkno))
			continue;
		bh = sb_getblk(owner->i_sb, blkno);
		if (!bh)
			break;
		if (start_read(bh) &&
		    xa_is_err(xa_store(fresh, blkno, FRESH, GFP_NOFS)))
			count = 1;
		brelse(bh);
	}
	blk_finish_plug(&plug);
}

/* Whether a cached copy of inode block @blkno looks like a live inode. */
static bool looks_live(struct buffer_head *bh, u64 blkno)
{
	const struct ocfs2_dinode *di = (const void *)bh->b_data;
	u32 flags = le32_to_cpu(di->i_flags);

	return !memcmp(di->i_signature, OCFS2_INODE_SIGNATURE,
		       sizeof(OCFS2_INODE_SIGNATURE) - 1) &&
	       le64_to_cpu(di->i_blkno) == blkno &&
	       (flags & OCFS2_VALID_FL) && !(flags & OCFS2_SYSTEM_FL);
}

/*
 * Before its meta lock is taken, a new in-memory inode needs to know
 * whether it is a system file (those are never locked to be read) and
 * its generation (the rw lock's name).  A cluster mount reads ordinary
 * inodes again under the lock, so a cached copy that looks like a live
 * ordinary inode is enough here and spares a read; anything else, and
 * every system file, is read from disk.
 */
int ocfs2_read_inode_hint(struct super_block *sb, u64 blkno,
			  struct buffer_head **bhp)
{
	struct buffer_head *bh;

	if (ocfs2_meta_cache_on(sb) && ocfs2_blkno_valid(OCFS2_SB(sb), blkno)) {
		bh = sb_getblk(sb, blkno);
		if (!bh)
			return -ENOMEM;
		if (buffer_uptodate(bh) && looks_live(bh, blkno)) {
			*bhp = bh;
			return 0;
		}
		brelse(bh);
	}
	return ocfs2_read_meta(sb, blkno, OCFS2_BLOCK_DINODE, bhp);
}
