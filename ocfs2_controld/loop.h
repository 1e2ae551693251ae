/* SPDX-License-Identifier: GPL-2.0 */
/* The daemon's one event loop: poll over registered fds plus a 1 s tick. */
#ifndef CONTROLD_LOOP_H
#define CONTROLD_LOOP_H

#include <poll.h>

typedef void (*loop_fn)(int fd, short revents, void *data);

int loop_add(int fd, short events, loop_fn fn, void *data);
void loop_del(int fd);
/* Called about once a second (retries, fencing checks, reconnects). */
void loop_set_tick(void (*tick)(void));
/* Run until loop_stop(); returns the exit status given to loop_stop(). */
int loop_run(void);
void loop_stop(int status, const char *reason);
const char *loop_stop_reason(void);

#endif
