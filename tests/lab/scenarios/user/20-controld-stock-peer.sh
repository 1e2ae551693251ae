#!/bin/sh
# ocfs2_controld next to dlm_controld on every node (--cluster user, 3
# nodes): it starts, negotiates the locking protocol, rejects garbage and
# out-of-order messages on its socket (and the kernel rejects garbage on
# /dev/ocfs2_control), joins the volume's group when a user-stack volume
# is mounted, reports a killed node known fenced only after dlm_controld
# removed it, survives a corosync restart, and exits on SIGTERM.
# With the argument "nomount" the volume part (mount, kill, DOWN) is left
# out, for stacks whose filesystem cannot cluster-mount yet (--stack ours).
# Run: tests/lab/run --cluster user --nodes 3 --disk 1G \
#        --add ocfs2_controld/ocfs2_controld --add tests/lab/scenarios/user/controld-lib.sh \
#        tests/lab/scenarios/user/20-controld-stock-peer.sh
set -e
. /usr/local/bin/controld-lib.sh
dev=/dev/vda
[ "$NODES" -eq 3 ] || { echo "wants 3 nodes"; exit 77; }
grep -q '^user pcmk' /run/lab-stack
controld_start
lab-barrier started

# -- bad input on the socket --
UUID0=00000000000000000000000000000000
expect_reply "ITEM lab" "LISTCLUSTERS "
expect_reply "STATUS 74 Bad message: unknown message" "HELLO world"
expect_reply "STATUS 74 Bad message: unknown message" "GARBAGE_WITHOUT_SPACE"
expect_reply "STATUS 74" "@bytes:256"
expect_reply "STATUS 74 Bad message: too few arguments" "MOUNT ocfs2 $UUID0"
expect_reply "STATUS 22 No mount of $UUID0 in progress" "MRESULT ocfs2 $UUID0 0 /mnt"
expect_reply "STATUS 22 STATUS is a reply" "STATUS 0 OK"
expect_reply "STATUS 22 Invalid cluster name other" "MOUNT ocfs2 $UUID0 other /dev/vda /mnt"
expect_reply "STATUS 22 Invalid volume UUID" "MOUNT ocfs2 not-a-uuid lab /dev/vda /mnt"
expect_reply "STATUS 22 Invalid filesystem type" "UNMOUNT ext4 $UUID0 /mnt"
expect_reply "STATUS 2 Volume $UUID0 is not mounted" "UNMOUNT ocfs2 $UUID0 /mnt"
controld-client "@bytes:100" > /dev/null	# half a message, then hang up
alive
echo "socket: garbage and out-of-order messages rejected, daemon alive"

# -- bad input on /dev/ocfs2_control (the kernel's side) --
if sh -c 'printf "GARBAGE\n" >&3' 3<>/dev/misc/ocfs2_control 2>/dev/null; then
	echo "garbage accepted by /dev/ocfs2_control"; exit 1
fi
if sh -c 'printf "DOWN 00000000000000000000000000000000 00000002\n" >&3' 3<>/dev/misc/ocfs2_control 2>/dev/null; then
	echo "DOWN before the handshake accepted by /dev/ocfs2_control"; exit 1
fi
alive
echo "control device: garbage rejected"
lab-barrier badinput

mode=${1:-mount}
if [ "$mode" = nomount ]; then
	lab-barrier unmounted
else
# -- a volume mounted with the stock tools joins its group --
if [ "$NODE" = 0 ]; then
	mkfs.ocfs2 -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab "$dev"
fi
lab-barrier formatted
uuid=$(blkid -o value -s UUID "$dev" | tr -d - | tr a-f A-F)
echo "volume $uuid"
mkdir -p /mnt/ocfs2
mount -t ocfs2 "$dev" /mnt/ocfs2
wait_log "group $uuid: joined" 30
if grep -q "client .*: mount of $uuid" "$CTLOG"; then
	echo "mount.ocfs2 asked the daemon (client protocol)"
else
	echo "mount.ocfs2 did not ask the daemon; mount adopted from the mount table"
fi
expect_reply "ITEM $uuid" "LISTFS ocfs2 lab"
expect_reply "ITEM /mnt/ocfs2" "LISTMOUNTS ocfs2 $uuid"
lab-barrier mounted
echo "from node$NODE" > /mnt/ocfs2/n$NODE
sync
lab-barrier written

# -- node 2 (corosync node id 3) dies; DOWN only after dlm_controld let go --
if [ "$NODE" = 2 ]; then
	sleep 3600	# killed by node0
fi
[ "$NODE" = 0 ] && lab-ctl kill 2
wait_log "node 3 is gone" 60
wait_log "node 3 known fenced (dlm_controld removed it from the lockspace)" 90
# reported after dlm_controld dropped node 3 from the lockspace
test ! -e /sys/kernel/config/dlm/cluster/spaces/$uuid/nodes/3
alive
lab-barrier recovered
echo "after node2 died, node$NODE" > /mnt/ocfs2/after$NODE
sync
lab-barrier written2
cat /mnt/ocfs2/after0 /mnt/ocfs2/after1 /mnt/ocfs2/n2
umount /mnt/ocfs2
wait_log "volume $uuid: left its group" 30
lab-barrier unmounted
fi

# -- corosync restart on node1 (nothing mounted): the daemon reconnects --
if [ "$NODE" = 1 ]; then
	corosync-cfgtool -H --force || kill "$(cat /run/corosync.pid 2>/dev/null || pidof corosync)"
	wait_log "lost corosync" 30
	i=0
	while pidof corosync > /dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.2
	done
	sleep 2
	corosync
	wait_log "corosync is back" 60
	alive
	expect_reply "ITEM lab" "LISTCLUSTERS "
fi
lab-barrier restarted

kill -TERM $CTPID
wait $CTPID || true
wait_log "exiting: SIGTERM" 10
echo "daemon log:"
sed 's/^/  /' "$CTLOG"
exit 0
