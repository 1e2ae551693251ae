#!/bin/bash
# mkfs defaults and -T heuristics: for sizes from 100 MB to 1 TiB and each
# type, our `mkfs.ocfs2 -n` must pick the same block size, cluster size,
# journal size and node slots as stock `mkfs.ocfs2 -n`.
set -u
T=${TOOLS:-tools}
SBIN=${STOCK_SBIN:-/sbin}
[ -x "$SBIN/mkfs.ocfs2" ] || exit 77
WORK=$(mktemp -d /tmp/ocfs2-defaults.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
IMG=$WORK/n.img
fail=0 n=0
pick() { "$@" 2>&1 | grep -E '^(Block size|Cluster size|Journal size|Node slots)' |
	 sed 's/ (.*//;s/^.*: //' | tr '\n' ' '; }
for size in 100M 300M 600M 1G 1500M 2G 3G 10G 20G 33G 64G 100G 300G 1T; do
	for type in "" "-T mail" "-T datafiles" "-T vmstore"; do
		rm -f "$IMG"; truncate -s "$size" "$IMG"
		stock=$(pick "$SBIN/mkfs.ocfs2" -n -F $type "$IMG" </dev/null)
		ours=$(pick "$T/mkfs/mkfs.ocfs2" -n -F $type "$IMG")
		n=$((n + 1))
		[ "$stock" = "$ours" ] ||
			{ echo "FAIL $size $type: stock [$stock] ours [$ours]"; fail=1; }
	done
done
echo "$n size/type combinations compared (block, cluster, journal, slots)"
exit $fail
