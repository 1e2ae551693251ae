#!/bin/bash
# The /dev/ocfs2_control message layouts and the version value block in
# include/ocfs2/stack_user_fmt.h compile in userspace (their static
# asserts hold) and match what a daemon writes with stock's formats.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/t.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <ocfs2/stack_user_fmt.h>

static int check(const char *what, int len, int want)
{
	printf("%-6s %2d bytes (header says %d)\n", what, len, want);
	return len != want;
}

int main(void)
{
	char b[128];
	int bad = 0;
	struct ocfs2_control_down *d = (void *)b;

	bad |= check("SETN", snprintf(b, sizeof(b), "SETN %08X\n", 7u),
		     OCFS2_CONTROL_SETN_LEN);
	bad |= check("SETV", snprintf(b, sizeof(b), "SETV %02X %02X\n", 1u, 0u),
		     OCFS2_CONTROL_SETV_LEN);
	bad |= check("DOWN", snprintf(b, sizeof(b), "DOWN %s %08X\n",
				      "0123456789ABCDEF0123456789ABCDEF", 2u),
		     OCFS2_CONTROL_DOWN_LEN);
	bad |= memcmp(d->uuid, "0123456789ABCDEF", 16) != 0;
	bad |= memcmp(d->node, "00000002", 8) != 0 || d->newline != '\n';
	bad |= check("T01", strlen(OCFS2_CONTROL_PROTO), OCFS2_CONTROL_PROTO_LEN);
	return bad;
}
C
gcc -Wall -Werror -I include -o "$tmp/t" "$tmp/t.c"
"$tmp/t"
