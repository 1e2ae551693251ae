#!/bin/bash
# Volume tools benchmark, ours against stock in one run on the host (the
# tools are userspace; no lab needed):
#   mkfs.ocfs2 of a 1 TiB sparse image (default options, -N 4)
#   fsck.ocfs2 -fn of the 4 GiB volume the stock kernel populated in the lab
#     ($LAB_CACHE/populated/<kernel>/vda.img, made by
#      tests/lab/scenarios/tools/host-populated.bash)
#   debugfs.ocfs2 -f CMDS on that volume: stats, then ls -l of every
#     directory and stat of every path under the populated trees (the
#     command list host-compare.bash checks byte for byte)
# Each measurement alternates ours and stock ROUNDS times and reports the
# median wall time and the ratio ours/stock.  Stock opens image files with
# O_DIRECT and ours through the page cache, so the image's cached pages
# are evicted before every fsck/debugfs run: both read from the disk.
#   tests/bench/tools/run.sh [--kernel 6.1|6.12]   (BENCH_NO_MKFS=1: skip mkfs)
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

evict() {	# FILE: drop its pages from the page cache
	python3 -c 'import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$1"
}

cold() {	# CMD...: seconds of one run with the image evicted first
	evict "$img"
	seconds "$@"
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
if [ -z "${BENCH_NO_MKFS:-}" ]; then
	ours= stock=
	for ((i = 0; i < ROUNDS; i++)); do
		ours+="$(mkfs_once "$T/mkfs/mkfs.ocfs2")"$'\n'
		stock+="$(mkfs_once "$SBIN/mkfs.ocfs2")"$'\n'
	done
	report "mkfs.ocfs2 -N 4, 1 TiB sparse image" "$ours" "$stock"
	rm -f "$WORK/t.img"
fi

img=$LAB_CACHE/populated/$KERNEL/vda.img
if [ ! -s "$img" ]; then
	echo "fsck: no populated image $img (make it: tests/lab/scenarios/tools/host-populated.bash --kernel $KERNEL)"
	exit 1
fi
"$T/fsck/fsck.ocfs2" -fn "$img" > /dev/null 2>&1 || { echo "fsck: our fsck -fn is not clean on $img"; exit 1; }
ours= stock=
for ((i = 0; i < ROUNDS; i++)); do
	ours+="$(cold "$T/fsck/fsck.ocfs2" -fn "$img")"$'\n'
	stock+="$(cold "$SBIN/fsck.ocfs2" -fn "$img")"$'\n'
done
report "fsck.ocfs2 -fn, populated 4 GiB ($KERNEL)" "$ours" "$stock"

# every directory (depth first) and path of the tree, from stock's view
list_tree() {	# DIR: its commands, and DIR lines for its subdirectories
	local kind name
	echo "ls -l $1"
	while read -r kind name; do
		[ "$name" = . ] || [ "$name" = .. ] && continue
		echo "stat ${1%/}/$name"
		[ "$kind" = d ] && echo "DIR ${1%/}/$name"
	done < <("$SBIN/debugfs.ocfs2" -R "ls -l $1" "$img" 2>/dev/null |
		 awk '{print substr($2, 1, 1), $NF}')
}
cmds=$WORK/cmds
{
	echo stats
	echo slotmap
	echo "ls -l //"
	pending=(/)
	while ((${#pending[@]})); do
		d=${pending[0]}
		pending=("${pending[@]:1}")
		while read -r line; do
			case $line in
			DIR\ *) pending+=("${line#DIR }") ;;
			*) echo "$line" ;;
			esac
		done < <(list_tree "$d")
	done
} > "$cmds"
"$T/debugfs/debugfs.ocfs2" -f "$cmds" "$img" > "$WORK/o" 2>&1
"$SBIN/debugfs.ocfs2" -f "$cmds" "$img" > "$WORK/s" 2>&1
cmp -s <(grep -v '^debugfs.ocfs2 1' "$WORK/o") <(grep -v '^debugfs.ocfs2 1' "$WORK/s") ||
	echo "note: our debugfs output differs from stock on these commands"
ours= stock=
for ((i = 0; i < ROUNDS; i++)); do
	ours+="$(cold "$T/debugfs/debugfs.ocfs2" -f "$cmds" "$img")"$'\n'
	stock+="$(cold "$SBIN/debugfs.ocfs2" -f "$cmds" "$img")"$'\n'
done
report "debugfs.ocfs2 -f ($(wc -l < "$cmds") commands), same volume" "$ours" "$stock"
echo "commands: $T/mkfs/mkfs.ocfs2 -q -F -N 4 -L bench IMG (1 TiB sparse); fsck.ocfs2 -fn $img;"
echo "  debugfs.ocfs2 -f CMDS $img (CMDS: stats, slotmap, ls -l // and ls -l/stat of every path)"
