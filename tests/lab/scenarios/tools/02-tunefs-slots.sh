#!/bin/sh
# OUR tunefs.ocfs2 -N adds a slot to a cluster volume the STOCK kernel has
# populated, and the stock kernel then mounts it on one node more than it
# had slots for: node0 makes the volume with our mkfs (-N 2), nodes 0 and 1
# fill it, everything unmounts, our tunefs -N 3 runs, stock fsck -fn is
# clean, then all three nodes mount it (node2 takes the new slot), each
# writes, each reads the others' files, and stock fsck -fn is clean again.
# Needs: --stack stock --nodes 3 --disk 1G, --add our-mkfs.ocfs2 and
# --add our-tunefs.ocfs2 (named so they do not shadow the stock tools).
set -e
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt

fail() { echo "FAIL: $*"; exit 1; }

fill() {	# DIR COUNT: a directory of small files and one larger one
	mkdir -p "$1"
	i=0
	while [ $i -lt "$2" ]; do echo "$1 $i" > "$1/f$i"; i=$((i + 1)); done
	dd if=/dev/urandom of="$1/big" bs=64k count=32 2>/dev/null
	md5sum "$1/big" | cut -d' ' -f1 > "$LAB_RESULTS/$(basename "$1").md5"
}

if [ "$NODE" = 0 ]; then
	/usr/local/bin/our-mkfs.ocfs2 -q -F -N 2 -L tuneslots "$dev" || fail "our mkfs"
fi
lab-barrier formatted
if [ "$NODE" -lt 2 ]; then
	mount -t ocfs2 $dev $mnt || fail "stock mount before tunefs"
	fill $mnt/before$NODE 300
	umount $mnt
fi
lab-barrier filled
if [ "$NODE" = 0 ]; then
	/usr/local/bin/our-tunefs.ocfs2 -N 3 "$dev" || fail "our tunefs -N 3"
	fsck.ocfs2 -fn "$dev" > /tmp/fsck1 2>&1 || { cat /tmp/fsck1; fail "stock fsck after tunefs"; }
	echo "our tunefs -N 3: stock fsck.ocfs2 -fn clean"
	debugfs.ocfs2 -R stats "$dev" | grep 'Max Node Slots'
fi
lab-barrier tuned
mount -t ocfs2 $dev $mnt || fail "stock mount on node$NODE after tunefs"
lab-barrier mounted
fill $mnt/after$NODE 100
sync
lab-barrier written
for d in before0 before1 after0 after1 after2; do
	[ "$(md5sum $mnt/$d/big | cut -d' ' -f1)" = "$(cat "$LAB_RESULTS/$d.md5")" ] ||
		fail "$d/big reads differently on node$NODE"
	[ "$(cat $mnt/$d/f7)" = "$mnt/$d 7" ] || fail "$d/f7 on node$NODE"
done
echo "node$NODE reads all five trees"
mounted.ocfs2 -f $dev
lab-barrier checked
umount $mnt
lab-barrier unmounted
if [ "$NODE" = 0 ]; then
	fsck.ocfs2 -fn "$dev" > /tmp/fsck2 2>&1 || { cat /tmp/fsck2; fail "stock fsck at the end"; }
	echo "stock fsck.ocfs2 -fn clean after three nodes used it"
fi
