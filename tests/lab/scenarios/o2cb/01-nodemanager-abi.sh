#!/bin/sh
# o2cb node manager ABI: the cluster the lab brought online with stock
# `o2cb register-cluster` has the stock layout, defaults and values; bad
# writes are refused with the stock error codes (EINVAL for values out of
# range), and the cluster can be taken down and brought back with the
# stock tools.  Runs on any stack; compare stock against ours.
set -eu
C=/sys/kernel/config/cluster/lab
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }

# out-of-range values: EINVAL on ours, stock mostly says ERANGE
R="Invalid argument"
[ "$LAB_STACK" = stock ] && R="Numerical result out of range"

grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }

# expect_err ERRTEXT FILE VALUE: writing VALUE to FILE must fail with ERRTEXT
# (busybox echo reports the errno; dash's builtins say only "I/O error")
expect_err() {
	out=$( (/lab/bb/echo -n "$3" > "$2") 2>&1 ) && fail "write '$3' to $2 succeeded"
	case "$out" in
	*"$1"*) ok "write '$3' to ${2#$C/} -> $1" ;;
	*) fail "write '$3' to $2: expected '$1', got '$out'" ;;
	esac
}
expect_val() {
	v=$(cat "$1")
	[ "$v" = "$2" ] || fail "$1 is '$v', expected '$2'"
	ok "${1#$C/} = $2"
}

expect_val /sys/fs/o2cb/interface_revision 5
for a in idle_timeout_ms keepalive_delay_ms reconnect_delay_ms fence_method; do
	test -f $C/$a || fail "missing $a"
done
expect_val $C/fence_method reset
expect_val $C/heartbeat/mode local
cat $C/heartbeat/dead_threshold $C/idle_timeout_ms $C/keepalive_delay_ms $C/reconnect_delay_ms

n=0
while [ $n -lt "$NODES" ]; do
	d=$C/node/node$n
	expect_val $d/num $n
	expect_val $d/ipv4_address 10.77.0.$((10 + n))
	expect_val $d/ipv4_port 7777
	if [ $n -eq "$NODE" ]; then expect_val $d/local 1; else expect_val $d/local 0; fi
	n=$((n + 1))
done

# bad input on a scratch node
mkdir $C/node/scratch
expect_err "Invalid argument" $C/node/scratch/num 3           # no address/port yet
expect_err "Invalid argument" $C/node/scratch/ipv4_port 0
expect_err "$R" $C/node/scratch/ipv4_port 70000
expect_err "Invalid argument" $C/node/scratch/ipv4_port abc
expect_err "Invalid argument" $C/node/scratch/ipv4_address 10.77.0
expect_err "$R" $C/node/scratch/ipv4_address 1.2.3.999
expect_err "File exists" $C/node/scratch/ipv4_address 10.77.0.10  # node0's
echo 7778 > $C/node/scratch/ipv4_port
expect_err "Device or resource busy" $C/node/scratch/ipv4_port 7779
echo 10.77.0.200 > $C/node/scratch/ipv4_address
expect_err "$R" $C/node/scratch/num 255
expect_err "Invalid argument" $C/node/scratch/num -1
expect_err "File exists" $C/node/scratch/num 0
echo 200 > $C/node/scratch/num
expect_err "Device or resource busy" $C/node/scratch/local 1
echo 0 > $C/node/scratch/local
rmdir $C/node/scratch
ok "scratch node removed"
long=$(printf 'n%.0s' $(seq 1 65))
( mkdir $C/node/$long ) 2>/dev/null && fail "65-char node name accepted"
ok "65-char node name refused"
( mkdir /sys/kernel/config/cluster/second ) 2>/dev/null && fail "second cluster accepted"
ok "second cluster refused"

old_idle=$(cat $C/idle_timeout_ms)
old_ka=$(cat $C/keepalive_delay_ms)
expect_err "Invalid argument" $C/idle_timeout_ms 0
expect_err "Invalid argument" $C/idle_timeout_ms "$old_ka"
expect_err "Invalid argument" $C/keepalive_delay_ms "$old_idle"
expect_err "Invalid argument" $C/reconnect_delay_ms 0
expect_err "$R" $C/reconnect_delay_ms 4294967296
expect_err "Invalid argument" $C/fence_method reboot
echo panic > $C/fence_method
expect_val $C/fence_method panic
echo reset > $C/fence_method
# stock ignores a threshold below 3 silently
[ "$LAB_STACK" = stock ] || expect_err "Invalid argument" $C/heartbeat/dead_threshold 1
expect_err "Invalid argument" $C/heartbeat/dead_threshold x
expect_err "Invalid argument" $C/heartbeat/mode both

mkdir $C/heartbeat/0123456789ABCDEF0123456789ABCDEF
RG=$C/heartbeat/0123456789ABCDEF0123456789ABCDEF
expect_err "Invalid argument" $RG/block_bytes 1000
expect_err "$R" $RG/block_bytes 8192
expect_err "$R" $RG/blocks 256
expect_err "$R" $RG/blocks 0
expect_err "Invalid argument" $RG/dev 0      # geometry not set
rmdir $RG
( mkdir $C/heartbeat/0123456789ABCDEF0123456789ABCDEF0 ) 2>/dev/null && fail "33-char region accepted"
ok "33-char region name refused"

lab-barrier probed
# the stock tools take the cluster down and bring it back
o2cb unregister-cluster lab
test ! -d $C || fail "cluster still there after unregister"
ok "unregister-cluster"
o2cb register-cluster lab
expect_val $C/node/node$NODE/local 1
ok "register-cluster again"
o2cb list-cluster lab > /dev/null
lab-barrier done
