#!/bin/sh
# o2dlm bench (lab scenario): one o2cb cluster of four nodes, Debian's
# ocfs2 modules (o2net, o2dlm, ocfs2_dlmfs) on nodes 0-1 and ours on nodes
# 2-3 (--stack stock,stock,ours,ours), one boot.  Each pair works in a
# dlmfs domain of its own, on one heartbeat region (vda) all share.  In
# each round the two pairs take turns (the order alternates) while the
# other pair idles:
#  - cached-ex-open-close/s: EX open/close of a lock only this node uses
#    (after the first open the lock stays cached: dlmfs and o2dlm's local
#    path only);
#  - new-lock-ex/s: create, close, unlink a new file each time: a full
#    DLM lock (mastery asked of the other member) and unlock (the
#    resource is purged);
#  - ex-handoff-ms: a token passed between the pair through a lock's
#    value block, one EX hand-off per step (blocking AST, down-convert,
#    grant across the network).
# Lines "<stack> <metric> <value>" go to $LAB_RESULTS/bench.<node>.
set -e
R=$LAB_RESULTS
ROUNDS=${BENCH_ROUNDS:-3}
LOCAL_N=${BENCH_LOCAL_N:-1000}
CHURN_N=${BENCH_CHURN_N:-200}
PINGPONG_N=${BENCH_PINGPONG_N:-100}
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; exit 1; }

[ "$NODES" = 4 ] || fail "wants 4 nodes (--stack stock,stock,ours,ours)"
grep -q '^o2cb lab' /run/lab-stack || fail "o2cb cluster not online"
case $NODE in
0 | 1) want=stock me=$NODE ;;
*) want=ours me=$((NODE - 2)) ;;
esac
[ "$LAB_STACK" = $want ] || fail "node$NODE runs $LAB_STACK, wants $want"

if [ "$NODE" = 0 ]; then
	# stock mkfs asks before overwriting a volume even with -F
	echo y | mkfs.ocfs2 -q -F -N 4 --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
lab-barrier formatted
ocfs2_hb_ctl -S -d /dev/vda o2bench
D=/dlm/bench-$want
mkdir $D || fail "cannot join $D"
say "joined $D"
lab-barrier joined

out() { echo "$want $1 $2" >> "$R/bench.$NODE"; }
# run_pair STACK ROUND: the pair running STACK measures, the other waits
run_pair() {
	if [ "$1" = $want ]; then
		lab-dlmbench local $D/local$NODE "$LOCAL_N" > "$R/l.$NODE"
		out cached-ex-open-close/s "$(awk '{ print $4 }' "$R/l.$NODE")"
	fi
	lab-barrier "$1-$2-local"
	if [ "$1" = $want ]; then
		lab-dlmbench churn $D "$CHURN_N" > "$R/c.$NODE"
		out new-lock-ex/s "$(awk '{ print $4 }' "$R/c.$NODE")"
	fi
	lab-barrier "$1-$2-churn"
	# a token of its own per round: the counter starts at 0
	if [ "$1" = $want ]; then
		lab-dlmbench pingpong $D/token$2 $me 2 "$PINGPONG_N" > "$R/p.$NODE"
		[ "$me" = 0 ] && out ex-handoff-ms "$(awk '{ print $4 }' "$R/p.$NODE")"
	fi
	lab-barrier "$1-$2-done"
}

r=1
while [ $r -le "$ROUNDS" ]; do
	if [ $((r % 2)) = 1 ]; then
		run_pair stock $r
		run_pair ours $r
	else
		run_pair ours $r
		run_pair stock $r
	fi
	r=$((r + 1))
done
rm -f $D/*
rmdir $D
ocfs2_hb_ctl -K -d /dev/vda o2bench
say "done"
