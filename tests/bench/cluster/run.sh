#!/bin/bash
# Cluster-mode benchmark, ours against stock in one lab run: four user-stack
# nodes, Debian's ocfs2 on two and ours on two, each pair on a cluster
# volume of its own, taking turns (see cluster-bench.sh).  Prints each
# metric's median over the rounds for stock and ours and the ratio ours /
# stock (above 1 is better for rates, below 1 for seconds), and each
# stack's cluster / local-mount ratio of the single-node metadata rates.
#   tests/bench/cluster/run.sh [--kernel 6.1|6.12] [--rounds N]
#       [--meta N] [--ls N] [--create N] [--pingpong N] [--with SCENARIO]
#       [--add FILE] [--timeout S]
#   tests/bench/cluster/run.sh --report RUNDIR [COMMAND]
# --with runs a lab scenario in the same boot after the bench (set.sh),
# to spare the shared lab a boot: cluster/12 (fstrim added) is one; it may
# be given more than once (they run in that order, 300 s more each).
# SCENARIO=A,B passes it arguments (set.sh); --add FILE adds a program a
# scenario needs (setfacl for cluster/14, say).  --timeout S replaces the
# run's timeout (default 900 s a round, 300 s more, 300 s a --with): the
# shared lab wants no run over 1500 s.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
# Figures only mean something from a machine running nothing else: the lab
# gives a bench run every slot (tests/lab/host/lock.sh).
export LAB_EXCLUSIVE=${LAB_EXCLUSIVE:-1}
KERNEL=${BENCH_KERNEL:-6.1} ROUNDS=1 META=1000 LS=3000 CREATE=1000 PP=200 REPORT=
WITH=() ADDS=() TIMEOUT=
while (($#)); do
	case "$1" in
	--report) REPORT=$2; shift 2; break ;;
	--kernel) KERNEL=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--meta) META=$2; shift 2 ;;
	--ls) LS=$2; shift 2 ;;
	--create) CREATE=$2; shift 2 ;;
	--pingpong) PP=$2; shift 2 ;;
	--with) WITH+=("$2"); shift 2 ;;
	--add) ADDS+=(--add "$2"); shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	*) echo "usage: see the header of $0" >&2; exit 2 ;;
	esac
done

# shellcheck source=../lib.sh
. "$TOP/tests/bench/lib.sh"

report() {
	local all
	all=$(bench_collect "$1")
	echo "ocfs2 cluster mode (user stack, fs/dlm), lab run $(basename "$1"):"
	[ -n "${2:-}" ] && echo "  $2"
	echo "stock = Debian's ocfs2 on nodes 0-1, ours on nodes 2-3; medians"
	bench_head stock ours ours/stock
	for m in cluster-create/s cluster-stat/s cluster-stat-noahead/s \
		cluster-stat-nokeep/s cluster-readdir/s cluster-unlink/s \
		cluster-unlink-nokeep/s \
		local-create/s local-stat/s local-readdir/s local-unlink/s \
		pingpong-writes/s pingpong-serial-wb-writes/s \
		pingpong-nofair-writes/s pingpong-via-nl-writes/s \
		ls-l-s ls-l-noahead-s creates-2-nodes/s creates-2-nodes-sync/s; do
		# our ping-pong and ls -l variants (one lock parameter
		# changed) are set against stock's plain ones
		sm=$m
		case $m in
		pingpong-*-writes/s) sm=pingpong-writes/s ;;
		ls-l-*-s) sm=ls-l-s ;;
		creates-2-nodes-*/s) sm=creates-2-nodes/s ;;
		cluster-stat-*/s) sm=cluster-stat/s ;;
		cluster-unlink-*/s) sm=cluster-unlink/s ;;
		esac
		bench_row "$m" "$(bench_get stock "$sm" "$all")" "$(bench_get ours "$m" "$all")"
	done
	pp_rows "$all"
	echo "single node, cluster volume / local-mount volume (lock caching; aim >= 0.9):"
	printf '%-26s %10s %10s\n' metric stock ours
	for m in create/s stat/s readdir/s unlink/s; do
		printf '%-26s' "$m"
		for st in stock ours; do
			awk -v c="$(bench_get $st "cluster-$m" "$all")" -v l="$(bench_get $st "local-$m" "$all")" \
				'BEGIN { printf " %10.2f", (l > 0 ? c / l : 0) }'
		done
		echo
	done
	echo "all samples (stack metric value):"
	sort "$all" | sed 's/^/  /'
	pp_traces "$1"
	for f in "$1"/results/lockstats.*; do
		[ -r "$f" ] || continue
		echo "our lock domain's counters, node ${f##*.} (totals so far, after each phase):"
		sed 's/^/  /' "$f"
	done
}

# pp_rows FILE: the ping-pong at each stack's default barrier setting
# (stock 0, ours 1) and at the same one, with both nodes' disk requests,
# their milliseconds and jbd2 commits per write
pp_rows() {
	local c sides
	for sides in "each stack's default (stock barrier=0, ours barrier=1)::" \
		"both barrier=0 (ours mounted barrier=0)::-barrier0" \
		"both barrier=1 (stock mounted barrier=1):-barrier1:"; do
		local s=${sides#*:} title=${sides%%:*}
		local st=${s%%:*} ou=${s#*:}
		echo "ping-pong, $title:"
		bench_row "  writes/s" "$(bench_get stock "pingpong${st}-writes/s" "$1")" \
			"$(bench_get ours "pingpong${ou}-writes/s" "$1")"
		for c in reads read-ms writes write-ms flushes flush-ms commits; do
			bench_row "  $c per write" "$(bench_get stock "pp$st-$c/turn" "$1")" \
				"$(bench_get ours "pp$ou-$c/turn" "$1")"
		done
	done
}

# pp_traces RUNDIR: each stack's traced ping-pongs (pptrace.<node>.<stack>.
# <round>, both nodes of a round together): per turn (one write) the DLM
# requests by lock and level asked, blocking ASTs by lock and level
# wanted, disk requests and jbd2 events; then medians of the latencies
# in ms with their sample counts (pp-trace.awk says what each is)
pp_traces() {
	local st rd files turns
	turns=$(cat "$1/results/pptrace.turns" 2>/dev/null || echo 0)
	case $turns in
	'' | *[!0-9]* | 0) return 0 ;;	# no traced ping-pong (or a bad count)
	esac
	for st in stock ours; do
		for rd in $(find "$1/results" -name "pptrace.*.$st.*" | sed 's/.*\.//' | sort -u); do
			files=$(find "$1/results" -name "pptrace.*.$st.$rd" | sort)
			echo "traced ping-pong, $st, round $rd ($(echo "$files" | wc -l) node traces, $turns writes), per write:"
			# shellcheck disable=SC2086
			awk -f "$HERE/pp-trace.awk" $files | awk -v t="$turns" '
				function median(s, n, v, i, j, x) {
					n = split(s, v, " ")
					for (i = 2; i <= n; i++)
						for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
							x = v[j]; v[j] = v[j - 1]; v[j - 1] = x
						}
					return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
				}
				$1 == "C" { printf "  %-8s %-24s %8.2f\n", $2, $3, $4 / t; next }
				$1 == "L" { k = $2 " " $3; L[k] = L[k] " " $4; N[k]++ }
				END {
					for (k in L) {
						split(k, w, " ")
						printf "  median %-16s %-8s %8.2f ms (%d)\n", w[1], w[2], median(L[k]), N[k]
					}
				}' | sort
		done
	done
}

if [ -n "$REPORT" ]; then
	report "$REPORT" "${1:-}"
	exit
fi
tmp=$(mktemp -d /tmp/cluster-bench-XXXX)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -Wall -Wextra -Werror -o "$tmp/fs-bench" "$TOP/tests/bench/fs/fs-bench.c"
gcc -O2 -Wall -Wextra -Werror -o "$tmp/clu-pingpong" "$HERE/clu-pingpong.c"
scen=("$HERE/cluster-bench.sh" "$ROUNDS" "$META" "$LS" "$CREATE" "$PP")
extra=() more=0
if ((${#WITH[@]})); then
	scen=("$TOP/tests/lab/scenarios/set.sh" --stop
		"cluster-bench.sh=$ROUNDS,$META,$LS,$CREATE,$PP")
	extra=(--add "$HERE/cluster-bench.sh" --add /usr/sbin/fstrim)
	for w in "${WITH[@]}"; do
		scen+=("$(basename "$w")")
		extra+=(--add "${w%%=*}")
		more=$((more + 300))
	done
fi
cmd=("$TOP/tests/lab/run" --kernel "$KERNEL" --cluster user
	--stack stock,stock,ours,ours --nodes 4
	--disk 1G --disk 1G --disk 1G --disk 1G
	--timeout "${TIMEOUT:-$((ROUNDS * 900 + 300 + more))}"
	--add "$tmp/fs-bench" --add "$tmp/clu-pingpong" "${extra[@]}"
	"${ADDS[@]}" "${scen[@]}")
# a failure after the bench (--with) still leaves its figures
bench_lab cluster-bench "${cmd[@]}" || exit 1
echo "one lab run ($BENCH_TIME), 4 TCG nodes, kernel $KERNEL"
report "$BENCH_RUN" "tests/bench/cluster/run.sh --kernel $KERNEL --rounds $ROUNDS --meta $META --ls $LS --create $CREATE --pingpong $PP${WITH[*]/#/ --with }"
exit "$BENCH_RC"
