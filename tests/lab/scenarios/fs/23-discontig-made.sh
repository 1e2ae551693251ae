#!/bin/sh
# Discontiguous suballocator groups made by OUR module (discontig-bg, a
# default feature): when no free run holds a whole group, the group is
# gathered from several runs, as stock makes them (fs/24 has stock make
# them and ours read them).
#  node0 (stock): mkfs -M local with 64 KiB clusters (inode and extent
#    groups of 1024 blocks = 64 clusters), fills the volume with 3 MiB
#    files and frees every other one (free space: 48-cluster holes, none
#    a whole group; fs/24's recipe);
#  node1 (ours): creates NAMES files (slot 0's inode allocator has ~850
#    free bits: new groups needed) and gives XFILES of them an xattr block
#    each (4 values of 80 bytes: past the inline area), more blocks than
#    the extent allocator's one group holds; every new inode and extent
#    group must be discontiguous (extent records in its descriptor);
#  node0 (stock): the same names and inode numbers, every inode read, the
#    xattrs read back identical, fsck -fn clean (strict);
#  node1 (ours): removes every other file (bits freed inside its
#    discontiguous groups); stock fsck clean; node0 (stock) removes the
#    rest; fsck clean; stock's and ours' views agree at each step.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add FS-XATTR --timeout 900 \
#       tests/lab/scenarios/fs/23-discontig-made.sh [NAMES [XFILES [DEV]]]
#   (FS-XATTR: gcc -O2 -o DIR/fs-xattr tests/lab/scenarios/fs/fs-xattr.c)
#   Nodes past 1 only meet the barriers.
set -e
. /usr/local/bin/lib.sh
NAMES=${1:-5000}
XFILES=${2:-1100}
dev=${3:-/dev/vda}
mnt=/mnt/ocfs2
R=$LAB_RESULTS
mkdir -p $mnt
command -v fs-xattr > /dev/null || fail "fs-xattr not added (--add)"

# xdump: every xattr of the x files, one line each
xdump() {
	i=1
	while [ $i -le "$XFILES" ]; do
		fs-xattr dump "$mnt/d/s$i" || fail "reading s$i's xattrs"
		i=$((i + 1))
	done
}

if [ "$NODE" = 0 ]; then
	fragment_volume
	group_extents inode_alloc > $R/inode.before
	group_extents extent_alloc > $R/extent.before
	echo "stock's groups: $(wc -l < $R/inode.before) inode, $(wc -l < $R/extent.before) extent"
fi
lab-barrier fragmented

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	mkdir $mnt/d
	make_names $mnt/d s 1 "$NAMES"
	i=1
	while [ $i -le "$XFILES" ]; do
		echo "$mnt/d/s$i"
		i=$((i + 1))
	done | fs-xattr fill 4 80 x || fail "ours: setting xattrs"
	listing $mnt/d > $R/ours.list
	xdump > $R/ours.xattrs
	umount $mnt
	mount -t ocfs2 $dev $mnt
	listing $mnt/d > /tmp/ours.again
	cmp -s /tmp/ours.again $R/ours.list ||
		fail "ours lists differently after a remount"
	umount $mnt
	dmesg | grep -i 'ocfs2' | tail -5
	echo "ours: $NAMES files made, $XFILES with an xattr block"
fi
lab-barrier ours-made

if [ "$NODE" = 0 ]; then
	group_extents inode_alloc > $R/inode.after
	group_extents extent_alloc > $R/extent.after
	echo "inode groups after ours (block, extents):"
	cat $R/inode.after
	echo "extent groups after ours (block, extents):"
	cat $R/extent.after
	for a in inode extent; do
		new=$(grep -v -x -F -f $R/$a.before $R/$a.after | wc -l)
		dis=$(grep -v -x -F -f $R/$a.before $R/$a.after |
			awk '$2 > 1 { n++ } END { print n + 0 }')
		echo "$a allocator: $new new groups, $dis discontiguous"
		[ "$new" -gt 0 ] || fail "ours made no $a group: the test proves nothing"
		[ "$dis" = "$new" ] ||
			fail "ours made $a groups contiguous on a volume with no free group-sized run"
	done
	fsck_clean "after ours made discontiguous groups"
	mount -t ocfs2 $dev $mnt
	listing $mnt/d > /tmp/stock.list
	cmp -s /tmp/stock.list $R/ours.list ||
		fail "stock lists other names or inode numbers than ours made"
	n=$(ls -l $mnt/d | grep -c '^-')
	[ "$n" = "$NAMES" ] || fail "stock read $n of $NAMES inodes"
	xdump > /tmp/stock.xattrs
	cmp -s /tmp/stock.xattrs $R/ours.xattrs ||
		fail "stock reads other xattrs than ours wrote"
	umount $mnt
	echo "stock: fsck clean, every inode and xattr ours made read"
fi
lab-barrier stock-read

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	j=1
	while [ $j -le "$NAMES" ]; do
		echo "s$j"
		j=$((j + 2))
	done > /tmp/rm.list
	(cd $mnt/d && xargs rm < /tmp/rm.list) || fail "ours removing"
	listing $mnt/d > $R/ours.half
	umount $mnt
	echo "ours: every other file removed (bits of discontiguous groups freed)"
fi
lab-barrier ours-freed

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours freed bits in its discontiguous groups"
	mount -t ocfs2 $dev $mnt
	listing $mnt/d > /tmp/stock.half
	cmp -s /tmp/stock.half $R/ours.half || fail "stock lists other names than ours left"
	rm -rf $mnt/d
	umount $mnt
	fsck_clean "after stock freed the rest"
	echo "stock: the rest removed, fsck clean"
fi
lab-barrier stock-freed

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	[ ! -e $mnt/d ] || fail "ours still sees d"
	make_names $mnt s 1 100
	umount $mnt
fi
lab-barrier ours-again
if [ "$NODE" = 0 ]; then
	fsck_clean "after ours created in the freed groups again"
fi
exit 0
