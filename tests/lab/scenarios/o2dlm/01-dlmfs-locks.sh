#!/bin/sh
# dlmfs locks across every node of the o2cb cluster, through o2dlm and the
# o2cb stack plugin (any mix of stock and project nodes): domain join, one
# EX holder out of a trylock race, PR shared by all with an EX trylock
# busy (ETXTBSY), an LVB written under EX read under PR elsewhere, and a
# blocking EX open that waits for the holder and is granted on release,
# and poll() on a held lock wakes when another node wants it.
# An optional argument ROT (default 0) shifts the roles by ROT nodes, so
# the writers, holders and masters are other nodes (other stacks) when the
# scenario runs again in a set (01-dlmfs-locks.sh=1).
#   tests/lab/run --kernel K --stack stock,ours,ours --nodes 3 --disk 256M \
#       --add tests/lab/scenarios/o2dlm/o2lib.sh tests/lab/scenarios/o2dlm/01-dlmfs-locks.sh
set -e
R=$LAB_RESULTS/01.${1:-0}
D=/dlm/o2dlmtest
ROT=${1:-0}
# role I is played by node (I + ROT) mod NODES
role() { echo $((($1 + ROT) % NODES)); }
A=$(role 0)
B=$(role 1)
last=$(role $((NODES - 1)))
mkdir -p "$R"
. /usr/local/bin/o2lib.sh
# a trylock's answer is in FILE (a loaded TCG node may take seconds)
answered() { waitfor test -s "$1" || { say "no answer in $1 after 60 s"; exit 1; }; }
# on failure, this node's view of the domain (stock's and ours' debugfs
# files) for the diagnosis: a stock trylock once hung here (run
# 20261127-035834) and nothing said why
dump_domain() {
	for f in /sys/kernel/debug/o2dlm/o2dlmtest/*; do
		[ -f "$f" ] && echo "== $f" && cat "$f"
	done > "$R/debugfs.$NODE" 2>&1
}
trap '[ $? -eq 0 ] || dump_domain' EXIT

if [ "$NODE" = 0 ]; then
	# stock mkfs asks before overwriting a volume even with -F
	echo y | mkfs.ocfs2 -q -F -N "$NODES" --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
lab-barrier formatted
# an o2cb dlmfs domain needs this node heartbeating on a region
ocfs2_hb_ctl -S -d /dev/vda o2dlmtest
mkdir $D
say "joined"
lab-barrier joined

# 1: trylock race for EX; the winner holds until everybody has tried
lab-dlmlock -w -n -u "$R/r1.done" $D/master > "$R/r1.$NODE" 2>&1 &
pid=$!
answered "$R/r1.$NODE"
lab-barrier r1-tried
if [ "$NODE" = 0 ]; then
	holders=$(grep -l granted "$R"/r1.* | wc -l)
	busy=$(grep -l busy "$R"/r1.* | wc -l)
	say "round 1: $holders holder(s), $busy busy"
	test "$holders" -eq 1
	test "$busy" -eq $((NODES - 1))
	: > "$R/r1.done"
fi
wait $pid || true
lab-barrier r1

# 2: PR on every node at once, then an EX trylock is busy
lab-dlmlock -r -n -u "$R/r2.done" $D/shared > "$R/r2.$NODE" 2>&1 &
pid=$!
answered "$R/r2.$NODE"
lab-barrier r2-held
grep -q granted "$R/r2.$NODE"
if [ "$NODE" = "$last" ]; then
	rc=0
	lab-dlmlock -w -n $D/shared > "$R/r2.ex" 2>&1 || rc=$?
	say "EX trylock while PR is shared: exit $rc ($(cat "$R/r2.ex"))"
	test "$rc" -eq 3
	: > "$R/r2.done"
fi
wait $pid
lab-barrier r2

# 3: the LVB written under EX on node B is read under PR on node A
if [ "$NODE" = "$B" ]; then
	lab-dlmlock -w -s "lvb-from-node$B" $D/lvb
fi
lab-barrier lvb-written
if [ "$NODE" = "$A" ]; then
	lab-dlmlock -r -g $D/lvb | tee "$R/lvb.read"
	grep -q "lvb lvb-from-node$B" "$R/lvb.read"
fi
lab-barrier lvb-read

# 4: a blocking EX on node A waits while node B holds EX, then gets it
if [ "$NODE" = "$B" ]; then
	lab-dlmlock -w -u "$R/r4.release" $D/block > "$R/r4.holder" 2>&1 &
	pid=$!
	sleep 2
	grep -q granted "$R/r4.holder"
fi
lab-barrier r4-held
if [ "$NODE" = "$A" ]; then
	lab-dlmlock -w $D/block > "$R/r4.waiter" 2>&1 &
	pid=$!
	sleep 3
	if grep -q granted "$R/r4.waiter"; then
		say "blocking EX was granted while node $B held EX"
		exit 1
	fi
	: > "$R/r4.release"
	wait $pid
	grep -q granted "$R/r4.waiter"
	say "blocking EX granted after release"
fi
[ "$NODE" = "$B" ] && wait $pid
lab-barrier r4

# 5: poll on a held lock reports when another node wants it (BAST)
if [ "$NODE" = "$B" ]; then
	lab-dlmlock -r -b $D/poll > "$R/r5.holder" 2>&1 &
	pid=$!
	sleep 2
	grep -q granted "$R/r5.holder"
	if grep -q bast "$R/r5.holder"; then
		say "poll woke with nobody waiting"
		exit 1
	fi
fi
lab-barrier r5-held
if [ "$NODE" = "$A" ]; then
	lab-dlmlock -w $D/poll > "$R/r5.waiter" 2>&1
	grep -q granted "$R/r5.waiter"
fi
if [ "$NODE" = "$B" ]; then
	wait $pid
	grep -q bast "$R/r5.holder"
	say "poll on PR woke when node $A asked for EX"
fi
lab-barrier r5

rm -f $D/master $D/shared $D/lvb $D/block $D/poll
lab-barrier unlinked
i=0
while [ $i -lt "$NODES" ]; do
	[ "$NODE" = "$(role $i)" ] && rmdir $D && say "left the domain"
	lab-barrier "left$i"
	i=$((i + 1))
done
ocfs2_hb_ctl -K -d /dev/vda o2dlmtest
say "done"
