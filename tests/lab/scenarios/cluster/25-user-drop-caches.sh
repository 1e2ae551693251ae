#!/bin/sh
# Memory reclaim against node-down scans and recovery.  Our nodes drop
# their caches in a loop (echo 3 > /proc/sys/vm/drop_caches) while the
# others change the same files, so reclaim keeps evicting inodes whose
# meta lock another node took (a fresh grant at eviction) together with
# unused system inodes (slot map, other slots' journals), and reads
# them all again.  Meanwhile the leaver (node 1, any stack) unmounts and
# mounts C times: each unmount queues a node-down scan on our nodes,
# which holds the superblock lock and reads the slot map and journals.
# Then the leaver mounts once more, writes and fsyncs, and is killed
# (lab-ctl kill): our nodes recover its slot with the loops still going.
# Session 12's unmount hang (runs 20261127-155221, -155230) was this
# cycle with umount as the reclaim: an eviction's fresh meta lock waited
# for the scan (ocfs2_slot_recovery_wait), and the scan waited in iget
# for the slot map inode the same reclaim was freeing.  45facfe fixed
# it for umount only; drop_caches remained.  Checked: every unmount,
# mount and drop finishes (each bounded), the loops go on after every
# cycle and after the kill, the leaver's slot is freed, its fsynced
# files read back intact, our unmounts finish, stock fsck -fn clean.
# Needs 3+ nodes (a kill must leave a majority), node 0 ours.  Kills
# node 1: must come last in a set.
# Run: tests/lab/run --cluster user --stack ours,stock,ours --nodes 3
#      --disk 1G --timeout 700 THIS [C]      (C cycles, default 10)
set -e
. lab-cluster-lib
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
C=${1:-10}
L=1		# the leaver, then the victim
FILES=200	# in the shared directory

mark="lab-cluster-25-begins-$$"
echo "$mark" > /dev/kmsg
members() { corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ '; }
ours() { [ "$LAB_STACK" = ours ]; }

# within SECS WHAT CMD...: CMD must end within SECS seconds; a task stuck
# in the kernel cannot be killed, so it is left there and the node fails
within() {
	secs=$1
	what=$2
	shift 2
	"$@" &
	wp=$!
	t=0
	while kill -0 $wp 2> /dev/null; do
		t=$((t + 1))
		if [ $t -gt "$secs" ]; then
			cat /proc/$wp/stack 2> /dev/null || true
			cl_stall_dump "$what, after $secs s"
			fail "$what did not finish within $secs s"
		fi
		sleep 1
	done
	wait $wp || fail "$what failed"
}

# the drop loop: its count in /tmp/25.drops, until $R/25.stop
dropper() {
	n=0
	while [ ! -e $R/25.stop ]; do
		echo 3 > /proc/sys/vm/drop_caches
		n=$((n + 1))
		echo $n > /tmp/25.drops
	done
}

# changes under EX (touch), lists under PR (ls -l), and names that
# others have cached unlinked (their eviction deletes), until $R/25.stop
# or $1 exists
churn() {
	i=0
	while [ ! -e $R/25.stop ] && [ ! -e "$1" ]; do
		touch $M/s/f$((i % FILES)) $M/s/f$(((i * 7 + NODE) % FILES)) ||
			echo "touch failed at $i" >> $R/25.err.$NODE
		# every 10th turn: each such unlink logs a line on ours
		if [ $((i % 10)) = 0 ]; then
			echo $i > $M/s/u$NODE.$i ||
				echo "create u$NODE.$i failed" >> $R/25.err.$NODE
			[ $i -lt 40 ] || rm -f $M/s/u$NODE.$((i - 40)) ||
				echo "rm u$NODE.$((i - 40)) failed" >> $R/25.err.$NODE
		fi
		ls -l $M/s > /dev/null 2>&1 || true
		i=$((i + 1))
		sleep 0.2
	done
}

drops() { cat /tmp/25.drops 2> /dev/null || echo 0; }

# gone PID SECS WHAT: a background job of ours ends within SECS seconds
gone() {
	t=0
	while kill -0 "$1" 2> /dev/null; do
		t=$((t + 1))
		[ $t -le "$2" ] || fail "$3 did not end within $2 s"
		sleep 1
	done
}

# the drop loop must move on within 60 s
dropping() {
	d0=$(drops)
	t=0
	while [ "$(drops)" = "$d0" ]; do
		t=$((t + 1))
		if [ $t -gt 60 ]; then
			cl_stall_dump "drop_caches at $d0 drops for 60 s ($1)"
			fail "drop_caches stuck at $d0 drops ($1)"
		fi
		sleep 1
	done
}

sums() {
	(cd "$1" && for f in *; do echo "$f $(md5sum < "$f")"; done)
}

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$NODES" -ge 3 ] || fail "needs 3+ nodes (a kill must leave a majority)"
[ "$NODE" != 0 ] || ours || fail "node 0 must be ours"
if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 4 $stack $dev
fi
lab-barrier formatted
mkdir -p $M
within 120 mount mount -t ocfs2 $dev $M
if [ "$NODE" = 0 ]; then
	mkdir $M/s $M/v
	i=0
	while [ $i -lt $FILES ]; do
		: > $M/s/f$i
		i=$((i + 1))
	done
	sync
	alive=$(members)
fi
lab-barrier mounted
ls -l $M/s > /dev/null
if ours; then
	dropper &
	dp=$!
fi
churn /tmp/25.hold &
cp=$!
lab-barrier looping

c=1
while [ $c -le "$C" ]; do
	if [ "$NODE" = $L ]; then
		sleep 3
		# no file of ours open: the unmount must not find it busy
		: > /tmp/25.hold
		gone $cp 60 "the file loop (cycle $c)"
		within 120 "umount $c" umount $M
		sleep 2
		within 120 "mount $c" mount -t ocfs2 $dev $M
		rm /tmp/25.hold
		churn /tmp/25.hold &
		cp=$!
	fi
	lab-barrier cycle$c
	! ours || dropping "after the leaver's cycle $c"
	c=$((c + 1))
done
say "$C unmount/mount cycles of node$L passed, drops so far $(drops)"

# the leaver writes what must survive, then dies
if [ "$NODE" = $L ]; then
	i=0
	while [ $i -lt 6 ]; do
		head -c $((i * 9001 + 5)) /dev/urandom > /tmp/f
		dd if=/tmp/f of=$M/v/f$i conv=fsync 2> /dev/null
		i=$((i + 1))
	done
	sums $M/v > $R/25.v.sums
	# and dies changing files: a journal to replay
	churn /tmp/25.hold &
fi
lab-barrier written
if [ "$NODE" = $L ]; then
	while :; do sleep 60; done
fi
if [ "$NODE" = 0 ]; then
	sleep 5
	lab-ctl kill $L
	say "killed node$L"
	i=0
	until [ "$(members)" = $((alive - 1)) ]; do
		i=$((i + 1))
		[ $i -lt 90 ] || fail "corosync still lists node$L"
		sleep 1
	done
	i=0
	while $dbg -R slotmap $dev 2>&1 |
		awk -v n=$((L + 1)) '$2 == n { f = 1 } END { exit !f }'; do
		i=$((i + 1))
		[ $i -lt 180 ] || fail "node$L's slot not recovered after 180 s"
		sleep 1
	done
	say "node$L's slot freed ~$i s after corosync dropped it"
	: > $R/25.recovered
fi
w=0
until [ -e $R/25.recovered ]; do
	w=$((w + 1))
	[ $w -lt 300 ] || fail "node 0 never saw node$L's slot recovered"
	sleep 1
done
! ours || dropping "after node$L's recovery"
# the whole log: the mark may have left a small ring buffer by now
dmesg | grep -q "node $((L + 1)) left the cluster" || ! ours ||
	fail "no node-down event for node $((L + 1)) here"
sums $M/v > /tmp/25.after
diff $R/25.v.sums /tmp/25.after || fail "node$L's fsynced files differ"
lab-barrier checked
: > $R/25.stop
gone $cp 60 "the file loop"
! ours || gone $dp 120 "the drop loop"

if [ -s $R/25.err.$NODE ]; then
	head -5 $R/25.err.$NODE
	fail "$(wc -l < $R/25.err.$NODE) file operations failed here"
fi
say "drops $(drops), the leaver's slot recovered, fsynced files intact"
[ "$NODE" = 0 ] || within 120 umount umount $M
lab-barrier left
if [ "$NODE" = 0 ]; then
	within 120 umount umount $M
	$fsck -fn $dev > $R/25.fsck 2>&1 || { cat $R/25.fsck; fail "stock fsck -fn"; }
	say "$C leave/join cycles and a kill under drop_caches loops; stock fsck -fn clean"
fi
