#!/bin/bash
# report.sh RUN_DIR [COMMAND...]: the o2dlm bench's figures from a lab run
# that ran o2dlm-bench.sh (alone through run.sh, or in a set): each
# metric's median over the rounds (and over the pair's nodes for rates)
# for stock and ours, and the ratio ours / stock (above 1 is better for
# rates, below 1 for milliseconds).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
run=$1
shift
all=$(bench_collect "$run")
echo "o2dlm through dlmfs, lab run $(basename "$run"):"
[ $# -gt 0 ] && echo "  $*"
echo "stock = Debian's o2net/o2dlm/ocfs2_dlmfs on two nodes; ours = the project's on two; medians"
bench_head stock ours ours/stock
for m in cached-ex-open-close/s new-lock-ex/s ex-handoff-ms; do
	bench_row "$m" "$(bench_get stock "$m" "$all")" "$(bench_get ours "$m" "$all")"
done
echo "all samples (stack metric value):"
sort "$all" | sed 's/^/  /'
