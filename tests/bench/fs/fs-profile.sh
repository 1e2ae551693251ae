#!/bin/sh
# Where a sequential write's time goes (lab scenario, --stack stock,ours,
# fs-bench added; not a benchmark: no ratio is judged here).  node0
# (stock) makes a local-mount volume on vda; then each node in turn, on
# the same volume: the raw second disk's write (node0), FILE_MB MiB
# written with the default mount options and with barrier=0 (the copy
# and the fsync timed apart, requests and flushes counted), then the
# function graph of the first WRITES write_begin/write_end pairs of a
# small write (depth 3) and of the writeback that follows, to see which
# steps cost a page its time.  Arguments [FILE_MB [WRITES]].
set -e
dev=/dev/vda
raw=/dev/vdb
mnt=/mnt/ocfs2
FILE_MB=${1:-128}
WRITES=${2:-64}
out=$LAB_RESULTS/profile.$LAB_STACK.txt
tr=/sys/kernel/tracing
mkdir -p $mnt
[ -d $tr/events ] || mount -t tracefs nodev $tr

cold() { sync; echo 3 > /proc/sys/vm/drop_caches; }

flushes() {
	awk -v d="$1" '$3 == d { print "r=" $4, "w=" $8, "ws=" $10, "fl=" $19 }' \
		/proc/diskstats
}

# timed LABEL DEV PATH: one FILE_MB write of PATH with its split
timed() {
	cold
	b=$(flushes "$2")
	r=$(fs-bench write "$3" "$FILE_MB" 2>&1 | tr '\n' ' ')
	echo "$1: $r; before $b after $(flushes "$2")" >> $out
}

# graph FUNCS...: function graph (depth 3) of FUNCS over a write of
# WRITES pages and its fsync; the per-call durations go to the results
graph() {
	echo 0 > $tr/tracing_on
	echo function_graph > $tr/current_tracer
	echo 3 > $tr/max_graph_depth
	echo > $tr/set_graph_function
	for f in "$@"; do
		echo "$f" >> $tr/set_graph_function 2> /dev/null || true
	done
	echo 16384 > $tr/buffer_size_kb
	echo > $tr/trace
	echo 1 > $tr/tracing_on
	dd if=/dev/zero of=$mnt/graph bs=4096 count="$WRITES" conv=fsync 2> /dev/null
	echo 0 > $tr/tracing_on
	cp $tr/trace $LAB_RESULTS/graph.$LAB_STACK.txt
	echo nop > $tr/current_tracer
	rm $mnt/graph
}

turn() {
	mount -t ocfs2 $dev $mnt
	timed "$LAB_STACK default" vda $mnt/big
	rm $mnt/big
	umount $mnt
	mount -t ocfs2 -o barrier=0 $dev $mnt
	timed "$LAB_STACK barrier=0" vda $mnt/big
	rm $mnt/big
	umount $mnt
	mount -t ocfs2 -o barrier=1 $dev $mnt
	timed "$LAB_STACK barrier=1" vda $mnt/big
	rm $mnt/big
	graph ocfs2_write_begin ocfs2_write_end ocfs2_writepages ocfs2_fsync \
		ocfs2_sync_file
	umount $mnt
	cat $out
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L prof $dev
	timed "raw" vdb $raw
	timed "raw" vdb $raw
	turn
fi
lab-barrier stock
[ "$NODE" != 1 ] || turn
lab-barrier ours
