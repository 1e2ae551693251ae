#!/bin/bash
# report.sh RUN_DIR [COMMAND...]: the o2dlm bench's figures from a lab run
# that ran o2dlm-bench.sh (alone through run.sh, or in a set): each
# metric's median over the rounds (and over the pair's nodes for rates)
# for stock and ours, and the ratio ours / stock (above 1 is better for
# rates, below 1 for milliseconds).
set -euo pipefail
run=$1
shift
cat "$run"/results/bench.* > "$run/results/bench"
echo "o2dlm through dlmfs, lab run $(basename "$run"):"
[ $# -gt 0 ] && echo "  $*"
echo "stock = Debian's o2net/o2dlm/ocfs2_dlmfs on two nodes; ours = the project's on two; medians"
printf '%-28s %10s %10s %7s\n' metric stock ours ratio
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for m in cached-ex-open-close/s new-lock-ex/s ex-handoff-ms; do
	s=$(awk -v m="$m" '$1 == "stock" && $2 == m { print $3 }' "$run/results/bench" | median)
	o=$(awk -v m="$m" '$1 == "ours" && $2 == m { print $3 }' "$run/results/bench" | median)
	awk -v m="$m" -v s="$s" -v o="$o" \
		'BEGIN { printf "%-28s %10.2f %10.2f %7.2f\n", m, s, o, (s > 0 ? o / s : 0) }'
done
echo "all samples (stack metric value):"
sort "$run/results/bench" | sed 's/^/  /'
