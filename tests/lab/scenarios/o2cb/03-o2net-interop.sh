#!/bin/sh
# o2net between two nodes, either stack on either node (run with
# --stack stock,ours and ours,stock; LAB_IDLE_TIMEOUT_MS=10000 on the
# host shortens the wait): once both heartbeat, node1 connects to node0
# (protocol 11 handshake); the connection then survives more than an idle
# timeout on keepalives alone; when node1 stops heartbeating both sides
# drop it, and it comes back when node1 heartbeats again.
set -eu
dev=/dev/vda
SERVICE=labnet
fail() { echo "FAIL: $*"; dmesg | grep -i 'o2net\|o2hb' | tail -20; exit 1; }
tool() { if command -v "stock-$1" > /dev/null; then echo "stock-$1"; else echo "$1"; fi; }
MKFS=$(tool mkfs.ocfs2)
HBCTL=$(tool ocfs2_hb_ctl)
C=/sys/kernel/config/cluster/lab
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
idle=$(cat $C/idle_timeout_ms)
echo "node$NODE stack $LAB_STACK idle $idle ms keepalive $(cat $C/keepalive_delay_ms) ms"
peer=$((1 - NODE))

# wait_log PATTERN COUNT SECONDS: dmesg has COUNT lines matching PATTERN
wait_log() {
	i=0
	while [ "$(dmesg | grep -c -i -e "$1")" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -le $(($3 * 2)) ] || fail "no '$1' (x$2) in the kernel log after $3 s"
		sleep 0.5
	done
	echo "ok: '$1' (x$2) after ~$((i / 2)) s"
}

if [ "$NODE" = 0 ]; then
	$MKFS -q -F -N 4 -L netvol --cluster-stack=o2cb --cluster-name=lab $dev
fi
lab-barrier formatted
$HBCTL -S -d $dev $SERVICE
lab-barrier started
# stock says "Connected to node" on the connecting side and "Accepted
# connection from node" on the accepting side; ours says the former on both
UP="\(connected to\|connection from\) node node$peer (num $peer)"
wait_log "$UP" 1 30
lab-barrier connected

# keepalives alone must carry the connection past the idle timeout
sleep $((idle / 1000 + 6))
dmesg | grep -qi "idle for" && fail "connection went idle"
dmesg | grep -qi "no longer connected" && fail "connection dropped"
echo "ok: still connected after $((idle / 1000 + 6)) s of keepalives"
lab-barrier kept

if [ "$NODE" = 1 ]; then
	$HBCTL -K -d $dev $SERVICE
fi
wait_log "no longer connected to node node$peer" 1 30
lab-barrier dropped
if [ "$NODE" = 1 ]; then
	$HBCTL -S -d $dev $SERVICE
fi
wait_log "$UP" 2 30
lab-barrier reconnected
dmesg | grep -i 'o2net' || true
$HBCTL -K -d $dev $SERVICE
lab-barrier done
