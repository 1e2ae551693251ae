#!/bin/sh
# Bucket trees (indexed xattr blocks) written by ours, read and changed by
# stock.  Per volume (vda: default features; vdb: metaecc, 16 KiB
# clusters):
#  node0 (stock): mkfs -M local;
#  node1 (ours): a file and a directory get 1000 names each (four name
#    shapes, 1-70 byte values inline, 81-380 bytes out of line, one of
#    5000 bytes): the block fills (about 98 names), becomes a tree, its
#    buckets split; half removed, a fifth replaced (inline -> out of
#    line and back); names and sizes as expected, and the same after a
#    remount;
#    two more files with trees: one unlinked, one renamed over, their
#    space back; a getfattr dump left;
#  node0 (stock): fsck -fn clean (strict); the same dump; stock adds 300
#    names to our trees and removes 100 of ours; its dump left;
#  node1 (ours): reads stock's dump; removes and adds more in the trees
#    stock changed; deletes both;
#  node0 (stock): fsck -fn clean.
# Then (vdb again, 128 MiB): a directory with a default ACL on a full
# volume: ours' mkdir under it (the ACL needs an xattr block) fails with
# ENOSPC and the volume stays read-write; room made, mkdir works; stock
# fsck clean.
# fs-xattr (tests/lab/scenarios/fs/fs-xattr.c, built on the host) makes
# the many changes in one process.
#   gcc -O2 -o /tmp/fs-xattr tests/lab/scenarios/fs/fs-xattr.c
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M --disk 512M \
#       --timeout 1500 --add tests/lab/scenarios/fs/lib.sh \
#       --add /usr/bin/setfattr --add /usr/bin/getfattr \
#       --add /tmp/fs-xattr tests/lab/scenarios/fs/21-xattr-tree-writes.sh
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.fs21-failed"
mnt=/mnt/ocfs2
mkdir -p $mnt
# bucket tree writes on for ours even if a module parameter turned them
# off (ocfs2.xattr_tree_writes); a stock node has no such parameter
modprobe ocfs2 2>/dev/null || true
xtw=/sys/module/ocfs2/parameters/xattr_tree_writes
if [ -w $xtw ]; then echo 1 > $xtw; fi

# dumpx FILE...: every attribute, hex values, sorted per file
dumpx() {
	for f in "$@"; do
		echo "## $f"
		getfattr -h -d -m - -e hex "$f" 2>&1 | grep -v '^#' | grep . | sort
	done
}

# gen PHASE: fs-xattr batch lines (fill, thin, stock, again) or the
# "name size" list expected after fill or thin (want-fill, want-thin)
gen() {
	awk -v phase="$1" '
	function nm(i,  m, s, k) {
		m = i % 4
		if (m == 0)
			return "user.s" i
		if (m == 1)
			return "user.medium-name-" i
		if (m == 2) {
			s = "user."
			for (k = 0; k < 60; k++)
				s = s "L"
			return s "-" i
		}
		return "trusted.t" i
	}
	function vl(i) { return i % 5 == 0 ? 81 + (i * 7) % 300 : 1 + i % 70 }
	function ch(i) { return substr("abcdefghijklmnopqrstuvwxyz", i % 26 + 1, 1) }
	function nv(i) { return i % 20 == 1 ? 150 : 7 }
	BEGIN {
		if (phase == "fill") {
			for (i = 1; i <= 1000; i++)
				print "c", nm(i), vl(i), ch(i)
			print "c user.large 5000 z"
		}
		if (phase == "thin") {
			for (i = 2; i <= 1000; i += 2)
				print "x", nm(i)
			for (i = 1; i <= 1000; i += 10)
				print "r", nm(i), nv(i), "q"
			for (i = 5; i <= 1000; i += 10)
				print "r", nm(i), 9, "p"
		}
		if (phase == "want-fill" || phase == "want-thin") {
			for (i = 1; i <= 1000; i++) {
				if (phase == "want-fill")
					print nm(i), vl(i)
				else if (i % 10 == 5)
					print nm(i), 9
				else if (i % 2 == 1)
					print nm(i), (i % 10 == 1 ? nv(i) : vl(i))
			}
			print "user.large", 5000
		}
		if (phase == "stock") {
			for (i = 1; i <= 300; i++)
				print "c", "user.stock-" i, (i % 4 == 0 ? 120 : 1 + i % 50), ch(i)
			for (i = 3; i <= 400; i += 4)
				print "x", nm(i)
		}
		if (phase == "again") {
			for (i = 2; i <= 300; i += 2)
				print "x", "user.stock-" i
			for (i = 1; i <= 200; i++)
				print "c", "user.again-" i, (i % 3 == 0 ? 90 : i % 40 + 1), ch(i)
		}
	}'
}

# batch FILE PHASE: the phase's changes to FILE in one process
batch() {
	gen "$2" | fs-xattr batch "$1" || fail "$2 changes on $1"
}

# names FILE: "name size" of every attribute, sorted
names() {
	fs-xattr dump "$1" | awk '{ print $2, $3 }' | sort
}

# expect FILE PHASE: FILE's names and sizes are the phase's
expect() {
	gen "$2" | sort > /tmp/want
	names "$1" > /tmp/got
	diff /tmp/want /tmp/got > /tmp/diff || {
		head -20 /tmp/diff
		fail "$1 after $2: names or sizes differ"
	}
}

# count FILE N: FILE has N attributes
count() {
	n=$(fs-xattr dump "$1" | wc -l)
	[ "$n" = "$2" ] || fail "$1 has $n attributes, not $2"
}

free_blocks() {
	sync
	stat -f -c %f $mnt
}

# ours_write DEV TAG: the trees made, thinned, checked, freed
ours_write() {
	mount -t ocfs2 "$1" $mnt
	cd $mnt
	echo "file data" > f
	mkdir d
	for x in f d; do
		batch $x fill
		expect $x want-fill
		batch $x thin
		expect $x want-thin
	done
	echo "ours: 1000 names each, half removed, a fifth replaced"
	before=$(free_blocks)
	for x in g h; do
		echo "$x" > $x
		batch $x fill
	done
	echo other > other
	during=$(free_blocks)
	rm g
	mv -f other h
	after=$(free_blocks)
	echo "free blocks: $before before, $during with two trees, $after after unlink and rename over"
	[ "$during" -lt "$((before - 100))" ] || fail "the trees took no space"
	[ "$after" -ge "$((before - 8))" ] || fail "the trees' space did not come back"
	[ "$(cat f)" = "file data" ] || fail "f's data"
	dumpx f d > /tmp/ours1.xattr
	cd /
	umount $mnt
	mount -t ocfs2 "$1" $mnt
	cd $mnt
	dumpx f d > "$LAB_RESULTS/ours-$2.xattr"
	diff /tmp/ours1.xattr "$LAB_RESULTS/ours-$2.xattr" > /tmp/diff || {
		head -20 /tmp/diff
		fail "our trees read differently after a remount"
	}
	expect f want-thin
	echo "ours: the same after a remount"
	cd /
	umount $mnt
}

# stock_change DEV TAG: stock checks, reads and changes our trees
stock_change() {
	fsck_clean "after ours wrote bucket trees ($2)" "$1"
	mount -t ocfs2 "$1" $mnt
	cd $mnt
	dumpx f d > /tmp/stock1.xattr
	diff "$LAB_RESULTS/ours-$2.xattr" /tmp/stock1.xattr > /tmp/diff || {
		head -20 /tmp/diff
		fail "stock reads our trees differently"
	}
	for x in f d; do
		batch $x stock
		count $x 701
	done
	dumpx f d > "$LAB_RESULTS/stock-$2.xattr"
	cd /
	umount $mnt
	# stock's own removals leave a bucket's free start where the removed
	# name was (its kernel only lowers the name-value length), which its
	# fsck then questions (6.1 run 20261127-043009): allowed here only
	FSCK_ALLOW='XATTR_FREE_START_INVALID'
	fsck_clean "after stock changed our trees ($2)" "$1"
	FSCK_ALLOW=
	echo "stock: our trees fsck clean, read the same, changed"
}

# ours_again DEV TAG: ours reads stock's changes, changes more, deletes
ours_again() {
	mount -t ocfs2 "$1" $mnt
	cd $mnt
	dumpx f d > /tmp/ours3.xattr
	diff "$LAB_RESULTS/stock-$2.xattr" /tmp/ours3.xattr > /tmp/diff || {
		head -20 /tmp/diff
		fail "ours reads stock's changes differently"
	}
	for x in f d; do
		batch $x again
		count $x 751
	done
	[ "$(getfattr --only-values -n user.large f | wc -c)" = 5000 ] ||
		fail "user.large on f"
	rm f
	rm -r d
	cd /
	umount $mnt
	echo "ours: stock's changes read, more made, both deleted"
}

for v in a b; do
	dev=/dev/vd$v
	tag=plain
	[ $v = b ] && tag=metaecc
	if [ "$NODE" = 0 ]; then
		# vdb: 16 KiB clusters hold four buckets, so buckets also split
		# within a run (4 KiB clusters: one bucket per run)
		ecc="-C 4096"
		[ $v = b ] && ecc="-C 16384 --fs-features=metaecc"
		# shellcheck disable=SC2086
		echo y | stock-mkfs.ocfs2 -q -F -b 4096 $ecc -M local -L trees $dev
	fi
	bar "mkfs-$v"
	[ "$NODE" = 1 ] && ours_write $dev $tag
	bar "ours-$v"
	[ "$NODE" = 0 ] && stock_change $dev $tag
	bar "stock-$v"
	[ "$NODE" = 1 ] && ours_again $dev $tag
	bar "again-$v"
	if [ "$NODE" = 0 ]; then
		fsck_clean "after ours deleted the trees ($tag)" $dev
		echo "stock: fsck clean after the deletes ($tag)"
	fi
	bar "done-$v"
done

# The default ACL user::rwx group::r-x other::r-x (setfacl is not added:
# the value in the kernel's xattr form, version 2, 8-byte entries)
DACL=0x0200000001000700ffffffff04000500ffffffff20000500ffffffff

# ours_full DEV: mkdir under a default ACL on a full volume; 25 parents
# (an inline directory takes about 200 names), so the allocators (inode,
# extent for the ACLs' blocks: a group each) run out before the parents
ours_full() {
	mount -t ocfs2 -o acl "$1" $mnt
	cd $mnt
	parents=$(seq 0 24)
	for p in $parents; do
		mkdir p$p
		setfattr -n system.posix_acl_default -v $DACL p$p ||
			fail "a default ACL on p$p"
	done
	mkdir p0/first || fail "mkdir under the default ACL"
	getfattr -n system.posix_acl_default p0/first > /dev/null ||
		fail "p0/first did not inherit the default ACL"
	dd if=/dev/zero of=big bs=1M 2> /dev/null || true
	n=0
	for p in $parents; do
		i=0
		while [ $i -lt 200 ] && mkdir p$p/s$i 2> /tmp/err; do
			i=$((i + 1))
		done
		n=$((n + i))
		[ $i = 200 ] || break
	done
	echo "ours: $n directories made on the full volume"
	grep -q "No space left" /tmp/err || {
		cat /tmp/err
		fail "mkdir on a full volume: not ENOSPC"
	}
	grep " $mnt " /proc/mounts | grep -q " rw," ||
		fail "the volume went read-only: $(grep " $mnt " /proc/mounts)"
	rm big
	mkdir p0/after || fail "mkdir once there is room again"
	cd /
	umount $mnt
	echo "ours: ENOSPC on a full volume, still read-write, mkdir after"
}

dev=/dev/vdb
if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L full \
		$dev 32768
fi
bar mkfs-full
[ "$NODE" = 1 ] && ours_full $dev
bar ours-full
if [ "$NODE" = 0 ]; then
	fsck_clean "after mkdir on a full volume" $dev
	echo "stock: fsck clean after the full-volume mkdirs"
fi
bar done-full
