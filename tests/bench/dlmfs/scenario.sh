#!/bin/sh
# dlmfs bench (lab scenario, 2 nodes, any stack): uncontended EX
# open/close rate on a lock only this node uses, then the EX hand-off
# latency of a token passed between the two nodes through the lock's
# value block.  Lines "<metric> <value>" go to $LAB_RESULTS/bench.<stack>.
# On o2cb a dlmfs domain needs a heartbeat region: node0 formats /dev/vda.
set -e
R=$LAB_RESULTS
out=$R/bench.$LAB_STACK
LOCAL_N=${BENCH_LOCAL_N:-5000}
PINGPONG_N=${BENCH_PINGPONG_N:-300}

if ! grep -q '^user' /run/lab-stack; then
	[ "$NODE" = 0 ] && mkfs.ocfs2 -q -F -N 2 --cluster-stack=o2cb --cluster-name=lab /dev/vda
	lab-barrier formatted
	ocfs2_hb_ctl -S -d /dev/vda bench
fi
mkdir /dlm/bench
lab-barrier joined
lab-dlmbench local /dlm/bench/local$NODE "$LOCAL_N" > "$R/local.$NODE"
lab-barrier local-done
lab-dlmbench pingpong /dlm/bench/token "$NODE" 2 "$PINGPONG_N" > "$R/pp.$NODE"
lab-barrier pingpong-done
if [ "$NODE" = 0 ]; then
	awk '{ print "uncontended-ex-open-close/s", $4 }' "$R/local.0" > "$out"
	awk '{ print "ex-handoff-ms", $4 }' "$R/pp.0" >> "$out"
	cat "$out"
fi
rm -f /dlm/bench/*
rmdir /dlm/bench
if ! grep -q '^user' /run/lab-stack; then
	ocfs2_hb_ctl -K -d /dev/vda bench
fi
exit 0
