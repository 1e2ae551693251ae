#!/bin/sh
# dlmfs bench (lab scenario): Debian's ocfs2_stack_user + ocfs2_dlmfs on
# nodes 0-1 and ours on nodes 2-3, one corosync + dlm_controld cluster, one
# boot (--cluster user --stack stock,stock,ours,ours).  Each round the
# stock pair runs, then our pair, while the other pair idles: first the
# uncontended EX open/close rate of a lock only that node uses, then the
# EX hand-off latency of a token the pair passes through the lock's value
# block.  Rounds alternate so host noise falls on both.  Lines
# "<stack> <metric> <value>" (one per round) go to $LAB_RESULTS/bench.
#
# Stock dlmfs joins a domain with an empty cluster name, which fs/dlm
# refuses (EBADR) while dlm_controld has its recovery callbacks on.  On
# the stock nodes they are turned off, so stock takes its other path: a
# control daemon on /dev/ocfs2_control (our ocfs2_controld, --add
# ocfs2_controld/ocfs2_controld).  Only joining differs; locking does not.
set -e
R=$LAB_RESULTS
ROUNDS=${BENCH_ROUNDS:-3}
LOCAL_N=${BENCH_LOCAL_N:-3000}
PINGPONG_N=${BENCH_PINGPONG_N:-200}
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; exit 1; }

[ "$NODES" = 4 ] || fail "wants 4 nodes (--stack stock,stock,ours,ours)"
grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
case $NODE in
0 | 1) want=stock me=$NODE ;;
*) want=ours me=$((NODE - 2)) ;;
esac
[ "$LAB_STACK" = $want ] || fail "node$NODE runs $LAB_STACK, wants $want"

if [ $want = stock ]; then
	echo 0 > /sys/kernel/config/dlm/cluster/recover_callbacks
	ocfs2_controld -D > "$R/controld-node$NODE.log" 2>&1 &
	daemon=$!
	until grep -q "locking protocol" "$R/controld-node$NODE.log"; do sleep 0.5; done
fi
D=/dlm/bench-$want
mkdir $D || fail "cannot join $D"
say "joined $D"
lab-barrier joined

# run_pair STACK ROUND: the pair running STACK measures, the other waits;
# node0 collects the figures of the pair's first node
run_pair() {
	[ "$1" = $want ] && lab-dlmbench local $D/local$NODE "$LOCAL_N" > "$R/local.$1.$2.$me"
	lab-barrier "$1-$2-local"
	# a token of its own per round: the counter starts at 0
	[ "$1" = $want ] && lab-dlmbench pingpong $D/token$2 $me 2 "$PINGPONG_N" > "$R/pp.$1.$2.$me"
	lab-barrier "$1-$2-done"
	[ "$NODE" = 0 ] || return 0
	awk -v s="$1" '{ print s, "uncontended-ex-open-close/s", $4 }' "$R/local.$1.$2.0" >> "$R/bench"
	awk -v s="$1" '{ print s, "ex-handoff-ms", $4 }' "$R/pp.$1.$2.0" >> "$R/bench"
}

r=1
while [ $r -le "$ROUNDS" ]; do
	run_pair stock $r
	run_pair ours $r
	r=$((r + 1))
done
[ "$NODE" = 0 ] && cat "$R/bench"
rm -f $D/*
rmdir $D
# A scenario may follow in this boot (run.sh --with): the stock nodes go
# back to the plain user stack (no daemon, recovery callbacks on).
if [ $want = stock ]; then
	kill "$daemon" || say "its ocfs2_controld had already gone"
	wait "$daemon" || true
	echo 1 > /sys/kernel/config/dlm/cluster/recover_callbacks
fi
exit 0
