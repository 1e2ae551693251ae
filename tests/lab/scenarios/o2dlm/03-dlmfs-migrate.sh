#!/bin/sh
# Lock resource migration when a master leaves its domain, both ways, on
# 2 nodes of any stack mix (--stack stock,ours or ours,stock makes each
# kind both the leaver and the heir).  Per round the leaver L masters two
# resources the stayer S uses: "mig" (S holds PR, cached, with the value
# block L wrote under EX) and "held" (S holds EX in a running process and
# writes its own value block).  L unlinks both and leaves (rmdir), which
# hands the resources to S.  S must still hold both locks and master
# them: L joins again, reads S's value block under PR on "held", finds
# "mig" busy for an EX trylock, and gets EX with a blocking open.
# Round 1: node 1 leaves; round 2: node 0 leaves.  Needs 2 nodes, or 4:
# then nodes 0+1 and 2+3 are two independent pairs (o2lib.sh pair_setup;
# "node 0" and "node 1" are a pair's lower and higher node).
#   tests/lab/run --kernel K --stack stock,ours --nodes 2 --disk 1G \
#       --add tests/lab/scenarios/o2dlm/o2lib.sh \
#       --timeout 240 tests/lab/scenarios/o2dlm/03-dlmfs-migrate.sh
set -e
# only this scenario's kernel lines are judged (a set runs several)
k0=$(dmesg | wc -l)
. /usr/local/bin/o2lib.sh
pair_setup
DOM=o2dlmmig$SUFFIX
D=/dlm/$DOM
R=$LAB_RESULTS/$DOM
mkdir -p "$R"

if [ "$ME" = 0 ]; then
	# stock mkfs asks before overwriting a volume even with -F
	echo y | mkfs.ocfs2 -q -F -N 2 --cluster-stack=o2cb --cluster-name=lab $DISK
fi
echo "$LAB_STACK" > "$R/stack.$ME"
lab-barrier formatted
ocfs2_hb_ctl -S -d $DISK $DOM
mkdir $D
lab-barrier joined

# $1: the leaving node (within the pair), $2: the round
round() {
	L=$1
	S=$((1 - L))
	n=$2
	if [ "$ME" = "$L" ]; then
		lab-dlmlock -w -s "lvb-$n-from-$L" $D/mig$n
		lab-dlmlock -w $D/held$n
	fi
	lab-barrier "$n-mastered"
	if [ "$ME" = "$S" ]; then
		lab-dlmlock -r -g $D/mig$n > "$R/$n.pr" 2>&1
		grep -q "lvb lvb-$n-from-$L" "$R/$n.pr"
		lab-dlmlock -w -s "lvb-$n-from-$S" -u "$R/$n.release" \
			$D/held$n > "$R/$n.held" 2>&1 &
		pid=$!
		sleep 3
		grep -q granted "$R/$n.held"
	fi
	lab-barrier "$n-used"
	if [ "$ME" = "$L" ]; then
		rm -f $D/mig$n $D/held$n
		t0=$(date +%s)
		rmdir $D
		say "round $n: left the domain in $(($(date +%s) - t0)) s"
	fi
	lab-barrier "$n-left"
	if [ "$ME" = "$S" ]; then
		kill -0 $pid
		lab-dlmlock -r -g $D/mig$n > "$R/$n.pr2" 2>&1
		grep -q "lvb lvb-$n-from-$L" "$R/$n.pr2"
		say "round $n: still holding both locks after node $((LOW + L)) left"
		cat /sys/kernel/debug/o2dlm/$DOM/locking_state \
			> "$R/$n.locking_state.$NODE" 2>/dev/null || true
		: > "$R/$n.release"
		wait $pid
	fi
	lab-barrier "$n-released"
	if [ "$ME" = "$L" ]; then
		mkdir $D
		lab-dlmlock -r -g $D/held$n > "$R/$n.back" 2>&1
		grep -q "lvb lvb-$n-from-$S" "$R/$n.back"
		rc=0
		lab-dlmlock -w -n $D/mig$n > "$R/$n.try" 2>&1 || rc=$?
		test "$rc" -eq 3
		lab-dlmlock -w -g $D/mig$n > "$R/$n.ex" 2>&1
		grep -q granted "$R/$n.ex"
		say "round $n: rejoined; held: $(cat "$R/$n.back" | tail -1); mig: $(tail -1 "$R/$n.ex")"
		# a stock heir keeps no value block for its own locks
		if [ "$(cat "$R/stack.$S")" = ours ]; then
			grep -q "lvb lvb-$n-from-$L" "$R/$n.ex"
		fi
	fi
	lab-barrier "$n-back"
	rm -f $D/mig$n $D/held$n
	lab-barrier "$n-done"
}

round 1 1
round 0 2

i=0
while [ $i -le 1 ]; do
	[ "$ME" = $i ] && rmdir $D && say "left the domain"
	lab-barrier "final-left$i"
	i=$((i + 1))
done
ocfs2_hb_ctl -K -d $DISK $DOM
# stock's DLM errors name their function (dlm_...); its heartbeat's own
# "sequence mismatch" ERROR shows a loaded host's late disk reads (runs
# 20261127-035834, 040413: 2 lab slots) and is not this scenario's matter
if dmesg | tail -n +$((k0 + 1)) |
	grep -E "_?dlm[a-z_]*:[0-9]+ ERROR|o2dlm: .*(fail|refuse|ignored|dropped)"; then
	say "o2dlm complained (above)"
	exit 1
fi
say "done"
