#!/bin/sh
# /dev/ocfs2_control (protocol T01) refuses garbage and out-of-order
# messages with the errors stock gives (EINVAL, ERANGE for numbers out of
# range), takes the valid sequence, and a DOWN for a joined group reaches
# it.  Closing the last valid handle while only dlmfs domains (which get
# node deaths from fs/dlm itself) exist must not restart the node.
# Run: tests/lab/run --cluster user --stack ours --nodes 1 THIS
set -e
say() { echo "node$NODE: $*"; }
fail() { echo "node$NODE: FAIL: $*"; exit 1; }
c=lab-ocfs2-control
U=0123456789ABCDEF0123456789ABCDEF

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
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
	"w:DOWN FEDCBA9876543210FEDCBA9876543210 00000002\n=>ok" \
	"w:DOWN $U 00000002\n=>ok" \
	open 'read=>T01\n' 'w:T01\n=>ok' \
	'w:SETN 00000002\n=>EINVAL' 'w:SETV 01 00\n=>ok' \
	'w:SETN 00000001\n=>ok' "w:DOWN $U 00000003\n=>ok" \
	close close || fail "messages"
say "garbage and out-of-order messages refused"

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
exit 0
