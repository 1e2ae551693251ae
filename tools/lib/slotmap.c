// SPDX-License-Identifier: GPL-2.0
/*
 * The slot map system file: which node holds which slot.  Old volumes keep
 * a 16-bit node number per slot; extended-slotmap ones an 8-byte record.
 */
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"

int ocfs2_slot_map_bytes(unsigned int slots, bool extended)
{
	return slots * (extended ? sizeof(struct ocfs2_extended_slot) :
				   sizeof(__le16));
}

/* An empty map: every slot free. */
void ocfs2_slot_map_format(void *buf, size_t len, unsigned int slots,
			   bool extended)
{
	__le16 *old = buf;
	unsigned int i;

	memset(buf, 0, len);
	if (extended)
		return;
	for (i = 0; i < slots && (i + 1) * sizeof(*old) <= len; i++)
		old[i] = cpu_to_le16(OCFS2_INVALID_SLOT);
}

/* Fill @node_of_slot[max_slots] with node numbers, -1 for free slots. */
int ocfs2_read_slot_map(struct ocfs2_fs *fs, int *node_of_slot)
{
	bool ext = ocfs2_has_incompat(fs,
				      OCFS2_FEATURE_INCOMPAT_EXTENDED_SLOT_MAP);
	unsigned int slots = le16_to_cpu(fs->sb->s_max_slots), i;
	size_t need = ocfs2_slot_map_bytes(slots, ext), got;
	struct ocfs2_dinode *di;
	char *map;
	u64 blkno;
	int ret;

	ret = ocfs2_lookup_system_inode(fs, SLOT_MAP_SYSTEM_INODE, 0, &blkno);
	if (ret)
		return ret;
	di = io_alloc(fs->bs);
	map = io_alloc(need);
	if (!di || !map) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ocfs2_read_inode(fs, blkno, di);
	if (!ret)
		ret = ocfs2_file_read(fs, di, map, need, 0, &got);
	if (!ret && got < need)
		ret = -EUCLEAN;
	for (i = 0; !ret && i < slots; i++) {
		if (ext) {
			struct ocfs2_extended_slot *es = (void *)map;

			node_of_slot[i] = es[i].es_valid ?
				(int)le32_to_cpu(es[i].es_node_num) : -1;
		} else {
			u16 n = le16_to_cpu(((__le16 *)map)[i]);

			node_of_slot[i] = n == OCFS2_INVALID_SLOT ? -1 : n;
		}
	}
out:
	free(map);
	free(di);
	return ret;
}

/* The heartbeat file: one block per possible node, 256 of them. */
u64 ocfs2_heartbeat_bytes(unsigned int blocksize, unsigned int cs)
{
	u64 bytes = 256ULL * blocksize;

	return (bytes + cs - 1) / cs * cs;
}
