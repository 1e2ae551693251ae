#!/bin/sh
# Split brain in a 2-node o2cb cluster, the stock quorum rule: node 1's
# network link is cut while both keep heartbeating on the shared disk.
# Each side loses its connection; after the quorum delay node 1 (the
# higher number, cut off from the lowest node) fences itself (its QEMU
# ends) and node 0 keeps running.  Argument 1 is node 1's fence_method:
# reset (default) or panic.  Node 0 declares node 1 fenced to the lab once
# its QEMU has ended (lab-ctl fenced): node 1's kernel log is then judged up
# to its fence line, which must be there.  Node 0 then sees
# node 1's heartbeat stop, recovers the dlmfs locks node 1 held and
# mastered (alone, as recovery master), with the value block node 1 held
# under EX blanked as stock does, and stays usable.
# With 4 nodes, nodes 0+1 and 2+3 are two such clusters split at once
# (o2lib.sh pair_setup: pair 2+3 on vdb; below, "node 0" and "node 1"
# are the pair's lower and higher node).
# Run with a short heartbeat threshold (say so when quoting it); the
# idle timeout stays stock's 30 s:
#   tests/lab/run --kernel K --stack stock,ours --nodes 2 --disk 1G \
#       --add tests/lab/scenarios/o2dlm/o2lib.sh --hb-threshold 7 \
#       --timeout 300 tests/lab/scenarios/o2dlm/04-split-brain.sh [panic]
# or --stack stock,ours,ours,stock --nodes 4 --disk 1G --disk 1G for both
# stack orders in one boot.
set -e
FENCE=${1:-reset}
case $FENCE in reset | panic) ;; *) echo "fence method '$FENCE'?"; exit 2 ;; esac
# only this scenario's kernel lines are judged (a set runs several)
k0=$(dmesg | wc -l)
R=$LAB_RESULTS
. /usr/local/bin/o2lib.sh
pair_setup
HIGH=$((LOW + 1))
D=/dlm/o2dlmsplit$SUFFIX
live() { cat /sys/kernel/debug/o2hb/livenodes; }

if [ "$ME" = 0 ]; then
	# stock mkfs asks before overwriting a volume even with -F
	echo y | mkfs.ocfs2 -q -F -N 2 --cluster-stack=o2cb --cluster-name=lab $DISK
fi
lab-barrier formatted
ocfs2_hb_ctl -S -d $DISK o2dlmsplit$SUFFIX
mkdir $D
lab-barrier joined

# node 1 masters "dead" and holds EX on it with a value block; node 0
# masters "alive", on which node 1 holds PR
if [ "$ME" = 1 ]; then
	lab-dlmlock -w -s "lvb-of-node1" -u /never $D/dead > "$R/dead.$NODE" 2>&1 &
	sleep 3
	grep -q granted "$R/dead.$NODE"
fi
lab-barrier dead-held
if [ "$ME" = 0 ]; then
	lab-dlmlock -w -s "lvb-of-node0" $D/alive
fi
lab-barrier alive-made
if [ "$ME" = 1 ]; then
	lab-dlmlock -r -g -u /never $D/alive > "$R/alive.$NODE" 2>&1 &
	sleep 3
	grep -q "lvb lvb-of-node0" "$R/alive.$NODE"
fi
if [ "$ME" = 0 ]; then
	# waits on node 1's EX until recovery hands it over
	lab-dlmlock -w -g $D/dead > "$R/dead.$NODE" 2>&1 &
	waiter=$!
	sleep 3
	if grep -q granted "$R/dead.$NODE"; then say "EX granted while node $HIGH holds it"; exit 1; fi
fi
lab-barrier armed
say "heartbeating: $(live)"

if [ "$ME" = 1 ]; then
	echo "$FENCE" > /sys/kernel/config/cluster/lab/fence_method
	say "fence_method $(cat /sys/kernel/config/cluster/lab/fence_method)"
	# fences itself; never gets past this
	sleep 280
	say "still running 280 s after the link cut: did not fence"
	exit 1
fi

lab-ctl link $HIGH off
t0=$(date +%s)
say "cut node $HIGH's link"
i=0
while live | grep -qw $HIGH; do
	i=$((i + 1))
	[ $i -lt 150 ] || { say "node $HIGH still heartbeating after 150 s"; exit 1; }
	sleep 1
done
say "node $HIGH stopped heartbeating $(($(date +%s) - t0)) s after the cut"
i=0
until lab-ctl fenced $HIGH; do
	i=$((i + 1))
	if [ $i -ge 60 ]; then
		lab-ctl kill $HIGH || true
		say "node $HIGH stopped heartbeating but still ran 60 s later"
		exit 1
	fi
	sleep 1
done
say "node $HIGH's QEMU ended $(($(date +%s) - t0)) s after the cut (fence_method $FENCE)"
dmesg | grep -iE "quorum|fenc" || true

# the dead node's EX is recovered; its value block is gone
wait $waiter
grep -q granted "$R/dead.$NODE"
say "EX on node $HIGH's resource after recovery: $(tail -1 "$R/dead.$NODE")"
if grep -q "lvb-of-node1" "$R/dead.$NODE"; then
	say "the value block of a dead EX holder survived"
	exit 1
fi
# its PR on ours went with it; the value block stays
lab-dlmlock -w -g $D/alive > "$R/alive.$NODE" 2>&1
grep -q "lvb lvb-of-node0" "$R/alive.$NODE"
lab-dlmlock -w $D/fresh
rm -f $D/dead $D/alive $D/fresh
rmdir $D
ocfs2_hb_ctl -K -d $DISK o2dlmsplit$SUFFIX
if dmesg | tail -n +$((k0 + 1)) | grep -E "o2dlm: .*(fail|refuse|ignored|dropped)"; then
	say "o2dlm complained (above)"
	exit 1
fi
say "survived node $HIGH's fencing and stays usable"
