#!/bin/sh
# o2cb disk heartbeat between two nodes, either stack on either node
# (run with --stack stock,ours and ours,stock, --hb-threshold 7):
# stock ocfs2_hb_ctl starts heartbeat on a stock-formatted volume; both
# nodes see each other alive; node1 leaves cleanly and node0 sees it go at
# once; node1 comes back; then node1's QEMU is killed and node0 sees it die
# after the dead threshold.  On our stack, a region that does not fit its
# device and a dev that is not a block device are refused.
set -eu
dev=/dev/vda
SERVICE=labhb
fail() { echo "FAIL: $*"; exit 1; }
tool() { if command -v "stock-$1" > /dev/null; then echo "stock-$1"; else echo "$1"; fi; }
MKFS=$(tool mkfs.ocfs2)
HBCTL=$(tool ocfs2_hb_ctl)
C=/sys/kernel/config/cluster/lab
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
[ -d /sys/kernel/debug/o2hb ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
LIVE=/sys/kernel/debug/o2hb/livenodes
thr=$(cat $C/heartbeat/dead_threshold)
echo "node$NODE stack $LAB_STACK, dead_threshold $thr"

# wait_live "LIST" SECONDS: livenodes becomes exactly LIST
wait_live() {
	i=0
	while [ "$(cat $LIVE)" != "$1" ]; do
		i=$((i + 1))
		[ $i -le $(($2 * 2)) ] || fail "livenodes '$(cat $LIVE)' never became '$1' in $2 s"
		sleep 0.5
	done
	echo "ok: livenodes '$1' after ~$((i / 2)) s"
}

if [ "$NODE" = 0 ]; then
	$MKFS -q -F -N 4 -L hbvol --cluster-stack=o2cb --cluster-name=lab $dev
fi
lab-barrier formatted
uuid=$(blkid -o value -s UUID $dev | tr -d - | tr a-f A-F)
R=$C/heartbeat/$uuid

$HBCTL -S -d $dev $SERVICE
test -d $R || fail "no region $uuid after ocfs2_hb_ctl -S"
echo "region $uuid: block_bytes $(cat $R/block_bytes) start_block $(cat $R/start_block) blocks $(cat $R/blocks) dev $(cat $R/dev) pid $(cat $R/pid)"
[ -n "$(cat $R/pid)" ] || fail "region has no thread"
$HBCTL -I -d $dev
lab-barrier started
wait_live "0 1 " 30
[ ! -e /sys/kernel/debug/o2hb/$uuid/livenodes ] ||
	echo "region livenodes: $(cat /sys/kernel/debug/o2hb/$uuid/livenodes)"
lab-barrier both-alive

# clean leave: node1 writes generation 0, node0 drops it on the next read
if [ "$NODE" = 1 ]; then
	$HBCTL -K -d $dev $SERVICE
	test ! -d $R || fail "region still there after ocfs2_hb_ctl -K"
	echo "ok: heartbeat stopped"
else
	wait_live "0 " 10
fi
lab-barrier left
if [ "$NODE" = 1 ]; then
	$HBCTL -S -d $dev $SERVICE
fi
wait_live "0 1 " 30
lab-barrier back

if [ "$NODE" = 1 ] && [ "$LAB_STACK" = ours ]; then
	# bad regions on our stack
	mkdir $C/heartbeat/BAD0
	echo 512 > $C/heartbeat/BAD0/block_bytes
	sectors=$(cat /sys/block/vda/size)
	echo $((sectors - 10)) > $C/heartbeat/BAD0/start_block
	echo 255 > $C/heartbeat/BAD0/blocks
	exec 3<> $dev
	out=$( (/lab/bb/echo 3 > $C/heartbeat/BAD0/dev) 2>&1 ) && fail "region past the end of $dev accepted"
	case "$out" in *"No space left"*) echo "ok: region past the device end refused: $out" ;;
	*) fail "unexpected error for a region past the end: $out" ;; esac
	exec 3>&-
	echo 1 > /tmp/notablock
	exec 3<> /tmp/notablock
	out=$( (/lab/bb/echo 3 > $C/heartbeat/BAD0/dev) 2>&1 ) && fail "regular file accepted as dev"
	echo "ok: regular file as dev refused: $out"
	exec 3>&-
	rmdir $C/heartbeat/BAD0
	dmesg | grep 'o2hb: region BAD0' || fail "no log line for the refused regions"
fi
lab-barrier bad-input

# death by silence: node0 kills node1's QEMU and waits out the threshold
if [ "$NODE" = 0 ]; then
	lab-ctl kill 1
	wait_live "0 " $((thr * 2 + 10))
	$HBCTL -K -d $dev $SERVICE
	test ! -d $R || fail "region still there after ocfs2_hb_ctl -K"
	dmesg | grep -i 'o2hb\|o2net\|ocfs2' | tail -20 || true
else
	sleep 3600
fi
