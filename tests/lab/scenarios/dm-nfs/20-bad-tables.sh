#!/bin/sh
# Every kind of bad table is refused, with its reason in the kernel log
# (the ti->error string dm prints), and leaves no device behind.  TAP.
# Run: tests/lab/run --nfs --nodes 1 --mem 1024 --add /usr/bin/fio \
#          tests/lab/scenarios/dm-nfs/20-bad-tables.sh
set -e
[ "$NODE" = 0 ] || exit 0
export DM_DISABLE_UDEV=1

modprobe dm-mod
modprobe dm-nfs
dd if=/dev/zero of=/nfs/ok.img bs=1M count=0 seek=64 2>/dev/null
dd if=/dev/zero of=/nfs/small.img bs=1M count=1 2>/dev/null
dd if=/dev/zero of=/tmp/tmpfs.img bs=1M count=0 seek=8 2>/dev/null
mkdir -p /mnt/ramfs
mount -t ramfs ramfs /mnt/ramfs
dd if=/dev/zero of=/mnt/ramfs/ramfs.img bs=1M count=8 2>/dev/null

n=0
failed=0
table_errors() { dmesg | grep -c 'device-mapper: table:' || true; }

# refuse NAME "TABLE" "expected reason"
refuse() {
	n=$((n + 1))
	before=$(table_errors)
	if dmsetup create bad --table "$2" 2>/dev/null; then
		echo "not ok $n - $1: table \"$2\" was accepted"
		dmsetup remove bad
		failed=1
		return
	fi
	line=$(dmesg | grep 'device-mapper: table:' | tail -1)
	if [ "$(table_errors)" -le "$before" ] || ! echo "$line" | grep -qF "$3"; then
		echo "not ok $n - $1: expected \"$3\", kernel said: $line"
		failed=1
	elif dmsetup info bad > /dev/null 2>&1; then
		echo "not ok $n - $1: refused but device 'bad' left behind"
		failed=1
	else
		echo "ok $n - $1: ${line#*nfs: }"
	fi
}

refuse "one argument" "0 2048 nfs /nfs/ok.img" "Invalid argument count"
refuse "four arguments" "0 2048 nfs /nfs/ok.img 0 0 0" "Invalid argument count"
refuse "relative path" "0 2048 nfs nfs/ok.img 0" "Invalid path: must be absolute"
refuse "offset not a number" "0 2048 nfs /nfs/ok.img abc" "Invalid offset: not a decimal"
refuse "negative offset" "0 2048 nfs /nfs/ok.img -1" "Invalid offset: not a decimal"
refuse "offset with junk" "0 2048 nfs /nfs/ok.img 4096x" "Invalid offset: not a decimal"
refuse "hex offset" "0 2048 nfs /nfs/ok.img 0x1000" "Invalid offset: not a decimal"
refuse "offset 2^64" "0 2048 nfs /nfs/ok.img 18446744073709551616" "Invalid offset: not a decimal"
refuse "offset + length overflows" "0 2048 nfs /nfs/ok.img 9223372036854775807" "offset + length overflows"
refuse "uid not a number" "0 2048 nfs /nfs/ok.img 0 root" "Invalid uid"
refuse "uid -1 as 2^32-1" "0 2048 nfs /nfs/ok.img 0 4294967295" "Invalid uid: 4294967295 is not a user"
refuse "uid 2^32" "0 2048 nfs /nfs/ok.img 0 4294967296" "Invalid uid: not a decimal number"
refuse "missing file" "0 2048 nfs /nfs/missing.img 0" "File not found"
refuse "directory" "0 2048 nfs /nfs 0" "Not a regular file"
refuse "device node" "0 2048 nfs /dev/null 0" "Not a regular file"
refuse "file too small" "0 4096 nfs /nfs/small.img 0" "File too small for offset + length"
refuse "offset past the end" "0 8 nfs /nfs/small.img 1048576" "File too small for offset + length"
refuse "offset not block aligned" "0 2048 nfs /nfs/ok.img 100" "Invalid offset: not a multiple of the file's block size"
refuse "not on NFS (tmpfs)" "0 2048 nfs /tmp/tmpfs.img 0" "File is not on NFS"

echo Y > /sys/module/dm_nfs/parameters/allow_any_fs
refuse "no O_DIRECT (ramfs, allow_any_fs=1)" "0 2048 nfs /mnt/ramfs/ramfs.img 0" "Filesystem cannot do direct I/O"
echo N > /sys/module/dm_nfs/parameters/allow_any_fs

# A process holding a shared writable mapping of the file.
fio --name=mapper --filename=/nfs/ok.img --ioengine=mmap --rw=randwrite \
	--bs=4k --size=1M --time_based --runtime=60 > /tmp/fio-mmap.log 2>&1 &
mapper=$!
i=0
until grep -qs 'w-s .*/nfs/ok.img' /proc/[0-9]*/maps; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "fio never mapped the file"; cat /tmp/fio-mmap.log; grep -h ok.img /proc/[0-9]*/maps; exit 1; }
	sleep 0.1
done
refuse "file mapped writable" "0 2048 nfs /nfs/ok.img 0" "File is mapped writable by a process"
kill $mapper
wait $mapper || true

# The other way round: while a table holds the file, nobody maps it writable.
n=$((n + 1))
dmsetup create good --table "0 2048 nfs /nfs/ok.img 0"
if fio --name=mapper --filename=/nfs/ok.img --ioengine=mmap --rw=randwrite \
	--bs=4k --size=1M > /tmp/fio-mmap2.log 2>&1; then
	echo "not ok $n - writable mmap allowed while a table holds the file"
	failed=1
else
	echo "ok $n - writable mmap refused while a table holds the file: $(grep -m1 -o 'err=.*' /tmp/fio-mmap2.log)"
fi
dmsetup remove good

n=$((n + 1))
if dmsetup ls | grep -q bad; then
	echo "not ok $n - devices left: $(dmsetup ls)"
	failed=1
else
	echo "ok $n - no device left: $(dmsetup ls)"
fi
echo "1..$n"
rmmod dm_nfs
exit $failed
