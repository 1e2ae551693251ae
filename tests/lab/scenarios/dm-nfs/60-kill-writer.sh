#!/bin/sh
# A node killed while writing loses nothing it had flushed: node1 writes
# numbered 4 KiB records through dm-nfs, each with O_DIRECT and then fsync
# of the device (a flush), and logs a record number to the shared results
# only after both returned.  node0 kills node1 mid-stream, makes its own
# dm-nfs device over the same file and checks every logged record.
# Run: tests/lab/run --nfs --nodes 2 --timeout 600 \
#          tests/lab/scenarios/dm-nfs/60-kill-writer.sh
set -e
export DM_DISABLE_UDEV=1
img=/nfs/kill.img
acked=$LAB_RESULTS/acked

record() { printf 'record %08d from node1\n' "$1" | dd bs=4096 conv=sync 2>/dev/null; }

modprobe dm-mod
modprobe dm-nfs
if [ "$NODE" = 1 ]; then
	lab-barrier image
	dmsetup create kill --table "0 65536 nfs $img 0"
	lab-barrier writing
	i=0
	while [ $i -lt 8192 ]; do
		record $i > /tmp/rec
		dd if=/tmp/rec of=/dev/mapper/kill bs=4096 seek=$i \
			oflag=direct conv=notrunc,fsync 2>/dev/null
		echo $i >> "$acked"
		i=$((i + 1))
	done
	echo "FAIL: never killed"
	exit 1
fi

[ "$NODE" = 0 ] || exit 0
dd if=/dev/zero of=$img bs=1M count=0 seek=32
: > "$acked"
lab-barrier image
lab-barrier writing
sleep 15
echo "killing node1 after $(wc -l < "$acked") acknowledged records"
lab-ctl kill 1
sleep 1
n=$(wc -l < "$acked")
last=$(tail -n 1 "$acked")
echo "node1 acknowledged $n records, last $last"
[ "$n" -gt 10 ] || { echo "FAIL: too few records written"; exit 1; }

dmsetup create check --table "0 65536 nfs $img 0"
dd if=/dev/mapper/check of=/tmp/all bs=4096 count=$((last + 2)) iflag=direct 2>/dev/null
bad=0
i=0
while [ $i -le "$last" ]; do
	want=$(record $i | md5sum)
	got=$(dd if=/tmp/all bs=4096 skip=$i count=1 2>/dev/null | md5sum)
	if [ "$want" != "$got" ]; then
		echo "record $i lost or damaged"
		bad=$((bad + 1))
	fi
	i=$((i + 1))
done
next=$(dd if=/tmp/all bs=4096 skip=$((last + 1)) count=1 2>/dev/null | head -c 40 | tr -d '\0')
echo "record after the last acknowledged one: '${next:-zeroes}' (either is fine)"
dmsetup remove check
[ $bad = 0 ] || { echo "FAIL: $bad flushed records lost"; exit 1; }
echo "all $n flushed records intact"
echo PASS
