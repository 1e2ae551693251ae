// SPDX-License-Identifier: GPL-2.0
/*
 * Regular file operations and the inode operations of regular and
 * special files.  Reads and writes go through the page cache; the meta
 * lock taken first is where a cluster mount learns of another node's
 * changes, the rw lock orders writers across nodes.  A write ends with
 * one transaction that stores the new size and times.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include "ocfs2.h"
#include "refcount.h"

static ssize_t ocfs2_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t done;
	int ret;

	ret = ocfs2_inode_lock_syscall(inode, NULL, 0);
	if (ret)
		return ret;
	ocfs2_inode_unlock(inode, 0);
	ocfs2_file_ra_window(iocb->ki_filp);
	done = generic_file_read_iter(iocb, to);
	if (done >= 0)
		ocfs2_update_atime(iocb->ki_filp);
	return done;
}

/* Under the meta lock at EX: ibh is the inode block it brought. */
static ssize_t write_locked(struct kiocb *iocb, struct iov_iter *from,
			    struct buffer_head *ibh)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	loff_t old_size = i_size_read(inode);
	ssize_t written, batched;
	int ret;

	written = generic_write_checks(iocb, from);
	if (written <= 0)
		return written;
	/* shared clusters under the write get their own copy first */
	ret = ocfs2_rc_cow(inode, ibh, iocb->ki_pos, iov_iter_count(from));
	if (ret)
		return ret;
	batched = ocfs2_write_batched(iocb, from, ibh);
	if (batched < 0)
		return batched;
	written = iov_iter_count(from) ? __generic_file_write_iter(iocb, from) : 0;
	/* what the batch wrote stays written whatever the rest did */
	if (written < 0 && batched)
		written = 0;
	written += batched;
	if (written <= 0)
		return written;
	ret = ocfs2_persist_inode_locked(inode, ibh, old_size);
	return ret ? ret : written;
}

/*
 * sendfile and splice (busybox cat uses sendfile): since 6.5 the generic
 * splice read no longer goes through read_iter, so the lock that brings
 * another node's changes and the atime update are taken here as well.
 */
static ssize_t ocfs2_file_splice_read(struct file *in, loff_t *ppos,
				      struct pipe_inode_info *pipe,
				      size_t len, unsigned int flags)
{
	struct inode *inode = file_inode(in);
	ssize_t done;
	int ret;

	ret = ocfs2_inode_lock(inode, NULL, 0);
	if (ret)
		return ret;
	ocfs2_inode_unlock(inode, 0);
	ocfs2_file_ra_window(in);
	done = kc_generic_splice_read(in, ppos, pipe, len, flags);
	if (done >= 0)
		ocfs2_update_atime(in);
	return done;
}

/*
 * The rw lock level of a write.  With coherency=buffered (stock's
 * option) an O_DIRECT write that does not append takes it shared, so
 * direct writers on several nodes do not queue for it; the meta lock at
 * EX, held for the whole write, still orders the writes themselves.
 */
static int write_rw_level(struct kiocb *iocb, size_t count)
{
	struct inode *inode = file_inode(iocb->ki_filp);

	if (!OCFS2_SB(inode->i_sb)->opts.coherency_buffered ||
	    !(iocb->ki_flags & IOCB_DIRECT) ||
	    (iocb->ki_flags & IOCB_APPEND) ||
	    iocb->ki_pos + count >= i_size_read(inode))
		return OCFS2_LOCK_EX;
	return OCFS2_LOCK_PR;
}

/* O_DIRECT writes go direct where direct.c can, buffered otherwise. */
static ssize_t ocfs2_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct ocfs2_inode_info *oi = OCFS2_I(inode);
	struct buffer_head *ibh;
	int rw_level;
	ssize_t ret;

	if (sb_rdonly(inode->i_sb) || !OCFS2_SB(inode->i_sb)->journal)
		return -EROFS;
	if (ocfs2_refcount_refused(inode))
		return -EOPNOTSUPP;
	inode_lock(inode);
	rw_level = write_rw_level(iocb, iov_iter_count(from));
	ret = ocfs2_lock(&oi->rw_lock, rw_level,
			 ocfs2_syscall_lock_flags(OCFS2_SB(inode->i_sb)));
	if (ret)
		goto out;
	ret = ocfs2_inode_lock_syscall(inode, &ibh, 1);
	if (!ret) {
		ret = write_locked(iocb, from, ibh);
		brelse(ibh);
		ocfs2_inode_unlock(inode, 1);
	}
	ocfs2_unlock(&oi->rw_lock, rw_level);
out:
	inode_unlock(inode);
	if (ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}

/*
 * Data first, then the journal: a commit covers every metadata change.
 * Directories too (their blocks are journaled metadata).  As stock, a
 * read-only mount answers -EROFS: nothing of it can be made durable.
 */
int ocfs2_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	struct inode *inode = file_inode(file);
	struct super_block *sb = inode->i_sb;
	int ret;

	if (sb_rdonly(sb) || !OCFS2_SB(sb)->journal)
		return -EROFS;
	ret = file_write_and_wait_range(file, start, end);
	if (ret)
		return ret;
	return ocfs2_journal_fsync(inode, datasync);
}

static vm_fault_t fault_result(int err)
{
	if (!err)
		return VM_FAULT_LOCKED;
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	/* -EFAULT: truncated meanwhile; the fault is retried */
	if (err == -EAGAIN || err == -EFAULT)
		return VM_FAULT_NOPAGE;
	return VM_FAULT_SIGBUS;
}

/*
 * A shared writable mapping first touching a page: its clusters are
 * allocated now, in a transaction started before the page lock, as in
 * write_begin; an inline file is promoted first.  The meta lock is held
 * across, as a write holds it: nothing waits for a lock inside.
 */
static vm_fault_t ocfs2_page_mkwrite(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	struct ocfs2_sb_info *osb = OCFS2_SB(inode->i_sb);
	struct buffer_head *ibh;
	handle_t *handle;
	int ret;

	if (ocfs2_refcount_refused(inode))
		return VM_FAULT_SIGBUS;
	sb_start_pagefault(inode->i_sb);
	file_update_time(vmf->vma->vm_file);
	ret = ocfs2_inode_is_inline(inode) ? ocfs2_promote_inline(inode) : 0;
	if (!ret)
		ret = ocfs2_inode_lock(inode, &ibh, 1);
	if (ret)
		goto out;
	/* the page's shared clusters get their own copy first */
	ret = ocfs2_rc_cow(inode, ibh, page_offset(vmf->page), PAGE_SIZE);
	if (ret) {
		brelse(ibh);
		goto out_unlock;
	}
	handle = ocfs2_start_alloc_trans(osb, OCFS2_AL_DATA,
					 ocfs2_alloc_credits(ibh));
	brelse(ibh);
	ret = PTR_ERR_OR_ZERO(handle);
	if (!ret) {
		ret = block_page_mkwrite(vmf->vma, vmf, ocfs2_get_block_write);
		ocfs2_commit_alloc_trans(osb, handle, OCFS2_AL_DATA);
	}
out_unlock:
	ocfs2_inode_unlock(inode, 1);
out:
	sb_end_pagefault(inode->i_sb);
	return fault_result(ret);
}

static const struct vm_operations_struct ocfs2_file_vm_ops = {
	.fault		= filemap_fault,
	.map_pages	= filemap_map_pages,
	.page_mkwrite	= ocfs2_page_mkwrite,
};

/*
 * No atime update here, unlike stock: mmap_lock is held, and a writer
 * holding the meta lock may fault on this mm while copying its data in.
 */
static int ocfs2_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &ocfs2_file_vm_ops;
	return 0;
}

const struct file_operations ocfs2_file_fops = {
	.llseek		= generic_file_llseek,
	.read_iter	= ocfs2_file_read_iter,
	.write_iter	= ocfs2_file_write_iter,
	.mmap		= ocfs2_file_mmap,
	.fsync		= ocfs2_fsync,
	.fallocate	= ocfs2_fallocate,
	.splice_read	= ocfs2_file_splice_read,
	.splice_write	= iter_file_splice_write,
	.remap_file_range = ocfs2_remap_file_range,
	.open		= ocfs2_file_open,
	.release	= ocfs2_file_release,
	.flock		= ocfs2_flock,
	.lock		= ocfs2_posix_lock,
	.unlocked_ioctl	= ocfs2_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

const struct inode_operations ocfs2_file_iops = {
	.setattr	= ocfs2_setattr,
	.getattr	= ocfs2_getattr,
	.fileattr_get	= ocfs2_fileattr_get,
	.fileattr_set	= ocfs2_fileattr_set,
	.listxattr	= ocfs2_listxattr,
	.permission	= ocfs2_permission,
	KC_ACL_IOPS(ocfs2_get_acl, ocfs2_set_acl)
};

const struct inode_operations ocfs2_special_iops = {
	.setattr	= ocfs2_setattr,
	.getattr	= ocfs2_getattr,
	.fileattr_get	= ocfs2_fileattr_get,
	.fileattr_set	= ocfs2_fileattr_set,
	.listxattr	= ocfs2_listxattr,
	.permission	= ocfs2_permission,
	KC_ACL_IOPS(ocfs2_get_acl, ocfs2_set_acl)
};
