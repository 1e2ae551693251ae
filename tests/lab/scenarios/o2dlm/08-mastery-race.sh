#!/bin/sh
# Mastery races of the same names from 3 or more of our nodes (the shape
# of cluster/19's hang on o2cb, run 20261127-105530-set-OXTx, without a
# filesystem): one dlmfs domain on every node taking part (default all;
# the first of them, F, formats and masters A; the others leave at once,
# so a stock node 0 can sit out: 08-mastery-race.sh=300,1,2,3).
#  A. F masters N names (PR on each, in order); then every other node
#     takes PR on the same N names at once, in the same order: each of
#     their master requests meets F's YES.
#  B. every node takes PR on N fresh names at once, in the same order:
#     nobody masters them yet, so each name is voted on by all together.
# Checks: every lock granted; for every name of B exactly one node keeps
# it as its own, and every node that keeps it names that master; every
# name of A is mastered by F wherever it is kept; no o2dlm complaint
# (refused, ignored or failed) in this scenario's kernel lines.  Each
# node's locking_state is kept in results (ls.A.N, ls.B.N).
#   tests/lab/run --kernel K --stack ours --nodes 3 --disk 1G \
#       --add tests/lab/scenarios/o2dlm/o2lib.sh \
#       --timeout 600 tests/lab/scenarios/o2dlm/08-mastery-race.sh [N [NODE...]]
set -e
k0=$(dmesg | wc -l)
R=$LAB_RESULTS
DOM=o2dlmrace
D=/dlm/$DOM
N=${1:-300}
[ $# -eq 0 ] || shift
group=$(echo ${*:-$(seq 0 $((NODES - 1)))})
F=${group%% *}
. /usr/local/bin/o2lib.sh
fail() { say "FAIL: $*"; dmesg | grep -i 'o2dlm' | tail -20; exit 1; }
case " $group " in
*" $NODE "*) ;;
*) say "not taking part (nodes $group do)"; exit 0 ;;
esac
LAB_BARRIER_NODES=$group
export LAB_BARRIER_NODES
[ "$(echo $group | wc -w)" -ge 3 ] || { echo "needs 3 nodes or more, not $group"; exit 2; }
[ "$LAB_STACK" = ours ] || { echo "node$NODE runs $LAB_STACK: take part with ours only"; exit 2; }
# PR on $D/PREFIX1..N in order; the file is created on each node
lock_all() {
	i=1
	while [ $i -le "$N" ]; do
		lab-dlmlock -r "$D/$1$i" > /dev/null || fail "PR on $1$i"
		i=$((i + 1))
	done
}
state() { cat /sys/kernel/debug/o2dlm/$DOM/locking_state > "$R/ls.$1.$NODE"; }

if [ "$NODE" = "$F" ]; then
	echo y | mkfs.ocfs2 -q -F -N "$NODES" --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
lab-barrier formatted
ocfs2_hb_ctl -S -d /dev/vda $DOM
mkdir $D
lab-barrier joined

[ "$NODE" != "$F" ] || lock_all a
lab-barrier a-mastered
[ "$NODE" = "$F" ] || lock_all a
lab-barrier a-locked
state A
lab-barrier a-kept
if [ "$NODE" = "$F" ]; then
	bad=$(for n in $group; do cat "$R/ls.A.$n"; done |
		awk -v f="$F" '$1 ~ /^a[0-9]+$/ && $3 != f' | head -3)
	[ -z "$bad" ] || fail "A: names not mastered by node $F: $bad"
	own=$(awk -v f="$F" '$1 ~ /^a[0-9]+$/ && $3 == f' "$R/ls.A.$F" | wc -l)
	[ "$own" -eq "$N" ] || fail "A: node $F keeps $own of its $N names"
	say "A: $N names mastered by node $F, taken by $(($(echo $group | wc -w) - 1)) nodes at once"
fi

lock_all b
lab-barrier b-locked
state B
lab-barrier b-kept
if [ "$NODE" = "$F" ]; then
	# "NAME master M ..." from every node: one self-master per name, and
	# every node's master for it the same
	for n in $group; do
		awk -v me="$n" '$1 ~ /^b[0-9]+$/ { print $1, $3, ($3 == me) }' "$R/ls.B.$n"
	done > "$R/masters.B"
	owners=$(awk '$3 == 1 { c[$1]++ } END { for (k in c) if (c[k] != 1) print k }' "$R/masters.B")
	[ -z "$owners" ] || fail "B: names with more than one master: $owners"
	split=$(awk '{ m[$1] = m[$1] " " $2 } END { for (k in m) print k, m[k] }' "$R/masters.B" |
		awk '{ for (i = 3; i <= NF; i++) if ($i != $2) { print $1; break } }')
	[ -z "$split" ] || fail "B: nodes disagree on the master of: $split"
	mastered=$(awk '$3 == 1' "$R/masters.B" | wc -l)
	[ "$mastered" -eq "$N" ] || fail "B: $mastered of $N names have a master that keeps them"
	say "B: $N names voted on by nodes $group at once: one master each, every node agrees"
fi
lab-barrier checked

rm -f $D/a* $D/b*
rmdir $D
lab-barrier left
ocfs2_hb_ctl -K -d /dev/vda $DOM
if dmesg | tail -n +$((k0 + 1)) | grep -E "o2dlm: .*(fail|refuse|ignored|dropped)"; then
	fail "o2dlm complained (above)"
fi
say "done"
