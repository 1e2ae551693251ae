#!/bin/sh
# Local mounts after the cluster work: fs/03 (setattr), fs/04 (create)
# and fs/10 (file data) one after the other in one boot (their barrier
# names are distinct; each formats its own volume).  Stock on node 0,
# ours on node 1, as the suite runs them.
# Run: tests/lab/run --nodes 2 --stack stock,ours --disk 1G
#      --add tests/lab/scenarios/fs/lib.sh
#      --add tests/lab/scenarios/fs/03-rw-setattr.sh
#      --add tests/lab/scenarios/fs/04-rw-create.sh
#      --add tests/lab/scenarios/fs/10-rw-data.sh --timeout 400 THIS
set -e
for s in 03-rw-setattr 04-rw-create 10-rw-data; do
	echo "== $s"
	# each expects a fresh disk (stock mkfs asks before overwriting)
	[ "$NODE" = 0 ] && dd if=/dev/zero of=/dev/vda bs=1M count=4 2>/dev/null
	lab-barrier "wiped-$s"
	sh /usr/local/bin/$s.sh || { echo "node$NODE: FAIL: $s"; exit 1; }
done
echo "node$NODE: local regression passed"
exit 0
