#!/bin/sh
# Indexed xattr blocks (bucket trees) made by stock, read by ours.
#  node0 (stock): mkfs -M local; a file and a directory with 600 names
#    (the xattr block becomes indexed, buckets split), some values out of
#    line (200 bytes, 5000 bytes); every attribute dumped;
#  node1 (ours or stock): the same dump, single names read by name,
#    missing names ENODATA; changes in stock's trees (a name added, one
#    replaced, one removed, then all three undone); the file's data and
#    other files still read; dump left;
#  node0 (stock): the same dump; deletes both; fsck -fn clean.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/setfattr \
#       --add /usr/bin/getfattr tests/lab/scenarios/fs/20-xattr-buckets.sh
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.fs20-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
# bucket tree writes on for ours even if a module parameter turned them
# off (ocfs2.xattr_tree_writes); a stock node has no such parameter
modprobe ocfs2 2>/dev/null || true
xtw=/sys/module/ocfs2/parameters/xattr_tree_writes
if [ -w $xtw ]; then echo 1 > $xtw; fi
N=600

# dumpx FILE...: every attribute, hex values, sorted per file
dumpx() {
	for f in "$@"; do
		echo "## $f"
		getfattr -h -d -m - -e hex "$f" 2>&1 | grep -v '^#' | grep . | sort
	done
}

# fill FILE: N names, values of varying size, two out of line; one
# setfattr --restore for all of them (a process per name took minutes)
fill() {
	awk -v n=$N -v f="$1" 'function rep(c, k,  s) {
		s = ""
		while (k-- > 0)
			s = s c
		return s
	}
	BEGIN {
		print "# file: " f
		for (i = 1; i <= n; i++)
			printf "user.name-%d=\"%s\"\n", i, rep("v", i % 30 + 1)
		printf "user.mid=\"%s\"\n", rep("m", 200)
		printf "user.large=\"%s\"\n", rep("l", 5000)
		printf "trusted.t=\"%s\"\n", rep("t", 40)
		print ""
	}' > /tmp/fill.dump
	setfattr --restore=/tmp/fill.dump || fail "stock setfattr --restore on $1"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L buckets $dev
	mount -t ocfs2 $dev $mnt
	cd $mnt
	echo "file data" > bk
	mkdir bkdir
	fill bk
	fill bkdir
	echo few > few
	setfattr -n user.few -v 1234 few
	dumpx bk bkdir few > "$LAB_RESULTS/stock1.xattr"
	wc -l "$LAB_RESULTS/stock1.xattr"
	cd /
	umount $mnt
	# for the log: stock's view of the block (ours refusing changes to
	# it below is the check that it is indexed)
	stock-debugfs.ocfs2 -R "stat /bk" $dev 2>&1 | grep -i "attr" || true
fi
bar stock-set

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	cd $mnt
	dumpx bk bkdir few > /tmp/ours1.xattr
	diff "$LAB_RESULTS/stock1.xattr" /tmp/ours1.xattr > /tmp/diff || {
		head -20 /tmp/diff
		fail "stock's indexed xattrs read differently"
	}
	for i in 1 77 299 $N; do
		v=$(getfattr --only-values -n "user.name-$i" bk)
		[ "$v" = "$(repeat v $((i % 30 + 1)))" ] || fail "user.name-$i reads $v"
	done
	[ "$(getfattr --only-values -n user.large bkdir | wc -c)" = 5000 ] ||
		fail "user.large on bkdir"
	if getfattr -n user.missing bk 2> /tmp/err; then
		fail "a missing name was found"
	fi
	grep -q "No such attribute" /tmp/err || {
		cat /tmp/err
		fail "a missing name: not ENODATA"
	}
	echo "ours: stock's bucket trees read identically"
	# changes in stock's trees, then undone: the dump must come back
	for x in bk bkdir; do
		setfattr -n user.new -v 1 $x || fail "a new name in $x's tree"
		setfattr -n user.name-5 -v changed $x || fail "a replace in $x"
		setfattr -x user.name-6 $x || fail "a removal in $x"
		[ "$(getfattr --only-values -n user.name-5 $x)" = changed ] ||
			fail "user.name-5 on $x is not the new value"
		if getfattr -n user.name-6 $x 2> /dev/null; then
			fail "user.name-6 on $x is still there"
		fi
		setfattr -x user.new $x
		setfattr -n user.name-5 -v "$(repeat v 6)" $x
		setfattr -n user.name-6 -v "$(repeat v 7)" $x
	done
	echo "$LAB_STACK: names added, replaced and removed in stock's trees"
	[ "$(cat bk)" = "file data" ] || fail "bk's data"
	setfattr -n user.few2 -v 5678 few
	setfattr -x user.few2 few
	dumpx bk bkdir few > "$LAB_RESULTS/ours1.xattr"
	diff "$LAB_RESULTS/stock1.xattr" "$LAB_RESULTS/ours1.xattr" ||
		fail "attributes changed"
	cd /
	umount $mnt
fi
bar ours-read

if [ "$NODE" = 0 ]; then
	mount -t ocfs2 $dev $mnt
	cd $mnt
	dumpx bk bkdir few > /tmp/stock2.xattr
	diff "$LAB_RESULTS/stock1.xattr" /tmp/stock2.xattr ||
		fail "stock reads changed attributes"
	rm -f bk
	rm -rf bkdir
	cd /
	umount $mnt
	fsck_clean "after ours read the bucket trees"
	echo "stock: unchanged, fsck clean"
fi
bar done
