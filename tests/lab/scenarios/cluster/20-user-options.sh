#!/bin/sh
# The cluster mount options on one cluster volume (pcmk in a --cluster
# user run, else o2cb with local heartbeat), every node (any mix of
# stacks: a stock node does the same steps, so stock's behaviour is the
# reference and the cluster options each node shows are compared):
#  a. preferred_slot=N (node n asks for slot 7-n): each node gets it, and
#     /proc/mounts shows heartbeat=none (o2cb: _netdev,heartbeat=local),
#     nointr, preferred_slot=N, cluster_stack=pcmk|o2cb, coherency=full,
#     as stock shows them; the set of cluster options shown is the same
#     on every node.
#  b. flock and fcntl locks: node 0 holds both on a file; without
#     localflocks node 1 is refused both (cluster-wide; on o2cb, which
#     has no cluster fcntl locks, only the flock), with localflocks
#     (every node) node 1 gets both (node-local), as stock.  A flock
#     wait behind node 0's flock ends at a signal (every other node).
#  c. coherency=buffered: after a fresh mount every node writes its own
#     range of one file with O_DIRECT at once; its rw lock ('W') is then
#     held at PR (3) on every node (stock's rule); with coherency=full
#     the nodes write in turn and each holds it at EX (5) right after its
#     write; every node reads every range back.
#  d. heartbeat= refused as stock: heartbeat=local on a user-stack volume
#     (user runs), two heartbeat modes at once, heartbeat=local on a
#     local-mount volume, a heartbeat change at remount; heartbeat=none
#     on the local volume mounts.  (o2cb modes: cluster/18.)
# Then a clean unmount and stock fsck -fn.
# Run: tests/lab/run --cluster user --stack ours,stock --nodes 2 --disk 1G
#      --timeout 400 THIS      (or o2cb: without --cluster user)
set -e
. lab-cluster-lib
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
F=$M/dio
if [ $cs = pcmk ]; then
	hbshown=heartbeat=none
	plocks=busy	# fs/dlm's cluster-wide fcntl locks
else
	hbshown=_netdev,heartbeat=local
	plocks=granted	# o2cb: fcntl locks are node-local, stock's too
fi
grep -q ' debugfs ' /proc/mounts || mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
shown() { grep " $M " /proc/mounts | cut -d' ' -f4; }
# the cluster options of the mount, one a line, sorted, slot number out
cluster_opts() {
	shown | tr ',' '\n' | grep -E '^(_netdev|heartbeat=|nointr|intr|preferred_slot=|localflocks|cluster_stack=|coherency=)' |
		sed 's/^preferred_slot=.*/preferred_slot=N/' | sort
}
# rw_level FILE: the level this node holds FILE's rw lock at (locking_state)
rw_level() {
	lk=$(printf 'W000000%016x' "$(stat -c %i "$1")")
	cat /sys/kernel/debug/ocfs2/*/locking_state 2>/dev/null |
		awk -F'\t' -v lk="$lk" 'index($2, lk) == 1 { print $3; exit }'
}

if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 8 --cluster-stack=$cs --cluster-name=lab $dev
fi
lab-barrier op-formatted
mkdir -p $M

# a. preferred_slot and what is shown
want=$((7 - NODE))
mount -t ocfs2 -o preferred_slot=$want $dev $M || fail "mount preferred_slot=$want"
lab-barrier op-a-mounted
$dbg -R slotmap $dev 2>/dev/null > /tmp/op-slots || true
if [ "$LAB_STACK" = ours ]; then
	dmesg | grep "mounted read-write (cluster" | tail -1 | grep -q "slot $want)" ||
		fail "not in slot $want: $(dmesg | grep 'mounted read-write' | tail -1)"
else
	dmesg | grep -i "slot" | tail -1
fi
say "a. slot map: $(tr -s ' \t\n' ' ' < /tmp/op-slots)"
say "a. /proc/mounts: $(shown)"
s=$(shown)
for o in $hbshown nointr preferred_slot=$want cluster_stack=$cs coherency=full; do
	echo ",$s," | grep -q ",$o," || fail "$o not shown: $s"
done
cluster_opts > "$R/op-opts.$NODE"
lab-barrier op-a-shown
for n in $(seq 0 $((NODES - 1))); do
	cmp -s "$R/op-opts.$n" "$R/op-opts.$NODE" ||
		fail "cluster options shown differ: node$n $(tr '\n' ' ' < "$R/op-opts.$n"), here $(tr '\n' ' ' < "$R/op-opts.$NODE")"
done
say "a. every node shows the same cluster options: $(tr '\n' ' ' < "$R/op-opts.$NODE")"

# b. flock and fcntl locks, cluster-wide then node-local
lockstep() {
	if [ "$NODE" = 0 ]; then
		rm -f "$R/op-held.$1" "$R/op-go.$1"
		lab-plock $M/lockf w:0:10 fx touch:"$R/op-held.$1" wait:"$R/op-go.$1" > /tmp/op-hold &
		while [ ! -e "$R/op-held.$1" ]; do sleep 1; done
	fi
	lab-barrier op-b-held.$1
	if [ "$NODE" = 1 ]; then
		p=granted
		f=granted
		lab-plock $M/lockf tw:0:10 > /tmp/op-p 2>&1 || p=busy
		lab-plock $M/lockf tfx > /tmp/op-f 2>&1 || f=busy
		say "b. $1: fcntl lock $p ($(cat /tmp/op-p)), flock $f ($(cat /tmp/op-f))"
		[ "$p" = "$2" ] && [ "$f" = "$3" ] || fail "b. $1: want fcntl $2, flock $3"
	fi
	lab-barrier op-b-tried.$1
	if [ "$NODE" = 0 ]; then
		touch "$R/op-go.$1"
		wait || fail "b. $1: the holder: $(cat /tmp/op-hold)"
	fi
}
[ "$NODE" = 0 ] && : > $M/lockf
lab-barrier op-b-made
lockstep cluster $plocks busy
# b2. a flock(2) wait behind another node's flock ends at a signal (stock:
# always, intr or not): node 0 holds it, every other node waits and gets
# SIGTERM after 3 s; then each in turn can take the lock (the cancelled
# requests left nothing behind)
if [ "$NODE" = 0 ]; then
	rm -f "$R/op-held.sig" "$R/op-go.sig"
	lab-plock $M/lockf fx touch:"$R/op-held.sig" wait:"$R/op-go.sig" > /tmp/op-hold &
	while [ ! -e "$R/op-held.sig" ]; do sleep 1; done
fi
lab-barrier op-b-held.sig
if [ "$NODE" != 0 ]; then
	lab-plock $M/lockf fx > /tmp/op-w 2>&1 &
	w=$!
	sleep 3
	kill -0 $w 2> /dev/null || fail "b2. flock behind node 0 did not wait: $(cat /tmp/op-w)"
	kill -TERM $w
	i=0
	while kill -0 $w 2> /dev/null; do
		i=$((i + 1))
		# node 0 holds it until every node got here: any bound will do
		[ $i -lt 120 ] || fail "b2. a flock wait behind node 0 did not end at SIGTERM in 60 s"
		sleep 0.5
	done
	! wait $w || fail "b2. the interrupted flock was granted: $(cat /tmp/op-w)"
	say "b2. a flock wait behind node 0 ended at SIGTERM within $((i / 2 + 1)) s"
fi
lab-barrier op-b-tried.sig
if [ "$NODE" = 0 ]; then
	touch "$R/op-go.sig"
	wait || fail "b2. the holder: $(cat /tmp/op-hold)"
fi
for n in $(seq 1 $((NODES - 1))); do
	lab-barrier op-b-free.$n
	if [ "$NODE" != "$n" ]; then continue; fi
	lab-plock $M/lockf tfx > /tmp/op-f 2>&1 || fail "b2. flock after the signal: $(cat /tmp/op-f)"
	say "b2. flock taken after the interrupted wait: $(cat /tmp/op-f)"
done
lab-barrier op-b-sig-done
umount $M || fail "umount a"
lab-barrier op-b-unmounted
mount -t ocfs2 -o localflocks $dev $M || fail "mount localflocks"
echo ",$(shown)," | grep -q ",localflocks," || fail "localflocks not shown: $(shown)"
lab-barrier op-b-local
lockstep localflocks granted granted
umount $M || fail "umount b"
lab-barrier op-b-done

# c. coherency=buffered: O_DIRECT writes take the rw lock at PR
K=65536
# dio_write MODE SALT LEVEL: this node's range, then its rw lock's level
dio_write() {
	lab-mmapio dwrite $F $((NODE * K)) $K $((0x41 + NODE + $2)) ||
		fail "O_DIRECT write ($1)"
	lvl=$(rw_level $F)
	say "c. coherency=$1: O_DIRECT write done, rw lock held at level '$lvl'"
	[ "$lvl" = "$3" ] || fail "c. coherency=$1: rw lock at '$lvl', want $3"
}
dio_round() {
	mount -t ocfs2 -o coherency=$1 $dev $M || fail "mount coherency=$1"
	echo ",$(shown)," | grep -q ",coherency=$1," || fail "coherency=$1 not shown: $(shown)"
	lab-barrier op-c-$1-mounted
	if [ "$1" = buffered ]; then
		dio_write "$@"
	else	# one writer at a time: the next one's EX takes it away
		for w in $(seq 0 $((NODES - 1))); do
			[ "$w" != "$NODE" ] || dio_write "$@"
			lab-barrier op-c-$1-w$w
		done
	fi
	lab-barrier op-c-$1-written
	for n in $(seq 0 $((NODES - 1))); do
		lab-mmapio bcheck $F $((n * K)) $K $((0x41 + n + $2)) > /dev/null ||
			fail "c. coherency=$1: node$n's range"
		lab-mmapio dcheck $F $((n * K)) $K $((0x41 + n + $2)) > /dev/null ||
			fail "c. coherency=$1: node$n's range (O_DIRECT)"
	done
	lab-barrier op-c-$1-checked
	umount $M || fail "umount c $1"
	lab-barrier op-c-$1-unmounted
}
if [ "$NODE" = 0 ]; then
	mount -t ocfs2 $dev $M || fail "mount c"
	dd if=/dev/zero of=$F bs=64k count=$((NODES + 1)) 2>/dev/null
	umount $M
fi
lab-barrier op-c-made
dio_round buffered 0 3
dio_round full 8 5

# d. heartbeat= refused as stock
kmount() { mount -i -t ocfs2 -o "$1" "$2" $M 2> /tmp/op-err; }
refused() {
	if kmount "$1" "$2"; then
		umount $M
		fail "d. $3: mounted with $1"
	fi
	say "d. $3: refused: $(dmesg | grep -i 'ocfs2\|heartbeat' | tail -1)"
}
if [ $cs = pcmk ]; then
	refused heartbeat=local,cluster_stack=pcmk $dev "heartbeat=local on a pcmk volume"
	refused heartbeat=none,heartbeat=local,cluster_stack=pcmk $dev "two heartbeat modes"
else
	refused heartbeat=none,heartbeat=local $dev "two heartbeat modes"
fi
# a local-mount volume on a loop device over tmpfs (as cluster/12; stock
# mkfs in the lab refused the plain file: run 20261127-084824-set-oSJ1)
mkdir -p /tmp/op-tmp
mount -t tmpfs -o size=300m tmpfs /tmp/op-tmp
dd if=/dev/zero of=/tmp/op-tmp/img bs=1M count=0 seek=256 2> /dev/null
modprobe loop 2> /dev/null || true
ldev=$(losetup -f --show /tmp/op-tmp/img) || fail "no loop device"
echo y | $mkfs -q -F -M local $ldev > /tmp/op-mkfs 2>&1 || fail "mkfs local: $(cat /tmp/op-mkfs)"
refused heartbeat=local $ldev "heartbeat=local on a local-mount volume"
kmount heartbeat=none $ldev || fail "d. heartbeat=none on the local volume: $(cat /tmp/op-err)"
echo ",$(shown)," | grep -q ",heartbeat=none," || fail "heartbeat=none not shown: $(shown)"
if mount -i -o remount,heartbeat=local $M 2> /tmp/op-err; then
	fail "d. remount changed the heartbeat mode: $(shown)"
fi
say "d. remount heartbeat=none -> local: refused: $(dmesg | tail -1)"
mount -i -o remount,heartbeat=none $M || fail "d. remount with the same mode: $(cat /tmp/op-err)"
umount $M
losetup -d $ldev
umount /tmp/op-tmp
lab-barrier op-d-done
if [ "$NODE" = 0 ]; then
	$fsck -fn $dev || fail "fsck"
fi
say "all checks passed"
exit 0
