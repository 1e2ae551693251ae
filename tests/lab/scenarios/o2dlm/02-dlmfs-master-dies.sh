#!/bin/sh
# A dlmfs lock master dies with locks held (3 nodes, any stack mix; run
# with a short --hb-threshold and say so).  Node 2 masters two resources:
#  - "master": node 2 holds EX with a value block; nodes 0 and 1 wait for
#    EX.  Stock rule: the value block of a dead EX holder is blanked.
#  - "shared": node 2 wrote a value block under EX, then nodes 0 and 1
#    took PR (cached), so node 2 is left with PR.  Stock rule: the value
#    block survives, rebuilt by the new master from the PR holders.
# Node 2's QEMU is killed.  Once heartbeat declares it dead, o2dlm
# recovery (on whichever survivor wins the recovery lock) drops its locks
# and remasters both resources on a survivor: exactly one waiter gets
# "master", the other when the first lets go; "shared" still carries its
# value block under EX; a new lock and leaving the domain work.
#   tests/lab/run --kernel K --stack ours --nodes 3 --disk 1G \
#       --hb-threshold 7 --timeout 240 tests/lab/scenarios/o2dlm/02-dlmfs-master-dies.sh
set -e
# only this scenario's kernel lines are judged (a set runs several)
k0=$(dmesg | wc -l)
R=$LAB_RESULTS
D=/dlm/o2dlmkill
say() { echo "node$NODE: $*"; }
# wait until FILE has PATTERN (a loaded TCG node may take seconds)
until_in() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 120 ] || { echo "node$NODE: no '$2' in $1 after 60 s"; exit 1; }
		sleep 0.5
	done
}
granted() { grep -l granted "$R/k.0" "$R/k.1" 2>/dev/null | wc -l; }

if [ "$NODE" = 0 ]; then
	# stock mkfs asks before overwriting a volume even with -F
	echo y | mkfs.ocfs2 -q -F -N "$NODES" --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
lab-barrier formatted
ocfs2_hb_ctl -S -d /dev/vda o2dlmkill
mkdir $D
lab-barrier joined

if [ "$NODE" = 2 ]; then
	lab-dlmlock -w -s "lvb-shared-2" $D/shared
	lab-dlmlock -w -s "lvb-master-2" -u /never $D/master > "$R/k.2" 2>&1 &
	until_in "$R/k.2" granted
	say "holds the master lock"
fi
lab-barrier held
if [ "$NODE" != 2 ]; then
	lab-dlmlock -r -g $D/shared > "$R/s.$NODE" 2>&1
	grep -q "lvb lvb-shared-2" "$R/s.$NODE"
	lab-dlmlock -w -g -u "$R/k.release.$NODE" $D/master > "$R/k.$NODE" 2>&1 &
	pid=$!
fi
sleep 3
lab-barrier waiting
test "$(granted)" -eq 0
if [ "$NODE" = 0 ]; then
	cat /sys/kernel/debug/o2dlm/o2dlmkill/locking_state \
		> "$R/state.before" 2>/dev/null || true
	say "killing node 2"
	lab-ctl kill 2
fi
[ "$NODE" = 2 ] && sleep 600
t0=$(date +%s)

i=0
until [ "$(granted)" -ge 1 ]; do
	i=$((i + 1))
	[ $i -lt 150 ] || { say "no survivor got the lock in 150 s"; exit 1; }
	sleep 1
done
say "a waiter was granted $(($(date +%s) - t0)) s after the kill"
sleep 1
lab-barrier took-over
if [ "$NODE" = 0 ]; then
	test "$(granted)" -eq 1
	winner=$(grep -l granted "$R/k.0" "$R/k.1")
	say "after node 2 died: $(basename "$winner") holds the lock: $(tail -1 "$winner")"
	if grep -q "lvb-master-2" "$winner"; then
		say "the value block of the dead EX holder survived"
		exit 1
	fi
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

# the PR holders' value block outlives the dead master
if [ "$NODE" = 1 ]; then
	lab-dlmlock -w -g $D/shared > "$R/s.ex" 2>&1
	say "EX on shared after recovery: $(tail -1 "$R/s.ex")"
	grep -q "lvb lvb-shared-2" "$R/s.ex"
fi
lab-barrier shared
if [ "$NODE" = 0 ]; then
	lab-dlmlock -w $D/fresh
	cat /sys/kernel/debug/o2dlm/o2dlmkill/locking_state \
		> "$R/state.after" 2>/dev/null || true
fi
lab-barrier fresh
rm -f $D/master $D/shared $D/fresh
lab-barrier unlinked
[ "$NODE" = 0 ] && rmdir $D
lab-barrier left0
[ "$NODE" = 1 ] && rmdir $D
lab-barrier left1
ocfs2_hb_ctl -K -d /dev/vda o2dlmkill
if [ "$LAB_STACK" = ours ] &&
	dmesg | tail -n +$((k0 + 1)) | grep -E "o2dlm: .*(fail|refuse|ignored|dropped)"; then
	say "o2dlm complained (above)"
	exit 1
fi
say "done"
