/* SPDX-License-Identifier: GPL-2.0 */
/* Logging for ocfs2_controld: syslog always, stderr too in -D mode. */
#ifndef CONTROLD_LOG_H
#define CONTROLD_LOG_H

#include <syslog.h>

void log_init(const char *prog, int foreground, int debug);
void log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
