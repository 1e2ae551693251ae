// SPDX-License-Identifier: GPL-2.0
/*
 * fsck.ocfs2's problem table and the one place that asks about problems:
 * every check calls fix_problem() with its code and a message; the table
 * (problems.def) holds the stock check name, prompt and default answer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "fsck.h"

#define PF_PREEN	0x1
#define PF_FATAL	0x2

struct problem {
	const char *name;
	int answer;		/* default: 1 yes, 0 no */
	int flags;
	const char *prompt;
};

static const struct problem problems[PR_MAX] = {
#define PROBLEM_ENUM(code, ans, fl, pr, msg) [PR_##code] = { #code, ans, fl, pr },
#include "problems.def"
#undef PROBLEM_ENUM
};

static bool ask_tty(const struct problem *p)
{
	char line[16];

	for (;;) {
		printf("<%c> ", p->answer ? 'y' : 'n');
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return false;
		if (line[0] == '\n')
			return p->answer;
		if (line[0] == 'y' || line[0] == 'Y')
			return true;
		if (line[0] == 'n' || line[0] == 'N')
			return false;
	}
}

/*
 * Report a problem and decide whether to repair it: -n says no, -y yes,
 * -p yes only for problems marked safe, otherwise ask on the terminal.
 */
bool fix_problem(struct fsck_ctx *ctx, enum problem_code code,
		 const char *fmt, ...)
{
	const struct problem *p = &problems[code];
	bool fix;
	va_list ap;

	ctx->found++;
	printf("[%s] ", p->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" %s? ", p->prompt);
	if (ctx->no)
		fix = false;
	else if (ctx->yes)
		fix = true;
	else if (ctx->preen)
		fix = p->flags & PF_PREEN;
	else if (isatty(0))
		fix = ask_tty(p);
	else
		fix = p->answer;
	if (!isatty(0) || ctx->no || ctx->yes || ctx->preen)
		printf("%c\n", fix ? 'y' : 'n');
	if (fix)
		ctx->fixed++;
	return fix;
}
