#!/bin/sh
# Data integrity: fio random writes with verification through dm-nfs at
# several table offsets and device offsets, with FUA (sync=1) and flushes
# (fsync) in the mix; then a fresh device over the same file verifies what
# the first one wrote, and raw blocks are checked at their file offset.
# Run: tests/lab/run --nfs --nodes 1 --mem 1024 --timeout 900 \
#          --add /usr/bin/fio tests/lab/scenarios/dm-nfs/30-fio-verify.sh
set -e
[ "$NODE" = 0 ] || exit 0
export DM_DISABLE_UDEV=1

modprobe dm-mod
modprobe dm-nfs

LEN=262144		# sectors: 128 MiB device
IMG=/nfs/fio.img

# Two jobs, at device offsets 0 and 64M, random 4k-64k writes, 16 deep.
fio_jobs() {
	seed=$1
	shift
	fio --name=verify --filename=/dev/mapper/fiovol --direct=1 \
		--ioengine=libaio --iodepth=16 --rw=randwrite --bsrange=4k-64k \
		--size=24M --numjobs=2 --offset_increment=64M \
		--verify=crc32c --verify_fatal=1 --randseed="$seed" \
		--group_reporting "$@"
}

check() {
	toff=$1
	echo "== table offset $toff"
	rm -f $IMG
	dd if=/dev/zero of=$IMG bs=512 count=0 seek=$((toff / 512 + LEN)) 2>/dev/null
	dmsetup create fiovol --table "0 $LEN nfs $IMG $toff"
	dmsetup table fiovol

	fio_jobs "$toff" > /tmp/fio.log 2>&1 || { cat /tmp/fio.log; exit 1; }
	grep -E 'WRITE:|READ:|err=' /tmp/fio.log
	# FUA writes (O_DSYNC direct I/O on the device) and flushes.
	fio --name=fua --filename=/dev/mapper/fiovol --direct=1 --sync=1 \
		--rw=randwrite --bs=4k --size=2M --offset=100M --verify=crc32c \
		--verify_fatal=1 > /tmp/fio.log 2>&1 || { cat /tmp/fio.log; exit 1; }
	fio --name=flush --filename=/dev/mapper/fiovol --direct=1 --fsync=4 \
		--rw=write --bs=16k --size=4M --offset=110M --verify=crc32c \
		--verify_fatal=1 > /tmp/fio.log 2>&1 || { cat /tmp/fio.log; exit 1; }
	echo "status after writes: $(dmsetup status fiovol)"
	dmsetup remove fiovol

	# A new device over the same file reads back what the first wrote.
	dmsetup create fiovol --table "0 $LEN nfs $IMG $toff"
	fio_jobs "$toff" --verify_only > /tmp/fio.log 2>&1 || { cat /tmp/fio.log; exit 1; }
	echo "verified again through a fresh device: $(grep -c 'err= 0' /tmp/fio.log) job group(s) clean"

	# A block written at device sector S is at file byte toff + S * 512.
	dd if=/dev/urandom of=/tmp/blk bs=4k count=1 2>/dev/null
	dd if=/tmp/blk of=/dev/mapper/fiovol bs=4k seek=12345 oflag=direct conv=notrunc 2>/dev/null
	want=$(md5sum < /tmp/blk)
	got=$(dd if=$IMG bs=512 skip=$((toff / 512 + 12345 * 8)) count=8 iflag=direct 2>/dev/null | md5sum)
	[ "$want" = "$got" ] || { echo "FAIL: block not at its file offset"; exit 1; }
	echo "block at sector $((12345 * 8)) is at file byte $((toff + 12345 * 4096))"
	st=$(dmsetup status fiovol)
	[ "$(echo "$st" | cut -d' ' -f6)" = 0 ] || { echo "FAIL: errors: $st"; exit 1; }
	dmsetup remove fiovol
}

for toff in 0 512 1048576 3146240; do
	check $toff
done
rm -f $IMG
rmmod dm_nfs
echo PASS
