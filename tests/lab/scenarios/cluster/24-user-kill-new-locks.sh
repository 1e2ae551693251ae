#!/bin/sh
# A node dies while the others ask for locks they never had.  Every node
# creates files in a directory of its own and lists (ls -l, after
# dropping its caches) the other nodes' directories: each create and
# each inode read asks fs/dlm for new locks (meta, open, rw, dentry),
# whose masters it must look up, some on the node about to die.  Node 0
# kills the last node (then the one before it, V kills in all) in the
# middle of that.  fs/dlm stops the lock space for the membership change
# and the first requests wait, some far longer than the 5 s after which
# ocfs2.attach_direct used to cancel them: a first request cancelled
# while its master is being looked up again leaves fs/dlm's resource
# without a master, and the next request on it asserted
# "r->res_nodeid >= 0" (6.12 panic, lab run 20261127-114916).  Now a
# first request is never cancelled.  Checked: attach_direct is on by
# default on our nodes; the survivors see the death, the dead slot is
# recovered, its node's fsynced files read back intact, every survivor
# creates and lists again after the kill (the victim's directory too),
# no create failed, a clean unmount and stock fsck -fn.  Each node of
# ours logs how many first requests waited more than 5 s (lock_stats
# slow_attaches: the requests the old patience would have cancelled).
# Must come last in a set (it kills nodes).
# Run: LAB_COROSYNC_TOKEN_MS=10000 LAB_COROSYNC_JOIN_MS=1000 \
#      tests/lab/run --cluster user --stack ours --nodes 4 --disk 1G \
#      --timeout 600 THIS [V]       (V kills, default 1; the survivors
#      must stay a majority: 1 of 3 or 4 nodes, 2 of 5.  Run
#      20261127-140802 killed 2 of 4: quorum lost, fs/dlm stopped)
set -e
. lab-cluster-lib
. lab-slot-lib
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
V=${1:-1}
# the kernel's lines since this scenario began (a set ran others before)
mark="lab-cluster-24-begins-$$"
echo "$mark" > /dev/kmsg
kmsg() { dmesg | sed -n "/$mark/,\$p"; }
members() { corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ '; }

# sums DIR: one line per entry under DIR, with content hashes
sums() {
	(cd "$1" && find . | sort | while read -r f; do
		if [ -f "$f" ]; then echo "$f $(md5sum < "$f")"
		else echo "$f"; fi
	done)
}

# first requests of ours granted after more than 5 s, so far
slow() {
	[ "$LAB_STACK" = ours ] || { echo -; return; }
	cat /sys/kernel/debug/ocfs2/*/lock_stats 2>/dev/null |
		awk '$1 == "slow_attaches" { n += $2 } END { print n + 0 }'
}

# creates in $M/c$NODE until $R/24.stop$1 exists; 150 names a
# directory (an inline-indexed directory holds about 240)
storm() {
	i=0
	while [ ! -e "$R/24.stop$1" ]; do
		d=$M/c$NODE/d$((i / 150))
		[ $((i % 150)) != 0 ] || mkdir -p "$d"
		echo "$i" > "$d/f$i" 2>> "$R/24.err.$NODE" ||
			echo "node$NODE: create f$i failed at $(date +%s)" >> "$R/24.err.$NODE"
		i=$((i + 1))
	done
}

# lists the other live nodes' directories, caches dropped each pass, so
# every inode is read again under new locks
lister() {
	while [ ! -e "$R/24.stop$1" ]; do
		echo 2 > /proc/sys/vm/drop_caches
		for n in $(seq 0 $(($2 - 1))); do
			[ "$n" = "$NODE" ] || ls -lR "$M/c$n" > /dev/null 2>&1 || true
		done
	done
}

count() { find "$M/c$1" -type f | wc -l; }

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
# the survivors must stay a majority: corosync's quorum lets fs/dlm go on
if [ "$V" -lt 1 ] || [ $((2 * (NODES - V))) -le "$NODES" ]; then
	fail "$V kills for $NODES nodes: 1..$(((NODES - 1) / 2)) (a majority must survive)"
fi
if [ "$LAB_STACK" = ours ]; then
	p=/sys/module/ocfs2/parameters/attach_direct
	[ "$(cat $p)" = Y ] || fail "ocfs2.attach_direct is '$(cat $p)', not on by default"
	grep -q ' /sys/kernel/debug ' /proc/mounts ||
		mount -t debugfs none /sys/kernel/debug
fi
[ "$NODE" != 0 ] ||
	echo y | $mkfs -q -F -N $((NODES > 4 ? 8 : 4)) $stack $dev
lab-barrier formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
mkdir -p $M/c$NODE $M/v$NODE
# what a victim made durable before it dies
i=0
while [ $i -lt 8 ]; do
	head -c $((i * 7001 + 3)) /dev/urandom > /tmp/f
	dd if=/tmp/f of=$M/v$NODE/f$i conv=fsync 2>/dev/null
	i=$((i + 1))
done
sync
sums $M/v$NODE > $R/24.v$NODE.sums
[ "$NODE" != 0 ] || alive=$(members)
lab-barrier mounted

k=1
while [ $k -le "$V" ]; do
	victim=$((NODES - k))
	live=$((NODES - k + 1))
	storm $k &
	sp=$!
	lister $k $live &
	lp=$!
	lab-barrier storming$k
	if [ "$NODE" = 0 ]; then
		sleep 8
		lab-ctl kill $victim
		say "killed node$victim during the storm"
		i=0
		until [ "$(members)" = $((alive - k)) ]; do
			i=$((i + 1))
			[ $i -lt 90 ] || fail "corosync still lists node$victim"
			sleep 1
		done
		vnode=$((victim + 1))
		i=0
		while $dbg -R slotmap $dev 2>&1 |
			awk -v n=$vnode '$2 == n { f = 1 } END { exit !f }'; do
			i=$((i + 1))
			[ $i -lt 180 ] || fail "node$victim's slot not recovered after 180 s"
			sleep 1
		done
		say "node$victim's slot freed ~$i s after corosync dropped it"
		: > $R/24.recovered$k
	fi
	# the victim storms on until node 0 kills it
	[ "$NODE" != "$victim" ] || while :; do sleep 60; done
	w=0
	until [ -e $R/24.recovered$k ]; do
		w=$((w + 1))
		[ $w -lt 300 ] || fail "node 0 never saw node$victim's slot recovered"
		sleep 1
	done
	# the storm and the lister go on after the recovery: new locks again
	before=$(count $NODE)
	sleep 15
	after=$(count $NODE)
	[ "$after" -gt "$before" ] ||
		fail "no create after the recovery ($before -> $after files)"
	lab-barrier went-on$k
	: > $R/24.stop$k
	wait $sp $lp || true
	kmsg | grep -q "node $((victim + 1)) left the cluster" ||
		[ "$LAB_STACK" = stock ] ||
		fail "no node-down event for node $((victim + 1)) here"
	sums $M/v$victim > /tmp/24.after
	diff $R/24.v$victim.sums /tmp/24.after ||
		fail "node$victim's fsynced files differ"
	ls -lR $M/c$victim > /dev/null || fail "ls -lR of node$victim's directory"
	say "kill $k (node$victim): recovered, fsynced files intact, $before -> $after files here, $(count $victim) of node$victim's listed, slow first requests so far $(slow)"
	lab-barrier checked$k
	k=$((k + 1))
done

if [ -s "$R/24.err.$NODE" ]; then
	head -5 "$R/24.err.$NODE"
	fail "$(grep -c failed "$R/24.err.$NODE" || true) creates failed here"
fi
say "first requests granted after more than 5 s (never cancelled): $(slow)"
say "creates' new locks not waited for (create_async_locks): $(new_locks)"
[ "$NODE" = 0 ] || umount $M || fail "umount"
lab-barrier left
if [ "$NODE" = 0 ]; then
	umount $M || fail "umount"
	$fsck -fn $dev > $R/24.fsck 2>&1 || { cat $R/24.fsck; fail "stock fsck -fn"; }
	say "$V kills during new-lock storms recovered; stock fsck -fn clean"
fi
