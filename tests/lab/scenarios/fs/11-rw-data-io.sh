#!/bin/sh
# File data through every path: buffered with fsync and fdatasync,
# O_DIRECT (an aligned overwrite goes direct; an append past EOF and a
# misaligned request fall back to the page cache), shared writable mmap
# into a hole and into an inline file, fallocate with and without
# keep-size (unwritten extents where the volume has them) and writes into
# them.  tests/stress/fs-dataio does the work and checks every file
# against its own model of the content (no reference filesystem needed).
# Then large files (BIG_MB MiB each, argument 1, default 0: none), every
# word a hash of its offset (tests/stress/fs-bigfile), both ways, and two
# 1 MiB appends from buffers unreadable past 768 KiB (short writes).
#  node0 (stock): makes the volume, writes stock_big;
#  node1 (ours): writes and checks, remounts, checks again from disk;
#    checks stock_big cold, rewrites its second quarter in place, writes
#    ours_big, remounts and checks both again;
#  node0 (stock): fsck.ocfs2 -fn clean, mounts, the same check passes and
#    free space matches ours; both large files read back as written.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G --add tests/lab/scenarios/fs/lib.sh \
#       --add tests/stress/fs-dataio --add tests/stress/fs-bigfile --timeout 300 \
#       tests/lab/scenarios/fs/11-rw-data-io.sh [BIG_MB]
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS
big=${1:-0}
q=$((big / 4))

# big_check MNT WHO: both large files hold what each writer put there
big_check() {
	[ "$big" -gt 0 ] || return 0
	fs-bigfile check $1/stock_big 1 0 $q &&
		fs-bigfile check $1/stock_big 3 $q $q &&
		fs-bigfile check $1/stock_big 1 $((2 * q)) $((big - 2 * q)) &&
		fs-bigfile check $1/ours_big 2 0 $big &&
		fs-bigfile check $1/ours_fault 4 0 2 ||
		fail "$2 reads the large files wrong"
	[ "$(stat -c %s $1/stock_big)" = $((big * 1048576)) ] &&
		[ "$(stat -c %s $1/ours_big)" = $((big * 1048576)) ] &&
		[ "$(stat -c %s $1/ours_fault)" = 2097152 ] ||
		fail "$2 sees the large files' sizes wrong"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L dataio $dev
	if [ "$big" -gt 0 ]; then
		mount -t ocfs2 $dev $mnt
		fs-bigfile write $mnt/stock_big 1 0 $big
		umount $mnt
	fi
fi
lab-barrier made

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	mkdir $mnt/io
	fs-dataio write $mnt/io > $R/io.ours || fail "fs-dataio write on our mount"
	cat $R/io.ours
	umount $mnt
	mount -t ocfs2 $dev $mnt
	fs-dataio check $mnt/io > $R/io.ours2 || fail "our files after remount"
	cmp $R/io.ours $R/io.ours2 || fail "hashes changed across our remount"
	stat -c %i $mnt/io/falloc_keep > $R/io.keep.ino
	if [ "$big" -gt 0 ]; then
		fs-bigfile check $mnt/stock_big 1 0 $big ||
			fail "ours reads stock's large file wrong"
		fs-bigfile write $mnt/stock_big 3 $q $q
		fs-bigfile write $mnt/ours_big 2 0 $big
		# appends from a buffer that faults a quarter before its end:
		# short writes, nothing past them kept (stock fsck below)
		fs-bigfile fault $mnt/ours_fault 4 0 &&
			fs-bigfile fault $mnt/ours_fault 4 1 ||
			fail "an append from a partly unreadable buffer"
		umount $mnt
		echo 3 > /proc/sys/vm/drop_caches
		mount -t ocfs2 $dev $mnt
		big_check $mnt ours
	fi
	stat -f -c '%f' $mnt > $R/io.free.ours
	umount $mnt
	echo "ours: every path wrote what the model says, also after remount"
fi
lab-barrier written

if [ "$NODE" = 0 ]; then
	blockdev --flushbufs $dev
	echo 3 > /proc/sys/vm/drop_caches
	# falloc_keep holds a keep-size allocation ending a MiB past its size:
	# stock fsck asks to grow any such file (INODE_SPARSE_SIZE), whoever
	# wrote it; shown below with stock's own keep_stock
	FSCK_ALLOW="^\[INODE_SPARSE_SIZE\] Inode $(cat $R/io.keep.ino) has"
	fsck_clean "after our data writes"
	FSCK_ALLOW=
	mount -t ocfs2 -o ro $dev $mnt
	fs-dataio check $mnt/io > $R/io.stock || fail "stock reads other contents"
	stat -f -c '%f' $mnt > $R/io.free.stock
	big_check $mnt stock
	umount $mnt
	cmp $R/io.ours $R/io.stock || fail "stock hashes differ from ours"
	if command -v fallocate > /dev/null; then
		mount -t ocfs2 $dev $mnt
		printf tail > $mnt/keep_stock
		fallocate -n -o 16384 -l 1048576 $mnt/keep_stock
		ino=$(stat -c %i $mnt/keep_stock)
		umount $mnt
		if stock-fsck.ocfs2 -fn $dev | grep "INODE_SPARSE_SIZE\] Inode $ino has"; then
			echo "stock fsck asks the same of stock's own keep-size file"
		else
			echo "stock fsck does not ask about stock's own keep-size file"
		fi
	fi
	cmp $R/io.free.ours $R/io.free.stock ||
		fail "stock counts different free space"
	echo "stock: fsck clean, same contents and free space; large files: ${big} MiB each both ways"
fi
echo "rw-data-io: done on node$NODE"
