#!/bin/sh
# Our o2cb drives the stock node manager: the lab registered the cluster
# with stock o2cb; ours reports it, unregisters it, registers it again from
# cluster.conf, and the stock filesystem then mounts on both nodes over
# the cluster our tool set up.  Our o2cb is passed with --add (it lands in
# /usr/local/bin, ahead of /usr/sbin in PATH, so the lab's own bring-up
# already uses it); the stock one stays as stock-o2cb.
set -e
ours=/usr/local/bin/o2cb
stock=/usr/sbin/stock-o2cb
c=/sys/kernel/config/cluster/lab

echo "stock cluster-status: $($stock cluster-status lab 2>&1; echo rc=$?)"
echo "ours  cluster-status: $($ours cluster-status lab 2>&1; echo rc=$?)"
$ours cluster-status lab
! $ours cluster-status other
lab-barrier status-read

$ours unregister-cluster lab
test ! -d $c
! $ours cluster-status lab
$ours register-cluster lab
test "$(cat $c/node/node$NODE/local)" = 1
test "$(cat $c/node/node$NODE/num)" = "$NODE"
test "$(cat $c/node/node$NODE/ipv4_address)" = "10.77.0.$((10 + NODE))"
test "$(cat $c/node/node$NODE/ipv4_port)" = 7777
test "$(cat $c/heartbeat/mode)" = local
$ours -v cluster-status lab
# Registering again is an update, not an error.
$ours register-cluster lab
# Bad input: unknown cluster, and a second cluster while one is registered.
! $ours register-cluster nosuch
$ours --config-file=/tmp/other.conf add-cluster other
$ours --config-file=/tmp/other.conf add-node other node$NODE --ip 10.77.0.99
! $ours --config-file=/tmp/other.conf register-cluster other
echo 31 > $c/heartbeat/dead_threshold
lab-barrier reregistered

if [ "$NODE" = 0 ]; then
	mkfs.ocfs2 -q -F -N "$NODES" --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
lab-barrier formatted
mkdir -p /mnt/v
mount -t ocfs2 /dev/vda /mnt/v
echo "node$NODE" > /mnt/v/n$NODE
lab-barrier written
test "$(cat /mnt/v/n0)" = node0
test "$(cat /mnt/v/n1)" = node1
lab-barrier read
umount /mnt/v
lab-barrier unmounted
# Unregistering while heartbeat is gone works; with the region up it must
# refuse (checked before umount would need a live region: skipped here).
