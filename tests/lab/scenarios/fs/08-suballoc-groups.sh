#!/bin/sh
# New suballocator groups: our module grows a full inode allocator and a
# full extent allocator by a group each; stock checks and uses them.
#  node0 (stock): mkfs -M local (one group of 1024 bits per allocator),
#    1000 files in 10 directories, each with five 60-byte xattrs (more
#    than the 256 inline bytes: one xattr block from extent_alloc each),
#    which leaves both allocators of slot 0 nearly full;
#  node1 (ours): creates more files than inode_alloc has bits left and a
#    file of more extents than extent_alloc's free blocks can map (4 KiB
#    writes two blocks apart), so both need a second group; stock debugfs
#    must show two chains of 1024 bits each; records every file's size,
#    content hash and xattr hash;
#  node0 (stock): fsck.ocfs2 -fn clean, mounts, reads the same sums,
#    creates 300 more files (its own allocations land in our groups),
#    unmounts, fsck -fn clean again.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G --add tests/lab/scenarios/fs/lib.sh \
#       --add tests/stress/fs-groups --timeout 300 tests/lab/scenarios/fs/08-suballoc-groups.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS

# field ALLOC NAME: a number from stock debugfs's "stat" of //ALLOC:0000
field() {
	stock-debugfs.ocfs2 -R "stat //$1:0000" $dev |
		sed -n "s/.*$2: *\([0-9]*\).*/\1/p" | head -1
}

show() {
	for a in inode_alloc extent_alloc; do
		echo "$1 $a: total $(field $a 'Bitmap Total') used $(field $a Used) free $(field $a Free) chains $(field $a 'Next Free Rec')"
	done
}

sums() {
	find $mnt -type f | sort | xargs fs-groups sum
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L groups $dev
	mount -t ocfs2 $dev $mnt
	for k in 0 1 2 3 4 5 6 7 8 9; do
		mkdir $mnt/d$k
		fs-groups files $mnt/d$k $((k * 100)) 100 5
	done
	umount $mnt
	show stock
fi
lab-barrier filled

if [ "$NODE" = 1 ]; then
	ifree=$(field inode_alloc Free)
	efree=$(field extent_alloc Free)
	[ "$(field inode_alloc 'Next Free Rec')" = 1 ] ||
		fail "stock already grew inode_alloc: nothing left to prove"
	[ "$(field extent_alloc 'Next Free Rec')" = 1 ] ||
		fail "stock already grew extent_alloc: nothing left to prove"
	mount -t ocfs2 $dev $mnt
	mkdir $mnt/ours
	fs-groups files $mnt/ours 0 $((ifree + 50)) 0 ||
		fail "creating $((ifree + 50)) files with $ifree inode bits free"
	fs-groups frag $mnt/ours/frag $(((efree + 4) * 251 + 243)) ||
		fail "a file needing $((efree + 4)) extent blocks, $efree free"
	sums > $R/groups.ours
	umount $mnt
	show ours
	for a in inode_alloc extent_alloc; do
		[ "$(field $a 'Next Free Rec')" = 2 ] ||
			fail "$a has $(field $a 'Next Free Rec') chains after ours, expected 2"
		[ "$(field $a 'Bitmap Total')" = 2048 ] ||
			fail "$a has $(field $a 'Bitmap Total') bits after ours, expected 2048"
	done
	wc -l < $R/groups.ours
	echo "ours: both allocators got a second group"
fi
lab-barrier grown

if [ "$NODE" = 0 ]; then
	fsck_clean "after our new groups"
	cp $R/fsck.last $R/groups.fsck1
	mount -t ocfs2 $dev $mnt
	sums > $R/groups.stock
	cmp $R/groups.ours $R/groups.stock || fail "stock reads other sums than ours wrote"
	mkdir $mnt/stock2
	fs-groups files $mnt/stock2 0 300 5
	umount $mnt
	show stock-after
	fsck_clean "after stock used our groups"
	cp $R/fsck.last $R/groups.fsck2
	echo "stock: fsck clean, same sums, allocates from our groups, fsck clean"
fi
lab-barrier checked
