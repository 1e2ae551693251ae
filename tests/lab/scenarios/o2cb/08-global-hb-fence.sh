#!/bin/sh
# The global heartbeat fencing rule (stock's): a node whose heartbeat
# writes time out on a minority of the quorum regions keeps running; on
# half or more it fences itself.  3 regions (vda, vdb, vdc), 2 or more
# live nodes, any stack mix; the victim F (argument 1, default the last
# node) is the node judged, so put it on the stack you want to show.
# F heartbeats through device-mapper devices (linear over vda..vdc, set
# up by hand in configfs with the parameters the other nodes' o2cb used);
# swapping a table to the "error" target fails that region on F only.
#  1. every node runs global heartbeat on the three regions; a dlmfs
#     domain on it: F masters "fenced" and holds EX with a value block, a
#     survivor waits for EX;
#  2. F loses one region: its write timeout fires, "1 of 3" regions
#     failed, F keeps running; the others drop F from that region only
#     and still count it live; F's lock is still held;
#  3. F loses a second region: F fences itself (fence_method reset ends
#     its QEMU; the survivors declare it with lab-ctl fenced, so F's
#     kernel log is judged up to its fence line); the others see it dead
#     on every region, recover its locks (the waiter is granted, the dead
#     EX holder's value block blanked) and leave the domain; heartbeat
#     goes back to local mode.
# Run with a short heartbeat threshold (the write timeout is
# (threshold - 1) * 2 s; say so when quoting):
#   tests/lab/run --kernel K --stack stock,ours,ours --nodes 3 --disk 256M \
#       --disk 256M --disk 256M --hb-threshold 7 --timeout 300 \
#       --add tests/lab/scenarios/o2dlm/o2lib.sh \
#       tests/lab/scenarios/o2cb/08-global-hb-fence.sh [F]
set -eu
# only this scenario's kernel lines are judged (a set runs several)
k0=$(dmesg | wc -l)
. /lab/etc/lab.conf
. /usr/local/bin/o2lib.sh
R=$LAB_RESULTS
C=/sys/kernel/config/cluster/lab
H=/sys/kernel/debug/o2hb
D=/dlm/o2ghf
F=${1:-$((NODES - 1))}
DISKS="vda vdb vdc"
fail() { say "FAIL: $*"; dmesg | grep -iE 'o2hb|o2dlm|o2net' | tail -20; exit 1; }
MKFS=$(tool mkfs.ocfs2)
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
regions() { for r in $C/heartbeat/*/; do [ -d "$r" ] && echo "$r"; done | wc -l; }
livecount() { wc -w < $H/livenodes; }
is_live() { grep -qw "$2" "$1"; }
# the table of dm device ghf-DISK: linear over the disk, or all errors
table() {
	sz=$(cat /sys/block/$1/size)
	if [ "$2" = ok ]; then echo "0 $sz linear /dev/$1 0"; else echo "0 $sz error"; fi
}
# start region UUID on DEV by hand: what o2cb start-heartbeat does
start_region() {
	d=$C/heartbeat/$1
	mkdir $d
	echo "$3" > $d/block_bytes
	echo "$4" > $d/start_block
	echo "$5" > $d/blocks
	exec 3<>"$2"
	# returns once the region beats steadily
	echo 3 > $d/dev
	exec 3>&-
}
fail_region() {
	dmsetup load ghf-$1 --table "$(table $1 error)"
	dmsetup resume ghf-$1
	say "heartbeat disk $1 now fails every I/O"
}

: > "$R/ghf.part.$NODE"
modprobe dm-mod 2> /dev/null || true
if [ "$NODE" = 0 ]; then
	i=0
	for d in $DISKS; do
		# stock mkfs asks before overwriting a volume even with -F
		echo y | $MKFS -q -F -N "$NODES" -L "ghf$i" --cluster-stack=o2cb \
			--cluster-name=lab --global-heartbeat /dev/$d
		i=$((i + 1))
	done
fi
lab-barrier formatted
PARTS=$(ls "$R"/ghf.part.* | wc -l)
say "$PARTS nodes take part; node $F ($LAB_STACK if it is me) is the victim"

for d in $DISKS; do
	o2cb add-heartbeat lab /dev/$d
done
o2cb heartbeat-mode lab global
register
[ "$(cat $C/heartbeat/mode)" = global ] || fail "mode $(cat $C/heartbeat/mode)"
if [ "$NODE" != "$F" ]; then
	o2cb start-heartbeat lab
	[ "$(regions)" -eq 3 ] || fail "$(regions) regions beating"
	for r in $C/heartbeat/*/; do
		u=$(basename "$r")
		echo "$u $(cat "$r/dev") $(cat "$r/block_bytes") $(cat "$r/start_block") $(cat "$r/blocks")"
	done > "$R/ghf.regions.$NODE"
fi
lab-barrier beating
if [ "$NODE" = "$F" ]; then
	src=$(ls "$R"/ghf.regions.* | head -1)
	for d in $DISKS; do
		dmsetup create ghf-$d --table "$(table $d ok)"
		line=$(awk -v d=$d '$2 == d' "$src")
		[ -n "$line" ] || fail "no region on $d in $src"
		# shellcheck disable=SC2086 # the words are the parameters
		set -- $line
		start_region "$1" /dev/mapper/ghf-$d "$3" "$4" "$5"
	done
	[ "$(regions)" -eq 3 ] || fail "$(regions) regions beating"
	say "heartbeating on three device-mapper regions"
fi
lab-barrier f-beating
T=120 waitfor sh -c "[ \$(wc -w < $H/livenodes) -ge $PARTS ]" ||
	fail "live nodes: $(cat $H/livenodes)"
T=60 waitfor sh -c "[ \$(wc -w < $H/quorum_regions) -ge 3 ]" ||
	fail "quorum regions: $(cat $H/quorum_regions)"
say "live: $(cat $H/livenodes); quorum regions: $(cat $H/quorum_regions)"
lab-barrier alive

# a lock F masters and holds, a survivor waiting for it
mkdir $D
lab-barrier joined
W=$( [ "$F" = 0 ] && echo 1 || echo 0)
if [ "$NODE" = "$F" ]; then
	lab-dlmlock -w -s "lvb-of-$F" -u /never $D/fenced > "$R/ghf.f" 2>&1 &
	T=60 waitfor grep -q granted "$R/ghf.f" || fail "no EX on fenced"
fi
lab-barrier held
if [ "$NODE" = "$W" ]; then
	lab-dlmlock -w -g $D/fenced > "$R/ghf.w" 2>&1 &
	waiter=$!
fi

# 2: one region of three fails on F
if [ "$NODE" = "$F" ]; then
	fail_region vda
	# stock says how many failed only at debug level: read the map
	T=120 waitfor sh -c "[ -n \"\$(tr -d ' \n' < $H/failed_regions)\" ]" ||
		fail "no write timeout on the failed region"
	say "$(dmesg | grep -iE 'write timeout|quorum regions failed' | tail -2 | tr '\n' ';')"
	say "failed regions: $(cat $H/failed_regions)"
fi
lab-barrier one-failed
if [ "$NODE" != "$F" ]; then
	# the others drop F from vda's region once its beats there stop
	u=$(awk '$2 == "vda" { print $1 }' "$R/ghf.regions.$NODE")
	T=120 waitfor sh -c "! grep -qw $F $H/$u/livenodes" ||
		fail "node $F still live on vda: $(cat $H/$u/livenodes)"
	is_live $H/livenodes "$F" || fail "node $F not live: $(cat $H/livenodes)"
	say "node $F dead on vda only: vda $(cat $H/$u/livenodes), all $(cat $H/livenodes)"
fi
lab-barrier one-seen
if [ "$NODE" = "$F" ]; then
	sleep $((LAB_HB_THRESHOLD * 2))
	grep -q granted "$R/ghf.f" || fail "lost the lock"
	say "still running $((LAB_HB_THRESHOLD * 2)) s after, with 1 of 3 regions failed"
	# ours logs an error streak once (stock every beat, ratelimited)
	errs=$(dmesg | tail -n +$((k0 + 1)) | grep -cE 'o2hb: (read|write) error' || true)
	say "$errs heartbeat I/O error lines for the failed region"
	[ "$LAB_STACK" != ours ] || [ "$errs" -le 2 ] ||
		fail "$errs I/O error lines: one per streak and kind expected"
fi
if [ "$NODE" = "$W" ]; then
	if grep -q granted "$R/ghf.w"; then fail "EX granted while node $F lives"; fi
fi
lab-barrier survived

# 3: a second region fails: F must fence itself
if [ "$NODE" = "$F" ]; then
	fail_region vdb
	sleep 120
	fail "still running 120 s after losing 2 of 3 regions"
fi
t0=$(date +%s)
T=240 waitfor sh -c "! grep -qw $F $H/livenodes" ||
	fail "node $F still live 120 s after losing a second region"
say "node $F dead on every region $(($(date +%s) - t0)) s after its second region failed"
# F's own fence ends its QEMU: declare it, so its kernel log is judged up
# to its fence line (a kill would spare it from being judged at all)
i=0
until lab-ctl fenced "$F"; do
	i=$((i + 1))
	if [ $i -ge 60 ]; then
		lab-ctl kill "$F" || true
		fail "node $F stopped heartbeating but still ran 60 s later"
	fi
	sleep 1
done
say "node $F's QEMU ended (fenced itself)"
if [ "$NODE" = "$W" ]; then
	wait $waiter
	grep -q granted "$R/ghf.w" || fail "waiter: $(cat "$R/ghf.w")"
	if grep -q "lvb-of-$F" "$R/ghf.w"; then
		fail "the dead EX holder's value block survived"
	fi
	say "EX on the fenced node's lock: $(tail -1 "$R/ghf.w")"
fi
lab-barrier recovered
lab-dlmlock -w -n $D/fresh$NODE > /dev/null
rm -f $D/fenced $D/fresh$NODE
lab-barrier unlinked
i=0
while [ $i -lt "$NODES" ]; do
	[ "$NODE" = $i ] && rmdir $D
	lab-barrier "left$i"
	i=$((i + 1))
done
o2cb stop-heartbeat lab
[ "$(regions)" -eq 0 ] || fail "$(regions) regions left after stop-heartbeat"
o2cb heartbeat-mode lab local
register
if [ "$LAB_STACK" = ours ] &&
	dmesg | tail -n +$((k0 + 1)) | grep -E "o2dlm: .*(fail|refuse|ignored|dropped)"; then
	fail "kernel complained (above)"
fi
say "done"
