#!/bin/bash
# Host driver for 02-bad-disks: copies a populated image (from
# host-read-interop.bash), damages each copy with one corrupt-fs.py kind,
# and mounts them all with our module on the given kernels, one lab run
# per kernel.  The damaged images are packed one after the other into a
# single disk (vda), which the node cuts into one dm-linear device per
# kind (QEMU's PCI slots allow ~25 disks, and each run waits in the lab's
# queue).  Each kernel gets fresh copies (a replay at mount writes to the
# disk, so a second kernel would otherwise see a repaired volume).  Kinds
# whose mount writes ("replay") get a second copy, a disk of its own, for
# a stock node in the same run (--stack ours,stock), and 02-bad-disks.sh
# compares the two.
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
mkdir -p "$work/master"
kinds=($("$here/corrupt-fs.py" "$src"))
letters=(b c d e f g h i j k l m n o p q r s t u v w x y z)
size=$(stat -c %s "$src")
mib=$((size >> 20))
[ $((mib << 20)) = "$size" ] || { echo "$src: not a whole number of MiB" >&2; exit 2; }

# the damaged images in master/, their expectations in bad-disks.expect:
# DEV KIND EXPECT STACK [BACKING START SECTORS] (see 02-bad-disks.sh)
d=0
for ((n = 0; n < ${#kinds[@]}; n++)); do
	kind=${kinds[n]}
	cp --sparse=always "$src" "$work/master/$kind.img"
	expect=$("$here/corrupt-fs.py" "$work/master/$kind.img" "$kind")
	echo "mapper/bad-$kind $kind $expect ours vda $((n * (size / 512))) $((size / 512))" \
		>> "$work/bad-disks.expect"
	[ "$expect" = replay ] || continue
	cp --sparse=always "$work/master/$kind.img" "$work/master/$kind.stock.img"
	echo "vd${letters[d++]} $kind $expect stock" >> "$work/bad-disks.expect"
done
cat "$work/bad-disks.expect"

# run_kernel K: fresh copies (all ours' kinds packed into one disk), one run
run_kernel() {
	local k=$1 n kind expect stack args stacks=ours nodes=1
	rm -rf "${work:?}/$k"
	mkdir -p "$work/$k"
	truncate -s $((${#kinds[@]} * size)) "$work/$k/packed.img"
	for ((n = 0; n < ${#kinds[@]}; n++)); do
		dd if="$work/master/${kinds[n]}.img" of="$work/$k/packed.img" \
			bs=1M seek=$((n * mib)) conv=sparse,notrunc status=none
	done
	args=(--disk "$work/$k/packed.img")
	while read -r _ kind expect stack _; do
		[ "$stack" = stock ] || continue
		cp --sparse=always "$work/master/$kind.stock.img" "$work/$k/"
		args+=(--disk "$work/$k/$kind.stock.img")
		stacks=ours,stock nodes=2
	done < "$work/bad-disks.expect"
	"$labrun" --kernel "$k" --stack $stacks --nodes $nodes \
		"${args[@]}" --add "$here/lib.sh" \
		--add "$work/bad-disks.expect" --timeout 600 \
		"$here/02-bad-disks.sh" || return 1
	rm -rf "${work:?}/$k"	# kept only when the run failed
}

rc=0
for k in $kernels; do
	run_kernel "$k" || rc=1
done
exit $rc
