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
# state.  NODE (default 0) runs; other nodes only pass.
#   tests/lab/run --kernel 6.12 --nodes 1 --stack ours --disk 1G \
#       --add tests/lab/scenarios/fs/lib.sh --add tests/stress/ocfs2-stress \
#       --add tests/lab/scenarios/fs/hangwatch.sh --timeout 1200 \
#       tests/lab/scenarios/fs/09-stress-rounds.sh [ROUNDS [SECONDS [NODE]]]
set -e
. /usr/local/bin/lib.sh
rounds=${1:-6}
secs=${2:-100}
[ "$NODE" = "${3:-0}" ] || exit 0
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
echo y | stock-mkfs.ocfs2 -q -F -M local -L rounds $dev
if command -v hangwatch.sh > /dev/null; then
	hangwatch.sh "$LAB_RESULTS/hang.node$NODE" &
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
	mount -t ocfs2 -o "$opts" $dev $mnt
	rm -rf $mnt/stress
	mkdir $mnt/stress
	echo "round $r: $procs processes${heavy:+, data-heavy}, -o $opts"
	# shellcheck disable=SC2086 # heavy is -F or nothing
	ocfs2-stress run $mnt/stress -p $procs -t "$secs" -s $((42 + r)) -w \
		$heavy > /tmp/stress.out 2>&1 &
	spid=$!
	# a hang ends the scenario once hangwatch has its evidence (the
	# blocked tasks stay; the lab judges the kernel log)
	while kill -0 $spid 2> /dev/null; do
		v=$(cat "$LAB_RESULTS/hang.node$NODE.verdict" 2>/dev/null || true)
		if [ "$v" = stuck ]; then
			# not fail(): its umount would hang as well
			echo "FAIL: round $r: tasks blocked for 90 s; see hang.node$NODE"
			exit 1
		fi
		sleep 5
	done
	wait $spid || { cat /tmp/stress.out; fail "round $r: the stress failed"; }
	[ -z "${v:-}" ] || fail "round $r: tasks blocked for 90 s until a read on each disk ($v); see hang.node$NODE"
	ops=$(sed -n 's/^\([0-9]*\) operations.*/\1/p' /tmp/stress.out)
	grep -E '^(write|fsync|truncate) ' /tmp/stress.out
	total=$((total + ops))
	umount $mnt
	fsck_clean "after round $r"
	echo "round $r: $ops operations, unmounted, stock fsck clean"
	r=$((r + 1))
done
echo "stress rounds: $rounds rounds of $secs s, $total operations, no hang"
