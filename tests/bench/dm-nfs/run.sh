#!/bin/bash
# Benchmark dm-nfs against a loop device with direct I/O on the same NFS
# file, in one lab run (node0 serves NFS, node1 measures), and print the
# throughput of each and the ratio dm-nfs / loop per job.
#
#   tests/bench/dm-nfs/run.sh [--kernel 6.1|6.12] [--size MB] [--runtime S]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)

KERNEL=6.1 SIZE=256 RUNTIME=20
while (($#)); do
	case "$1" in
	--kernel) KERNEL=$2; shift 2 ;;
	--size) SIZE=$2; shift 2 ;;
	--runtime) RUNTIME=$2; shift 2 ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [--size MB] [--runtime S]" >&2; exit 2 ;;
	esac
done

# The scenario reads its knobs from a copy with the values filled in.
scen=$(mktemp /tmp/dm-nfs-bench-XXXX.sh)
trap 'rm -f "$scen"' EXIT
sed -e "s/\${BENCH_SIZE_MB:-256}/$SIZE/" -e "s/\${BENCH_RUNTIME:-20}/$RUNTIME/" \
	"$HERE/scenario.sh" > "$scen"
chmod +x "$scen"

log=$(mktemp /tmp/dm-nfs-bench-XXXX.log)
timeout=$((8 * 2 * (RUNTIME + 15) + 600))
if ! "$TOP/tests/lab/run" --kernel "$KERNEL" --nfs --nodes 2 --mem 1024 \
	--timeout "$timeout" --add /usr/bin/fio "$scen" 2>&1 | tee "$log" >&2; then
	echo "bench: the lab run failed (log $log)" >&2
	exit 1
fi
run=$(grep -o 'run dir [^ ]*' "$log" | tail -1 | cut -d' ' -f3)
res=$run/results/bench.txt
[ -s "$res" ] || { echo "bench: no results in $res" >&2; exit 1; }

echo "dm-nfs vs loop (--direct-io=on), same NFS file, kernel $KERNEL, ${SIZE} MiB, ${RUNTIME}s per job"
awk '
	{ bw[$1, $2] = $3; iops[$1, $2] = $4; if (!seen[$1]++) order[n++] = $1 }
	END {
		printf "%-11s %12s %12s %9s %9s %7s\n", "job", "dm-nfs KiB/s", "loop KiB/s", "dm IOPS", "loop IOPS", "ratio"
		for (i = 0; i < n; i++) {
			j = order[i]
			r = bw[j, "loop"] > 0 ? bw[j, "dm-nfs"] / bw[j, "loop"] : 0
			printf "%-11s %12d %12d %9d %9d %7.2f\n", j, bw[j, "dm-nfs"], bw[j, "loop"], iops[j, "dm-nfs"], iops[j, "loop"], r
		}
	}' "$res"
