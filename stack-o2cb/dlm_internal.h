/* SPDX-License-Identifier: GPL-2.0 */
/*
 * o2dlm internals, shared by its layers:
 *   dlm_main.c     module init, the domain list, the join-key handlers
 *   dlm_join.c     joining a domain (query/assert/cancel join, node and
 *                  region checks) and both sides of those messages
 *   dlm_domain.c   domain life: create, leave, exit messages, heartbeat
 *                  events and eviction callbacks
 *   dlm_lockres.c  lock resources, their hash and the lock objects
 *   dlm_master.c   who masters a resource: master request, assert master,
 *                  deref (the stock mastery protocol)
 *   dlm_queue.c    the master's queues: grant, convert, unlock, blocking
 *   dlm_ast.c      AST/BAST delivery (local call or proxy_ast message)
 *   dlm_remote.c   lock requests to a remote master and their handlers
 *   dlm_api.c      o2dlm_lock / o2dlm_unlock
 *   dlm_recovery.c a dead master's resources rebuilt on a survivor: the
 *                  $RECOVERY election and the stock recovery messages
 *   dlm_reco_data.c lock state as it travels in MIG_LOCKRES messages
 *   dlm_migrate.c  a leaving master hands its resources over (both sides)
 *   dlm_debugfs.c  /sys/kernel/debug/o2dlm/<domain>/ views
 *
 * Locking order: dlm->spinlock (maps, hash, mles) before res->spinlock.
 * Nothing holding a spinlock sends a message.  Message handlers run in
 * o2net's receive workers and never wait for another message to the same
 * peer; work that must send (asserts, proxy ASTs) goes to dlm->wq.
 */
#ifndef O2CB_DLM_INTERNAL_H
#define O2CB_DLM_INTERNAL_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "o2dlm.h"
#include "o2hb.h"
#include "o2net.h"
#include "o2nm.h"

#define O2DLM_OWNER_UNKNOWN	O2NM_MAX_NODES
#define O2DLM_HASH_BUCKETS	1024
#define O2DLM_MAP_LONGS		BITS_TO_LONGS(O2NM_MAX_NODES)

enum o2dlm_ctxt_state {
	O2DLM_CTXT_NEW = 0,
	O2DLM_CTXT_JOINED,
	O2DLM_CTXT_IN_SHUTDOWN,
	O2DLM_CTXT_LEAVING,
};

struct o2dlm_ctxt {
	struct list_head	list;		/* on o2dlm_domains */
	char			name[O2NM_MAX_NAME_LEN + 1];
	u32			key;
	u8			node_num;
	struct kref		refs;
	enum o2dlm_ctxt_state	state;		/* under o2dlm_domain_lock */
	int			num_joins;

	spinlock_t		spinlock;
	unsigned long		domain_map[O2DLM_MAP_LONGS];
	unsigned long		live_map[O2DLM_MAP_LONGS];
	u8			joining_node;
	/* leaving, nothing left to hand over: no mastery, no recovery */
	bool			migrate_done;
	/* nodes that said BEGIN_EXIT: never a migration target */
	unsigned long		exit_map[O2DLM_MAP_LONGS];
	struct o2dlm_protocol_version dlm_proto;
	struct o2dlm_protocol_version fs_proto;
	struct hlist_head	*hash;
	struct list_head	mles;
	atomic64_t		cookie_seq;

	/* AST and BAST deliveries, run in order by ast_work */
	spinlock_t		ast_lock;
	struct list_head	ast_list;
	struct work_struct	ast_work;
	struct workqueue_struct	*wq;

	struct list_head	handlers;
	struct o2hb_callback_func hb_up;
	struct o2hb_callback_func hb_down;
	struct list_head	evict_cbs;	/* under o2dlm_evict_sem */
	wait_queue_head_t	events;

	/* recovery of dead nodes, one at a time, in reco_work */
	struct workqueue_struct	*reco_wq;
	struct work_struct	reco_work;
	unsigned long		recovery_map[O2DLM_MAP_LONGS];
	u8			reco_dead;	/* being recovered, or UNKNOWN */
	u8			reco_master;	/* who recovers it, or UNKNOWN */
	bool			reco_finalizing;
	u8			reco_state[O2NM_MAX_NODES];
	wait_queue_head_t	reco_wait;
	struct dentry		*debug_dir;
};

/* res->state bits */
#define O2DLM_RES_IN_PROGRESS	0x0001	/* mastery or a remote request */
#define O2DLM_RES_RECOVERING	0x0002	/* its master died */
#define O2DLM_RES_DEAD		0x0004	/* unhashed, being freed */
#define O2DLM_RES_MIGRATING	0x0008	/* its master is changing */

struct o2dlm_lockres {
	struct hlist_node	hash_node;
	struct kref		refs;
	struct o2dlm_ctxt	*dlm;
	u8			name[O2DLM_LOCKID_NAME_MAX];
	u8			namelen;

	spinlock_t		spinlock;
	u8			owner;
	unsigned int		state;
	struct list_head	granted;
	struct list_head	converting;
	struct list_head	blocked;
	unsigned long		refmap[O2DLM_MAP_LONGS];
	u8			mig_peer;	/* target, or old master */
	char			lvb[O2DLM_LVB_LEN];
	wait_queue_head_t	wq;
};

enum o2dlm_queue { O2DLM_Q_GRANTED, O2DLM_Q_CONVERTING, O2DLM_Q_BLOCKED };

/* one pending delivery for a lock, on dlm->ast_list */
struct o2dlm_ast_entry {
	struct list_head	item;
	struct o2dlm_lock	*lock;
};

struct o2dlm_lock {
	struct list_head	list;		/* on one of res's queues */
	struct kref		refs;
	struct o2dlm_lockres	*res;
	s8			type;
	s8			convert_type;
	s8			highest_blocked;	/* BAST already sent */
	u8			node;
	u64			cookie;
	struct o2dlm_lksb	*lksb;
	/* a remote holder's lock on its master keeps its own block */
	struct o2dlm_lksb	own_lksb;
	char			own_lvb[O2DLM_LVB_LEN];

	o2dlm_ast_fn		*ast;
	o2dlm_bast_fn		*bast;
	void			*astdata;

	/* at most one of each kind waits for delivery */
	struct o2dlm_ast_entry	ast_e;
	struct o2dlm_ast_entry	bast_e;
	struct o2dlm_ast_entry	unlock_e;
	int			bast_level;
	enum o2dlm_status	unlock_status;
	o2dlm_unlock_ast_fn	*unlock_ast;
	void			*unlock_data;
};

/* dlm_main.c */
extern spinlock_t o2dlm_domain_lock;
extern struct list_head o2dlm_domains;
struct o2dlm_ctxt *o2dlm_lookup_domain(const char *name, unsigned int len);
bool o2dlm_grab(struct o2dlm_ctxt *dlm);
void o2dlm_put(struct o2dlm_ctxt *dlm);
bool o2dlm_joined(struct o2dlm_ctxt *dlm);
bool o2dlm_sender_ok(struct o2dlm_ctxt *dlm, struct o2net_msg *msg,
		     u8 claimed, const char *what);
int o2dlm_malformed(struct o2dlm_ctxt *dlm, const char *what, u32 len);
bool o2dlm_is_host_down(int err);

/* dlm_join.c */
int o2dlm_try_join(struct o2dlm_ctxt *dlm);
int o2dlm_register_join_handlers(struct list_head *list);

/* dlm_domain.c */
void o2dlm_node_left(struct o2dlm_ctxt *dlm, u8 node, bool died);
int o2dlm_register_domain_handlers(struct o2dlm_ctxt *dlm);
void o2dlm_ctxt_release(struct kref *kref);

/* dlm_lockres.c */
struct o2dlm_lockres *o2dlm_lookup_lockres(struct o2dlm_ctxt *dlm,
					   const u8 *name, unsigned int len);
struct o2dlm_lockres *__o2dlm_lookup_lockres(struct o2dlm_ctxt *dlm,
					     const u8 *name, unsigned int len);
struct o2dlm_lockres *o2dlm_new_lockres(struct o2dlm_ctxt *dlm,
					const u8 *name, unsigned int len);
struct o2dlm_lockres *o2dlm_find_or_add_lockres(struct o2dlm_ctxt *dlm,
						const u8 *name,
						unsigned int len);
void __o2dlm_insert_lockres(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *r);
void o2dlm_lockres_get(struct o2dlm_lockres *res);
void o2dlm_lockres_put(struct o2dlm_lockres *res);
void o2dlm_free_all_lockres(struct o2dlm_ctxt *dlm);
void o2dlm_free_lockres_locks(struct o2dlm_lockres *res);
struct o2dlm_lock *o2dlm_new_lock(int type, u8 node, u64 cookie);
void o2dlm_lock_get(struct o2dlm_lock *lock);
void o2dlm_lock_put(struct o2dlm_lock *lock);
struct o2dlm_lock *o2dlm_find_lock(struct o2dlm_lockres *res, u64 cookie,
				   enum o2dlm_queue *queue);
bool o2dlm_res_has_locks(struct o2dlm_lockres *res);
/* fn(dlm, res, arg) for each resource; returns how many fn counted */
int o2dlm_for_each_lockres(struct o2dlm_ctxt *dlm,
			   int (*fn)(struct o2dlm_ctxt *, struct o2dlm_lockres *,
				     void *), void *arg);
/* the same with dlm->spinlock already held */
int __o2dlm_for_each_lockres(struct o2dlm_ctxt *dlm,
			     int (*fn)(struct o2dlm_ctxt *,
				       struct o2dlm_lockres *, void *),
			     void *arg);

/* dlm_master.c */
int o2dlm_get_master(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
		     int flags);
int o2dlm_register_master_handlers(struct o2dlm_ctxt *dlm);
void o2dlm_assert_mastery(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			  unsigned long *map, u32 flags);
void o2dlm_mle_set_master(struct o2dlm_ctxt *dlm, const u8 *name, u8 len,
			  u8 master);
void o2dlm_mle_node_down(struct o2dlm_ctxt *dlm, u8 node);
void o2dlm_free_mles(struct o2dlm_ctxt *dlm);

/* dlm_recovery.c */
#define O2DLM_LKM_RECOVERY	0x80000000
#define O2DLM_RECOVERY_LOCK	"$RECOVERY"
void o2dlm_recovery_init(struct o2dlm_ctxt *dlm);
void o2dlm_start_recovery(struct o2dlm_ctxt *dlm, u8 dead);
int o2dlm_register_reco_handlers(struct o2dlm_ctxt *dlm);
void o2dlm_wait_recovered(struct o2dlm_lockres *res);

/* dlm_debugfs.c */
void o2dlm_debug_add(struct o2dlm_ctxt *dlm);
void o2dlm_debug_remove(struct o2dlm_ctxt *dlm);
void o2dlm_debug_init(void);
void o2dlm_debug_exit(void);

/* dlm_reco_data.c */
int o2dlm_send_reco_locks(struct o2dlm_ctxt *dlm, u8 dead, u8 to);
int o2dlm_take_reco_locks(struct o2dlm_ctxt *dlm,
			  struct o2dlm_migratable_lockres *mres, u8 *from);
void o2dlm_take_ml(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
		   struct o2dlm_migratable_lockres *mres,
		   struct o2dlm_migratable_lock *ml, struct o2dlm_lock **spare);
struct o2dlm_lock **o2dlm_alloc_ml_locks(struct o2dlm_migratable_lockres *mres);
void o2dlm_free_ml_locks(struct o2dlm_lock **locks, int n);
int o2dlm_send_mig_locks(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			 u8 to);

/* dlm_migrate.c */
void o2dlm_migrate_all(struct o2dlm_ctxt *dlm);
int o2dlm_mig_target(struct o2dlm_ctxt *dlm,
		     struct o2dlm_migratable_lockres *mres);
int o2dlm_register_migrate_handlers(struct o2dlm_ctxt *dlm);

/* dlm_master.c */
int o2dlm_remaster(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res);
void o2dlm_purge(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res);
void o2dlm_purge_all(struct o2dlm_ctxt *dlm);

/* dlm_queue.c */
bool o2dlm_compatible(int held, int wanted);
bool o2dlm_on(struct list_head *q, struct o2dlm_lock *lock);
enum o2dlm_status __o2dlm_lock_master(struct o2dlm_ctxt *dlm,
				      struct o2dlm_lockres *res,
				      struct o2dlm_lock *lock, int flags);
enum o2dlm_status __o2dlm_convert_master(struct o2dlm_ctxt *dlm,
					 struct o2dlm_lockres *res,
					 struct o2dlm_lock *lock, int flags,
					 int mode);
enum o2dlm_status __o2dlm_unlock_master(struct o2dlm_ctxt *dlm,
					struct o2dlm_lockres *res,
					struct o2dlm_lock *lock, int flags);
void __o2dlm_shuffle(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res);
void o2dlm_drop_node_locks(struct o2dlm_ctxt *dlm, struct o2dlm_lockres *res,
			   u8 node);

/* dlm_ast.c */
void __o2dlm_queue_ast(struct o2dlm_ctxt *dlm, struct o2dlm_lock *lock);
void __o2dlm_queue_bast(struct o2dlm_ctxt *dlm, struct o2dlm_lock *lock,
			int blocked);
void o2dlm_queue_unlock_ast(struct o2dlm_ctxt *dlm, struct o2dlm_lock *lock,
			    enum o2dlm_status status);
void o2dlm_ast_work(struct work_struct *work);
void o2dlm_flush_asts(struct o2dlm_ctxt *dlm);
int o2dlm_register_ast_handlers(struct o2dlm_ctxt *dlm);

/* dlm_remote.c */
enum o2dlm_status o2dlm_remote_lock(struct o2dlm_ctxt *dlm,
				    struct o2dlm_lockres *res,
				    struct o2dlm_lock *lock, int flags);
enum o2dlm_status o2dlm_remote_convert(struct o2dlm_ctxt *dlm,
				       struct o2dlm_lockres *res,
				       struct o2dlm_lock *lock, int flags,
				       int mode);
enum o2dlm_status o2dlm_remote_unlock(struct o2dlm_ctxt *dlm,
				      struct o2dlm_lockres *res,
				      struct o2dlm_lock *lock, int flags);
int o2dlm_register_remote_handlers(struct o2dlm_ctxt *dlm);

#endif /* O2CB_DLM_INTERNAL_H */
