#!/bin/sh
# File data and cluster allocation: node0 (stock) makes a local-mount
# volume; node1 (ours) writes files from 0 bytes to 120 MiB, inline files
# that grow into extents, sparse files with writes into holes, a file of
# 600 extents (the tree grows a level), truncates down and up, and
# deletes files that own clusters (one while still open).  Node1 records
# every file's hash and the free space; node0 (stock module) checks the
# volume with stock fsck.ocfs2 -fn, mounts it and must read the same
# hashes and free space.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G --add tests/lab/scenarios/fs/lib.sh \
#       --timeout 600 tests/lab/scenarios/fs/10-rw-data.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt

free_clusters() {
	stat -f -c '%f' $mnt
}

# strided FILE N: N 4 KiB writes two blocks apart, N extents (a deep tree)
strided() {
	i=0
	while [ $i -lt $2 ]; do
		dd if=/tmp/chunk of=$1 bs=4k count=1 skip=$((i % 200)) \
			seek=$((i * 2)) conv=notrunc status=none
		i=$((i + 1))
	done
}

write_files() {
	d=$mnt/data
	mkdir $d
	head -c 1048576 /dev/urandom > /tmp/chunk
	: > $d/empty
	printf x > $d/one
	head -c 100 /tmp/chunk > $d/inline100
	head -c 3000 /tmp/chunk > $d/inline3000
	head -c 3896 /tmp/chunk > $d/inline_max
	head -c 3897 /tmp/chunk > $d/past_inline
	head -c 4096 /tmp/chunk > $d/four_k
	cp /tmp/chunk $d/one_meg
	i=0
	while [ $i -lt 120 ]; do
		cat /tmp/chunk
		i=$((i + 1))
	done > $d/big
	# an inline file that grows past the inode, one append at a time
	i=0
	while [ $i -lt 150 ]; do
		echo "line $i of a file that starts inline and grows" >> $d/grows
		i=$((i + 1))
	done
	# sparse: blocks far apart, then writes into the holes between
	dd if=/tmp/chunk of=$d/sparse bs=4k count=2 seek=2000 status=none
	dd if=/tmp/chunk of=$d/sparse bs=4k count=1 seek=10 conv=notrunc status=none
	dd if=/tmp/chunk of=$d/sparse bs=4k count=3 skip=5 seek=500 conv=notrunc status=none
	truncate -s 20M $d/sparse
	dd if=/tmp/chunk of=$d/sparse bs=1k count=1 seek=12000 conv=notrunc status=none
	# 600 separate extents: more than the inode (243) and a leaf (252) hold
	strided $d/many 600
	# fill two holes of the deep tree afterwards
	dd if=/tmp/chunk of=$d/many bs=4k count=1 seek=301 conv=notrunc status=none
	dd if=/tmp/chunk of=$d/many bs=4k count=1 seek=1 conv=notrunc status=none
	# truncates down and up, from extents and from inline
	cp $d/one_meg $d/trunc_down
	truncate -s 100000 $d/trunc_down
	cp $d/one_meg $d/trunc_small
	truncate -s 5 $d/trunc_small
	cp $d/inline3000 $d/trunc_inline
	truncate -s 10 $d/trunc_inline
	truncate -s 2000 $d/trunc_inline
	cp $d/four_k $d/trunc_up
	truncate -s 3000000 $d/trunc_up
	echo tail >> $d/trunc_up
	# cut a two-leaf tree back into its first leaf
	strided $d/many_cut 300
	truncate -s 1000000 $d/many_cut
	dd if=/tmp/chunk of=$d/fsynced bs=64k count=3 conv=fsync status=none
}

delete_files() {
	before=$(free_clusters)
	cp $mnt/data/big $mnt/doomed
	strided $mnt/doomed_many 300
	cp $mnt/data/one_meg $mnt/open_unlinked
	sync
	mid=$(free_clusters)
	[ "$mid" -lt "$before" ] || fail "copies took no space ($before -> $mid)"
	rm $mnt/doomed $mnt/doomed_many
	exec 3< $mnt/open_unlinked
	rm $mnt/open_unlinked
	sum=$(sha256sum <&3 | cut -c1-64)
	exec 3<&-
	[ "$sum" = "$(sha256sum < $mnt/data/one_meg | cut -c1-64)" ] ||
		fail "open-unlinked file read back wrong"
	sync
	after=$(free_clusters)
	echo "free blocks: before $before, with copies $mid, after delete $after"
	[ "$after" = "$before" ] || fail "delete did not give every cluster back"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L data $dev
fi
lab-barrier made

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	write_files
	delete_files
	manifest $mnt > $LAB_RESULTS/data.ours
	free_clusters > $LAB_RESULTS/free.ours
	umount $mnt
	mount -t ocfs2 -o ro $dev $mnt
	manifest $mnt > $LAB_RESULTS/data.ours.remount
	umount $mnt
	cmp $LAB_RESULTS/data.ours $LAB_RESULTS/data.ours.remount ||
		fail "contents changed across remount"
	grep -c . $LAB_RESULTS/data.ours
fi
lab-barrier written

if [ "$NODE" = 0 ]; then
	blockdev --flushbufs $dev
	echo 3 > /proc/sys/vm/drop_caches
	stock-fsck.ocfs2 -fn $dev || fail "stock fsck.ocfs2 found problems"
	mount -t ocfs2 -o ro $dev $mnt
	manifest $mnt > $LAB_RESULTS/data.stock
	free_clusters > $LAB_RESULTS/free.stock
	umount $mnt
	diff $LAB_RESULTS/data.ours $LAB_RESULTS/data.stock ||
		fail "stock reads different contents"
	cmp $LAB_RESULTS/free.ours $LAB_RESULTS/free.stock ||
		fail "stock counts different free space"
	grep '^./data/big ' $LAB_RESULTS/data.stock
	grep '^./data/many ' $LAB_RESULTS/data.stock
fi
echo "rw-data: done on node$NODE"
