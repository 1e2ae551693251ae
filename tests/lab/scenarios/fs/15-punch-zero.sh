#!/bin/sh
# Punch hole, zero range and truncate up, both ways with stock.  Every
# operation is also done on a copy in tmpfs, and the two must stay
# byte-identical.
#  node0 (stock): mkfs -M local with 32 KiB clusters (partial clusters
#    span several pages), a 4 MiB file we will change;
#  node1 (ours): punches unaligned, cluster-aligned and inside one
#    cluster, zero range keeping and growing the size, punches over a
#    hole, 320 alternate punches that cut 20 MiB into a two-level extent
#    tree, truncate down and up; blocks given back are checked; collapse
#    and insert range are refused (stock refuses them too); punches that
#    empty an inner and the leftmost leaf of a three-leaf tree, and writes
#    into their holes; remount and compare again;
#  node0 (stock): the same bytes, fsck.ocfs2 -fn clean, stock punches
#    a hole into a file of ours and writes into the holes of the leaves
#    ours removed;
#  node1 (ours): reads stock's hole and writes.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/fallocate \
#       tests/lab/scenarios/fs/15-punch-zero.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
ref=/tmp/ref
mkdir -p $mnt $ref

mount -t tmpfs tmpfs $ref

# both "FALLOCATE-OPTIONS" NAME: the same fallocate on our file and its
# copy.  tmpfs has no zero range: there a punch (which keeps the size)
# gives the same bytes, and the size grows after it unless -n.
both() {
	# shellcheck disable=SC2086
	fallocate $1 "$mnt/$2" || fail "fallocate $1 $2 on ours"
	case " $1 " in
	*" -z "*)
		r=$(echo "$1" | sed 's/-z/-p/; s/ -n//')
		# shellcheck disable=SC2086
		fallocate $r "$ref/$2" || fail "fallocate $r $2 on tmpfs"
		case " $1 " in
		*" -n "*) ;;
		*)
			o=$(echo "$1" | sed 's/.*-o \([0-9]*\).*/\1/')
			l=$(echo "$1" | sed 's/.*-l \([0-9]*\).*/\1/')
			[ $((o + l)) -le "$(stat -c %s "$ref/$2")" ] ||
				truncate -s $((o + l)) "$ref/$2"
			;;
		esac
		;;
	*)
		# shellcheck disable=SC2086
		fallocate $1 "$ref/$2" || fail "fallocate $1 $2 on tmpfs"
		;;
	esac
	same "$2" "fallocate $1"
}

# refused MODE FILE: collapse (-c) or insert (-i) range is EOPNOTSUPP
refused() {
	if msg=$(fallocate $1 -o 0 -l 32768 $2 2>&1); then
		fail "$LAB_STACK accepted fallocate $1"
	fi
	case "$msg" in
	*"not supported"*) echo "$LAB_STACK: fallocate $1 refused: $msg" ;;
	*) fail "$LAB_STACK: fallocate $1 failed otherwise: $msg" ;;
	esac
}

# same NAME WHAT: ours and the copy agree in size and bytes
same() {
	[ "$(stat -c %s "$mnt/$1")" = "$(stat -c %s "$ref/$1")" ] ||
		fail "$2: size $(stat -c %s "$mnt/$1"), tmpfs $(stat -c %s "$ref/$1")"
	cmp "$mnt/$1" "$ref/$1" || fail "$2: $1 differs from the tmpfs copy"
}

blocks() {
	stat -c %b "$1"
}

# both_write NAME N: the same 100000 new bytes at N * 100000 into both
both_write() {
	dd if=/dev/urandom of=/tmp/w bs=100000 count=1 2>/dev/null
	dd if=/tmp/w of="$mnt/$1" bs=100000 seek="$2" conv=notrunc 2>/dev/null
	dd if=/tmp/w of="$ref/$1" bs=100000 seek="$2" conv=notrunc 2>/dev/null
	same "$1" "write at $2 * 100000"
}

# root_of NAME WHEN: stock debugfs's view of NAME's root extent list
# (records = leaves at depth 1), from the disk after a remount; the
# records' first clusters go to /tmp/leaves, one a line
root_of() {
	umount $mnt
	stock-debugfs.ocfs2 -R "stat /$1" $dev > /tmp/stat 2>&1
	echo "$1 $2: $(grep -m1 'Tree Depth' /tmp/stat)"
	awk '/Tree Depth/ { n++; next }
		n == 1 && NF == 4 && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ { print $2 }' \
		/tmp/stat > /tmp/leaves
	mount -t ocfs2 $dev $mnt
}

# Punches that empty whole leaves of a three-leaf tree (ours'
# ocfs2.inner_leaf_punch, on by default; checked): 576 alternate
# punches leave 576 records (leaves of 252, 252, 72: appended records
# fill leaves); a punch over the middle leaf's range empties that inner
# leaf, one from 0 the leftmost; new data goes back into both holes.
inner_leaves() {
	p=/sys/module/ocfs2/parameters/inner_leaf_punch
	[ -w $p ] || fail "no $p (module too old?)"
	[ "$(cat $p)" = Y ] || fail "inner_leaf_punch is not on by default"
	dd if=/dev/urandom of=$mnt/i bs=1M count=36 2>/dev/null
	cp $mnt/i $ref/i
	i=0
	while [ $i -lt 1152 ]; do
		fallocate -p -o $((i * 32768)) -l 32768 $mnt/i ||
			fail "alternate punch $i in i"
		fallocate -p -o $((i * 32768)) -l 32768 $ref/i
		i=$((i + 2))
	done
	same i "576 alternate punches"
	root_of i "before the leaf punches"
	n=$(wc -l < /tmp/leaves)
	[ "$n" -ge 3 ] || fail "i has $n leaves; the test needs 3 or more"
	# exactly the second leaf's clusters: an inner leaf with a left neighbour
	from=$(sed -n 2p /tmp/leaves) to=$(sed -n 3p /tmp/leaves)
	both "-p -o $((from * 32768)) -l $(((to - from) * 32768))" i
	root_of i "after the punch over the second leaf"
	[ "$(wc -l < /tmp/leaves)" = $((n - 1)) ] ||
		fail "the emptied second leaf is still in the tree"
	both "-p -o 16000000 -l 18000000" i
	root_of i "after the punch over the middle"
	both "-p -o 0 -l 16600000" i
	root_of i "after the punch over the leftmost leaves"
	both_write i 50
	both_write i 200
	both_write i 0
	cp $ref/i $LAB_RESULTS/i
	echo "ours: punches emptying an inner and the leftmost leaf agree with tmpfs, so do writes into their holes"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 32768 -M local -L punch $dev
	mount -t ocfs2 $dev $mnt
	dd if=/dev/urandom of=$mnt/f bs=64k count=64 2>/dev/null
	cp $mnt/f $LAB_RESULTS/f.orig
	umount $mnt
fi
lab-barrier formatted

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	cp $LAB_RESULTS/f.orig $ref/f
	same f "stock's file"
	b0=$(blocks $mnt/f)
	both "-p -o 100000 -l 300000" f
	both "-p -o 1048576 -l 1048576" f
	b1=$(blocks $mnt/f)
	[ "$b1" -lt "$b0" ] || fail "punch gave no blocks back ($b0 -> $b1)"
	both "-p -o 3000100 -l 1000" f
	both "-p -o 1048576 -l 65536" f
	both "-z -n -o 2500000 -l 500000" f
	both "-z -o 4000000 -l 300000" f
	both "-z -n -o 4200000 -l 50000" f
	echo "ours: punches and zero ranges agree with tmpfs (blocks $b0 -> $(blocks $mnt/f))"
	# 320 alternate punches: the extent list leaves the inode block
	dd if=/dev/urandom of=$mnt/g bs=1M count=20 2>/dev/null
	cp $mnt/g $ref/g
	i=0
	while [ $i -lt 640 ]; do
		fallocate -p -o $((i * 32768)) -l 32768 $mnt/g ||
			fail "alternate punch $i"
		fallocate -p -o $((i * 32768)) -l 32768 $ref/g
		i=$((i + 2))
	done
	same g "320 alternate punches"
	both "-p -o 5000000 -l 3000000" g
	echo "ours: 320 alternate punches and a wide one across them agree"
	# truncate down and up: the bytes in between read as zeros
	dd if=/dev/urandom of=$mnt/t bs=64k count=16 2>/dev/null
	cp $mnt/t $ref/t
	truncate -s 100001 $mnt/t
	truncate -s 100001 $ref/t
	truncate -s 3000000 $mnt/t
	truncate -s 3000000 $ref/t
	same t "truncate down and up"
	for m in -c -i; do
		refused $m $mnt/t
	done
	same t "after refused collapse/insert"
	inner_leaves
	dd if=/dev/urandom of=$mnt/h bs=64k count=8 2>/dev/null
	cp $mnt/h $LAB_RESULTS/h.orig
	cp $ref/f $ref/g $ref/t $LAB_RESULTS/
	umount $mnt
	mount -t ocfs2 $dev $mnt
	same f "f after remount"
	same g "g after remount"
	same t "t after remount"
	same i "i after remount"
	umount $mnt
	echo "ours: all agree after a remount"
fi
lab-barrier ours-wrote

if [ "$NODE" = 0 ]; then
	mount -t ocfs2 $dev $mnt
	for x in f g t i; do
		cmp $mnt/$x $LAB_RESULTS/$x || fail "stock sees $x differently"
	done
	# stock's fallocate takes only keep-size and punch: ours refuses the
	# same with the same error
	for m in -c -i; do
		refused $m $mnt/h
	done
	fallocate -p -o 70000 -l 200000 $mnt/h
	cp $mnt/h $LAB_RESULTS/h.stock
	# stock's path search over the tree our leaf removals left: writes
	# into the holes the removed leaves mapped
	for o in 1000000 12000000 25000000; do
		dd if=/dev/urandom of=$mnt/i bs=65536 count=2 seek=$((o / 65536)) \
			conv=notrunc 2>/dev/null
	done
	cp $mnt/i $LAB_RESULTS/i.stock
	umount $mnt
	stock-debugfs.ocfs2 -R "stat /i" $dev 2>&1 | sed -n '/Tree Depth/,$p' | head -12
	fsck_clean "after our punches"
	echo "stock: same bytes in f, g, t, i; fsck clean; punched h, wrote into i's holes"
fi
lab-barrier stock-wrote

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 -o ro $dev $mnt
	cmp $mnt/h $LAB_RESULTS/h.stock || fail "stock's punch in h reads differently"
	cmp $mnt/i $LAB_RESULTS/i.stock || fail "stock's writes into i read differently"
	umount $mnt
	echo "ours: reads stock's hole"
fi
