/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ocfs2_dlmfs internals.  The filesystem has three kinds of inode: the
 * root, where mkdir joins a lock domain (one stackglue connection per
 * directory); domain directories, where each regular file is one cluster
 * lock named by the file name; and those lock files.
 */
#ifndef OCFS2_DLMFS_H
#define OCFS2_DLMFS_H

#include <linux/fs.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <ocfs2/stackglue.h>

#define DLMFS_MAGIC		0x76a9f425
/* stock's limits: names must be shorter than these */
#define DLMFS_LOCK_NAME_MAX	32
#define DLMFS_DOMAIN_NAME_MAX	GROUP_NAME_MAX

/* dl_flags */
#define DL_ATTACHED	0x01	/* the DLM knows this lock */
#define DL_BUSY		0x02	/* a request to the DLM is outstanding */
#define DL_BLOCKED	0x04	/* another node waits for it (BAST) */
#define DL_TEARDOWN	0x08	/* being unlocked for good */
#define DL_QUEUED	0x10	/* the downconvert work is queued */
#define DL_CANCELING	0x20	/* the outstanding upconvert is being cancelled */
#define DL_NOQUEUE_REQ	0x40	/* the outstanding request is a trylock */

/*
 * One cluster lock, cached at its granted level after the last holder
 * closes, until another node asks for it (the BAST) - then the work item
 * lowers it to what the other node can share once no local holder is in
 * the way.
 */
struct dlmfs_lock {
	spinlock_t		dl_spin;
	unsigned int		dl_flags;
	int			dl_level;	/* granted; DLM_LOCK_IV if none */
	int			dl_requested;	/* of the outstanding request */
	int			dl_blocking;	/* highest mode others want */
	unsigned int		dl_pr_holders;
	unsigned int		dl_ex_holders;
	int			*dl_result;	/* the waiting requester's */
	struct ocfs2_dlm_lksb	dl_lksb;
	wait_queue_head_t	dl_wq;
	struct work_struct	dl_work;
	unsigned int		dl_namelen;
	char			dl_name[DLMFS_LOCK_NAME_MAX];
};

struct dlmfs_inode {
	struct ocfs2_cluster_connection	*di_conn;	/* domains and locks */
	struct inode			*di_parent;	/* locks: pinned domain */
	struct dlmfs_lock		di_lock;	/* locks only */
	struct inode			di_vfs;
};

static inline struct dlmfs_inode *DLMFS_I(struct inode *inode)
{
	return container_of(inode, struct dlmfs_inode, di_vfs);
}

static inline struct dlmfs_inode *dlmfs_lock_owner(struct dlmfs_lock *dl)
{
	return container_of(dl, struct dlmfs_inode, di_lock);
}

/* dlmfs_super.c */
extern struct workqueue_struct *dlmfs_wq;

/* dlmfs_namei.c */
extern const struct inode_operations dlmfs_root_iops;
extern const struct inode_operations dlmfs_domain_iops;

/* dlmfs_file.c */
extern const struct file_operations dlmfs_lock_fops;
extern const struct inode_operations dlmfs_lock_iops;

/* dlmfs_domain.c */
void dlmfs_domain_init(void);
struct ocfs2_cluster_connection *dlmfs_domain_join(const struct qstr *name);
void dlmfs_domain_leave(struct ocfs2_cluster_connection *conn);

/* dlmfs_lock.c */
void dlmfs_lock_init(struct dlmfs_lock *dl, const struct qstr *name);
int dlmfs_lock_get(struct dlmfs_lock *dl, int level, bool trylock);
void dlmfs_lock_put(struct dlmfs_lock *dl, int level);
int dlmfs_lock_destroy(struct dlmfs_lock *dl);
bool dlmfs_lock_blocked(struct dlmfs_lock *dl);
bool dlmfs_lock_read_lvb(struct dlmfs_lock *dl, char *lvb);
int dlmfs_lock_write_lvb(struct dlmfs_lock *dl, const char *buf,
			 size_t len);
extern struct ocfs2_locking_protocol dlmfs_lproto;

#endif /* OCFS2_DLMFS_H */
