#!/bin/bash
# dlmfs benchmark: uncontended EX open/close rate and 2-node EX hand-off
# latency.  Ours runs on the user stack (corosync + fs/dlm); stock dlmfs
# cannot join a domain there (it passes an empty cluster name, which fs/dlm
# refuses under dlm_controld), so stock runs on its o2cb stack in a second
# lab run right after.  The ratio therefore compares stack and dlmfs
# together; when our o2cb stack can carry dlmfs, add "ours o2cb" below.
#   tests/bench/dlmfs/run.sh [--kernel 6.1|6.12]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
KERNEL=${BENCH_KERNEL:-6.1}
[ "${1:-}" = --kernel ] && KERNEL=$2
declare -A res

bench_run() {	# NAME LAB-OPTIONS...
	local name=$1 log run
	shift
	log=$(mktemp /tmp/dlmfs-bench-XXXX.log)
	if ! "$TOP/tests/lab/run" --kernel "$KERNEL" --nodes 2 --timeout 600 "$@" \
		"$HERE/scenario.sh" > "$log" 2>&1; then
		tail -30 "$log" >&2
		echo "bench: the $name lab run failed (log $log)" >&2
		return 1
	fi
	run=$(grep -o 'run dir [^ ]*' "$log" | tail -1 | cut -d' ' -f3)
	res[$name]=$(cat "$run"/results/bench.*)
}

bench_run ours --cluster user --stack ours
bench_run stock --stack stock --disk 1G
echo "dlmfs, kernel $KERNEL, 2 TCG nodes: ours = user stack (fs/dlm), stock = o2cb stack (o2dlm)"
printf '%-30s %10s %10s %7s\n' metric stock ours ratio
for m in uncontended-ex-open-close/s ex-handoff-ms; do
	s=$(awk -v m="$m" '$1 == m { print $2 }' <<< "${res[stock]}")
	o=$(awk -v m="$m" '$1 == m { print $2 }' <<< "${res[ours]}")
	awk -v m="$m" -v s="$s" -v o="$o" \
		'BEGIN { printf "%-30s %10.2f %10.2f %7.2f\n", m, s, o, (s > 0 ? o / s : 0) }'
done
