#!/bin/sh
# Two (or more) nodes mount one cluster volume (pcmk over fs/dlm in a
# --cluster user run, else o2cb) and see each other's changes at once:
# file data both ways, create, link, symlink, chmod, rename, unlink, a
# name created after another node looked it up in vain, a file unlinked
# on one node while open on another, alternating appends; then a clean
# unmount and stock fsck -fn.  Any mix of stacks: the first taking node
# formats (stock mkfs), every node checks the others' work.
# Arguments: "o2cb" (the o2cb stack must be the one online), then the
# node numbers taking part, in ring order (default all; the others leave
# at once): set.sh 01-user-coherence.sh=0,2,3 in a 4-node boot.
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G
#      --timeout 240 THIS      (and --stack stock,ours / ours,stock)
#      o2cb: tests/lab/run --stack ours --nodes 2 --disk 1G THIS o2cb
set -e
. lab-cluster-lib
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
# argument o2cb: the classic stack must be the one online (cluster "lab",
# local heartbeat, which mount.ocfs2 starts through ocfs2_hb_ctl)
if [ "${1:-}" = o2cb ]; then
	[ $cs = o2cb ] || fail "o2cb cluster not online"
	shift
fi
cl_group "$@"
# the ring of the taking nodes: this node reads what prev wrote
prev=${group##* }
for n in $group; do
	[ "$n" != "$NODE" ] || break
	prev=$n
done
if [ $rank = 0 ]; then
	# shellcheck disable=SC2086 # options are words
	echo y | $mkfs -q -F -N 4 $stack $dev
fi
lab-barrier cl-formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
dmesg | grep -i ocfs2 | tail -3
lab-barrier mounted

# 1. small file written here, read on the next node
echo "hello from node$NODE" > $M/small.$NODE
lab-barrier w1
test "$(cat $M/small.$prev)" = "hello from node$prev" || fail "small.$prev: $(cat $M/small.$prev)"
say "1 small file of node$prev read back"

# 2. a 1 MB file rewritten in place by the next node, checksums agree
if [ $rank = 0 ]; then
	dd if=/dev/urandom of=$M/big bs=64k count=16 2>/dev/null
	md5sum < $M/big > $R/big.md5
fi
lab-barrier w2
test "$(md5sum < $M/big)" = "$(cat $R/big.md5)" || fail "big differs"
lab-barrier r2
if [ $rank = 1 ]; then
	dd if=/dev/urandom of=$M/big bs=4k count=8 seek=3 conv=notrunc 2>/dev/null
	md5sum < $M/big > $R/big.md5
	cp $M/big $R/big.ref
fi
lab-barrier w3
# each node's view of big's meta lock (ours and stock write the same
# locking_state file): which level each held when the others read
grep -q ' debugfs ' /proc/mounts || mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
ino=$(stat -c %i $M/big)
gen=$(stock-debugfs.ocfs2 -R "stat <$ino>" $dev 2>/dev/null | sed -n 's/.*Generation: \([0-9]*\) .*/\1/p' | head -1)
if [ -n "$gen" ]; then
	lk=$(printf 'M000000%016x%08x' "$ino" 0)
	echo "node$NODE ($LAB_STACK) big's meta lock before reading: $(stock-debugfs.ocfs2 -R fs_locks $dev 2>/dev/null | grep -A1 "Lockres: $lk" | tr -s ' \n' ' ')"
fi
if [ "$(md5sum < $M/big)" != "$(cat $R/big.md5)" ]; then
	[ -n "$gen" ] && echo "node$NODE big's meta lock after reading: $(stock-debugfs.ocfs2 -R fs_locks $dev 2>/dev/null | grep -A5 "Lockres: $lk" | tr -s ' \n' ' ')"
	[ -n "$gen" ] && echo "node$NODE fs/dlm's view: $(cat /sys/kernel/debug/dlm/*_locks 2>/dev/null | grep "$lk" | tr -s ' \n' ' ')"
	# which bytes, and whether the disk or only the page cache is stale
	stat -c 'size %s blocks %b' $M/big
	cmp $M/big $R/big.ref || true
	echo "differing bytes: $(cmp -l $M/big $R/big.ref | wc -l)"
	sync; echo 3 > /proc/sys/vm/drop_caches
	test "$(md5sum < $M/big)" = "$(cat $R/big.md5)" && echo "after drop_caches: agrees" || echo "after drop_caches: still differs"
	fail "big after node1's rewrite differs"
fi
say "2 rewritten data agrees"
# the lock state file debugfs.ocfs2 -R fs_locks reads: ours writes
# stock's format version 4, one tab-separated line per lock (version,
# name, 8 state fields, 64 LVB bytes, 12 statistics: 86 fields and a
# trailing tab) -- checked on stock nodes and ours alike.  Debian's
# ocfs2-tools 1.8 reads only up to version 3 and refuses stock's file
# and ours with the same message; what it says is shown.
lk=$(printf 'M000000%016x%08x' "$(stat -c %i $M/big)" 0)
ls_file=$(grep -l "$lk" /sys/kernel/debug/ocfs2/*/locking_state 2>/dev/null | head -1) ||
	true
[ -n "$ls_file" ] || fail "no locking_state file lists big's meta lock $lk"
ls_line=$(grep "	$lk	" "$ls_file" | head -1)
ls_form=$(echo "$ls_line" | awk -F'\t' '{ print $1, NF, $3 }')
case $ls_form in
"0x4 87 0" | "0x4 87 3" | "0x4 87 5") ;;
*) fail "locking_state line for $lk: version, fields, level '$ls_form': $ls_line" ;;
esac
say "2b locking_state $ls_file: $(wc -l < "$ls_file") locks, big's meta lock: version 4, 86 fields, level $(echo "$ls_line" | cut -f3); stock debugfs.ocfs2 fs_locks says: $(stock-debugfs.ocfs2 -R fs_locks $dev 2>&1 | head -1)"
# our debugfs.ocfs2 (where the project's tools are installed) reads it
if grep -q '^ours:.*debugfs.ocfs2' /lab/etc/tools 2>/dev/null; then
	fl=$(debugfs.ocfs2 -R fs_locks $dev 2>&1 | grep -A1 "^Lockres: $lk ")
	echo "$fl" | grep -q '^Flags: Initialized' ||
		fail "our debugfs.ocfs2 fs_locks does not show $lk: $(debugfs.ocfs2 -R fs_locks $dev 2>&1 | head -3)"
	say "2c our debugfs.ocfs2 fs_locks: $(debugfs.ocfs2 -R fs_locks $dev 2>/dev/null | grep -c '^Lockres: ') locks; $(echo "$fl" | tr -s '\n' ' ')"
fi

# 3. namespace made on node 0, seen everywhere
if [ $rank = 0 ]; then
	mkdir $M/d
	echo one > $M/d/f1
	ln $M/d/f1 $M/d/f2
	ln -s f1 $M/d/sl
	chmod 600 $M/d/f1
	mkdir $M/d/sub
fi
lab-barrier ns1
test "$(cat $M/d/f2)" = one || fail "link f2"
test "$(readlink $M/d/sl)" = f1 || fail "symlink"
test "$(stat -c %a $M/d/f1)" = 600 || fail "mode $(stat -c %a $M/d/f1)"
test "$(stat -c %h $M/d/f1)" = 2 || fail "links $(stat -c %h $M/d/f1)"
test -d $M/d/sub || fail "subdir"
say "3 create/link/symlink/chmod/mkdir seen"
lab-barrier r3

# 4. rename and unlink on node 1, seen everywhere; a negative lookup first
test ! -e $M/d/late || fail "late exists early"
lab-barrier neg
if [ $rank = 1 ]; then
	mv $M/d/f1 $M/d/g1
	rm $M/d/f2
	mv $M/d/sub $M/sub2
	echo late > $M/d/late
	chmod 640 $M/d/g1
fi
lab-barrier ns2
test ! -e $M/d/f1 || fail "f1 still there"
test ! -e $M/d/f2 || fail "f2 still there"
test "$(cat $M/d/g1)" = one || fail "g1"
test "$(stat -c %h $M/d/g1)" = 1 || fail "g1 links $(stat -c %h $M/d/g1)"
test "$(stat -c %a $M/d/g1)" = 640 || fail "g1 mode"
test -d $M/sub2 && test ! -e $M/d/sub || fail "dir rename"
test "$(cat $M/d/late)" = late || fail "late name not seen"
say "4 rename/unlink/negative-lookup seen"
lab-barrier r4

# 5. open on node 1, unlinked on node 0: still readable on node 1
[ $rank = 0 ] && echo "kept" > $M/held
lab-barrier held1
if [ $rank = 1 ]; then exec 3< $M/held; fi
lab-barrier held2
[ $rank = 0 ] && rm $M/held
lab-barrier held3
test ! -e $M/held || fail "held still named"
if [ $rank = 1 ]; then
	test "$(cat <&3)" = kept || fail "open-unlinked content"
	exec 3<&-
fi
say "5 open-unlinked file kept while open"

# 6. alternating appends, in turn
i=0
while [ $i -lt 6 ]; do
	if [ $((i % nodes)) = $rank ]; then echo "line $i" >> $M/turns; fi
	lab-barrier turn$i
	i=$((i + 1))
done
test "$(wc -l < $M/turns)" = 6 || fail "turns: $(cat $M/turns)"
test "$(sed -n 6p $M/turns)" = "line 5" || fail "turn order"
say "6 alternating appends exact"

lab-barrier before-umount
umount $M || fail "umount"
lab-barrier unmounted
if [ $rank = 0 ]; then
	$fsck -fn $dev || fail "fsck"
fi
say "all checks passed"
exit 0
