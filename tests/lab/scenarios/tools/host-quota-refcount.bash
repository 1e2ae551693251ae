#!/bin/bash
# Make (or reuse) the quota and deep-refcount volumes of 02-quota-refcount.sh
# and check them on the host with our tools against the stock ones.
#   tests/lab/scenarios/tools/host-quota-refcount.bash [--kernel 6.1|6.12] [--refresh]
# Images are cached in $LAB_CACHE/populated/<kernel>-qr/ (vdX.ok marks each
# one the guest filled and unmounted cleanly), so the debugfs unit tests
# (tests/unit/debugfs) compare on them too.  One boot, one node, ~2 min.
# The check: host-compare.bash (stock and our fsck -fn clean, debugfs
# identical on every path, dumps, mounted), and `refcount -e` of every
# file identical to stock.  Exit 1 on any failure.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../../.." && pwd)
LAB_CACHE=${LAB_CACHE:-/var/cache/ocfs2-lab}
T=${TOOLS:-$TOP/tools}
SBIN=${STOCK_SBIN:-/sbin}
kernel=6.1 refresh=0
while (($#)); do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--refresh) refresh=1; shift ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [--refresh]" >&2; exit 2 ;;
	esac
done
dir=$LAB_CACHE/populated/$kernel-qr
disks=(vda vdb vdc vdd)

make_images() {
	local stage d args=() rc run
	stage=$(mktemp -d) || return 1
	gcc -Wall -Wextra -O2 -o "$stage/lab-fsops" "$HERE/lab-fsops.c" || return 1
	cp "$TOP/tools/mkfs/mkfs.ocfs2" "$stage/our-mkfs.ocfs2" &&
	cp "$TOP/tools/fsck/fsck.ocfs2" "$stage/our-fsck.ocfs2" || return 1
	mkdir -p "$dir" && rm -f "$dir"/*.img "$dir"/*.ok "$dir/done"
	for d in "${disks[@]}"; do
		truncate -s 1G "$dir/$d.img" || return 1
		args+=(--disk "$dir/$d.img")
	done
	"$TOP/tests/lab/run" --kernel "$kernel" --stack stock --nodes 1 "${args[@]}" \
		--add "$stage/our-mkfs.ocfs2" --add "$stage/our-fsck.ocfs2" \
		--add "$TOP/tests/unit/fsck/corrupt" --add "$stage/lab-fsops" --timeout 300 \
		"$HERE/02-quota-refcount.sh" 2>&1 | tee "$stage/lab.log"
	rc=${PIPESTATUS[0]}
	run=$(grep -o 'run dir [^ ]*' "$stage/lab.log" | tail -n 1 | cut -d' ' -f3)
	for d in "${disks[@]}"; do
		[[ -n $run && -e $run/results/$d.ok ]] && touch "$dir/$d.ok"
	done
	rm -rf "$stage"
	((rc == 0)) && date > "$dir/done"
	return $rc
}

refcount_both() {	# IMAGE: refcount -e of every regular file, ours vs stock
	local work cmds
	work=$(mktemp -d) || return 1
	for d in / /sub; do
		"$SBIN/debugfs.ocfs2" -R "ls -l $d" "$1" 2>/dev/null |
			awk -v d="${d%/}" '$2 ~ /^-/ {print "refcount -e " d "/" $NF; print "refcount " d "/" $NF}'
	done > "$work/cmds"
	cmds=$(wc -l < "$work/cmds")
	"$T/debugfs/debugfs.ocfs2" -f "$work/cmds" "$1" 2>&1 | grep -v '^debugfs.ocfs2 1' > "$work/ours"
	"$SBIN/debugfs.ocfs2" -f "$work/cmds" "$1" 2>&1 | grep -v '^debugfs.ocfs2 1' > "$work/stock"
	if cmp -s "$work/ours" "$work/stock"; then
		echo "  refcount: $cmds commands, $(wc -l < "$work/ours") lines identical"
		rm -rf "$work"
		return 0
	fi
	echo "FAIL $1: our refcount output differs from stock"
	diff "$work/stock" "$work/ours" | head -20
	rm -rf "$work"
	return 1
}

rc=0
if ((refresh)) || [[ ! -e $dir/done ]]; then
	make_images || { echo "FAIL: the lab run did not pass (volumes it finished are still checked)"; rc=1; }
fi
imgs=()
for d in "${disks[@]}"; do
	[[ -e $dir/$d.ok ]] && imgs+=("$dir/$d.img")
done
((${#imgs[@]})) || { echo "FAIL: no volume to check"; exit 1; }
(cd "$TOP" && TOOLS="$T" "$HERE/host-compare.bash" "${imgs[@]}") || rc=1
for img in "${imgs[@]}"; do refcount_both "$img" || rc=1; done
exit $rc
