/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of ocfs2_stack_user shared by its files: the live
 * connections (one fs/dlm lockspace each) and the /dev/ocfs2_control
 * state they may depend on.
 */
#ifndef OCFS2_SU_INTERNAL_H
#define OCFS2_SU_INTERNAL_H

#include <linux/completion.h>
#include <linux/dlm.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <ocfs2/stackglue.h>

/*
 * One per connected group.  Node-down events come from fs/dlm's
 * recovery callbacks; only when fs/dlm cannot give them (an old
 * dlm_controld) does the connection rely on the control daemon's DOWN
 * messages (needs_controld).
 */
struct su_conn {
	struct list_head		sc_list;	/* su_conn_list */
	struct ocfs2_cluster_connection	*sc_conn;
	bool				sc_needs_controld;
	int				sc_this_node;	/* 0 until known */
	/* fs/dlm stopped: from recover_prep until recover_done */
	bool				sc_recovering;
	wait_queue_head_t		sc_wait;	/* for the two above */
	struct dlm_lksb			sc_version_lksb;
	char				sc_version_lvb[OCFS2_DLM_LVB_LEN];
	struct completion		sc_version_done;
	/* su_members.c: the recovery thread's view of the members */
	int				*sc_members;
	int				sc_nmembers;
	int				sc_reported[16];
	int				sc_nreported;
	bool				sc_reported_overflow;
};

/* protects su_conn_list and the control daemon state below */
extern struct mutex su_lock;
extern struct list_head su_conn_list;

extern struct ocfs2_stack_plugin su_plugin;

/* su_control.c */
int su_control_init(void);
void su_control_exit(void);
bool su_controld_running(void);		/* su_lock held */
int su_controld_this_node(void);
bool su_controld_proto(struct ocfs2_protocol_version *pv);

/* su_conn.c */
int su_connect(struct ocfs2_cluster_connection *conn);
int su_disconnect(struct ocfs2_cluster_connection *conn);
int su_this_node(struct ocfs2_cluster_connection *conn, unsigned int *node);
void su_node_down(const char *group, int node);

/* su_members.c */
void su_members_reported(struct su_conn *sc, int node);
void su_members_update(struct su_conn *sc, const struct dlm_slot *slots,
		       int num);
void su_members_free(struct su_conn *sc);

/* su_version.c */
int su_version_negotiate(struct su_conn *sc);
void su_version_release(struct su_conn *sc);

/* su_lock.c */
extern const struct ocfs2_stack_operations su_ops;

#endif /* OCFS2_SU_INTERNAL_H */
