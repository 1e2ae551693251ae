#!/bin/sh
# Reflinks made by ours (FICLONE through cp --reflink=always, with
# ocfs2.refcount_writes=1), checked against a tmpfs model, read and
# changed by stock.
#  node0 (stock): mkfs -M local; a 4 MiB file and a sparse one;
#  node1 (ours): reflinks of both (a new tree), a reflink of a reflink,
#    a reflink of an inline file refused (not done yet); copy on
#    write into the source and a reflink, a truncate; every file equals
#    its model, again after a remount; a manifest;
#  node0 (stock): fsck.ocfs2 -fn clean, the same manifest; stock writes
#    into ours' reflink and reflinks it again; fsck clean;
#  node1 (ours): every file removed; node0 (stock): fsck clean.
# With the argument "full" (set.sh 27-refcount-reflink.sh=full), bad
# input instead: a write into ours' reflink on a full 128 MiB volume
# fails with ENOSPC, changes nothing and leaves the volume read-write;
# once space is freed the same write copies; stock fsck clean.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/cp \
#       --add tests/stress/fs-rcio tests/lab/scenarios/fs/27-refcount-reflink.sh
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.fs27r-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
cp=/usr/local/bin/cp
R=$LAB_RESULTS
MB=1048576

# fill: fallocate the free space away, in smaller pieces at the end
fill() {
	avail=$(df -k $mnt | tail -1 | awk '{print $4}')
	fallocate -l "${avail}K" $mnt/fill 2>/dev/null || true
	for size in 1048576 65536 4096; do
		i=0
		while [ $i -lt 400 ] && fallocate -l $size $mnt/fill.$size.$i 2>/dev/null; do
			i=$((i + 1))
		done
	done
	echo "ours: volume filled ($(df -k $mnt | tail -1 | awk '{print $4}') KiB free by df)"
}

# full: the bad-input variant (see the header)
full() {
	if [ "$NODE" = 0 ]; then
		echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rlfull $dev 32768
		mount -t ocfs2 $dev $mnt
		head -c $((4 * MB)) /dev/urandom > $mnt/base
		umount $mnt
	fi
	bar fs27f-made
	if [ "$NODE" = 1 ]; then
		rc_ours 16
		mount -t ocfs2 $dev $mnt
		$cp --reflink=always $mnt/base $mnt/c || fail "ours: FICLONE of base"
		cat $mnt/base > /model/base
		cat $mnt/c > /model/c
		fill
		if dd if=/dev/urandom of=$mnt/c bs=4096 seek=2 count=1 conv=notrunc 2> /tmp/err; then
			fail "ours: a copy on write on a full volume went through"
		fi
		grep -q "No space" /tmp/err || { cat /tmp/err; fail "ours: not ENOSPC"; }
		echo "ours: write into a reflink on a full volume: $(grep "No space" /tmp/err | head -1)"
		grep -q " $mnt ocfs2 rw" /proc/mounts || fail "ours: the volume is not read-write after ENOSPC"
		rm -f $mnt/fill*
		rc_same "after ENOSPC"
		rcw buf c 8192 4096 1
		rc_same "after space was freed"
		umount $mnt
		rc_ours_end
	fi
	bar fs27f-ours
	if [ "$NODE" = 0 ]; then
		fsck_clean "after ours' ENOSPC on a full volume"
		echo "stock: fsck clean after ours hit ENOSPC in a copy on write"
	fi
}

if [ "${1:-}" = full ]; then
	full
	exit 0
fi

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rlours $dev
	mount -t ocfs2 $dev $mnt
	head -c $((4 * MB)) /dev/urandom > $mnt/base
	for o in 0 1 3; do
		head -c 100000 /dev/urandom |
			dd of=$mnt/sp bs=$MB seek=$o conv=notrunc 2>/dev/null
	done
	head -c 100 /dev/urandom > $mnt/small
	umount $mnt
	echo "stock: files made"
fi
bar fs27r-made

if [ "$NODE" = 1 ]; then
	rc_ours 64
	mount -t ocfs2 $dev $mnt
	$cp --reflink=always $mnt/base $mnt/c1 || fail "ours: FICLONE of base"
	$cp --reflink=always $mnt/c1 $mnt/c2 || fail "ours: FICLONE of a reflink"
	$cp --reflink=always $mnt/sp $mnt/spc || fail "ours: FICLONE of a sparse file"
	if $cp --reflink=always $mnt/small $mnt/smallc 2> /tmp/err; then
		fail "ours: a reflink of an inline file went through"
	fi
	echo "ours: reflink of an inline file refused (not done yet): $(head -1 /tmp/err)"
	rm -f $mnt/smallc
	for f in base sp small c1 c2 spc; do cat $mnt/$f > /model/$f; done
	cmp -s /model/c1 /model/base || fail "ours: c1 is no copy of base"
	cmp -s /model/spc /model/sp || fail "ours: spc is no copy of sp"
	rcw buf c1 4096 8192 1
	rcw buf base 100000 50000 2
	rcw direct c2 $((2 * MB)) 65536 3
	rcw trunc c2 3000000 0 0
	rcw buf spc $((3 * MB + 5)) 10 4
	rcw mmap sp 8192 4096 5
	rc_same "after reflinks and changes"
	umount $mnt
	mount -t ocfs2 $dev $mnt
	rc_same "after a remount"
	manifest $mnt > $R/fs27r-ours.manifest
	umount $mnt
fi
bar fs27r-ours

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours made reflinks"
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/stock.manifest
	cmp -s /tmp/stock.manifest $R/fs27r-ours.manifest || {
		diff $R/fs27r-ours.manifest /tmp/stock.manifest | head
		fail "stock reads ours' reflinks differently"
	}
	head -c 4096 /dev/urandom | dd of=$mnt/c1 bs=4096 seek=9 conv=notrunc 2>/dev/null
	$cp --reflink=always $mnt/c1 $mnt/c3
	cmp -s $mnt/c1 $mnt/c3 || fail "stock: its reflink of ours' differs"
	umount $mnt
	fsck_clean "after stock changed ours' reflinks"
	echo "stock: reads ours' reflinks, writes and reflinks them, fsck clean"
fi
bar fs27r-stock

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	rm $mnt/base $mnt/sp $mnt/small $mnt/c1 $mnt/c2 $mnt/c3 $mnt/spc
	umount $mnt
	rc_ours_end
	echo "ours: every file removed"
fi
bar fs27r-removed

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours removed every reflink"
	echo "stock: fsck clean after ours removed every file"
fi
