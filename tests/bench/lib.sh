# shellcheck shell=bash
# Report helpers the bench drivers share (sourced).  Samples are lines
# "<stack> <metric> <value>" as the lab scenarios write them.

# bench_median: the median of the numbers on stdin, 0 when there are none.
bench_median() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (!NR) print 0; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_get STACK METRIC FILE: the median of STACK's METRIC samples in FILE.
bench_get() {
	awk -v s="$1" -v m="$2" '$1 == s && $2 == m { print $3 }' "$3" | bench_median
}

# bench_row METRIC STOCK OURS: one report line, the ratio ours / stock.
bench_row() {
	awk -v m="$1" -v s="$2" -v o="$3" \
		'BEGIN { printf "%-26s %10.2f %10.2f %7.2f\n", m, s, o, (s > 0 ? o / s : 0) }'
}

# bench_lab NAME CMD...: runs the lab command CMD with its output in a
# log of its own (/tmp/NAME-XXXX.log) and sets BENCH_RUN (the run
# directory), BENCH_RC (the run's exit status) and BENCH_TIME ("in Ns").
# A failed run's log tail goes to stderr; it still counts (0) when the
# nodes wrote figures before the failure (a --with scenario after the
# bench), else 1.
bench_lab() {
	local log
	log=$(mktemp "/tmp/$1-XXXX.log")
	shift
	BENCH_RC=0
	"$@" > "$log" 2>&1 || BENCH_RC=$?
	BENCH_RUN=$(grep -o 'run dir [^ ;]*' "$log" | tail -1 | cut -d' ' -f3)
	BENCH_TIME=$(grep -o 'in [0-9]*s' "$log" | tail -1)
	[ "$BENCH_RC" = 0 ] && return 0
	tail -40 "$log" >&2
	echo "bench: the lab run failed (log $log)" >&2
	ls "$BENCH_RUN"/results/bench.[0-9]* > /dev/null 2>&1
}

# bench_collect RUNDIR: every node's samples in RUNDIR/results/bench
# (printed: the file's name)
bench_collect() {
	cat "$1"/results/bench.[0-9]* > "$1/results/bench"
	echo "$1/results/bench"
}

# bench_head TITLE...: the table's first line
bench_head() {
	printf '%-26s %10s %10s %7s\n' metric "$@"
}
