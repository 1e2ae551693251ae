#!/bin/sh
# Cluster mounts that must be refused, each with a kernel message saying
# what to do, and nothing left behind: a volume of another cluster name,
# a stack option that does not match the volume, a full slot map (one
# slot, two nodes), and a mount with the cluster's DLM daemon stopped.
# The kernel is asked directly (mount -i) so the refusal is the module's.
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G
#      --timeout 200 THIS
set -e
# The project's module takes cluster mounts only when asked (experimental).
modprobe ocfs2 2>/dev/null || true
p=/sys/module/ocfs2/parameters/cluster_mounts
if [ -w $p ]; then echo 1 > $p; fi
R=$LAB_RESULTS
M=/mnt/ocfs2
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -20; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)
kmount() { mount -i -t ocfs2 -o "cluster_stack=pcmk${2:+,$2}" "$1" $M; }
# the last kernel lines must say $1
said() { dmesg | tail -8 | grep -q "$1" || fail "no message matching '$1'"; }

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
mkdir -p $M
if [ "$NODE" = 0 ]; then
	$mkfs -q -F -N 2 --cluster-stack=pcmk --cluster-name=other /dev/vda
	if kmount /dev/vda; then umount $M; fail "wrong cluster name mounted"; fi
	said "cluster name"
	say "wrong cluster name refused"
	$mkfs -q -F -N 2 --cluster-stack=pcmk --cluster-name=lab /dev/vda
	if mount -i -t ocfs2 -o cluster_stack=o2cb /dev/vda $M; then
		umount $M; fail "wrong stack option mounted"
	fi
	said "cluster stack"
	say "wrong stack option refused"
	$mkfs -q -F -N 1 --cluster-stack=pcmk --cluster-name=lab /dev/vdb
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
lab-barrier done
say "all refusals clean"
exit 0
