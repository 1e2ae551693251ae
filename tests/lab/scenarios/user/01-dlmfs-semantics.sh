#!/bin/sh
# dlmfs on the user stack (corosync + dlm_controld + fs/dlm, label pcmk),
# three nodes: the master lock (trylock race: exactly one holder; on
# release a blocking waiter takes over), trylock busy is ETXTBSY, a
# blocking open waits and is granted on release, an LVB written under EX
# is read under PR elsewhere, PR is shared and EX is not, poll reports a
# BAST, bad names are refused, unlink and rmdir leave cleanly; node0
# checks /dev/ocfs2_control against garbage and out-of-order messages;
# last, the master moves when its holder's QEMU is killed (and the time
# from kill to takeover is printed).
# Run: tests/lab/run --cluster user --stack ours --nodes 3 THIS
set -e
R=$LAB_RESULTS
D=/dlm/labdom
say() { echo "node$NODE: $*"; }
fail() { echo "node$NODE: FAIL: $*"; exit 1; }
# wait (no time limit: the run's timeout catches hangs) for FILE to exist
await() { while [ ! -e "$1" ]; do sleep 0.2; done; }

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
grep -q '^dlmfs /dlm' /run/lab-stack || fail "dlmfs not mounted"
test "$(cat /sys/module/ocfs2_dlmfs/parameters/capabilities)" = "bast stackglue"
mkdir $D
test "$(cat /sys/fs/ocfs2/active_cluster_plugin)" = user
lab-barrier joined

# 1. Master lock: all race with trylock EX; the winner holds until all
# have tried.  Exactly one is granted, the others get ETXTBSY (exit 3).
(rc=0; lab-dlmlock -w -n -u "$R/m1.done" $D/master > "$R/m1.$NODE" || rc=$?
 echo $rc > "$R/m1.rc.$NODE") &
pid=$!
until grep -q . "$R/m1.$NODE" 2>/dev/null; do sleep 0.2; done
lab-barrier m1-tried
if [ "$NODE" = 0 ]; then
	n=$(grep -l '^granted' "$R"/m1.? | wc -l)
	b=$(grep -l '^busy' "$R"/m1.? | wc -l)
	say "master race: $n holder(s), $b busy"
	[ "$n" = 1 ] && [ "$b" = 2 ] || fail "master: $n holders, $b busy"
	: > "$R/m1.done"
fi
wait $pid
rc=$(cat "$R/m1.rc.$NODE")
[ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "master trylock exit $rc"
lab-barrier m1-over
winner=$(grep -l '^granted' "$R"/m1.? | sed 's/.*\.//')
say "master was node$winner"

# 2. Hand-over: the winner takes the master again (it is cached) and
# holds it; the others wait in a blocking open.  While it holds, nobody
# else is granted; once it lets go exactly one waiter is, and the other
# only after the first lets go.
if [ "$NODE" = "$winner" ]; then
	lab-dlmlock -w -u "$R/m2.release" $D/master > "$R/m2.holder" &
	pid=$!
	until grep -q granted "$R/m2.holder" 2>/dev/null; do sleep 0.2; done
fi
# the waiters start only once the master holds it again
lab-barrier m2-held
if [ "$NODE" != "$winner" ]; then
	lab-dlmlock -w -u "$R/m2.done.$NODE" $D/master > "$R/m2.$NODE" &
	pid=$!
fi
lab-barrier m2-waiting
if [ "$NODE" = "$winner" ]; then
	sleep 2
	if grep -q granted "$R"/m2.? 2>/dev/null; then
		fail "a waiter was granted while the master held"
	fi
	: > "$R/m2.release"
	wait $pid
else
	until grep -q granted "$R/m2.$NODE" 2>/dev/null ||
	      [ -e "$R/m2.first" ]; do sleep 0.2; done
	if grep -q granted "$R/m2.$NODE" 2>/dev/null; then
		echo "$NODE" > "$R/m2.first"
		sleep 2
		n=$(grep -l granted "$R"/m2.? | wc -l)
		[ "$n" = 1 ] || fail "$n waiters granted at once"
		say "took the master over on release"
		: > "$R/m2.done.$NODE"
	else
		await "$R/m2.first"
		until grep -q granted "$R/m2.$NODE" 2>/dev/null; do sleep 0.2; done
		say "took the master after node$(cat "$R/m2.first")"
		: > "$R/m2.done.$NODE"
	fi
	wait $pid
fi
lab-barrier m2-over

# 3. Trylock busy and a blocking open that waits: node0 holds EX; node1's
# trylock gets ETXTBSY; node2's blocking open is granted only on release.
case $NODE in
0)	lab-dlmlock -w -u "$R/t.release" $D/tlock > "$R/t.holder"
	;;
1)	until grep -q granted "$R/t.holder" 2>/dev/null; do sleep 0.2; done
	rc=0
	lab-dlmlock -w -n $D/tlock > "$R/t.try" || rc=$?
	[ $rc = 3 ] && grep -q busy "$R/t.try" || fail "trylock on a held lock: exit $rc"
	lab-dlmlock -r -n $D/tlock > "$R/t.tryr" && fail "PR trylock granted under EX"
	say "trylock busy (ETXTBSY)"
	: > "$R/t.tried"
	;;
2)	until grep -q granted "$R/t.holder" 2>/dev/null; do sleep 0.2; done
	lab-dlmlock -w $D/tlock > "$R/t.waiter" &
	pid=$!
	await "$R/t.tried"
	sleep 2
	grep -q granted "$R/t.waiter" && fail "blocking open granted while held"
	: > "$R/t.release"
	wait $pid
	grep -q granted "$R/t.waiter" || fail "blocking open not granted"
	say "blocking open granted on release"
	;;
esac
lab-barrier trylock-over

# 4. LVB: node1 writes under EX; node2 reads it under PR; node0 too.
if [ "$NODE" = 1 ]; then
	lab-dlmlock -w -s "lvb-from-node1" $D/lvb > /dev/null
fi
lab-barrier lvb-written
if [ "$NODE" != 1 ]; then
	lab-dlmlock -r -g $D/lvb > "$R/lvb.$NODE"
	grep -q '^lvb lvb-from-node1$' "$R/lvb.$NODE" || fail "LVB read: $(cat "$R/lvb.$NODE")"
	say "read the LVB under PR"
fi
lab-barrier lvb-read

# 5. PR is shared by all three; while they hold it an EX trylock is busy.
# Then a blocking EX on node0 is granted once they close (BASTs make the
# cached PRs go).
lab-dlmlock -r -u "$R/pr.done" $D/shared > "$R/pr.$NODE" &
pid=$!
until grep -q granted "$R/pr.$NODE" 2>/dev/null; do sleep 0.2; done
lab-barrier pr-held
if [ "$NODE" = 0 ]; then
	rc=0
	lab-dlmlock -w -n $D/shared > /dev/null || rc=$?
	[ $rc = 3 ] || fail "EX trylock under shared PR: exit $rc"
	say "PR shared by 3 nodes, EX trylock busy"
	: > "$R/pr.done"
fi
wait $pid
lab-barrier pr-released
if [ "$NODE" = 0 ]; then
	lab-dlmlock -w $D/shared > /dev/null
	say "EX granted after the PR holders closed"
fi
lab-barrier ex-after-pr

# 6. poll: node2 holds EX and polls; node0 asks for it; node2 sees the
# BAST, lets go, and node0 is granted.
if [ "$NODE" = 2 ]; then
	lab-dlmlock -w -b $D/polled > "$R/poll.2"
	grep -q bast "$R/poll.2" || fail "no BAST seen by poll"
	say "poll reported the BAST"
fi
if [ "$NODE" = 0 ]; then
	until grep -q granted "$R/poll.2" 2>/dev/null; do sleep 0.2; done
	lab-dlmlock -w $D/polled > /dev/null
	say "granted after the poller let go"
fi
lab-barrier poll-over

# 7. Bad names and operations are refused, never a crash.
long=$(printf '%032d' 0)
lab-dlmlock -r $D/$long 2> /dev/null && fail "32-char lock name accepted"
lab-dlmlock -r "$D/\$reserved" 2> /dev/null && fail "'\$' lock name accepted"
mkdir /dlm/$(printf '%064d' 0) 2> /dev/null && fail "64-char domain accepted"
mkdir $D/sub 2> /dev/null && fail "mkdir inside a domain accepted"
( : > /dlm/file ) 2> /dev/null && fail "file in the dlmfs root accepted"
lab-dlmlock -r $D/$(printf '%031d' 0) > /dev/null || fail "31-char lock name refused"
rmdir $D 2> /dev/null && fail "rmdir of a domain with locks"
say "bad names refused"
lab-barrier bad-over

# 8. /dev/ocfs2_control on node0 (protocol T01): garbage and
# out-of-order messages refused with stock's errors (EINVAL; ERANGE for
# numbers out of range), the valid sequence taken, a DOWN for a joined
# group delivered; closing the last valid handle while only dlmfs domains
# (which get node deaths from fs/dlm itself) exist does not restart.
if [ "$NODE" = 0 ]; then
c=lab-ocfs2-control
U=0123456789ABCDEF0123456789ABCDEF
test -c /dev/ocfs2_control
mkdir /dlm/$U
say "joined domain $U"

# Order: nothing before the protocol list is read; then only T01.
$c open 'w:T01\n=>EINVAL' 'w:SETN 00000001\n=>EINVAL' \
	'read=>T01\n' 'read=>' \
	'w:T02\n=>EINVAL' 'w:T01=>EINVAL' 'w:T01\n\n=>EINVAL' 'w:=>EINVAL' \
	'w:T01\n=>ok' || fail "handshake order"

# Messages: exact lengths, fixed fields, hex numbers, DOWN only when
# valid, each number once, versions we speak.
$c open 'read=>T01\n' 'w:T01\n=>ok' \
	"w:DOWN $U 00000002\n=>EINVAL" \
	'w:SETN 00000001=>EINVAL' 'w:SETN 000000001\n=>EINVAL' \
	'w:SETN 0000000G\n=>EINVAL' 'w:SETN -0000001\n=>EINVAL' \
	'w:SETN  0000001\n=>EINVAL' 'w:SETN\x0000000001\n=>EINVAL' \
	'w:SETN 80000000\n=>ERANGE' 'w:SETN 00000001 =>EINVAL' \
	'w:SETN 00000001\n=>ok' 'w:SETN 00000001\n=>EINVAL' \
	'w:SETV 00 00\n=>ERANGE' 'w:SETV 02 00\n=>EINVAL' \
	'w:SETV 01 01\n=>EINVAL' 'w:SETV 01 0x\n=>EINVAL' \
	'w:SETV 01-00\n=>EINVAL' 'w:SETV 01 00=>EINVAL' \
	"w:DOWN $U 00000002\n=>EINVAL" \
	'w:SETV 01 00\n=>ok' 'w:SETV 01 00\n=>EINVAL' \
	'w:SETN 00000001\n=>EINVAL' \
	"w:DOWN $U 0000000Z\n=>EINVAL" "w:DOWN $U 80000000\n=>ERANGE" \
	"w:DOWN ${U}0 0000002\n=>EINVAL" "w:DOWN $U 00000002 =>EINVAL" \
	"w:XXXX $U 00000002\n=>EINVAL" \
	'w:0123456789012345678901234567890123456789012345678901234567890123456789=>EINVAL' \
	"w:DOWN $U 00000001\n=>EINVAL" \
	"w:DOWN FEDCBA9876543210FEDCBA9876543210 00000002\n=>ok" \
	"w:DOWN $U 00000002\n=>ok" \
	open 'read=>T01\n' 'w:T01\n=>ok' \
	'w:SETN 00000002\n=>EINVAL' 'w:SETV 01 00\n=>ok' \
	'w:SETN 00000001\n=>ok' "w:DOWN $U 00000003\n=>ok" \
	close close || fail "messages"
say "garbage and out-of-order messages refused"
dmesg | grep -q "DOWN for this node (1) refused" || fail "no log line for a DOWN naming this node"
dmesg | grep -q "group $U: node 2 reported down by the control daemon" ||
	fail "the DOWN for joined group $U did not reach it"
say "DOWN for joined group $U delivered; DOWN naming this node refused"

# Random bytes of every length up to past the longest message, on a
# handle that took T01 and on a valid one: all refused, no harm.
junk() {
	len=$(( ($1 % 60) + 1 ))
	od -An -v -tx1 -N$len /dev/urandom | tr -d ' \n' | sed 's/../\\x&/g'
}
set -- open 'read=>T01\n' 'w:T01\n=>ok'
i=0
while [ $i -lt 100 ]; do set -- "$@" "w:$(junk $i)=>EINVAL"; i=$((i + 1)); done
set -- "$@" 'w:SETN 00000001\n=>ok' 'w:SETV 01 00\n=>ok'
while [ $i -lt 200 ]; do set -- "$@" "w:$(junk $i)=>EINVAL"; i=$((i + 1)); done
$c "$@" > /tmp/junk.out || { cat /tmp/junk.out; fail "random bytes"; }
say "200 random writes refused"

# After the handles closed (no restart), a new daemon may set another node.
$c open 'read=>T01\n' 'w:T01\n=>ok' 'w:SETN 00000007\n=>ok' \
	'w:SETV 01 00\n=>ok' close || fail "fresh handle after close"
dmesg | grep ocfs2_control || true
rmdir /dlm/$U
say "domain left; node still up"
fi
lab-barrier control-over

# 9. Leave: unlink every lock, rmdir the domain.
rm -f $D/*
rmdir $D
lab-barrier left

# 10. The master moves when its holder dies: node2 holds it (EX, value
# block written), nodes 0 and 1 wait in blocking opens, node0 has the host
# kill node2's QEMU.  corosync notices (token 3000 ms), dlm_controld and
# fs/dlm recover the lockspace, exactly one survivor is granted the
# master, the other once the first lets go (lab-takeover).
D=/dlm/failover
mkdir $D
lab-barrier failover-joined
[ "$NODE" = 2 ] && lab-takeover hold $D
lab-barrier held
if [ "$NODE" = 2 ]; then
	lab-takeover victim
	sleep 600	# until killed
	exit 1
fi
lab-takeover wait $D
if [ "$NODE" = 0 ]; then
	lab-takeover mark
	lab-ctl kill 2
	say "killed node2"
fi
lab-takeover finish
lab-barrier survivors-done
[ "$NODE" = 0 ] && echo "failover: $(lab-takeover time)"
dlm_tool ls | grep -A3 failover || true
rm -f $D/*
rmdir $D
exit 0
