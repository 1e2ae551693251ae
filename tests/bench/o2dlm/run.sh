#!/bin/bash
# o2dlm benchmark, ours against stock in one lab run: four o2cb nodes,
# Debian's ocfs2 modules on two and ours on the other two, each pair in a
# dlmfs domain of its own, the pairs taking turns (see scenario.sh).
# Prints each metric's median over the rounds for both and the ratio
# ours / stock: above 1 is better for rates, below 1 for milliseconds.
#   tests/bench/o2dlm/run.sh [--kernel 6.1|6.12]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
KERNEL=${BENCH_KERNEL:-6.1}
[ "${1:-}" = --kernel ] && KERNEL=$2
cmd=("$TOP/tests/lab/run" --kernel "$KERNEL" --stack stock,stock,ours,ours
	--nodes 4 --disk 256M --timeout 420 "$HERE/scenario.sh")
log=$(mktemp /tmp/o2dlm-bench-XXXX.log)
if ! "${cmd[@]}" > "$log" 2>&1; then
	tail -30 "$log" >&2
	echo "bench: the lab run failed (log $log)" >&2
	exit 1
fi
run=$(grep -o 'run dir [^ ;]*' "$log" | tail -1 | cut -d' ' -f3)
cat "$run"/results/bench.* > "$run/results/bench"
echo "o2dlm through dlmfs, kernel $KERNEL, one lab run ($(grep -o 'in [0-9]*s' "$log" | tail -1)), 4 TCG nodes:"
echo "  ${cmd[*]#"$TOP"/}"
echo "stock = Debian's o2net/o2dlm/ocfs2_dlmfs; ours = the project's; medians over rounds (and nodes for rates)"
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
