#!/bin/sh
# The userspace stack with the stock peer: corosync + dlm_controld + fs/dlm,
# the "user" plugin labelled pcmk; two nodes mount one volume made with
# --cluster-stack=pcmk and see each other's writes.
set -e
dev=/dev/vda
grep -q '^user pcmk' /run/lab-stack
if [ "$NODE" = 0 ]; then
	mkfs.ocfs2 -q -F -N "$NODES" --cluster-stack=pcmk --cluster-name=lab "$dev"
fi
lab-barrier formatted
mkdir -p /mnt/ocfs2
mount -t ocfs2 "$dev" /mnt/ocfs2
lab-barrier mounted
echo "written by node$NODE" > /mnt/ocfs2/from-node$NODE
sync
lab-barrier written
n=0
while [ $n -lt "$NODES" ]; do
	test "$(cat /mnt/ocfs2/from-node$n)" = "written by node$n"
	n=$((n + 1))
done
dlm_tool ls
lab-barrier checked
umount /mnt/ocfs2
lab-barrier unmounted
[ "$NODE" = 0 ] && fsck.ocfs2 -fn "$dev"
exit 0
