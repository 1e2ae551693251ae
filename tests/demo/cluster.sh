#!/bin/sh
# The demo scenario: a 3-node OCFS2 cluster doing the real thing on the
# o2cb stack, told as it goes.  Node 0 narrates; the others work.
set -e
say() { [ "$NODE" = 0 ] && echo "== $*" || true; }
dev=/dev/vda

say "three nodes up: $(uname -r); cluster 'lab' online: $(tr '\n' ' ' < /run/lab-stack)"
[ "$NODE" = 0 ] && o2cb list-cluster lab
if [ "$NODE" = 0 ]; then
	say "mkfs.ocfs2 on the shared disk ($(cat /lab/etc/tools | tr '\n' ' '))"
	mkfs.ocfs2 -q -F -N 4 -L demo --cluster-stack=o2cb --cluster-name=lab $dev
fi
lab-barrier formatted
mkdir -p /srv/demo
mount -t ocfs2 $dev /srv/demo
lab-barrier mounted
say "mounted on every node:"
[ "$NODE" = 0 ] && mounted.ocfs2 -f $dev

mkdir -p /srv/demo/node$NODE
i=0
while [ $i -lt 200 ]; do echo "node$NODE file $i" > /srv/demo/node$NODE/f$i; i=$((i + 1)); done
dd if=/dev/urandom of=/srv/demo/node$NODE/blob bs=1M count=4 2>/dev/null
md5sum /srv/demo/node$NODE/blob > "$LAB_RESULTS/demo-md5.$NODE"
sync
lab-barrier written
say "each node wrote 200 files and a 4 MiB blob; node0 reads everyone's back:"
if [ "$NODE" = 0 ]; then
	n=0
	while [ $n -lt "$NODES" ]; do
		c=$(ls /srv/demo/node$n | wc -l)
		sum=$(md5sum /srv/demo/node$n/blob | cut -d' ' -f1)
		want=$(cut -d' ' -f1 "$LAB_RESULTS/demo-md5.$n")
		[ "$sum" = "$want" ] && v=match || v=MISMATCH
		echo "   node$n: $c entries, blob checksum $v"
		[ "$v" = match ]
		n=$((n + 1))
	done
	df -h /srv/demo
fi
lab-barrier verified

say "a dlmfs lock only one node can hold (an HA agent's master lock):"
mkdir /dlm/demo
lab-barrier dlm-joined
if lab-dlmlock -w -n -u "$LAB_RESULTS/demo-master.done" /dlm/demo/master > "$LAB_RESULTS/demo-master.$NODE" 2>&1 &
then :; fi
pid=$!
sleep 3
lab-barrier master-tried
if [ "$NODE" = 0 ]; then
	for f in "$LAB_RESULTS"/demo-master.[0-9]*; do
		echo "   node${f##*.}: $(cat "$f")"
	done
	: > "$LAB_RESULTS/demo-master.done"
fi
wait $pid || true
lab-barrier master-done
rm -f /dlm/demo/*
rmdir /dlm/demo

umount /srv/demo
lab-barrier unmounted
if [ "$NODE" = 0 ]; then
	say "unmounted everywhere; fsck.ocfs2 -fn:"
	fsck.ocfs2 -fn $dev | tail -3
fi
