#!/bin/sh
# The dlmfs master lock moves when its holder dies: node2 holds the master
# (EX, value block written), nodes 0 and 1 wait for it in blocking opens,
# node0 has the host kill node2's QEMU.  corosync notices (token 3000 ms),
# dlm_controld and fs/dlm recover the lockspace, and exactly one survivor
# is granted the master; the other gets it once the first lets go.  Prints
# the time from kill to takeover (user stack: corosync token timeout plus
# consensus plus DLM recovery).
# Run: tests/lab/run --cluster user --stack ours --nodes 3 THIS
set -e
R=$LAB_RESULTS
D=/dlm/failover
say() { echo "node$NODE: $*"; }
fail() { echo "node$NODE: FAIL: $*"; exit 1; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
mkdir $D
lab-barrier joined

if [ "$NODE" = 2 ]; then
	lab-dlmlock -w -s "master-node2" -u /nonexistent $D/master > "$R/holder" &
	until grep -q granted "$R/holder" 2>/dev/null; do sleep 0.2; done
	say "holding the master"
fi
lab-barrier held
if [ "$NODE" = 2 ]; then
	# wait to be killed
	lab-barrier waiting
	sleep 600
	exit 1
fi
lab-dlmlock -w -g -u "$R/release.$NODE" $D/master > "$R/waiter.$NODE" &
pid=$!
lab-barrier waiting
sleep 2
grep -q granted "$R/waiter.$NODE" && fail "granted while node2 held the master"
if [ "$NODE" = 0 ]; then
	uptime_s > "$R/kill.t0"
	lab-ctl kill 2
	say "killed node2"
fi
until grep -q granted "$R/waiter.$NODE" 2>/dev/null ||
      [ -e "$R/first" ]; do sleep 0.1; done
# node0's clock: from its kill to the first survivor's grant
[ "$NODE" = 0 ] && uptime_s > "$R/first.t1"
if grep -q granted "$R/waiter.$NODE" 2>/dev/null; then
	echo "$NODE" > "$R/first"
	say "took the master over; LVB after the holder's death: $(grep '^lvb' "$R/waiter.$NODE")"
	sleep 2
	n=$(grep -l granted "$R"/waiter.? | wc -l)
	[ "$n" = 1 ] || fail "$n survivors granted at once"
	: > "$R/release.$NODE"
else
	until grep -q granted "$R/waiter.$NODE" 2>/dev/null; do sleep 0.1; done
	say "took the master after node$(cat "$R/first")"
	: > "$R/release.$NODE"
fi
wait $pid
lab-barrier survivors-done
if [ "$NODE" = 0 ] && [ -e "$R/first.t1" ]; then
	awk -v a="$(cat "$R/kill.t0")" -v b="$(cat "$R/first.t1")" \
		'BEGIN { printf "failover: a survivor held the master %.1f s after the kill\n", b - a }'
fi
dlm_tool ls | grep -A3 failover || true
rm -f $D/*
rmdir $D
exit 0
