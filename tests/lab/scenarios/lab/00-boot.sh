#!/bin/sh
# Smoke: every node boots, sees the shared disk and its peers, and the
# cluster stack the lab brought up is what it says.
set -e
echo "node$NODE of $NODES up: $(uname -r), stack $LAB_STACK"
cat /run/lab-stack
test -b /dev/vda
lab-barrier up
n=0
while [ $n -lt "$NODES" ]; do
	ping -c 1 -W 5 "10.77.0.$((10 + n))" > /dev/null
	n=$((n + 1))
done
if grep -q '^o2cb' /run/lab-stack; then
	test -d /sys/kernel/config/cluster/lab/node/node$NODE
fi
lab-barrier done
