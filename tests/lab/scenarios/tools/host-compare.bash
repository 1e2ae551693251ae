#!/bin/bash
# Check kernel-populated OCFS2 images with our tools against the stock ones:
#   host-compare.bash IMAGE...
# For each image: stock fsck.ocfs2 -fn and our fsck -fn both clean; our
# debugfs.ocfs2 prints byte for byte what stock prints for stats, slotmap,
# ls -l of every directory and stat of every path of the populated trees
# (and of the system files), and dumps the same bytes of every regular file
# at the top of a tree; our mounted.ocfs2 -d/-f match stock.  Exit 1 on any
# difference.  TOOLS (default tools/) and STOCK_SBIN (default /sbin) pick the
# two tool sets.
set -uo pipefail
T=${TOOLS:-tools}
SBIN=${STOCK_SBIN:-/sbin}
WORK=$(mktemp -d /tmp/ocfs2-compare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0

bad() { echo "FAIL $*"; fail=1; }

debugfs_both() {	# IMAGE CMDFILE: run it through both, compare
	"$T/debugfs/debugfs.ocfs2" -f "$2" "$1" 2>&1 | grep -v '^debugfs.ocfs2 1.8' > "$WORK/ours"
	"$SBIN/debugfs.ocfs2" -f "$2" "$1" 2>&1 | grep -v '^debugfs.ocfs2 1.8' > "$WORK/stock"
	if ! cmp -s "$WORK/ours" "$WORK/stock"; then
		bad "$1: our debugfs differs from stock ($(wc -l < "$2") commands)"
		diff "$WORK/stock" "$WORK/ours" | head -${DIFF_LINES:-20}
		return 1
	fi
	echo "  debugfs: $(wc -l < "$2") commands, $(wc -l < "$WORK/ours") lines identical"
}

# every directory under $2 (stock's view), depth first, into $WORK/dirs
walk_dirs() {	# IMAGE DIR
	local name subs
	echo "$2" >> "$WORK/dirs"
	mapfile -t subs < <("$SBIN/debugfs.ocfs2" -R "ls -l $2" "$1" 2>/dev/null |
		awk '$2 ~ /^d/ && $NF != "." && $NF != ".." {print $NF}')
	for name in "${subs[@]}"; do
		walk_dirs "$1" "${2%/}/$name"
	done
}

build_commands() {	# IMAGE -> $WORK/cmds
	local d name
	: > "$WORK/dirs"
	walk_dirs "$1" /
	{
		echo "stats"
		echo "slotmap"
		echo "ls -l //"
		for name in $("$SBIN/debugfs.ocfs2" -R "ls //" "$1" 2>/dev/null | awk '{print $NF}'); do
			echo "stat //$name"
		done
		while read -r d; do
			echo "ls -l $d"
			"$SBIN/debugfs.ocfs2" -R "ls $d" "$1" 2>/dev/null | awk '{print $NF}' |
			while read -r name; do
				[ "$name" = . ] || [ "$name" = .. ] || echo "stat ${d%/}/$name"
			done
		done < "$WORK/dirs"
	} > "$WORK/cmds"
}

dump_files() {	# IMAGE: every regular file at the top of each tree
	local n=0 d name
	while read -r d; do
		case $d in / | /work | /node0 | /node1) ;; *) continue ;; esac
		for name in $("$SBIN/debugfs.ocfs2" -R "ls -l $d" "$1" 2>/dev/null | awk '$2 ~ /^-/ {print $NF}'); do
			"$T/debugfs/debugfs.ocfs2" -R "dump ${d%/}/$name $WORK/f.ours" "$1" > /dev/null 2>&1
			"$SBIN/debugfs.ocfs2" -R "dump ${d%/}/$name $WORK/f.stock" "$1" > /dev/null 2>&1
			cmp -s "$WORK/f.ours" "$WORK/f.stock" || bad "$1: dump ${d%/}/$name differs"
			n=$((n + 1))
			rm -f "$WORK/f.ours" "$WORK/f.stock"
		done
	done < "$WORK/dirs"
	echo "  dump: $n files"
}

check_image() {
	local img=$1 m
	echo "== $img"
	if ! "$SBIN/fsck.ocfs2" -fn "$img" > "$WORK/fsck" 2>&1; then
		bad "$img: stock fsck.ocfs2 -fn"; tail -20 "$WORK/fsck"
	fi
	if "$T/fsck/fsck.ocfs2" -fn "$img" > "$WORK/fsck" 2>&1; then
		echo "  our fsck -fn: clean"
	else
		bad "$img: our fsck -fn"; head -30 "$WORK/fsck"
	fi
	build_commands "$img"
	debugfs_both "$img" "$WORK/cmds"
	dump_files "$img"
	for m in -d -f; do
		diff <("$T/mounted/mounted.ocfs2" $m "$img" 2>&1) <("$SBIN/mounted.ocfs2" $m "$img" 2>&1) > /dev/null ||
			bad "$img: mounted.ocfs2 $m differs"
	done
}

for img in "$@"; do check_image "$img"; done
exit $fail
