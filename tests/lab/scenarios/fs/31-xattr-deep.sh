#!/bin/sh
# Bucket trees (indexed xattr blocks) deeper than their root: with 1 KiB
# blocks the root holds 59 records, and with 4 KiB clusters (one bucket
# each) every bucket split adds a run, so a few thousand names move the
# root's records into extent blocks (depth 1), as stock grows it.
#  node0 (stock), first a probe on vdb (if present), reported and never
#    failed: stock alone gives one file 100 one-byte values on a 1 KiB
#    block volume.  Debian 6.12's stock validator allows a 4 KiB bucket
#    only as many entries as its first block holds (63), but stock's own
#    insert checks only the bucket's free bytes, so it writes a 64th and
#    then refuses the bucket ("entry count 64 exceeds maximum 63") and
#    goes read-only (lead run 20261127-093055: stock's 48th add into our
#    tree).  Our buckets never hold more than 63 (xattr_tree.c); the test
#    proper keeps every entry at 68 bytes or more (name, value or value
#    root, entry), so no bucket, ours or stock's, can reach 64;
#  node0 (stock): mkfs -b 1K -C 4K -M local;
#  node1 (ours, ocfs2.deep_trees on by default: checked): a file gets N
#    names (default 8000; values 48-87 bytes inline, every seventh 100
#    bytes out of line): the tree is at depth >= 1 (read from the xattr
#    block); half removed, a tenth replaced; names and sizes as expected,
#    after a remount too;
#  node0 (stock): fsck -fn clean (strict); the same names and sizes;
#    stock adds 300 and removes 300;
#  node1 (ours): reads stock's changes; deletes the file: its space
#    comes back;
#  node0 (stock): fsck -fn clean.
# fs-xattr (tests/lab/scenarios/fs/fs-xattr.c, built on the host) makes
# the many changes in one process.
#   gcc -O2 -o /tmp/fs-xattr tests/lab/scenarios/fs/fs-xattr.c
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G --disk 64M \
#       --add tests/lab/scenarios/fs/lib.sh --add /tmp/fs-xattr \
#       tests/lab/scenarios/fs/31-xattr-deep.sh [N]
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.31-xattr-deep-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
n=${1:-8000}
[ -n "$n" ] || n=8000
modprobe ocfs2 2>/dev/null || true
xtw=/sys/module/ocfs2/parameters/xattr_tree_writes
if [ -w $xtw ]; then echo 1 > $xtw; fi
# bucket trees deeper than their root: on by default (checked on ours;
# a stock node has no such parameter)
dt=/sys/module/ocfs2/parameters/deep_trees
if [ "$LAB_STACK" = ours ]; then
	[ -r $dt ] || fail "no ocfs2.deep_trees parameter"
	[ "$(cat $dt)" = Y ] || fail "ocfs2.deep_trees is not on by default"
fi

# gen PHASE: fs-xattr batch lines, or want-* "name size" lists
gen() {
	awk -v phase="$1" -v n="$n" '
	# 68 bytes or more per entry: at most 59 fit a 4 KiB bucket
	function vl(i) { return i % 7 == 0 ? 100 : 48 + i % 40 }
	function ch(i) { return substr("abcdefghijklmnopqrstuvwxyz", i % 26 + 1, 1) }
	BEGIN {
		if (phase == "fill")
			for (i = 1; i <= n; i++)
				print "c", "user.x" i, vl(i), ch(i)
		if (phase == "thin") {
			for (i = 2; i <= n; i += 2)
				print "x", "user.x" i
			for (i = 1; i <= n; i += 10)
				print "r", "user.x" i, 50, "q"
		}
		if (phase == "stock") {
			for (i = 1; i <= 300; i++)
				print "c", "user.stock" i, 48 + i % 30, ch(i)
			for (i = 3; i <= 1200; i += 4)
				print "x", "user.x" i
		}
		if (phase == "want-thin" || phase == "want-stock") {
			for (i = 1; i <= n; i += 2) {
				if (phase == "want-stock" && i <= 1200 && i % 4 == 3)
					continue
				print "user.x" i, (i % 10 == 1 ? 50 : vl(i))
			}
			if (phase == "want-stock")
				for (i = 1; i <= 300; i++)
					print "user.stock" i, 48 + i % 30
		}
	}'
}

batch() {
	gen "$2" | fs-xattr batch "$1" || {
		dmesg | grep -i ocfs2 | tail -5
		fail "$2 changes on $1"
	}
}

# stock_probe: stock alone, 100 one-byte values on one file of a 1 KiB
# block volume on vdb; what happened goes to the log (see the header)
stock_probe() {
	[ -b /dev/vdb ] || { echo "stock probe: no vdb, skipped"; return 0; }
	echo y | stock-mkfs.ocfs2 -q -F -b 1K -C 4K -M local -L xprobe /dev/vdb
	mount -t ocfs2 /dev/vdb $mnt
	: > $mnt/p
	i=0
	while [ $i -lt 100 ]; do
		echo "c user.p$i 1 a"
		i=$((i + 1))
	done | fs-xattr batch $mnt/p > /tmp/probe.out 2>&1 || true
	got=$(fs-xattr dump $mnt/p 2>/dev/null | wc -l)
	msg=$(dmesg | grep "Invalid xattr bucket" | tail -1 || true)
	umount $mnt
	echo "stock probe ($(uname -r)): stock alone set $got of 100 one-byte values on one file (1 KiB blocks)${msg:+; the kernel said: ${msg#*] }}" |
		tee $LAB_RESULTS/xdeep-stock-probe.txt
}

expect() {
	gen "$2" | sort > /tmp/want
	fs-xattr dump "$1" | awk '{ print $2, $3 }' | sort > /tmp/got
	diff /tmp/want /tmp/got > /tmp/diff || {
		head -20 /tmp/diff
		fail "$1 after $2: names or sizes differ"
	}
}

# shape INO: "depth records clusters last_eb" of the inode's bucket tree
# (i_xattr_loc at 120 of the inode; in the xattr block xt_clusters at 48,
# xt_last_eb_blk at 56, the list at 64)
shape() {
	x=$(u64 "$1" 120)
	[ -n "$x" ] && [ "$x" != 0 ] || fail "inode $1 has no xattr block"
	echo "$(u16 "$x" 64) $(u16 "$x" 68) $(u32 "$x" 48) $(u64 "$x" 56)"
}

if [ "$NODE" = 0 ]; then
	stock_probe
	echo y | stock-mkfs.ocfs2 -q -F -b 1K -C 4K -M local -L xdeep $dev
fi
bar formatted

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	: > $mnt/f
	: > $mnt/keep
	stat -c %i $mnt/f > $LAB_RESULTS/xdeep-f.ino
	t0=$(date +%s)
	batch $mnt/f fill
	echo "ours: $n names on f in $(($(date +%s) - t0)) s"
	batch $mnt/f thin
	expect $mnt/f want-thin
	umount $mnt
	set -- $(shape "$(cat $LAB_RESULTS/xdeep-f.ino)")
	echo "ours' bucket tree of f: depth $1, $2 root records, $3 clusters, last leaf $4"
	[ "$1" -ge 1 ] || fail "our bucket tree of $n names stayed at depth $1"
	[ "$4" != 0 ] || fail "our deep bucket tree has no last leaf block"
	mount -t ocfs2 $dev $mnt
	expect $mnt/f want-thin
	umount $mnt
	echo "ours: f's names and sizes as expected, after a remount too"
fi
bar ours-wrote

if [ "$NODE" = 0 ]; then
	fsck_clean "after our deep bucket tree"
	mount -t ocfs2 $dev $mnt
	expect $mnt/f want-thin
	batch $mnt/f stock
	expect $mnt/f want-stock
	umount $mnt
	echo "stock: read our deep tree, added 300 names and removed 300"
fi
bar stock-wrote

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	expect $mnt/f want-stock
	sync
	before=$(stat -f -c %f $mnt)
	rm $mnt/f
	umount $mnt
	mount -t ocfs2 $dev $mnt
	after=$(stat -f -c %f $mnt)
	umount $mnt
	[ "$after" -gt "$before" ] || fail "free blocks $before -> $after after rm f"
	echo "ours: read stock's changes; removed f: free blocks $before -> $after"
fi
bar ours-removed

if [ "$NODE" = 0 ]; then
	fsck_clean "after our delete of a deep bucket tree"
	echo "stock: fsck clean after the deep bucket tree was freed"
fi
