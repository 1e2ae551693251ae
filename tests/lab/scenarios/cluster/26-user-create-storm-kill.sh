#!/bin/sh
# Names made on one node are listed, stat'ed and opened on the others
# at once, then the creator dies in the middle of it.  With
# ocfs2.create_async_locks a create of ours does not wait for the new
# inode's meta and open locks nor the name's dentry lock: it asks for
# them and goes on, and the directory's lock stays ours until they are
# granted, so no node may learn a name whose locks are not the
# creator's.  Node C (argument, default 0) creates f0, f1, ... (each
# holding its number) and now and then a directory in one shared
# directory; every other node, in a loop, lists it (ls -l), then stats
# and reads the three newest names: a listed name must stat and open,
# and hold its number or nothing yet.  After some 20 s node C is killed
# (a majority must survive: 3 nodes or more).  The survivors then see:
# the dead slot recovered; the names f0..fN with no gap (creates are
# replayed in order) and none missing that a survivor listed before the
# kill (a name another node saw was checkpointed before the directory
# went down); each file holding its number or nothing; the same tree on
# every survivor; new creates by every survivor seen by the others; a
# clean unmount and stock fsck -fn.  Node C logs its lock_stats
# new_requests (the creates that did not wait) before the kill; if it
# runs ours it must have some.  Our nodes set the parameter to 1.
# Must come last in a set (it kills a node).  THIS=on first in a set
# only turns the parameter on for the scenarios after it (set.sh), also
# in a node the lab restarts (lab-cluster-mounts writes it again).
# Run: LAB_COROSYNC_TOKEN_MS=10000 LAB_COROSYNC_JOIN_MS=1000 \
#      tests/lab/run --cluster user --stack ours,stock,ours --nodes 3 \
#      --disk 1G --timeout 600 THIS [C|on]
set -e
. lab-cluster-lib
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
S=$M/s
C=${1:-0}
mark="lab-cluster-26-begins-$$"
echo "$mark" > /dev/kmsg
kmsg() { dmesg | sed -n "/$mark/,\$p"; }
members() { corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ '; }

if [ "$C" = on ]; then
	p=/sys/module/ocfs2/parameters/create_async_locks
	[ "$LAB_STACK" = ours ] || { say "not ours: no parameter to set"; exit 0; }
	[ -w $p ] || fail "no ocfs2.create_async_locks parameter"
	say "default create_async_locks=$(cat $p); set to 1 for the scenarios after this one"
	echo 1 > $p
	# kept for a generation the lab restarts (lab-cluster-mounts)
	echo create_async_locks=1 >> "$R/ours-param.$NODE"
	exit 0
fi
case $C in
'' | *[!0-9]*) fail "creator '$C': a node number or 'on'" ;;
esac
[ "$C" -lt "$NODES" ] || fail "creator node$C: only $NODES nodes"
[ "$NODES" -ge 3 ] || fail "$NODES nodes: the kill needs 3 or more (a majority must survive)"
grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
# the lowest other node checks and runs fsck
checker=0
[ "$C" != 0 ] || checker=1

stat_of() {
	[ "$LAB_STACK" = ours ] || { echo -; return; }
	cat /sys/kernel/debug/ocfs2/*/lock_stats 2>/dev/null |
		awk -v k="$1" '$1 == k { n += $2 } END { print n + 0 }'
}

if [ "$LAB_STACK" = ours ]; then
	p=/sys/module/ocfs2/parameters/create_async_locks
	[ -w $p ] || fail "no ocfs2.create_async_locks parameter"
	say "default create_async_locks=$(cat $p)"
	echo 1 > $p
	grep -q ' /sys/kernel/debug ' /proc/mounts ||
		mount -t debugfs none /sys/kernel/debug
fi

# creates in $S until killed; its count to /tmp/26.made
storm() {
	i=0
	while :; do
		[ $((i % 40)) != 39 ] || mkdir "$S/d$i" ||
			echo "create d$i failed" >> "$R/26.err.$NODE"
		echo "$i" > "$S/f$i" ||
			echo "create f$i failed" >> "$R/26.err.$NODE"
		i=$((i + 1))
		echo "$i" > /tmp/26.made
	done
}

# the creator stood still for 25 s: what it and the directory's lock
# wait for, to the logs
stalled() {
	cl_stall_dump "no create for 25 s (at $(cat /tmp/26.made))" "M000000$blk"
	echo "node$NODE stalled at $(cat /tmp/26.made) creates" >> "$R/26.err.$NODE"
	: > "$R/26.stalled"
}

# the other nodes' side of a stall: their blocked tasks and lock state
# (their listers may be blocked themselves)
stall_dump() {
	until [ -e "$R/26.stop" ]; do
		if [ -e "$R/26.stalled" ]; then
			cl_stall_dump "node$C's creates" "M000000$blk"
			return 0
		fi
		sleep 1
	done
}

# the creator's progress: back once it made @1 more creates (0: the
# run's length, @2 seconds); stalled() if none for 25 s
watch_storm() {
	t=0 last=-1 still=0
	start=$(cat /tmp/26.made 2>/dev/null || echo 0)
	while :; do
		sleep 1
		t=$((t + 1))
		now=$(cat /tmp/26.made 2>/dev/null || echo 0)
		if [ "$now" = "$last" ]; then still=$((still + 1)); else still=0; fi
		last=$now
		[ $still != 25 ] || { stalled; return 0; }
		[ "$1" = 0 ] || [ "$now" -lt $((start + $1)) ] || return 0
		[ "$1" != 0 ] || [ $t -lt "$2" ] || return 0
	done
}

# one line per name under $M: type, size, links, mtime, content hash
tree() {
	find "$M" | sort | while read -r f; do
		if [ -f "$f" ]; then
			echo "$(stat -c '%n %F %s %h %Y' "$f") $(md5sum < "$f")"
		else
			stat -c '%n %F %h %Y' "$f"
		fi
	done
}

# the f indexes in $S, sorted
indexes() { ls "$S" | sed -n 's/^f\([0-9][0-9]*\)$/\1/p' | sort -n; }

# checks f$1: it opens and holds its number or nothing yet
check_file() {
	c=$(cat "$S/f$1") || { echo "cat f$1 failed"; return 1; }
	[ -z "$c" ] || [ "$c" = "$1" ] || { echo "f$1 holds '$c'"; return 1; }
}

# lists $S, stats and opens the newest names, until $R/26.stop; the
# highest index listed before the kill goes to $R/26.seen.$NODE
lister() {
	while [ ! -e "$R/26.stop" ]; do
		ls -l "$S" > /tmp/26.ls 2> /tmp/26.lserr ||
			{ cat /tmp/26.lserr; echo "ls -l failed"; } >> "$R/26.err.$NODE"
		last=$(indexes | tail -3)
		for i in $last; do
			stat "$S/f$i" > /dev/null 2>> "$R/26.err.$NODE" ||
				echo "stat f$i failed" >> "$R/26.err.$NODE"
			check_file "$i" >> "$R/26.err.$NODE" 2>&1 || true
		done
		top=$(echo "$last" | tail -1)
		[ -e "$R/26.killed" ] || [ -z "$top" ] ||
			echo "$top" > "$R/26.seen.$NODE"
	done
}

[ "$NODE" != "$C" ] ||
	echo y | $mkfs -q -F -N 4 $stack $dev
lab-barrier formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
[ "$NODE" != "$C" ] || mkdir $S
[ "$NODE" != "$checker" ] || alive=$(members)
lab-barrier mounted
# the directory's lock name, read now: a stall could block a stat later
blk=$(printf '%016x' "$(stat -c %i "$S")")

if [ "$NODE" = "$C" ]; then
	storm &
	lab-barrier storming
	watch_storm 0 12
	stat_of new_requests > "$R/26.newreq"
	say "creates so far: $(cat /tmp/26.made); new_requests $(cat "$R/26.newreq")"
	# 30 more (or a stall), then the checker kills it
	watch_storm 30
	: > "$R/26.goon"
	say "creates so far: $(cat /tmp/26.made); lock counters: $(cl_lstats)"
	while :; do sleep 60; done
fi
lister &
lp=$!
stall_dump &
dp=$!
lab-barrier storming
if [ "$NODE" = "$checker" ]; then
	w=0
	until [ -e "$R/26.goon" ]; do
		w=$((w + 1))
		[ $w -lt 240 ] || fail "node$C never went on (nor said it stalled)"
		sleep 1
	done
	lab-ctl kill "$C"
	: > "$R/26.killed"
	say "killed node$C during the storm"
	i=0
	until [ "$(members)" = $((alive - 1)) ]; do
		i=$((i + 1))
		[ $i -lt 90 ] || fail "corosync still lists node$C"
		sleep 1
	done
	i=0
	while $dbg -R slotmap $dev 2>&1 |
		awk -v n=$((C + 1)) '$2 == n { f = 1 } END { exit !f }'; do
		i=$((i + 1))
		[ $i -lt 180 ] || fail "node$C's slot not recovered after 180 s"
		sleep 1
	done
	say "node$C's slot freed ~$i s after corosync dropped it"
	: > "$R/26.recovered"
fi
w=0
until [ -e "$R/26.recovered" ]; do
	w=$((w + 1))
	[ $w -lt 300 ] || fail "node$checker never saw node$C's slot recovered"
	sleep 1
done
# the listers go on a while over the recovered tree
sleep 5
lab-barrier listed-after
: > "$R/26.stop"
wait $lp $dp || true
if [ -s "$R/26.err.$NODE" ]; then
	head -5 "$R/26.err.$NODE"
	fail "$(wc -l < "$R/26.err.$NODE") listing errors here"
fi
if [ -s "$R/26.err.$C" ]; then
	head -5 "$R/26.err.$C"
	fail "node$C (the creator) logged errors before it died"
fi
kmsg | grep -q "node $((C + 1)) left the cluster" ||
	[ "$LAB_STACK" = stock ] ||
	fail "no node-down event for node $((C + 1)) here"

# the tree after the recovery: f0..fN with no gap, each holding its
# number or nothing, nothing missing that a survivor listed
indexes > /tmp/26.idx
n=$(wc -l < /tmp/26.idx)
[ "$n" -gt 0 ] || fail "no name of node$C survived"
top=$(tail -1 /tmp/26.idx)
[ "$top" = $((n - 1)) ] || fail "$n names f0..f$top: a gap"
for s in "$R"/26.seen.*; do
	[ -e "$s" ] || continue
	seen=$(cat "$s")
	[ "$seen" -le "$top" ] ||
		fail "f$seen was listed on node${s##*.} before the kill, now f$top is the last"
done
while read -r i; do
	check_file "$i" > /tmp/26.bad || fail "$(cat /tmp/26.bad)"
done < /tmp/26.idx
tree > "$R/26.tree.$NODE"
lab-barrier tree
for t in "$R"/26.tree.*; do
	cmp -s "$t" "$R/26.tree.$NODE" || {
		diff "$t" "$R/26.tree.$NODE" | head -20
		fail "node${t##*.} sees another tree than this node"
	}
done
say "$n names f0..f$top after node$C died, each holding its number or nothing; the same tree on every survivor"

# every survivor creates again; every other one sees it
j=0
while [ $j -lt 20 ]; do
	echo "$NODE $j" > "$S/g$NODE-$j" || fail "create g$NODE-$j after the recovery"
	j=$((j + 1))
done
lab-barrier created-after
n=0
while [ $n -lt "$NODES" ]; do
	if [ "$n" != "$C" ]; then
		got=$(ls "$S" | grep -c "^g$n-") || true
		[ "$got" = 20 ] || fail "$got of node$n's 20 new names seen here"
		[ "$(cat "$S/g$n-19")" = "$n 19" ] || fail "g$n-19 reads wrong"
	fi
	n=$((n + 1))
done
say "node$C's create storm killed: the survivors agree and create again; node$C had asked for $(cat "$R/26.newreq") locks of new names without waiting"
newreq=$(cat "$R/26.newreq")
[ "$newreq" = - ] || [ "$newreq" -gt 0 ] ||
	fail "node$C (ours) asked for no lock of a create without waiting"
[ "$NODE" = "$checker" ] || umount $M || fail "umount"
lab-barrier left
if [ "$NODE" = "$checker" ]; then
	umount $M || fail "umount"
	$fsck -fn $dev > "$R/26.fsck" 2>&1 || { cat "$R/26.fsck"; fail "stock fsck -fn"; }
	say "stock fsck -fn clean after node$C's death"
fi
