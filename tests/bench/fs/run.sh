#!/bin/bash
# Benchmark our ocfs2 module against the stock one on the same local-mount
# volume, and against the raw device for streaming: one lab run, node0
# stock, node1 ours, taking turns step by step (tests/bench/fs/fs-bench.sh).
# Prints the median of the passes per metric, the ratio ours/stock and, for
# streaming, ours/raw, then every pass's ratio so the noise is visible.
#   tests/bench/fs/run.sh [--kernel 6.1|6.12] [--passes N] [--entries N] [--mb N]
#       [--ours-param NAME=VALUE]...   (ocfs2 module parameters of our node)
#       [--with SCENARIO[=A,B]]... [--add FILE]...
#   tests/bench/fs/run.sh --report RUNDIR   the table of a run that ran
#       fs-bench.sh among others (tests/lab/scenarios/set.sh)
# --with runs a scenario in the same boot after the bench (set.sh; a path,
# added to the nodes; 300 s more each), to spare the lab a boot:
# tests/bench/fs/create-profile.sh is one.  --add FILE adds a program it
# needs.  Five passes by default: single passes of one metric range over
# a factor of two on the 2-core TCG host (session 10).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
# Figures only mean something from a machine running nothing else: the lab
# gives a bench run every slot (tests/lab/host/lock.sh).
export LAB_EXCLUSIVE=${LAB_EXCLUSIVE:-1}
KERNEL=${BENCH_KERNEL:-6.1} PASSES=5 ENTRIES=3000 MB=128 REPORT= PARAMS=
WITH=() ADDS=()
while (($#)); do
	case "$1" in
	--report) REPORT=$2; shift 2 ;;
	--kernel) KERNEL=$2; shift 2 ;;
	--passes) PASSES=$2; shift 2 ;;
	--entries) ENTRIES=$2; shift 2 ;;
	--mb) MB=$2; shift 2 ;;
	--ours-param) PARAMS=${PARAMS:+$PARAMS,}$2; shift 2 ;;
	--with) WITH+=("$2"); shift 2 ;;
	--add) ADDS+=(--add "$2"); shift 2 ;;
	*) echo "usage: see the header of $0" >&2; exit 2 ;;
	esac
done

report() {
awk '
function median(key, k,   a, i, j, t, c) {
	c = cnt[key]
	for (i = 1; i <= c; i++) a[i] = val[key, i]
	for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	if (c == 0) return 0
	return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
{ k = $1 SUBSEP $2; val[k, ++cnt[k]] = $3; if (!seen[$1]++) order[n++] = $1 }
END {
	printf "%-20s %10s %10s %10s %7s %9s  %s\n", "metric", "raw", "stock", "ours", "ratio", "ours/raw", "per-pass ratio"
	for (i = 0; i < n; i++) {
		m = order[i]; s = median(m SUBSEP "stock"); o = median(m SUBSEP "ours"); r = median(m SUBSEP "raw")
		raw = "-"; vs = "-"
		if (r > 0) { raw = sprintf("%.1f", r); vs = sprintf("%.2f", o / r) }
		pp = ""
		for (j = 1; j <= cnt[m SUBSEP "ours"]; j++)
			if (val[m SUBSEP "stock", j] > 0) pp = pp sprintf(" %.2f", val[m SUBSEP "ours", j] / val[m SUBSEP "stock", j])
		printf "%-20s %10s %10.1f %10.1f %7.2f %9s %s\n", m, raw, s, o, (s > 0 ? o / s : 0), vs, pp
	}
}' "$1"
}

# per pass, each stack's cold read against the raw disk's read on the
# same node just before it (fs-bench.sh seq-read-raw-near), and the median
paired() {
	awk '$1 == "seq-read-MiB/s" && $2 != "raw" { rd[$2, ++n[$2]] = $3 }
	$1 == "seq-read-raw-near-MiB/s" { near[$2, ++m[$2]] = $3 }
	END {
		for (s in n) {
			line = ""; c = 0
			for (i = 1; i <= n[s]; i++)
				if (near[s, i] > 0) { v[++c] = rd[s, i] / near[s, i]; line = line sprintf(" %.2f", v[c]) }
			if (!c) continue
			for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			med = c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
			printf "%-6s seq-read of the raw read just before it: median %.2f, per pass%s\n", s, med, line
		}
	}' "$1"
}

# per pass, each stack's streamed file: its extents, and the requests its
# cold read cost and the reads merged into them (bench-io.txt)
layouts() {
	awk '$1 == "layout" && $3 == "extents" { e[$2] = e[$2] " " $4 }
	$1 == "seq-read-MiB/s" && $3 == "vda" {
		r[$2] = r[$2] " " substr($2 == "raw" ? $10 : $4, 3)
		if ($NF ~ /^rmerged=/) {
			split(substr($NF, 9), mg, "/")
			m[$2] = m[$2] " " ($2 == "raw" ? mg[2] : mg[1])
		}
	}
	END {
		for (s in e) printf "%-6s file extents per pass:%s\n", s, e[s]
		for (s in r) printf "%-6s seq-read requests per pass:%s\n", s, r[s]
		for (s in m) printf "%-6s seq-read merges per pass:%s\n", s, m[s]
	}' "$1"
}

if [ -n "$REPORT" ]; then
	echo "ocfs2 local mount, ours vs stock on the same volume, run $REPORT"
	report "$REPORT/results/bench.txt"
	paired "$REPORT/results/bench.txt"
	layouts "$REPORT/results/bench-io.txt"
	exit
fi
tmp=$(mktemp -d /tmp/fs-bench-XXXX)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -Wall -Wextra -Werror -o "$tmp/fs-bench" "$HERE/fs-bench.c"
log=$(mktemp /tmp/fs-bench-XXXX.log)
# a bench pass took ~40 s on a quiet lab (session 10)
timeout=$((PASSES * 90 + 120 + ${#WITH[@]} * 300))
scenario=("$HERE/fs-bench.sh" "$PASSES" "$ENTRIES" "$MB" 4 "$PARAMS")
if ((${#WITH[@]})); then
	scenario=("$TOP/tests/lab/scenarios/set.sh" --stop
		"fs-bench.sh=$PASSES,$ENTRIES,$MB,4${PARAMS:+,$PARAMS}")
	ADDS+=(--add "$HERE/fs-bench.sh")
	for w in "${WITH[@]}"; do
		ADDS+=(--add "${w%%=*}")
		scenario+=("$(basename "$w")")
	done
fi
if ! "$TOP/tests/lab/run" --kernel "$KERNEL" --nodes 2 --stack stock,ours \
	--disk 1G --disk 1G --timeout $timeout --add "$tmp/fs-bench" \
	"${ADDS[@]}" "${scenario[@]}" > "$log" 2>&1; then
	tail -40 "$log" >&2
	echo "bench: the lab run failed (log $log)" >&2
	exit 1
fi
run=$(grep -o 'run dir [^ ]*' "$log" | tail -1 | cut -d' ' -f3)
echo "ocfs2 local mount, ours vs stock on the same volume, kernel $KERNEL, run $run"
echo "(TCG guests: compare ratios, not absolutes; median of $PASSES passes;" \
	"$ENTRIES files, $MB MiB streams${PARAMS:+; ours with ocfs2 $PARAMS})"
report "$run/results/bench.txt"
paired "$run/results/bench.txt"
layouts "$run/results/bench-io.txt"
