#!/bin/bash
# ocfs2_controld against a real corosync on the host, with no kernel parts:
# a one-node corosync (two nodes configured, so it starts inquorate) in a
# private network and mount namespace, the control device faked by a file
# (OCFS2_CONTROLD_DEVICE) and the kernel's protocol limit by another
# (OCFS2_CONTROLD_MAX_PROTOCOL).  Checks start-up and negotiation, quorum
# refusal, the MOUNT/MRESULT/UNMOUNT and list exchanges as mount.ocfs2
# makes them, garbage and out-of-order input, SIGTERM with mounts, a
# corosync restart, and the messages the kernel would have received.
# Skips (77) without root, unshare or corosync.
set -u
ROOT=$(pwd)
DAEMON=$ROOT/ocfs2_controld/ocfs2_controld
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
command -v corosync > /dev/null || { echo "skip: no corosync"; exit 77; }
[ -x "$DAEMON" ] || { echo "skip: $DAEMON not built"; exit 77; }
if [ -z "${IN_NS:-}" ]; then
	IN_NS=1 exec unshare --net --mount --fork "$0" "$@" || { echo "skip: unshare failed"; exit 77; }
fi

T=$(mktemp -d /tmp/controld-test.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; sleep 0.5; rm -rf "$T"' EXIT
ip link set lo up
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /var/lib/corosync
gcc -O2 -Wall -o "$T/controld-client" tests/lab/tools/controld-client.c || exit 1
CLIENT=$T/controld-client
UUID=0123456789ABCDEF0123456789ABCDEF
fail() { echo "FAIL: $*"; echo "--- daemon log"; cat "$T/daemon.log"; exit 1; }

cat > "$T/corosync.conf" <<CONF
totem {
	version: 2
	cluster_name: labtest
	transport: knet
	crypto_cipher: none
	crypto_hash: none
}
nodelist {
	node {
		ring0_addr: 127.0.0.1
		name: one
		nodeid: 1
	}
	node {
		ring0_addr: 127.0.0.2
		name: two
		nodeid: 2
	}
}
quorum {
	provider: corosync_votequorum
}
logging {
	to_logfile: yes
	logfile: $T/corosync.log
	to_syslog: no
	to_stderr: no
}
CONF

start_corosync() {
	corosync -f -c "$T/corosync.conf" > /dev/null 2>&1 &
	COROPID=$!
	for _ in $(seq 50); do
		corosync-cfgtool -s > /dev/null 2>&1 && return 0
		sleep 0.2
	done
	fail "corosync did not start"
}

# wait_log PATTERN [COUNT]: the daemon log holds PATTERN COUNT times
wait_log() {
	local n=${2:-1}
	for _ in $(seq 100); do
		[ "$(grep -cF -- "$1" "$T/daemon.log")" -ge "$n" ] && return 0
		sleep 0.1
	done
	fail "no \"$1\" (x$n) in the daemon log"
}

# expect PATTERN MSG...: the replies hold PATTERN
expect() {
	local want=$1 out
	shift
	out=$("$CLIENT" "$@" 2>&1)
	echo "$out" | sed 's/^/    /'
	echo "$out" | grep -qF -- "$want" || fail "expected \"$want\" for: $*"
}

alive() { kill -0 "$DPID" 2>/dev/null || fail "the daemon died"; }

printf 'T01\n' > "$T/control"
printf '1.0\n' > "$T/maxproto"
export OCFS2_CONTROLD_DEVICE=$T/control OCFS2_CONTROLD_MAX_PROTOCOL=$T/maxproto

echo "== no corosync: clean exit with a reason"
"$DAEMON" -D > "$T/daemon.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "exit $rc without corosync"
grep -q "is corosync running" "$T/daemon.log" || fail "no reason given"
grep -q "exiting: start-up failed" "$T/daemon.log" || fail "no exit line"
printf 'T01\n' > "$T/control"

echo "== start"
start_corosync
"$DAEMON" -D >> "$T/daemon.log" 2>&1 &
DPID=$!
wait_log "filesystem locking protocol 1.0"
wait_log "is not quorate"
wait_log "group ocfs2_controld: joined"
[ "$(cat "$T/control")" = "$(printf 'T01\nT01\nSETN 00000001\nSETV 01 00')" ] ||
	fail "control device got: $(cat "$T/control")"
"$DAEMON" -D > "$T/second.log" 2>&1 && fail "a second daemon started"
grep -q "another ocfs2_controld running" "$T/second.log" || fail "second daemon: no reason"

echo "== lists"
expect "ITEMCOUNT 1" "LISTCLUSTERS "
expect "ITEM labtest" "LISTCLUSTERS "
expect "STATUS 0 OK" "LISTFS ocfs2 labtest"
expect "cluster labtest node 1 connected inquorate protocol 1.0" "DUMP "

echo "== bad input"
expect "STATUS 74 Bad message: unknown message" "HELLO world"
expect "STATUS 74 Bad message: arguments given to a message that takes none" "DUMP x"
expect "STATUS 74 Bad message: message not NUL terminated" "$(printf 'x%.0s' $(seq 256))"
expect "STATUS 74" "@bytes:256"
expect "STATUS 22 No mount of $UUID in progress" "MRESULT ocfs2 $UUID 0 /mnt/a"
expect "STATUS 22 STATUS is a reply" "STATUS 0 OK"
expect "STATUS 22 ITEM is a reply" "ITEM x"
expect "STATUS 22 Invalid cluster name other" "MOUNT ocfs2 $UUID other /dev/x /mnt/a"
expect "STATUS 22 Invalid volume UUID" "MOUNT ocfs2 0123 labtest /dev/x /mnt/a"
expect "STATUS 22 Invalid filesystem type ext4" "MOUNT ext4 $UUID labtest /dev/x /mnt/a"
expect "STATUS 2 Volume $UUID is not mounted on /mnt/a" "UNMOUNT ocfs2 $UUID /mnt/a"
"$CLIENT" "@bytes:100" > /dev/null
# more idle connections than the daemon keeps: the excess is refused
pids=
for _ in $(seq 72); do "$CLIENT" "@sleep:10" > /dev/null 2>&1 & pids="$pids $!"; done
wait_log "connections already open"
wait $pids
expect "ITEM labtest" "LISTCLUSTERS "
alive

echo "== quorum"
expect "STATUS 37 Cluster labtest has no quorum: mount refused" "MOUNT ocfs2 $UUID labtest /dev/x /mnt/a"
corosync-quorumtool -e 1 > /dev/null || fail "corosync-quorumtool -e 1"
wait_log "cluster labtest is quorate"

echo "== mount, second mount point, unmount"
expect "STATUS 0 OK" "MOUNT ocfs2 $UUID labtest /dev/x /mnt/a" "MRESULT ocfs2 $UUID 0 /mnt/a"
wait_log "group $UUID: joined"
expect "ITEM $UUID" "LISTFS ocfs2 labtest"
expect "ITEM /mnt/a" "LISTMOUNTS ocfs2 $UUID"
expect "STATUS 114 Already mounted, go ahead" "MOUNT ocfs2 $UUID labtest /dev/x /mnt/b" "MRESULT ocfs2 $UUID 0 /mnt/b"
expect "STATUS 16 Volume $UUID is already mounted on /mnt/a" "MOUNT ocfs2 $UUID labtest /dev/x /mnt/a"
expect "STATUS 22 Volume $UUID is mounted from /dev/x, not /dev/y" "MOUNT ocfs2 $UUID labtest /dev/y /mnt/c"
expect "STATUS 22 Mount in progress is on /mnt/c, not /mnt/d" "MOUNT ocfs2 $UUID labtest /dev/x /mnt/c" "MRESULT ocfs2 $UUID 0 /mnt/d" "MRESULT ocfs2 $UUID -5 /mnt/c"
expect "ITEMCOUNT 2" "LISTMOUNTS ocfs2 $UUID"
# a mounter that hangs up before MRESULT abandons its mount point
"$CLIENT" "MOUNT ocfs2 $UUID labtest /dev/x /mnt/e" > /dev/null
wait_log "mount on /mnt/e abandoned"
expect "ITEMCOUNT 2" "LISTMOUNTS ocfs2 $UUID"

echo "== SIGTERM while mounted is refused"
kill -TERM $DPID
wait_log "volume(s) are mounted: not exiting"
alive

echo "== corosync restart while mounted"
kill -TERM $COROPID
wait $COROPID
wait_log "lost corosync"
alive
expect "STATUS 37" "MOUNT ocfs2 FEDCBA9876543210FEDCBA9876543210 labtest /dev/z /mnt/z"
start_corosync
wait_log "corosync is back"
wait_log "group $UUID: joined" 2
alive

echo "== unmount both, leave the group"
expect "STATUS 0 OK" "UNMOUNT ocfs2 $UUID /mnt/a"
expect "STATUS 0 OK" "UNMOUNT ocfs2 $UUID /mnt/b"
wait_log "volume $UUID: left its group"
expect "ITEMCOUNT 0" "LISTFS ocfs2 labtest"
[ "$(cat "$T/control")" = "$(printf 'T01\nT01\nSETN 00000001\nSETV 01 00')" ] ||
	fail "control device got more: $(cat "$T/control")"

echo "== SIGTERM, nothing mounted"
kill -TERM $DPID
wait $DPID
rc=$?
[ $rc = 0 ] || fail "exit status $rc after SIGTERM"
grep -q "exiting: SIGTERM" "$T/daemon.log" || fail "no exit reason"
echo "--- daemon log"
cat "$T/daemon.log"
echo "all passed"
