#!/bin/bash
# Benchmark our ocfs2 module against the stock one on the same local-mount
# volume: one lab run, node0 stock, node1 ours, each timing cold-cache
# reads and then a sequential write in turn; prints figures and
# ours/stock ratios, and ours against the raw device for streaming.
#   tests/bench/fs/run.sh [--kernel 6.1|6.12]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
KERNEL=${BENCH_KERNEL:-6.1}
[ "${1:-}" = --kernel ] && KERNEL=$2
log=$(mktemp /tmp/fs-bench-XXXX.log)
if ! "$TOP/tests/lab/run" --kernel "$KERNEL" --nodes 2 --stack stock,ours \
	--disk 1G --disk 256M --timeout 900 "$HERE/scenario.sh" > "$log" 2>&1; then
	tail -40 "$log" >&2
	echo "bench: the lab run failed (log $log)" >&2
	exit 1
fi
run=$(grep -o 'run dir [^ ]*' "$log" | tail -1 | cut -d' ' -f3)
res=$run/results/bench.txt
echo "ocfs2 local mount, ours vs stock, same volume, kernel $KERNEL (TCG guests: compare ratios, not absolutes)"
awk '{ v[$1, $2] = $3; if (!seen[$1]++) order[n++] = $1 }
END {
	printf "%-24s %10s %10s %10s %7s %9s\n", "metric", "raw", "stock", "ours", "ratio", "ours/raw"
	for (i = 0; i < n; i++) {
		m = order[i]; s = v[m, "stock"] + 0; o = v[m, "ours"] + 0; r = v[m, "raw"] + 0
		ratio = 0
		if (s > 0) ratio = o / s
		raw = "-"; vs = "-"
		if (r > 0) { raw = sprintf("%.1f", r); vs = sprintf("%.2f", o / r) }
		printf "%-24s %10s %10.1f %10.1f %7.2f %9s\n", m, raw, s, o, ratio, vs
	}
}' "$res"
