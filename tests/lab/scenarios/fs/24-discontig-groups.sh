#!/bin/sh
# Discontiguous suballocator groups (discontig-bg, a default feature):
# stock makes them when no run of a group's clusters is free; ours must
# find inodes and free and claim bits inside them.
#  node0 (stock): mkfs -M local with 64 KiB clusters (inode groups of
#    1024 inodes = 64 clusters), fills the volume with 3 MiB files, frees
#    every other one (free space: 48-cluster holes, none a whole group),
#    then creates NAMES files: the new inode groups are made of several
#    extents (stock takes half a group or more per extent); prints each
#    inode group's extent count (read from its descriptor), fails if none
#    is discontiguous; lists the names with their inode numbers; fsck
#    clean;
#  node1 (ours): the same names and inode numbers, every inode read;
#    removes half of stock's files (their bits are in discontiguous groups),
#    creates as many new ones (claiming those bits again), lists;
#  node0 (stock): fsck -fn clean (strict), ours' names and inodes read.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --timeout 900 \
#       tests/lab/scenarios/fs/24-discontig-groups.sh [NAMES]
set -e
. /usr/local/bin/lib.sh
NAMES=${1:-5000}
dev=/dev/vda
mnt=/mnt/ocfs2
R=$LAB_RESULTS
mkdir -p $mnt

if [ "$NODE" = 0 ]; then
	fragment_volume
	mount -t ocfs2 $dev $mnt
	mkdir $mnt/d
	make_names $mnt/d s 1 "$NAMES"
	listing $mnt/d > $R/stock.list
	umount $mnt
	group_extents inode_alloc > $R/groups
	echo "inode groups (block, extents):"
	cat $R/groups
	awk '$2 > 1 { n++ } END { exit !n }' $R/groups ||
		fail "stock made no discontiguous inode group: the test proves nothing"
	fsck_clean "after stock's creates"
fi
lab-barrier stock-made

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	listing $mnt/d > /tmp/ours.list
	cmp -s /tmp/ours.list $R/stock.list ||
		fail "ours lists other names or inode numbers than stock"
	# stat reads every inode block, each in its group's extent
	n=$(ls -l $mnt/d | grep -c '^-')
	[ "$n" = "$NAMES" ] || fail "ours read $n of $NAMES inodes"
	j=1
	rmlist=/tmp/rm.list
	: > $rmlist
	while [ $j -le "$NAMES" ]; do
		echo "s$j" >> $rmlist
		j=$((j + 2))
	done
	(cd $mnt/d && xargs rm < $rmlist) || fail "removing stock's files"
	make_names $mnt/d o 1 $(((NAMES + 1) / 2))
	listing $mnt/d > $R/ours.list
	umount $mnt
	mount -t ocfs2 $dev $mnt
	listing $mnt/d > /tmp/ours.again
	cmp -s /tmp/ours.again $R/ours.list || fail "ours lists differently after a remount"
	umount $mnt
	echo "ours: stock's $NAMES inodes read, half removed, as many created in their bits"
fi
lab-barrier ours-changed

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours freed and claimed bits in discontiguous groups"
	mount -t ocfs2 $dev $mnt
	listing $mnt/d > /tmp/stock.again
	cmp -s /tmp/stock.again $R/ours.list || fail "stock lists other names than ours made"
	ls -l $mnt/d > /dev/null
	umount $mnt
	group_extents inode_alloc > $R/groups.after
	echo "inode groups after ours (block, extents):"
	cat $R/groups.after
	echo "stock: fsck clean, ours' names and inodes read"
fi
exit 0
