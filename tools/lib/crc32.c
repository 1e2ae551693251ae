// SPDX-License-Identifier: GPL-2.0
/*
 * crc32_le for userspace: the reflected CRC32 (polynomial 0xedb88320),
 * no pre- or post-inversion, exactly like the kernel's crc32_le().
 */
#include <linux/crc32.h>

static u32 crc_table[256];
static int crc_table_ready;

static void crc32_init_table(void)
{
	u32 c;
	int n, k;

	for (n = 0; n < 256; n++) {
		c = (u32)n;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
	crc_table_ready = 1;
}

u32 crc32_le(u32 crc, const unsigned char *p, size_t len)
{
	if (!crc_table_ready)
		crc32_init_table();
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}
