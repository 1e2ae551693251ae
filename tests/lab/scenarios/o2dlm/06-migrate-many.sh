#!/bin/sh
# Migration of many resources on 3 nodes (--stack stock,ours,ours: node 1
# leaves first, node 2 next, stock node 0 stays to the end).  Node 1
# masters N resources (default 300, more than the 240 locks one
# MIG_LOCKRES carries) with a value block each; nodes 2 then 0 hold them
# under PR (cached), so node 2 comes first in each queue and is the heir.
# Node 2 also holds EX on "held" (mastered by node 1) while node 0 waits
# for it (a blocked lock in transit).  Node 1 unlinks its files and
# leaves: every resource must move, with its value block, and node 0's
# waiter must be granted once node 2 lets go.  Node 1 rejoins: an EX
# trylock on a resource the others hold is busy, a blocking EX gets it
# with the value block.  Node 2 then leaves, moving its N resources to
# node 0 (an heir of the other stack).  Nodes above 2 only join and leave.
#   tests/lab/run --kernel K --stack stock,ours,ours --nodes 3 --disk 1G \
#       --add tests/lab/scenarios/o2dlm/o2lib.sh \
#       --timeout 300 tests/lab/scenarios/o2dlm/06-migrate-many.sh [N]
set -e
# only this scenario's kernel lines are judged (a set runs several)
k0=$(dmesg | wc -l)
R=$LAB_RESULTS
D=/dlm/o2dlmmany
N=${1:-300}
. /usr/local/bin/o2lib.sh
fail() { say "FAIL: $*"; dmesg | grep -i 'o2dlm' | tail -20; exit 1; }
each() { # CMD...: CMD with $D/rI for every I
	i=1
	while [ $i -le "$N" ]; do
		"$@" "$D/r$i" "$i"
		i=$((i + 1))
	done
}
write_one() { lab-dlmlock -w -s "v$2" "$1" > /dev/null; }
# the file must be created on each node; a shell redirect would not
read_one() { lab-dlmlock -r "$1" > /dev/null; }
sample() { # EXPECT_LVB: PR with the value block on three resources
	for i in 1 $((N / 2)) "$N"; do
		lab-dlmlock -r -g "$D/r$i" > "$R/sample.$NODE" 2>&1
		if [ "$1" = yes ]; then
			grep -q "lvb v$i\$" "$R/sample.$NODE" ||
				fail "r$i: $(cat "$R/sample.$NODE")"
		fi
	done
}
state() { cat /sys/kernel/debug/o2dlm/o2dlmmany/locking_state > "$R/$1.$NODE" 2>/dev/null || true; }

if [ "$NODE" = 0 ]; then
	# stock mkfs asks before overwriting a volume even with -F
	echo y | mkfs.ocfs2 -q -F -N 3 --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
echo "$LAB_STACK" > "$R/stack.$NODE"
lab-barrier formatted
ocfs2_hb_ctl -S -d /dev/vda o2dlmmany
mkdir $D
lab-barrier joined

if [ "$NODE" = 1 ]; then
	t0=$(date +%s)
	each write_one
	lab-dlmlock -w "$D/held"
	say "mastered $N resources in $(($(date +%s) - t0)) s"
fi
lab-barrier mastered
if [ "$NODE" = 2 ]; then
	each read_one
	lab-dlmlock -w -u "$R/held.release" "$D/held" > "$R/held.2" 2>&1 &
	holder=$!
	until_in "$R/held.2" granted
fi
lab-barrier read2
if [ "$NODE" = 0 ]; then
	each read_one
	lab-dlmlock -w "$D/held" > "$R/held.0" 2>&1 &
	waiter=$!
	sleep 2
	! grep -q granted "$R/held.0" || fail "EX on held granted while node 2 holds it"
fi
lab-barrier read0

if [ "$NODE" = 1 ]; then
	state before
	rm -f $D/r* $D/held
	t0=$(date +%s)
	rmdir $D
	say "left the domain ($N+1 resources to migrate) in $(($(date +%s) - t0)) s"
fi
lab-barrier left1
if [ "$NODE" = 2 ]; then
	state after
	moved=$(grep -c "master 2 " "$R/after.2" || true)
	say "resources node 2 masters after node 1 left: $moved"
	[ "$moved" -ge "$N" ] || fail "only $moved of $N resources moved here"
	sample yes
	: > "$R/held.release"
	wait $holder
fi
lab-barrier released
if [ "$NODE" = 0 ]; then
	wait $waiter
	grep -q granted "$R/held.0" || fail "node 0's waiter not granted"
	sample yes
	say "blocked EX granted after the migration; value blocks intact"
fi
lab-barrier checked

if [ "$NODE" = 1 ]; then
	mkdir $D
	rc=0
	lab-dlmlock -w -n "$D/r1" > "$R/try.1" 2>&1 || rc=$?
	[ "$rc" -eq 3 ] || fail "EX trylock on r1: exit $rc, $(cat "$R/try.1")"
	lab-dlmlock -w -g "$D/r1" > "$R/ex.1" 2>&1
	grep -q "lvb v1\$" "$R/ex.1" || fail "EX on r1 after rejoining: $(cat "$R/ex.1")"
	say "rejoined: r1 busy for a trylock, then $(tail -1 "$R/ex.1")"
	rm -f $D/r1
	rmdir $D
fi
lab-barrier rejoined
# node 2 leaves: its resources go to stock node 0
if [ "$NODE" = 2 ]; then
	rm -f $D/r* $D/held
	t0=$(date +%s)
	rmdir $D
	say "left the domain in $(($(date +%s) - t0)) s"
fi
lab-barrier left2
# a fourth node or more only joined
if [ "$NODE" -gt 2 ]; then rmdir $D; fi
if [ "$NODE" = 0 ]; then
	# a stock heir keeps no value block for locks it holds itself
	sample "$(cat "$R/stack.0" | sed 's/stock/no/; s/ours/yes/')"
	lab-dlmlock -w -n "$D/r2" > /dev/null
	rm -f $D/r* $D/held
	rmdir $D
	say "node 2's resources served here after it left"
fi
lab-barrier done
ocfs2_hb_ctl -K -d /dev/vda o2dlmmany
if [ "$LAB_STACK" = ours ] &&
	dmesg | tail -n +$((k0 + 1)) | grep -E "o2dlm: .*(fail|refuse|ignored|dropped)"; then
	fail "o2dlm complained (above)"
fi
say "done"
