#!/bin/sh
# The periodic orphan scan (fs/orphan_scan.c, the 'P' lock).  Our nodes
# scan every 10 s (orphan_scan_secs; its default, 300 as stock's, is
# checked first and restored at the end).  HOLDER (default 2; ours) holds a
# 100 KiB file open; UNLINKER (default 0; ours) unlinks it: the inode
# goes to UNLINKER's orphan directory and must stay while HOLDER has it
# open.  Once the 'P' lock's sequence number moved on by 2 (a scan of
# every slot began after the unlink): no node logged a deletion and
# HOLDER reads the file back intact after dropping its caches.  Then
# HOLDER is killed (lab-ctl kill: a crash, no restart: in session 10 the
# restarted node's boot starved the survivors at the moment corosync
# re-formed its ring, both were left in rings of their own and
# dlm_controld removed one as a "stateful merge" member, whose umount
# then hung in fs/dlm; so this scenario comes last in a set): its open
# lock goes with it, but the inode sits in UNLINKER's orphan directory,
# which HOLDER's slot recovery does not look at, and UNLINKER let its
# inode go long ago.  Only the scan finds it: within 150 s one of our
# survivors logs "orphan scan: deleted 1 orphan inode(s) of slot S".
# OBSERVER (optional; a stock node) mounts too and waits for its own
# scan turn (stock scans every 300-305 s, not tunable): stock's fs_state
# must show a sequence number our nodes left in the lock value block
# (>= 3: one it could not read would give it 1) and no scan of its own
# (Local: 0).  Every other node of ours mounts and scans too; other stock
# nodes only wait.  The other nodes unmount before UNLINKER, which must
# have logged one node-down (the crash) and no recovery for the clean
# unmounts.  After unmount every orphan directory is empty (stock
# debugfs) and stock fsck -fn is clean.
# Each node's corosync log is copied to results/corosync.nodeN.log.
# Run (a 10 s corosync token: with 3 s a restart at host load ~20 lost
# every member in session 8; session 10 runs 20261127-083951 (6.1) and
# -084304 (6.12) split the survivors as said above):
#      LAB_COROSYNC_TOKEN_MS=10000 LAB_COROSYNC_JOIN_MS=1000 tests/lab/run --cluster user
#      --stack ours --nodes 3 --disk 1G --timeout 400 THIS
#      tests/lab/run --cluster user --stack ours,ours,stock --nodes 3
#      --disk 1G --timeout 700 THIS 1,0,2          (with the stock observer)
set -e
lab-cluster-mounts
os_param=/sys/module/ocfs2/parameters/orphan_scan_secs
os_default=$(cat $os_param 2>/dev/null || true)
[ ! -w $os_param ] || echo 10 > $os_param
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
say() { echo "node$NODE ($LAB_STACK): $*"; }
keep_corosync_log() {
	cp /var/log/corosync/corosync.log $R/corosync.node$NODE.log 2>/dev/null || true
}
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; keep_corosync_log; exit 1; }
sdebugfs() { stock-debugfs.ocfs2 -R "$1" $dev 2>/dev/null; }
set -- $*
holder=${1:-2}
unlinker=${2:-0}
observer=${3:-}

# the 'P' lock's sequence number in this node's copy of its value block
pseq() {
	awk '$2 ~ /^P0/ { print $11, $15, $16, $17, $18 }' \
		/sys/kernel/debug/ocfs2/*/locking_state 2>/dev/null | {
		read -r v a b c d || { echo -1; return; }
		[ $((v & 255)) = 1 ] || { echo -1; return; }
		echo $(((a & 255) << 24 | (b & 255) << 16 | (c & 255) << 8 | (d & 255)))
	}
}
# the kernel log since this scenario began (a set runs others before)
d0=$(dmesg | wc -l)
newlog() { dmesg | tail -n +$((d0 + 1)); }
# stock's own view: "OrphanScan => Local: L  Global: G  Last Scan: ..."
stock_os() { grep -h "OrphanScan" /sys/kernel/debug/ocfs2/*/fs_state 2>/dev/null; }

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$holder" != "$unlinker" ] || fail "HOLDER and UNLINKER are one node"
mounts=
if [ "$LAB_STACK" = ours ]; then
	# the scan is on by default, every 300 s as stock's
	[ "$os_default" = 300 ] || fail "orphan_scan_secs defaults to '$os_default', not 300"
	[ "$(cat $os_param)" = 10 ] || fail "orphan_scan_secs cannot be set"
	mounts=1
elif [ "$NODE" = "$observer" ]; then
	mounts=1
fi
if [ "$NODE" = "$holder" ] || [ "$NODE" = "$unlinker" ]; then
	[ "$LAB_STACK" = ours ] || fail "HOLDER and UNLINKER must be ours"
fi
[ "$NODE" = 0 ] && echo y | stock-mkfs.ocfs2 -q -F -N 8 --cluster-stack=pcmk --cluster-name=lab $dev
lab-barrier os-formatted
mkdir -p $M
if [ -n "$mounts" ]; then
	mount -t ocfs2 $dev $M || fail "mount"
	date +%s > /tmp/os.mounted
fi
if [ "$NODE" = "$unlinker" ]; then
	head -c 102400 /dev/urandom > $M/held
	sync
	md5sum < $M/held > $R/os.md5
	stat -c %i $M/held > $R/os.ino
fi
lab-barrier os-made
if [ "$NODE" = "$holder" ]; then
	sleep 100000 < $M/held &
	echo $! > /tmp/os.pid
	say "holding $M/held open"
fi
lab-barrier os-open
ino=$(cat $R/os.ino)
if [ "$NODE" = "$unlinker" ]; then
	rm -f $M/held
	sync
	# our copy of the number is at least the cluster's once this node
	# has had its turn since the unlink (every 10-15 s): any scan that
	# moves it on from there began after the unlink
	sleep 16
	# a value block only once some node has let the lock go
	i=0
	until [ "$(pseq)" -ge 0 ]; do
		i=$((i + 1))
		[ $i -lt 90 ] || fail "no orphan-scan lock value block here"
		sleep 1
	done
	s0=$(pseq)
	say "unlinked inode $ino while node$holder holds it open; scan seqno $s0"
	i=0
	until [ "$(pseq)" -ge $((s0 + 2)) ]; do
		i=$((i + 1))
		[ $i -lt 120 ] || fail "the scan sequence number stays at $(pseq) (was $s0)"
		sleep 1
	done
	say "scan seqno $s0 -> $(pseq) in ~${i} s"
fi
lab-barrier os-kept
# a scan logs only what it deleted: nothing while the holder lives
if [ "$LAB_STACK" = ours ] && newlog | grep -q "orphan scan: deleted"; then
	fail "a scan deleted an orphan while node$holder held it open: $(newlog | grep 'orphan scan')"
fi
if [ "$NODE" = "$holder" ]; then
	echo 3 > /proc/sys/vm/drop_caches
	[ "$(md5sum < /proc/$(cat /tmp/os.pid)/fd/0)" = "$(cat $R/os.md5)" ] ||
		fail "the open orphan no longer reads back"
	say "the open orphan reads back intact after the scans"
fi
lab-barrier os-checked
if [ "$NODE" = "$unlinker" ]; then
	alive=$(corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ ')
	lab-ctl kill "$holder"
	say "killed node$holder (a crash)"
	# a set may have killed nodes before: keep the survivors quorate
	i=0
	until [ "$(corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ ')" -lt "$alive" ]; do
		i=$((i + 1))
		[ $i -lt 60 ] || break
		sleep 1
	done
	if ! corosync-quorumtool -s 2>/dev/null | grep -Eq '^Quorate: +Yes'; then
		corosync-quorumtool -e $((alive - 1)) > /dev/null ||
			fail "cannot set expected votes to $((alive - 1))"
	fi
fi
# the holder is killed here; it never gets past this line
[ "$NODE" = "$holder" ] && { sleep 600; exit 1; }
# the scan's deletion is logged by one of our survivors
if [ "$LAB_STACK" = ours ]; then
	i=0
	until newlog | grep -q "orphan scan: deleted"; do
		[ -z "$(ls $R/os.found.* 2>/dev/null)" ] || break
		i=$((i + 5))
		[ $i -lt 150 ] || fail "no orphan scan deleted inode $ino within 150 s"
		sleep 5
	done
	if newlog | grep -q "orphan scan: deleted"; then
		newlog | grep "orphan scan: deleted" > $R/os.found.$NODE
		say "~${i} s after the crash: $(cat $R/os.found.$NODE)"
	fi
fi
lab-barrier os-gone
if [ "$NODE" = "$observer" ]; then
	# stock's first turn comes 300-305 s after its mount
	t=$(( $(cat /tmp/os.mounted) + 330 ))
	until stock_os | grep -Eq "Global: [1-9]"; do
		[ "$(date +%s)" -lt $t ] || fail "no stock scan turn: $(stock_os)"
		sleep 5
	done
	stock_os | tee $R/os.stock
	grep -q "Local: 0 " $R/os.stock ||
		fail "stock scanned itself although our nodes moved the number on"
fi
lab-barrier os-observed
if [ "$NODE" = "$unlinker" ]; then
	ls $R/os.found.* > /dev/null 2>&1 || fail "no node logged the orphan scan's deletion"
	if [ -n "$observer" ]; then
		g=$(sed -n 's/.*Global: *\([0-9]*\).*/\1/p' $R/os.stock)
		# a value block stock could not read would give it 1
		[ "$g" -ge 3 ] || fail "stock saw sequence number $g; ours is at $(pseq)"
		say "stock's scan turn read sequence number $g from our value block (ours now $(pseq))"
	fi
fi
# the others leave cleanly first: that must start no recovery here,
# where the holder's crash did (user stack: stack-user/su_members.c)
[ -z "$mounts" ] || [ "$NODE" = "$unlinker" ] || umount $M || fail "umount"
lab-barrier os-left
if [ "$NODE" = "$unlinker" ]; then
	sleep 3
	newlog | grep -E "left the cluster|without a failure report|recovering slot|slot [0-9]+ of node" > /tmp/os.leaves || true
	cat /tmp/os.leaves
	h=$((holder + 1))
	[ "$(grep -c "left the cluster" /tmp/os.leaves)" = 1 ] &&
		grep -q "node $h left the cluster" /tmp/os.leaves ||
		fail "want one node-down (node $h's crash), none for clean unmounts"
	grep -q "without a failure report" /tmp/os.leaves &&
		fail "a clean unmount went to recovery"
	grep -v "node $h" /tmp/os.leaves | grep -q "of node" &&
		fail "a slot other than node $h's was recovered"
	say "the crash started recovery; the clean unmounts did not"
	umount $M || fail "umount"
fi
lab-barrier os-unmounted
if [ "$NODE" = "$unlinker" ]; then
	for s in 0 1 2 3 4 5 6 7; do
		n=$(sdebugfs "ls //orphan_dir:000$s" | grep -vcE '[[:space:]]\.\.?$' || true)
		[ "$n" = 0 ] || fail "orphan_dir:000$s still has $n entries: $(sdebugfs "ls //orphan_dir:000$s" | tr '\n' ' ')"
	done
	stock-fsck.ocfs2 -fn $dev > /tmp/fsck.out 2>&1 </dev/null || { cat /tmp/fsck.out; fail "stock fsck -fn"; }
	say "orphan directories empty, stock fsck -fn clean"
fi
# scenarios after this one in a set mount with the module's default
if [ -w $os_param ] && [ -n "$os_default" ]; then echo "$os_default" > $os_param; fi
keep_corosync_log
