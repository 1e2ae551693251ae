#!/bin/bash
# Host driver for 02-bad-disks: copies a populated image (from
# host-read-interop.bash), damages each copy with one corrupt-fs.py kind,
# and mounts them all with our module on the given kernels.  Each kernel
# gets fresh copies of the damaged images (a replay at mount writes to the
# disk, so a second kernel would otherwise see a repaired volume).  Kinds
# whose mount writes ("replay") get a second copy for a stock node in the
# same run (--stack ours,stock), and 02-bad-disks.sh compares the two.
#   tests/lab/scenarios/fs/host-bad-disks.bash IMAGE "6.1 6.12"
# BAD_WORK (default /var/tmp/fs-lab/bad) is where the images go; LAB_RUN
# (default tests/lab/run) runs the lab (a wrapper may queue politely).
set -euo pipefail
top=${TOP:-$(cd "$(dirname "$0")/../../../.." && pwd)}
labrun=${LAB_RUN:-$top/tests/lab/run}
src=$1 kernels=$2
here=$top/tests/lab/scenarios/fs
work=${BAD_WORK:-/var/tmp/fs-lab/bad}
rm -rf "$work"
mkdir -p "$work"
kinds=($("$here/corrupt-fs.py" "$src"))
letters=(a b c d e f g h i j k l m n o p q r s t u v w x y z)
chunk=13	# disks per lab run: QEMU's PCI slots run out beyond ~25

# one chunk of kinds: the damaged images in $dir/master, their expectations
make_chunk() {
	local dir=$1 first=$2 n=0 d=0 kind expect
	mkdir -p "$dir/master"
	for ((n = 0; n < chunk && first + n < ${#kinds[@]}; n++)); do
		kind=${kinds[first + n]}
		cp --sparse=always "$src" "$dir/master/$kind.img"
		expect=$("$here/corrupt-fs.py" "$dir/master/$kind.img" "$kind")
		echo "vd${letters[d++]} $kind $expect ours" >> "$dir/bad-disks.expect"
		[ "$expect" = replay ] || continue
		cp --sparse=always "$dir/master/$kind.img" \
			"$dir/master/$kind.stock.img"
		echo "vd${letters[d++]} $kind $expect stock" >> "$dir/bad-disks.expect"
	done
}

# run_chunk DIR KERNEL: fresh copies of the chunk's images, one lab run
run_chunk() {
	local dir=$1 k=$2 disk kind expect stack img args=() stacks=ours nodes=1
	rm -rf "$dir/$k"
	mkdir -p "$dir/$k"
	while read -r disk kind expect stack; do
		img=$kind.img
		[ "$stack" = ours ] || { img=$kind.stock.img; stacks=ours,stock; nodes=2; }
		cp --sparse=always "$dir/master/$img" "$dir/$k/$img"
		args+=(--disk "$dir/$k/$img")
	done < "$dir/bad-disks.expect"
	"$labrun" --kernel "$k" --stack $stacks --nodes $nodes \
		"${args[@]}" --add "$here/lib.sh" \
		--add "$dir/bad-disks.expect" --timeout 600 \
		"$here/02-bad-disks.sh" || return 1
	rm -rf "${dir:?}/$k"	# kept only when the run failed
}

rc=0
for ((first = 0; first < ${#kinds[@]}; first += chunk)); do
	dir=$work/run$first
	make_chunk "$dir" $first
	cat "$dir/bad-disks.expect"
	for k in $kernels; do
		run_chunk "$dir" "$k" || rc=1
	done
done
exit $rc
