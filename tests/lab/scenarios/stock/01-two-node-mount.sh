#!/bin/sh
# Two nodes mount one OCFS2 volume on the o2cb stack and each sees the
# other's writes: the lab's proof against the known-good peer.
set -e
dev=/dev/vda
if [ "$NODE" = 0 ]; then
	mkfs.ocfs2 -q -F -N "$NODES" -L labvol --cluster-stack=o2cb --cluster-name=lab "$dev"
fi
lab-barrier formatted
mkdir -p /mnt/ocfs2
mount -t ocfs2 "$dev" /mnt/ocfs2
lab-barrier mounted

echo "written by node$NODE" > /mnt/ocfs2/from-node$NODE
dd if=/dev/urandom of=/mnt/ocfs2/data-node$NODE bs=64k count=16 2>/dev/null
md5sum /mnt/ocfs2/data-node$NODE | cut -d' ' -f1 > "$LAB_RESULTS/md5-node$NODE"
sync
lab-barrier written

n=0
while [ $n -lt "$NODES" ]; do
	test "$(cat /mnt/ocfs2/from-node$n)" = "written by node$n"
	test "$(md5sum /mnt/ocfs2/data-node$n | cut -d' ' -f1)" = "$(cat "$LAB_RESULTS/md5-node$n")"
	n=$((n + 1))
done
ls -l /mnt/ocfs2
mounted.ocfs2 -f
lab-barrier checked

umount /mnt/ocfs2
lab-barrier unmounted
if [ "$NODE" = 0 ]; then
	fsck.ocfs2 -fn "$dev"
fi
