#!/bin/bash
# o2cb_ctl's option handling against stock on the host: every case here
# is decided before the cluster is touched (usage, bad options, bad
# combinations), or stops at "Cannot initialize cluster" when no node
# manager runs here.  Output and exit codes must match.  The lab scenario
# o2cb-tools/04-o2cb-ctl.sh compares the operations themselves.
[ -x "$STOCK_SBIN/o2cb_ctl" ] || exit 77
[ -d /sys/kernel/config/cluster ] && exit 77	# a live node manager: lab only
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
while IFS= read -r args; do
	eval "\"$STOCK_SBIN/o2cb_ctl\" $args" > "$tmp/s" 2>&1; echo "rc=$?" >> "$tmp/s"
	eval "\"$TOOLS/o2cb_ctl/o2cb_ctl\" $args" > "$tmp/o" 2>&1; echo "rc=$?" >> "$tmp/o"
	if cmp -s "$tmp/s" "$tmp/o"; then
		echo "same: o2cb_ctl $args"
	else
		echo "DIFF: o2cb_ctl $args"; diff "$tmp/s" "$tmp/o"; fail=1
	fi
done <<'CASES'

-h
-V
--version
--help
--foo
-x
-C -D
-I -H
-I -o -z
-I -i
-C -u
-D -z
-H -o
-n
-n ''
-t ''
-t bogus
-a ''
-a =x
-I extra args
-I
-C -n x
-I -n a -a b
-D -n x -u
CASES
exit $fail
