#!/bin/bash
# Make (or reuse) the kernel-populated volumes of 01-stock-mounts-ours.sh and
# check them on the host with our tools against the stock ones.
#   tests/lab/scenarios/tools/host-populated.bash [--kernel 6.1|6.12] [--refresh]
# Images are cached in $LAB_CACHE/populated/<kernel>/ (default
# /var/cache/ocfs2-lab), vdX.ok marking each the guest populated and
# unmounted cleanly, done marking a run that passed whole; --refresh (or a
# run that never passed) makes them again in the lab (one boot, < 8 min;
# it also proves our tunefs on vdg, see tunefs-part.sh).  The check: stock fsck.ocfs2 -fn and ours both clean, our debugfs
# prints what stock prints (host-compare.bash), our mounted.ocfs2 lists them.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../../.." && pwd)
LAB_CACHE=${LAB_CACHE:-/var/cache/ocfs2-lab}
kernel=6.1 refresh=0
while (($#)); do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--refresh) refresh=1; shift ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [--refresh]" >&2; exit 2 ;;
	esac
done
dir=$LAB_CACHE/populated/$kernel
disks=(vda:4G vdb:1G vdc:2G vdd:1G vde:1G vdf:2G vdg:1G)

make_images() {
	local stage d args=()
	stage=$(mktemp -d) || return 1
	gcc -Wall -Wextra -O2 -o "$stage/lab-fsops" "$HERE/lab-fsops.c" || return 1
	cp "$TOP/tools/mkfs/mkfs.ocfs2" "$stage/our-mkfs.ocfs2" &&
	cp "$TOP/tools/tunefs/tunefs.ocfs2" "$stage/our-tunefs.ocfs2" || return 1
	mkdir -p "$dir" && rm -f "$dir"/*.img "$dir"/*.ok "$dir/done"
	for d in "${disks[@]}"; do
		truncate -s "${d#*:}" "$dir/${d%%:*}.img" || return 1
		args+=(--disk "$dir/${d%%:*}.img")
	done
	"$TOP/tests/lab/run" --kernel "$kernel" --stack stock --nodes 2 "${args[@]}" \
		--add "$stage/our-mkfs.ocfs2" --add "$stage/our-tunefs.ocfs2" \
		--add "$stage/lab-fsops" --add "$HERE/tunefs-part.sh" --timeout 480 \
		"$HERE/01-stock-mounts-ours.sh" 2>&1 | tee "$stage/lab.log"
	local rc=${PIPESTATUS[0]} run
	# each volume the guest finished cleanly is usable even if another failed
	run=$(grep -o 'run dir [^ ]*' "$stage/lab.log" | tail -n 1 | cut -d' ' -f3)
	for d in "${disks[@]}"; do
		[[ -n $run && -e $run/results/${d%%:*}.ok ]] && touch "$dir/${d%%:*}.ok"
	done
	rm -rf "$stage"
	((rc == 0)) && date > "$dir/done"
	return $rc
}

rc=0
if ((refresh)) || [[ ! -e $dir/done ]]; then
	make_images || { echo "FAIL: the lab run did not pass (volumes it finished are still checked)"; rc=1; }
fi
imgs=()
for d in "${disks[@]}"; do
	[[ -e $dir/${d%%:*}.ok ]] && imgs+=("$dir/${d%%:*}.img")
done
((${#imgs[@]})) || { echo "FAIL: no populated volume to check"; exit 1; }
"$HERE/host-compare.bash" "${imgs[@]}" || rc=1
exit $rc
