#!/bin/bash
# The resource agent ocf:ocfs2:o2cb (ocfs2_controld/o2cb.ocf) on the host,
# without pacemaker: meta-data, validate-all, monitor and stop against a
# stand-in daemon (a copy of sleep) and a stand-in /sys/fs/ocfs2.  start
# loads kernel modules and is left to the lab (user/30).
set -u
RA=$PWD/ocfs2_controld/o2cb.ocf
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
pid=
fails=0
export OCF_ROOT=/nonexistent OCF_FUNCTIONS_DIR=/nonexistent
export OCF_RESKEY_sysfs=$tmp/sys OCF_RESKEY_daemon=$tmp/ocfs2_controld.test
mkdir -p "$tmp/sys/ocfs2"

expect() {	# RC DESCRIPTION ACTION [VAR=VALUE...]
	local want=$1 what=$2 action=$3 rc
	shift 3
	env "$@" "$RA" "$action" > "$tmp/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then
		echo "ok: $what ($action -> $rc)"
	else
		echo "FAIL: $what: $action gave $rc, want $want"; cat "$tmp/out"
		fails=$((fails + 1))
	fi
}

"$RA" meta-data > "$tmp/meta.xml" || { echo "FAIL: meta-data"; exit 1; }
if command -v xmllint > /dev/null; then
	xmllint --noout "$tmp/meta.xml" || { echo "FAIL: meta-data is not XML"; fails=$((fails + 1)); }
fi
for a in start stop monitor meta-data validate-all; do
	grep -q "<action name=\"$a\"" "$tmp/meta.xml" || { echo "FAIL: no $a action"; fails=$((fails + 1)); }
done
for p in stack daemon sysfs configfs daemon_timeout; do
	grep -q "<parameter name=\"$p\"" "$tmp/meta.xml" || { echo "FAIL: no $p parameter"; fails=$((fails + 1)); }
done

expect 5 "daemon not installed" validate-all
expect 7 "probe without the daemon installed: not running here" monitor
expect 0 "stop without the daemon installed" stop
cp "$(command -v sleep)" "$OCF_RESKEY_daemon"
expect 0 "installed" validate-all
expect 6 "bad daemon_timeout" validate-all OCF_RESKEY_daemon_timeout=10s
expect 6 "globally unique clone" validate-all OCF_RESKEY_CRM_meta_globally_unique=true
expect 3 "unknown action" promote
expect 7 "daemon not running" monitor

"$OCF_RESKEY_daemon" 300 &
pid=$!
sleep 0.2
echo pcmk > "$tmp/sys/ocfs2/cluster_stack"
expect 0 "daemon running, stack pcmk" monitor
echo o2cb > "$tmp/sys/ocfs2/cluster_stack"
expect 1 "daemon running on the wrong stack label" monitor
echo pcmk > "$tmp/sys/ocfs2/cluster_stack"
expect 0 "stop" stop
kill -0 $pid 2>/dev/null && { echo "FAIL: the daemon survived stop"; fails=$((fails + 1)); }
wait $pid 2>/dev/null
expect 7 "stopped" monitor
expect 0 "second stop" stop

[ $fails = 0 ] && echo "all passed" || echo "$fails failed"
[ $fails = 0 ]
