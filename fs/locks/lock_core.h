/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cluster lock core: lock resources, holders and levels, independent of
 * what a lock protects.  Each subsystem declares its lock type (a struct
 * ocfs2_lock_type) beside the code it protects and takes its locks through
 * ocfs2_lock()/ocfs2_unlock().  A local-mount volume uses a local domain,
 * where every request is granted at once with no DLM behind it; a cluster
 * domain will hand requests to stackglue.
 */
#ifndef OCFS2_LOCK_CORE_H
#define OCFS2_LOCK_CORE_H

#include <linux/spinlock.h>
#include <linux/types.h>
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

struct ocfs2_lockres;

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
	/* before another node gets the lock: write back, drop caches */
	int (*downconvert)(struct ocfs2_lockres *res, int new_level);
	/* after regaining the lock: reload what it covers */
	int (*refresh)(struct ocfs2_lockres *res);
	/* before an EX lock goes down: store state into the LVB */
	void (*set_lvb)(struct ocfs2_lockres *res);
};

/* The lock space of one mounted volume. */
struct ocfs2_lock_domain {
	bool		local;		/* local mount: grant everything */
	const char	*dev_name;	/* for log lines */
	struct ocfs2_cluster_connection *conn;	/* cluster domain only */
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
	struct ocfs2_dlm_lksb		lksb;
};

int ocfs2_lock_domain_init(struct ocfs2_lock_domain *dom, bool local,
			   const char *dev_name);
void ocfs2_lock_domain_exit(struct ocfs2_lock_domain *dom);

unsigned int ocfs2_lock_name(char *buf, char type_char, u64 blkno, u32 gen);
void ocfs2_lockres_init(struct ocfs2_lockres *res,
			struct ocfs2_lock_domain *dom,
			const struct ocfs2_lock_type *type, void *owner,
			const char *name, unsigned int name_len);
void ocfs2_lockres_free(struct ocfs2_lockres *res);

int ocfs2_lock(struct ocfs2_lockres *res, int level, unsigned int flags);
void ocfs2_unlock(struct ocfs2_lockres *res, int level);

#endif /* OCFS2_LOCK_CORE_H */
