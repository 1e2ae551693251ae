#!/bin/bash
# Volume tools benchmark, ours against stock in one run on the host (the
# tools are userspace; no lab needed):
#   mkfs.ocfs2 of a 1 TiB sparse image (default options, -N 4)
#   fsck.ocfs2 -fn of the 4 GiB volume the stock kernel populated in the lab
#     ($LAB_CACHE/populated/<kernel>/vda.img, made by
#      tests/lab/scenarios/tools/host-populated.bash)
# Each measurement alternates ours and stock ROUNDS times (warm page cache
# for both) and reports the median wall time and the ratio ours/stock.
#   tests/bench/tools/run.sh [--kernel 6.1|6.12]
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
KERNEL=${BENCH_KERNEL:-6.1}
[ "${1:-}" = --kernel ] && KERNEL=$2
LAB_CACHE=${LAB_CACHE:-/var/cache/ocfs2-lab}
SBIN=${STOCK_SBIN:-/sbin}
T=$TOP/tools
ROUNDS=${BENCH_ROUNDS:-3}
WORK=$(mktemp -d /tmp/ocfs2-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

seconds() {	# CMD...: wall seconds of one run (output discarded)
	local s e
	s=$(date +%s.%N)
	"$@" > /dev/null 2>&1 < /dev/null
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}

median() { grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

mkfs_once() {	# MKFS: a fresh 1 TiB sparse image, timed
	rm -f "$WORK/t.img"
	truncate -s 1T "$WORK/t.img"
	seconds "$1" -q -F -N 4 -L bench "$WORK/t.img"
}

report() {	# NAME OURS-TIMES STOCK-TIMES
	local o s
	o=$(echo "$2" | median) s=$(echo "$3" | median)
	printf "%-40s ours %7.2f s  stock %7.2f s  ratio %.2f\n" "$1" "$o" "$s" "$(echo "$o / $s" | bc -l)"
}

echo "tools bench on $(hostname), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); median of $ROUNDS"
ours= stock=
for ((i = 0; i < ROUNDS; i++)); do
	ours+="$(mkfs_once "$T/mkfs/mkfs.ocfs2")"$'\n'
	stock+="$(mkfs_once "$SBIN/mkfs.ocfs2")"$'\n'
done
report "mkfs.ocfs2 -N 4, 1 TiB sparse image" "$ours" "$stock"
rm -f "$WORK/t.img"

img=$LAB_CACHE/populated/$KERNEL/vda.img
if [ ! -s "$img" ]; then
	echo "fsck: no populated image $img (make it: tests/lab/scenarios/tools/host-populated.bash --kernel $KERNEL)"
	exit 1
fi
"$T/fsck/fsck.ocfs2" -fn "$img" > /dev/null 2>&1 || { echo "fsck: our fsck -fn is not clean on $img"; exit 1; }
ours= stock=
for ((i = 0; i < ROUNDS; i++)); do
	ours+="$(seconds "$T/fsck/fsck.ocfs2" -fn "$img")"$'\n'
	stock+="$(seconds "$SBIN/fsck.ocfs2" -fn "$img")"$'\n'
done
report "fsck.ocfs2 -fn, populated 4 GiB ($KERNEL)" "$ours" "$stock"
echo "commands: $T/mkfs/mkfs.ocfs2 -q -F -N 4 -L bench IMG (1 TiB sparse); fsck.ocfs2 -fn $img"
