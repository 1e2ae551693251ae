#!/bin/sh
# A file's extent tree over many leaves, changed in the middle by ours and
# then by stock.  Stock keeps every leaf but the rightmost full: an insert
# left of the rightmost leaf shifts records right through the leaves after
# it, and a leaf on the way with room is "on-disk corruption" to it
# (ocfs2_rotate_subtree_right: "has non-full interior leaf"; read-only).
# Ours' old ways (ocfs2.deep_trees=0) split a full inner leaf in half on
# an insert and left a punched leaf short; the default keeps them full.
# 1 KiB blocks and 4 KiB clusters: a leaf holds 59 records, the inode 51.
#  node0 (stock): mkfs -b 1K -C 4K -M local;
#  node1 (ours, ocfs2.deep_trees on by default: checked): f gets N
#    clusters (default 600), every other one (N records, over 10 leaves);
#    then one cluster into every fourth hole of its middle (records into
#    full inner leaves) and 26 one-cluster punches of whole records
#    there; f agrees with a model in tmpfs, after a remount too; every
#    leaf but the rightmost is full (stock debugfs);
#  node0 (stock): strict fsck -fn clean; reads f (all of it, against the
#    model); writes into 27 holes of f's left leaves (each insert shifts
#    records through every leaf to its right), extends f past its end,
#    punches a range across 20 records and an unaligned piece; f agrees
#    with the model; strict fsck clean;
#  node1 (ours): reads stock's f, writes 21 more holes and punches 10
#    records in stock's tree; agrees, no leaf short that stock had not
#    left short (stock keeps them full), after a remount too;
#  node0 (stock): strict fsck clean, reads f against the model.
# With the argument "old" ours' part runs with ocfs2.deep_trees=0 (set
# back to 1 at the end) and the scenario passes only if stock's first
# insert fails as described (the interop bug the default fixes).
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/fallocate \
#       tests/lab/scenarios/fs/33-file-tree-interop.sh [N|old]
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.33-file-tree-interop-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
ref=/tmp/ftree
mode=new
n=600
case "${1:-}" in
old) mode=old ;;
[0-9]*) n=$1 ;;
esac
mkdir -p $mnt $ref
mount -t tmpfs tmpfs $ref
res=$LAB_RESULTS/ftree

# w C: new bytes into cluster C of f and of the model (4 KiB clusters)
w() {
	dd if=$ref/pool of=$mnt/f bs=4096 skip=$(($1 % 1021)) seek="$1" \
		count=1 conv=notrunc 2>/dev/null || return 1
	dd if=$ref/pool of=$ref/f bs=4096 skip=$(($1 % 1021)) seek="$1" \
		count=1 conv=notrunc 2>/dev/null
}

# p OFF LEN: the same punch (bytes) in f and in the model
p() {
	fallocate -p -o "$1" -l "$2" $mnt/f || return 1
	fallocate -p -o "$1" -l "$2" $ref/f
}

# same WHAT: f and the model agree in size and bytes
same() {
	[ "$(stat -c %s $mnt/f)" = "$(stat -c %s $ref/f)" ] ||
		fail "$1: size $(stat -c %s $mnt/f), model $(stat -c %s $ref/f)"
	cmp $mnt/f $ref/f || fail "$1: f differs from the model"
}

# shape WHAT: (unmounted) f's tree as stock's debugfs reads it; sets
# leaves and short (leaves left of the rightmost that are not full)
shape() {
	stock-debugfs.ocfs2 -R "stat /f" $dev > /tmp/stat 2>&1
	depth=$(sed -n 's/.*Tree Depth: \([0-9]*\).*/\1/p' /tmp/stat | head -1)
	awk '/Tree Depth/ { n++; next }
		n == 1 && NF == 4 && $1 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ { print $4 }' \
		/tmp/stat > /tmp/blocks
	leaves=0
	short=0
	if [ "${depth:-0}" = 1 ]; then
		leaves=$(wc -l < /tmp/blocks)
		i=0
		while read -r b; do
			i=$((i + 1))
			stock-debugfs.ocfs2 -R "extent <$b>" $dev > /tmp/ext 2>&1
			c=$(sed -n 's/.*Count: \([0-9]*\).*/\1/p' /tmp/ext | head -1)
			u=$(sed -n 's/.*Next Free Rec: \([0-9]*\).*/\1/p' /tmp/ext | head -1)
			[ -n "$c" ] && [ -n "$u" ] || {
				cat /tmp/ext
				fail "$1: stock debugfs cannot read leaf $b"
			}
			[ "$i" = "$leaves" ] || [ "$u" = "$c" ] || short=$((short + 1))
		done < /tmp/blocks
	fi
	echo "f $1: depth ${depth:-?}, $leaves leaves, $short short of full left of the rightmost"
}

# leaves_full WHAT: f is at depth 1 over 3+ leaves, all but the last full
leaves_full() {
	shape "$1"
	[ "${depth:-0}" = 1 ] && [ "$leaves" -ge 3 ] ||
		fail "$1: f should be at depth 1 over 3 or more leaves"
	[ "$short" = 0 ] || fail "$1: $short leaves left of the rightmost are not full"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 1K -C 4K -M local -L ftree $dev
fi
bar formatted

if [ "$NODE" = 1 ]; then
	modprobe ocfs2 2>/dev/null || true
	dt=/sys/module/ocfs2/parameters/deep_trees
	[ -w $dt ] || fail "no ocfs2.deep_trees parameter"
	[ "$(cat $dt)" = Y ] || fail "ocfs2.deep_trees is not on by default"
	[ $mode = new ] || echo 0 > $dt
	dd if=/dev/urandom of=$ref/pool bs=4096 count=1021 2>/dev/null
	mkdir -p $res
	cp $ref/pool $res/pool
	: > $ref/f
	mount -t ocfs2 $dev $mnt
	: > $mnt/f
	i=0
	while [ $i -lt "$n" ]; do
		w $((2 * i)) || fail "write of cluster $((2 * i))"
		i=$((i + 1))
	done
	same "$n clusters, every other one"
	umount $mnt
	shape "after $n sparse clusters"
	[ "$leaves" -ge 8 ] || fail "f has $leaves leaves; the test needs 8 or more"
	mount -t ocfs2 $dev $mnt
	# the middle: records n/6 .. 3n/4 (well inside full inner leaves)
	k=$((n / 6))
	while [ $k -lt $((3 * n / 4)) ]; do
		w $((2 * k + 1)) || fail "write into the hole at cluster $((2 * k + 1))"
		k=$((k + 4))
	done
	k=$((n / 4))
	while [ $k -lt $((n / 4 + 260)) ] && [ $k -lt $((n - 20)) ]; do
		p $((2 * k * 4096)) 4096 || fail "punch of cluster $((2 * k))"
		k=$((k + 10))
	done
	same "ours' writes and punches in the middle"
	umount $mnt
	shape "after ours' changes in the middle"
	if [ $mode = new ]; then
		leaves_full "after ours' changes in the middle"
	else
		echo "ours (deep_trees=0): $short leaves left short of full"
	fi
	mount -t ocfs2 $dev $mnt
	same "after a remount"
	umount $mnt
	cp $ref/f $res/f
	[ $mode = new ] || echo 1 > $dt
	echo "ours: f written and changed in the middle, agrees with the model"
fi
bar ours-wrote

if [ "$NODE" = 0 ]; then
	cp $res/pool $res/f $ref/
	fsck_clean "after ours' many-leaf file"
	mount -t ocfs2 $dev $mnt
	same "stock reads ours' f"
	# holes of the left leaves: each insert shifts records through every
	# leaf right of it
	k=5
	failed=
	while [ $k -lt $((5 + 81)) ]; do
		w $((2 * k + 1)) || { failed=$((2 * k + 1)); break; }
		k=$((k + 3))
	done
fi
if [ "$NODE" = 0 ] && [ $mode = old ]; then
	msg=$(dmesg | grep -m1 "non-full interior leaf" || true)
	umount $mnt || true
	[ -n "$failed" ] && [ -n "$msg" ] ||
		fail "old ways: stock's insert into ours' tree did not fail as expected (failed at '${failed}'; '${msg}')"
	echo "old ways (deep_trees=0): stock's write into cluster $failed failed: ${msg#*] }"
fi
if [ "$NODE" = 0 ] && [ $mode = new ]; then
	[ -z "$failed" ] || {
		dmesg | grep -i ocfs2 | tail -5
		fail "stock: write into the hole at cluster $failed"
	}
	# past the end, sparse
	w $((2 * n + 10)) || fail "stock: extend"
	w $((2 * n + 11)) || fail "stock: extend"
	p $((2 * (n / 2) * 4096)) $((40 * 4096)) || fail "stock: punch across records"
	p 123456 5000 || fail "stock: unaligned punch"
	same "stock's writes, extension and punches"
	umount $mnt
	fsck_clean "after stock changed ours' file"
	shape "after stock's changes"
	echo "$short" > $res/stock-short
	mount -t ocfs2 $dev $mnt
	same "stock, after a remount"
	umount $mnt
	cp $ref/f $res/f
	echo "stock: read ours' f, wrote into its left leaves, extended and punched it; fsck clean"
fi
bar stock-wrote

if [ "$NODE" = 1 ] && [ $mode = new ]; then
	cp $res/f $ref/f
	mount -t ocfs2 $dev $mnt
	same "ours reads stock's f"
	k=$((n / 2 + 23))
	while [ $k -lt $((n / 2 + 23 + 105)) ] && [ $k -lt $((n - 1)) ]; do
		w $((2 * k + 1)) || fail "write into stock's hole at cluster $((2 * k + 1))"
		k=$((k + 5))
	done
	k=$((n / 8))
	while [ $k -lt $((n / 8 + 100)) ]; do
		p $((2 * k * 4096)) 4096 || fail "punch of cluster $((2 * k))"
		k=$((k + 10))
	done
	same "ours' changes to stock's tree"
	umount $mnt
	# no leaf left short that stock had not left short (none, as stock
	# keeps them full)
	shape "after ours changed stock's tree"
	[ "${depth:-0}" = 1 ] && [ "$leaves" -ge 3 ] ||
		fail "f should be at depth 1 over 3 or more leaves"
	[ "$short" -le "$(cat $res/stock-short)" ] ||
		fail "ours left $short leaves short of full, stock $(cat $res/stock-short)"
	mount -t ocfs2 $dev $mnt
	same "ours, after a remount"
	umount $mnt
	cp $ref/f $res/f
	echo "ours: read stock's f, wrote and punched in its middle; agrees"
fi
bar ours-again

if [ "$NODE" = 0 ] && [ $mode = new ]; then
	cp $res/f $ref/f
	fsck_clean "after ours changed stock's tree"
	mount -t ocfs2 $dev $mnt
	same "stock reads ours' last changes"
	umount $mnt
	echo "stock: fsck clean, f agrees with the model"
fi
umount $ref
