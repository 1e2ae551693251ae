#!/bin/sh
# Indexed directories past one index block, both ways with stock.
#  node0 (stock): mkfs -M local (indexed-dirs is a default feature), an
#    indexed directory small/ of 150 names (its index inline in the root)
#    and big/ of 600 (an index of leaf blocks), tiny/ of 100;
#  node1 (ours): N names (default 5000) into small/ (the inline index
#    moves to leaves, then leaves split again and again), 1500 into big/,
#    every other name of small/ removed, 300 renamed small/ -> big/ and 100
#    back; a directory of its own, mine/, of 2000 names (indexed as it
#    leaves the inode block), a third removed; every name looked up again;
#    the name lists go to the results;
#  node0 (stock): every name is found through the index (a lookup per
#    name, not only readdir), readdir agrees with our lists, stock adds 300
#    and removes 100 in our split index, fsck.ocfs2 -fn is clean;
#  node1 (ours): finds stock's names and misses the removed ones, then
#    removes big/ and tiny/ (a stock directory of 100 names, its index
#    inline): the indexes are freed with them;
#  node0 (stock): fsck.ocfs2 -fn clean again, the index shape is shown;
#    then (bad input) one leaf block of small/'s index is zeroed;
#  node1 (ours): lookups of names in that leaf fail with an error naming
#    the leaf, the others still work, the volume unmounts.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G \
#       --add tests/lab/scenarios/fs/lib.sh \
#       tests/lab/scenarios/fs/13-dx-split.sh [N]
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt

n=${1:-5000}
[ -n "$n" ] || n=5000
long=stock_made_entry_with_a_longer_name

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L dxsplit $dev
	mount -t ocfs2 $dev $mnt
	mkdir $mnt/small $mnt/big $mnt/tiny
	# long names: out of the inode block (indexed) within 100 names
	mk $mnt/small $long 0 150
	mk $mnt/big $long 0 600
	mk $mnt/tiny $long 0 100
	for d in small big tiny; do
		[ "$(stat -c %s $mnt/$d)" -ge 4096 ] ||
			fail "stock kept $d/ inline (not indexed)"
	done
	umount $mnt
	stock-debugfs.ocfs2 -R "stat /small" $dev | grep -i "dynamic\|indexed" || true
fi
lab-barrier formatted

if [ "$NODE" = 1 ]; then
	modprobe ocfs2 2>/dev/null || true
	echo 1 > /sys/module/ocfs2/parameters/block_dir_changes
	mount -t ocfs2 $dev $mnt
	t0=$(date +%s)
	mk $mnt/small ours "0" "$n"
	mk $mnt/big ours 0 1500
	t1=$(date +%s)
	echo "ours: $n names into small/ and 1500 into big/ in $((t1 - t0)) s"
	# a directory of our own: indexed as it leaves the inode block
	mkdir $mnt/mine
	mk $mnt/mine mine 0 2000
	i=0
	while [ $i -lt 2000 ]; do
		rm "$mnt/mine/mine_$i"
		i=$((i + 3))
	done
	ls -A $mnt/mine | sort > $LAB_RESULTS/mine.list
	got=$(wc -l < $LAB_RESULTS/mine.list)
	[ "$got" = 1333 ] || fail "mine/ has $got names, expected 1333"
	all_found $mnt/mine $LAB_RESULTS/mine.list
	i=0
	while [ $i -lt "$n" ]; do
		rm "$mnt/small/ours_$i"
		i=$((i + 2))
	done
	i=1
	while [ $i -lt 601 ]; do
		mv "$mnt/small/ours_$i" "$mnt/big/moved_$i"
		i=$((i + 2))
	done
	i=1
	while [ $i -lt 201 ]; do
		mv "$mnt/big/moved_$i" "$mnt/small/back_$i"
		i=$((i + 2))
	done
	: > "$mnt/small/$(repeat L 255)"
	# the lists every node checks from here on
	ls -A $mnt/small | sort > $LAB_RESULTS/small.list
	ls -A $mnt/big | sort > $LAB_RESULTS/big.list
	want_small=$((n / 2 - 300 + 100 + 150 + 1))
	got=$(wc -l < $LAB_RESULTS/small.list)
	[ "$got" = "$want_small" ] || fail "small/ has $got names, expected $want_small"
	got=$(wc -l < $LAB_RESULTS/big.list)
	[ "$got" = $((600 + 1500 + 200)) ] || fail "big/ has $got names, expected 2300"
	all_found $mnt/small $LAB_RESULTS/small.list
	all_found $mnt/big $LAB_RESULTS/big.list
	[ ! -e $mnt/small/ours_0 ] && [ ! -e $mnt/small/ours_1 ] &&
		[ -e $mnt/big/moved_201 ] && [ -e $mnt/small/back_199 ] ||
		fail "removed or renamed names in the wrong place"
	echo "ours: small/ $got names after removes and renames, every name found"
	umount $mnt
	t2=$(date +%s)
	echo "ours: whole pass $((t2 - t0)) s"
fi
lab-barrier ours-wrote

if [ "$NODE" = 0 ]; then
	mount -t ocfs2 $dev $mnt
	all_found $mnt/small $LAB_RESULTS/small.list
	all_found $mnt/big $LAB_RESULTS/big.list
	same_names $mnt/small $LAB_RESULTS/small.list
	same_names $mnt/big $LAB_RESULTS/big.list
	all_found $mnt/mine $LAB_RESULTS/mine.list
	same_names $mnt/mine $LAB_RESULTS/mine.list
	echo "stock: every one of our names found through the index, readdir agrees"
	stock-debugfs.ocfs2 -R "stat /mine" $dev 2>/dev/null | grep -i "dynamic" || true
	stock-debugfs.ocfs2 -R "dx_dump /mine" $dev 2>/dev/null | head -8 || true
	mk $mnt/small stockagain 0 300
	i=601
	while [ $i -lt 801 ]; do
		rm "$mnt/small/ours_$i"
		echo "ours_$i" >> $LAB_RESULTS/stock-removed.list
		i=$((i + 2))
	done
	i=0
	while [ $i -lt 300 ]; do
		echo "stockagain_$i" >> $LAB_RESULTS/stock-added.list
		i=$((i + 1))
	done
	umount $mnt
	fsck_clean "after our index splits"
	echo "stock: added 300 and removed 100 in our index; fsck clean"
fi
lab-barrier stock-wrote

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	all_found $mnt/small $LAB_RESULTS/stock-added.list
	none_found $mnt/small $LAB_RESULTS/stock-removed.list
	echo "ours: stock's 300 new names found, its 100 removed ones gone"
	# deleting indexed directories gives their indexes back
	free0=$(stat -f -c %f $mnt)
	rm -r $mnt/big $mnt/tiny $mnt/mine || fail "rm -r of indexed directories"
	[ ! -e $mnt/big ] && [ ! -e $mnt/tiny ] && [ ! -e $mnt/mine ] ||
		fail "big/, tiny/ or mine/ still there"
	umount $mnt
	mount -t ocfs2 $dev $mnt
	free1=$(stat -f -c %f $mnt)
	umount $mnt
	[ "$free1" -gt "$free0" ] || fail "free blocks $free0 -> $free1 after rm -r"
	echo "ours: removed big/ (leaf index), tiny/ (inline index) and mine/ (ours): free $free0 -> $free1"
fi
lab-barrier ours-read

if [ "$NODE" = 0 ]; then
	fsck_clean "at the end"
	stock-debugfs.ocfs2 -R "dx_dump /small" $dev > /tmp/dx.out 2>&1 || true
	head -12 /tmp/dx.out
	echo "stock: fsck clean at the end"
	# bad input: one leaf of small/'s index zeroed
	leaf=$(sed -n 's/.*Dir Index Leaf: *\([0-9]*\).*/\1/p' /tmp/dx.out | sed -n 2p)
	[ -n "$leaf" ] || fail "no index leaf of small/ found"
	dd if=/dev/zero of=$dev bs=4096 seek="$leaf" count=1 conv=notrunc 2>/dev/null
	echo "$leaf" > $LAB_RESULTS/zeroed-leaf
	echo "stock: zeroed index leaf $leaf of small/"
fi
lab-barrier corrupted

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	lost=0
	while read -r f; do
		[ -e "$mnt/small/$f" ] || lost=$((lost + 1))
	done < $LAB_RESULTS/small.list
	total=$(wc -l < $LAB_RESULTS/small.list)
	[ "$lost" -gt 0 ] && [ "$lost" -lt "$total" ] ||
		fail "lookups through a zeroed leaf: $lost of $total failed"
	# touch, not a redirection: dash leaves the script when one fails
	if touch "$mnt/small/after_corruption" 2>/dev/null; then
		echo "ours: a create after the corruption went through (its leaf is whole or it was refused later)"
	fi
	dmesg | grep -i "ocfs2" | grep -i "leaf\|corrupt\|read-only" | head -5
	dmesg | grep -qi "dx leaf" || fail "no kernel message names the bad leaf"
	cd /
	umount $mnt || fail "umount after the bad leaf"
	echo "ours: $lost of $total lookups hit the zeroed leaf and failed cleanly"
fi
