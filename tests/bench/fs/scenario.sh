#!/bin/sh
# fs benchmark (lab scenario, 2 nodes, --stack stock,ours): node0
# (stock) makes and fills a local-mount volume, then each node in turn
# mounts it read-only and times cold-cache reads: sequential file read,
# readdir, readdir+stat, lookups; node0 also times the raw device.  Then
# each node in turn mounts it read-write and times a sequential write
# (dd, fsync at the end) of a new file, which it removes; node0 times
# the same write to the raw second disk.  Lines "<metric> <stack>
# <value>" go to $LAB_RESULTS/bench.txt.
set -e
dev=/dev/vda
mnt=/mnt/ocfs2
out=$LAB_RESULTS/bench.txt
mkdir -p $mnt
FILE_MB=${BENCH_FILE_MB:-64}
ENTRIES=${BENCH_ENTRIES:-2000}

now() { cut -d' ' -f1 /proc/uptime; }
cold() { sync; echo 3 > /proc/sys/vm/drop_caches; }
# rate NAME COUNT START: COUNT per second since START
rate() { rate_as "$LAB_STACK" "$@"; }
rate_as() { awk -v n="$3" -v s="$4" -v e="$(now)" -v m="$2" -v st="$1" \
	'BEGIN { d = e - s; if (d <= 0) d = 0.01; printf "%s %s %.1f\n", m, st, n / d }' >> $out; }
seq_write() {
	t=$(now)
	dd if=/dev/zero of=$1 bs=1M count=$FILE_MB conv=fsync 2>/dev/null
	rate_as $2 "seq-write-MiB/s" $FILE_MB $t
}

if [ "$NODE" = 0 ]; then
	stock-mkfs.ocfs2 -q -F -M local -L bench $dev
	mount -t ocfs2 $dev $mnt
	dd if=/dev/urandom of=$mnt/big bs=1M count=$FILE_MB 2>/dev/null
	mkdir $mnt/dir
	i=0
	while [ $i -lt $ENTRIES ]; do : > $mnt/dir/f$i; i=$((i + 1)); done
	umount $mnt
	cold
	t=$(now); dd if=$dev of=/dev/null bs=1M count=$FILE_MB 2>/dev/null
	rate "seq-read-MiB/s" $FILE_MB $t
	sed -i "s/ $LAB_STACK / raw /" $out
fi
lab-barrier filled
[ "$NODE" = 0 ] || lab-barrier stock-done
mount -t ocfs2 -o ro $dev $mnt
cold; t=$(now); cat $mnt/big > /dev/null; rate "seq-read-MiB/s" $FILE_MB $t
cold; t=$(now); ls -1a $mnt/dir > /dev/null; rate "readdir-entries/s" $ENTRIES $t
cold; t=$(now); ls -l $mnt/dir > /dev/null; rate "readdir+stat-entries/s" $ENTRIES $t
cold; t=$(now)
i=0
while [ $i -lt $ENTRIES ]; do
	[ -e $mnt/dir/f$i ]
	i=$((i + 7))
done
rate "lookups/s" $((ENTRIES / 7)) $t
umount $mnt
[ "$NODE" = 1 ] || lab-barrier stock-done

# sequential write: raw second disk, then stock, then ours
if [ "$NODE" = 0 ]; then
	seq_write /dev/vdb raw
	mount -t ocfs2 $dev $mnt
	seq_write $mnt/written stock
	rm $mnt/written
	umount $mnt
fi
lab-barrier stock-wrote
if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	seq_write $mnt/written ours
	rm $mnt/written
	umount $mnt
fi
cat $out
