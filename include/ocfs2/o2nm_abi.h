/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants of the o2cb node manager's userspace ABI (configfs under
 * /sys/kernel/config/cluster and /sys/fs/o2cb), shared by the kernel
 * modules and the tools so both sides agree on every limit.
 */
#ifndef OCFS2_O2NM_ABI_H
#define OCFS2_O2NM_ABI_H

/* /sys/fs/o2cb/interface_revision; ocfs2-tools refuse anything newer */
#define O2NM_API_VERSION		5

/* node numbers are 0..254; 255 means "no node" */
#define O2NM_MAX_NODES			255
#define O2NM_INVALID_NODE_NUM		255

/* node, cluster and group names */
#define O2NM_MAX_NAME_LEN		64

/* global heartbeat regions; o2dlm's join message carries this many */
#define O2NM_MAX_REGIONS		32

/* cluster attribute defaults, in milliseconds */
#define O2NET_IDLE_TIMEOUT_MS_DEFAULT	30000
#define O2NET_KEEPALIVE_DELAY_MS_DEFAULT 2000
#define O2NET_RECONNECT_DELAY_MS_DEFAULT 2000

#endif /* OCFS2_O2NM_ABI_H */
