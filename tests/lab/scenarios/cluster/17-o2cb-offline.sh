#!/bin/sh
# o2cb mounts that must be refused with a message saying what to do (2 of
# our nodes, o2cb cluster "lab", a short heartbeat threshold):
#  L. first a plain cluster mount on both nodes with mount.ocfs2 (it
#     starts the local heartbeat), node 1's file read on node 0, both
#     unmount (the kernel stops the heartbeat).
#  O. the o2cb cluster offline on node 1 (unregistered): mount.ocfs2 and
#     the kernel (mount -i) refuse with a message; registered again.
#  D. a dead node whose heartbeat still lands (never fenced): node 1 is
#     killed, node 0 keeps node 1's heartbeat slot beating (lab-hbghost);
#     a mount is refused after the o2cb join's wait (60 s) with a message
#     saying what to do, and mounts once the beats stop and node 1 is
#     declared dead.  Stock fsck -fn clean.  Kills node 1: last in a set.
# Run: tests/lab/run --kernel K --stack ours --nodes 2 --disk 1G
#      --hb-threshold 7 --timeout 600
#      --add tests/lab/scenarios/o2dlm/o2lib.sh THIS
set -eu
. /lab/etc/lab.conf
. /usr/local/bin/o2lib.sh
lab-cluster-mounts
R=$LAB_RESULTS
C=/sys/kernel/config/cluster/lab
M=/mnt/ocfs2
fail() { say "FAIL: $*"; dmesg | tail -20; exit 1; }
said() { dmesg | tail -8 | grep -q "$1" || fail "no kernel message matching '$1'"; }
refused() {	# refused WHY MOUNT-ARGS...: the mount must fail
	_why=$1
	shift
	if "$@"; then umount $M; fail "mounted: $_why"; fi
}
MKFS=$(tool mkfs.ocfs2)

grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
[ "$LAB_STACK" = ours ] || { say "our stack only"; exit 77; }
mkdir -p $M

# L: a plain cluster mount, local heartbeat
[ "$NODE" = 0 ] && echo y | $MKFS -q -F -N 4 --cluster-stack=o2cb --cluster-name=lab /dev/vda
lab-barrier L-formatted
mount -t ocfs2 /dev/vda $M || fail "mount.ocfs2 (local heartbeat)"
lab-barrier L-mounted
[ "$NODE" = 1 ] && { echo "from node1 local" > $M/l1; sync; }
lab-barrier L-written
if [ "$NODE" = 0 ]; then
	[ "$(cat $M/l1)" = "from node1 local" ] || fail "node 1's file: $(cat $M/l1 2>&1)"
	say "L: node 1's file read here"
fi
lab-barrier L-read
umount $M || fail "umount (local)"
# the kernel stops the local heartbeat at unmount (ocfs2_hb_ctl -K)
regions() { for r in $C/heartbeat/*/; do [ -d "$r" ] && echo "$r"; done | wc -l; }
noregions() { [ "$(regions)" -eq 0 ]; }
T=120 waitfor noregions || fail "$(regions) heartbeat regions left after unmount"
lab-barrier L-unmounted

# O: the cluster offline on node 1
if [ "$NODE" = 1 ]; then
	o2cb unregister-cluster lab || fail "unregister-cluster"
	mount -t ocfs2 /dev/vda $M 2> /tmp/o.err && { umount $M; fail "mount.ocfs2 mounted offline"; }
	say "O: mount.ocfs2 says: $(cat /tmp/o.err)"
	refused "kernel, cluster offline" mount -i -t ocfs2 -o heartbeat=local /dev/vda $M
	said "o2cb cluster is not online"
	say "O: kernel says: $(dmesg | tail -2 | tr '\n' ' ')"
	# o2lib's register unregisters first, which fails here: ignored
	register || true
	[ "$(cat $C/heartbeat/dead_threshold 2>/dev/null)" = "$LAB_HB_THRESHOLD" ] ||
		fail "the cluster is not registered again"
fi
lab-barrier O-done

# D: a dead node whose heartbeat still lands (never fenced): node 1 is
# killed, node 0 keeps node 1's heartbeat slot beating (lab-hbghost).  A
# mount must not join a domain a live-looking node cannot be asked about:
# after the o2cb join's wait (60 s) it is refused with a message saying
# what to do; once the beats stop and node 1 is declared dead, it mounts.
lab-barrier D-start
[ "$NODE" = 1 ] && { sleep 900; exit 1; }
echo y | $MKFS -q -F -N 4 --cluster-stack=o2cb --cluster-name=lab /dev/vda
lab-ctl kill 1
uuid=$(blkid -p -o value -s UUID /dev/vda | tr -d - | tr a-f A-F)
[ ${#uuid} = 32 ] || fail "uuid '$uuid'"
# the heartbeat a mount would start; the kernel stops it after umount
ocfs2_hb_ctl -S -d /dev/vda ocfs2 || fail "ocfs2_hb_ctl -S"
reg=$C/heartbeat/$uuid
[ -d $reg ] || fail "no region $reg: $(ls $C/heartbeat)"
rm -f /tmp/ghost.stop
lab-hbghost /dev/vda "$(cat $reg/start_block)" "$(cat $reg/block_bytes)" 1 600 /tmp/ghost.stop &
live1() { grep -qw 1 /sys/kernel/debug/o2hb/livenodes; }
T=120 waitfor live1 || fail "node 1's ghost beats not seen: $(cat /sys/kernel/debug/o2hb/livenodes)"
say "D: node 1 killed, its heartbeat slot beating on: live $(cat /sys/kernel/debug/o2hb/livenodes)"
t0=$(date +%s)
refused "a dead node still heartbeating" mount -i -t ocfs2 -o heartbeat=local /dev/vda $M
said "o2net cannot reach it"
say "D: refused after $(($(date +%s) - t0)) s: $(dmesg | grep 'cannot mount' | tail -1)"
: > /tmp/ghost.stop
wait
dead1() { ! live1; }
T=240 waitfor dead1 || fail "node 1 still live after its beats stopped"
mount -i -t ocfs2 -o heartbeat=local /dev/vda $M || fail "mount once node 1 is dead"
echo ok > $M/d0
umount $M || fail "umount (D)"
T=120 waitfor noregions || fail "$(regions) heartbeat regions left after unmount (D)"
stock-fsck.ocfs2 -fn /dev/vda > /tmp/fsck.out 2>&1 < /dev/null ||
	{ cat /tmp/fsck.out; fail "stock fsck -fn (D)"; }
say "D: mounted once node 1 was declared dead; stock fsck -fn clean"
say "done"
