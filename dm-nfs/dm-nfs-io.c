// SPDX-License-Identifier: GPL-2.0
/*
 * dm-nfs: the data path.  map() hands each bio to an unbound workqueue; the
 * worker, running with the table's credentials, issues one asynchronous
 * direct kiocb over the bio's own pages (no copy, no page cache) and
 * returns, so many bios are in flight at once.  The kiocb's completion ends
 * the bio.  Flush is fsync, FUA is write then a ranged fsync, discard and
 * write-zeroes are fallocate().  Every failure comes back on the bio.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/cred.h>
#include <linux/device-mapper.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/sched/mm.h>
#include <linux/uio.h>

#include "dm-nfs.h"

static struct bio *io_bio(struct dm_nfs_io *io)
{
	return dm_bio_from_per_bio_data(io, sizeof(*io));
}

static blk_status_t errno_status(long ret)
{
	return ret < 0 ? errno_to_blk_status(ret) : BLK_STS_OK;
}

static void dm_nfs_count(struct dm_nfs_io *io, blk_status_t status)
{
	struct dm_nfs *dn = io->dn;
	struct bio *bio = io_bio(io);

	atomic64_inc(&dn->completed);
	if (!status)
		return;
	atomic64_inc(&dn->errors);
	/* An unsupported discard is routine on servers without NFS 4.2. */
	if (status != BLK_STS_NOTSUPP)
		DMERR_LIMIT("%s: %s of %u bytes at file offset %lld failed: %d",
			    dn->path, blk_op_str(bio_op(bio)),
			    bio->bi_iter.bi_size, io->pos,
			    blk_status_to_errno(status));
}

/*
 * The bio, and with it @io, may be freed by bio_endio(), and the target
 * with it once dm sees no bio left; so touch nothing after it.
 */
static void dm_nfs_end_bio(struct dm_nfs_io *io, blk_status_t status)
{
	struct dm_nfs *dn = io->dn;
	struct bio *bio = io_bio(io);

	dm_nfs_count(io, status);
	bio->bi_status = status;
	if (atomic_dec_and_test(&dn->in_flight))
		wake_up(&dn->drained);
	bio_endio(bio);
}

int dm_nfs_sync_file(struct dm_nfs *dn)
{
	return vfs_fsync(dn->file, 1);
}

/* Worker for FUA writes: the data is written, now make it durable. */
static void dm_nfs_fua_work(struct work_struct *work)
{
	struct dm_nfs_io *io = container_of(work, struct dm_nfs_io, work);
	loff_t end = io->pos + io_bio(io)->bi_iter.bi_size - 1;
	const struct cred *old;
	unsigned int noio;
	int ret;

	old = override_creds(io->dn->cred);
	noio = memalloc_noio_save();
	ret = vfs_fsync_range(io->dn->file, io->pos, end, 1);
	memalloc_noio_restore(noio);
	revert_creds(old);
	dm_nfs_end_bio(io, errno_status(ret));
}

/* Both the submitter and the completion are done with the kiocb. */
static void dm_nfs_rw_done(struct dm_nfs_io *io)
{
	struct bio *bio = io_bio(io);
	blk_status_t status;

	if (io->iocb.ki_flags & IOCB_WRITE)
		kiocb_end_write(&io->iocb);

	if (io->ret < 0)
		status = errno_to_blk_status(io->ret);
	else if (io->ret != bio->bi_iter.bi_size)
		status = BLK_STS_IOERR;	/* short: the file shrank under us */
	else
		status = BLK_STS_OK;

	/* The completion may run in interrupt context; fsync cannot. */
	if (!status && op_is_write(bio_op(bio)) && (bio->bi_opf & REQ_FUA)) {
		INIT_WORK(&io->work, dm_nfs_fua_work);
		queue_work(io->dn->wq, &io->work);
		return;
	}
	dm_nfs_end_bio(io, status);
}

/*
 * The filesystem may still look at the iterator (and so at the bio's
 * bvecs) after it queued the I/O; the bio must outlive both that and the
 * completion, hence two references.
 */
static void dm_nfs_rw_put(struct dm_nfs_io *io)
{
	if (atomic_dec_and_test(&io->ref))
		dm_nfs_rw_done(io);
}

static void dm_nfs_rw_complete(struct kiocb *iocb, long ret)
{
	struct dm_nfs_io *io = container_of(iocb, struct dm_nfs_io, iocb);

	io->ret = ret;
	dm_nfs_rw_put(io);
}

static void dm_nfs_init_kiocb(struct dm_nfs_io *io, struct bio *bio,
			      bool write)
{
	memset(&io->iocb, 0, sizeof(io->iocb));
	io->iocb.ki_filp = io->dn->file;
	io->iocb.ki_pos = io->pos;
	io->iocb.ki_complete = dm_nfs_rw_complete;
	io->iocb.ki_flags = IOCB_DIRECT | (write ? IOCB_WRITE : 0);
	io->iocb.ki_ioprio = bio_prio(bio);
}

/*
 * Iterate the bio's own bvec array from where this (possibly split or
 * cloned) bio starts; each multi-page bvec is one segment.
 */
static void dm_nfs_bio_iter(struct bio *bio, bool write, struct iov_iter *iter)
{
	struct bvec_iter it;
	struct bio_vec bv;
	unsigned int nr = 0;

	bio_for_each_bvec(bv, bio, it)
		nr++;
	iov_iter_bvec(iter, write ? ITER_SOURCE : ITER_DEST,
		      __bvec_iter_bvec(bio->bi_io_vec, bio->bi_iter), nr,
		      bio->bi_iter.bi_size);
	iter->iov_offset = bio->bi_iter.bi_bvec_done;
}

static void dm_nfs_submit_rw(struct dm_nfs_io *io, struct bio *bio)
{
	bool write = op_is_write(bio_op(bio));
	struct file *file = io->dn->file;
	struct iov_iter iter;
	ssize_t ret;

	dm_nfs_bio_iter(bio, write, &iter);
	dm_nfs_init_kiocb(io, bio, write);
	atomic_set(&io->ref, 2);

	if (write) {
		kiocb_start_write(&io->iocb);
		ret = file->f_op->write_iter(&io->iocb, &iter);
	} else {
		ret = file->f_op->read_iter(&io->iocb, &iter);
	}
	if (ret != -EIOCBQUEUED)
		dm_nfs_rw_complete(&io->iocb, ret);
	dm_nfs_rw_put(io);
}

/*
 * Zero a range and keep it allocated, as an admin zeroing a disk expects.
 * NFS has no ZERO_RANGE (NFS 4.2 only has ALLOCATE and DEALLOCATE), so
 * there the range is punched, which makes it read as zeroes, and then
 * allocated again.  A server without ALLOCATE gets BLK_STS_NOTSUPP: the
 * caller then writes the zeroes itself, which allocates too.
 */
static int dm_nfs_zero_keep(struct file *file, loff_t pos, loff_t len)
{
	int ret;

	ret = vfs_fallocate(file, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
			    pos, len);
	if (ret != -EOPNOTSUPP)
		return ret;
	ret = vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    pos, len);
	if (ret)
		return ret;
	/*
	 * Mode 0, not KEEP_SIZE, which the NFS client refuses: the range lies
	 * inside the file (checked at load), so the size does not change.
	 */
	return vfs_fallocate(file, 0, pos, len);
}

/*
 * Discard, and write-zeroes that may unmap (no REQ_NOUNMAP: e.g. a punch
 * through the block device), free the range: a hole reads back as zeroes.
 * Write-zeroes with REQ_NOUNMAP (BLKZEROOUT, fallocate -z) keeps it.
 */
static blk_status_t dm_nfs_fallocate(struct dm_nfs_io *io, struct bio *bio)
{
	struct file *file = io->dn->file;
	loff_t len = bio->bi_iter.bi_size;

	if (bio_op(bio) == REQ_OP_WRITE_ZEROES && (bio->bi_opf & REQ_NOUNMAP))
		return errno_status(dm_nfs_zero_keep(file, io->pos, len));
	return errno_status(vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE |
					  FALLOC_FL_KEEP_SIZE, io->pos, len));
}

static void dm_nfs_do_bio(struct dm_nfs_io *io, struct bio *bio)
{
	blk_status_t status = BLK_STS_OK;

	/* dm sends flushes empty, but a flush with data is legal too. */
	if (bio->bi_opf & REQ_PREFLUSH) {
		status = errno_status(dm_nfs_sync_file(io->dn));
		if (status || !bio_sectors(bio))
			goto end;
	}

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		dm_nfs_submit_rw(io, bio);
		return;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		status = dm_nfs_fallocate(io, bio);
		break;
	default:
		status = BLK_STS_NOTSUPP;
		break;
	}
end:
	dm_nfs_end_bio(io, status);
}

/*
 * Process context, table credentials, and no reclaim I/O: reclaim could
 * write to this very device and wait for us.
 */
static void dm_nfs_work(struct work_struct *work)
{
	struct dm_nfs_io *io = container_of(work, struct dm_nfs_io, work);
	const struct cred *old;
	unsigned int noio;

	old = override_creds(io->dn->cred);
	noio = memalloc_noio_save();
	dm_nfs_do_bio(io, io_bio(io));
	memalloc_noio_restore(noio);
	revert_creds(old);
}

void dm_nfs_queue_bio(struct dm_nfs *dn, struct bio *bio)
{
	struct dm_nfs_io *io = dm_per_bio_data(bio, sizeof(*io));

	io->dn = dn;
	io->pos = dn->offset +
		  to_bytes(dm_target_offset(dn->ti, bio->bi_iter.bi_sector));
	atomic_inc(&dn->in_flight);

	/* The file is open read-only: a write has nowhere to go. */
	if (!dn->writable && op_is_write(bio_op(bio)) && bio_sectors(bio)) {
		dm_nfs_end_bio(io, BLK_STS_IOERR);
		return;
	}
	INIT_WORK(&io->work, dm_nfs_work);
	queue_work(dn->wq, &io->work);
}
