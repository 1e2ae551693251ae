#!/bin/sh
# Stress rounds on one node: ROUNDS runs of ocfs2-stress (default 6) of
# SECONDS each (default 100) on a local-mount volume stock mkfs made, each
# in a fresh mount with the round's settings, the previous round's tree
# removed first (a full volume would turn the rounds into ENOSPC tests),
# stock fsck.ocfs2 -fn clean after each.  Round r: 4, 6 or 8 processes
# (r % 3), the data-heavy mix (ocfs2-stress -F) on odd rounds, a
# one-megabyte local alloc window (localalloc=1) when r % 3 == 2, and a 1 s
# commit interval when r % 4 == 3, so commits keep meeting write-back,
# window slides and truncate-log flushes.  Made to hunt the 6.12 hang of
# session 9 (a commit waiting for ordered data that never came): with
# tests/lab/scenarios/fs/hangwatch.sh added, a hang leaves
# results/hang.nodeN with the blocked tasks' stacks and the block layer's
# state.  NODE (default 0) runs on /dev/vda; other nodes only pass.  NODE
# "all": every node runs at once, node N on the N-th disk (vda, vdb, ...).
# OPTION (default "-", none): one more mount option for every round, or
# one per node separated by "/" (node N takes the (N+1)-th), e.g.
# barrier=1/barrier=0/- to set stock against ours in one boot.  "again":
# a stall that a read on each disk ended (hangwatch's io-kick-cleared) is
# counted and the rounds go on; the scenario still fails at the end if
# there was one.  Each round prints the cache flushes the disk completed.
# With tests/stress/blk-probe added and NODE "all", each node also reads
# a block of every disk it does not use twice a second (blk-probe: O_DIRECT
# reads on queues otherwise idle in this guest) and counts reads pending
# 20 s or more (results/probe.nodeN); such a read fails the scenario too.
#   tests/lab/run --kernel 6.12 --nodes 1 --stack ours --disk 1G \
#       --add tests/lab/scenarios/fs/lib.sh --add tests/stress/ocfs2-stress \
#       --add tests/lab/scenarios/fs/hangwatch.sh --timeout 1200 \
#       tests/lab/scenarios/fs/09-stress-rounds.sh \
#       [ROUNDS [SECONDS [NODE|all [OPTION[/OPTION...] [again]]]]]
set -e
. /usr/local/bin/lib.sh
rounds=${1:-6}
secs=${2:-100}
who=${3:-0}
again=${5:-}
[ "$who" = all ] || [ "$NODE" = "$who" ] || exit 0
dev=/dev/vda
if [ "$who" = all ]; then
	dev=/dev/vd$(echo abcdefgh | cut -c$((NODE + 1)))
fi
extra=${4:--}
case $extra in */*) extra=$(echo "$extra" | cut -d/ -f$((NODE + 1))) ;; esac
[ -n "$extra" ] || extra=-
disk=${dev#/dev/}
mnt=/mnt/ocfs2
hang=$LAB_RESULTS/hang.node$NODE
mkdir -p $mnt
echo y | stock-mkfs.ocfs2 -q -F -M local -L rounds $dev
if command -v hangwatch.sh > /dev/null; then
	if [ -n "$again" ]; then
		hangwatch.sh "$hang" 10 again &
	else
		hangwatch.sh "$hang" &
	fi
fi

# flush requests the disk completed so far (field 16 of its stat)
flushes() {
	awk '{ print $16 }' /sys/block/$disk/stat
}

# stock fsck -fn clean, its output in a file of this node's own (nodes
# running at once would overwrite each other's fsck.last)
fsck_node() {
	out=$LAB_RESULTS/fsck.node$NODE
	stock-fsck.ocfs2 -fn $dev > "$out" 2>&1 || {
		cat "$out"
		fail "stock fsck $1: exit status"
	}
	! grep -q '? n$' "$out" || { cat "$out"; fail "stock fsck $1: wants repairs"; }
}

# stalls hangwatch saw end after its read (io-kick-cleared), so far
stalls() {
	grep -c io-kick-cleared "$hang.verdict" 2>/dev/null || true
}

echo "node$NODE ($LAB_STACK) on $dev, extra mount option: $extra"
probe=
if [ "$who" = all ] && command -v blk-probe > /dev/null; then
	others=$(ls /dev/vd? | grep -vx "$dev")
	# shellcheck disable=SC2086 # one word per disk
	blk-probe $((rounds * secs)) $others > "$LAB_RESULTS/probe.node$NODE" 2>&1 &
	probe=$!
	echo "probing $(echo $others) with reads twice a second"
fi
r=0
total=0
while [ $r -lt "$rounds" ]; do
	procs=$((4 + 2 * (r % 3)))
	heavy=
	[ $((r % 2)) = 0 ] || heavy=-F
	opts=defaults
	[ $((r % 3)) != 2 ] || opts=localalloc=1
	[ $((r % 4)) != 3 ] || opts=$opts,commit=1
	[ "$extra" = - ] || opts=$opts,$extra
	mount -t ocfs2 -o "$opts" $dev $mnt
	rm -rf $mnt/stress
	mkdir $mnt/stress
	echo "round $r: $procs processes${heavy:+, data-heavy}, -o $opts"
	f0=$(flushes)
	# shellcheck disable=SC2086 # heavy is -F or nothing
	ocfs2-stress run $mnt/stress -p $procs -t "$secs" -s $((42 + r)) -w \
		$heavy > /tmp/stress.out 2>&1 &
	spid=$!
	# a hang ends the scenario once hangwatch has its evidence (the
	# blocked tasks stay; the lab judges the kernel log)
	while kill -0 $spid 2> /dev/null; do
		if grep -qs stuck "$hang.verdict"; then
			# not fail(): its umount would hang as well
			echo "FAIL: round $r: tasks blocked for 90 s; see hang.node$NODE"
			exit 1
		fi
		sleep 5
	done
	wait $spid || { cat /tmp/stress.out; fail "round $r: the stress failed"; }
	s=$(stalls)
	[ -n "$again" ] || [ "${s:-0}" = 0 ] ||
		fail "round $r: tasks blocked for 90 s until a read on each disk ($(cat "$hang.verdict")); see hang.node$NODE"
	ops=$(sed -n 's/^\([0-9]*\) operations.*/\1/p' /tmp/stress.out)
	grep -E '^(write|fsync|truncate) ' /tmp/stress.out
	total=$((total + ops))
	umount $mnt
	fsck_node "after round $r"
	echo "round $r: $ops operations, $(($(flushes) - f0)) flushes, ${s:-0} stalls so far, unmounted, stock fsck clean"
	r=$((r + 1))
done
s=$(stalls)
slow=$(grep -c 'in flight for' "$hang.flush" 2>/dev/null || true)
echo "stress rounds on node$NODE ($LAB_STACK, $extra): $rounds rounds of $secs s, $total operations, $(flushes) flushes, ${slow:-0} flushes stalled 20 s or more, ${s:-0} stalls of 90 s"
if [ -n "$probe" ]; then
	wait $probe || true
	cat "$LAB_RESULTS/probe.node$NODE"
fi
[ "${s:-0}" = 0 ] || fail "${s} stalls of 90 s ended by a read on each disk; see hang.node$NODE.*"
[ -z "$probe" ] || ! grep -q 'pending for' "$LAB_RESULTS/probe.node$NODE" ||
	fail "reads on idle disks stalled 20 s or more; see probe.node$NODE"
