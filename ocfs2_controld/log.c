// SPDX-License-Identifier: GPL-2.0
/*
 * Logging.  Every line goes to syslog (daemon facility); with -D it is also
 * written to stderr with a time stamp, which is what admins and the lab read.
 * Debug lines are kept only with -D, so a production syslog stays quiet.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "log.h"

static int log_to_stderr;
static int log_debug_on;

void log_init(const char *prog, int foreground, int debug)
{
	log_to_stderr = foreground;
	log_debug_on = debug;
	openlog(prog, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !log_debug_on)
		return;
	va_start(ap, fmt);
	vsyslog(prio, fmt, ap);
	va_end(ap);
	if (log_to_stderr) {
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		fprintf(stderr, "%02d:%02d:%02d.%03ld ocfs2_controld: ",
			tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}
