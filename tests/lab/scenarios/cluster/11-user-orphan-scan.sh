#!/bin/sh
# The periodic orphan scan (fs/orphan_scan.c; NOT YET RUN IN THE LAB).
# Three of our nodes on one pcmk volume, the scan every 10 s
# (orphan_scan_secs).  Node 2 holds a file open; node 0 unlinks it: the
# inode goes to node 0's orphan directory and stays (node 2 still has it
# open).  Node 2 is then killed: its open lock goes with it, but the
# inode is in node 0's orphan directory, which node 2's recovery does not
# look at, and node 0 already let its inode go.  Only the orphan scan
# finds it: within a few periods one of the survivors must log that it
# recovered it; after unmount the orphan directories are empty and stock
# fsck -fn is clean.  Kills a node: last in a set.
# Run: tests/lab/run --cluster user --stack ours --nodes 3 --disk 1G
#      --timeout 300 THIS
set -e
modprobe ocfs2 2>/dev/null || true
for p in cluster_mounts:1 orphan_scan_secs:10; do
	f=/sys/module/ocfs2/parameters/${p%%:*}
	[ -w "$f" ] && echo "${p#*:}" > "$f"
done
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)
sdebugfs() { stock-debugfs.ocfs2 -R "$1" $dev 2>/dev/null; }

[ "$NODES" = 3 ] || fail "wants 3 nodes"
grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$LAB_STACK" = ours ] || fail "wants our module on every node"
[ "$(cat /sys/module/ocfs2/parameters/orphan_scan_secs)" = 10 ] ||
	fail "orphan_scan_secs cannot be set"
[ "$NODE" = 0 ] && echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
lab-barrier os-formatted
mount -t ocfs2 $dev $M 2>/dev/null || { mkdir -p $M; mount -t ocfs2 $dev $M; } || fail "mount"
[ "$NODE" = 0 ] && echo keep > $M/held && stat -c %i $M/held > $R/os.ino
lab-barrier os-made
if [ "$NODE" = 2 ]; then
	sleep 3600 < $M/held &
	say "holding $M/held open"
fi
lab-barrier os-open
ino=$(cat $R/os.ino)
if [ "$NODE" = 0 ]; then
	rm -f $M/held
	sync
	say "unlinked inode $ino while node2 holds it open"
fi
lab-barrier os-unlinked
[ "$NODE" = 2 ] && { sleep 600; exit 1; }
if [ "$NODE" = 0 ]; then
	sleep 2
	lab-ctl kill 2
	if ! corosync-quorumtool -s 2>/dev/null | grep -Eq '^Quorate: +Yes'; then
		corosync-quorumtool -e 2 > /dev/null || true
	fi
fi
# node 2's recovery, then the scan (10 s + up to 5 s, a few periods)
i=0
until dmesg | grep -q "recovering [0-9]* orphan inode"; do
	sleep 5
	i=$((i + 5))
	[ -e $R/os.found ] && break
	[ $i -lt 150 ] || fail "no orphan scan recovered inode $ino within 150 s"
done
dmesg | grep -q "recovering [0-9]* orphan inode" && echo "node$NODE after ${i} s" >> $R/os.found
lab-barrier os-scanned
say "an orphan scan recovered the orphan: $(tr '\n' ' ' < $R/os.found)"
umount $M || fail "umount"
lab-barrier os-unmounted
if [ "$NODE" = 0 ]; then
	for s in 0000 0001 0002 0003; do
		n=$(sdebugfs "ls //orphan_dir:$s" | grep -vc '\.$' || true)
		[ "$n" = 0 ] || fail "orphan_dir:$s still has $n entries: $(sdebugfs "ls //orphan_dir:$s" | tr '\n' ' ')"
	done
	$fsck -fn $dev > /tmp/fsck.out 2>&1 </dev/null || { cat /tmp/fsck.out; fail "stock fsck -fn"; }
	say "orphan directories empty, stock fsck -fn clean"
fi
