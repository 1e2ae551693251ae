#!/bin/sh
# fs benchmark (lab scenario, --stack stock,ours[,...], fs-bench added;
# nodes past node1 only pass the barriers), arguments [PASSES [ENTRIES
# [FILE_MB [READDIRS [PAIRS [OURS_PARAM...]]]]]] (default 3 3000 128 4 2,
# none; OURS_PARAM: name=value (or several, comma-separated) of the ocfs2
# module on our node, for a feature still off by default; the run's
# report names them):
# node0 (stock) makes a local-mount volume on vda with stock mkfs; then in
# each of PASSES passes the two stacks take turns STEP BY STEP on the
# same volume (node0 stock, node1 ours; stock first in odd passes, ours
# first in even ones), each mounting it for its step and unmounting it
# after, so a burst of load on the shared host lands on both stacks' runs
# of a step rather than on one stack's whole pass.  Steps, timed with
# fs-bench (no fork per file): create of ENTRIES empty files in a new
# directory (then syncfs); cold lstat of each; cold readdir (READDIRS
# samples, each on a fresh mount; after the last one, in the same mount,
# unlink of each, then syncfs); node0 times the raw second disk (vdb:
# sequential write with fsync, cold sequential read) while node1 waits,
# then each stack a sequential write of FILE_MB MiB (then fsync) and its
# cold read; then each stack reads its file again from the page cache
# (hot-read: the read path's CPU cost alone, no disk; 6.12 run
# 20261127-102519: 298 MiB/s for both stacks where the cold reads made
# 130-135, so the cold read waits for the disk).  Lines
# "<metric> <stack> <per second>" go to $LAB_RESULTS/bench.txt, where
# tests/bench/fs/run.sh takes medians; what each timed step cost the disks
# (requests, sectors, flushes, from /proc/diskstats) and the journal (jbd2
# transactions) goes to $LAB_RESULTS/bench-io.txt, to explain a ratio
# rather than to judge it, with the write's split into copying and fsync,
# and each streamed file's extents (stock debugfs after the unmount).
#
# Streaming against the raw disk, paired (PAIRS pairs per pass and stack;
# 0: none): the host's load swings one read by 2x within a run (6.12 run
# 20261127-134551: raw 51-114 MiB/s over the passes), so a ratio of
# medians taken minutes apart, or on another node, says little.  Each
# stack's node, right after its stream step, alternates the raw disk
# (vdb) and its own file on vda, each sample a whole FILE_MB: in odd
# passes raw, file, raw, file..., in even ones file, raw, file, raw...
# (so neither side always goes second), with drop_caches before every
# read.  Each file read and the raw read next to it make a pair; the
# same for writes (a new file, and the raw disk, each ended by fsync;
# the file is removed and synced after the pair, outside the timing).
# A read pair has a third sample on the other side of the file's: vda
# itself read raw over the very blocks that hold the file (fs-bench
# readmap, FIBMAP), so the host image's layout is the same for both;
# vdb is another image file on the host.  Lines "pair read|write STACK
# PASS raw-first|fs-first RAW FS RAWREQ FSREQ [MAP MAPREQ]" (MiB/s, then
# the requests each sample cost its disk) go to $LAB_RESULTS/pairs.txt;
# tests/bench/fs/run.sh gives the median of the per-pair ratios FS/RAW
# (and FS/MAP) and their spread, per stack.
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
PAIRS=${5:-2}
shift $(($# < 5 ? $# : 5))
OURS_PARAMS=$(echo "$*" | tr , ' ')

cold() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# counters: reads, read sectors, writes, written sectors, flushes of vda
# and vdb, the transactions of any mounted journal, then the reads merged
# into another request on vda and vdb (a read's requests depend on them)
counters() {
	awk '$3 == "vda" || $3 == "vdb" { printf "%s %s %s %s %s ", $4, $6, $8, $10, ($19 == "" ? 0 : $19) }' /proc/diskstats
	cat /proc/fs/jbd2/*/info 2>/dev/null | awk '/transactions/ { t += $1 } END { printf "%d ", t + 0 }'
	awk '$3 == "vda" || $3 == "vdb" { printf "%s ", $5 } END { print "" }' /proc/diskstats
}

# rec METRIC STACK OP ARGS...: run fs-bench OP ARGS, keep its rate
rec() {
	m=$1 st=$2
	shift 2
	c0=$(counters)
	r=$(fs-bench "$@" 2> /tmp/fs-bench.err) || {
		cat /tmp/fs-bench.err >&2
		echo "fs-bench $* failed on $st" >&2
		exit 1
	}
	c1=$(counters)
	echo "$m $st ${r##* }" >> $out
	# what fs-bench said of its parts (the write's copy and fsync)
	[ ! -s /tmp/fs-bench.err ] ||
		echo "$m $st $(cat /tmp/fs-bench.err)" >> $LAB_RESULTS/bench-io.txt
	echo "$c0 $c1" | awk -v m="$m" -v st="$st" '{
		n = NF / 2
		for (i = 1; i <= n; i++) d[i] = $(i + n) - $i
		printf "%s %s vda r=%d rs=%d w=%d ws=%d fl=%d vdb r=%d rs=%d w=%d ws=%d fl=%d jbd2-tx=%d rmerged=%d/%d\n",
			m, st, d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13]
	}' >> $LAB_RESULTS/bench-io.txt
}

# streaming STACK PATH: sequential write then cold read of PATH; for a
# file, the raw disk's cold read right before it on the same node too
# (seq-read-raw-near), so each pass gives a ratio to the raw disk taken
# seconds apart: the host's load swings the reads of one run by 2x
# (6.12 run 20261127-134551: raw 51-114 MiB/s over the passes)
streaming() {
	rec seq-write-MiB/s $1 write $2 $FILE_MB
	cold
	if [ ! -b "$2" ]; then
		rec seq-read-raw-near-MiB/s $1 read $raw $FILE_MB
		cold
	fi
	# pages drop_caches left behind split the read's requests around them
	[ -b "$2" ] || echo "seq-read $1 after drop_caches: $(fs-bench cached "$2")" \
		>> $LAB_RESULTS/bench-io.txt
	rec seq-read-MiB/s $1 read $2 $FILE_MB
	# not the raw disk: its last close drops its page cache
	[ -b "$2" ] || rec hot-read-MiB/s $1 read $2 $FILE_MB
}

# Every step mounts with cold caches and unmounts at its end.  drop_caches
# alone was not enough (session 7: our cold lstat read nothing from the
# disk, stock's read every inode), probably because metadata buffers stay
# held until the journal checkpoints them, which the two modules do at
# different times; unmounting checkpoints everything and drops the
# volume's caches.
cold_mount() {
	cold
	mount -t ocfs2 $dev $mnt
}

# step_STEP PASS: this node's part of one step
step_create() {
	cold_mount
	mkdir $mnt/m_${LAB_STACK}_$1
	sync
	rec create/s $LAB_STACK create $mnt/m_${LAB_STACK}_$1 $ENTRIES
	umount $mnt
}

step_stat() {
	cold_mount
	rec stat/s $LAB_STACK stat $mnt/m_${LAB_STACK}_$1 $ENTRIES
	umount $mnt
}

# one cold readdir takes 10-20 ms: one sample per mount, READDIRS samples
# per pass, so the median is not one request's latency
step_readdir() {
	cold_mount
	rec readdir-entries/s $LAB_STACK readdir $mnt/m_${LAB_STACK}_$1
	umount $mnt
}

# the last readdir sample, then the unlink in the same mount
step_unlink() {
	d=$mnt/m_${LAB_STACK}_$1
	cold_mount
	rec readdir-entries/s $LAB_STACK readdir $d
	rec unlink/s $LAB_STACK unlink $d $ENTRIES
	rmdir $d
	umount $mnt
}

# the file's layout, read by stock debugfs from the unmounted volume:
# "layout STACK extents N clusters C" and its first extent records
layout() {
	dbg=$(command -v stock-debugfs.ocfs2 || command -v debugfs.ocfs2)
	$dbg -R "frag /big" $dev 2>&1 | awk -v st="$1" '
		/extents:/ { for (i = 1; i < NF; i++) { if ($i == "extents:") e = $(i + 1); if ($i == "clusters:") c = $(i + 1) } }
		END { printf "layout %s extents %s clusters %s\n", st, e, c }' \
		>> $LAB_RESULTS/bench-io.txt
	$dbg -R "stat /big" $dev 2>&1 | sed -n '/Tree Depth/,$p' | head -12 |
		sed "s/^/layout $1 /" >> $LAB_RESULTS/bench-io.txt
}

# sample OP DISK PATH...: fs-bench OP PATH... FILE_MB; prints its MiB/s
# and the requests (reads and writes) DISK took meanwhile
sample() {
	op=$1 d=$2
	shift 2
	q0=$(awk -v d=$d '$3 == d { print $4 + $8 }' /proc/diskstats)
	r=$(fs-bench $op "$@" $FILE_MB 2> /tmp/fs-bench.err) || {
		cat /tmp/fs-bench.err >&2
		echo "fs-bench $op $* failed on $LAB_STACK" >&2
		return 1
	}
	q1=$(awk -v d=$d '$3 == d { print $4 + $8 }' /proc/diskstats)
	echo "${r##* } $((q1 - q0))"
}

# pair KIND PASS: one raw sample and one of this stack's file, in the
# pass's order; KIND read reads $mnt/big (and its blocks on vda, on the
# file's other side), write writes $mnt/pair
pair() {
	if [ $1 = read ]; then
		f=$mnt/big pre=cold
	else
		f=$mnt/pair pre=sync
	fi
	c=
	$pre
	if [ $(($2 % 2)) = 1 ]; then
		order=raw-first
		a=$(sample $1 vdb $raw) || exit 1
		$pre
		b=$(sample $1 vda $f) || exit 1
		if [ $1 = read ]; then
			$pre
			c=$(sample readmap vda $f $dev) || exit 1
		fi
	else
		order=fs-first
		if [ $1 = read ]; then
			c=$(sample readmap vda $f $dev) || exit 1
			$pre
		fi
		b=$(sample $1 vda $f) || exit 1
		$pre
		a=$(sample $1 vdb $raw) || exit 1
	fi
	echo "pair $1 $LAB_STACK $2 $order $a $b $c" | awk '{
		printf "%s %s %s %s %s %s %s %s %s", $1, $2, $3, $4, $5, $6, $8, $7, $9
		print (NF > 9 ? " " $10 " " $11 : "") }' >> $LAB_RESULTS/pairs.txt
	[ $1 = read ] || { rm $f; sync; }
}

pairs() {
	i=0
	while [ $i -lt "$PAIRS" ]; do
		pair read $1
		pair write $1
		i=$((i + 1))
	done
}

# the file is removed on a fresh mount, after its layout was read
step_stream() {
	cold_mount
	streaming $LAB_STACK $mnt/big
	pairs $1
	umount $mnt
	layout $LAB_STACK
	mount -t ocfs2 $dev $mnt
	rm $mnt/big
	umount $mnt
}

# both PASS STEP: the two stacks in turn, in the pass's order (every node
# counts the same barriers, so a count names them)
nb=0
both() {
	if [ $(($1 % 2)) = 1 ]; then first=0 second=1; else first=1 second=0; fi
	[ "$NODE" != $first ] || step_$2 $1
	nb=$((nb + 1))
	lab-barrier "$2-$nb"
	[ "$NODE" != $second ] || step_$2 $1
	nb=$((nb + 1))
	lab-barrier "$2-$nb"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L bench $dev
fi
if [ "$LAB_STACK" = ours ] && [ -n "$OURS_PARAMS" ]; then
	modprobe ocfs2
	for kv in $OURS_PARAMS; do
		echo "${kv#*=}" > /sys/module/ocfs2/parameters/${kv%%=*}
		echo "ours: ocfs2.$kv" >> $LAB_RESULTS/bench-io.txt
	done
fi
p=1
while [ $p -le "$PASSES" ]; do
	both $p create
	both $p stat
	k=1
	while [ $k -lt "$READDIRS" ]; do
		both $p readdir
		k=$((k + 1))
	done
	both $p unlink
	if [ "$NODE" = 0 ]; then
		cold
		streaming raw $raw
	fi
	# alone: in even passes ours streams first, and without this it
	# streamed while node0 timed the raw disk (session 10's runs)
	nb=$((nb + 1))
	lab-barrier "raw-$nb"
	both $p stream
	p=$((p + 1))
done
[ "$NODE" = 0 ] || exit 0
stock-fsck.ocfs2 -fn $dev > /tmp/fsck.out 2>&1 || { cat /tmp/fsck.out; exit 1; }
echo "stock fsck -fn clean after the benchmark"
cat $out
cat $LAB_RESULTS/bench-io.txt
