#!/bin/sh
# Sequential read, layout or read path? (lab scenario after fs-bench.sh,
# --stack stock,ours, fs-bench added; argument: the files' size in MiB,
# default 64): node0 (stock) and node1 (ours) each
# write a file of that size on the bench volume (vda); then each node reads both
# files twice, each read after a remount (cold), and prints the read
# requests and sectors it cost vda and the rate; node0 prints both files'
# extent counts and lists (stock debugfs.ocfs2: frag, stat) and removes
# them.  The lists printed in 6.1 run 20261127-114541-set-hnwm (one
# extent of 16384 clusters each).  Session 8: with a
# remount before the read, ours and stock issue about the same number of
# requests on both kernels, whichever module wrote the file (6.1 run
# 20261127-003300, 6.12 run 20261127-010935), while the bench's read
# (same mount, after drop_caches) cost ours 111-125 requests to stock's
# 67-71 on 6.12.
#   tests/lab/run --kernel K --nodes 2 --stack stock,ours --disk 1G --disk 1G \
#       --add FS_BENCH_BINARY --add tests/bench/fs/fs-bench.sh \
#       --add tests/bench/fs/ra-diag.sh --timeout 720 \
#       tests/lab/scenarios/set.sh --stop fs-bench.sh=3,2000,64 ra-diag.sh
dev=/dev/vda mnt=/mnt/ocfs2
MB=${1:-64}
mkdir -p $mnt
cold() { sync; echo 3 > /proc/sys/vm/drop_caches; }
reqs() { awk '$3 == "vda" { print $4, $6 }' /proc/diskstats; }
rd() {
	umount $mnt; cold; mount -t ocfs2 $dev $mnt
	a=$(reqs); fs-bench read $mnt/$1 $MB > /tmp/r.out; b=$(reqs)
	echo "$a $b" | awk -v s=$LAB_STACK -v f=$1 -v r="$(cat /tmp/r.out)" \
		'{ printf "diag read %s by %s: requests %d sectors %d (%s)\n", f, s, $3 - $1, $4 - $2, r }'
}
if [ "$NODE" = 0 ]; then
	for f in /sys/block/vda/queue/read_ahead_kb /sys/block/vda/queue/max_sectors_kb \
		/sys/block/vda/queue/max_segments /sys/block/vda/queue/max_hw_sectors_kb \
		/sys/block/vda/queue/scheduler /sys/block/vda/queue/nr_requests; do
		echo "$f: $(cat $f)"
	done
	mount -t ocfs2 $dev $mnt
	fs-bench write $mnt/f_stock $MB
	umount $mnt
fi
lab-barrier w0
if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	fs-bench write $mnt/f_ours $MB
	umount $mnt
fi
lab-barrier w1
for n in 0 1; do
	if [ "$NODE" = $n ]; then
		mount -t ocfs2 $dev $mnt
		rd f_stock; rd f_ours; rd f_stock; rd f_ours
		umount $mnt
	fi
	lab-barrier r$n
done
if [ "$NODE" = 0 ]; then
	for f in f_stock f_ours; do
		echo "== extents of $f"
		stock-debugfs.ocfs2 -R "frag /$f" $dev 2>&1
		stock-debugfs.ocfs2 -R "stat /$f" $dev 2>&1 | sed -n '/Tree Depth/,$p' | head -40
	done
	mount -t ocfs2 $dev $mnt; rm -f $mnt/f_stock $mnt/f_ours; umount $mnt
fi

exit 0
