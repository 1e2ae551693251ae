#!/bin/sh
# o2dlm bad input (3 nodes, --hb-threshold 7).  The target T is node 0 if
# it runs our stack, else node 1 (which must); the other of the two is M,
# a real domain member of either stack; node 2 is the attacker.  T and M
# share the dlmfs domain "o2dlmbad"; T masters "held", on which M holds
# PR with T's value block.
# T is then told node2's address belongs to a node 20, whose
# heartbeat T itself fakes in slot 20, so node2 gets in over o2net as
# node 20 and sends, one connection each (lab-o2net-send): a bad magic, an
# oversized frame, a truncated frame, an unknown message type, a lock
# request for an unknown domain, a truncated lock request, a lock name
# longer than the maximum, a well-formed lock request, master assertion,
# lock transfers (MIG_LOCKRES: both flags, a lock count the length does
# not hold, a well-formed one), recovery begin/finalize for live node 1,
# an exit and a deref naming node 1; then, after a pause (the drop lines
# are rate limited), a lock name of 200 bytes in a master request, an
# assert master, a convert, an unlock, a proxy AST and a deref, and a
# lock request for mode 9.  Each must be logged and dropped;
# T stays up, M stays in the domain with its lock, nobody recovers M, and
# locks keep working between T and M afterwards.  T's node configuration
# is put back at the end (node 2 again), so later scenarios of a set run.
#   tests/lab/run --kernel K --stack ours,stock,ours --nodes 3 --disk 1G \
#       --hb-threshold 7 --timeout 240 tests/lab/scenarios/o2dlm/05-bad-input.sh
set -eu
R=$LAB_RESULTS
dev=/dev/vda
D=/dlm/o2dlmbad
C=/sys/kernel/config/cluster/lab
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
fail() { say "FAIL: $*"; dmesg | grep -i 'o2dlm\|o2net' | tail -20; exit 1; }
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
[ "$(cat $C/heartbeat/dead_threshold)" = 7 ] || { echo "needs --hb-threshold 7"; exit 77; }
echo "$LAB_STACK" > "$R/bad-stack.$NODE"
lab-barrier stacks
if [ "$(cat "$R/bad-stack.0")" = ours ]; then T=0; M=1
elif [ "$(cat "$R/bad-stack.1")" = ours ]; then T=1; M=0
else echo "node 0 or 1 must run our stack"; exit 77
fi

bytes() { for b in "$@"; do printf "\\$(printf %03o "$b")"; done; }
le32() { bytes $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# the fake node 20's heartbeat: seq 1000.., generation 0x1122334455667788,
# dead_ms 14000, block checksums computed on the host (crc32_le seed 0);
# the same blocks as o2cb/04-o2net-bad-input.sh
CRCS="4045923815 3780460239 3519173559 3249571999 2968291655 2694730351 2416525079 2155603007 2934802534 3198112590 2382904886 2658854174 4012303558 4283711470 3485684374 3752954302 763056422 1024035342 228517750 502021214 1823489414 2093147822 1280674774 1546080510 1866294507 2135932867 1339609787 1604979091 787875915 1048892259 236174875 509699379 3970678187 4242105987 3427666939 3694973139 2908803339 3172076067 2374330203 2650258547 3009531946 2735934210 2474927738 2213985618 4071275658 3805833122 3528395482 3258831346 821496170 545641026 269664058 6317074 1899783626 1632550626 1373229978 1101727922 217385768 478662656 739294584 1013081680"
fake_hb() { # START_BLOCK
	seq=1000
	for crc in $CRCS; do
		{ le32 $seq; le32 0; bytes 20 0 0 0; le32 "$crc"
		  le32 $((0x55667788)); le32 $((0x11223344)); le32 14000; } |
			dd of=$dev bs=512 seek=$(($1 + 20)) count=1 iflag=fullblock conv=sync,notrunc,fsync 2>/dev/null
		seq=$((seq + 1))
		[ ! -e /tmp/fake.stop ] || return 0
		sleep 2
	done
}
node_dir() { # NAME NUM IP
	mkdir $C/node/$1
	echo 7777 > $C/node/$1/ipv4_port
	echo "$3" > $C/node/$1/ipv4_address
	echo "$2" > $C/node/$1/num
	echo 0 > $C/node/$1/local
}

if [ "$NODE" = "$T" ]; then
	# stock mkfs asks before overwriting a volume even with -F
	echo y | mkfs.ocfs2 -q -F -N 2 --cluster-stack=o2cb --cluster-name=lab $dev
fi
lab-barrier formatted
if [ "$NODE" != 2 ]; then
	ocfs2_hb_ctl -S -d $dev o2dlmbad
	mkdir $D
fi
lab-barrier joined
if [ "$NODE" = "$T" ]; then
	lab-dlmlock -w -s "lvb-good" $D/held
fi
lab-barrier mastered
if [ "$NODE" = "$M" ]; then
	lab-dlmlock -r -g -u "$R/pr.release" $D/held > "$R/pr.1" 2>&1 &
	pr=$!
	until_in "$R/pr.1" "lvb lvb-good"
fi
if [ "$NODE" = "$T" ]; then
	uuid=$(blkid -o value -s UUID $dev | tr -d - | tr a-f A-F)
	start=$(cat $C/heartbeat/$uuid/start_block)
	rmdir $C/node/node2
	node_dir fake20 20 10.77.0.12
	rm -f /tmp/fake.stop
	fake_hb "$start" &
	fpid=$!
	i=0
	until grep -qw 20 /sys/kernel/debug/o2hb/livenodes; do
		i=$((i + 1)); [ $i -lt 40 ] || fail "fake node 20 never came alive"
		sleep 0.5
	done
	say "fake node 20 alive: $(cat /sys/kernel/debug/o2hb/livenodes)"
	k0=$(dmesg | wc -l)
fi
lab-barrier fake-alive

CASES="magic oversize truncated unknown nodomain short badname create assert migboth migcount migbogus reco finalize exit deref"
NAMECASES="reqname assertname convname unlockname astname derefname badmode"
if [ "$NODE" = 2 ]; then
	lab-o2net-send -v "$M" "10.77.0.$((10 + T))" o2dlmbad $CASES > "$R/attack" 2>&1 || true
	cat "$R/attack"
	# a fresh window of the drop lines' rate limit (10 in 5 s)
	sleep 6
	lab-o2net-send -v "$M" "10.77.0.$((10 + T))" o2dlmbad $NAMECASES > "$R/attack2" 2>&1 || true
	cat "$R/attack2"
fi
lab-barrier attacked

if [ "$NODE" = "$T" ]; then
	sleep 1
	dmesg | tail -n +$((k0 + 1)) > "$R/dmesg.attack"
	grep -E 'o2dlm|o2net' "$R/dmesg.attack" || true
	want() { # CASE PATTERN: the reply node2 saw
		grep -qE "^$1: $2\$" "$R/attack" || fail "$1: got '$(grep "^$1:" "$R/attack")', want '$2'"
	}
	want magic closed
	want oversize closed
	want unknown "status 0 sys 1"
	want nodomain "status 0 sys 1"
	want short "status 19 sys 0"
	want badname "status 19 sys 0"
	want create "status 26 sys 0"
	want migboth "status -22 sys 0"
	want migcount "status -22 sys 0"
	want migbogus "status -22 sys 0"
	# a name longer than the field in every message that carries one,
	# and a lock mode that does not exist: each refused as malformed
	# before the sender is looked at (a well-formed lock request from
	# node 20 gets 26, "create" above) and logged; master request,
	# assert and deref answer 0 whatever happens, their log lines are
	# the malformed path's own
	want2() { # CASE STATUS LOGLINE
		grep -qE "^$1: status $2 sys 0\$" "$R/attack2" ||
			fail "$1: got '$(grep "^$1:" "$R/attack2")', want 'status $2 sys 0'"
		grep -q "$3" "$R/dmesg.attack" || fail "$1: no '$3' line"
	}
	want2 reqname 0 "o2dlm: dropped a malformed master request"
	want2 assertname 0 "o2dlm: dropped a malformed assert master"
	want2 convname 19 "o2dlm: o2dlmbad: dropped a malformed convert request"
	want2 unlockname 19 "o2dlm: o2dlmbad: dropped a malformed unlock request"
	want2 astname 22 "o2dlm: dropped a malformed proxy ast (len [0-9]*, status 22)"
	want2 derefname 0 "o2dlm: o2dlmbad: dropped a malformed deref"
	want2 badmode 19 "o2dlm: o2dlmbad: dropped a malformed lock request"
	say "names of 200 bytes in 6 message types and mode 9: refused and logged"
	# every o2dlm case left a log line on the target
	n=$(grep -c "o2dlm: o2dlmbad: dropped" "$R/dmesg.attack" || true)
	say "$n o2dlm drop lines"
	[ "$n" -ge 11 ] || fail "only $n o2dlm drop lines for 12 bad o2dlm messages"
	if grep -qiE "recover(s|ing) node $M|node $M leaves" "$R/dmesg.attack"; then
		fail "a forged message made node $T drop node $M"
	fi
	cat /sys/kernel/debug/o2dlm/o2dlmbad/dlm_state > "$R/dlm_state"
	cat /sys/kernel/debug/o2dlm/o2dlmbad/locking_state > "$R/locking_state"
	grep -q "^Domain map: 0-1\$" "$R/dlm_state" || fail "domain map changed: $(grep map "$R/dlm_state")"
	grep -q "^Recovery map:  " "$R/dlm_state" || fail "recovery started: $(grep Recovery "$R/dlm_state")"
	if grep -q " node 20 " "$R/locking_state"; then
		fail "node 20 has a lock: $(grep " node 20 " "$R/locking_state")"
	fi
	: > /tmp/fake.stop
	wait $fpid || true
fi
lab-barrier checked

# locks keep working between the two real members
if [ "$NODE" = "$M" ]; then
	kill -0 $pr || fail "node $M's PR holder is gone"
	: > "$R/pr.release"
	wait $pr
	lab-dlmlock -w -g $D/held > "$R/ex.1" 2>&1
	grep -q "lvb lvb-good" "$R/ex.1" || fail "EX after the attack: $(cat "$R/ex.1")"
	lab-dlmlock -w -s "lvb-after" $D/held
fi
lab-barrier relocked
if [ "$NODE" = "$T" ]; then
	lab-dlmlock -r -g $D/held > "$R/pr.0" 2>&1
	grep -q "lvb lvb-after" "$R/pr.0" || fail "PR after the attack: $(cat "$R/pr.0")"
	lab-dlmlock -w -n $D/fresh
	say "locks work after the attack: $(tail -1 "$R/pr.0")"
fi
lab-barrier used
if [ "$NODE" != 2 ]; then
	rm -f $D/held $D/fresh
fi
lab-barrier unlinked
[ "$NODE" = "$M" ] && rmdir $D
lab-barrier left1
if [ "$NODE" = "$T" ]; then
	rmdir $D
	# node 20 dies (its heartbeat stopped), then node 2 is itself again
	i=0
	while grep -qw 20 /sys/kernel/debug/o2hb/livenodes; do
		i=$((i + 1)); [ $i -lt 60 ] || fail "fake node 20 still alive"
		sleep 1
	done
	rmdir $C/node/fake20
	node_dir node2 2 10.77.0.12
fi
[ "$NODE" = 2 ] || ocfs2_hb_ctl -K -d $dev o2dlmbad
say "done"
