#!/bin/bash
# dlmfs benchmark, ours against stock in one lab run: four user-stack
# nodes (corosync + dlm_controld + fs/dlm), Debian's ocfs2_stack_user and
# ocfs2_dlmfs on two, ours on the other two; the pairs take turns (see
# scenario.sh).  Prints each metric's median over the rounds for both and
# the ratio ours / stock: above 1 is better for open/close per second,
# below 1 is better for hand-off milliseconds.
#   tests/bench/dlmfs/run.sh [--kernel 6.1|6.12]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
KERNEL=${BENCH_KERNEL:-6.1}
[ "${1:-}" = --kernel ] && KERNEL=$2
cmd=("$TOP/tests/lab/run" --kernel "$KERNEL" --cluster user --stack stock,stock,ours,ours
	--nodes 4 --add "$TOP/ocfs2_controld/ocfs2_controld" --timeout 420 "$HERE/scenario.sh")
log=$(mktemp /tmp/dlmfs-bench-XXXX.log)
if ! "${cmd[@]}" > "$log" 2>&1; then
	tail -30 "$log" >&2
	echo "bench: the lab run failed (log $log)" >&2
	exit 1
fi
run=$(grep -o 'run dir [^ ;]*' "$log" | tail -1 | cut -d' ' -f3)
echo "dlmfs, kernel $KERNEL, one lab run ($(grep -o 'in [0-9]*s' "$log" | tail -1)), 4 TCG nodes:"
echo "  ${cmd[*]#$TOP/}"
echo "stock = Debian ocfs2_stack_user + ocfs2_dlmfs; ours = the project's; medians of $(grep -c '^stock ex-handoff' "$run/results/bench") rounds"
printf '%-30s %10s %10s %7s\n' metric stock ours ratio
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for m in uncontended-ex-open-close/s ex-handoff-ms; do
	s=$(awk -v m="$m" '$1 == "stock" && $2 == m { print $3 }' "$run/results/bench" | median)
	o=$(awk -v m="$m" '$1 == "ours" && $2 == m { print $3 }' "$run/results/bench" | median)
	awk -v m="$m" -v s="$s" -v o="$o" \
		'BEGIN { printf "%-30s %10.2f %10.2f %7.2f\n", m, s, o, (s > 0 ? o / s : 0) }'
done
echo "per round:"
sed 's/^/  /' "$run/results/bench"
