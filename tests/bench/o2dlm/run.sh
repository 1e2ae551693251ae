#!/bin/bash
# o2dlm benchmark, ours against stock in one lab run: four o2cb nodes,
# Debian's ocfs2 modules on two and ours on the other two, each pair in a
# dlmfs domain of its own, the pairs taking turns (see o2dlm-bench.sh).
# Prints each metric's median over the rounds for both and the ratio
# ours / stock: above 1 is better for rates, below 1 for milliseconds.
#   tests/bench/o2dlm/run.sh [--kernel 6.1|6.12]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
# Figures only mean something from a machine running nothing else: the lab
# gives a bench run every slot (tests/lab/host/lock.sh).
export LAB_EXCLUSIVE=${LAB_EXCLUSIVE:-1}
KERNEL=${BENCH_KERNEL:-6.1}
[ "${1:-}" = --kernel ] && KERNEL=$2
cmd=("$TOP/tests/lab/run" --kernel "$KERNEL" --stack stock,stock,ours,ours
	--nodes 4 --disk 256M --timeout 420 "$HERE/o2dlm-bench.sh")
# shellcheck source=../lib.sh
. "$TOP/tests/bench/lib.sh"
# no --with here: a failed run has no figures to trust
bench_lab o2dlm-bench "${cmd[@]}" && [ "$BENCH_RC" = 0 ] || exit 1
echo "one lab run ($BENCH_TIME), 4 TCG nodes, kernel $KERNEL"
"$HERE/report.sh" "$BENCH_RUN" "${cmd[*]#"$TOP"/}"
