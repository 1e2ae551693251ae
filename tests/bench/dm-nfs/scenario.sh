#!/bin/sh
# Lab side of tests/bench/dm-nfs/run.sh: node0 serves NFS, node1 runs the
# same fio jobs on a dm-nfs device and on a direct-I/O loop device over the
# same NFS file, alternating, and writes one line per job to
# $LAB_RESULTS/bench.txt: <job> <device> <KiB/s> <IOPS>.
set -e
export DM_DISABLE_UDEV=1
img=/nfs/bench.img
size_mb=${BENCH_SIZE_MB:-256}
runtime=${BENCH_RUNTIME:-20}

if [ "$NODE" != 1 ]; then
	lab-barrier done
	exit 0
fi

modprobe dm-mod
modprobe dm-nfs
modprobe loop
dd if=/dev/zero of=$img bs=1M count="$size_mb" 2>/dev/null
dmsetup create bench --table "0 $((size_mb * 2048)) nfs $img 0"
loop=$(losetup --direct-io=on -f --show $img)
losetup -l "$loop" | tail -1
echo "dm-nfs: /dev/mapper/bench, loop: $loop"

# job NAME RW BS DEPTH: one fio run per device, bandwidth and IOPS noted.
job() {
	name=$1 rw=$2 bs=$3 depth=$4
	for dev in dm-nfs loop; do
		path=/dev/mapper/bench
		[ $dev = loop ] && path=$loop
		sync
		echo 3 > /proc/sys/vm/drop_caches
		line=$(fio --name="$name" --filename="$path" --direct=1 \
			--ioengine=libaio --rw="$rw" --bs="$bs" --iodepth="$depth" \
			--size="${size_mb}M" --time_based --runtime="$runtime" \
			--ramp_time=2 --minimal)
		case $rw in
		*read) bw=$(echo "$line" | cut -d';' -f7); iops=$(echo "$line" | cut -d';' -f8) ;;
		*) bw=$(echo "$line" | cut -d';' -f48); iops=$(echo "$line" | cut -d';' -f49) ;;
		esac
		echo "$name $dev $bw $iops" | tee -a "$LAB_RESULTS/bench.txt"
	done
}

: > "$LAB_RESULTS/bench.txt"
job seq-write write 1M 4
job seq-read read 1M 4
job rand-write randwrite 4k 32
job rand-read randread 4k 32
echo "dm-nfs status: $(dmsetup status bench)"
losetup -d "$loop"
dmsetup remove bench
lab-barrier done
