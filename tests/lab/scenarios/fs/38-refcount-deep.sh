#!/bin/sh
# A refcount tree deeper than its root (issue 7: refcount trees read
# correctly; ours changes what stays inside a leaf and refuses the rest).
#  node0 (stock): mkfs -M local with 512-byte blocks (23 records a
#    refcount block, 23 leaves in the root), mounted with resv_level=0:
#    a file of 1000 three-cluster pieces, each its own extent (lab-fsops
#    interleave), reflinked: 1000 records, more leaves than the root
#    indexes, so stock's rf_list grows a level (checked with stock
#    debugfs: Tree Depth 1 or more);
#  node1 (ours): every file reads as stock wrote it; copies on write of
#    whole pieces in both files (a record's count drops, inside its
#    leaf) go through; then 60 writes of a piece's middle cluster (every
#    one cuts a record in three) over a few leaves, which must split: the
#    new leaves' records go into the deep rf_list (ours' extent tree
#    code, as stock's); a write and a truncate cutting more records;
#    every file equals its model, again after a remount (should a change
#    be refused instead, EOPNOTSUPP with the log saying why, the file
#    must be unchanged: that fails the 60 writes, said as such);
#  node0 (stock): fsck.ocfs2 -fn clean, the same manifest; stock writes
#    into the reflink and removes the files (with "empty": o); fsck clean.
# With the argument "empty" (set.sh 38-refcount-deep.sh=empty), then:
#  node1 (ours): with ocfs2.refcount_deep_empty=0 removing s is refused
#    at the step that would empty a leaf (logged; s stays in the orphan
#    directory, d unchanged); with it on (the default) whole leaves of
#    the deep tree lose their last references: the remount's orphan
#    recovery of s empties the rightmost leaves, a punch of 300 pieces of d inner ones (each leaves the deep
#    rf_list as stock's do); d equals its model after a remount; stock
#    debugfs reads fewer records in 20 or more fewer leaves;
#  node0 (stock): fsck clean, the same manifest, writes into d (its own
#    removals in ours' shape), fsck clean; node1 (ours): removes d (every
#    leaf empties, the tree goes); node0 (stock): fsck clean, no file.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 256M \
#       --add tests/lab/scenarios/fs/lib.sh --add tests/stress/fs-rcio \
#       --add tests/lab/scenarios/tools/lab-fsops \
#       tests/lab/scenarios/fs/38-refcount-deep.sh
set -e
EMPTY=${1:-}
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.fs38-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS
C=4096
P=12288

# rf_depth FILE: the depth of FILE's refcount rf_list, its records and
# its leaves (the root's "Ref clusters")
rf_depth() {
	rb=$(stock-debugfs.ocfs2 -R "stat /$1" $dev 2>/dev/null |
		sed -n 's/.*Refcount Block: *\([0-9]*\).*/\1/p')
	[ -n "$rb" ] || { echo "none"; return 0; }
	stock-debugfs.ocfs2 -R "refcount -e <$rb>" $dev > /tmp/rc.out 2>/dev/null
	d=$(sed -n 's/.*Tree Depth: *\([0-9]*\).*/\1/p' /tmp/rc.out | head -1)
	n=$(awk 'NF == 4 && $1 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/' /tmp/rc.out | wc -l)
	l=$(sed -n 's/.*Ref clusters: *\([0-9]*\).*/\1/p' /tmp/rc.out | head -1)
	echo "${d:-root} $n ${l:-0}"
}

# try WHAT MODE FILE OFF LEN SEED: a change that may be refused (a leaf
# split in a deep tree); refused, the file must be unchanged
try() {
	what=$1
	f=$3
	dmesg -c > /dev/null
	if fs-rcio "$2" "$mnt/$f" "/model/$f" "$4" "$5" "$6" 2> /tmp/err; then
		echo "ours: $what went through"
		return 0
	fi
	grep -q "not supported" /tmp/err ||
		{ cat /tmp/err; fail "ours: $what failed, not refused"; }
	dmesg | grep -q "deeper than its root" ||
		{ dmesg | tail; fail "ours: $what refused without saying why"; }
	cmp "$mnt/$f" "/model/$f" || fail "ours: $f changed by the refused $what"
	echo "ours: $what refused: $(dmesg | grep "deeper than its root" | head -1)"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 512 -C $C -J size=4M -M local -L rcdeep $dev 131072
	mount -t ocfs2 -o resv_level=0 $dev $mnt
	lab-fsops interleave $mnt/s $mnt/o $P 1000
	lab-fsops reflink $mnt/s $mnt/d
	umount $mnt
	set -- $(rf_depth d)
	echo "stock: d's refcount tree: depth $1, $2 records, $3 leaves"
	echo "$3" > $R/fs38.leaves
	case "$1" in
	[1-9]*) ;;
	*) fail "stock: d's refcount tree is not deeper than its root (depth $1)" ;;
	esac
	mount -t ocfs2 $dev $mnt
	manifest $mnt > $R/fs38-stock.manifest
	umount $mnt
	# what stock fsck says of stock's own volume, before ours touches it
	stock-fsck.ocfs2 -fn $dev > $R/fs38.fsck0 2>&1 || true
	grep '? n$' $R/fs38.fsck0 | sed 's/^/stock: fsck of its own volume: /' || true
fi
bar fs38-made

if [ "$NODE" = 1 ]; then
	rc_ours 48
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/ours.manifest
	cmp -s /tmp/ours.manifest $R/fs38-stock.manifest || {
		diff $R/fs38-stock.manifest /tmp/ours.manifest | head
		fail "ours reads the deep tree's files differently"
	}
	echo "ours: s, o and d read as stock wrote them"
	for f in s o d; do cat $mnt/$f > /model/$f; done
	# whole pieces: a record's count drops, inside its leaf
	rcw buf d $((21 * P)) $P 1
	rcw buf s $((301 * P)) $P 2
	rcw direct d $((701 * P)) $P 3
	rc_same "after copies on write inside leaves of the deep tree"
	# a piece's middle: its record is cut in three (two more records in
	# a leaf stock left about half full); 60 of them overfill leaves,
	# which split unless ocfs2.refcount_tree_splits (read, not set) is off
	splits=$(cat /sys/module/ocfs2/parameters/refcount_tree_splits 2>/dev/null || echo N)
	echo "ours: ocfs2.refcount_tree_splits=$splits"
	k=400
	while [ $k -lt 460 ]; do
		if [ "$splits" = Y ]; then
			rcw buf d $((k * P + C)) $C $k
		else
			try "a cut with splits off" buf d $((k * P + C)) $C $k
		fi
		k=$((k + 1))
	done
	echo "ours: 60 records cut in three in the deep tree"
	try "a write cutting a record" buf d $((900 * P)) $C 4
	try "a truncate cutting a record" trunc d $((950 * P + C)) 0 0
	rc_same "after the writes needing a split"
	umount $mnt
	mount -t ocfs2 $dev $mnt
	rc_same "after a remount"
	manifest $mnt > $R/fs38-ours.manifest
	umount $mnt
	set -- $(rf_depth d)
	echo "ours: d's refcount tree now: depth $1, $2 records, $3 leaves"
	if [ "$splits" = Y ] && [ "$3" -le "$(cat $R/fs38.leaves)" ]; then
		fail "ours: no leaf was split in the deep tree ($3 leaves, $(cat $R/fs38.leaves) before)"
	fi
	rc_ours_end
fi
bar fs38-ours

# fsck_allow: a question stock fsck asked of stock's own volume already
# is not ours
fsck_allow() {
	FSCK_ALLOW=$(grep '? n$' $R/fs38.fsck0 | sed 's/^\[\([A-Z_]*\)\].*/\1/' | tr '\n' '|' | sed 's/|$//')
	[ -n "$FSCK_ALLOW" ] || FSCK_ALLOW='^$'
}

# no_refusal WHAT: ours' kernel log since the last dmesg -c has no
# refusal and no delete left in the orphan directory
no_refusal() {
	if dmesg | grep -E "not supported|orphan directory"; then
		fail "ours: $1 was refused or left an inode in the orphan directory"
	fi
}

if [ "$NODE" = 0 ]; then
	fsck_allow
	fsck_clean "after ours changed files of a deep refcount tree"
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/stock.manifest
	cmp -s /tmp/stock.manifest $R/fs38-ours.manifest || {
		diff $R/fs38-ours.manifest /tmp/stock.manifest | head
		fail "stock reads ours' changes differently"
	}
	head -c $C /dev/urandom | dd of=$mnt/d bs=$C seek=3 conv=notrunc 2>/dev/null
	if [ "$EMPTY" = empty ]; then
		rm $mnt/o
	else
		rm $mnt/s $mnt/o $mnt/d
	fi
	manifest $mnt > $R/fs38-stock2.manifest
	umount $mnt
	fsck_clean "after stock wrote into d and removed files"
	echo "stock: reads ours' changes, writes into d, removes files, fsck clean"
fi
bar fs38-stock
[ "$EMPTY" = empty ] || exit 0

# ours drops the last references of whole leaves of the deep tree (its
# records reach 0): removing s empties the rightmost leaves (the pieces
# past d's truncate were s's alone), a punch of 300 pieces of d empties
# inner leaves (their records leave the deep rf_list through the extent
# tree code, the leaves after them refilled, as stock's removals leave
# them); ocfs2.refcount_deep_empty is set to 0 for the bad input, then 1
if [ "$NODE" = 1 ]; then
	set -- $(rf_depth d)
	echo "ours: d's refcount tree before: depth $1, $2 records, $3 leaves"
	echo "$2 $3" > /tmp/before
	rc_ours 48
	DE=/sys/module/ocfs2/parameters/refcount_deep_empty
	[ -w $DE ] || fail "ours: no parameter ocfs2.refcount_deep_empty"
	echo "ours: ocfs2.refcount_deep_empty=$(cat $DE) by default"
	# bad input first: with the parameter off, s's delete stops at the
	# step that would empty a leaf (refused before it, said why) and s
	# stays in the orphan directory; d is unchanged
	echo 0 > $DE
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/ours.manifest
	cmp -s /tmp/ours.manifest $R/fs38-stock2.manifest || {
		diff $R/fs38-stock2.manifest /tmp/ours.manifest | head
		fail "ours reads stock's changes differently"
	}
	cat $mnt/d > /model/d
	dmesg -c > /dev/null
	rm $mnt/s
	sync
	dmesg | grep -q "emptying its leaf .* is not supported" ||
		{ dmesg | tail; fail "ours: s's delete with refcount_deep_empty=0 was not refused"; }
	dmesg | grep -q "stays in the orphan directory (error -95)" ||
		{ dmesg | tail; fail "ours: s's refused delete did not stay in the orphan directory"; }
	echo "ours: with refcount_deep_empty=0: $(dmesg | grep "emptying its leaf" | head -1)"
	echo "ours: $(dmesg | grep "stays in the orphan directory" | head -1)"
	rc_same "after the refused delete"
	umount $mnt
	# on: the next mount's orphan recovery finishes s's delete, which
	# empties the rightmost leaves (the pieces past d's truncate were s's)
	echo 1 > $DE
	dmesg -c > /dev/null
	mount -t ocfs2 $dev $mnt
	sync
	no_refusal "the orphan recovery of s"
	dmesg | grep -q "recovering 1 orphan inode" ||
		{ dmesg | tail; fail "ours: s was not recovered from the orphan directory"; }
	echo "ours: $(dmesg | grep "recovering 1 orphan inode" | head -1)"
	rcw punch d $((100 * P)) $((300 * P)) 0
	no_refusal "a punch of 300 pieces of d"
	rc_same "after emptying leaves of the deep tree"
	umount $mnt
	mount -t ocfs2 $dev $mnt
	rc_same "after a remount"
	manifest $mnt > $R/fs38-ours2.manifest
	umount $mnt
	stock-debugfs.ocfs2 -R "ls -l //orphan_dir:0000" $dev 2>/dev/null |
		awk 'NF && $NF != "." && $NF != ".."' > /tmp/orphans
	[ ! -s /tmp/orphans ] || { cat /tmp/orphans; fail "ours: the orphan directory is not empty"; }
	set -- $(rf_depth d)
	echo "ours: d's refcount tree after: depth $1, $2 records, $3 leaves"
	read -r rec0 leaves0 < /tmp/before
	[ "$2" -lt "$rec0" ] && [ "$3" -le $((leaves0 - 20)) ] ||
		fail "ours: d's tree kept its leaves ($2 records in $3 leaves, $rec0 in $leaves0 before)"
	rc_ours_end
fi
bar fs38-emptied

# stock reads and changes what ours left (its own removals in ours'
# shape), then ours removes d: every leaf empties, the tree goes
if [ "$NODE" = 0 ]; then
	fsck_allow
	fsck_clean "after ours emptied leaves of the deep tree"
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/stock.manifest
	cmp -s /tmp/stock.manifest $R/fs38-ours2.manifest || {
		diff $R/fs38-ours2.manifest /tmp/stock.manifest | head
		fail "stock reads ours' emptied tree differently"
	}
	for k in 30 60 120 700; do
		head -c $P /dev/urandom | dd of=$mnt/d bs=$P seek=$k conv=notrunc 2>/dev/null
	done
	umount $mnt
	fsck_clean "after stock wrote into ours' emptied tree"
	set -- $(rf_depth d)
	echo "stock: d's refcount tree: depth $1, $2 records, $3 leaves; fsck clean after its writes"
fi
bar fs38-stock2

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	dmesg -c > /dev/null
	rm $mnt/d
	sync
	no_refusal "removing d"
	umount $mnt
	echo "ours: removed d, the deep tree's last file"
fi
bar fs38-gone

if [ "$NODE" = 0 ]; then
	fsck_allow
	fsck_clean "after ours removed the deep tree's last file"
	mount -t ocfs2 $dev $mnt
	[ -z "$(ls $mnt | grep -v lost+found)" ] || { ls -la $mnt; fail "stock: files left"; }
	umount $mnt
	echo "stock: fsck clean, no file left"
fi
