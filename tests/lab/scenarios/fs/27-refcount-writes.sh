#!/bin/sh
# Reflinked files (refcount trees) made by stock, then written, truncated,
# punched and removed by ours (ocfs2.refcount_writes=1), every file
# compared byte for byte with a model on tmpfs that got the same changes.
#  node0 (stock): mkfs -M local; 4 MiB and 1 MiB files reflinked (FICLONE
#    through cp --reflink=always), stock's own copy on write in some, a
#    reflink of a reflink; a manifest;
#  node1 (ours): the manifest; copies into the model; then buffered,
#    O_DIRECT and mmap writes into shared clusters (copy on write), an
#    append, a shrink, a grow, punched holes, a file punched whole, a
#    write into clusters whose other sharers went (last reference: no
#    copy), removing last names (unlink, rename over); every file equals
#    its model, again after
#    a remount; a manifest;
#  node0 (stock): fsck.ocfs2 -fn clean; the same manifest; stock writes
#    into one of ours' files and reflinks another; fsck clean;
#  node1 (ours): every file removed; node0 (stock): fsck clean (every
#    shared cluster and tree block given back; df reported);
#  node1 (ours): a refcount block's signature broken: a write into a
#    reflinked file fails with an error, nothing crashes.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/cp \
#       --add tests/stress/fs-rcio tests/lab/scenarios/fs/27-refcount-writes.sh
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.fs27w-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
cp=/usr/local/bin/cp
R=$LAB_RESULTS
MB=1048576

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rcw $dev
	mount -t ocfs2 $dev $mnt
	df -k $mnt | tail -1 | awk '{print $4}' > $R/fs25.free0
	cd $mnt
	head -c $((4 * MB)) /dev/urandom > base
	for i in 1 2 3 4 5 6 7 8 9; do $cp --reflink=always base r$i; done
	# stock's own copy on write: records of several counts
	for b in 0 100 101 1023; do
		head -c 4096 /dev/urandom |
			dd of=r1 bs=4096 seek=$b conv=notrunc 2>/dev/null
	done
	$cp --reflink=always r1 r1b
	mkdir sub
	head -c $MB /dev/urandom > sub/big
	$cp --reflink=always sub/big sub/big2
	cd /
	stock-debugfs.ocfs2 -R "stat /r1" $dev 2>/dev/null | grep -i "refcount" || true
	manifest $mnt > $R/fs27w-stock.manifest
	umount $mnt
	echo "stock: reflinked files made"
fi
bar fs27w-made

if [ "$NODE" = 1 ]; then
	rc_ours 96
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/ours.manifest
	cmp -s /tmp/ours.manifest $R/fs27w-stock.manifest ||
		fail "ours reads the reflinked files differently"
	(cd $mnt && find . -type d) | while read -r d; do mkdir -p "/model/$d"; done
	(cd $mnt && find . -type f) | while read -r f; do cat "$mnt/$f" > "/model/$f"; done
	rc_same "before any change"
	rcw buf r2 8192 4096 1
	rcw buf r2 10000 30000 2
	rcw direct r3 409600 16384 3
	rcw mmap r4 20480 8192 4
	rcw buf r5 $((4 * MB - 100)) 300 5
	rcw trunc r6 1000000 0 0
	rcw trunc r7 $((5 * MB)) 0 0
	rcw buf r7 4500000 100 7
	rcw punch r8 8192 100000 0
	rcw punch r9 0 $((4 * MB)) 0
	rcw buf r9 $((2 * MB)) 4096 9
	# r1's first cluster (stock's copy) now only in r1 and r1b
	rcw punch r1 0 65536 0
	rcw buf r1b 100 200 10
	# big2 holds the last reference once big goes: no copy
	rm $mnt/sub/big /model/sub/big
	rcw buf sub/big2 0 $MB 11
	rm $mnt/r5 /model/r5
	ln $mnt/r4 $mnt/r4.link
	rm $mnt/r4
	mv $mnt/r4.link $mnt/r4
	# a rename over a reflinked file: its last name goes
	mv $mnt/r7 $mnt/r6
	mv /model/r7 /model/r6
	rc_same "after the changes"
	umount $mnt
	mount -t ocfs2 $dev $mnt
	rc_same "after a remount"
	manifest $mnt > $R/fs27w-ours.manifest
	umount $mnt
	echo "ours: copy on write, truncates, punches and removals match the model"
fi
bar fs27w-ours

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours changed the reflinked files"
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/stock2.manifest
	cmp -s /tmp/stock2.manifest $R/fs27w-ours.manifest || {
		diff $R/fs27w-ours.manifest /tmp/stock2.manifest | head
		fail "stock reads ours' results differently"
	}
	head -c 4096 /dev/urandom | dd of=$mnt/r2 bs=4096 seek=3 conv=notrunc 2>/dev/null
	$cp --reflink=always $mnt/r3 $mnt/r3c
	umount $mnt
	fsck_clean "after stock changed ours' results"
	echo "stock: reads ours' results, fsck clean"
fi
bar fs27w-stock

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	find $mnt -type f | while read -r f; do rm "$f"; done
	rmdir $mnt/sub
	umount $mnt
	echo "ours: every reflinked file removed"
fi
bar fs27w-removed

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours removed every file"
	mount -t ocfs2 $dev $mnt
	free=$(df -k $mnt | tail -1 | awk '{print $4}')
	umount $mnt
	# fsck above judges leaks; df is only reported (windows, logs)
	echo "stock: free $free KiB now, $(cat $R/fs25.free0) KiB after mkfs"
	mount -t ocfs2 $dev $mnt
	head -c $MB /dev/urandom > $mnt/a
	$cp --reflink=always $mnt/a $mnt/b
	umount $mnt
	rb=$(stock-debugfs.ocfs2 -R "stat /b" $dev 2>/dev/null |
		sed -n 's/.*Refcount Block: *\([0-9]*\).*/\1/p')
	[ -n "$rb" ] || fail "no refcount block found for /b"
	echo "$rb" > $R/fs25.rb
	echo "stock: fsck clean and every cluster free after ours removed all; refcount block $rb"
fi
bar fs27w-bad

if [ "$NODE" = 1 ]; then
	rb=$(cat $R/fs25.rb)
	printf 'XXXXXXX' | dd of=$dev bs=1 seek=$((rb * 4096)) conv=notrunc 2>/dev/null
	mount -t ocfs2 $dev $mnt
	if dd if=/dev/zero of=$mnt/b bs=4096 count=1 conv=notrunc 2> /tmp/err; then
		fail "a write through a broken refcount block went through"
	fi
	echo "ours: write with a broken refcount block refused: $(head -1 /tmp/err)"
	cmp -s $mnt/a $mnt/b || fail "the reflinked file changed"
	umount $mnt 2>/dev/null || true
	rc_ours_end
fi
