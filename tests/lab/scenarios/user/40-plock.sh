#!/bin/sh
# Cluster-wide POSIX (fcntl) locks on a pcmk volume (3 nodes over fs/dlm,
# whose plocks dlm_controld keeps): node0 formats and every node mounts.
#   1. a write lock on one node refuses overlapping write and read locks
#      on the others (and to another process on its own node), not a
#      range beside it; F_GETLK anywhere names the holder's pid (negated
#      or not, depending on fs/dlm and dlm_controld) and its range;
#   2. read locks are shared across nodes and keep writers out;
#   3. two waiters on two nodes (F_SETLKW): none granted while held, one
#      granted at the holder's unlock, the other once that one exits;
#   4. closing any descriptor of the file drops the process's locks;
#   6. (before 5) a directory: node0's read lock and flock(2) on it
#      refuse flock on the others and share read locks, and go at exit;
#   5. node2 holds a lock and its QEMU is killed: the blocked waiter on
#      node1 is granted once the cluster has removed node2 (the lab's
#      plain user stack runs dlm_controld with fencing off; user/30 with
#      "fs" shows the same behind pacemaker's fencing); on our module
#      only once fs/dlm has recovered (dlm_controld grants at once).
# 7. (node1, ours) o2cb cluster-status names the running cluster;
#    tunefs.ocfs2 --update-cluster-stack stamps pcmk/lab on a plain
#    volume (read back by stock debugfs, stock fsck clean), which then
#    mounts; refused while mounted; nothing to do the second time.
# Before, node0 checks that a local mount (-M local, the second disk)
# keeps the same POSIX rules between its own processes (node-local
# locks, as on the o2cb stack and with localflocks).
# Run: tests/lab/run --kernel K --cluster user --stack ours --nodes 3
#      --disk 1G --disk 256M --timeout 300 THIS
# (any stack list, e.g. --stack stock,ours,ours: the locks meet in fs/dlm;
# 4 nodes too: tests/bench/dlmfs/run.sh --with THIS, after the bench)
set -e
lab-cluster-mounts
# ours: plock grants wait for fs/dlm's recovery (on by default)
pw=/sys/module/ocfs2_stack_user/parameters/plock_fence_wait
if [ -e $pw ]; then
	[ "$(cat $pw)" = Y ] || { echo "ocfs2_stack_user.plock_fence_wait is not on"; exit 1; }
	# bad input: refused, the setting kept
	! echo maybe > $pw 2> /dev/null && [ "$(cat $pw)" = Y ] ||
		{ echo "plock_fence_wait took 'maybe' ($(cat $pw))"; exit 1; }
fi
R=$LAB_RESULTS
M=/mnt/ocfs2
F=$M/plk
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -20; exit 1; }
mkfs=mkfs.ocfs2	# the node's own: ours with --stack ours
uptime_s() { cut -d' ' -f1 /proc/uptime; }
# until FILE exists, at most SEC seconds
wait_file() {
	i=0
	until [ -e "$1" ]; do
		i=$((i + 1))
		[ $i -le $(($2 * 5)) ] || return 1
		sleep 0.2
	done
}
# expect WORD CMD...: CMD's output starts with WORD (busy exits 3)
expect() {
	want=$1
	shift
	out=$("$@" 2>&1) || true
	case "$out" in
	"$want"*) ;;
	*) fail "$*: '$out', wanted '$want'" ;;
	esac
}

# holder PID START LEN CMD...: CMD (an F_GETLK) names a write lock of
# process PID on another node, the pid possibly negated (fs/dlm's mark of
# a remote holder; 6.1 and 6.12 both showed it unnegated in the lab)
holder() {
	want="held w pid $1 start $2 len $3"
	shift 3
	out=$("$@" 2>&1) || true
	[ "$(echo "$out" | sed 's/ pid -/ pid /')" = "$want" ] || fail "$*: '$out', wanted '$want'"
	echo "$out" | sed -n 's/.* pid \(-*[0-9]*\) .*/\1/p'
}

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$NODES" -ge 3 ] || { echo "wants 3 nodes"; exit 77; }

# ---- 0. node-local rules on a local mount (node0) ----
if [ "$NODE" = 0 ] && [ -b /dev/vdb ]; then
	echo y | $mkfs -q -F -M local /dev/vdb > /dev/null
	mkdir -p /mnt/local
	mount -t ocfs2 /dev/vdb /mnt/local || fail "local mount"
	L=/mnt/local/plk
	lab-plock $L pid w:0:10 touch:/tmp/l.held wait:/tmp/l.go u:0:10 wait:/tmp/l.end > /tmp/l.out &
	wait_file /tmp/l.held 10 || fail "local holder"
	lp=$(sed -n 's/^pid //p' /tmp/l.out)
	expect busy lab-plock $L tw:5:1
	expect "held w pid $lp start 0 len 10" lab-plock $L gr:0:1
	lab-plock $L w:0:10 touch:/tmp/l.granted > /dev/null &
	sleep 1
	[ ! -e /tmp/l.granted ] || fail "local waiter granted while held"
	touch /tmp/l.go
	wait_file /tmp/l.granted 10 || fail "local waiter not granted at unlock"
	touch /tmp/l.end
	wait
	lab-plock $L w:0:10 close2 touch:/tmp/l.closed wait:/tmp/l.gone > /dev/null &
	wait_file /tmp/l.closed 10 || fail "local close2"
	expect free lab-plock $L gw:0:0
	touch /tmp/l.gone
	wait
	umount /mnt/local
	say "0 local mount: conflict, F_GETLK pid $lp, waiter granted at unlock, close releases"
fi

if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab /dev/vda > /dev/null
fi
lab-barrier pl-formatted
mkdir -p $M
mount -t ocfs2 /dev/vda $M || fail "mount"
D=$M/pdir
[ "$NODE" != 0 ] || { : > $F; mkdir $D; }
lab-barrier pl-mounted

# ---- 1. a write lock against the cluster ----
if [ "$NODE" = 0 ]; then
	lab-plock $F pid w:0:100 touch:$R/s1.held wait:$R/s1.done > $R/s1.out &
fi
wait_file $R/s1.held 30 || fail "node0 never held its lock"
p0=$(sed -n 's/^pid //p' $R/s1.out)
if [ "$NODE" = 0 ]; then
	expect busy lab-plock $F tw:0:1
	expect "held w pid $p0 start 0 len 100" lab-plock $F gw:99:1
	say "1 another process here: refused; F_GETLK: pid $p0 0-99"
else
	expect busy lab-plock $F tw:0:100
	expect busy lab-plock $F tr:50:1
	expect busy lab-plock $F tw:99:2
	# a range of its own beside the lock (nodes 1 and 2 try at once)
	expect granted lab-plock $F tw:$((100 * NODE)):50
	shown=$(holder $p0 0 100 lab-plock $F gr:10:5)
	say "1 node0's write lock refuses w/r here, not 100+; F_GETLK: pid $shown 0-99 (node0's $p0)"
fi
lab-barrier s1
[ "$NODE" != 0 ] || { touch $R/s1.done; wait; }

# ---- 2. read locks are shared ----
if [ "$NODE" = 0 ]; then
	lab-plock $F r:0:100 touch:$R/s2.held wait:$R/s2.done > /dev/null &
fi
wait_file $R/s2.held 30 || fail "node0 never held its read lock"
if [ "$NODE" = 1 ]; then
	lab-plock $F r:0:50 touch:$R/s2.held1 wait:$R/s2.done > /dev/null &
fi
wait_file $R/s2.held1 30 || fail "node1's read lock beside node0's was not granted"
if [ "$NODE" = 2 ]; then
	expect granted lab-plock $F tr:0:100
	expect busy lab-plock $F tw:60:1
	expect busy lab-plock $F tw:10:1
	say "2 read locks of node0 and node1 shared with this node; writers refused"
fi
lab-barrier s2
[ "$NODE" != 0 ] || touch $R/s2.done
wait

# ---- 3. waiters on two nodes ----
if [ "$NODE" = 0 ]; then
	lab-plock $F w:0:100 touch:$R/s3.held wait:$R/s3.release u:0:100 wait:$R/s3.end > /dev/null &
fi
wait_file $R/s3.held 30 || fail "node0 never held its lock"
# the waiters are nodes 1 and 2 (a fourth node, as in the dlmfs bench's
# boot, only watches)
if [ "$NODE" = 1 ] || [ "$NODE" = 2 ]; then
	lab-plock $F w:0:100 touch:$R/s3.g$NODE wait:$R/s3.next$NODE > $R/s3.w$NODE 2>&1 &
fi
lab-barrier s3-waiting
if [ "$NODE" = 0 ]; then
	sleep 3
	! ls $R/s3.g? > /dev/null 2>&1 || fail "a waiter was granted while node0 held the lock"
	touch $R/s3.release
	wait_file_any() { i=0; until ls $R/s3.g? > /dev/null 2>&1; do i=$((i + 1)); [ $i -le 150 ] || return 1; sleep 0.2; done; }
	wait_file_any || fail "no waiter granted after node0's unlock"
	sleep 2
	first=$(ls $R/s3.g? | sed 's/.*s3.g//')
	[ "$(echo "$first" | wc -l)" = 1 ] || fail "two waiters granted one write lock: $first"
	other=$((3 - first))
	touch $R/s3.next$first
	wait_file $R/s3.g$other 30 || fail "node$other not granted after node$first let go"
	touch $R/s3.next$other $R/s3.end
	say "3 none granted while held; node$first at the unlock, node$other after node$first"
fi
lab-barrier s3
wait

# ---- 4. closing another descriptor drops the locks ----
if [ "$NODE" = 1 ]; then
	lab-plock $F w:200:10 touch:$R/s4.held wait:$R/s4.close close2 touch:$R/s4.closed wait:$R/s4.end > /dev/null &
fi
if [ "$NODE" = 2 ]; then
	wait_file $R/s4.held 30 || fail "node1 never held"
	expect busy lab-plock $F tw:200:10
	touch $R/s4.close
	wait_file $R/s4.closed 30 || fail "node1 never closed"
	expect granted lab-plock $F tw:200:10
	expect free lab-plock $F gw:0:0
	touch $R/s4.end
	say "4 node1's lock gone once it closed another descriptor of the file"
fi
lab-barrier s4
wait

# ---- 6. a directory takes fcntl read locks and flock(2) too ----
if [ "$NODE" = 0 ]; then
	lab-plock $D pid r:0:10 fx touch:$R/s6.held wait:$R/s6.done > $R/s6.out &
fi
wait_file $R/s6.held 30 || fail "node0 never locked the directory"
if [ "$NODE" != 0 ]; then
	expect busy lab-plock $D tfx
	expect busy lab-plock $D tfs
	expect "granted r" lab-plock $D tr:5:10
	expect "held r pid" lab-plock $D gw:5:1
fi
lab-barrier s6-checked
if [ "$NODE" = 0 ]; then
	touch $R/s6.done
	wait
	touch $R/s6.free
fi
wait_file $R/s6.free 30 || fail "node0 never let the directory go"
if [ "$NODE" = 1 ]; then
	expect "granted fx" lab-plock $D tfx
	expect free lab-plock $D gw:0:0
	say "6 node0's read lock and flock on a directory: flock refused, read lock shared; both gone at its exit"
fi
lab-barrier s6

# ---- 5. a killed holder ----
if [ "$NODE" = 2 ]; then
	lab-plock $F pid w:300:10 touch:$R/s5.held wait:$R/never > $R/s5.out &
	lab-barrier s5-waiting
	sleep 3600
	exit 1
fi
wait_file $R/s5.held 30 || fail "node2 never held"
p2=$(sed -n 's/^pid //p' $R/s5.out)
holder $p2 300 10 lab-plock $F gw:305:1 > /dev/null
if [ "$NODE" = 1 ]; then
	lab-plock $F w:300:10 touch:$R/s5.granted wait:$R/s5.end > /dev/null &
	sleep 1
fi
lab-barrier s5-waiting
if [ "$NODE" = 0 ]; then
	[ ! -e $R/s5.granted ] || fail "node1 granted while node2 lives"
	uptime_s > $R/s5.killed
	lab-ctl kill 2
	say "5 killed node2 holding 300-309 (pid $p2)"
fi
wait_file $R/s5.granted 120 || fail "node1's waiter not granted after node2 was killed"
# dlm_controld grants it at the membership change; our stack_user hands
# it over only once fs/dlm has recovered, which reported node2 (id 3) down
if [ "$NODE" = 1 ] && [ -e $pw ]; then
	dmesg | grep -qE ": node 3 (\(slot [0-9]+\) is down|left without a failure report)" ||
		fail "node1's waiter granted before fs/dlm recovered from node2's death"
fi
t=$(awk -v a="$(cat $R/s5.killed)" -v b="$(uptime_s)" 'BEGIN { printf "%.0f", b - a }')
if [ "$NODE" = 0 ]; then
	out=$(lab-plock $F gw:300:1)
	case "$out" in "held w pid "*" start 300 len 10") ;; *) fail "after the kill: $out" ;; esac
fi
say "5 node2's lock gone ~${t} s after the kill; node1's waiter holds it"
# node1 keeps it until node0 has asked
lab-barrier s5-checked
touch $R/s5.end
wait

# ---- the volume after the death ----
echo "node$NODE after" > $M/after.$NODE
sync
lab-barrier written
[ "$(cat $M/after.0)" = "node0 after" ] && [ "$(cat $M/after.1)" = "node1 after" ] ||
	fail "files written after the death read wrong"
umount $M || fail "umount"
say "survivor wrote, read the other's file and unmounted"

# ---- 7. the tools on the user stack (node1: ours in a stock,ours,ours
# mix too; node0 is done with /dev/vdb; before the last barrier, as
# node1 alone would have no quorum) ----
if [ "$NODE" = 1 ] && [ "$LAB_STACK" = ours ]; then
	out=$(o2cb cluster-status 2>&1) || fail "o2cb cluster-status: $out"
	[ "$out" = "Cluster 'lab' is online" ] || fail "o2cb cluster-status: '$out'"
	st() { stock-debugfs.ocfs2 -R stats /dev/vdb 2>/dev/null | grep -E "Cluster (stack|name):" |
		awk '{ $1 = $1; printf "%s%s", s, $0; s = " " }'; }
	# mkfs without --cluster-stack stamps the running stack, as stock;
	# another cluster's name is refused unless forced
	dd if=/dev/zero of=/dev/vdb bs=1M count=4 status=none
	$mkfs -q -N 2 /dev/vdb < /dev/null > /dev/null 2>&1 || fail "plain mkfs on the user stack"
	[ "$(st)" = "Cluster stack: pcmk Cluster name: lab" ] || fail "a plain mkfs stamped '$(st)'"
	mkfs_plain=$(st)
	dd if=/dev/zero of=/dev/vdb bs=1M count=4 status=none
	if $mkfs -q -N 2 --cluster-stack=pcmk --cluster-name=other /dev/vdb < /dev/null > /tmp/m.out 2>&1; then
		fail "mkfs for cluster 'other' accepted"
	fi
	grep -q '"lab" is running' /tmp/m.out || fail "mkfs for cluster other: $(cat /tmp/m.out)"
	echo y | $mkfs -q -F -N 2 --cluster-stack=pcmk --cluster-name=other /dev/vdb > /dev/null 2>&1
	[ "$(st)" = "Cluster stack: pcmk Cluster name: other" ] || fail "mkfs -F for cluster other: '$(st)'"
	echo y | tunefs.ocfs2 --update-cluster-stack /dev/vdb > /tmp/u.out 2>&1 || fail "update: $(cat /tmp/u.out)"
	[ "$(st)" = "Cluster stack: pcmk Cluster name: lab" ] || fail "after --update-cluster-stack: '$(st)'"
	stock-fsck.ocfs2 -fn /dev/vdb > /tmp/u.fsck 2>&1 || fail "stock fsck after the update: $(tail -5 /tmp/u.fsck)"
	mkdir -p /mnt/u
	mount -t ocfs2 /dev/vdb /mnt/u || fail "mount after the update"
	if echo y | tunefs.ocfs2 --update-cluster-stack /dev/vdb > /tmp/u.out 2>&1; then
		fail "update while mounted: accepted"
	fi
	grep -q "is mounted" /tmp/u.out || fail "update while mounted: $(cat /tmp/u.out)"
	umount /mnt/u
	echo y | tunefs.ocfs2 --update-cluster-stack /dev/vdb > /tmp/u.out 2>&1 &&
		grep -q "nothing to do" /tmp/u.out || fail "update again: $(cat /tmp/u.out)"
	say "7 o2cb cluster-status: $out; plain mkfs stamped '$mkfs_plain', another cluster refused without -F; tunefs --update-cluster-stack stamped pcmk/lab over pcmk/other (stock debugfs, fsck clean), mounted, refused while mounted, then nothing to do"
fi
lab-barrier done
