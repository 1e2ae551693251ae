/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of ocfs2_controld share: the cluster facts learned from
 * corosync, and the entry points each file offers the others.
 */
#ifndef CONTROLD_H
#define CONTROLD_H

#include <stdint.h>
#include <time.h>

#define DAEMON_GROUP	"ocfs2_controld"	/* CPG group of all daemons */
#define MAX_NODES	256

struct cluster_state {
	char name[64];			/* totem.cluster_name */
	uint32_t our_nodeid;		/* corosync = fs/dlm node id */
	int quorate;
	int connected;			/* cpg, quorum and cmap all up */
	unsigned int fs_max_major, fs_max_minor;	/* this kernel */
	unsigned int fs_major, fs_minor;	/* negotiated, when set */
	int fs_negotiated;
};

extern struct cluster_state cluster;

/* cmap.c: cluster name; our node id comes from cpg. */
int cmap_read_cluster(int quiet);
int cmap_node_name(uint32_t nodeid, char *buf, size_t len);

/* quorum.c */
int quorum_setup(void);
void quorum_teardown(void);

/* cpg.c: a CPG group with callbacks; membership kept per group. */
struct group;
struct group_ops {
	void (*joined)(struct group *g, void *data);	/* we are in */
	void (*left)(struct group *g, void *data);	/* we are out */
	void (*node_up)(struct group *g, uint32_t nodeid, void *data);
	/* reason: CPG_REASON_* of the leave */
	void (*node_gone)(struct group *g, uint32_t nodeid, int reason,
			  void *data);
	void (*deliver)(struct group *g, uint32_t nodeid, const void *msg,
			size_t len, void *data);
};
struct group *group_join(const char *name, const struct group_ops *ops,
			 void *data);
int group_leave(struct group *g);
void group_free(struct group *g);
int group_send(struct group *g, const void *msg, size_t len);
int group_is_member(struct group *g, uint32_t nodeid);
int group_member_count(struct group *g);
int group_members(struct group *g, uint32_t *out, int max);
const char *group_name(struct group *g);
int cpg_our_nodeid(uint32_t *nodeid);

/* negotiate.c: the daemon group and the fs locking protocol */
int negotiate_start(void);
void negotiate_stop(void);
int negotiate_read_kernel_max(void);

/* control.c: /dev/ocfs2_control */
int control_open(void);
int control_is_open(void);
int control_set_node_and_version(void);
int control_down_needed(void);
int control_node_down(const char *uuid, uint32_t nodeid);
void control_close(void);

/* fence.c: has the node been fenced since it failed at failed_at? */
int fence_known(uint32_t nodeid, const char *uuid, time_t failed_at,
		const char **how);
const char *fence_method(void);

/* mount.c: mount groups */
struct client;
void mount_client_mount(struct client *c, char **argv);
void mount_client_result(struct client *c, char **argv);
void mount_client_unmount(struct client *c, char **argv);
void mount_client_gone(struct client *c);
void mount_list_fs(struct client *c, char **argv);
void mount_list_mounts(struct client *c, char **argv);
void mount_dump(struct client *c);
void mount_seen(const char *uuid, const char *device, const char *dir);
void mount_table_done(void);
void mount_tick(void);
int mount_count(void);
void mount_corosync_lost(void);
void mount_corosync_back(void);

/* mtab.c: ocfs2 user-stack mounts appearing in the mount table */
int mtab_watch(void);
int mtab_uuid_of(const char *device, char *uuid, size_t size);

/* client.c: the mount.ocfs2 socket */
int client_listen(void);
void client_status(struct client *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void client_list(struct client *c, const char *const *items, int n);
int client_id(struct client *c);

/* main.c */
void corosync_lost(const char *why);

#endif
