// SPDX-License-Identifier: GPL-2.0
/*
 * Heartbeat block I/O: the region's blocks live in whole pages so that
 * one bio reads any range of slots and one bio writes our own slot.
 * I/O is synchronous; the region thread is the only caller.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/crc32.h>
#include <linux/slab.h>

#include "hb_internal.h"

struct o2hb_disk_block *o2hb_slot_block(struct o2hb_region *reg,
					unsigned int slot)
{
	return page_address(reg->pages[slot / reg->per_page]) +
		(slot % reg->per_page) * reg->block_bytes;
}

void o2hb_io_free(struct o2hb_region *reg)
{
	unsigned int i;

	if (reg->pages) {
		for (i = 0; i < reg->npages; i++)
			if (reg->pages[i])
				__free_page(reg->pages[i]);
		kfree(reg->pages);
		reg->pages = NULL;
	}
	kfree(reg->slots);
	reg->slots = NULL;
}

int o2hb_io_alloc(struct o2hb_region *reg)
{
	unsigned int i;

	reg->per_page = PAGE_SIZE >> reg->block_bits;
	reg->npages = DIV_ROUND_UP(reg->blocks, reg->per_page);
	reg->slots = kcalloc(reg->blocks, sizeof(*reg->slots), GFP_KERNEL);
	reg->pages = kcalloc(reg->npages, sizeof(*reg->pages), GFP_KERNEL);
	if (!reg->slots || !reg->pages)
		goto fail;
	for (i = 0; i < reg->npages; i++) {
		reg->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!reg->pages[i])
			goto fail;
	}
	return 0;
fail:
	o2hb_io_free(reg);
	return -ENOMEM;
}

static sector_t o2hb_slot_sector(struct o2hb_region *reg, unsigned int slot)
{
	return (reg->start_block + slot) << (reg->block_bits - SECTOR_SHIFT);
}

/* Add slots [slot, end) to bio, page by page. */
static int o2hb_bio_add_slots(struct o2hb_region *reg, struct bio *bio,
			      unsigned int slot, unsigned int end)
{
	unsigned int in_page, n;

	while (slot < end) {
		in_page = slot % reg->per_page;
		n = min(reg->per_page - in_page, end - slot);
		if (bio_add_page(bio, reg->pages[slot / reg->per_page],
				 n * reg->block_bytes,
				 in_page * reg->block_bytes) !=
		    n * reg->block_bytes)
			return -EIO;
		slot += n;
	}
	return 0;
}

static int o2hb_submit(struct o2hb_region *reg, blk_opf_t opf,
		       unsigned int first, unsigned int end)
{
	unsigned int pages = DIV_ROUND_UP(end - first, reg->per_page) + 1;
	struct bio *bio;
	int ret;

	bio = bio_alloc(reg->bdev, min_t(unsigned int, pages, BIO_MAX_VECS),
			opf, GFP_NOIO);
	bio->bi_iter.bi_sector = o2hb_slot_sector(reg, first);
	ret = o2hb_bio_add_slots(reg, bio, first, end);
	if (!ret)
		ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret;
}

int o2hb_read_slots(struct o2hb_region *reg, unsigned int first,
		    unsigned int end)
{
	return o2hb_submit(reg, REQ_OP_READ, first, end);
}

int o2hb_write_own_slot(struct o2hb_region *reg)
{
	return o2hb_submit(reg, REQ_OP_WRITE | REQ_SYNC, reg->node_num,
			   reg->node_num + 1);
}

/* crc32_le over the whole block with the checksum field as zero */
u32 o2hb_block_crc(struct o2hb_region *reg, struct o2hb_disk_block *blk)
{
	__le32 saved = blk->hb_cksum;
	u32 crc;

	blk->hb_cksum = 0;
	crc = crc32_le(0, (u8 *)blk, reg->block_bytes);
	blk->hb_cksum = saved;
	return crc;
}
