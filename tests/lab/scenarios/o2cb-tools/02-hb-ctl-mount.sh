#!/bin/sh
# Our ocfs2_hb_ctl and mount.ocfs2 against the stock ones, on one cluster.
#   --stack stock: ours passed with --add (in /usr/local/bin), stock under
#     the standard names; the stock kernel mounts over the heartbeat ours
#     started, and its unmount stops it with the stock ocfs2_hb_ctl.
#   --stack ours: ours under the standard names on our node manager, stock
#     as stock-*; the cluster-mount steps are skipped (our filesystem does
#     not mount clustered volumes yet), heartbeat is checked both ways.
#   tests/lab/run --nodes 2 --disk 1G --disk 256M \
#     --add tools/hb_ctl/ocfs2_hb_ctl --add tools/mount/mount.ocfs2 \
#     tests/lab/scenarios/o2cb-tools/02-hb-ctl-mount.sh
# Checked: region layout identical to stock's (block_bytes, start_block,
# blocks), one shared reference count (stock -I sees our -S and the other
# way round, the last -K removes the region), the same messages and exit
# codes for bad input, mount options in /proc/mounts, heartbeat stopped
# again when mount(2) fails, nothing left behind by refused mounts.
set -eux
fail() { echo "FAIL: $*"; exit 1; }
ours() { if [ -x /usr/local/bin/$1 ]; then echo /usr/local/bin/$1; else echo /usr/sbin/$1; fi; }
HB=$(ours ocfs2_hb_ctl)
MNT=$(ours mount.ocfs2)
SHB=/usr/sbin/stock-ocfs2_hb_ctl
SMNT=/usr/sbin/stock-mount.ocfs2
MKFS=/usr/sbin/stock-mkfs.ocfs2
C=/sys/kernel/config/cluster/lab
dev=/dev/vda
ldev=/dev/vdb
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
echo "node$NODE stack $LAB_STACK: ours $HB $MNT"
clustered_fs=1
[ "$LAB_STACK" = ours ] && clustered_fs=0

# same_run NAME CMD...: run CMD with our tool and the stock one (the
# command names @HB@ or @MNT@), compare output and exit code.
same_run() {
	name=$1; shift
	o=$(echo "$*" | sed "s|@HB@|$HB|;s|@MNT@|$MNT|")
	s=$(echo "$*" | sed "s|@HB@|$SHB|;s|@MNT@|$SMNT|")
	ro=$(set +e; sh -c "$o" 2>&1; echo "rc=$?")
	rs=$(set +e; sh -c "$s" 2>&1; echo "rc=$?")
	ro=$(echo "$ro" | sed "s|$HB|ocfs2_hb_ctl|g;s|$MNT|mount.ocfs2|g")
	rs=$(echo "$rs" | sed "s|$SHB|ocfs2_hb_ctl|g;s|$SMNT|mount.ocfs2|g;s|stock-||g")
	if [ "$ro" = "$rs" ]; then
		echo "same ($name): $(echo "$ro" | tr '\n' '|')"
	else
		echo "DIFF ($name):"; echo " ours:  $ro"; echo " stock: $rs"
		return 1
	fi
}
attrs() { echo "$(cat $1/block_bytes) $(cat $1/start_block) $(cat $1/blocks)"; }
no_region() { [ ! -d $C/heartbeat/$1 ] || fail "region $1 left behind ($2)"; }

if [ "$NODE" = 0 ]; then
	$MKFS -q -F -N 2 -L cvol --cluster-stack=o2cb --cluster-name=lab $dev
	$MKFS -q -F -M local -L lvol $ldev
fi
lab-barrier formatted
uuid=$(blkid -o value -s UUID $dev | tr -d - | tr a-f A-F)
luuid=$(blkid -o value -s UUID $ldev | tr -d - | tr a-f A-F)
R=$C/heartbeat/$uuid

if [ "$NODE" = 0 ]; then
	# --- ocfs2_hb_ctl: layout and the shared reference count
	same_run refs0 "@HB@ -I -d $dev"
	same_run refs0u "@HB@ -I -u $uuid"
	$SHB -S -d $dev stocksvc
	stock_layout=$(attrs $R)
	$SHB -K -d $dev stocksvc
	no_region $uuid "stock -K"
	$HB -S -d $dev oursvc
	[ "$(attrs $R)" = "$stock_layout" ] || fail "layout $(attrs $R), stock $stock_layout"
	echo "ok: region layout (block_bytes start_block blocks) $stock_layout as stock"
	[ "$(cat $R/pid)" -gt 0 ] || fail "no heartbeat thread"
	[ "$($SHB -I -d $dev)" = "$uuid: 1 refs" ] || fail "stock sees $($SHB -I -d $dev)"
	$SHB -S -d $dev stocksvc
	$HB -S -u $uuid oursvc2
	[ "$($HB -I -u $uuid)" = "$uuid: 3 refs" ] || fail "ours sees $($HB -I -u $uuid)"
	$HB -K -u $uuid oursvc2
	$SHB -K -d $dev stocksvc
	[ -d $R ] || fail "region gone with a reference left"
	$HB -K -d $dev oursvc
	no_region $uuid "last -K"
	[ "$($SHB -I -d $dev)" = "$uuid: 0 refs" ] || fail "refs after last -K"
	echo "ok: reference count shared with stock, last -K removes the region"
	# -P: ionice for the heartbeat thread.  ionice(1) is absent in the
	# lab: both exit 1; stock silently, ours saying so.
	$HB -S -d $dev oursvc
	$HB -P -d $dev -n 3 && fail "-P without ionice succeeded"
	$SHB -P -d $dev -n 3 && fail "stock -P without ionice succeeded"
	$HB -K -d $dev oursvc
	# --- bad input
	same_run usage "@HB@ -S -d $dev"
	same_run both "@HB@ -I -d $dev -u $uuid"
	same_run noaction "@HB@ -d $dev"
	same_run badopt "@HB@ -Z"
	same_run notocfs2 "@HB@ -S -d /dev/null svc" || true	# wording: see log
	same_run nodev "@HB@ -S -d /dev/nonexist svc" || true
	$HB -S -d /dev/null svc && fail "heartbeat on /dev/null"
	no_region $uuid "bad input"
	# local-mount volume: no heartbeat to start
	if $HB -S -d $ldev svc 2>&1; then fail "heartbeat on a local-mount volume"; fi
	no_region $luuid "local volume"
fi
lab-barrier hbctl-done

# --- mount.ocfs2 on the clustered volume, both nodes
mkdir -p /mnt/c /mnt/l
if [ $clustered_fs = 1 ]; then
	$MNT $dev /mnt/c
	grep " /mnt/c " /proc/mounts
	grep " /mnt/c " /proc/mounts | grep -q "heartbeat=local" || fail "no heartbeat=local"
	[ "$($SHB -I -d $dev)" = "$uuid: 1 refs" ] || fail "mount refs $($SHB -I -d $dev)"
	echo "node$NODE" > /mnt/c/n$NODE
	lab-barrier written
	[ "$(cat /mnt/c/n0)" = node0 ] && [ "$(cat /mnt/c/n1)" = node1 ] || fail "cross-node read"
	lab-barrier read
	umount /mnt/c
	no_region $uuid "umount (kernel runs ocfs2_hb_ctl -K)"
	echo "ok: cluster mount over our heartbeat, both nodes, unmount stopped it"
	lab-barrier unmounted
fi

if [ "$NODE" = 0 ]; then
	# the same region layout and options as stock mount.ocfs2
	if [ $clustered_fs = 1 ]; then
		$SMNT $dev /mnt/c
		sopts=$(grep " /mnt/c " /proc/mounts | cut -d' ' -f4)
		umount /mnt/c
		$MNT $dev /mnt/c
		oopts=$(grep " /mnt/c " /proc/mounts | cut -d' ' -f4)
		umount /mnt/c
		[ "$sopts" = "$oopts" ] || fail "options '$oopts', stock '$sopts'"
		echo "ok: mount options as stock: $oopts"
		$MNT -o noatime,_netdev $dev /mnt/c
		grep " /mnt/c " /proc/mounts | grep -q noatime || fail "noatime lost"
		$MNT -o remount,ro $dev /mnt/c
		grep " /mnt/c " /proc/mounts | grep -q " ro," || fail "remount ro"
		umount /mnt/c
		no_region $uuid "remount"
		# mount(2) refusing: heartbeat stopped again
		same_run badopt-mount "@MNT@ -o bogus_option $dev /mnt/c"
		no_region $uuid "failed mount(2)"
		[ "$($SHB -I -d $dev)" = "$uuid: 0 refs" ] || fail "refs after failed mount"
	fi
	# local-mount volume: straight through, no heartbeat
	$MNT $ldev /mnt/l
	grep " /mnt/l " /proc/mounts
	for r in $C/heartbeat/*; do
		if [ -d "$r" ]; then fail "heartbeat started for a local volume: $r"; fi
	done
	echo local > /mnt/l/f
	umount /mnt/l
	$SMNT $ldev /mnt/l
	[ "$(cat /mnt/l/f)" = local ] || fail "local volume content"
	sopts=$(grep " /mnt/l " /proc/mounts | cut -d' ' -f4)
	umount /mnt/l
	$MNT $ldev /mnt/l
	oopts=$(grep " /mnt/l " /proc/mounts | cut -d' ' -f4)
	umount /mnt/l
	[ "$sopts" = "$oopts" ] || fail "local options '$oopts', stock '$sopts'"
	echo "ok: local-mount volume as stock: $oopts"
	# bad input, compared with stock
	same_run nodir "@MNT@ $dev /mnt/nonexist" || true	# stock exits 0 here
	same_run notocfs2 "@MNT@ /dev/null /mnt/c"
	same_run nomntpt "@MNT@ $dev"
	# formatting for another cluster than the running one asks even with -F
	echo y | $MKFS -q -F -N 2 -L other --cluster-stack=o2cb --cluster-name=other $ldev
	if $MNT $ldev /mnt/l; then fail "mounted another cluster's volume"; fi
	no_region "$(blkid -o value -s UUID $ldev | tr -d - | tr a-f A-F)" "wrong cluster"
	echo "stock says: $($SMNT $ldev /mnt/l 2>&1 || true)"
	grep -q " /mnt/l " /proc/mounts && fail "something mounted"
	echo "ok: bad input refused, nothing left behind"
fi
lab-barrier mount-done

# --- cluster offline: a clear refusal (node0 only, after node1 is done)
if [ "$NODE" = 0 ]; then
	umount /dlm 2>/dev/null || true
	o2cb unregister-cluster lab || stock-o2cb unregister-cluster lab
	out=$($MNT $dev /mnt/c 2>&1) && fail "mounted with the cluster offline"
	echo "$out"
	echo "$out" | grep -q "Cluster not online" || fail "offline message"
	echo "stock says: $($SMNT $dev /mnt/c 2>&1 || true)"
	$HB -S -d $dev svc && fail "heartbeat started with the cluster offline"
	echo "stock ocfs2_hb_ctl says: $($SHB -S -d $dev svc 2>&1; echo "rc=$?")"
	grep -q " /mnt/c " /proc/mounts && fail "mounted with the cluster offline"
fi
echo "node$NODE: done"
