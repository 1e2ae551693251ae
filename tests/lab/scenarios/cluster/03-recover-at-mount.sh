#!/bin/sh
# Node-death recovery at mount: the victim (node VICTIM, default 1) mounts
# a pcmk volume alone, writes and fsyncs files (one truncated, which
# leaves truncate-log records on stock), keeps an unlinked file open (an
# orphan), syncs, and is killed (lab-ctl kill) while still writing.  The
# recoverer (node RECOVERER, default 0; our module) then mounts for the
# first time (other nodes only format or wait): its slot check
# finds the dead slot's journal lock free and the journal dirty, replays
# it, returns the local alloc window and truncate log, deletes the
# orphan, marks the journal clean and frees the slot.  Checked: every
# fsynced file, the dead slot's allocators, orphan dir, journal flags and
# slot (stock debugfs), stock fsck -fn clean after unmount.
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G
#      --timeout 300 THIS                 (our node dies)
#      tests/lab/run --cluster user --stack stock,ours --nodes 2 --disk 1G
#      --timeout 300 THIS 0 1             (a stock node dies)
# With more nodes it can run before a scenario that kills another node
# (tests/lab/scenarios/set.sh), e.g. --stack stock,ours,stock ... THIS 2 1.
set -e
modprobe ocfs2 2>/dev/null || true
p=/sys/module/ocfs2/parameters/cluster_mounts
if [ -w $p ]; then echo 1 > $p; fi
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
victim=${1:-1}
recoverer=${2:-0}
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; exit 1; }
sdebugfs() { stock-debugfs.ocfs2 -R "$1" $dev 2>&1; }

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$victim" != "$recoverer" ] || fail "victim and recoverer are one node"
if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
fi
lab-barrier rec-formatted
mkdir -p $M

if [ "$NODE" = "$victim" ]; then
	mount -t ocfs2 $dev $M || fail "victim mount"
	mkdir $M/keep $M/keep/dir
	i=0
	while [ $i -lt 30 ]; do
		head -c $((i * 7919 + 1)) /dev/urandom > /tmp/f
		dd if=/tmp/f of=$M/keep/f$i conv=fsync 2>/dev/null
		i=$((i + 1))
	done
	dd if=/dev/urandom of=$M/keep/trunc bs=64k count=64 conv=fsync 2>/dev/null
	truncate -s 10000 $M/keep/trunc
	echo inner > $M/keep/dir/inner
	ln -s f1 $M/keep/link
	echo orphan > $M/orphan
	sleep 100000 < $M/orphan &
	rm $M/orphan
	sync
	(cd $M/keep && find . | sort | while read -r f; do
		if [ -f "$f" ]; then echo "$f $(md5sum < "$f")"
		elif [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
		else echo "$f dir"; fi
	done) > $R/rec.sums
	sdebugfs "slotmap" > $R/rec.slotmap.before
	say "wrote $(wc -l < $R/rec.sums) entries, synced; writing on until killed"
	lab-barrier rec-written
	i=0
	while :; do
		head -c 20000 /dev/urandom > $M/noise$((i % 20))
		i=$((i + 1))
	done
fi

lab-barrier rec-written
if [ "$NODE" != "$recoverer" ]; then
	lab-barrier rec-done
	exit 0
fi
sleep 2
members() { corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ '; }
alive=$(members)
lab-ctl kill "$victim"
say "killed node$victim"
i=0
until [ "$(members)" = $((alive - 1)) ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "corosync still lists node$victim"
	sleep 1
done
# survivors without quorum (more than two nodes at the start): expect
# only their votes, as an admin shrinking the cluster would
if ! corosync-quorumtool -s 2>/dev/null | grep -Eq '^Quorate: +Yes'; then
	corosync-quorumtool -e $((alive - 1)) > /dev/null ||
		fail "cannot set expected votes to $((alive - 1))"
fi
vslot=$(awk -v n=$((victim + 1)) '$2 == n { print $1 }' $R/rec.slotmap.before)
[ -n "$vslot" ] || fail "victim's slot not in the slot map: $(cat $R/rec.slotmap.before)"
sdebugfs "stat //journal:000$vslot" | grep -q "Journal Flags:.*Dirty" ||
	fail "the victim's journal is not dirty: nothing to recover"
gen() { sdebugfs "stat //journal:000$vslot" | sed -n 's/.*Recovery Generation: *//p'; }
gen0=$(gen)
mount -t ocfs2 $dev $M || fail "mount after the victim died"
dmesg | grep -i ocfs2 | tail -8
dmesg | grep -q "slot $vslot of node $((victim + 1)) recovered" ||
	fail "no recovery message for slot $vslot"
(cd $M/keep && find . | sort | while read -r f; do
	if [ -f "$f" ]; then echo "$f $(md5sum < "$f")"
	elif [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
	else echo "$f dir"; fi
done) > $R/rec.sums.after
diff $R/rec.sums $R/rec.sums.after || fail "fsynced files differ after recovery"
say "all $(wc -l < $R/rec.sums) fsynced entries intact"
echo after > $M/keep/after
sync
umount $M || fail "umount"
sdebugfs "stat //journal:000$vslot" | grep -q "Journal Flags:.*Dirty" &&
	fail "journal:000$vslot still dirty"
[ "$(gen)" = $((gen0 + 1)) ] || fail "recovery generation $(gen), was $gen0"
sdebugfs "stat //local_alloc:000$vslot" | grep -q "Bitmap Total: 0 " ||
	fail "local_alloc:000$vslot not empty: $(sdebugfs "stat //local_alloc:000$vslot" | grep Bitmap)"
sdebugfs "stat //truncate_log:000$vslot" | grep -q "Used: 0" ||
	fail "truncate_log:000$vslot not empty"
[ "$(sdebugfs "ls //orphan_dir:000$vslot" | grep -vcE ' \.\.?$')" = 0 ] ||
	fail "orphan_dir:000$vslot not empty: $(sdebugfs "ls //orphan_dir:000$vslot")"
sdebugfs "slotmap" | awk -v n=$((victim + 1)) '$2 == n { bad = 1 } END { exit bad }' ||
	fail "the victim still holds a slot: $(sdebugfs slotmap)"
stock-fsck.ocfs2 -fn $dev > $R/rec.fsck 2>&1 || { cat $R/rec.fsck; fail "stock fsck"; }
say "recovered slot $vslot: journal clean, allocators and orphans empty, slot free, stock fsck clean"
lab-barrier rec-done
