#!/bin/sh
# dm-nfs over a file on ext4 (module parameter allow_any_fs=1): the data
# path, status, round trip of the table, a filesystem on the device, and
# that without the parameter the same file is refused as not on NFS.
# Run: tests/lab/run --nodes 1 --disk 2G tests/lab/scenarios/dm-nfs/05-any-fs-ext4.sh
set -e
[ "$NODE" = 0 ] || exit 0
# The lab runs no udev: let dmsetup make and remove /dev/mapper nodes itself.
export DM_DISABLE_UDEV=1

modprobe dm-mod
modprobe dm-nfs allow_any_fs=1
mkfs.ext4 -q -F /dev/vda
mkdir -p /mnt/back /mnt/dev
mount /dev/vda /mnt/back
dd if=/dev/zero of=/mnt/back/disk.img bs=1M count=0 seek=256 2>/dev/null

echo "== create over ext4"
dmsetup create anyfs --table "0 262144 nfs /mnt/back/disk.img 1048576"
dmsetup table anyfs
test "$(dmsetup table anyfs)" = "0 262144 nfs /mnt/back/disk.img 1048576"
echo "status: $(dmsetup status anyfs)"
dev=/dev/mapper/anyfs
dm=dm-$(dmsetup info -c --noheadings -o minor anyfs)
for f in logical_block_size discard_max_bytes write_zeroes_max_bytes write_cache fua; do
	echo "queue/$f: $(cat /sys/block/$dm/queue/$f 2>/dev/null)"
done

echo "== raw data through the device lands at the table offset"
dd if=/dev/urandom of=/tmp/pat bs=64k count=16 2>/dev/null
dd if=/tmp/pat of=$dev bs=64k seek=3 oflag=direct conv=notrunc,fsync
a=$(md5sum < /tmp/pat)
b=$(dd if=$dev bs=64k skip=3 count=16 iflag=direct 2>/dev/null | md5sum)
c=$(dd if=/mnt/back/disk.img bs=64k skip=$((16 + 3)) count=16 2>/dev/null | md5sum)
echo "pattern $a device $b file $c"
test "$a" = "$b"
test "$a" = "$c"

echo "== ext4 on the device"
mkfs.ext4 -q -F $dev
mount $dev /mnt/dev
dd if=/dev/urandom of=/mnt/dev/f bs=1M count=20 2>/dev/null
sum=$(md5sum < /mnt/dev/f)
umount /mnt/dev
echo 3 > /proc/sys/vm/drop_caches
mount $dev /mnt/dev
test "$(md5sum < /mnt/dev/f)" = "$sum"
umount /mnt/dev
echo "status: $(dmsetup status anyfs)"
dmsetup remove anyfs

echo "== without allow_any_fs the file is refused"
echo N > /sys/module/dm_nfs/parameters/allow_any_fs
if dmsetup create anyfs --table "0 262144 nfs /mnt/back/disk.img 0" 2>/tmp/err; then
	echo "FAIL: ext4 file accepted without allow_any_fs"
	exit 1
fi
dmesg | grep 'device-mapper: table' | tail -1
dmesg | tail -3 | grep -q 'File is not on NFS'
! dmsetup info anyfs > /dev/null 2>&1

rmmod dm_nfs
umount /mnt/back
echo "PASS"
