/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel APIs of the two Debian kernels we build for
 * (6.1 and 6.12), kept here as small inline wrappers so that no .c file
 * carries a version #ifdef.
 */
#ifndef OCFS2_SUITE_KCOMPAT_H
#define OCFS2_SUITE_KCOMPAT_H

#include <linux/version.h>

/*
 * sysctl tables: 6.1's register_sysctl() walks to an empty entry; from
 * 6.6 it is sized by ARRAY_SIZE and 6.12 rejects the empty entry.  End
 * every table with KC_SYSCTL_TABLE_END.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define KC_SYSCTL_TABLE_END	{ }
#else
#define KC_SYSCTL_TABLE_END
#endif


#endif /* OCFS2_SUITE_KCOMPAT_H */

/*
 * Wrappers for users of <linux/device-mapper.h>: include this header after
 * it.  Kept outside the include guard so a later inclusion still adds them.
 */
#if defined(_LINUX_DEVICE_MAPPER_H) && !defined(KCOMPAT_DM_WRAPPERS)
#define KCOMPAT_DM_WRAPPERS

/* dm_table_get_mode() gives an fmode_t before 6.5 and a blk_mode_t after. */
static inline bool kc_dm_table_writable(struct dm_table *t)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return dm_table_get_mode(t) & BLK_OPEN_WRITE;
#else
	return dm_table_get_mode(t) & FMODE_WRITE;
#endif
}

#endif /* _LINUX_DEVICE_MAPPER_H && !KCOMPAT_DM_WRAPPERS */

/*
 * Wrappers for filesystem code (users of <linux/fs.h>).  6.6 hid the inode
 * timestamps behind accessors; 6.5 renamed the page-cache splice helper.
 * Kept outside the include guard, like the dm wrappers, for the same reason.
 */
#if defined(_LINUX_FS_H) && !defined(KCOMPAT_FS_WRAPPERS)
#define KCOMPAT_FS_WRAPPERS
static inline void kc_inode_set_times(struct inode *inode,
				      struct timespec64 atime,
				      struct timespec64 mtime,
				      struct timespec64 ctime)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	inode_set_atime_to_ts(inode, atime);
	inode_set_mtime_to_ts(inode, mtime);
	inode_set_ctime_to_ts(inode, ctime);
#else
	inode->i_atime = atime;
	inode->i_mtime = mtime;
	inode->i_ctime = ctime;
#endif
}

static inline void kc_inode_get_times(struct inode *inode,
				      struct timespec64 *atime,
				      struct timespec64 *mtime,
				      struct timespec64 *ctime)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	*atime = inode_get_atime(inode);
	*mtime = inode_get_mtime(inode);
	*ctime = inode_get_ctime(inode);
#else
	*atime = inode->i_atime;
	*mtime = inode->i_mtime;
	*ctime = inode->i_ctime;
#endif
}

/*
 * The first argument of ->setattr and friends: a user namespace before
 * 6.3, an idmap after.  Declare it as "struct kc_idmap *"; kc_nop_idmap
 * is the identity one (for inode_init_owner and friends).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define kc_idmap	mnt_idmap
#define kc_nop_idmap	(&nop_mnt_idmap)
#else
#define kc_idmap	user_namespace
#define kc_nop_idmap	(&init_user_ns)
#endif

/* 6.9 moved a file lock's flags and type into file_lock_core */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#include <linux/filelock.h>
#endif
static inline unsigned int kc_fl_flags(struct file_lock *fl)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	return fl->c.flc_flags;
#else
	return fl->fl_flags;
#endif
}

static inline unsigned char kc_fl_type(struct file_lock *fl)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	return fl->c.flc_type;
#else
	return fl->fl_type;
#endif
}

/* generic_fillattr gained the request mask in 6.6 */
static inline void kc_generic_fillattr(struct kc_idmap *idmap, u32 mask,
				       struct inode *inode, struct kstat *stat)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	generic_fillattr(idmap, mask, inode, stat);
#else
	generic_fillattr(idmap, inode, stat);
#endif
}

/*
 * POSIX ACL inode operations.  6.2 renamed the permission-check reader
 * ->get_acl to ->get_inode_acl and gave ->set_acl a dentry where 6.1 gives
 * the inode ("struct kc_acl_target"; kc_acl_inode() finds the inode).
 * 6.1 reaches them through the VFS's system.posix_acl_* xattr handlers,
 * which the filesystem lists; from 6.2 the VFS calls them itself and the
 * handlers must not be listed.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define kc_acl_target		dentry
#define kc_acl_inode(t)		d_inode(t)
#define KC_ACL_IOPS(get, set)	.get_inode_acl = (get), .set_acl = (set),
#define KC_POSIX_ACL_XATTR_HANDLERS
#else
#define kc_acl_target		inode
#define kc_acl_inode(t)		(t)
#define KC_ACL_IOPS(get, set)	.get_acl = (get), .set_acl = (set),
#define KC_POSIX_ACL_XATTR_HANDLERS \
	&posix_acl_access_xattr_handler, &posix_acl_default_xattr_handler,
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define kc_generic_splice_read	filemap_splice_read
#else
#define kc_generic_splice_read	generic_file_splice_read
#endif
#endif /* _LINUX_FS_H && !KCOMPAT_FS_WRAPPERS */

/*
 * Wrappers for users of <linux/dlm_plock.h> (cluster POSIX locks).  6.9
 * moved a lock's type into file_lock_core and 6.6 added dlm_posix_cancel;
 * before it, a cancel is an unlock of the same range, as 6.1's ocfs2 did.
 */
#if defined(__DLM_PLOCK_DOT_H__) && !defined(KCOMPAT_PLOCK_WRAPPERS)
#define KCOMPAT_PLOCK_WRAPPERS
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#include <linux/filelock.h>
#endif
static inline bool kc_posix_lock_is_unlock(struct file_lock *fl)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	return lock_is_unlock(fl);
#else
	return fl->fl_type == F_UNLCK;
#endif
}

static inline int kc_dlm_posix_cancel(dlm_lockspace_t *ls, u64 number,
				      struct file *file, struct file_lock *fl)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return dlm_posix_cancel(ls, number, file, fl);
#else
	fl->fl_type = F_UNLCK;
	return dlm_posix_unlock(ls, number, file, fl);
#endif
}
#endif /* __DLM_PLOCK_DOT_H__ && !KCOMPAT_PLOCK_WRAPPERS */

/*
 * Wrappers for the buffer-head page cache helpers (users of
 * <linux/buffer_head.h>).  6.12's write_begin/write_end hand over a folio
 * where 6.1's hand over a page ("struct kc_wb_page" is whichever the
 * kernel uses);
 * 6.8 turned block_write_full_page into block_write_full_folio.
 */
#if defined(_LINUX_BUFFER_HEAD_H) && !defined(KCOMPAT_BH_WRAPPERS)
#define KCOMPAT_BH_WRAPPERS
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define kc_wb_page	folio
static inline struct folio *kc_wb_folio(struct kc_wb_page *p)
{
	return p;
}

static inline struct kc_wb_page *kc_wb_from_page(struct page *page)
{
	return page_folio(page);
}

static inline size_t kc_wb_copy_atomic(struct kc_wb_page *p, size_t off,
				       size_t bytes, struct iov_iter *from)
{
	return copy_folio_from_iter_atomic(p, off, bytes, from);
}
#else
#define kc_wb_page	page
static inline struct folio *kc_wb_folio(struct kc_wb_page *p)
{
	return page_folio(p);
}

static inline struct kc_wb_page *kc_wb_from_page(struct page *page)
{
	return page;
}

static inline size_t kc_wb_copy_atomic(struct kc_wb_page *p, size_t off,
				       size_t bytes, struct iov_iter *from)
{
	return copy_page_from_iter_atomic(p, off, bytes, from);
}
#endif

/*
 * ->writepage: 6.1's writeback falls back to it for pages mpage cannot
 * write whole; 6.12 does that itself (and exports no helper for it), so
 * there the operation is left out and the wrapper is never reached.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define KC_WRITEPAGE_OP(fn)
static inline int kc_block_write_full_page(struct page *page,
					   get_block_t *get_block,
					   struct writeback_control *wbc)
{
	folio_redirty_for_writepage(wbc, page_folio(page));
	unlock_page(page);
	return 0;
}
#else
#define KC_WRITEPAGE_OP(fn)	.writepage = (fn),
static inline int kc_block_write_full_page(struct page *page,
					   get_block_t *get_block,
					   struct writeback_control *wbc)
{
	return block_write_full_page(page, get_block, wbc);
}
#endif
#endif /* _LINUX_BUFFER_HEAD_H && !KCOMPAT_BH_WRAPPERS */
