/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cluster-stack switch between the filesystem (and dlmfs) and the
 * stack plugins ("o2cb" over o2dlm, "user" over fs/dlm).  The filesystem
 * talks only to these functions; a plugin registers its operations.
 * Lock modes and flags are fs/dlm's (DLM_LOCK_*, DLM_LKF_*); the o2cb
 * plugin translates them.
 */
#ifndef OCFS2_STACKGLUE_H
#define OCFS2_STACKGLUE_H

#include <linux/dlm.h>
#include <linux/list.h>
#include <linux/types.h>

#define OCFS2_STACK_LABEL_LEN		4
#define OCFS2_STACK_PLUGIN_O2CB		"o2cb"
#define OCFS2_STACK_PLUGIN_USER		"user"
#define OCFS2_MAX_HB_CTL_PATH		256
/* the filesystem's group is its 32-char uppercase hex UUID */
#define GROUP_NAME_MAX			64
#define OCFS2_CLUSTER_NAME_LEN		16
#define OCFS2_DLM_LVB_LEN		64
/* the filesystem locking protocol stock speaks (dlmfs declares it too) */
#define OCFS2_LOCKING_PROTOCOL_MAJOR	1
#define OCFS2_LOCKING_PROTOCOL_MINOR	0

struct file;
struct file_lock;

struct ocfs2_protocol_version {
	u8 pv_major;
	u8 pv_minor;
};

struct ocfs2_dlm_lksb;

/* the filesystem's callbacks, called by the plugin for each lock */
struct ocfs2_locking_protocol {
	struct ocfs2_protocol_version lp_max_version;
	void (*lp_lock_ast)(struct ocfs2_dlm_lksb *lksb);
	void (*lp_blocking_ast)(struct ocfs2_dlm_lksb *lksb, int level);
	void (*lp_unlock_ast)(struct ocfs2_dlm_lksb *lksb, int error);
};

/*
 * A lock status block: the caller embeds one per lock.  The plugin owns
 * the union; lvb is where the value block lives for both stacks.
 */
#define OCFS2_O2DLM_LKSB_WORDS		8
struct ocfs2_dlm_lksb {
	union {
		struct dlm_lksb	lksb_fsdlm;
		unsigned long	lksb_o2dlm[OCFS2_O2DLM_LKSB_WORDS];
	};
	char				lksb_lvb[OCFS2_DLM_LVB_LEN];
	struct ocfs2_cluster_connection	*lksb_conn;
};

struct ocfs2_cluster_connection {
	char	cc_name[GROUP_NAME_MAX + 1];
	int	cc_namelen;
	char	cc_cluster_name[OCFS2_CLUSTER_NAME_LEN + 1];
	int	cc_cluster_name_len;
	struct ocfs2_protocol_version	cc_version;	/* negotiated */
	struct ocfs2_locking_protocol	*cc_proto;
	void	(*cc_recovery_handler)(int node_num, void *recovery_data);
	/*
	 * Optional: a member left without the stack reporting a failure (a
	 * clean leave, or a death the stack took for one); the user can
	 * check quietly before recovering.  Unset: cc_recovery_handler.
	 */
	void	(*cc_left_handler)(int node_num, void *recovery_data);
	void	*cc_recovery_data;
	void	*cc_lockspace;		/* the plugin's */
	void	*cc_private;		/* the plugin's */
};

struct ocfs2_stack_operations {
	/* node-down notifications for the group are guaranteed on return */
	int (*connect)(struct ocfs2_cluster_connection *conn);
	int (*disconnect)(struct ocfs2_cluster_connection *conn);
	int (*this_node)(struct ocfs2_cluster_connection *conn,
			 unsigned int *node);
	int (*dlm_lock)(struct ocfs2_cluster_connection *conn, int mode,
			struct ocfs2_dlm_lksb *lksb, u32 flags,
			void *name, unsigned int namelen);
	int (*dlm_unlock)(struct ocfs2_cluster_connection *conn,
			  struct ocfs2_dlm_lksb *lksb, u32 flags);
	int (*lock_status)(struct ocfs2_dlm_lksb *lksb);
	int (*lvb_valid)(struct ocfs2_dlm_lksb *lksb);
	void *(*lock_lvb)(struct ocfs2_dlm_lksb *lksb);
	/* optional: cluster-wide POSIX locks */
	int (*plock)(struct ocfs2_cluster_connection *conn, u64 ino,
		     struct file *file, int cmd, struct file_lock *fl);
	void (*dump_lksb)(struct ocfs2_dlm_lksb *lksb);
};

struct ocfs2_stack_plugin {
	char				*sp_name;
	const struct ocfs2_stack_operations *sp_ops;
	struct module			*sp_owner;
	/* managed by stackglue */
	struct list_head		sp_list;
	unsigned int			sp_count;
	struct ocfs2_protocol_version	sp_max_proto;
};

int ocfs2_stack_glue_register(struct ocfs2_stack_plugin *plugin);
void ocfs2_stack_glue_unregister(struct ocfs2_stack_plugin *plugin);
/* the filesystem declares the newest locking protocol it speaks */
void ocfs2_stack_glue_set_max_proto_version(struct ocfs2_protocol_version *v);

int ocfs2_cluster_connect(const char *stack_name, const char *cluster_name,
			  int cluster_name_len, const char *group,
			  int grouplen, struct ocfs2_locking_protocol *lproto,
			  void (*recovery_handler)(int node_num,
						   void *recovery_data),
			  void *recovery_data,
			  struct ocfs2_cluster_connection **conn);
/* for dlmfs: whatever stack cluster_stack names, no cluster name */
int ocfs2_cluster_connect_agnostic(const char *group, int grouplen,
				   struct ocfs2_locking_protocol *lproto,
				   void (*recovery_handler)(int node_num,
							    void *recovery_data),
				   void *recovery_data,
				   struct ocfs2_cluster_connection **conn);
int ocfs2_cluster_disconnect(struct ocfs2_cluster_connection *conn,
			     int hangup_pending);
/* after unmount: stop the group's heartbeat through ocfs2_hb_ctl -K */
void ocfs2_cluster_hangup(const char *group, int grouplen);
int ocfs2_cluster_this_node(struct ocfs2_cluster_connection *conn,
			    unsigned int *node);

int ocfs2_dlm_lock(struct ocfs2_cluster_connection *conn, int mode,
		   struct ocfs2_dlm_lksb *lksb, u32 flags,
		   void *name, unsigned int namelen);
int ocfs2_dlm_unlock(struct ocfs2_cluster_connection *conn,
		     struct ocfs2_dlm_lksb *lksb, u32 flags);
int ocfs2_dlm_lock_status(struct ocfs2_dlm_lksb *lksb);
int ocfs2_dlm_lvb_valid(struct ocfs2_dlm_lksb *lksb);
void *ocfs2_dlm_lvb(struct ocfs2_dlm_lksb *lksb);
void ocfs2_dlm_dump_lksb(struct ocfs2_dlm_lksb *lksb);
int ocfs2_stack_supports_plocks(void);
int ocfs2_plock(struct ocfs2_cluster_connection *conn, u64 ino,
		struct file *file, int cmd, struct file_lock *fl);

#endif /* OCFS2_STACKGLUE_H */
