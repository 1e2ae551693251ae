#!/bin/bash
# o2cb.init's configuration handling on the host: configure answered from
# a pipe writes /etc/default/o2cb (here a scratch file through
# O2CB_CONFIGURATION); bad answers and bad settings are refused with exit
# 1 and change nothing.  modprobe, mount, umount, rmmod and o2cb are stubs
# that record calls and fail, and everything runs in a private mount
# namespace, so nothing on the host is touched.  Bringing clusters up and
# down is the lab's (o2cb-tools/03-service.sh).
INIT="$TOOLS/o2cb/o2cb.init"
command -v unshare > /dev/null && [ "$(id -u)" = 0 ] || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/stub"
for t in modprobe mount umount rmmod o2cb; do
	printf '#!/bin/sh\necho "%s $*" >> %s/calls\nexit 1\n' "$t" "$tmp" > "$tmp/stub/$t"
	chmod +x "$tmp/stub/$t"
done
fail=0
# run NAME EXPECTED_RC ANSWERS ARGS...: o2cb.init with ANSWERS on stdin
run() {
	local name=$1 want=$2 answers=$3 rc; shift 3
	printf "$answers" | unshare -m env PATH="$tmp/stub:$PATH" \
		O2CB_CONFIGURATION="$tmp/o2cb" dash "$INIT" "$@" > "$tmp/out" 2>&1
	rc=$?
	if [ $rc != "$want" ]; then
		echo "FAIL $name: exit $rc, wanted $want"; cat "$tmp/out"; fail=1
	else
		echo "ok $name: exit $rc: $(tail -1 "$tmp/out")"
	fi
}
no_file() { [ ! -e "$tmp/o2cb" ] || { echo "FAIL $1: configuration written"; fail=1; }; }

run usage 1 ''
grep -q '^Usage: .*{start|stop|restart' "$tmp/out" || { echo "FAIL usage text"; fail=1; }
run bad-answer 1 'maybe\n' configure;			no_file bad-answer
run bad-stack 1 'y\ntoolong\n' configure;		no_file bad-stack
run bad-cluster 1 'y\no2cb\nbad-name\n' configure;	no_file bad-cluster
run low-threshold 1 'y\no2cb\nlab\n3\n' configure;	no_file low-threshold
run not-number 1 'y\no2cb\nlab\nabc\n' configure;	no_file not-number
run keepalive-ge-idle 1 'y\no2cb\nlab\n31\n5000\n5000\n2000\n' configure
no_file keepalive-ge-idle
# good answers, not enabled: written, then "stop" finds nothing to stop
run configure 0 'n\no2cb\nlab\n9\n15000\n1000\n2000\n' configure
for kv in O2CB_ENABLED=false O2CB_STACK=o2cb O2CB_BOOTCLUSTER=lab O2CB_HEARTBEAT_THRESHOLD=9 \
	  O2CB_IDLE_TIMEOUT_MS=15000 O2CB_KEEPALIVE_DELAY_MS=1000 O2CB_RECONNECT_DELAY_MS=2000; do
	grep -qx "$kv" "$tmp/o2cb" || { echo "FAIL: $kv not written"; fail=1; }
done
# Enter keeps every current value
cp "$tmp/o2cb" "$tmp/o2cb.before"
run keep 0 '\n\n\n\n\n\n\n' configure
cmp -s "$tmp/o2cb" "$tmp/o2cb.before" || { echo "FAIL: Enter changed values"; fail=1; }
# not enabled: start does nothing at all
rm -f "$tmp/calls"
run start-disabled 0 '' start
[ ! -e "$tmp/calls" ] || { echo "FAIL: start ran $(cat "$tmp/calls")"; fail=1; }
# a bad stack in the file stops every command
echo O2CB_STACK=toolong >> "$tmp/o2cb"
run bad-stack-file 1 '' status
grep -q 'Invalid cluster stack name "toolong"' "$tmp/out" || { echo "FAIL: no reason"; fail=1; }
exit $fail
