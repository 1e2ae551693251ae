#!/bin/bash
# Host driver for 02-bad-disks: copies a populated image (from
# host-read-interop.bash), damages each copy with one corrupt-fs.py kind,
# and mounts them all with our module on the given kernels.
#   tests/lab/scenarios/fs/host-bad-disks.bash IMAGE "6.1 6.12"
set -euo pipefail
top=${TOP:-$(cd "$(dirname "$0")/../../../.." && pwd)}
src=$1 kernels=$2
here=$top/tests/lab/scenarios/fs
work=/var/tmp/fs-lab/bad
rm -rf $work
mkdir -p $work
kinds=($("$here/corrupt-fs.py" "$src"))
letters=(a b c d e f g h i j k l m n o p q r s t u v w x y z)
chunk=13	# disks per lab run: QEMU's PCI slots run out beyond ~25
for ((first = 0; first < ${#kinds[@]}; first += chunk)); do
	dir=$work/run$first
	mkdir -p $dir
	args=()
	for ((n = 0; n < chunk && first + n < ${#kinds[@]}; n++)); do
		kind=${kinds[first + n]}
		img=$dir/$kind.img
		cp --sparse=always "$src" "$img"
		expect=$("$here/corrupt-fs.py" "$img" "$kind")
		echo "vd${letters[$n]} $kind $expect" >> $dir/bad-disks.expect
		args+=(--disk "$img")
	done
	cat $dir/bad-disks.expect
	for k in $kernels; do
		"$top/tests/lab/run" --kernel "$k" --stack ours --nodes 1 \
			"${args[@]}" --add "$here/lib.sh" \
			--add $dir/bad-disks.expect --timeout 900 \
			"$here/02-bad-disks.sh"
	done
done
