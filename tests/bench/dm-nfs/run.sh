#!/bin/bash
# Benchmark dm-nfs against a loop device with direct I/O on the same NFS
# file, in one lab run (node0 serves NFS, node1 measures), and print the
# throughput of each and the ratio dm-nfs / loop per job.  Every job runs
# --repeat times (alternating devices); the medians are compared, and each
# pass's own ratio is listed so the noise is visible.
#
#   tests/bench/dm-nfs/run.sh [--kernel 6.1|6.12] [--size MB] [--runtime S]
#                             [--repeat N]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
# Figures only mean something from a machine running nothing else: the lab
# gives a bench run every slot (tests/lab/host/lock.sh).
export LAB_EXCLUSIVE=${LAB_EXCLUSIVE:-1}

KERNEL=6.1 SIZE=256 RUNTIME=20 REPEAT=3
while (($#)); do
	case "$1" in
	--kernel) KERNEL=$2; shift 2 ;;
	--size) SIZE=$2; shift 2 ;;
	--runtime) RUNTIME=$2; shift 2 ;;
	--repeat) REPEAT=$2; shift 2 ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [--size MB] [--runtime S] [--repeat N]" >&2; exit 2 ;;
	esac
done

# The scenario reads its knobs from a copy with the values filled in.
scen=$(mktemp /tmp/dm-nfs-bench-XXXX.sh)
trap 'rm -f "$scen"' EXIT
sed -e "s/\${BENCH_SIZE_MB:-256}/$SIZE/" -e "s/\${BENCH_RUNTIME:-20}/$RUNTIME/" \
	-e "s/\${BENCH_REPEAT:-3}/$REPEAT/" \
	"$HERE/scenario.sh" > "$scen"
chmod +x "$scen"

log=$(mktemp /tmp/dm-nfs-bench-XXXX.log)
timeout=$((8 * REPEAT * (RUNTIME + 15) + 600))
if ! "$TOP/tests/lab/run" --kernel "$KERNEL" --nfs --nodes 2 --mem 1024 \
	--timeout "$timeout" --add /usr/bin/fio "$scen" 2>&1 | tee "$log" >&2; then
	echo "bench: the lab run failed (log $log)" >&2
	exit 1
fi
run=$(grep -o 'run dir [^ ]*' "$log" | tail -1 | cut -d' ' -f3)
res=$run/results/bench.txt
[ -s "$res" ] || { echo "bench: no results in $res" >&2; exit 1; }

echo "dm-nfs vs loop (--direct-io=on), same NFS file, kernel $KERNEL, ${SIZE} MiB, ${RUNTIME}s per job, median of $REPEAT"
# ratio: median dm-nfs over median loop; paired: the median of each pass's
# own ratio (the two devices ran back to back, so host load cancels better)
awk '
	function median(key, n,    i, j, t, v) {
		split(vals[key], v, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	{
		k = $1 SUBSEP $2
		vals[k] = vals[k] " " $3; cnt[k]++
		iops[k] = iops[k] " " $4; icnt[k]++
		bw[$1, $2, $5] = $3
		if (!seen[$1]++) order[n++] = $1
		if ($5 > passes) passes = $5
	}
	END {
		printf "%-11s %12s %12s %7s %7s  %s\n", "job", "dm-nfs KiB/s", "loop KiB/s", "ratio", "paired", "per pass"
		for (i = 0; i < n; i++) {
			j = order[i]
			d = median(j SUBSEP "dm-nfs", cnt[j, "dm-nfs"])
			l = median(j SUBSEP "loop", cnt[j, "loop"])
			per = ""; m = 0
			for (p = 1; p <= passes; p++)
				if (bw[j, "loop", p] > 0) {
					r = bw[j, "dm-nfs", p] / bw[j, "loop", p]
					per = per sprintf(" %.2f", r)
					vals[j SUBSEP "pair"] = vals[j SUBSEP "pair"] " " r; m++
				}
			pr = m ? median(j SUBSEP "pair", m) : 0
			printf "%-11s %12d %12d %7.2f %7.2f %s\n", j, d, l, (l > 0 ? d / l : 0), pr, per
		}
	}' "$res"
