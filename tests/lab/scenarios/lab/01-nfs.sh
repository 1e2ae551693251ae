#!/bin/sh
# --nfs: every node sees /nfs and the others' files in it.
set -e
echo "node$NODE" > /nfs/hello.$NODE
lab-barrier written
n=0
while [ $n -lt "$NODES" ]; do
	test "$(cat /nfs/hello.$n)" = "node$n"
	n=$((n + 1))
done
lab-barrier checked
