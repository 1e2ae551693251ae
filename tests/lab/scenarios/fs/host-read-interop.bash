#!/bin/bash
# Host driver for 01-read-stock-volume: stock populates a fresh volume, our
# module reads it back (on one or both kernels), then stock fsck.ocfs2 -fn
# checks the image on the host.
#   tests/lab/scenarios/fs/host-read-interop.bash NAME "KERNELS" [MKFS OPTIONS]
#   e.g. ... host-read-interop.bash b1k "6.1 6.12" -b 1024 -C 8192
# FS_LAB (default /var/tmp/fs-lab) is where the image goes; LAB_RUN
# (default tests/lab/run) runs the lab.
set -euo pipefail
top=${TOP:-$(cd "$(dirname "$0")/../../../.." && pwd)}
labrun=${LAB_RUN:-$top/tests/lab/run}
name=$1 kernels=$2
shift 2
dir=${FS_LAB:-/var/tmp/fs-lab}
mkdir -p $dir
vol=$dir/$name.img carrier=$dir/$name.carrier
rm -f "$vol" "$carrier"
truncate -s 1G "$vol"
truncate -s 16M "$carrier"
gcc -O2 -Wall -o $dir/fs-xattr "$top/tests/lab/scenarios/fs/fs-xattr.c"
run() {
	"$labrun" --nodes 1 --disk "$vol" --disk "$carrier" \
		--add "$top/tests/lab/scenarios/fs/lib.sh" --add $dir/fs-xattr \
		--timeout 900 "$@"
}
first=${kernels%% *}
run --kernel "$first" --stack stock \
	"$top/tests/lab/scenarios/fs/01-read-stock-volume.sh" populate "$@"
for k in $kernels; do
	run --kernel "$k" --stack ours \
		"$top/tests/lab/scenarios/fs/01-read-stock-volume.sh" verify
done
/sbin/fsck.ocfs2 -fn "$vol"
echo "read interop $name ($kernels): passed"
