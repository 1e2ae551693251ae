#!/bin/sh
# Node-death recovery at mount.  The victims (VICTIMS, default 1; several
# joined by '+', e.g. 1+2) mount a pcmk volume, each writes and fsyncs
# files in its own directory (one truncated, which leaves truncate-log
# records on stock), keeps an unlinked file open (an orphan), syncs, and
# all are killed at once (lab-ctl kill) while still writing: every node
# that had the volume mounted died, as when a whole cluster loses power.
# The recoverer (node RECOVERER, default 0; our module) then mounts for
# the first time (other nodes only format or wait): its slot check finds
# each dead slot's journal lock free and the journal dirty, replays every
# one, returns the local alloc windows and truncate logs, deletes the
# orphans, marks the journals clean and frees the slots.  Checked: every
# fsynced file of every victim, each dead slot's allocators, orphan dir,
# journal flags and recovery generation, and slot (stock debugfs); each
# journal replayed once ("replaying journal" logged once per slot); stock
# fsck -fn clean after unmount.
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G
#      --timeout 300 THIS                 (our node dies)
#      tests/lab/run --cluster user --stack stock,ours --nodes 2 --disk 1G
#      --timeout 300 THIS 0 1             (a stock node dies)
#      tests/lab/run --cluster user --stack ours --nodes 3 --disk 1G
#      --timeout 300 THIS 1+2 0           (the whole cluster died)
#      tests/lab/run --cluster user --stack ours,ours,ours,stock --nodes 4
#      --disk 1G --add THIS --timeout 420 tests/lab/scenarios/set.sh --stop
#      THIS=1,3 THIS=2+3,0      (stock recovers ours, then ours recovers
#                                ours and stock at one mount)
# With more nodes it can run before a scenario that kills another node
# (tests/lab/scenarios/set.sh), e.g. --stack stock,ours,stock ... THIS=2,1.
set -e
lab-cluster-mounts
R=$LAB_RESULTS
# the kernel's lines since this scenario began (a marker line: the
# log may wrap): in a set, earlier scenarios (cluster/08) replayed
# slots of the same numbers
mark="lab-cluster-03-begins-$$"
echo "$mark" > /dev/kmsg
kmsg() { dmesg | sed -n "/$mark/,\$p"; }
dev=/dev/vda
M=/mnt/ocfs2
victims=$(echo "${1:-1}" | tr '+' ' ')
recoverer=${2:-0}
say() { echo "node$NODE ($LAB_STACK): $*"; }
# on failure the victims (still writing unless killed) go too and the
# volume is let go, so the scenarios after this one in a set can run
fail() {
	echo "node$NODE: FAIL: $*"
	dmesg | tail -30
	if [ "$NODE" = "$recoverer" ] && [ -z "$killed" ]; then
		for v in $victims; do lab-ctl kill "$v"; done
	fi
	umount $M 2>/dev/null || true
	exit 1
}
killed=
sdebugfs() { stock-debugfs.ocfs2 -R "$1" $dev 2>&1; }
is_victim() { for v in $victims; do [ "$v" = "$1" ] && return 0; done; return 1; }

# sums DIR: one line per entry under DIR, with content hashes
sums() {
	(cd "$1" && find . | sort | while read -r f; do
		if [ -f "$f" ]; then echo "$f $(md5sum < "$f")"
		elif [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
		else echo "$f dir"; fi
	done)
}

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
is_victim "$recoverer" && fail "the recoverer is a victim"
if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
fi
lab-barrier rec-formatted
mkdir -p $M

if is_victim "$NODE"; then
	mount -t ocfs2 $dev $M || fail "victim mount"
	K=$M/keep$NODE
	mkdir $K $K/dir $M/busy$NODE
	i=0
	while [ $i -lt 30 ]; do
		head -c $((i * 7919 + NODE + 1)) /dev/urandom > /tmp/f
		dd if=/tmp/f of=$K/f$i conv=fsync 2>/dev/null
		i=$((i + 1))
	done
	dd if=/dev/urandom of=$K/trunc bs=64k count=64 conv=fsync 2>/dev/null
	truncate -s 10000 $K/trunc
	echo inner > $K/dir/inner
	ln -s f1 $K/link
	echo orphan > $M/orphan$NODE
	sleep 100000 < $M/orphan$NODE &
	rm $M/orphan$NODE
	sync
	sums $K > $R/rec.$NODE.sums
	lab-barrier rec-synced
	# every victim's slot is in the map now
	sdebugfs "slotmap" > $R/rec.$NODE.slotmap
	say "wrote $(wc -l < $R/rec.$NODE.sums) entries, synced; writing on until killed"
	lab-barrier rec-written
	# new files in its own directory, committed now and then: nothing
	# truncated (a truncate-log flush checkpoints the whole log), nothing
	# evicted and no lock another node asks for, so no checkpoint
	# empties the log and the recoverer has transactions to replay
	i=0
	while :; do
		head -c 20000 /dev/urandom > $M/busy$NODE/noise.$i
		[ $((i % 10)) != 9 ] || sync
		i=$((i + 1))
	done
fi

lab-barrier rec-synced
lab-barrier rec-written
if [ "$NODE" != "$recoverer" ]; then
	lab-barrier rec-done
	exit 0
fi
sleep 2
# jbd2's superblock: the log's first block, 0 while it is empty
logstart() {
	sdebugfs "logdump $1" | head -8 | sed -n 's/.*Start Log Blknum: *//p'
}
for v in $victims; do
	s=$(awk -v n=$((v + 1)) '$2 == n { print $1 }' $R/rec.$v.slotmap)
	say "node$v (slot $s): log starts at block $(logstart "$s") before the kill"
done
members() { corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ '; }
alive=$(members)
n=0
for v in $victims; do
	lab-ctl kill "$v"
	n=$((n + 1))
done
killed=1
say "killed node(s) $victims"
i=0
until [ "$(members)" = $((alive - n)) ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "corosync still lists a victim: $(corosync-quorumtool -l 2>&1)"
	sleep 1
done
# survivors without quorum: expect only their votes, as an admin
# shrinking the cluster would
if ! corosync-quorumtool -s 2>/dev/null | grep -Eq '^Quorate: +Yes'; then
	corosync-quorumtool -e $((alive - n)) > /dev/null ||
		fail "cannot set expected votes to $((alive - n))"
	say "survivors inquorate: expected votes set to $((alive - n))"
fi
# vslot V: the victim's slot (corosync and fs/dlm number nodes from 1)
vslot() { awk -v n=$(($1 + 1)) '$2 == n { print $1 }' $R/rec.$1.slotmap; }
gen() { sdebugfs "stat //journal:000$1" | sed -n 's/.*Recovery Generation: *//p'; }
for v in $victims; do
	s=$(vslot $v)
	[ -n "$s" ] || fail "node$v's slot not in the slot map: $(cat $R/rec.$v.slotmap)"
	sdebugfs "stat //journal:000$s" | grep -q "Journal Flags:.*Dirty" ||
		fail "node$v's journal is not dirty: nothing to recover"
	gen "$s" > $R/rec.$v.gen0
done
mount -t ocfs2 $dev $M || fail "mount after the victims died"
kmsg | grep -i ocfs2 | tail -12
# recovered V: the recoverer's module logged the end of slot V's recovery
# (stock recovers from its recovery thread after mount returns: wait)
recovered() {
	if [ "$LAB_STACK" = stock ]; then
		kmsg | grep -q "End replay journal (node $(($1 + 1)), slot $(vslot $1))"
	else
		kmsg | grep -q "slot $(vslot $1) of node $(($1 + 1)) recovered$"
	fi
}
# replays S: how many times the recoverer's module replayed journal S
replays() {
	if [ "$LAB_STACK" = stock ]; then
		kmsg | grep -c "Begin replay journal (node [0-9]*, slot $1)" || true
	else
		kmsg | grep -c "replaying journal:000$1" || true
	fi
}
for v in $victims; do
	s=$(vslot $v)
	i=0
	until recovered $v; do
		i=$((i + 1))
		[ $i -lt 60 ] || fail "no recovery message for slot $s"
		sleep 1
	done
	c=$(replays $s)
	[ "$c" = 1 ] ||
		fail "journal:000$s replayed $c times, not once: $(kmsg | grep -i ocfs2 | tail -12)"
	sums $M/keep$v > $R/rec.$v.sums.after
	diff $R/rec.$v.sums $R/rec.$v.sums.after ||
		fail "node$v's fsynced files differ after recovery"
	say "node$v: all $(wc -l < $R/rec.$v.sums) fsynced entries intact"
done
echo after > $M/after
sync
umount $M || fail "umount"
for v in $victims; do
	s=$(vslot $v)
	sdebugfs "stat //journal:000$s" | grep -q "Journal Flags:.*Dirty" &&
		fail "journal:000$s still dirty"
	[ "$(gen "$s")" = $(($(cat $R/rec.$v.gen0) + 1)) ] ||
		fail "journal:000$s recovery generation $(gen "$s"), was $(cat $R/rec.$v.gen0)"
	sdebugfs "stat //local_alloc:000$s" | grep -q "Bitmap Total: 0 " ||
		fail "local_alloc:000$s not empty: $(sdebugfs "stat //local_alloc:000$s" | grep Bitmap)"
	sdebugfs "stat //truncate_log:000$s" | grep -q "Used: 0" ||
		fail "truncate_log:000$s not empty"
	[ "$(sdebugfs "ls //orphan_dir:000$s" | grep -vcE ' \.\.?$')" = 0 ] ||
		fail "orphan_dir:000$s not empty: $(sdebugfs "ls //orphan_dir:000$s")"
	sdebugfs "slotmap" | awk -v n=$((v + 1)) '$2 == n { bad = 1 } END { exit bad }' ||
		fail "node$v still holds a slot: $(sdebugfs slotmap)"
	say "slot $s (node$v): journal clean, generation +1, allocators and orphans empty, slot free"
done
stock-fsck.ocfs2 -fn $dev > $R/rec.fsck 2>&1 || { cat $R/rec.fsck; fail "stock fsck"; }
say "recovered $(echo $victims | wc -w) dead slot(s) at one mount; stock fsck clean"
lab-barrier rec-done
