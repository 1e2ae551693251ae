#!/bin/sh
# Issue 10's coherence line in full, on one cluster volume (pcmk in a
# --cluster user run, else o2cb with local heartbeat): every taking node
# at the same time appends lines to a file of its own in one directory
# (app/) AND creates FILES names in one shared directory (shared/, an
# indexed directory: thousands of entries), then removes every tenth of
# its names and renames every tenth (i % 10 == 5) to m<node>.<i>.  Then a
# lock-step counter: every node reads one number from a file, adds one
# and writes it back under flock(1) of that file, COUNT times, all nodes
# at once.  Every node then checks exactly the expected tree (the sorted
# name list, each file's content, each append file line by line), that
# shared/ is indexed (stock debugfs: "Indexed Tree Root"), and that the
# counter is nodes x COUNT; a clean unmount and stock fsck -fn.
# Arguments: FILES (1000) per node, then the node numbers taking part
# (default all; the first formats, the others leave it at once),
# so one boot can run it on several subsets (set.sh NAME=1000,0,1,2).
# Run: tests/lab/run --cluster user --stack ours --nodes 3 --disk 1G
#      --timeout 900 THIS 1000      (and stock,ours,ours)
set -e
. lab-cluster-lib
dev=/dev/vda
M=/mnt/ocfs2
F=${1:-1000}
[ $# -gt 0 ] && shift
COUNT=100
cl_group "$@"
say "taking part with nodes $group, $F names each"

# expected NODE: the names node NODE leaves in shared/ (unsorted)
expected() {
	i=0
	while [ $i -lt "$F" ]; do
		case $((i % 10)) in
		0) ;;
		5) echo "m$1.$i" ;;
		*) echo "n$1.$i" ;;
		esac
		i=$((i + 1))
	done
}

if [ "$NODE" = "$first" ]; then
	echo y | $mkfs -q -F -N 4 $stack \
		--fs-features=indexed-dirs $dev
fi
lab-barrier st-formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
if [ "$NODE" = "$first" ]; then
	mkdir $M/app $M/shared
	echo 0 > $M/counter
fi
lab-barrier st-mounted
t0=$(date +%s)

# 1. appends to app/node$NODE in the background, names in shared/
(
	i=0
	while [ $i -lt "$F" ]; do
		echo "$i" >> $M/app/node$NODE
		i=$((i + 1))
	done
) &
app=$!
i=0
while [ $i -lt "$F" ]; do
	echo "node$NODE $i" > $M/shared/n$NODE.$i
	i=$((i + 1))
done
i=0
while [ $i -lt "$F" ]; do
	case $((i % 10)) in
	0) rm $M/shared/n$NODE.$i ;;
	5) mv $M/shared/n$NODE.$i $M/shared/m$NODE.$i ;;
	esac
	i=$((i + 1))
done
wait $app || fail "appender"
say "1 $F names made, a fifth removed or renamed, $F lines appended ($(($(date +%s) - t0)) s)"
lab-barrier st-made

# 2. the lock-step counter
t1=$(date +%s)
i=0
while [ $i -lt $COUNT ]; do
	flock $M/counter sh -c "read n < $M/counter; echo \$((n + 1)) > $M/counter" ||
		fail "counter step $i"
	i=$((i + 1))
done
say "2 counter stepped $COUNT times ($(($(date +%s) - t1)) s)"
lab-barrier st-counted

# 3. exactly the expected tree, on every node
for n in $group; do expected $n; done | sort > /tmp/st-want
ls $M/shared | sort > /tmp/st-have
if ! cmp -s /tmp/st-want /tmp/st-have; then
	diff /tmp/st-want /tmp/st-have | head -20
	fail "shared/: $(wc -l < /tmp/st-have) names, want $(wc -l < /tmp/st-want)"
fi
while read -r f; do
	i=${f#*.}
	n=${f%%.*}
	n=${n#?}
	read -r l < $M/shared/$f || fail "read $f"
	[ "$l" = "node$n $i" ] || fail "$f holds '$l'"
done < /tmp/st-have
seq 0 $((F - 1)) > /tmp/st-lines
for n in $group; do
	cmp -s /tmp/st-lines $M/app/node$n ||
		fail "app/node$n: $(wc -l < $M/app/node$n) lines, not 0..$((F - 1)) in order"
done
[ "$(ls $M/app | wc -l)" = "$nodes" ] || fail "app/: $(ls $M/app)"
c=$(cat $M/counter)
[ "$c" = $((nodes * COUNT)) ] || fail "counter $c, want $((nodes * COUNT))"
say "3 $(wc -l < /tmp/st-have) names and contents, $nodes append files, counter $c: all as expected ($(($(date +%s) - t0)) s)"
lab-barrier st-checked
umount $M || fail "umount"
lab-barrier st-unmounted
if [ "$NODE" = "$first" ]; then
	$dbg -R "stat /shared" $dev > /tmp/st-stat 2>&1 || true
	grep "Indexed Tree Root" /tmp/st-stat || fail "shared/ is not indexed: $(head -5 /tmp/st-stat)"
	$fsck -fn $dev || fail "fsck"
fi
say "all checks passed"
exit 0
