#!/bin/sh
# fsync, fdatasync, O_DIRECT (aligned overwrites go direct; appends, holes
# and misaligned requests fall back to the page cache), shared writable
# mmap (into holes and into an inline file), and fallocate (with and
# without keep-size): node1 (ours) does each on the volume and the same
# on tmpfs, and the hashes must match; node0 (stock module) then checks
# the volume with stock fsck.ocfs2 -fn and reads the same hashes.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G --add tests/lab/scenarios/fs/lib.sh \
#       --add /usr/sbin/xfs_io --timeout 400 tests/lab/scenarios/fs/11-rw-data-io.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt

# io DIR: the workload, in directory DIR (DIO flag only on the volume)
io() {
	d=$1 direct=$2
	xfs_io -f -c "pwrite -q -S 0x61 0 1m" -c fsync $d/fsynced
	xfs_io -f -c "pwrite -q -S 0x62 0 300k" -c fdatasync $d/fdatasynced
	xfs_io -f -c "pwrite -q -S 0x63 0 1m" $d/direct
	xfs_io $direct -c "pwrite -q -S 0x64 4096 65536" $d/direct
	xfs_io $direct -c "pwrite -q -S 0x65 1m 8192" $d/direct
	xfs_io $direct -c "pwrite -q -S 0x66 100 1000" $d/direct
	xfs_io $direct -c "pread -q 0 1m" $d/direct
	xfs_io -f -c "truncate 1m" -c "mmap -w 0 1m" \
		-c "mwrite -S 0x67 8192 200000" -c "msync -s 0 1m" $d/mmapped
	printf 'inline' > $d/mmapped_inline
	xfs_io -c "mmap -w 0 6" -c "mwrite -S 0x68 1 3" -c "msync -s 0 6" \
		$d/mmapped_inline
	xfs_io -f -c "falloc 0 4m" -c "pwrite -q -S 0x69 1m 4096" $d/falloc
	xfs_io -f -c "pwrite -q -S 0x6a 0 10000" -c "falloc -k 16k 1m" \
		$d/falloc_keep
	printf 'tail' >> $d/falloc_keep
}

sums() {
	(cd $1 && for f in *; do echo "$f $(sha256sum < $f | cut -c1-64) $(stat -c %s $f)"; done)
}

if [ "$NODE" = 0 ]; then
	stock-mkfs.ocfs2 -q -F -M local -L dataio $dev
fi
lab-barrier made

if [ "$NODE" = 1 ]; then
	mkdir -p /tmp/ref
	mount -t tmpfs tmpfs /tmp/ref
	io /tmp/ref ""
	mount -t ocfs2 $dev $mnt
	mkdir $mnt/io
	io $mnt/io -d
	sums /tmp/ref > $LAB_RESULTS/io.ref
	sums $mnt/io > $LAB_RESULTS/io.ours
	stat -f -c '%f' $mnt > $LAB_RESULTS/io.free.ours
	umount $mnt
	cat $LAB_RESULTS/io.ours
	diff $LAB_RESULTS/io.ref $LAB_RESULTS/io.ours ||
		fail "our files differ from the same work on tmpfs"
fi
lab-barrier written

if [ "$NODE" = 0 ]; then
	blockdev --flushbufs $dev
	echo 3 > /proc/sys/vm/drop_caches
	stock-fsck.ocfs2 -fn $dev || fail "stock fsck.ocfs2 found problems"
	mount -t ocfs2 -o ro $dev $mnt
	sums $mnt/io > $LAB_RESULTS/io.stock
	stat -f -c '%f' $mnt > $LAB_RESULTS/io.free.stock
	umount $mnt
	diff $LAB_RESULTS/io.ours $LAB_RESULTS/io.stock ||
		fail "stock reads different contents"
	cmp $LAB_RESULTS/io.free.ours $LAB_RESULTS/io.free.stock ||
		fail "stock counts different free space"
fi
echo "rw-data-io: done on node$NODE"
