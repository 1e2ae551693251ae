/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cluster lock core: lock resources, holders and levels, independent of
 * what a lock protects.  Each subsystem declares its lock type (a struct
 * ocfs2_lock_type) beside the code it protects and takes its locks through
 * ocfs2_lock()/ocfs2_unlock().  A local-mount volume uses a local domain,
 * where every request is granted at once with no DLM behind it; a cluster
 * domain hands requests to stackglue and caches what the DLM granted until
 * another node asks for it (lock_dlm.c).
 */
#ifndef OCFS2_LOCK_CORE_H
#define OCFS2_LOCK_CORE_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <ocfs2/stackglue.h>

/* Lock levels are the DLM's: only NL, PR and EX are used. */
#define OCFS2_LOCK_NL		DLM_LOCK_NL
#define OCFS2_LOCK_PR		DLM_LOCK_PR
#define OCFS2_LOCK_EX		DLM_LOCK_EX

/* Names are "<type char>000000<blkno %016llx><generation %08x>". */
#define OCFS2_LOCK_NAME_MAX	32
#define OCFS2_LOCK_NAME_PAD	"000000"
/* The dentry lock name carries the inode number in binary after byte 18. */
#define OCFS2_DENTRY_LOCK_INO_START	18

/* ocfs2_lock() flags */
#define OCFS2_LOCK_NONBLOCK	0x1	/* busy -> -EAGAIN, never wait */
#define OCFS2_LOCK_NOQUEUE	0x2	/* DLM trylock: held elsewhere -> -EAGAIN */
#define OCFS2_LOCK_INTR		0x4	/* a signal ends the wait: -ERESTARTSYS */
/*
 * intr mounts, a system call's first locks: a signal seen before our
 * request is out, or while waiting behind a request of this node, ends
 * the wait (-ERESTARTSYS); a request sent is waited for, as stock does.
 */
#define OCFS2_LOCK_SIGNALS	0x8

/* lockres flags (cluster domain) */
#define OCFS2_LRF_ATTACHED	0x01	/* the DLM knows the lock: convert */
#define OCFS2_LRF_BUSY		0x02	/* a DLM request is in flight */
#define OCFS2_LRF_BLOCKED	0x04	/* another node wants it (BAST) */
#define OCFS2_LRF_QUEUED	0x08	/* on the downconvert or parked list */
#define OCFS2_LRF_DOWNCONVERTING 0x10	/* the downconvert thread has it */
#define OCFS2_LRF_NEEDS_REFRESH	0x20	/* regained: reload what it covers */
#define OCFS2_LRF_REFRESHING	0x40	/* a holder is reloading it */
#define OCFS2_LRF_FREEING	0x80	/* going away: no new requests */
/* an up-convert was granted: its requester holds it once before it goes */
#define OCFS2_LRF_GRANTED_UP	0x100
/* our up-convert blocks a node that blocks it: the thread cancels it */
#define OCFS2_LRF_CANCEL	0x200
/* BUSY, and the call handing the request to the DLM has not returned */
#define OCFS2_LRF_PENDING	0x400
/* rarely wanted by two nodes at once: the first request queues (attach) */
#define OCFS2_LRF_ATTACH_QUEUED	0x800
/* a new object's first request, which nobody waits for (ocfs2_lock_new) */
#define OCFS2_LRF_NEW		0x1000
/* ... and the DLM failed it: the downconvert thread sends it again */
#define OCFS2_LRF_RESEND	0x2000
/* held by no object: in the domain's kept-lock cache (lock_keep.c) */
#define OCFS2_LRF_KEPT		0x4000

struct ocfs2_lockres;
struct task_struct;

/*
 * What a subsystem tells the core about one kind of lock.  The callbacks
 * run only in a cluster domain: a local domain never has to give a lock up
 * or learn that another node changed what it covers.
 */
struct ocfs2_lock_type {
	char		type_char;	/* the DLM name's first character */
	const char	*name;		/* for log lines */
	/* the lock value block carries state (inode meta, orphan scan) */
	bool		uses_lvb;
	/* no caching: back to NL when the last holder leaves (flock) */
	bool		drop_on_unlock;
	/* once another node waits, no new local holder (lock_owner.c) */
	bool		fair;
	/*
	 * before another node gets the lock: write back, drop caches;
	 * -EAGAIN parks the resource until ocfs2_lock_domain_retry()
	 */
	int (*downconvert)(struct ocfs2_lockres *res, int new_level);
	/* after regaining the lock: reload what it covers */
	int (*refresh)(struct ocfs2_lockres *res);
	/* before an EX lock goes down: store state into the LVB */
	void (*set_lvb)(struct ocfs2_lockres *res);
};

/* Where a cluster domain connects: from the superblock and options. */
struct ocfs2_domain_params {
	const char	*stack;		/* 4-char label, "" for o2cb */
	const char	*cluster;	/* cluster name, may be "" */
	const u8	*uuid;		/* 16 bytes: the group name */
	void		(*node_down)(int node, void *data);
	/* a member left without a failure report: check its slot quietly */
	void		(*node_left)(int node, void *data);
	void		*node_down_data;
};

/* lock_stats per kind of lock: meta, open, dentry, rw, any other */
#define OCFS2_STAT_KINDS	5
#define OCFS2_STAT_KIND_CHARS	"MONW"

/* requests of one kind: [0] attaches, [1] converts; count and ns each */
struct ocfs2_lock_kind_stats {
	atomic64_t	count[2];
	atomic64_t	ns[2];
};

/*
 * What a cluster domain spent, for the bench and for reading a slow
 * cluster (lock_debug.c's lock_stats file): nanosecond sums and counts.
 */
struct ocfs2_lock_stats {
	struct ocfs2_lock_kind_stats kind[OCFS2_STAT_KINDS];
	atomic64_t	requests;	/* attaches and up-converts sent */
	atomic64_t	request_ns;	/* waiting for their grants */
	atomic64_t	downconverts;	/* done for another node */
	atomic64_t	prepare_ns;	/* the type's write-back before them */
	atomic64_t	parked;		/* waits for a journal checkpoint */
	atomic64_t	blocked_ns;	/* another node's wait, BAST to done */
	atomic64_t	refreshes;	/* reloads after a regain */
	atomic64_t	refresh_ns;
	atomic64_t	shared_reads;	/* metadata blocks read from disk */
	atomic64_t	slow_attaches;	/* first requests granted after 5 s */
	atomic64_t	new_requests;	/* a new object's, not waited for */
	atomic64_t	new_pending;	/* ... not granted yet */
	atomic64_t	resends;	/* ... failed by the DLM, sent again */
	atomic64_t	keeps;		/* locks kept past their object */
	atomic64_t	adopted;	/* ... taken up again, no request */
	atomic64_t	kept_released;	/* ... given back (BAST, bound, umount) */
};

/*
 * The locks of one object (an inode's meta and open locks, a dentry
 * lock) that outlive it in the domain's cache (lock_keep.c), found again
 * by the name of res[0].  The memory holding them stays until @free.
 */
#define OCFS2_KEPT_MAX		2
struct ocfs2_kept {
	struct hlist_node	hash;
	struct list_head	lru;
	struct ocfs2_lockres	*res[OCFS2_KEPT_MAX];
	/* the highest level each may be kept at (EX: its LVB set first) */
	int			max_level[OCFS2_KEPT_MAX];
	unsigned int		nr;
	int			state;		/* lock_keep.c, under kept_lock */
	void			*owner;		/* res->owner while kept */
	void			(*free)(struct ocfs2_kept *kept);
};

/* The lock space of one mounted volume. */
struct ocfs2_lock_domain {
	bool		local;		/* local mount: grant everything */
	const char	*dev_name;	/* for log lines */
	struct ocfs2_cluster_connection *conn;	/* cluster domain only */
	char		group[GROUP_NAME_MAX + 1];
	unsigned int	node;		/* this node's number */
	/* the downconvert thread and the resources it has to visit */
	spinlock_t	dc_lock;
	struct list_head dc_list;
	struct list_head dc_parked;	/* waiting for ocfs2_lock_domain_retry */
	unsigned long	dc_retries;	/* ocfs2_lock_domain_retry calls */
	struct list_head all;		/* every resource, under dc_lock */
	atomic_t	nr_blocked;	/* resources another node waits for */
	struct ocfs2_lock_stats stats;
	wait_queue_head_t dc_wq;
	/* a directory's last ungranted new lock was granted (new_done) */
	wait_queue_head_t new_wq;
	struct task_struct *dc_task;
	struct dentry	*debug_dir;	/* lock_debug.c */
	/* locks kept past their objects (lock_keep.c) */
	spinlock_t	kept_lock;
	struct hlist_head *kept_hash;
	struct list_head kept_lru;	/* oldest first */
	unsigned int	nr_kept;
};

/* a task holding a lock here, and how many times (lock_owner.c) */
#define OCFS2_LOCK_OWNERS	3
struct ocfs2_lock_owner {
	struct task_struct	*task;
	unsigned int		count;
};

struct ocfs2_lockres {
	const struct ocfs2_lock_type	*type;
	struct ocfs2_lock_domain	*domain;
	void				*owner;	/* the type's object */
	char				name[OCFS2_LOCK_NAME_MAX];
	unsigned int			name_len;
	spinlock_t			lock;	/* protects the fields below */
	int				level;	/* granted level */
	unsigned int			ro_holders;
	unsigned int			ex_holders;
	bool				initialized;
	/* cluster domain */
	unsigned int			flags;		/* OCFS2_LRF_* */
	int				requested;	/* level in flight */
	int				blocking;	/* level asked by others */
	int				status;		/* last AST result */
	wait_queue_head_t		wq;
	struct list_head		dc_item;
	struct list_head		all_item;	/* domain's all */
	unsigned long			blocked_since;	/* jiffies */
	struct ocfs2_lock_owner		owners[OCFS2_LOCK_OWNERS];
	unsigned int			untracked;	/* holders past owners */
	/* OCFS2_LRF_NEW: its directory's count of them, and when sent */
	atomic_t			*unpublished;
	u64				new_sent_ns;
	struct ocfs2_dlm_lksb		lksb;
};

int ocfs2_lock_domain_init(struct ocfs2_lock_domain *dom,
			   const struct ocfs2_domain_params *params,
			   const char *dev_name);
void ocfs2_lock_domain_exit(struct ocfs2_lock_domain *dom);
/* what a parked downconvert waited for is done: try them again */
void ocfs2_lock_domain_retry(struct ocfs2_lock_domain *dom);

unsigned int ocfs2_lock_name(char *buf, char type_char, u64 blkno, u32 gen);
void ocfs2_lockres_init(struct ocfs2_lockres *res,
			struct ocfs2_lock_domain *dom,
			const struct ocfs2_lock_type *type, void *owner,
			const char *name, unsigned int name_len);
void ocfs2_lockres_free(struct ocfs2_lockres *res);
void ocfs2_lockres_attach_queued(struct ocfs2_lockres *res);

int ocfs2_lock(struct ocfs2_lockres *res, int level, unsigned int flags);
void ocfs2_unlock(struct ocfs2_lockres *res, int level);
/* a new object's lock, asked for and not waited for (held if @hold) */
int ocfs2_lock_new(struct ocfs2_lockres *res, int level, bool hold,
		   atomic_t *unpublished);
/* every lock asked for by ocfs2_lock_new against @unpublished granted */
void ocfs2_lock_new_wait(struct ocfs2_lock_domain *dom, atomic_t *unpublished);

/* lock_ahead.c: a lock asked for by a kworker while the caller goes on */
struct ocfs2_lock_ahead {
	struct work_struct	work;
	struct ocfs2_lockres	*res;
	int			level;
	int			ret;
	bool			queued;
	bool			held;	/* granted at the start */
};
void ocfs2_lock_ahead_start(struct ocfs2_lock_ahead *la,
			    struct ocfs2_lockres *res, int level);
int ocfs2_lock_ahead_wait(struct ocfs2_lock_ahead *la);
void ocfs2_lock_ahead_drop(struct ocfs2_lock_ahead *la);
/* the LVB of a lock this node holds (cluster domain), else NULL */
void *ocfs2_lock_lvb(struct ocfs2_lockres *res);
/* the same, only when the DLM vouches for it (its writer did not die) */
void *ocfs2_lock_lvb_readable(struct ocfs2_lockres *res);

/* lock_dlm.c: the cluster domain */
void ocfs2_dlm_declare_protocol(void);
int ocfs2_dlm_domain_init(struct ocfs2_lock_domain *dom,
			  const struct ocfs2_domain_params *params);
void ocfs2_dlm_domain_exit(struct ocfs2_lock_domain *dom);
void ocfs2_dlm_domain_retry(struct ocfs2_lock_domain *dom);
int ocfs2_dlm_cluster_lock(struct ocfs2_lockres *res, int level,
			   unsigned int flags);
void ocfs2_dlm_cluster_unlock(struct ocfs2_lockres *res);
void ocfs2_dlm_lockres_free(struct ocfs2_lockres *res);
void ocfs2_dlm_lockres_add(struct ocfs2_lockres *res);
int ocfs2_dlm_lock_new(struct ocfs2_lockres *res, int level, bool hold,
		       atomic_t *unpublished);

/* lock_keep.c: locks that outlive their object (ocfs2.kept_locks) */
int ocfs2_lock_keep_init(struct ocfs2_lock_domain *dom);
void ocfs2_lock_keep_exit(struct ocfs2_lock_domain *dom);
bool ocfs2_lock_keep(struct ocfs2_kept *kept);
struct ocfs2_kept *ocfs2_lock_adopt(struct ocfs2_lock_domain *dom,
				    const char *name, unsigned int name_len,
				    void *owner);
void ocfs2_lock_kept_flush(struct ocfs2_lock_domain *dom);
bool ocfs2_lock_kept_take(struct ocfs2_kept *kept);
void ocfs2_lock_kept_release(struct ocfs2_kept *kept);

/* lock_owner.c: res->lock held */
void ocfs2_lock_owner_add(struct ocfs2_lockres *res);
void ocfs2_lock_owner_del(struct ocfs2_lockres *res);
bool ocfs2_lock_newcomer_waits(struct ocfs2_lockres *res);

/* lock_debug.c: the locking_state file debugfs.ocfs2 -R fs_locks reads */
void ocfs2_lock_debug_init(void);
void ocfs2_lock_debug_exit(void);
void ocfs2_lock_debug_add(struct ocfs2_lock_domain *dom);
void ocfs2_lock_debug_remove(struct ocfs2_lock_domain *dom);

#endif /* OCFS2_LOCK_CORE_H */
