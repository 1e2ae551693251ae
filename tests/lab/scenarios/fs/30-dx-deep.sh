#!/bin/sh
# Indexed directories whose index outgrows its root block: the root's
# extent list (51 records with 1 KiB blocks) moves into extent blocks
# (tree depth 1), as stock grows it.  1 KiB blocks and 4 KiB clusters
# make it cheap: a cluster holds 4 index leaves of 61 entries, so a few
# thousand names fill the root list.
#  node0 (stock): mkfs -b 1K -C 4K -M local; stock makes sdeep/ of N names
#    (its own deep index);
#  node1 (ours): mkdir deep/, N names (default 15000), every third
#    removed, 2000 more: the index is at depth >= 1 (read from the root
#    block), every name found; in stock's sdeep/ half the names removed
#    and 1000 added;
#  node0 (stock): every name of both found by lookup, readdir agrees,
#    strict fsck -fn clean; stock adds 1000 and removes 1000 in deep/;
#    fsck clean;
#  node1 (ours): finds stock's names, misses the removed ones; rm -r
#    deep/: the index's clusters come back;
#  node0 (stock): strict fsck clean (nothing leaked); bad input: the
#    extent blocks under sdeep/'s index root are zeroed;
#  node1 (ours): lookups in sdeep/ fail with an error, rm -r of it fails
#    cleanly, the volume unmounts.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G \
#       --add tests/lab/scenarios/fs/lib.sh \
#       tests/lab/scenarios/fs/30-dx-deep.sh [N]
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.30-dx-deep-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
n=${1:-15000}
[ -n "$n" ] || n=15000

# rmn DIR PREFIX FROM TO STEP [LIST]: remove names (and list them)
rmn() {
	i=$3
	while [ "$i" -lt "$4" ]; do
		rm "$1/$2_$i"
		[ -z "${6:-}" ] || echo "$2_$i" >> "$6"
		i=$((i + $5))
	done
}

# root_blk DIR: the directory's index root block (stock debugfs)
root_blk() {
	stock-debugfs.ocfs2 -R "stat /$1" $dev 2>/dev/null |
		sed -n 's/.*Indexed Tree Root: *\([0-9]*\).*/\1/p'
}

# shape DIR: "depth records clusters last_eb" of DIR's index root
# (dr_last_eb_blk at 32, dr_clusters at 40, dr_list at 192)
shape() {
	r=$(root_blk "$1")
	[ -n "$r" ] || fail "$1: no index root (not indexed?)"
	echo "$(u16 "$r" 192) $(u16 "$r" 196) $(u32 "$r" 40) $(u64 "$r" 32)"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 1K -C 4K -M local -L dxdeep $dev
	mount -t ocfs2 $dev $mnt
	mkdir $mnt/sdeep
	t0=$(date +%s)
	mk $mnt/sdeep s 0 "$n"
	echo "stock: $n names into sdeep/ in $(($(date +%s) - t0)) s"
	umount $mnt
	set -- $(shape sdeep)
	echo "stock's sdeep/ index: depth $1, $2 root records, $3 clusters, last leaf $4"
	[ "$1" -ge 1 ] || fail "stock's index of $n names stayed at depth $1: raise N"
fi
bar formatted

if [ "$NODE" = 1 ]; then
	modprobe ocfs2 2>/dev/null || true
	# stock-shaped inserts and indexes deeper than their root: on by
	# default (checked, not set)
	dt=/sys/module/ocfs2/parameters/deep_trees
	[ -r $dt ] || fail "no ocfs2.deep_trees parameter"
	[ "$(cat $dt)" = Y ] || fail "ocfs2.deep_trees is not on by default"
	mount -t ocfs2 $dev $mnt
	stat -f -c '%S %f' $mnt > $LAB_RESULTS/dxdeep-free.before
	mkdir $mnt/deep
	t0=$(date +%s)
	mk $mnt/deep n 0 "$n"
	echo "ours: $n names into deep/ in $(($(date +%s) - t0)) s"
	rmn $mnt/deep n 0 "$n" 3
	mk $mnt/deep m 0 2000
	ls -A $mnt/deep | sort > $LAB_RESULTS/dxdeep-deep.list
	want=$((n - (n + 2) / 3 + 2000))
	got=$(wc -l < $LAB_RESULTS/dxdeep-deep.list)
	[ "$got" = "$want" ] || fail "deep/ has $got names, expected $want"
	all_found $mnt/deep $LAB_RESULTS/dxdeep-deep.list
	# stock's deep index: remove half, add 1000
	rmn $mnt/sdeep s 0 "$n" 2
	mk $mnt/sdeep t 0 1000
	ls -A $mnt/sdeep | sort > $LAB_RESULTS/dxdeep-sdeep.list
	all_found $mnt/sdeep $LAB_RESULTS/dxdeep-sdeep.list
	[ ! -e $mnt/sdeep/s_0 ] && [ -e $mnt/sdeep/s_1 ] ||
		fail "sdeep/: removed names found or kept ones missing"
	umount $mnt
	set -- $(shape deep)
	echo "ours' deep/ index: depth $1, $2 root records, $3 clusters, last leaf $4"
	echo "$3" > $LAB_RESULTS/dxdeep-deep.clusters
	[ "$1" -ge 1 ] || fail "our index of $n names stayed at depth $1"
	[ "$4" != 0 ] || fail "our deep index has no last leaf block"
	echo "ours: deep/ $got names, every one found; sdeep/ changed"
fi
bar ours-wrote

if [ "$NODE" = 0 ]; then
	fsck_clean "after our deep index grew"
	mount -t ocfs2 $dev $mnt
	all_found $mnt/deep $LAB_RESULTS/dxdeep-deep.list
	same_names $mnt/deep $LAB_RESULTS/dxdeep-deep.list
	all_found $mnt/sdeep $LAB_RESULTS/dxdeep-sdeep.list
	same_names $mnt/sdeep $LAB_RESULTS/dxdeep-sdeep.list
	echo "stock: every name of deep/ and sdeep/ found through the index, readdir agrees"
	rm -f $LAB_RESULTS/dxdeep-stock-removed.list $LAB_RESULTS/dxdeep-stock-added.list
	mk $mnt/deep stock 0 1000
	rmn $mnt/deep n 1 3000 3 $LAB_RESULTS/dxdeep-stock-removed.list
	i=0
	while [ $i -lt 1000 ]; do
		echo "stock_$i" >> $LAB_RESULTS/dxdeep-stock-added.list
		i=$((i + 1))
	done
	umount $mnt
	fsck_clean "after stock changed our deep index"
	echo "stock: added 1000 and removed 1000 in our deep index; fsck clean"
fi
bar stock-wrote

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	all_found $mnt/deep $LAB_RESULTS/dxdeep-stock-added.list
	none_found $mnt/deep $LAB_RESULTS/dxdeep-stock-removed.list
	echo "ours: stock's 1000 new names found, its 1000 removed ones gone"
	read -r bs0 f0 < $LAB_RESULTS/dxdeep-free.before
	set -- $(stat -f -c '%S %f' $mnt)
	before=$(($1 * $2))
	rm -r $mnt/deep || fail "rm -r deep/"
	[ ! -e $mnt/deep ] || fail "deep/ still there"
	umount $mnt
	mount -t ocfs2 $dev $mnt
	set -- $(stat -f -c '%S %f' $mnt)
	after=$(($1 * $2))
	umount $mnt
	idx=$(($(cat $LAB_RESULTS/dxdeep-deep.clusters) * 4096))
	[ $((after - before)) -ge "$idx" ] ||
		fail "rm -r deep/ gave back $((after - before)) bytes, its index alone held $idx"
	echo "ours: removed deep/: $((after - before)) bytes back (index $idx); free at start $((bs0 * f0)), now $after"
fi
bar ours-removed

if [ "$NODE" = 0 ]; then
	fsck_clean "after our rm -r of a deep index"
	echo "stock: fsck clean after the deep index was freed"
	# every extent block the root names (records of 16 bytes from 208)
	r=$(root_blk sdeep)
	nrec=$(u16 "$r" 196)
	[ "$(u16 "$r" 192)" -ge 1 ] && [ "$nrec" -ge 1 ] ||
		fail "sdeep/'s index root names no extent block"
	j=0
	while [ $j -lt "$nrec" ]; do
		eb=$(u64 "$r" $((216 + 16 * j)))
		dd if=/dev/zero of=$dev bs=1024 seek="$eb" count=1 conv=notrunc 2>/dev/null
		echo "stock: zeroed extent block $eb under sdeep/'s index root"
		j=$((j + 1))
	done
fi
bar corrupted

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	lost=0
	for f in s_1 s_3 t_5 t_999; do
		[ -e "$mnt/sdeep/$f" ] || lost=$((lost + 1))
	done
	[ "$lost" = 4 ] || fail "lookups through zeroed index extent blocks: only $lost of 4 failed"
	if rm -r $mnt/sdeep 2>/dev/null; then
		echo "ours: rm -r sdeep/ went through"
	else
		echo "ours: rm -r sdeep/ refused"
	fi
	dmesg | grep -i "ocfs2" | tail -5
	cd /
	umount $mnt || fail "umount after the bad index extent block"
	echo "ours: all 4 lookups through the zeroed extent blocks failed cleanly"
fi
