#!/bin/sh
# A cluster mount of one volume in o2cb GLOBAL heartbeat mode (any mix of
# stacks, 2+ nodes, --cluster o2cb, disks vda and vdb).  Node 0 formats
# vda with --global-heartbeat and vdb for local heartbeat (stock mkfs).
#  a. cluster in local mode: the kernel refuses, on every node, stock as
#     ours, heartbeat=local on the global volume, heartbeat=global on the
#     local one, and the local one with no heartbeat (heartbeat=none and
#     no option: it must be started); mount.ocfs2 refuses the global
#     volume (the cluster's mode is local).
#  b. o2cb global mode with vda as the region (as o2cb/07 sets it up:
#     add-heartbeat, heartbeat-mode global, register, start-heartbeat),
#     every node mounts vda through mount.ocfs2, /proc/mounts shows
#     _netdev,heartbeat=global; data written on each node is read on
#     every other; the local volume is refused by mount.ocfs2 now.
#  c. unmount (the global region stays: it is the cluster's), stop the
#     heartbeat, back to local mode; stock fsck -fn vda clean.
# Run: tests/lab/run --stack ours --nodes 2 --disk 1G --disk 256M
#      --timeout 400 --add tests/lab/scenarios/o2dlm/o2lib.sh THIS
set -eu
. /lab/etc/lab.conf
R=$LAB_RESULTS
C=/sys/kernel/config/cluster/lab
M=/mnt/ocfs2
. /usr/local/bin/o2lib.sh
fail() { say "FAIL: $*"; dmesg | grep -iE 'ocfs2|o2hb|o2dlm' | tail -20; exit 1; }
MKFS=$(tool mkfs.ocfs2)
FSCK=$(tool fsck.ocfs2)
grep -q '^o2cb lab' /run/lab-stack || fail "o2cb cluster not online"
lab-cluster-mounts
shown() { grep " $M " /proc/mounts | cut -d' ' -f4; }
regions() { for r in $C/heartbeat/*/; do [ -d "$r" ] && echo "$r"; done | wc -l; }
# refused WHAT OPTIONS DEV: the kernel (mount -i) must refuse it
refused() {
	if mount -i -t ocfs2 ${2:+-o $2} $3 $M 2> /tmp/gm-err; then
		umount $M
		fail "a. $1: mounted"
	fi
	say "a. $1: refused: $(dmesg | grep -iE 'ocfs2|heartbeat' | tail -1)"
}
# helper_refused WHAT DEV: mount.ocfs2 must refuse DEV (ours; a stock
# node's answer is only shown)
helper_refused() {
	if mount -t ocfs2 $2 $L 2> /tmp/gm-err; then
		umount $L
		[ "$LAB_STACK" = stock ] || fail "mount.ocfs2 mounted: $1"
		say "stock mount.ocfs2 mounted: $1"
		return 0
	fi
	say "mount.ocfs2 refused: $1: $(tr '\n' ' ' < /tmp/gm-err)"
}
L=/mnt/gm-other
mkdir -p $M $L

[ "$(cat $C/heartbeat/mode)" = local ] || fail "mode $(cat $C/heartbeat/mode) at start"
if [ "$NODE" = 0 ]; then
	echo y | $MKFS -q -F -N 4 -L gmount --cluster-stack=o2cb --cluster-name=lab \
		--global-heartbeat /dev/vda
	echo y | $MKFS -q -F -N 4 -L lmount --cluster-stack=o2cb --cluster-name=lab /dev/vdb
fi
lab-barrier gm-formatted

# a. mode checks with the cluster in local mode
refused "heartbeat=local on a global-heartbeat volume" heartbeat=local /dev/vda
refused "heartbeat=global on a local-heartbeat volume" heartbeat=global /dev/vdb
refused "heartbeat=none on an o2cb volume" heartbeat=none /dev/vdb
refused "no heartbeat option on an o2cb volume" "" /dev/vdb
helper_refused "global volume, local mode" /dev/vda
lab-barrier gm-a-done

# b. global mode, vda the region
o2cb add-heartbeat lab /dev/vda
o2cb heartbeat-mode lab global
register
[ "$(cat $C/heartbeat/mode)" = global ] || fail "mode $(cat $C/heartbeat/mode)"
o2cb start-heartbeat lab
[ "$(regions)" -eq 1 ] || fail "$(regions) regions beating"
lab-barrier gm-beating
T=120 waitfor sh -c "[ \$(wc -w < /sys/kernel/debug/o2hb/livenodes) -ge $NODES ]" ||
	fail "live nodes: $(cat /sys/kernel/debug/o2hb/livenodes)"
lab-barrier gm-alive
mount -t ocfs2 /dev/vda $M || fail "b. mount.ocfs2 in global mode: $(dmesg | tail -3)"
say "b. mounted: $(shown)"
echo ",$(shown)," | grep -q ",_netdev,heartbeat=global," || fail "b. shown: $(shown)"
lab-barrier gm-mounted
dd if=/dev/urandom of=$M/data.$NODE bs=64k count=8 2> /dev/null
md5sum < $M/data.$NODE > "$R/gm-md5.$NODE"
echo "node$NODE" > $M/name.$NODE
lab-barrier gm-written
for n in $(seq 0 $((NODES - 1))); do
	[ "$(md5sum < $M/data.$n)" = "$(cat "$R/gm-md5.$n")" ] || fail "b. node$n's data differs"
	[ "$(cat $M/name.$n)" = "node$n" ] || fail "b. node$n's name file"
done
say "b. every node's data read back here"
helper_refused "local volume, global mode" /dev/vdb
lab-barrier gm-checked

# c. unmount, stop, back to local mode
umount $M || fail "umount"
[ "$(regions)" -eq 1 ] || fail "c. unmount stopped the global region ($(regions) left)"
lab-barrier gm-unmounted
o2cb stop-heartbeat lab
[ "$(regions)" -eq 0 ] || fail "$(regions) regions left after stop-heartbeat"
o2cb remove-heartbeat lab /dev/vda
o2cb heartbeat-mode lab local
register
[ "$(cat $C/heartbeat/mode)" = local ] || fail "mode $(cat $C/heartbeat/mode) after going local"
lab-barrier gm-local
if [ "$NODE" = 0 ]; then
	$FSCK -fn /dev/vda || fail "fsck"
fi
say "all checks passed"
exit 0
