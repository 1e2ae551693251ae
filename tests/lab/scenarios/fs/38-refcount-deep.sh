#!/bin/sh
# A refcount tree deeper than its root (issue 7: refcount trees read
# correctly; ours changes what stays inside a leaf and refuses the rest).
#  node0 (stock): mkfs -M local with 512-byte blocks (23 records a
#    refcount block, 23 leaves in the root), a 4 MiB file reflinked and
#    a byte written into every other cluster of the reflink: hundreds of
#    records, more leaves than the root indexes, so stock's rf_list grows
#    a level (checked with stock debugfs: Tree Depth 1 or more);
#  node1 (ours): every file reads as stock wrote it; copies on write in
#    both files whose refcount change stays inside its leaf go through;
#    a write and a truncate that need a leaf split either go through or
#    are refused (EOPNOTSUPP, the log says the tree is deeper than its
#    root) with the file unchanged; every file equals its model, again
#    after a remount;
#  node0 (stock): fsck.ocfs2 -fn clean, the same manifest; stock writes
#    into the reflink and removes both files; fsck clean.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add tests/stress/fs-rcio \
#       --add tests/lab/scenarios/tools/lab-fsops \
#       tests/lab/scenarios/fs/38-refcount-deep.sh
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.fs38-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS
C=4096

# rf_depth FILE: the depth of FILE's refcount rf_list, and its records
rf_depth() {
	rb=$(stock-debugfs.ocfs2 -R "stat /$1" $dev 2>/dev/null |
		sed -n 's/.*Refcount Block: *\([0-9]*\).*/\1/p')
	[ -n "$rb" ] || { echo "none"; return 0; }
	stock-debugfs.ocfs2 -R "refcount -e <$rb>" $dev > /tmp/rc.out 2>/dev/null
	d=$(sed -n 's/.*Tree Depth: *\([0-9]*\).*/\1/p' /tmp/rc.out | head -1)
	n=$(awk 'NF == 4 && $1 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/' /tmp/rc.out | wc -l)
	echo "${d:-root} $n"
}

# try WHAT MODE FILE OFF LEN SEED: a change that may be refused (a leaf
# split in a deep tree); refused, the file must be unchanged
try() {
	what=$1
	shift
	dmesg -c > /dev/null
	if fs-rcio "$@" 2> /tmp/err; then
		echo "ours: $what went through"
		return 0
	fi
	grep -q "not supported" /tmp/err ||
		{ cat /tmp/err; fail "ours: $what failed, not refused"; }
	dmesg | grep -q "deeper than its root" ||
		{ dmesg | tail; fail "ours: $what refused without saying why"; }
	cmp "$mnt/$3" "/model/$3" || fail "ours: $3 changed by the refused $what"
	echo "ours: $what refused: $(dmesg | grep "deeper than its root" | head -1)"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 512 -C $C -M local -L rcdeep $dev 131072
	mount -t ocfs2 $dev $mnt
	head -c $((1024 * C)) /dev/urandom > $mnt/s
	lab-fsops reflink $mnt/s $mnt/d
	lab-fsops poke $mnt/d $C 2 400
	umount $mnt
	set -- $(rf_depth d)
	echo "stock: d's refcount tree: depth $1, $2 records"
	case "$1" in
	[1-9]*) ;;
	*) fail "stock: d's refcount tree is not deeper than its root (depth $1)" ;;
	esac
	mount -t ocfs2 $dev $mnt
	manifest $mnt > $R/fs38-stock.manifest
	umount $mnt
fi
bar fs38-made

if [ "$NODE" = 1 ]; then
	rc_ours 16
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/ours.manifest
	cmp -s /tmp/ours.manifest $R/fs38-stock.manifest || {
		diff $R/fs38-stock.manifest /tmp/ours.manifest | head
		fail "ours reads the deep tree's files differently"
	}
	echo "ours: s and d read as stock wrote them"
	for f in s d; do cat $mnt/$f > /model/$f; done
	# shared one-cluster records between d's copies: a record's count
	# drops and it merges with its neighbours, inside its leaf
	rcw buf d $((21 * C)) $C 1
	rcw buf d $((301 * C + 100)) 200 2
	rcw buf s $((601 * C)) $C 3
	rcw direct d $((701 * C)) $C 4
	rc_same "after copies on write inside leaves of the deep tree"
	# the tail record [800, 1024) splits: its leaf may be full
	try "a write splitting a record" buf d $((900 * C)) $C 5
	try "a truncate splitting a record" trunc d $((950 * C)) 0 0
	rc_same "after the writes needing a split"
	umount $mnt
	mount -t ocfs2 $dev $mnt
	rc_same "after a remount"
	manifest $mnt > $R/fs38-ours.manifest
	umount $mnt
	set -- $(rf_depth d)
	echo "ours: d's refcount tree now: depth $1, $2 records"
	rc_ours_end
fi
bar fs38-ours

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours changed files of a deep refcount tree"
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/stock.manifest
	cmp -s /tmp/stock.manifest $R/fs38-ours.manifest || {
		diff $R/fs38-ours.manifest /tmp/stock.manifest | head
		fail "stock reads ours' changes differently"
	}
	head -c $C /dev/urandom | dd of=$mnt/d bs=$C seek=3 conv=notrunc 2>/dev/null
	rm $mnt/s $mnt/d
	umount $mnt
	fsck_clean "after stock removed the deep tree's files"
	echo "stock: reads ours' changes, writes and removes the files, fsck clean"
fi
