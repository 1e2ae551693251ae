#!/bin/sh
# Split brain of a mounted file system, 2-node o2cb cluster (the stock
# quorum rule, as o2dlm/04-split-brain): both nodes mount an o2cb volume
# (mount.ocfs2 starts the local heartbeat); node 1 writes and fsyncs
# files, then keeps writing; node 0 keeps creating files.  Node 1's
# network link is cut (lab-ctl link 1 off) while both still heartbeat on
# the disk: after the quorum delay node 1, the higher number, fences
# itself (its QEMU ends) and node 0 keeps the volume mounted: it sees
# node 1's heartbeat stop, recovers node 1's slot (journal replayed or
# clean, slot freed: stock debugfs), reads node 1's fsynced files back
# intact, its own writer went on, and after unmount node 1's local
# alloc, truncate log and orphan dir are empty and stock fsck -fn is
# clean.
# Run with a short heartbeat threshold (say so when quoting it):
#   tests/lab/run --kernel K --stack ours --nodes 2 --disk 1G \
#       --hb-threshold 7 --timeout 360 THIS
set -e
lab-cluster-mounts
k0=$(dmesg | wc -l)
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -40; exit 1; }
sdebugfs() { stock-debugfs.ocfs2 -R "$1" $dev 2>&1; }
live() { cat /sys/kernel/debug/o2hb/livenodes; }

# sums DIR: one line per entry under DIR, with content hashes
sums() {
	(cd "$1" && find . | sort | while read -r f; do
		if [ -f "$f" ]; then echo "$f $(md5sum < "$f")"
		else echo "$f"; fi
	done)
}

grep -q '^o2cb lab' /run/lab-stack || fail "o2cb cluster not online"
[ "$NODES" = 2 ] || fail "wants 2 nodes"
if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -N 2 --cluster-stack=o2cb --cluster-name=lab $dev
fi
lab-barrier sb-formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
lab-barrier sb-mounted

if [ "$NODE" = 1 ]; then
	mkdir -p $M/v1/sub
	i=0
	while [ $i -lt 12 ]; do
		head -c $((i * 13001 + 5)) /dev/urandom > /tmp/f
		dd if=/tmp/f of=$M/v1/f$i conv=fsync 2>/dev/null
		i=$((i + 1))
	done
	mv $M/v1/f0 $M/v1/sub/moved
	sync
	sums $M/v1 > $R/sb.sums
	sdebugfs slotmap > $R/sb.slotmap
	# committed, never checkpointed: the log holds transactions
	( i=0; while :; do
		dd if=/dev/urandom of=$M/v1/data$((i % 8)) bs=64k count=4 2>/dev/null
		[ $((i % 4)) != 3 ] || sync
		i=$((i + 1))
	done ) &
fi
if [ "$NODE" = 0 ]; then
	mkdir $M/n0
	( set +e; i=0; while :; do
		echo "$i" > $M/n0/s$i 2>> $R/sb.writer.err ||
			echo "create s$i failed at $(date +%s)" >> $R/sb.writer.err
		i=$((i + 1))
	done ) &
	writer=$!
fi
lab-barrier sb-armed
say "heartbeating: $(live)"
if [ "$NODE" = 1 ]; then
	# fences itself; never gets past this
	sleep 280
	fail "still running 280 s after the link cut: did not fence"
fi

sleep 2
before=$(ls $M/n0 | wc -l)
lab-ctl link 1 off
t0=$(date +%s)
say "cut node 1's link ($before files in n0)"
i=0
while live | grep -qw 1; do
	i=$((i + 1))
	[ $i -lt 150 ] || fail "node 1 still heartbeating after 150 s"
	sleep 1
done
say "node 1 stopped heartbeating $(($(date +%s) - t0)) s after the cut"
# as o2dlm/04: node 1's QEMU must have ended by its own fencing; the lab
# then judges its kernel log up to the fence line
i=0
until lab-ctl fenced 1; do
	i=$((i + 1))
	if [ $i -ge 60 ]; then
		lab-ctl kill 1 || true
		fail "node 1 stopped heartbeating but still ran 60 s later"
	fi
	sleep 1
done
say "node 1 fenced itself $(($(date +%s) - t0)) s after the cut"
i=0
while sdebugfs slotmap | awk '$2 == 1 { f = 1 } END { exit !f }'; do
	i=$((i + 1))
	[ $i -lt 120 ] || fail "node 1's slot not recovered 120 s after its heartbeat stopped"
	sleep 1
done
say "node 1's slot freed $(($(date +%s) - t0)) s after the cut"
dmesg | tail -n +$((k0 + 1)) | grep -iE "quorum|fenc|evict|left the cluster|recover" || true
vslot=$(awk '$2 == 1 { print $1 }' $R/sb.slotmap)
[ -n "$vslot" ] || fail "no slot of node 1 recorded: $(cat $R/sb.slotmap)"
sdebugfs "stat //journal:000$vslot" | grep -q "Journal Flags:.*Dirty" &&
	fail "journal:000$vslot still dirty"
sums $M/v1 | grep -v "data[0-7]" > /tmp/after
diff $R/sb.sums /tmp/after || fail "node 1's fsynced files differ"
sleep 2
after=$(ls $M/n0 | wc -l)
[ "$after" -gt "$before" ] || fail "node 0's writer stopped ($before -> $after)"
say "node 1's fsynced files intact; writer went on ($before -> $after)"
kill $writer
wait $writer 2>/dev/null || true
umount $M || fail "umount"
sdebugfs "stat //local_alloc:000$vslot" | grep -q "Bitmap Total: 0 " ||
	fail "local_alloc:000$vslot not empty"
sdebugfs "stat //truncate_log:000$vslot" | grep -q "Used: 0" ||
	fail "truncate_log:000$vslot not empty"
[ "$(sdebugfs "ls //orphan_dir:000$vslot" | grep -vcE '[[:space:]]\.\.?$')" = 0 ] ||
	fail "orphan_dir:000$vslot not empty"
stock-fsck.ocfs2 -fn $dev > $R/sb.fsck 2>&1 < /dev/null || { cat $R/sb.fsck; fail "stock fsck"; }
[ ! -s $R/sb.writer.err ] || fail "node 0's writer: $(head -3 $R/sb.writer.err)"
say "node 1 fenced itself; node 0 kept the volume, recovered its slot; stock fsck clean"
