#!/bin/sh
# append-dio across nodes: a cluster volume (pcmk in a --cluster user run,
# else o2cb) with the append-dio feature, every
# taking node appends records of 4096 bytes to ONE shared file with
# O_APPEND|O_DIRECT at the same time (lab-appendio), and to a file of its
# own; then every node reads both back through the page cache: the shared
# file holds every node's records, each whole and exactly once (none torn,
# none written over: each append must see the size another node's append
# left), its size the sum.  Then a clean unmount and stock fsck -fn.
# Arguments: the node numbers taking part (default all; the first
# formats, the others leave it at once), as cluster/19.
# Run: tests/lab/run --cluster user --stack ours,stock --nodes 2 --disk 1G
#      --timeout 300 THIS      (any mix of stacks)
set -e
. lab-cluster-lib
dev=/dev/vda
M=/mnt/ocfs2
COUNT=256
cl_group "$@"
tags=
for n in $group; do tags="$tags node$n"; done
say "taking part with nodes $group"
if [ "$NODE" = "$first" ]; then
	echo y | $mkfs -q -F -N 4 $stack \
		--fs-features=append-dio $dev
	$dbg -R stats $dev | grep -i "feature" | tee /tmp/ad-features
	grep -q "append-dio" /tmp/ad-features || fail "no append-dio feature"
fi
lab-barrier ad-formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
lab-barrier ad-mounted
t0=$(date +%s)
lab-appendio write $M/own.$NODE node$NODE $COUNT || fail "own file"
lab-appendio write $M/shared node$NODE $COUNT || fail "shared appends"
say "appended $COUNT records to the shared file ($(($(date +%s) - t0)) s)"
lab-barrier ad-written
size=$(stat -c %s $M/shared)
want=$((COUNT * 4096 * nodes))
[ "$size" = "$want" ] || fail "shared file size $size, want $want"
lab-appendio check $M/shared $COUNT $tags || fail "shared file"
for n in $group; do
	lab-appendio check $M/own.$n $COUNT node$n > /dev/null ||
		fail "node$n's own file"
done
say "shared file: $size bytes, every node's records whole; own files checked"
lab-barrier ad-checked
umount $M || fail "umount"
lab-barrier ad-unmounted
if [ "$NODE" = "$first" ]; then
	$fsck -fn $dev || fail "fsck"
fi
say "all checks passed"
exit 0
