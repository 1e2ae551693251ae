#!/bin/sh
# The pool-filesystem flow: every node makes a dm-nfs device over the same
# image on NFS; stock mkfs.ocfs2 formats it once; all nodes mount OCFS2 on
# their /dev/mapper device, write, and read back each other's files; after
# unmounting, stock fsck.ocfs2 -fn finds the volume clean.
# Run: tests/lab/run --nfs --nodes 2 --stack stock \
#          tests/lab/scenarios/dm-nfs/40-pool-ocfs2.sh
# (--stack ours runs the same flow on the project's filesystem.)
set -e
export DM_DISABLE_UDEV=1
img=/nfs/ovspoolfs.img
dev=/dev/mapper/ovspool

modprobe dm-mod
modprobe dm-nfs
# the project's filesystem takes cluster mounts by default (checked);
# stock has no such switch
lab-cluster-mounts || exit 1
if [ "$NODE" = 0 ]; then
	dd if=/dev/zero of=$img bs=1M count=0 seek=1024
fi
lab-barrier image

dmsetup create ovspool --table "0 2097152 nfs $img 0"
dmsetup table --target nfs
lab-barrier devices

if [ "$NODE" = 0 ]; then
	mkfs.ocfs2 -q -F -N "$NODES" -L ovspool --cluster-stack=o2cb \
		--cluster-name=lab $dev
fi
lab-barrier formatted
mkdir -p /mnt/pool
mount -t ocfs2 $dev /mnt/pool
lab-barrier mounted

echo "written by node$NODE" > /mnt/pool/from-node$NODE
dd if=/dev/urandom of=/mnt/pool/data-node$NODE bs=64k count=64 2>/dev/null
mkdir -p /mnt/pool/dir-node$NODE
i=0
while [ $i -lt 50 ]; do
	echo "node$NODE file $i" > /mnt/pool/dir-node$NODE/f$i
	i=$((i + 1))
done
md5sum < /mnt/pool/data-node$NODE > "$LAB_RESULTS/md5-node$NODE"
sync
lab-barrier written

n=0
while [ $n -lt "$NODES" ]; do
	[ "$(cat /mnt/pool/from-node$n)" = "written by node$n" ]
	[ "$(md5sum < /mnt/pool/data-node$n)" = "$(cat "$LAB_RESULTS/md5-node$n")" ]
	[ "$(ls /mnt/pool/dir-node$n | wc -l)" = 50 ]
	[ "$(cat /mnt/pool/dir-node$n/f49)" = "node$n file 49" ]
	echo "node$NODE reads node$n's writes"
	n=$((n + 1))
done
ls -l /mnt/pool
mounted.ocfs2 -f $dev
echo "dm-nfs status: $(dmsetup status ovspool)"
lab-barrier checked

umount /mnt/pool
lab-barrier unmounted
if [ "$NODE" = 0 ]; then
	fsck.ocfs2 -fn $dev
fi
lab-barrier checked-fs
st=$(dmsetup status ovspool)
[ "$(echo "$st" | cut -d' ' -f6)" = 0 ] || { echo "FAIL: I/O errors: $st"; exit 1; }
dmsetup remove ovspool
rmmod dm_nfs
# node0 serves NFS: it must not power off while another node's
# device still closes its file on the server
lab-barrier removed
echo PASS
