#!/bin/sh
# o2net bad input (2 nodes, --hb-threshold 7; node0 is the target on
# either stack, node1 the attacker with busybox nc):
#  - a connection from an address no node has is refused with a log line;
#  - node0 is then told that node1's address belongs to a node 5, whose
#    heartbeat node0 itself fakes in slot 5, so node1 is let in; it sends
#    a handshake with the wrong protocol, a frame with a bad magic, a
#    frame longer than the maximum, and a message nobody handles.  Each bad
#    one costs only the connection and a log line; the unknown message is
#    answered with a status frame (sys_status NO_HNDLR); node0 stays well.
set -eu
dev=/dev/vda
SERVICE=labbad
fail() { echo "FAIL: $*"; dmesg | grep -i 'o2net\|o2hb' | tail -20; exit 1; }
tool() { if command -v "stock-$1" > /dev/null; then echo "stock-$1"; else echo "$1"; fi; }
MKFS=$(tool mkfs.ocfs2)
HBCTL=$(tool ocfs2_hb_ctl)
C=/sys/kernel/config/cluster/lab
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
[ "$(cat $C/heartbeat/dead_threshold)" = 7 ] || { echo "needs --hb-threshold 7"; exit 77; }
TARGET=10.77.0.10

# bytes N...: raw bytes; be16/be32/be64 V: big-endian fields
bytes() { for b in "$@"; do printf "\\$(printf %03o "$b")"; done; }
be16() { bytes $(($1 >> 8 & 255)) $(($1 & 255)); }
be32() { be16 $(($1 >> 16 & 65535)); be16 $(($1 & 65535)); }
be64() { be32 0; be32 "$1"; }
le32() { bytes $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }

handshake() { # VERSION
	be64 "$1"; be64 1
	be32 $((2000 * ($(cat $C/heartbeat/dead_threshold) - 1)))
	be32 "$(cat $C/idle_timeout_ms)"; be32 "$(cat $C/keepalive_delay_ms)"
	be32 "$(cat $C/reconnect_delay_ms)"
}
frame() { # MAGIC LEN TYPE KEY
	be16 "$1"; be16 "$2"; be16 "$3"; be16 0; be32 0; be32 0; be32 "$4"; be32 7
}
# send: run a client for 4 s, the peer's bytes go to $1
send() { out=$1; shift; { "$@"; sleep 3; } | timeout 5 nc $TARGET 7777 > "$out" 2>/dev/null || true; }

# the fake node 5: blocks of seq 1000.., generation 0x1122334455667788,
# dead_ms 14000, checksums computed on the host (crc32_le seed 0).
# O_DIRECT: a buffered write would write back the whole cached page,
# clobbering node0's own live slot with a stale copy (node0 then rightly
# fences itself: its own block is not what it wrote).
CRCS="1041776938 778738178 519960442 244264018 2144546186 1872885410 1597414362 1329873138 1641163947 1906374531 1094163195 1363493331 538525707 812358435 16578139 277753203 3796170219 4063637187 3265348539 3537082515 2744097099 3019719267 2204774171 2467886131 2684534822 2960136974 2162652790 2425728350 3788090502 4055594926 3240893142 3512648190 596908390 870761038 57782070 318993438 1650423238 1915596526 1119536022 1388845246 2086565095 1814867919 1555808951 1288247711 1033181255 770163567 493923863 218264895 4291341735 4021974671 3744275447 3479159007 3187917063 2926647855 2665903959 2392108159 3284840421 3552081101 3811514805 4083008157"
fake_hb() { # START_BLOCK
	seq=1000
	for crc in $CRCS; do
		{ le32 $seq; le32 0; bytes 5 0 0 0; le32 "$crc"
		  le32 $((0x55667788)); le32 $((0x11223344)); le32 14000; } |
			dd of=$dev bs=512 seek=$(($1 + 5)) count=1 conv=sync,notrunc oflag=direct 2>/dev/null
		seq=$((seq + 1))
		sleep 2
	done
}

if [ "$NODE" = 0 ]; then
	$MKFS -q -F -N 8 -L badvol --cluster-stack=o2cb --cluster-name=lab $dev
	rmdir $C/node/node1
	$HBCTL -S -d $dev $SERVICE
fi
lab-barrier ready

# 1. an address no configured node has
if [ "$NODE" = 1 ]; then
	send /tmp/r0 handshake 11
fi
lab-barrier unknown-sent
if [ "$NODE" = 0 ]; then
	sleep 1
	dmesg | grep -i "10.77.0.11" | tail -3
	dmesg | grep -qi "unknown node at 10.77.0.11\|10.77.0.11.*not a configured node" ||
		fail "no log line for the unconfigured address"
	echo "ok: unconfigured address refused"
	uuid=$(blkid -o value -s UUID $dev | tr -d - | tr a-f A-F)
	start=$(cat $C/heartbeat/$uuid/start_block)
	mkdir $C/node/fake5
	echo 7777 > $C/node/fake5/ipv4_port
	echo 10.77.0.11 > $C/node/fake5/ipv4_address
	echo 5 > $C/node/fake5/num
	echo 0 > $C/node/fake5/local
	fake_hb "$start" &
	fpid=$!
	i=0
	until grep -q '\b5\b' /sys/kernel/debug/o2hb/livenodes; do
		i=$((i + 1)); [ $i -lt 40 ] || fail "fake node 5 never came alive"
		sleep 0.5
	done
	echo "ok: fake node 5 alive: $(cat /sys/kernel/debug/o2hb/livenodes)"
fi
lab-barrier fake-alive

if [ "$NODE" = 1 ]; then
	send /tmp/r1 handshake 10
	send /tmp/r2 handshake 11 frame $((0x1234)) 0 1 0
	send /tmp/r3 handshake 11 frame $((0xfa55)) 5000 1 0
	send /tmp/r4 handshake 11 frame $((0xfa55)) 0 999 $((0x1234))
	for r in 1 2 3 4; do echo "reply $r: $(wc -c < /tmp/r$r) bytes"; done
	od -A d -t x1 /tmp/r4 | head -6
	[ "$(wc -c < /tmp/r4)" -ge 56 ] || fail "no reply to the unknown message"
	st=$(od -A n -t x1 -j 32 -N 12 /tmp/r4 | tr -d ' \n')
	case "$st" in
	fa56*00000001) echo "ok: unknown message answered with NO_HNDLR ($st)" ;;
	*) fail "unexpected reply header $st" ;;
	esac
fi
lab-barrier attacked

if [ "$NODE" = 0 ]; then
	sleep 1
	dmesg | grep -i 'o2net' | tail -12
	[ "$(cat $C/heartbeat/$uuid/pid)" ] || fail "heartbeat thread gone"
	grep -q '^0 ' /sys/kernel/debug/o2hb/livenodes || fail "node0 not alive"
	kill $fpid 2>/dev/null || true
	echo "ok: node0 still heartbeating: $(cat /sys/kernel/debug/o2hb/livenodes)"
fi
lab-barrier done
