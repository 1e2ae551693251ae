#!/bin/sh
# Every node writes at once on one cluster volume (pcmk in a --cluster
# user run, else o2cb; three of ours in the lab line below): files and a
# 2 MiB blob in a directory of its own, then files in one shared
# directory and appends to one shared log, all concurrently; every node
# then checks everyone's names, contents and the log's line count; then
# a clean unmount and stock fsck -fn.  This is what hit the
# jbd2_journal_flush BUG in the downconvert thread and the writers' hang
# in session 3.
# Arguments: FILES (40) per node and phase, ROUNDS (1) of shared-log
# appends, "unlocked" to append without flock even with a stock node,
# then the node numbers taking part (default all; the first formats, the
# others leave at once): set.sh 05-user-writers.sh=40,1,0,2,3.
# Run: tests/lab/run --cluster user --stack ours --nodes 3 --disk 1G
#      --timeout 240 THIS [FILES [ROUNDS [unlocked]] [NODE...]]
set -e
. lab-cluster-lib
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
N=${1:-40}
# rounds of concurrent appends to the shared log after the shared
# directory: a 1-in-10 race between two nodes' appends shows in a few
ROUNDS=${2:-1}
if [ $# -ge 2 ]; then shift 2; else shift $#; fi
unlocked=
if [ "${1:-}" = unlocked ]; then
	unlocked=1
	shift
fi
cl_group "$@"
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -40; exit 1; }
# a short log: which lines are missing, and what stands where they were
log_fail() {
	cp $M/shared/log "$R/w-log.node$NODE" 2>/dev/null || true
	echo "node$NODE: log size $(stat -c %s $M/shared/log), $(wc -l < $M/shared/log) lines; copy in w-log.node$NODE"
	od -c $M/shared/log | grep -m 5 '\\0' || true
	fail "log: $*"
}

if [ "$NODE" = "$first" ]; then
	echo y | $mkfs -q -F -N 4 $stack $dev
fi
lab-barrier w-formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
[ "$NODE" = "$first" ] && mkdir $M/shared && : > $M/shared/log.lock
echo "$LAB_STACK" > "$R/w-stack.$NODE"
lab-barrier w-mounted
# Stock takes an O_APPEND write's position from the size it last saw
# under the meta lock, before it takes the meta lock again (6.1 file.c
# ocfs2_file_write_iter: generic_write_checks under the rw lock alone):
# a stock node appending while another node appends can write over the
# other's lines.  Ours takes the meta lock first.  With a stock node in
# the cluster the shared-log appends are therefore made under flock(1)
# on one lock file, which also passes cluster flocks between stacks.
# A third argument "unlocked" appends without flock all the same: it
# shows stock's race (stock,stock loses lines as stock,ours does).
serial=
for n in $group; do
	if grep -qx stock "$R/w-stack.$n"; then serial=1; fi
done
[ -z "$unlocked" ] || serial=
append() {
	if [ -n "$serial" ]; then
		flock $M/shared/log.lock sh -c "echo '$1' >> $M/shared/log"
	else
		echo "$1" >> $M/shared/log
	fi
}
t0=$(date +%s)

# 1. own directory: N small files, a rewrite of each, a 2 MiB blob
mkdir $M/node$NODE
i=0
while [ $i -lt "$N" ]; do
	echo "node$NODE file $i" > $M/node$NODE/f$i
	i=$((i + 1))
done
dd if=/dev/urandom of=$M/node$NODE/blob bs=64k count=32 2>/dev/null
md5sum < $M/node$NODE/blob > "$R/w-md5.$NODE"
i=0
while [ $i -lt "$N" ]; do
	echo "again $i" >> $M/node$NODE/f$i
	i=$((i + 1))
done
rm $M/node$NODE/f0
mv $M/node$NODE/f1 $M/node$NODE/g1
say "1 own directory written ($(($(date +%s) - t0)) s)"

# 2. one shared directory and one shared log, everyone at once
i=0
while [ $i -lt "$N" ]; do
	echo "node$NODE shared $i" > $M/shared/n$NODE.$i
	append "node$NODE line $i"
	i=$((i + 1))
done
rm $M/shared/n$NODE.0
r=1
while [ $r -lt "$ROUNDS" ]; do
	lab-barrier "w-round$r"
	i=0
	while [ $i -lt "$N" ]; do
		append "node$NODE round$r $i"
		i=$((i + 1))
	done
	r=$((r + 1))
done
say "2 shared directory and log written, $ROUNDS round(s)${serial:+, appends under flock} ($(($(date +%s) - t0)) s)"
lab-barrier w-written

# 3. everyone checks everyone
for n in $group; do
	d=$M/node$n
	c=$(ls $d | wc -l)
	[ "$c" = "$N" ] || fail "node$n's directory has $c entries, not $N"
	[ "$(md5sum < $d/blob)" = "$(cat "$R/w-md5.$n")" ] || fail "node$n's blob differs"
	test ! -e $d/f0 || fail "node$n's f0 still there"
	[ "$(cat $d/g1)" = "node$n file 1
again 1" ] || fail "node$n's g1: $(cat $d/g1)"
	[ "$(cat $d/f$((N - 1)))" = "node$n file $((N - 1))
again $((N - 1))" ] || fail "node$n's last file: $(cat $d/f$((N - 1)))"
	c=$(ls $M/shared | grep -c "^n$n\.") || true
	[ "$c" = $((N - 1)) ] || fail "shared: $c names of node$n, not $((N - 1))"
	c=$(grep -c "^node$n line " $M/shared/log) || true
	[ "$c" = "$N" ] || log_fail "$c lines of node$n, not $N"
	r=1
	while [ $r -lt "$ROUNDS" ]; do
		c=$(grep -c "^node$n round$r " $M/shared/log) || true
		[ "$c" = "$N" ] || log_fail "round $r: $c lines of node$n, not $N"
		r=$((r + 1))
	done
done
[ "$(wc -l < $M/shared/log)" = $((N * nodes * ROUNDS)) ] || log_fail "log has $(wc -l < $M/shared/log) lines"
say "3 every node's files, blob, names and log lines seen ($(($(date +%s) - t0)) s)"

lab-barrier w-checked
umount $M || fail "umount"
lab-barrier w-unmounted
if [ "$NODE" = "$first" ]; then
	$fsck -fn $dev || fail "fsck"
fi
say "all checks passed"
exit 0
