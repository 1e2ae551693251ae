#!/bin/sh
# Global heartbeat configured by each node's own o2cb tool (ours on our
# nodes, stock on stock nodes), any stack mix, 2 or 3 nodes, 3 disks:
# node0 formats vda, vdb, vdc with --global-heartbeat (stock mkfs: ours
# has no global heartbeat format yet); every node runs o2cb add-heartbeat
# for the three, o2cb heartbeat-mode global, registers the cluster again
# (mode global in configfs) and o2cb start-heartbeat.  Then: three
# regions beat, every node sees every node live, a dlmfs domain joins
# (the join compares regions: QUERY_REGION between the stacks), locks and
# value blocks work, the heartbeat writes to vda in 10 s stay the same
# with 1 and 16 dlmfs domains, and o2cb stop-heartbeat ends it; the
# cluster goes back to local heartbeat (o2cb heartbeat-mode lab local).
#   tests/lab/run --kernel K --stack stock,ours,ours --nodes 3 --disk 256M \
#       --disk 256M --disk 256M --timeout 240 tests/lab/scenarios/o2cb/07-global-heartbeat.sh
set -eu
# only this scenario's kernel lines are judged (a set runs several)
k0=$(dmesg | wc -l)
. /lab/etc/lab.conf
R=$LAB_RESULTS
C=/sys/kernel/config/cluster/lab
D=/dlm/o2gh
DISKS="/dev/vda /dev/vdb /dev/vdc"
say() { echo "node$NODE: $*"; }
fail() { say "FAIL: $*"; dmesg | grep -iE 'o2hb|o2dlm|o2net' | tail -20; exit 1; }
tool() { if command -v "stock-$1" > /dev/null; then echo "stock-$1"; else echo "$1"; fi; }
MKFS=$(tool mkfs.ocfs2)
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
regions() { for r in $C/heartbeat/*/; do [ -d "$r" ] && echo "$r"; done | wc -l; }
writes() { awk '{ print $5 }' /sys/block/vda/stat; }
# the cluster again from cluster.conf, with the lab's timeouts
register() {
	o2cb unregister-cluster lab
	o2cb register-cluster lab
	echo "$LAB_HB_THRESHOLD" > $C/heartbeat/dead_threshold
	echo "$LAB_IDLE_TIMEOUT_MS" > $C/idle_timeout_ms
	echo "$LAB_KEEPALIVE_DELAY_MS" > $C/keepalive_delay_ms
	echo "$LAB_RECONNECT_DELAY_MS" > $C/reconnect_delay_ms
}

if [ "$NODE" = 0 ]; then
	i=0
	for d in $DISKS; do
		# stock mkfs asks before overwriting a volume even with -F
		echo y | $MKFS -q -F -N "$NODES" -L "gh$i" --cluster-stack=o2cb \
			--cluster-name=lab --global-heartbeat $d
		i=$((i + 1))
	done
fi
lab-barrier formatted

for d in $DISKS; do
	o2cb add-heartbeat lab $d
done
o2cb heartbeat-mode lab global
grep -E "heartbeat_mode|region" /etc/ocfs2/cluster.conf > "$R/conf.$NODE"
[ "$(grep -c region "$R/conf.$NODE")" -eq 3 ] || fail "cluster.conf: $(cat "$R/conf.$NODE")"
register
[ "$(cat $C/heartbeat/mode)" = global ] || fail "mode $(cat $C/heartbeat/mode)"
o2cb start-heartbeat lab
[ "$(regions)" -eq 3 ] || fail "$(regions) regions beating"
say "global heartbeat on $(regions) regions ($LAB_STACK tools)"
lab-barrier beating

i=0
until [ "$(wc -w < /sys/kernel/debug/o2hb/livenodes)" -ge "$NODES" ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "live nodes: $(cat /sys/kernel/debug/o2hb/livenodes)"
	sleep 1
done
say "live: $(cat /sys/kernel/debug/o2hb/livenodes)"
o2cb cluster-status lab > "$R/status.$NODE" 2>&1 || true
lab-barrier alive

mkdir $D
lab-barrier joined
if [ "$NODE" = 0 ]; then
	lab-dlmlock -w -s "gh-lvb" $D/l
fi
lab-barrier written
if [ "$NODE" != 0 ]; then
	lab-dlmlock -r -g $D/l > "$R/pr.$NODE" 2>&1
	grep -q "lvb gh-lvb" "$R/pr.$NODE" || fail "PR: $(cat "$R/pr.$NODE")"
fi
lab-barrier read
if [ "$NODE" = 0 ]; then
	rc=0
	lab-dlmlock -w -n $D/l > /dev/null 2>&1 || rc=$?
	[ "$rc" -eq 3 ] || fail "EX trylock while others hold PR: exit $rc"
	lab-dlmlock -w $D/l > /dev/null
	say "dlmfs on global heartbeat: LVB, PR shared, trylock busy, EX"
fi
lab-barrier locked

# heartbeat I/O does not grow with the number of domains
if [ "$NODE" = 0 ]; then
	w0=$(writes); sleep 10; one=$(($(writes) - w0))
	i=1
	while [ $i -le 15 ]; do mkdir /dlm/o2gh$i; i=$((i + 1)); done
	w0=$(writes); sleep 10; many=$(($(writes) - w0))
	say "vda heartbeat writes in 10 s: $one with 1 domain, $many with 16"
	[ "$many" -le $((one + 1)) ] || fail "heartbeat writes grew with domains"
	i=1
	while [ $i -le 15 ]; do rmdir /dlm/o2gh$i; i=$((i + 1)); done
fi
lab-barrier counted
rm -f $D/l
lab-barrier unlinked
i=0
while [ $i -lt "$NODES" ]; do
	[ "$NODE" = $i ] && rmdir $D
	lab-barrier "left$i"
	i=$((i + 1))
done
o2cb stop-heartbeat lab
[ "$(regions)" -eq 0 ] || fail "$(regions) regions left after stop-heartbeat"
# back to local heartbeat, so later scenarios of a set run
o2cb heartbeat-mode lab local
register
[ "$(cat $C/heartbeat/mode)" = local ] || fail "mode $(cat $C/heartbeat/mode) after going local"
if [ "$LAB_STACK" = ours ] &&
	dmesg | tail -n +$((k0 + 1)) | grep -E "o2dlm: .*(fail|refuse|ignored|dropped)|o2hb: .*(error|fail)"; then
	fail "kernel complained (above)"
fi
say "done"
