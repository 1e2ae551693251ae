#!/bin/sh
# The optional <uid>: on an export with root_squash, a file owned by uid
# 1000 with mode 0600 is refused to root ("Permission denied opening file")
# and accepted with uid 1000 in the table; I/O then runs as that uid and
# lands in the file.  node0 is the NFS server, so it adds the export itself.
# Run: tests/lab/run --nfs --nodes 1 tests/lab/scenarios/dm-nfs/15-uid-root-squash.sh
set -e
[ "$NODE" = 0 ] || exit 0
export DM_DISABLE_UDEV=1

# A root_squash export of its own: a bind mount under the v4 root, so the
# server switches export when the client crosses into it.
mkdir -p /export/squash-src /export/nfs/squash /mnt/squash
mount --bind /export/squash-src /export/nfs/squash
dd if=/dev/zero of=/export/squash-src/vol.img bs=1M count=8 2>/dev/null
chown 1000:1000 /export/squash-src /export/squash-src/vol.img
chmod 600 /export/squash-src/vol.img
exportfs -o rw,sync,root_squash,no_subtree_check,insecure,fsid=77 '*:/export/nfs/squash'
. /lab/etc/lab.conf
mount -t nfs4 -o hard,vers=4.2 "$(lab_node_ip 0):/squash" /mnt/squash
ls -ln /mnt/squash
if dd if=/mnt/squash/vol.img of=/dev/null bs=4k count=1 2>/dev/null; then
	echo "FAIL: root is not squashed on this export"
	exit 1
fi
echo "root is squashed: reading the file as root fails"

modprobe dm-mod
modprobe dm-nfs
if dmsetup create sq --table "0 16384 nfs /mnt/squash/vol.img 0" 2>/dev/null; then
	echo "FAIL: table without uid accepted on a root_squash export"
	exit 1
fi
echo "without uid: $(dmesg | grep 'device-mapper: table:' | tail -1 | sed 's/.*nfs: //')"
dmesg | grep 'device-mapper: table:' | tail -1 | grep -q 'Permission denied opening file'

dmsetup create sq --table "0 16384 nfs /mnt/squash/vol.img 0 1000"
dmsetup table --target nfs
[ "$(dmsetup table sq)" = "0 16384 nfs /mnt/squash/vol.img 0 1000" ]
dd if=/dev/urandom of=/tmp/pat bs=64k count=32 2>/dev/null
dd if=/tmp/pat of=/dev/mapper/sq bs=64k seek=16 oflag=direct conv=notrunc,fsync 2>/dev/null
want=$(md5sum < /tmp/pat)
[ "$(dd if=/dev/mapper/sq bs=64k skip=16 count=32 iflag=direct 2>/dev/null | md5sum)" = "$want" ]
[ "$(dd if=/export/squash-src/vol.img bs=64k skip=16 count=32 2>/dev/null | md5sum)" = "$want" ]
echo "with uid 1000: written and read back, and the server's file holds it"
echo "status: $(dmsetup status sq)"
[ "$(dmsetup status sq | cut -d' ' -f6)" = 0 ]
dmsetup remove sq
umount /mnt/squash
echo PASS
