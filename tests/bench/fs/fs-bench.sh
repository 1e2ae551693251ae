#!/bin/sh
# fs benchmark (lab scenario, --stack stock,ours[,...], fs-bench added;
# nodes past node1 only pass the barriers), arguments [PASSES [ENTRIES
# [FILE_MB [READDIRS]]]] (default 3 3000 128 4):
# node0 (stock) makes a local-mount volume on vda with stock mkfs; then for
# each of PASSES passes, node0 times the raw second disk (vdb: sequential
# write with fsync, cold sequential read), then each node in turn mounts the
# volume and times, with fs-bench (no fork per file): create of ENTRIES
# empty files in a new directory (then syncfs), cold lstat of each, cold
# readdir (READDIRS times, a remount before each), unlink of each (then
# syncfs), sequential write of FILE_MB MiB
# (then fsync) and its cold read.  Lines "<metric> <stack> <per second>" go
# to $LAB_RESULTS/bench.txt, where tests/bench/fs/run.sh takes medians;
# what each timed step cost the disks (requests, sectors, flushes, from
# /proc/diskstats) and the journal (jbd2 transactions) goes to
# $LAB_RESULTS/bench-io.txt, to explain a ratio rather than to judge it.
set -e
dev=/dev/vda
raw=/dev/vdb
mnt=/mnt/ocfs2
out=$LAB_RESULTS/bench.txt
mkdir -p $mnt
PASSES=${1:-3}
ENTRIES=${2:-3000}
FILE_MB=${3:-128}
READDIRS=${4:-4}

cold() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# counters: reads, read sectors, writes, written sectors, flushes of vda
# and vdb, and the transactions of any mounted journal
counters() {
	awk '$3 == "vda" || $3 == "vdb" { printf "%s %s %s %s %s ", $4, $6, $8, $10, ($19 == "" ? 0 : $19) }' /proc/diskstats
	cat /proc/fs/jbd2/*/info 2>/dev/null | awk '/transactions/ { t += $1 } END { print t + 0 }'
}

# rec METRIC STACK OP ARGS...: run fs-bench OP ARGS, keep its rate
rec() {
	m=$1 st=$2
	shift 2
	c0=$(counters)
	r=$(fs-bench "$@") || { echo "fs-bench $* failed on $st" >&2; exit 1; }
	c1=$(counters)
	echo "$m $st ${r##* }" >> $out
	echo "$c0 $c1" | awk -v m="$m" -v st="$st" '{
		n = NF / 2
		for (i = 1; i <= n; i++) d[i] = $(i + n) - $i
		printf "%s %s vda r=%d rs=%d w=%d ws=%d fl=%d vdb r=%d rs=%d w=%d ws=%d fl=%d jbd2-tx=%d\n",
			m, st, d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11]
	}' >> $LAB_RESULTS/bench-io.txt
}

# streaming STACK PATH: sequential write then cold read of PATH
streaming() {
	rec seq-write-MiB/s $1 write $2 $FILE_MB
	cold
	# pages drop_caches left behind split the read's requests around them
	[ -b "$2" ] || echo "seq-read $1 after drop_caches: $(fs-bench cached "$2")" \
		>> $LAB_RESULTS/bench-io.txt
	rec seq-read-MiB/s $1 read $2 $FILE_MB
}

# remount: cold caches for the next step.  drop_caches alone was not
# enough (session 7: our cold lstat read nothing from the disk, stock's
# read every inode), probably because metadata buffers stay held until the
# journal checkpoints them, which the two modules do at different times;
# unmounting checkpoints everything and drops the volume's caches.
remount() {
	umount $mnt
	cold
	mount -t ocfs2 $dev $mnt
}

# turn PASS: this node's timings on the mounted volume
turn() {
	d=$mnt/m_${LAB_STACK}_$1
	mount -t ocfs2 $dev $mnt
	mkdir $d
	sync
	rec create/s $LAB_STACK create $d $ENTRIES
	remount
	rec stat/s $LAB_STACK stat $d $ENTRIES
	# one cold readdir takes 10-20 ms: one sample per remount, READDIRS
	# samples per pass, so the median is not one request's latency
	k=1
	while [ $k -le "$READDIRS" ]; do
		remount
		rec readdir-entries/s $LAB_STACK readdir $d
		k=$((k + 1))
	done
	rec unlink/s $LAB_STACK unlink $d $ENTRIES
	rmdir $d
	streaming $LAB_STACK $mnt/big
	rm $mnt/big
	umount $mnt
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L bench $dev
fi
p=1
while [ $p -le "$PASSES" ]; do
	if [ "$NODE" = 0 ]; then
		cold
		streaming raw $raw
		turn $p
	fi
	lab-barrier stock-$p
	[ "$NODE" != 1 ] || turn $p
	lab-barrier ours-$p
	p=$((p + 1))
done
[ "$NODE" = 0 ] || exit 0
stock-fsck.ocfs2 -fn $dev > /tmp/fsck.out 2>&1 || { cat /tmp/fsck.out; exit 1; }
echo "stock fsck -fn clean after the benchmark"
cat $out
cat $LAB_RESULTS/bench-io.txt
