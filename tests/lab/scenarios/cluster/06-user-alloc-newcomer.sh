#!/bin/sh
# Three nodes allocate in one shared directory at once.  Nodes 1 and 2
# create files there in a loop, passing the directory's lock and the
# global bitmap's lock back and forth (each of them then always has a
# conversion queued in the DLM).  Node 0 then makes its first allocation
# of the mount: a mkdir in that directory, a lock it never asked the DLM
# for.  The DLM grants a new request only when no conversion is queued,
# so a node asking for the first time at EX waited until the other two
# stopped (session 4's demo: node0's mkdir stuck > 245 s in
# ocfs2_alloc_lock).  Checked without timing: nodes 1 and 2 stop as soon
# as node 0's mkdir is done, or after MAX files each; node 0's mkdir must
# finish while both still create.  Then all three make directories and
# files in the shared directory together, every node checks the exact
# tree, a clean unmount, stock fsck -fn.
# Run: tests/lab/run --cluster user --stack ours --nodes 3 --disk 1G
#      --timeout 300 THIS [MAX]
set -e
lab-cluster-mounts
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
S=$M/shared
MAX=${1:-150}
DIRS=6
FILES=4
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -40; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)

[ "$NODES" -ge 3 ] || fail "needs 3 nodes"
grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
fi
lab-barrier a-formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
# node 0 allocates nothing before its mkdir below
[ "$NODE" = 1 ] && mkdir $S
lab-barrier a-mounted

# 1. nodes 1 and 2 pass the locks back and forth; node 0 comes in
if [ "$NODE" = 0 ]; then
	w=0
	until [ -e "$R/a-started.1" ] && [ -e "$R/a-started.2" ]; do
		w=$((w + 1))
		[ $w -lt 120 ] || fail "nodes 1 and 2 never started creating"
		sleep 1
	done
	sleep 2
	t0=$(date +%s)
	mkdir $S/d0 || fail "mkdir"
	: > "$R/a-done"
	c1=$(ls $S | grep -c '^n1\.') || true
	c2=$(ls $S | grep -c '^n2\.') || true
	say "1 first mkdir done in $(($(date +%s) - t0)) s while nodes 1 and 2 had made $c1 and $c2 files"
else
	i=0
	t0=$(date +%s)
	while [ $i -lt "$MAX" ] && [ ! -e "$R/a-done" ]; do
		echo "node$NODE file $i" > $S/n$NODE.$i
		i=$((i + 1))
		[ $i = 5 ] && : > "$R/a-started.$NODE"
	done
	echo $i > "$R/a-count.$NODE"
	say "1 made $i files in $(($(date +%s) - t0)) s"
fi
lab-barrier a-phase1
for n in 1 2; do
	c=$(cat "$R/a-count.$n")
	[ "$c" -lt "$MAX" ] ||
		fail "node0's first mkdir waited until node$n had made all $MAX files"
done

# 2. everyone makes directories and files in the shared directory
t0=$(date +%s)
j=0
while [ $j -lt $DIRS ]; do
	mkdir $S/e$NODE.$j
	k=0
	while [ $k -lt $FILES ]; do
		echo "node$NODE dir $j file $k" > $S/e$NODE.$j/f$k
		k=$((k + 1))
	done
	echo "node$NODE top $j" > $S/t$NODE.$j
	j=$((j + 1))
done
say "2 made $DIRS directories of $FILES files and $DIRS files ($(($(date +%s) - t0)) s)"
lab-barrier a-phase2

# 3. every node checks the whole tree
want=$(( 1 + $(cat "$R/a-count.1") + $(cat "$R/a-count.2") + 2 * DIRS * NODES ))
have=$(ls $S | wc -l)
[ "$have" = "$want" ] || fail "shared has $have names, not $want"
test -d $S/d0 || fail "node0's d0 missing"
for n in 1 2; do
	c=$(cat "$R/a-count.$n")
	last=$((c - 1))
	[ "$(cat $S/n$n.$last)" = "node$n file $last" ] || fail "n$n.$last"
	[ "$(ls $S | grep -c "^n$n\.")" = "$c" ] || fail "node$n's files"
done
n=0
while [ $n -lt "$NODES" ]; do
	j=0
	while [ $j -lt $DIRS ]; do
		[ "$(ls $S/e$n.$j | wc -l)" = $FILES ] || fail "e$n.$j: $(ls $S/e$n.$j)"
		[ "$(cat $S/e$n.$j/f$((FILES - 1)))" = "node$n dir $j file $((FILES - 1))" ] ||
			fail "e$n.$j/f$((FILES - 1))"
		[ "$(cat $S/t$n.$j)" = "node$n top $j" ] || fail "t$n.$j"
		[ "$(stat -c %h $S/e$n.$j)" = 2 ] || fail "e$n.$j links"
		j=$((j + 1))
	done
	n=$((n + 1))
done
[ "$(stat -c %h $S)" = $((2 + 1 + DIRS * NODES)) ] ||
	fail "shared has $(stat -c %h $S) links"
say "3 all $want names, every directory and file of every node seen"
lab-barrier a-checked
umount $M || fail "umount"
lab-barrier a-unmounted
if [ "$NODE" = 0 ]; then
	$fsck -fn $dev || fail "fsck"
fi
say "all checks passed"
exit 0
