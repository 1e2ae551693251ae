#!/bin/bash
# o2cb's config-file commands against stock o2cb: the same sequence of
# commands (good and bad) must give the same output, exit codes and file.
[ -x "$STOCK_SBIN/o2cb" ] || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {
	local bin=$1 f=$2
	rm -f "$f"
	for cmd in "add-cluster mycl" "add-node mycl n1 --ip 10.1.1.1" "add-node mycl n2 --ip 10.1.1.2 --port 7778" \
		"add-heartbeat mycl 0123456789ABCDEF0123456789ABCDEF" "heartbeat-mode mycl global" \
		"add-cluster mycl" "add-node mycl n1 --ip 10.1.1.9" "add-node mycl n3 --ip 10.1.1.3 --number 1" \
		"add-node mycl n3 --ip 10.1.1.3 --number 300" "remove-node mycl nx" "heartbeat-mode mycl foo" \
		"add-cluster bad!" "add-cluster abcdefghijklmnopq" "add-node mycl n4 --ip 1.2.3" "add-node nocl n1 --ip 1.1.1.1" \
		"list-cluster mycl" "list-cluster mycl --oneline" "list-nodes mycl" "list-nodes mycl --oneline" \
		"list-heartbeats mycl" "list-heartbeats mycl --oneline" "list-clusters" "list-cluster" \
		"add-cluster two" "add-node two a --ip 10.0.0.1" "remove-node mycl n2" "list-cluster mycl --oneline" \
		"remove-heartbeat mycl 0123456789ABCDEF0123456789ABCDEF" "remove-cluster two" "list-clusters"; do
		echo "\$ o2cb $cmd"
		"$bin" --config-file="$f" $cmd 2>&1
		echo "rc=$?"
	done
	echo "--- file"; cat "$f"
}
run "$STOCK_SBIN/o2cb" "$tmp/stock.conf" > "$tmp/stock.out"
run "$TOOLS/o2cb/o2cb" "$tmp/ours.conf" > "$tmp/ours.out"
# Several clusters: the file layout (all clusters, then heartbeats, then
# nodes, each cluster by cluster) must be stock's.
multi() {
	local bin=$1 f=$2
	rm -f "$f"
	for cmd in "add-cluster a" "add-node a n1 --ip 1.1.1.1" "add-cluster b" \
		"add-node b n2 --ip 1.1.1.2" "add-node a n3 --ip 1.1.1.3" \
		"add-heartbeat a 0123456789ABCDEF0123456789ABCDEF" \
		"add-heartbeat b 1123456789ABCDEF0123456789ABCDEF" "list-clusters"; do
		"$bin" --config-file="$f" $cmd 2>&1; echo "rc=$?"
	done
	cat "$f"
}
multi "$STOCK_SBIN/o2cb" "$tmp/stock2.conf" > "$tmp/stock2.out"
multi "$TOOLS/o2cb/o2cb" "$tmp/ours2.conf" > "$tmp/ours2.out"
diff -u "$tmp/stock2.out" "$tmp/ours2.out" || exit 1
diff -u "$tmp/stock.out" "$tmp/ours.out"
