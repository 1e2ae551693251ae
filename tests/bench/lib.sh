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
