#!/bin/sh
# A stalled NFS server: node1's network link is cut for 20 s in the middle
# of fio random writes through dm-nfs.  With the hard mount the requests
# wait (in flight, nothing completes, nothing fails), and complete once the
# link is back; fio then verifies every block and the target counts no error.
# Run: tests/lab/run --nfs --nodes 2 --mem 1024 --timeout 600 \
#          --add /usr/bin/fio tests/lab/scenarios/dm-nfs/50-nfs-stall.sh
set -e
export DM_DISABLE_UDEV=1
img=/nfs/stall.img

field() { dmsetup status stall | cut -d' ' -f"$1"; }

if [ "$NODE" = 0 ]; then
	dd if=/dev/zero of=$img bs=1M count=0 seek=128
	lab-barrier image
	lab-barrier io-started
	sleep 3
	echo "cutting node1's link"
	lab-ctl link 1 off
	sleep 20
	echo "restoring node1's link"
	lab-ctl link 1 on
	lab-barrier done
	exit 0
fi

[ "$NODE" = 1 ] || { lab-barrier image; lab-barrier io-started; lab-barrier done; exit 0; }
modprobe dm-mod
modprobe dm-nfs
lab-barrier image
dmsetup create stall --table "0 262144 nfs $img 0"
fio --name=stall --filename=/dev/mapper/stall --direct=1 --ioengine=libaio \
	--iodepth=16 --rw=randwrite --bsrange=4k-64k --size=64M \
	--verify=crc32c --verify_fatal=1 > /tmp/fio.log 2>&1 &
fio=$!
sleep 2
lab-barrier io-started

# Sample the target while the link is down: requests stay in flight and
# nothing completes.  A sample takes a while under emulation, so the stall
# is measured in wall-clock seconds between samples.
stall_from=
stalled=0
i=0
while [ $i -lt 30 ]; do
	a=$(field 5)
	t0=$(date +%s)
	sleep 1
	b=$(field 5)
	inflight=$(field 4)
	echo "t=$i in flight $inflight completed $b errors $(field 6)"
	if [ "$a" = "$b" ] && [ "$inflight" -gt 0 ]; then
		stall_from=${stall_from:-$t0}
		cur=$(($(date +%s) - stall_from))
		[ "$cur" -le "$stalled" ] || stalled=$cur
	else
		stall_from=
	fi
	i=$((i + 1))
done
wait $fio || { cat /tmp/fio.log; echo "FAIL: fio"; exit 1; }
grep -E 'err=|WRITE:|READ:' /tmp/fio.log
echo "longest stretch with I/O waiting and nothing completing: ${stalled}s"
[ "$stalled" -ge 10 ] || { echo "FAIL: the stall was not seen"; exit 1; }
st=$(dmsetup status stall)
echo "status: $st"
[ "$(echo "$st" | cut -d' ' -f6)" = 0 ] || { echo "FAIL: errors"; exit 1; }
dmsetup remove stall
dmesg | grep -E 'nfs: server .* (not responding|OK)' || true
lab-barrier done
echo PASS
