#!/bin/sh
# A dlmfs lock master dies with locks held (3 or more nodes, any stack
# mix; run with a short --hb-threshold and say so).  The victim V and the
# two waiters W1, W2 are arguments 1-3 (default 2 0 1; any other node
# only joins and leaves).  V masters two resources and holds a third
# that W2 masters:
#  - "master": V holds EX with a value block; W1 and W2 wait for EX.
#    Stock rule: the value block of a dead EX holder is blanked.
#  - "shared": V wrote a value block under EX, then W1 and W2 took PR
#    (cached), so V is left with PR.  Stock rule: the value block
#    survives, rebuilt by the new master from the PR holders.
#  - "remote": mastered by W2 (its value block written under EX), V holds
#    EX with a value block it never gave back, W1 waits for EX.  The
#    master drops V's lock and blanks the value block (dead EX holder).
# V's QEMU is killed.  Once heartbeat declares it dead, o2dlm recovery
# (on whichever survivor wins the recovery lock) drops its locks and
# remasters "master" and "shared" on a survivor: exactly one waiter gets
# "master", the other when the first lets go; "shared" still carries its
# value block under EX; W1 gets "remote" with a blank value block; a new
# lock and leaving the domain work.  With --stack stock,ours,ours V=2 is
# ours and a stock node survives; with ours,ours,stock V=2 is stock and
# only our nodes recover; the log names the recovery master.
#   tests/lab/run --kernel K --stack ours --nodes 3 --disk 1G \
#       --add tests/lab/scenarios/o2dlm/o2lib.sh \
#       --hb-threshold 7 --timeout 240 tests/lab/scenarios/o2dlm/02-dlmfs-master-dies.sh [V W1 W2]
set -e
# only this scenario's kernel lines are judged (a set runs several)
k0=$(dmesg | wc -l)
R=$LAB_RESULTS
D=/dlm/o2dlmkill
. /usr/local/bin/o2lib.sh
V=${1:-2}
W1=${2:-0}
W2=${3:-1}
granted() { grep -l granted "$R/k.$W1" "$R/k.$W2" 2>/dev/null | wc -l; }
survivor() { [ "$NODE" = "$W1" ] || [ "$NODE" = "$W2" ]; }

if [ "$NODE" = 0 ]; then
	# stock mkfs asks before overwriting a volume even with -F
	echo y | mkfs.ocfs2 -q -F -N "$NODES" --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
lab-barrier formatted
ocfs2_hb_ctl -S -d /dev/vda o2dlmkill
mkdir $D
lab-barrier joined

rm -f "$R"/k.* "$R"/s.* "$R"/r.*
[ "$NODE" = "$W2" ] && lab-dlmlock -w -s "lvb-remote-$W2" $D/remote
lab-barrier remote-made
if [ "$NODE" = "$V" ]; then
	lab-dlmlock -w -s "lvb-shared-$V" $D/shared
	lab-dlmlock -w -s "lvb-master-$V" -u /never $D/master > "$R/k.$V" 2>&1 &
	until_in "$R/k.$V" granted
	lab-dlmlock -w -g -s "lvb-remote-$V" -u /never $D/remote > "$R/r.$V" 2>&1 &
	until_in "$R/r.$V" granted
	say "holds the master lock and EX on remote ($(tail -1 "$R/r.$V"))"
fi
lab-barrier held
if survivor; then
	lab-dlmlock -r -g $D/shared > "$R/s.$NODE" 2>&1
	grep -q "lvb lvb-shared-$V" "$R/s.$NODE"
	lab-dlmlock -w -g -u "$R/k.release.$NODE" $D/master > "$R/k.$NODE" 2>&1 &
	pid=$!
fi
if [ "$NODE" = "$W1" ]; then
	lab-dlmlock -w -g $D/remote > "$R/r.$NODE" 2>&1 &
	rpid=$!
fi
sleep 3
lab-barrier waiting
test "$(granted)" -eq 0
if [ "$NODE" = "$W1" ]; then
	if grep -q granted "$R/r.$W1"; then
		say "EX on remote granted while node $V holds it"
		exit 1
	fi
	cat /sys/kernel/debug/o2dlm/o2dlmkill/locking_state \
		> "$R/state.before" 2>/dev/null || true
	say "killing node $V"
	lab-ctl kill "$V"
fi
[ "$NODE" = "$V" ] && sleep 600
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
if [ "$NODE" = "$W1" ]; then
	test "$(granted)" -eq 1
	winner=$(grep -l granted "$R/k.$W1" "$R/k.$W2")
	say "after node $V died: $(basename "$winner") holds the lock: $(tail -1 "$winner")"
	if grep -q "lvb-master-$V" "$winner"; then
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

# the remote master blanked the dead EX holder's value block
if [ "$NODE" = "$W1" ]; then
	wait $rpid
	say "EX on remote after node $V died: $(tail -1 "$R/r.$W1")"
	grep -q granted "$R/r.$W1"
	if grep -q "lvb-remote" "$R/r.$W1"; then
		say "the value block under the dead EX holder survived"
		exit 1
	fi
fi
# the PR holders' value block outlives the dead master
if [ "$NODE" = "$W2" ]; then
	lab-dlmlock -w -g $D/shared > "$R/s.ex" 2>&1
	say "EX on shared after recovery: $(tail -1 "$R/s.ex")"
	grep -q "lvb lvb-shared-$V" "$R/s.ex"
fi
lab-barrier shared
if [ "$NODE" = "$W1" ]; then
	lab-dlmlock -w $D/fresh
	cat /sys/kernel/debug/o2dlm/o2dlmkill/locking_state \
		> "$R/state.after" 2>/dev/null || true
fi
lab-barrier fresh
rm -f $D/master $D/shared $D/remote $D/fresh
lab-barrier unlinked
[ "$NODE" = "$W1" ] && rmdir $D
lab-barrier left0
[ "$NODE" = "$W2" ] && rmdir $D
lab-barrier left1
survivor || rmdir $D
lab-barrier left2
ocfs2_hb_ctl -K -d /dev/vda o2dlmkill
if [ "$LAB_STACK" = ours ] &&
	dmesg | tail -n +$((k0 + 1)) | grep -E "o2dlm: .*(fail|refuse|ignored|dropped)"; then
	say "o2dlm complained (above)"
	exit 1
fi
dmesg | tail -n +$((k0 + 1)) | grep -iE "recovery master|recover(s|ed by|ing) node" | tail -3 || true
say "done"
