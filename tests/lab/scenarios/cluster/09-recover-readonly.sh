#!/bin/sh
# A read-only mount is the only survivor of a node death.  Node RO
# (default 1; our module) mounts a pcmk volume read-only; node VICTIM
# (default 2) mounts it read-write, writes and fsyncs files in its own
# directory (never read by RO before the death, so RO holds no lock on
# them and must read them from disk afterwards), keeps an unlinked file
# open (an orphan) and writes on until RO kills it (lab-ctl kill).  No
# other node has the volume mounted.
# RO, as stock's soft read-only mounts do, replays the dead slot's log
# before it reads again (its reads wait for that): checked right after
# the node-down event by reading every fsynced file back; its kernel
# logs the replay once and says a read-write mount finishes the slot;
# the slot stays taken (no journal here to finish it with).  Then RO
# remounts read-write: that scan finishes the slot (allocators, orphan,
# slot freed); after unmount the journal is clean with its recovery
# generation one higher, local alloc, truncate log and orphan dir are
# empty, and stock fsck -fn is clean.  Also: RO refuses a write with
# EROFS while read-only.  Other nodes only format (node 0) and wait.
# It kills its victim for good: last in a set.
# Run: tests/lab/run --cluster user --stack ours --nodes 3 --disk 1G
#      --timeout 300 THIS [RO VICTIM]
set -e
lab-cluster-mounts
R=$LAB_RESULTS
# the kernel's lines since this scenario began (a marker line: the
# log may wrap): in a set, earlier scenarios (cluster/08) replayed
# slots of the same numbers
mark="lab-cluster-09-begins-$$"
echo "$mark" > /dev/kmsg
kmsg() { dmesg | sed -n "/$mark/,\$p"; }
dev=/dev/vda
M=/mnt/ocfs2
set -- $*
ro=${1:-1}
victim=${2:-2}
say() { echo "node$NODE ($LAB_STACK): $*"; }
# on failure the victim (still writing unless killed) goes too and the
# volume is let go, so the scenarios after this one in a set can run
fail() {
	echo "node$NODE: FAIL: $*"
	dmesg | tail -30
	if [ "$NODE" = "$ro" ] && [ -z "$killed" ]; then lab-ctl kill $victim; fi
	umount $M 2>/dev/null || true
	exit 1
}
killed=
sdebugfs() { stock-debugfs.ocfs2 -R "$1" $dev 2>&1; }

# sums DIR: one line per entry under DIR, with content hashes
sums() {
	(cd "$1" && find . | sort | while read -r f; do
		if [ -f "$f" ]; then echo "$f $(md5sum < "$f")"
		elif [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
		else echo "$f dir"; fi
	done)
}

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$ro" != "$victim" ] || fail "RO and VICTIM are one node"
if [ "$NODE" = 0 ]; then
	# stock mkfs asks before overwriting a volume even with -F
	echo y | stock-mkfs.ocfs2 -q -F -N 4 --cluster-stack=pcmk \
		--cluster-name=lab $dev
fi
lab-barrier ro-formatted
mkdir -p $M

if [ "$NODE" = "$ro" ]; then
	mount -t ocfs2 -o ro $dev $M || fail "read-only mount"
	# the subshell: a failed redirection is reported before a later 2>
	# on the same command would be applied
	if (echo x > $M/nope) 2> /tmp/ro.err; then
		fail "a write on the read-only mount succeeded"
	fi
	grep -qi "read-only" /tmp/ro.err || fail "write refused with: $(cat /tmp/ro.err)"
fi
lab-barrier ro-mounted

if [ "$NODE" = "$victim" ]; then
	mount -t ocfs2 $dev $M || fail "victim mount"
	K=$M/keep
	mkdir $K $K/dir $M/busy
	i=0
	while [ $i -lt 30 ]; do
		head -c $((i * 7919 + 1)) /dev/urandom > /tmp/f
		dd if=/tmp/f of=$K/f$i conv=fsync 2>/dev/null
		i=$((i + 1))
	done
	dd if=/dev/urandom of=$K/trunc bs=64k count=64 conv=fsync 2>/dev/null
	truncate -s 10000 $K/trunc
	echo inner > $K/dir/inner
	mv $K/f0 $K/dir/moved
	ln -s f1 $K/link
	echo orphan > $M/orphan
	sleep 100000 < $M/orphan &
	rm $M/orphan
	sync
	sums $K > $R/ro.sums
	sdebugfs slotmap > $R/ro.slotmap
	say "wrote $(wc -l < $R/ro.sums) entries, synced; writing on until killed"
	lab-barrier ro-written
	# new files, committed now and then, never asked for by another
	# node: no truncation (a truncate-log flush checkpoints the whole
	# log), nothing evicted, so the log keeps transactions for the replay
	i=0
	while :; do
		head -c 20000 /dev/urandom > $M/busy/noise.$i
		[ $((i % 10)) != 9 ] || sync
		i=$((i + 1))
	done
fi

lab-barrier ro-written
if [ "$NODE" != "$ro" ]; then
	lab-barrier ro-done
	exit 0
fi
vnode=$((victim + 1))	# corosync and fs/dlm number nodes from 1
s=$(awk -v n=$vnode '$2 == n { print $1 }' $R/ro.slotmap)
[ -n "$s" ] || fail "node$victim not in the slot map: $(cat $R/ro.slotmap)"
gen() { sdebugfs "stat //journal:000$1" | sed -n 's/.*Recovery Generation: *//p'; }
gen0=$(gen $s)
# jbd2's superblock: the log's first block, 0 while it is empty
logstart() {
	sdebugfs "logdump $1" | head -8 | sed -n 's/.*Start Log Blknum: *//p'
}
sleep 2
i=0
while [ "$(logstart $s)" = 0 ]; do
	i=$((i + 1))
	[ $i -lt 30 ] || fail "journal:000$s kept an empty log for 30 tries"
	sleep 1
done
lab-ctl kill $victim
killed=1
say "killed node$victim (slot $s); its log started at block $(logstart $s) just before"
i=0
until kmsg | grep -q "node $vnode left the cluster"; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "no node-down event for node $vnode"
	sleep 1
done
# read at once: the reads wait for the replay, not for this script
sums $M/keep > $R/ro.sums.after
diff $R/ro.sums $R/ro.sums.after || fail "node$victim's fsynced files differ on the read-only mount"
say "all $(wc -l < $R/ro.sums) fsynced entries read back read-only"
c=$(kmsg | grep -c "slot $s of node $vnode replayed; a read-write mount finishes" || true)
[ "$c" -ge 1 ] || fail "slot $s: no 'replayed; a read-write mount finishes' message"
c=$(kmsg | grep -c "replaying journal:000$s" || true)
[ "$c" = 1 ] || fail "journal:000$s replayed $c times: $(kmsg | grep ocfs2 | tail -8)"
sdebugfs "stat //journal:000$s" | grep -q "Journal Flags:.*Dirty" ||
	fail "journal:000$s clean before any read-write mount finished it"
sdebugfs slotmap | awk -v n=$vnode '$2 == n { f = 1 } END { exit !f }' ||
	fail "slot $s freed by a read-only mount"
mount -o remount,rw $M || fail "remount read-write"
i=0
while sdebugfs slotmap | awk -v n=$vnode '$2 == n { f = 1 } END { exit !f }'; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "slot $s still taken 60 s after the read-write remount"
	sleep 1
done
kmsg | grep -q "slot $s of node $vnode recovered$" ||
	fail "no 'recovered' message for slot $s: $(kmsg | grep ocfs2 | tail -5)"
echo after > $M/after
sync
umount $M || fail "umount"
sdebugfs "stat //journal:000$s" | grep -q "Journal Flags:.*Dirty" &&
	fail "journal:000$s still dirty"
[ "$(gen $s)" = $((gen0 + 1)) ] ||
	fail "journal:000$s recovery generation $(gen $s), was $gen0"
sdebugfs "stat //local_alloc:000$s" | grep -q "Bitmap Total: 0 " ||
	fail "local_alloc:000$s not empty"
sdebugfs "stat //truncate_log:000$s" | grep -q "Used: 0" ||
	fail "truncate_log:000$s not empty"
[ "$(sdebugfs "ls //orphan_dir:000$s" | grep -vcE ' \.\.?$')" = 0 ] ||
	fail "orphan_dir:000$s not empty: $(sdebugfs "ls //orphan_dir:000$s")"
stock-fsck.ocfs2 -fn $dev > $R/ro.fsck 2>&1 < /dev/null ||
	{ cat $R/ro.fsck; fail "stock fsck"; }
say "read-only survivor replayed slot $s, the read-write remount finished it; stock fsck clean"
lab-barrier ro-done
