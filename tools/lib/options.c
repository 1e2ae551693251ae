// SPDX-License-Identifier: GPL-2.0
/*
 * Option values mkfs.ocfs2 and tunefs.ocfs2 both take.
 */
#include <stdlib.h>
#include "libocfs2.h"

/* "4k", "1M", "4096": bytes, or 0 on garbage. */
u64 ocfs2_parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	case 't': case 'T': v <<= 40; end++; break;
	}
	if (*end || s == end)
		return 0;
	return v;
}
