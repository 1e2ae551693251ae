#!/bin/sh
# o2net bad input (2 nodes, --hb-threshold 7; node0 is the target on
# either stack, node1 the attacker with busybox nc):
#  - a connection from an address no node has is refused with a log line;
#  - node0 is then told that node1's address belongs to a node 20, whose
#    heartbeat node0 itself fakes in slot 20, so node1 is let in; it sends
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
# send OUT "COMMANDS": a client sends what COMMANDS print, for 3 s; the
# peer's bytes go to OUT
send() { { eval "$2"; sleep 3; } | timeout 5 nc $TARGET 7777 > "$1" 2>/dev/null || true; }

# the fake node 20: blocks of seq 1000.., generation 0x1122334455667788,
# dead_ms 14000, checksums computed on the host (crc32_le seed 0).
# Node 20, not 5: busybox dd writes through the page cache (its O_DIRECT
# falls back), and writing back a cached 4K page that also holds node0's
# live slot puts a stale copy of it on disk; node0 then rightly fences
# itself (its block is not what it wrote).  Slot 20 shares no page with
# slots 0 and 1.
CRCS="4045923815 3780460239 3519173559 3249571999 2968291655 2694730351 2416525079 2155603007 2934802534 3198112590 2382904886 2658854174 4012303558 4283711470 3485684374 3752954302 763056422 1024035342 228517750 502021214 1823489414 2093147822 1280674774 1546080510 1866294507 2135932867 1339609787 1604979091 787875915 1048892259 236174875 509699379 3970678187 4242105987 3427666939 3694973139 2908803339 3172076067 2374330203 2650258547 3009531946 2735934210 2474927738 2213985618 4071275658 3805833122 3528395482 3258831346 821496170 545641026 269664058 6317074 1899783626 1632550626 1373229978 1101727922 217385768 478662656 739294584 1013081680"
fake_hb() { # START_BLOCK
	seq=1000
	for crc in $CRCS; do
		{ le32 $seq; le32 0; bytes 20 0 0 0; le32 "$crc"
		  le32 $((0x55667788)); le32 $((0x11223344)); le32 14000; } |
			dd of=$dev bs=512 seek=$(($1 + 20)) count=1 iflag=fullblock conv=sync,notrunc,fsync 2>/dev/null
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
	send /tmp/r0 "handshake 11"
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
	mkdir $C/node/fake20
	echo 7777 > $C/node/fake20/ipv4_port
	echo 10.77.0.11 > $C/node/fake20/ipv4_address
	echo 20 > $C/node/fake20/num
	echo 0 > $C/node/fake20/local
	fake_hb "$start" &
	fpid=$!
	i=0
	until grep -q '\b20\b' /sys/kernel/debug/o2hb/livenodes; do
		i=$((i + 1)); [ $i -lt 40 ] || fail "fake node 20 never came alive"
		sleep 0.5
	done
	echo "ok: fake node 20 alive: $(cat /sys/kernel/debug/o2hb/livenodes)"
fi
lab-barrier fake-alive

if [ "$NODE" = 1 ]; then
	send /tmp/r1 "handshake 10"
	send /tmp/r2 "handshake 11; frame $((0x1234)) 0 1 0"
	send /tmp/r3 "handshake 11; frame $((0xfa55)) 5000 1 0"
	send /tmp/r4 "handshake 11; frame $((0xfa55)) 0 999 $((0x1234))"
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
