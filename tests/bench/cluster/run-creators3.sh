#!/bin/bash
# Three nodes creating in separate directories at once, aggregate creates
# per second, ours against stock in one lab run: three user-stack nodes
# holding both module sets swap from stock's ocfs2 modules to ours and back
# (creators3.sh; the lab stages both with LAB_MODSETS=1).  Prints the
# median over the rounds for stock and ours and the ratio ours / stock
# (above 1 is better), with each node's own rate.
#   tests/bench/cluster/run-creators3.sh [--kernel 6.1|6.12] [--rounds N]
#       [--create N] [--timeout S]
#   tests/bench/cluster/run-creators3.sh --report RUNDIR [COMMAND]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
# Figures only mean something from a machine running nothing else.
export LAB_EXCLUSIVE=${LAB_EXCLUSIVE:-1}
export LAB_MODSETS=1
KERNEL=${BENCH_KERNEL:-6.1} ROUNDS=4 CREATE=1000 REPORT= TIMEOUT=
while (($#)); do
	case "$1" in
	--report) REPORT=$2; shift 2; break ;;
	--kernel) KERNEL=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--create) CREATE=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	*) echo "usage: see the header of $0" >&2; exit 2 ;;
	esac
done

# shellcheck source=../lib.sh
. "$TOP/tests/bench/lib.sh"

report() {
	local all m
	all=$(bench_collect "$1")
	echo "ocfs2 cluster mode, 3 creators (user stack, fs/dlm), lab run $(basename "$1"):"
	[ -n "${2:-}" ] && echo "  $2"
	echo "the same 3 nodes with stock's ocfs2 modules, then ours (order alternating by round); medians"
	bench_head stock ours ours/stock
	for m in creates-3-nodes/s creates-node0/s creates-node1/s creates-node2/s; do
		bench_row "$m" "$(bench_get stock "$m" "$all")" "$(bench_get ours "$m" "$all")"
	done
	echo "all samples (stack metric value), in the order taken:"
	sed 's/^/  /' "$1"/results/bench.0
	lock_waits "$1"
}

# lock_waits RUNDIR: from ours' lock_stats before and after each node's
# N creates (creators3.sh lstats), the DLM requests and their wait per create,
# and per kind of lock the first requests (attach) and converts per create.
lock_waits() {
	local f
	for f in "$1"/results/lockstats.*; do
		[ -r "$f" ] || continue
		echo "ours' lock counters per create, node ${f##*.} (after the creates - before):"
		awk '
		# the counters of one line into a[]; the kinds in order in kind[]
		function get(line, a, i, k) {
			delete a
			nk = 0
			k = split(line, w, " ")
			for (i = 1; i < k; i++)
				if (w[i] ~ /^[A-Za-z*]_(attach|convert)$/) {
					kind[++nk] = w[i]
					a[w[i]] = w[i + 1]; a[w[i] "_us"] = w[i + 2] + 0; i += 2
				} else if (w[i] ~ /^[a-z_]+$/) {
					a[w[i]] = w[i + 1]; i++
				}
		}
		$1 == "==" { round = $3; when = $4; n = $5; next }
		when == "ready" { get($0, r); next }
		when == "created" {
			get($0, c)
			printf "  round %s: requests %.2f, wait %.0f us; downconverts %.2f; refreshes %.2f",
				round, (c["requests"] - r["requests"]) / n,
				(c["request_us"] - r["request_us"]) / n,
				(c["downconverts"] - r["downconverts"]) / n,
				(c["refreshes"] - r["refreshes"]) / n
			for (j = 1; j <= nk; j++)
				if (c[k = kind[j]] - r[k] > 0)
					printf "; %s %.2f (%.0f us)", k, (c[k] - r[k]) / n,
						(c[k "_us"] - r[k "_us"]) / n
			print ""
		}' "$f"
	done
}

if [ -n "$REPORT" ]; then
	report "$REPORT" "${1:-}"
	exit
fi
tmp=$(mktemp -d /tmp/creators3-XXXX)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -Wall -Wextra -Werror -o "$tmp/fs-bench" "$TOP/tests/bench/fs/fs-bench.c"
cmd=("$TOP/tests/lab/run" --kernel "$KERNEL" --cluster user --stack ours --nodes 3
	--disk 1G --disk 1G --timeout "${TIMEOUT:-$((ROUNDS * 200 + 480))}"
	--add "$tmp/fs-bench" "$HERE/creators3.sh" "$ROUNDS" "$CREATE")
bench_lab creators3 "${cmd[@]}" || exit 1
echo "one lab run ($BENCH_TIME), 3 TCG nodes, kernel $KERNEL"
report "$BENCH_RUN" "LAB_MODSETS=1 (set by the driver) tests/bench/cluster/run-creators3.sh --kernel $KERNEL --rounds $ROUNDS --create $CREATE"
exit "$BENCH_RC"
