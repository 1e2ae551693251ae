#!/bin/sh
# The admin's commands, verbatim, on an NFS-backed file: dd the image,
# dmsetup create, dmsetup table --target nfs, a filesystem on the device,
# dmsetup remove.  Around them: status, removal and module unload refused
# while in use, suspend/resume under I/O, table reload, a read-only table,
# discard punching the file, write-zeroes zeroing it allocated.
# Run: tests/lab/run --nfs --nodes 1 --add /usr/bin/fallocate \
#          tests/lab/scenarios/dm-nfs/10-admin.sh
set -e
[ "$NODE" = 0 ] || exit 0
# The lab runs no udev: let dmsetup make and remove /dev/mapper nodes itself.
export DM_DISABLE_UDEV=1

# Echo a command as typed (quoting arguments with spaces), then run it.
run() {
	line="#"
	for a in "$@"; do
		case "$a" in
		*" "*) line="$line \"$a\"" ;;
		*) line="$line $a" ;;
		esac
	done
	echo "$line"
	"$@"
}
fail() {
	echo "FAIL: $*"
	exit 1
}
blocks() { stat -c %b "$1"; }

modprobe dm-mod
modprobe dm-nfs
mkdir -p /mnt/vol

echo "== the admin's commands"
run dd if=/dev/zero of=/nfs/myvolume.img bs=1M count=0 seek=2000
run dmsetup create myvolume --table "0 4096000 nfs /nfs/myvolume.img 0"
out=$(run dmsetup table --target nfs)
echo "$out"
echo "$out" | grep -qx "myvolume: 0 4096000 nfs /nfs/myvolume.img 0" ||
	fail "table does not round-trip"
run dmsetup status myvolume
run mkfs.ext4 -q /dev/mapper/myvolume
run mount /dev/mapper/myvolume /mnt/vol
dd if=/dev/urandom of=/mnt/vol/data bs=1M count=32 2>/dev/null
sum=$(md5sum < /mnt/vol/data)

echo "== removal and module unload refused while in use"
if dmsetup remove myvolume 2>/dev/null; then fail "removed while mounted"; fi
if rmmod dm_nfs 2>/dev/null; then fail "module unloaded with a live device"; fi
echo "refused, as expected"

echo "== suspend and resume with a writer running"
dd if=/dev/urandom of=/mnt/vol/during bs=64k count=400 2>/dev/null &
writer=$!
sleep 1
run dmsetup suspend myvolume
st=$(dmsetup status myvolume)
echo "suspended: $st"
[ "$(echo "$st" | cut -d' ' -f4)" = 0 ] || fail "I/O in flight while suspended"
sleep 2
run dmsetup resume myvolume
wait $writer
sync

echo "== table reload (same file, uid now explicit)"
run dmsetup reload myvolume --table "0 4096000 nfs /nfs/myvolume.img 0 0"
run dmsetup suspend myvolume
run dmsetup resume myvolume
run dmsetup table myvolume
[ "$(dmsetup table myvolume)" = "0 4096000 nfs /nfs/myvolume.img 0 0" ] ||
	fail "reloaded table does not round-trip"
umount /mnt/vol
echo 3 > /proc/sys/vm/drop_caches
mount /dev/mapper/myvolume /mnt/vol
[ "$(md5sum < /mnt/vol/data)" = "$sum" ] || fail "data changed across suspend/reload"
ls -l /mnt/vol
run umount /mnt/vol
run dmsetup remove myvolume
dmsetup info myvolume > /dev/null 2>&1 && fail "device still there"

echo "== read-only table"
run dmsetup create myro --readonly --table "0 4096000 nfs /nfs/myvolume.img 0"
dd if=/dev/mapper/myro of=/dev/null bs=1M count=8 iflag=direct 2>/dev/null
if dd if=/dev/zero of=/dev/mapper/myro bs=4k count=1 oflag=direct conv=notrunc 2>/dev/null; then
	fail "write to a read-only table succeeded"
fi
echo "write refused: $(dmsetup status myro)"
run dmsetup remove myro

echo "== discard punches the file, write-zeroes zeroes and keeps it allocated"
dd if=/dev/urandom of=/nfs/punch.img bs=1M count=16 2>/dev/null
run dmsetup create punch --table "0 32768 nfs /nfs/punch.img 0"
d=dm-$(dmsetup info -c --noheadings -o minor punch)
echo "discard_max_bytes $(cat /sys/block/$d/queue/discard_max_bytes)" \
	"write_zeroes_max_bytes $(cat /sys/block/$d/queue/write_zeroes_max_bytes)"
z2=$(dd if=/dev/zero bs=1M count=2 2>/dev/null | md5sum)
zeroes_at() { # MiB offset of 2 MiB that must read back as zeroes
	[ "$(dd if=/dev/mapper/punch bs=1M skip=$1 count=2 iflag=direct 2>/dev/null | md5sum)" = "$z2" ] ||
		fail "2 MiB at $1 MiB do not read back as zeroes"
}
b0=$(blocks /nfs/punch.img)
run blkdiscard -o 1048576 -l 4194304 /dev/mapper/punch
b1=$(blocks /nfs/punch.img)
# Zeroing (write-zeroes, NOUNMAP) over part of the hole, then over data.
run fallocate -z -o 2097152 -l 2097152 /dev/mapper/punch
b2=$(blocks /nfs/punch.img)
run fallocate -z -o 8388608 -l 2097152 /dev/mapper/punch
b3=$(blocks /nfs/punch.img)
# A punch through the block device may unmap: it frees the range.
run fallocate -p -o 12582912 -l 2097152 /dev/mapper/punch
b4=$(blocks /nfs/punch.img)
echo "file blocks: $b0 -> $b1 after discard -> $b2 after zeroout of the hole" \
	"-> $b3 after zeroout of data -> $b4 after punch"
[ "$b1" -lt "$b0" ] || fail "discard did not punch the file"
[ "$b2" -gt "$b1" ] || fail "write-zeroes left the range unallocated"
[ "$b3" -ge "$b2" ] || fail "write-zeroes over data freed space"
[ "$b4" -lt "$b3" ] || fail "punch through the device did not punch the file"
zeroes_at 2
zeroes_at 8
zeroes_at 12
run dmsetup status punch
run dmsetup remove punch

run rmmod dm_nfs
echo "PASS"
