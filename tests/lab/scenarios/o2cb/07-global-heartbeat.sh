#!/bin/sh
# Global heartbeat configured by each node's own o2cb tool (ours on our
# nodes, stock on stock nodes), any stack mix, 2 or 3 nodes, 3 disks:
# node0 formats vda, vdb, vdc with --global-heartbeat (stock mkfs: ours
# has no global heartbeat format yet); every node runs o2cb add-heartbeat
# for the three, o2cb heartbeat-mode global, registers the cluster again
# (mode global in configfs) and o2cb start-heartbeat.  Then: three
# regions beat, every node sees every node live, a dlmfs domain joins
# (the join compares regions: QUERY_REGION between the stacks), locks and
# value blocks work, the heartbeat writes in 10 s stay the same with 1
# and 16 dlmfs domains, and o2cb stop-heartbeat ends it; the cluster goes
# back to local heartbeat (o2cb heartbeat-mode lab local).
# Against local mode first: before the volumes are formatted, every node
# starts local regions by hand on vda (one per volume, as mount does; 128
# KiB apart) and its own writes grow from 1 region to 16.  Each node
# counts its own writes to vda..vdc (/sys/block/*/stat), so stock and our
# nodes are each measured.
#   tests/lab/run --kernel K --stack stock,ours,ours --nodes 3 --disk 256M \
#       --disk 256M --disk 256M --timeout 300 \
#       --add tests/lab/scenarios/o2dlm/o2lib.sh tests/lab/scenarios/o2cb/07-global-heartbeat.sh
set -eu
# only this scenario's kernel lines are judged (a set runs several)
k0=$(dmesg | wc -l)
. /lab/etc/lab.conf
R=$LAB_RESULTS
C=/sys/kernel/config/cluster/lab
D=/dlm/o2gh
DISKS="/dev/vda /dev/vdb /dev/vdc"
. /usr/local/bin/o2lib.sh
fail() { say "FAIL: $*"; dmesg | grep -iE 'o2hb|o2dlm|o2net' | tail -20; exit 1; }
MKFS=$(tool mkfs.ocfs2)
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
regions() { for r in $C/heartbeat/*/; do [ -d "$r" ] && echo "$r"; done | wc -l; }
# this node's completed writes to the three disks
writes() { cat /sys/block/vd[abc]/stat | awk '{ w += $5 } END { print w }'; }
# writes in the next 10 s
count() { w0=$(writes); sleep 10; echo $(($(writes) - w0)); }

# local region lwN on vda by hand, what ocfs2_hb_ctl -S does for a volume
# (the write returns once the region beats steadily)
lw_start() {
	d=$C/heartbeat/lw$1
	mkdir $d
	cat /sys/block/vda/queue/logical_block_size > $d/block_bytes
	echo $((($1 + 1) * 256)) > $d/start_block
	echo 255 > $d/blocks
	exec 3<>/dev/vda
	echo 3 > $d/dev
	exec 3>&-
}
lw_count() { for r in $C/heartbeat/lw*/; do [ -d "$r" ] && echo "$r"; done | wc -l; }
# regions lw$1..lw$2, started side by side
lw_range() {
	i=$1
	while [ $i -le "$2" ]; do
		lw_start $i &
		i=$((i + 1))
	done
	wait
}

[ "$(cat $C/heartbeat/mode)" = local ] || fail "mode $(cat $C/heartbeat/mode) at start"
# blank slots: no leftover block is taken for a beat
[ "$NODE" != 0 ] || dd if=/dev/zero of=/dev/vda bs=1M count=3 oflag=direct 2> /dev/null
lab-barrier zeroed
lw_range 0 0
[ "$(lw_count)" -eq 1 ] || fail "$(lw_count) local regions beating, wanted 1"
lab-barrier local-one
lone=$(count)
lab-barrier local-counted
lw_range 1 15
[ "$(lw_count)" -eq 16 ] || fail "$(lw_count) local regions beating, wanted 16"
lab-barrier local-many
lmany=$(count)
say "local mode: own heartbeat writes in 10 s: $lone with 1 region, $lmany with 16"
lab-barrier local-stop
for r in $C/heartbeat/lw*; do rmdir "$r"; done
[ "$(lw_count)" -eq 0 ] || fail "$(lw_count) local regions left"
[ "$lone" -ge 2 ] || fail "only $lone writes in 10 s with 1 local region"
[ "$lmany" -ge $((lone * 8)) ] || fail "local writes did not grow per region"

if [ "$NODE" = 0 ]; then
	i=0
	for d in $DISKS; do
		# stock mkfs asks before overwriting a volume even with -F
		echo y | $MKFS -q -F -N "$NODES" -L "gh$i" --cluster-stack=o2cb \
			--cluster-name=lab --global-heartbeat $d
		i=$((i + 1))
	done
fi
lab-barrier formatted

for d in $DISKS; do
	o2cb add-heartbeat lab $d
done
o2cb heartbeat-mode lab global
grep -E "heartbeat_mode|region" /etc/ocfs2/cluster.conf > "$R/conf.$NODE"
[ "$(grep -c region "$R/conf.$NODE")" -eq 3 ] || fail "cluster.conf: $(cat "$R/conf.$NODE")"
register
[ "$(cat $C/heartbeat/mode)" = global ] || fail "mode $(cat $C/heartbeat/mode)"
o2cb start-heartbeat lab
[ "$(regions)" -eq 3 ] || fail "$(regions) regions beating"
say "global heartbeat on $(regions) regions ($LAB_STACK tools)"
lab-barrier beating

T=120 waitfor sh -c "[ \$(wc -w < /sys/kernel/debug/o2hb/livenodes) -ge $NODES ]" ||
	fail "live nodes: $(cat /sys/kernel/debug/o2hb/livenodes)"
say "live: $(cat /sys/kernel/debug/o2hb/livenodes)"
o2cb cluster-status lab > "$R/status.$NODE" 2>&1 || true
lab-barrier alive

mkdir $D
lab-barrier joined
if [ "$NODE" = 0 ]; then
	lab-dlmlock -w -s "gh-lvb" $D/l
fi
lab-barrier written
if [ "$NODE" != 0 ]; then
	lab-dlmlock -r -g $D/l > "$R/pr.$NODE" 2>&1
	grep -q "lvb gh-lvb" "$R/pr.$NODE" || fail "PR: $(cat "$R/pr.$NODE")"
fi
lab-barrier read
if [ "$NODE" = 0 ]; then
	rc=0
	lab-dlmlock -w -n $D/l > /dev/null 2>&1 || rc=$?
	[ "$rc" -eq 3 ] || fail "EX trylock while others hold PR: exit $rc"
	lab-dlmlock -w $D/l > /dev/null
	say "dlmfs on global heartbeat: LVB, PR shared, trylock busy, EX"
fi
lab-barrier locked

# heartbeat I/O does not grow with the number of domains: every node
# counts its own writes with one domain, then with 15 more of its own
one=$(count)
lab-barrier global-one
i=1
while [ $i -le 15 ]; do mkdir /dlm/o2gh$NODE-$i; i=$((i + 1)); done
lab-barrier global-many
many=$(count)
say "global mode: own heartbeat writes in 10 s: $one with 1 domain, $many with 16"
lab-barrier counted
i=1
while [ $i -le 15 ]; do rmdir /dlm/o2gh$NODE-$i; i=$((i + 1)); done
# three regions beat whatever the domains; allow a beat of slack per region
[ "$one" -ge 3 ] || fail "only $one heartbeat writes in 10 s on three regions"
[ "$many" -le $((one + 3)) ] || fail "heartbeat writes grew with domains"
lab-barrier left-extra
rm -f $D/l
lab-barrier unlinked
i=0
while [ $i -lt "$NODES" ]; do
	[ "$NODE" = $i ] && rmdir $D
	lab-barrier "left$i"
	i=$((i + 1))
done
o2cb stop-heartbeat lab
[ "$(regions)" -eq 0 ] || fail "$(regions) regions left after stop-heartbeat"
# back to local heartbeat, so later scenarios of a set run (and o2cb
# start-heartbeat there finds no region of these volumes in cluster.conf)
for d in $DISKS; do
	o2cb remove-heartbeat lab $d
done
grep -q region /etc/ocfs2/cluster.conf && fail "regions left in cluster.conf"
o2cb heartbeat-mode lab local
register
[ "$(cat $C/heartbeat/mode)" = local ] || fail "mode $(cat $C/heartbeat/mode) after going local"
if [ "$LAB_STACK" = ours ] &&
	dmesg | tail -n +$((k0 + 1)) | grep -E "o2dlm: .*(fail|refuse|ignored|dropped)|o2hb: .*(error|fail)"; then
	fail "kernel complained (above)"
fi
say "done"
