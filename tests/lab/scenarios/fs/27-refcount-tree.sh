#!/bin/sh
# Refcount trees of many leaves, and a full one-block tree, changed by
# ours (ocfs2.refcount_writes=1) against a tmpfs model.
#  node0 (stock): mkfs -M local, mounted with resv_level=0 so that files
#    written a piece each in turn (lab-fsops interleave) get one extent,
#    hence one refcount record, per piece:
#     - base: 247 pieces of 2 clusters, reflinked once: the root block's
#       247 records exactly (full);
#     - b2: 1500 one-cluster pieces reflinked twice, stock's copy on write
#       in every 3rd and 5th piece: a tree of many leaves;
#  node1 (ours): a write into one cluster of a 2-cluster record of the
#    full root (the root's records move to a leaf, which splits), another
#    into the second leaf; punches, a truncate and writes over the
#    many-leaf tree; removing b2, then t5, then writing all of t3 (last
#    references: records and leaves go, the root holds records again);
#    every file equals its model, again after a remount;
#  node0 (stock): fsck.ocfs2 -fn clean, same manifest; node1 (ours)
#    removes everything; node0 (stock): fsck clean.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add tests/stress/fs-rcio \
#       --add tests/lab/scenarios/tools/lab-fsops \
#       tests/lab/scenarios/fs/27-refcount-tree.sh
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.fs27t-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS

# tree FILE: stock debugfs's view of FILE's refcount tree (flags, leaves)
tree() {
	rb=$(stock-debugfs.ocfs2 -R "stat /$1" $dev 2>/dev/null |
		sed -n 's/.*Refcount Block: *\([0-9]*\).*/\1/p')
	[ -n "$rb" ] || { echo "$1: no refcount tree"; return 0; }
	stock-debugfs.ocfs2 -R "refcount -e <$rb>" $dev 2>/dev/null |
		grep -i "flags\|count\|depth\|records\|used" | head -8 |
		tr '\n' ' '
	echo
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rctree $dev
	mount -t ocfs2 -o resv_level=0 $dev $mnt
	cd $mnt
	lab-fsops interleave base other 8192 247
	lab-fsops reflink base r3
	lab-fsops interleave b2 o2 4096 1500
	lab-fsops reflink b2 t3
	lab-fsops reflink b2 t5
	lab-fsops poke t3 4096 3 500
	lab-fsops poke t5 4096 5 300
	cd /
	umount $mnt
	echo "stock: base $(tree base)"
	echo "stock: b2 $(tree b2)"
	mount -t ocfs2 $dev $mnt
	manifest $mnt > $R/fs27t-stock.manifest
	umount $mnt
fi
bar fs27t-made

if [ "$NODE" = 1 ]; then
	rc_ours 64
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/ours.manifest
	cmp -s /tmp/ours.manifest $R/fs27t-stock.manifest ||
		fail "ours reads the reflinked files differently"
	for f in base r3 other b2 o2 t3 t5; do cat $mnt/$f > /model/$f; done
	rcw buf r3 0 4096 1
	rcw buf r3 $((8192 * 200 + 4096)) 4096 2
	rcw punch t3 0 $((4096 * 600)) 0
	rcw trunc t5 $((4096 * 700)) 0 0
	rcw buf t3 $((4096 * 1000)) 409600 3
	rcw direct t5 $((4096 * 650)) 40960 4
	rc_same "after changes in full and many-leaf trees"
	rm $mnt/b2 /model/b2
	rm $mnt/t5 /model/t5
	rcw buf t3 0 $((4096 * 1500)) 5
	rc_same "after t3 took its last references"
	umount $mnt
	mount -t ocfs2 $dev $mnt
	rc_same "after a remount"
	manifest $mnt > $R/fs27t-ours.manifest
	umount $mnt
fi
bar fs27t-ours

if [ "$NODE" = 0 ]; then
	echo "stock: r3 $(tree r3)"
	echo "stock: t3 $(tree t3)"
	fsck_clean "after ours changed the trees"
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/stock2.manifest
	umount $mnt
	cmp -s /tmp/stock2.manifest $R/fs27t-ours.manifest || {
		diff $R/fs27t-ours.manifest /tmp/stock2.manifest | head
		fail "stock reads ours' results differently"
	}
	echo "stock: fsck clean, reads ours' results"
fi
bar fs27t-stock

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	rm -f $mnt/base $mnt/r3 $mnt/other $mnt/o2 $mnt/t3
	umount $mnt
	rc_ours_end
	echo "ours: every file removed"
fi
bar fs27t-removed

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours removed every file"
	echo "stock: fsck clean after ours removed every reflinked file"
fi
