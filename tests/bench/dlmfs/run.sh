#!/bin/bash
# dlmfs benchmark, ours against stock in one lab run: four user-stack
# nodes (corosync + dlm_controld + fs/dlm), Debian's ocfs2_stack_user and
# ocfs2_dlmfs on two, ours on the other two; the pairs take turns (see
# scenario.sh).  Prints each metric's median over the rounds for both and
# the ratio ours / stock: above 1 is better for open/close per second,
# below 1 is better for hand-off milliseconds.
#   tests/bench/dlmfs/run.sh [--kernel 6.1|6.12] [--with SCENARIO]
# --with runs a lab scenario in the same boot after the bench (set.sh), to
# spare the shared lab a boot; it gets two disks (1G, 256M): user/40 is one.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
# Figures only mean something from a machine running nothing else: the lab
# gives a bench run every slot (tests/lab/host/lock.sh).
export LAB_EXCLUSIVE=${LAB_EXCLUSIVE:-1}
KERNEL=${BENCH_KERNEL:-6.1} WITH=
# shellcheck source=../lib.sh
. "$TOP/tests/bench/lib.sh"
while (($#)); do
	case "$1" in
	--kernel) KERNEL=$2; shift 2 ;;
	--with) WITH=$2; shift 2 ;;
	*) echo "usage: see the header of $0" >&2; exit 2 ;;
	esac
done
scen=("$HERE/scenario.sh") extra=() timeout=420
if [ -n "$WITH" ]; then
	scen=("$TOP/tests/lab/scenarios/set.sh" --stop scenario.sh "$(basename "$WITH")")
	extra=(--add "$HERE/scenario.sh" --add "$WITH" --disk 1G --disk 256M)
	timeout=780
fi
cmd=("$TOP/tests/lab/run" --kernel "$KERNEL" --cluster user --stack stock,stock,ours,ours
	--nodes 4 --add "$TOP/ocfs2_controld/ocfs2_controld" --timeout "$timeout" "${extra[@]}" "${scen[@]}")
log=$(mktemp /tmp/dlmfs-bench-XXXX.log)
rc=0
"${cmd[@]}" > "$log" 2>&1 || rc=$?
run=$(grep -o 'run dir [^ ;]*' "$log" | tail -1 | cut -d' ' -f3)
if [ "$rc" != 0 ]; then
	tail -40 "$log" >&2
	echo "bench: the lab run failed (log $log)" >&2
	# a failure after the bench (--with) still leaves its figures
	[ -s "$run/results/bench" ] || exit 1
fi
echo "dlmfs, kernel $KERNEL, one lab run ($(grep -o 'in [0-9]*s' "$log" | tail -1)), 4 TCG nodes:"
echo "  ${cmd[*]#$TOP/}"
echo "stock = Debian ocfs2_stack_user + ocfs2_dlmfs; ours = the project's; medians of $(grep -c '^stock ex-handoff' "$run/results/bench") rounds"
printf '%-26s %10s %10s %7s\n' metric stock ours ratio
for m in uncontended-ex-open-close/s ex-handoff-ms; do
	bench_row "$m" "$(bench_get stock "$m" "$run/results/bench")" "$(bench_get ours "$m" "$run/results/bench")"
done
echo "per round:"
sed 's/^/  /' "$run/results/bench"
exit "$rc"
