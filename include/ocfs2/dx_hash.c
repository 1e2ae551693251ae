// SPDX-License-Identifier: GPL-2.0
/*
 * The name hashes of the on-disk format (see dx_hash.h).  The TEA variant
 * must match what existing volumes were written with: names are read as
 * *signed* chars, as the x86 kernels that created them did.
 */
#include <linux/types.h>
#include <linux/string.h>
#include "dx_hash.h"
#include "ocfs2_fs.h"

#define TEA_DELTA	0x9E3779B9U
#define TEA_ROUNDS	16

static void tea_transform(u32 buf[2], const u32 in[4])
{
	u32 sum = 0, b0 = buf[0], b1 = buf[1];
	int n;

	for (n = 0; n < TEA_ROUNDS; n++) {
		sum += TEA_DELTA;
		b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
		b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
	}
	buf[0] += b0;
	buf[1] += b1;
}

/*
 * Pack up to 16 bytes of @msg into four words, big-endian within a word,
 * padding with a pattern derived from the remaining length.
 */
static void pack_words(const char *msg, int len, u32 out[4])
{
	u32 pad = (u32)len | ((u32)len << 8);
	u32 val;
	int i, w = 0;

	pad |= pad << 16;
	val = pad;
	if (len > 16)
		len = 16;
	for (i = 0; i < len; i++) {
		if ((i & 3) == 0)
			val = pad;
		val = (u32)(s32)(signed char)msg[i] + (val << 8);
		if ((i & 3) == 3) {
			out[w++] = val;
			val = pad;
		}
	}
	if (w < 4)
		out[w++] = val;
	while (w < 4)
		out[w++] = pad;
}

void ocfs2_dx_name_hash(const u32 seed[4], const char *name, int len,
			struct ocfs2_dx_hinfo *hinfo)
{
	u32 buf[4], in[4];

	/* "." and ".." are never indexed; they hash to zero */
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.')) {
		hinfo->major_hash = 0;
		hinfo->minor_hash = 0;
		return;
	}
	memcpy(buf, seed, sizeof(buf));
	while (len > 0) {
		pack_words(name, len, in);
		tea_transform(buf, in);
		len -= 16;
		name += 16;
	}
	hinfo->major_hash = buf[0];
	hinfo->minor_hash = buf[1];
}

u32 ocfs2_name_hash(u32 seed, const u8 *name, int len)
{
	u32 hash = seed;
	int i;

	for (i = 0; i < len; i++)
		hash = (hash << OCFS2_HASH_SHIFT) ^
		       (hash >> (32 - OCFS2_HASH_SHIFT)) ^ name[i];
	return hash;
}
