#!/bin/sh
# Lab side of tests/bench/dm-nfs/run.sh: node0 serves NFS, node1 runs the
# same fio jobs on a dm-nfs device and on a direct-I/O loop device over the
# same NFS file, the whole set BENCH_REPEAT times, and writes one line per
# job and pass to $LAB_RESULTS/bench.txt: <job> <device> <KiB/s> <IOPS> <pass>.
# All jobs run one after the other from a single fio job file: starting fio
# in the TCG guest costs more than a short job, and the runs stay comparable.
set -e
export DM_DISABLE_UDEV=1
img=/nfs/bench.img
size_mb=${BENCH_SIZE_MB:-256}
runtime=${BENCH_RUNTIME:-20}
repeat=${BENCH_REPEAT:-3}

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
echo "nfs: $(grep ' /nfs ' /proc/mounts)"
# What the two queues let through: request size, segments, readahead.
dm=dm-$(dmsetup info -c --noheadings -o minor bench)
for q in max_sectors_kb max_segments read_ahead_kb; do
	echo "$q: dm-nfs $(cat /sys/block/$dm/queue/$q)" \
		"loop $(cat /sys/block/${loop#/dev/}/queue/$q)"
done

# section JOB DEVICE PASS RW BS DEPTH: one fio job, after the previous one.
section() {
	path=/dev/mapper/bench
	[ "$2" = loop ] && path=$loop
	printf '[%s:%s:%s]\nfilename=%s\nrw=%s\nbs=%s\niodepth=%s\nstonewall\n' \
		"$1" "$2" "$3" "$path" "$4" "$5" "$6"
}

# Both devices per job, the order swapped every pass so neither always
# runs on a server that has just been warmed by the other.
jobfile() {
	printf '[global]\ndirect=1\nioengine=libaio\nsize=%sM\n' "$size_mb"
	printf 'time_based\nruntime=%s\nramp_time=1\n' "$runtime"
	pass=1
	while [ $pass -le "$repeat" ]; do
		devs="dm-nfs loop"
		[ $((pass % 2)) = 0 ] && devs="loop dm-nfs"
		for j in "seq-write write 1M 4" "seq-read read 1M 4" \
			 "rand-write randwrite 4k 32" "rand-read randread 4k 32"; do
			set -- $j
			for dev in $devs; do
				section "$1" "$dev" "$pass" "$2" "$3" "$4"
			done
		done
		pass=$((pass + 1))
	done
}

jobfile > /tmp/bench.fio
fio --minimal /tmp/bench.fio > /tmp/bench.out
# Terse output: field 3 is the job name, 7/8 read KiB/s and IOPS, 48/49
# the same for writes; a job does one or the other.
awk -F';' '{
	split($3, n, ":")
	bw = $7 + $48; iops = $8 + $49
	print n[1], n[2], bw, iops, n[3]
}' /tmp/bench.out | tee "$LAB_RESULTS/bench.txt"
echo "dm-nfs status: $(dmsetup status bench)"
losetup -d "$loop"
dmsetup remove bench
lab-barrier done
