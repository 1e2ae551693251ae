#!/bin/bash
# Run 02-tunefs-slots.sh: our mkfs and tunefs staged under names that do
# not shadow the stock tools, three stock-stack nodes, one fresh 1G disk.
#   tests/lab/scenarios/tools/host-tunefs-slots.bash [--kernel 6.1|6.12]
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../../../.." && pwd)
kernel=6.1
[ "${1:-}" = --kernel ] && kernel=$2
stage=$(mktemp -d) || exit 1
trap 'rm -rf "$stage"' EXIT
cp "$TOP/tools/mkfs/mkfs.ocfs2" "$stage/our-mkfs.ocfs2" &&
cp "$TOP/tools/tunefs/tunefs.ocfs2" "$stage/our-tunefs.ocfs2" || exit 1
"$TOP/tests/lab/run" --kernel "$kernel" --stack stock --nodes 3 --disk 1G \
	--add "$stage/our-mkfs.ocfs2" --add "$stage/our-tunefs.ocfs2" \
	--timeout 900 "$HERE/02-tunefs-slots.sh"
