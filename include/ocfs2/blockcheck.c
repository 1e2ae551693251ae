// SPDX-License-Identifier: GPL-2.0
/*
 * Metadata checksums shared by the kernel and the tools.  The crc32 comes
 * from <linux/crc32.h> (the kernel's, or libocfs2's in userspace).
 *
 * The ECC is a Hamming code over the data bits of a block: data bit i sits
 * at code position calc_code_bit(i), which skips every power of two (those
 * positions are the parity bits).  The parity word is the XOR of the code
 * positions of all set data bits; a syndrome (stored XOR recomputed) names
 * the code position of a single flipped bit.
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/crc32.h>
#include <asm/byteorder.h>
#include "blockcheck.h"

/* Code position (1-based, powers of two skipped) of data bit @i. */
static unsigned int calc_code_bit(unsigned int i, unsigned int *p_cache)
{
	unsigned int b = i + 1;
	unsigned int p = *p_cache;

	b += p;
	while ((1U << p) < b + 1) {
		b++;
		p++;
	}
	*p_cache = p;
	return b;
}

static int data_bit_is_set(const void *data, unsigned int bit)
{
	const u8 *bytes = data;

	return (bytes[bit >> 3] >> (bit & 7)) & 1;
}

/*
 * Parity of @d data bits starting at @data; @nr is the number of data bits
 * that came before (when a block is encoded in pieces).
 */
u32 ocfs2_hamming_encode(u32 parity, const void *data, unsigned int d,
			 unsigned int nr)
{
	unsigned int i, p = 0;

	for (i = 0; i < d; i++) {
		if (!data_bit_is_set(data, i)) {
			/* keep the power-of-two cache walking forward */
			if ((i & 7) == 0 && ((const u8 *)data)[i >> 3] == 0) {
				calc_code_bit(nr + i + 7, &p);
				i += 7;
			}
			continue;
		}
		parity ^= calc_code_bit(nr + i, &p);
	}
	return parity;
}

/* Flip the data bit whose code position is @fix, if it is a data bit here. */
void ocfs2_hamming_fix(void *data, unsigned int d, unsigned int nr,
		       unsigned int fix)
{
	unsigned int i, b, p = 0;
	u8 *bytes = data;

	if (!fix)
		return;
	/* a lone set bit names a parity bit: the data is fine */
	if (!(fix & (fix - 1)))
		return;
	if (fix >= calc_code_bit(nr + d, &p))
		return;

	p = 0;
	for (i = 0; i < d; i++) {
		b = calc_code_bit(nr + i, &p);
		if (b == fix) {
			bytes[i >> 3] ^= 1U << (i & 7);
			return;
		}
		if (b > fix)
			return;
	}
}

u32 ocfs2_hamming_encode_block(const void *data, unsigned int blocksize)
{
	return ocfs2_hamming_encode(0, data, blocksize * 8, 0);
}

void ocfs2_hamming_fix_block(void *data, unsigned int blocksize,
			     unsigned int fix)
{
	ocfs2_hamming_fix(data, blocksize * 8, 0, fix);
}

/* Fill @bc (which lies inside @data) for the block as it is now. */
void ocfs2_block_check_compute(void *data, unsigned int blocksize,
			       struct ocfs2_block_check *bc)
{
	u32 crc, ecc;

	memset(bc, 0, sizeof(*bc));
	crc = crc32_le(~0U, data, blocksize);
	ecc = ocfs2_hamming_encode_block(data, blocksize);
	bc->bc_crc32e = cpu_to_le32(crc);
	bc->bc_ecc = cpu_to_le16((u16)ecc);
}

/*
 * Check @data against @bc.  Returns 0 when it matches, 1 when a single-bit
 * error was repaired in @data, -EBADMSG when the block cannot be trusted.
 * @bc is restored as found in every case.
 */
int ocfs2_block_check_validate(void *data, unsigned int blocksize,
			       struct ocfs2_block_check *bc)
{
	struct ocfs2_block_check saved = *bc;
	u32 crc, ecc;
	int ret = 0;

	memset(bc, 0, sizeof(*bc));
	crc = crc32_le(~0U, data, blocksize);
	if (crc == le32_to_cpu(saved.bc_crc32e))
		goto out;

	ecc = ocfs2_hamming_encode_block(data, blocksize);
	ocfs2_hamming_fix_block(data, blocksize,
				ecc ^ le16_to_cpu(saved.bc_ecc));
	crc = crc32_le(~0U, data, blocksize);
	ret = crc == le32_to_cpu(saved.bc_crc32e) ? 1 : -EBADMSG;
out:
	*bc = saved;
	return ret;
}
