#!/bin/sh
# The classic dlmfs "master agent" lock when its holder dies: node 2 takes
# EX first (so it also masters the resource) and holds it; nodes 0 and 1
# wait for EX; node 2's QEMU is killed.  After heartbeat declares it dead
# (run with a short --hb-threshold) o2dlm recovery drops its lock and
# remasters the resource on a survivor: exactly one waiter is granted,
# and the other once the first lets go.  Needs 3 nodes.
set -e
R=$LAB_RESULTS
D=/dlm/o2dlmkill
say() { echo "node$NODE: $*"; }
granted() { grep -l granted "$R/k.0" "$R/k.1" 2>/dev/null | wc -l; }

if [ "$NODE" = 0 ]; then
	mkfs.ocfs2 -q -F -N "$NODES" --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
lab-barrier formatted
ocfs2_hb_ctl -S -d /dev/vda o2dlmkill
mkdir $D
lab-barrier joined

if [ "$NODE" = 2 ]; then
	lab-dlmlock -w -u /never $D/master > "$R/k.2" 2>&1 &
	sleep 3
	grep -q granted "$R/k.2"
	say "holds the master lock"
fi
lab-barrier held
if [ "$NODE" != 2 ]; then
	lab-dlmlock -w -u "$R/k.release.$NODE" $D/master > "$R/k.$NODE" 2>&1 &
	pid=$!
fi
sleep 3
lab-barrier waiting
test "$(granted)" -eq 0
if [ "$NODE" = 0 ]; then
	say "killing node 2"
	lab-ctl kill 2
fi
[ "$NODE" = 2 ] && sleep 600

i=0
until [ "$(granted)" -ge 1 ]; do
	i=$((i + 1))
	[ $i -lt 150 ] || { say "no survivor got the lock in 150 s"; exit 1; }
	sleep 1
done
lab-barrier took-over
if [ "$NODE" = 0 ]; then
	test "$(granted)" -eq 1
	winner=$(grep -l granted "$R/k.0" "$R/k.1")
	say "after node 2 died: $(basename "$winner") holds the lock"
	: > "$R/k.release.${winner##*.}"
fi
i=0
until [ "$(granted)" -eq 2 ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || { say "the second waiter was not granted"; exit 1; }
	sleep 1
done
: > "$R/k.release.$NODE"
wait $pid
lab-barrier both
say "both survivors had the lock in turn"
rm -f $D/master
lab-barrier unlinked
[ "$NODE" = 0 ] && rmdir $D
lab-barrier left0
[ "$NODE" = 1 ] && rmdir $D
lab-barrier left1
ocfs2_hb_ctl -K -d /dev/vda o2dlmkill
