#!/bin/sh
# o2net idle timeout (2 nodes, node1 on our stack, node0 either; run with
# LAB_IDLE_TIMEOUT_MS=10000 and --hb-threshold 31 so heartbeat outlives
# the cut): node0 cuts node1's network link; heartbeat on the shared disk
# goes on, so after the idle timeout our node logs the idle connection and
# closes it; when the link is back node1 connects again.  Nobody fences:
# quorum (stock's rules, net_quorum.c) decides only once the peer still
# beats (threshold + 2) intervals after the loss, 66 s at threshold 31,
# and the link is back before that; o2dlm/04 keeps it cut and shows the
# higher node fencing itself.
set -eu
dev=/dev/vda
SERVICE=labidle
fail() { echo "FAIL: $*"; dmesg | grep -i 'o2net\|o2hb' | tail -20; exit 1; }
tool() { if command -v "stock-$1" > /dev/null; then echo "stock-$1"; else echo "$1"; fi; }
MKFS=$(tool mkfs.ocfs2)
HBCTL=$(tool ocfs2_hb_ctl)
C=/sys/kernel/config/cluster/lab
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
idle=$(cat $C/idle_timeout_ms)
peer=$((1 - NODE))
UP="\(connected to\|connection from\) node node$peer (num $peer)"
wait_log() { # PATTERN COUNT SECONDS
	i=0
	while [ "$(dmesg | grep -c -i -e "$1")" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -le $(($3 * 2)) ] || fail "no '$1' (x$2) in the kernel log after $3 s"
		sleep 0.5
	done
	echo "ok: '$1' (x$2) after ~$((i / 2)) s"
}

if [ "$NODE" = 0 ]; then
	$MKFS -q -F -N 4 -L idlevol --cluster-stack=o2cb --cluster-name=lab $dev
fi
lab-barrier formatted
$HBCTL -S -d $dev $SERVICE
wait_log "$UP" 1 30
lab-barrier connected
[ "$NODE" = 0 ] && lab-ctl link 1 off
if [ "$NODE" = 1 ]; then
	wait_log "idle for" 1 $((idle / 1000 + 15))
	wait_log "no longer connected to node node0" 1 5
	grep -q '^0 1 ' /sys/kernel/debug/o2hb/livenodes || fail "heartbeat lost during the cut"
	echo "ok: still heartbeating: $(cat /sys/kernel/debug/o2hb/livenodes)"
fi
lab-barrier idled
[ "$NODE" = 0 ] && lab-ctl link 1 on
if [ "$NODE" = 1 ]; then
	wait_log "$UP" 2 60
fi
lab-barrier reconnected
dmesg | grep -i 'o2net' || true
$HBCTL -K -d $dev $SERVICE
lab-barrier done
