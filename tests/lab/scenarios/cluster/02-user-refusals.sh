#!/bin/sh
# Cluster mounts that must be refused, each with a kernel message saying
# what to do, and nothing left behind: a volume of another cluster name,
# a stack option that does not match the volume, a full slot map (one
# slot, two nodes), a node whose ocfs2.cluster_mounts was turned off
# (ours; set back to its default 1 at once), and a mount with the
# cluster's DLM daemon stopped (node 1, at the end; dlm_controld is
# started again).  The kernel is asked directly (mount -i) so the
# refusal is the module's.  Also: a preferred_slot that cannot be
# honoured (taken by another node, past the volume's slots) gives another
# slot and a line saying why.
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G
#      --disk 1G --timeout 240 THIS
set -e
lab-cluster-mounts
R=$LAB_RESULTS
M=/mnt/ocfs2
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -20; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)
kmount() { mount -i -t ocfs2 -o "cluster_stack=pcmk${2:+,$2}" "$1" $M; }
# the last kernel lines must say $1
said() { dmesg | tail -8 | grep -q "$1" || fail "no message matching '$1'"; }
# the pids of dlm_controld processes (the daemon and its fence helper)
dlmc_pids() {
	for p in /proc/[0-9]*; do
		[ "$(cat $p/comm 2>/dev/null)" != dlm_controld ] || echo ${p#/proc/}
	done
}

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
mkdir -p $M
if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 2 --cluster-stack=pcmk --cluster-name=other /dev/vda
	if kmount /dev/vda; then umount $M; fail "wrong cluster name mounted"; fi
	said "cluster name"
	say "wrong cluster name refused"
	echo y | $mkfs -q -F -N 2 --cluster-stack=pcmk --cluster-name=lab /dev/vda
	if mount -i -t ocfs2 -o cluster_stack=o2cb /dev/vda $M; then
		umount $M; fail "wrong stack option mounted"
	fi
	said "cluster stack"
	say "wrong stack option refused"
	# an admin's switch: cluster mounts turned off on this node
	cm=/sys/module/ocfs2/parameters/cluster_mounts
	if [ -w $cm ]; then
		echo 0 > $cm
		if kmount /dev/vda; then
			umount $M; echo 1 > $cm; fail "mounted with cluster_mounts=0"
		fi
		echo 1 > $cm
		said "cluster_mounts=0"
		say "cluster mount with cluster_mounts=0 refused"
	fi
	echo y | $mkfs -q -F -N 1 --cluster-stack=pcmk --cluster-name=lab /dev/vdb
	kmount /dev/vdb || fail "one-slot volume"
fi
lab-barrier oneslot
if [ "$NODE" = 1 ]; then
	if kmount /dev/vdb; then umount $M; fail "second node got a slot of one"; fi
	said "slots are in use"
	say "full slot map refused"
fi
lab-barrier full-checked
if [ "$NODE" = 0 ]; then
	echo still > $M/f
	umount $M
	$fsck -fn /dev/vdb || fail "fsck after refusals"
fi
lab-barrier refusals-done

# preferred_slot (ours; a stock node only formats or waits)
slot_mount() {
	mount -t ocfs2 -o "$1" /dev/vda $M || fail "mount -o $1"
	mline=$(dmesg | grep "mounted read-write (cluster" | tail -1)
	slot=$(echo "$mline" | sed -n 's/.*slot \([0-9]*\)).*/\1/p')
}
[ "$NODE" = 0 ] && echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab /dev/vda
lab-barrier pref-formatted
if [ "$LAB_STACK" = ours ] && [ "$NODE" = 0 ]; then
	slot_mount preferred_slot=2
	[ "$slot" = 2 ] || fail "preferred_slot=2 not honoured: $mline"
	say "preferred slot 2 taken"
fi
lab-barrier pref-node0
if [ "$LAB_STACK" = ours ] && [ "$NODE" = 1 ]; then
	slot_mount preferred_slot=2
	[ "$slot" != 2 ] || fail "got node 0's slot 2"
	said "preferred slot 2 is node"
	say "preferred slot 2 taken by node 0: slot $slot, said why"
	umount $M
	slot_mount preferred_slot=9
	said "past the volume's 4 slots"
	say "preferred_slot=9 on 4 slots: slot $slot, said why"
	umount $M
fi
lab-barrier pref-node1
if [ "$LAB_STACK" = ours ] && [ "$NODE" = 0 ]; then
	umount $M
	$fsck -fn /dev/vda > /tmp/fsck.out 2>&1 || { cat /tmp/fsck.out; fail "fsck after preferred_slot"; }
fi
lab-barrier pref-done

# the cluster offline: node 1 stops dlm_controld (no node has a lockspace
# now), asks for a mount, and starts the daemon again
if [ "$LAB_STACK" = ours ] && [ "$NODE" = 1 ]; then
	# the daemon, not its fence helper (a child named alike: session 11
	# 6.1 run 20261127-101518 stopped only the helper)
	pid=
	for p in /proc/[0-9]*; do
		[ "$(cat $p/comm 2>/dev/null)" = dlm_controld ] || continue
		pp=$(awk '/^PPid:/ { print $2 }' $p/status 2>/dev/null)
		[ "$(cat /proc/$pp/comm 2>/dev/null)" = dlm_controld ] ||
			pid=${p#/proc/}
	done
	[ -n "$pid" ] || fail "no dlm_controld"
	kill $pid
	i=0
	while kill -0 $pid 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 30 ] || fail "dlm_controld does not stop"
		sleep 1
	done
	# a helper left behind would keep the name taken
	i=0
	while [ -n "$(dlmc_pids)" ]; do
		i=$((i + 1))
		[ $i -lt 10 ] || fail "a dlm_controld helper stays after the daemon"
		[ $i != 5 ] || kill $(dlmc_pids) 2>/dev/null || true
		sleep 1
	done
	if kmount /dev/vda; then umount $M; fail "mounted with dlm_controld stopped"; fi
	said "not online\|dlm_controld is not running"
	say "mount with the cluster offline refused: $(dmesg | grep 'not online' | tail -1)"
	dlm_controld || fail "dlm_controld does not start again"
	i=0
	until grep -qs 1 /sys/kernel/config/dlm/cluster/comms/*/local; do
		i=$((i + 1))
		[ $i -lt 120 ] || fail "dlm_controld did not configure fs/dlm again"
		sleep 0.5
	done
	# the daemon may still be joining its groups: a few tries
	i=0
	until kmount /dev/vda; do
		i=$((i + 1))
		[ $i -lt 10 ] || fail "mount once dlm_controld runs again"
		sleep 3
	done
	umount $M
	say "dlm_controld back, the volume mounts"
fi
lab-barrier done
say "all refusals clean"
exit 0
