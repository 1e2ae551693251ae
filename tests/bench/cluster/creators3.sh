#!/bin/sh
# 3-node creators bench, ours against stock in one boot (lab scenario:
# --cluster user --stack ours --nodes 3, two disks, LAB_MODSETS=1,
# fs-bench added; tests/bench/cluster/run-creators3.sh runs it), arguments
# [ROUNDS [N]].  Six TCG nodes (three per stack) do not boot on the lab
# host, so every node holds both module sets and swaps between them
# (lab-modset): stock and ours run in turn on the same three nodes, while
# the user stack (corosync, dlm_controld, fs/dlm) stays up throughout.
# Stock's phases use vda (stock mount.ocfs2), ours vdb (our mount.ocfs2);
# stock mkfs formats both.  A phase: each node loads the stack's ocfs2
# modules (their build IDs are checked against the staged files and
# logged), mounts the stack's volume and makes a directory of its own;
# then all three create N files in their own directory at once (fs-bench
# create, which ends with syncfs); node 0 computes 3N / the slowest node's
# seconds.  After the timing every node counts all three directories (N
# names each) and all unmount.  The order alternates by round (odd rounds:
# stock first).  Lines "<stack> <metric> <value>" go to
# $LAB_RESULTS/bench.<node>: creates-3-nodes/s (node 0) and each node's own
# creates-node<N>/s.  Ours only: the mount's lock_stats (requests and their
# waits, per kind of lock) just before and just after the creates go to
# lockstats.<node> ("== ours ROUND ready|created N" then the counters on one
# line), so the driver can print lock waits per create.  At the end stock
# fsck -fn of both volumes (node 0).
set -e
R=$LAB_RESULTS
ROUNDS=${1:-2}
N=${2:-1000}
C=/mnt/c
say() { echo "node$NODE ($1): $2"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)

[ "$NODES" = 3 ] || fail "wants 3 nodes"
grep -q '^user pcmk' /run/lab-stack || fail "user stack not online (--cluster user)"
if [ ! -r /lab/mods/stock/manifest ] || [ ! -r /lab/mods/ours/manifest ]; then
	fail "both module sets must be staged (LAB_MODSETS=1)"
fi
command -v stock-mount.ocfs2 > /dev/null || fail "no stock-mount.ocfs2 (boot --stack ours)"
lab-cluster-mounts || fail "ocfs2.cluster_mounts is not on by default"
for q in cluster_meta_cache attach_direct upconvert_direct lock_ahead fair_locks \
	create_async_locks lookup_ahead_names; do
	p=/sys/module/ocfs2/parameters/$q
	[ -r $p ] && say ours "default $q=$(cat $p) (left as it is)"
done
# the user stack's daemons must be the same processes at the end
daemons=$(pidof corosync dlm_controld)
[ -n "$daemons" ] || fail "corosync and dlm_controld are not running"

if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab /dev/vda
	echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab /dev/vdb
fi
lab-barrier formatted
mkdir -p $C

out() { echo "$1 $2 $3" >> "$R/bench.$NODE"; }

# modset STACK: this node runs STACK's modules, proven by build ID
modset() {
	if ! lab-modset --check "$1" > /tmp/modset 2>&1; then
		lab-modset "$1" > /tmp/modset 2>&1 || { cat /tmp/modset; fail "swap to $1"; }
		say "$1" "swapped to $1's modules"
	fi
	cat /tmp/modset
	say "$1" "lsmod: $(lsmod | awk '$1 ~ /^(ocfs2|dlm$)/ { printf "%s ", $1 }')"
	[ "$(pidof corosync dlm_controld)" = "$daemons" ] ||
		fail "the user stack's daemons changed: $(pidof corosync dlm_controld), were $daemons"
}

# lstats STACK ROUND WHEN: our mount's lock counters (totals since the mount)
lstats() {
	[ "$1" = ours ] || return 0
	for f in /sys/kernel/debug/ocfs2/*/lock_stats; do
		[ -r "$f" ] || continue
		echo "== $1 $2 $3 $N"
		tr '\n' ' ' < "$f"
		echo
	done >> "$R/lockstats.$NODE"
}

# phase STACK ROUND
phase() {
	if [ "$1" = stock ]; then dev=/dev/vda; else dev=/dev/vdb; fi
	modset "$1"
	lab-barrier "$1-$2-loaded"
	if [ "$1" = stock ]; then
		stock-mount.ocfs2 $dev $C || fail "stock mount of $dev"
	else
		mount -t ocfs2 $dev $C || fail "our mount of $dev"
	fi
	d=$C/c$2-$NODE
	mkdir "$d"
	sync
	lstats "$1" "$2" ready
	lab-barrier "$1-$2-ready"
	fs-bench create "$d" "$N" > "$R/cr3.$1.$2.$NODE" || fail "$1 creates"
	lstats "$1" "$2" created
	lab-barrier "$1-$2-created"
	say "$1" "round $2: $(cat "$R/cr3.$1.$2.$NODE") (names, s, creates/s)"
	out "$1" "creates-node$NODE/s" "$(awk '{ print $3 }' "$R/cr3.$1.$2.$NODE")"
	if [ "$NODE" = 0 ]; then
		agg=$(cat "$R"/cr3."$1"."$2".[0-2] |
			awk '{ n += $1; if ($2 > t) t = $2 } END { printf "%.1f\n", n / t }')
		out "$1" creates-3-nodes/s "$agg"
		say "$1" "round $2: creates-3-nodes/s $agg"
	fi
	for n in 0 1 2; do
		c=$(ls $C/c$2-$n | wc -l)
		[ "$c" = "$N" ] || fail "$1 round $2: node$n's directory has $c names, not $N"
	done
	umount $C || fail "umount of $dev ($1)"
	lab-barrier "$1-$2-done"
}

round=1
while [ "$round" -le "$ROUNDS" ]; do
	if [ $((round % 2)) = 1 ]; then
		phase stock $round
		phase ours $round
	else
		phase ours $round
		phase stock $round
	fi
	round=$((round + 1))
done
lab-barrier unmounted
if [ "$NODE" = 0 ]; then
	for dev in /dev/vda /dev/vdb; do
		$fsck -fn $dev > /tmp/fsck.out 2>&1 < /dev/null || { cat /tmp/fsck.out; fail "fsck of $dev"; }
		say stock "stock fsck -fn of $dev clean"
	done
fi
echo "node$NODE: done"
