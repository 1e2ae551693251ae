#!/bin/sh
# Stealing from another slot's allocators, as stock does (issue 10): a
# node whose own inode and extent allocators are empty, on a volume with
# no room left for a group of its own, takes inodes and metadata blocks
# from slot 0's allocators; freed, they go back there.
#  node0: mkfs -N 2 (4 KiB clusters: groups of 1024 clusters), mounts,
#    creates and removes PREP files (slot 0's inode allocator keeps the
#    free bits), fills the volume with 1 MiB files, removes three of them
#    (768 free clusters: less than a group, even a discontiguous one);
#  node1: creates a directory and XFILES files (slot 1's inode allocator
#    is empty: stolen inodes), gives each an xattr block (4 values of 80
#    bytes; slot 1's extent allocator has 1023 free bits: the rest stolen
#    from slot 0's), writes a 1 MiB file and a file of 250 one-cluster
#    extents (its tree needs an extent block: stolen);
#  node0 reads all of it (names, xattrs, data); both unmount; stock
#    debugfs: slot 1's allocators have no new group, slot 0's gave the
#    bits; stock fsck -fn clean;
#  node1 mounts again and removes all it made (the bits go back to slot
#    0's allocators: their used counts return), stock fsck -fn clean.
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 256M
#      --add FS-XATTR --timeout 900 THIS [XFILES [PREP [DEV [FIRST]]]]
#   (FS-XATTR: gcc -O2 -o DIR/fs-xattr tests/lab/scenarios/fs/fs-xattr.c)
#   The roles "node0" and "node1" are nodes FIRST and FIRST+1 (default 0);
#   any other node only meets the barriers.
set -e
lab-cluster-mounts
R=$LAB_RESULTS
M=/mnt/ocfs2
XFILES=${1:-1100}
PREP=${2:-2500}
dev=${3:-/dev/vda}
FIRST=${4:-0}
# ROLE: 0 fills, 1 steals, else a bystander
ROLE=$((NODE - FIRST))
say() { echo "node$NODE ($LAB_STACK, role $ROLE): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -40; umount $M 2>/dev/null; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)
dbg=$(command -v stock-debugfs.ocfs2 || command -v debugfs.ocfs2)

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
command -v fs-xattr > /dev/null || fail "fs-xattr not added (--add)"
if [ "$ROLE" = 0 ] || [ "$ROLE" = 1 ]; then
	[ "$LAB_STACK" = ours ] || fail "node$NODE runs $LAB_STACK: the roles need ours"
fi

# used ALLOC: the used count of a chain allocator, as stock debugfs reads it
used() {
	$dbg -R "stat //$1" $dev 2>/dev/null |
		awk '/Bitmap Total:/ { print $5; exit }'
}
total() {
	$dbg -R "stat //$1" $dev 2>/dev/null |
		awk '/Bitmap Total:/ { print $3; exit }'
}

# fsck_strict WHAT: exit 0 and no repair question
fsck_strict() {
	$fsck -fn $dev > $R/fsck.last 2>&1 || { cat $R/fsck.last; fail "fsck $1: exit status"; }
	if grep -q '? n$' $R/fsck.last; then
		cat $R/fsck.last
		fail "fsck $1: wants repairs"
	fi
	say "stock fsck -fn clean $1"
}

# names PREFIX N: PREFIX1 .. PREFIXN, one a line
names() {
	i=1
	while [ $i -le "$2" ]; do
		echo "$1$i"
		i=$((i + 1))
	done
}

# xdump DIR: every xattr of the XFILES files
xdump() {
	names "$1/x" "$XFILES" | while read -r f; do
		fs-xattr dump "$f" || echo "unreadable $f"
	done
}

if [ "$ROLE" = 0 ]; then
	echo y | $mkfs -q -F -N 2 -b 4096 -C 4096 \
		--cluster-stack=pcmk --cluster-name=lab $dev
	for a in inode_alloc extent_alloc; do
		for s in 0000 0001; do
			echo "$a:$s $(total $a:$s) $(used $a:$s)"
		done
	done > $R/alloc.mkfs
	cat $R/alloc.mkfs
fi
lab-barrier st-formatted
mkdir -p $M
# one after the other: node N takes slot N
if [ "$ROLE" = 0 ]; then
	mount -t ocfs2 $dev $M || fail "mount"
fi
lab-barrier st-mounted0
if [ "$ROLE" = 1 ]; then
	mount -t ocfs2 $dev $M || fail "mount"
fi
lab-barrier st-mounted

if [ "$ROLE" = 0 ]; then
	mkdir $M/prep
	names p "$PREP" > /tmp/prep
	(cd $M/prep && xargs touch < /tmp/prep) || fail "prep files"
	rm -rf $M/prep
	mkdir $M/fill
	i=0
	while dd if=/dev/zero of=$M/fill/f$i bs=1M count=1 2>/dev/null; do
		i=$((i + 1))
	done
	rm -f $M/fill/f$i
	[ $i -gt 100 ] || fail "only $i MiB filled the volume"
	rm $M/fill/f1 $M/fill/f2 $M/fill/f3
	sync
	say "made and removed $PREP files, filled the volume with $i MiB, freed 3 MiB"
	df $M | tail -1
fi
lab-barrier st-filled

if [ "$ROLE" = 1 ]; then
	df $M | tail -1
	mkdir $M/d1 || fail "mkdir with an empty inode allocator"
	names x "$XFILES" > /tmp/x
	(cd $M/d1 && xargs touch < /tmp/x) || fail "creating $XFILES files"
	names "$M/d1/x" "$XFILES" | fs-xattr fill 4 80 s ||
		fail "xattr blocks past slot 1's extent allocator"
	dd if=/dev/urandom of=$M/d1/big bs=64k count=16 2>/dev/null ||
		fail "writing a 1 MiB file"
	i=0
	while [ $i -lt 250 ]; do
		dd if=/dev/urandom of=$M/d1/frag bs=4k count=1 seek=$((i * 2)) \
			conv=notrunc 2>/dev/null || fail "extent $i of frag"
		i=$((i + 1))
	done
	sync
	md5sum $M/d1/big $M/d1/frag | awk '{ print $1 }' > $R/sums
	xdump $M/d1 > $R/xattrs.1
	grep -q unreadable $R/xattrs.1 && fail "own xattrs unreadable"
	say "made d1 with $XFILES files and xattr blocks, big and frag (250 extents)"
	dmesg | grep -i ocfs2 | tail -5
fi
lab-barrier st-made

if [ "$ROLE" = 0 ]; then
	n=$(ls $M/d1 | grep -c '^x') || true
	[ "$n" = "$XFILES" ] || fail "node0 sees $n of $XFILES files"
	md5sum $M/d1/big $M/d1/frag | awk '{ print $1 }' > /tmp/sums
	cmp -s /tmp/sums $R/sums || fail "node0 reads other data than node1 wrote"
	xdump $M/d1 > /tmp/xattrs.0
	cmp -s /tmp/xattrs.0 $R/xattrs.1 || fail "node0 reads other xattrs"
	say "read role 1's files, xattrs and data"
fi
lab-barrier st-read
if [ "$ROLE" = 0 ] || [ "$ROLE" = 1 ]; then
	umount $M || fail "umount"
fi
lab-barrier st-unmounted

if [ "$ROLE" = 0 ]; then
	for a in inode_alloc extent_alloc; do
		for s in 0000 0001; do
			echo "$a:$s $(total $a:$s) $(used $a:$s)"
		done
	done > $R/alloc.made
	cat $R/alloc.made
	# slot 1's allocators got no group; its extent allocator is used up
	[ "$(grep '^inode_alloc:0001 ' $R/alloc.made)" = \
	  "$(grep '^inode_alloc:0001 ' $R/alloc.mkfs)" ] ||
		fail "slot 1's inode allocator changed"
	i0=$(awk '$1 == "inode_alloc:0000" { print $3 }' $R/alloc.made)
	[ "$i0" -gt "$XFILES" ] || fail "slot 0's inode allocator gave only $i0 inodes"
	t=$(total extent_alloc:0001)
	[ "$(used extent_alloc:0001)" = "$t" ] ||
		fail "slot 1's extent allocator was not used up"
	[ "$t" = "$(awk '$1 == "extent_alloc:0001" { print $2 }' $R/alloc.mkfs)" ] ||
		fail "slot 1's extent allocator grew"
	say "slot 1: no new group; slot 0 gave the inodes and the other blocks"
	fsck_strict "after the steals"
fi
lab-barrier st-checked

if [ "$ROLE" = 1 ]; then
	mount -t ocfs2 $dev $M || fail "mount again"
	rm -rf $M/d1 || fail "removing d1"
	umount $M || fail "umount"
	say "removed d1"
fi
lab-barrier st-removed
if [ "$ROLE" = 0 ]; then
	for a in inode_alloc extent_alloc; do
		for s in 0000 0001; do
			echo "$a:$s $(total $a:$s) $(used $a:$s)"
		done
	done > $R/alloc.freed
	cat $R/alloc.freed
	e0=$(awk '$1 == "extent_alloc:0000" { print $3 }' $R/alloc.freed)
	e0m=$(awk '$1 == "extent_alloc:0000" { print $3 }' $R/alloc.made)
	[ "$e0" -lt "$e0m" ] || fail "no stolen extent bit went back to slot 0 ($e0m -> $e0)"
	[ "$(used extent_alloc:0001)" -le 1 ] ||
		fail "slot 1's extent allocator still holds bits"
	fsck_strict "after the stolen bits went back"
fi
say "all checks passed"
exit 0
