#!/bin/sh
# What one create costs each module (lab scenario, --stack stock,ours,
# fs-bench added; not a benchmark: nothing is judged, the figures explain
# the bench's create ratio).  node0 (stock) makes a local-mount volume on
# vda with stock mkfs; then each node in turn, on the same volume, with a
# fresh mount: PRE files created untraced in a new directory (so it is an
# indexed one, as in the bench), then three traced batches of creates in
# it, each followed by syncfs as the bench's create is:
#   1. the time of each openat, close and the syncfs (function graph,
#      depth 1), to results/create-times.STACK.txt;
#   2. every call to the module, jbd2 and the buffer cache (function
#      tracer), counted per function and per create, to
#      results/create-calls.STACK.txt: journal handles and buffers
#      journaled, block reads and lookups, lock calls;
#   3. the function graph (depth 4) of the module's create and lookup, to
#      results/create-graph.STACK.txt.
# Arguments [PRE [N]] (default 1000 and 50 creates per batch; batch 3
# takes 5).  Tracing slows everything: compare counts and shares, not
# rates.
set -e
dev=/dev/vda
mnt=/mnt/ocfs2
tr=/sys/kernel/tracing
PRE=${1:-1000}
N=${2:-50}
res=$LAB_RESULTS
mkdir -p $mnt
[ -d $tr/events ] || mount -t tracefs nodev $tr

# filter FILE PATTERN...: the patterns this kernel knows, one by one (a
# pattern matching nothing is refused, the others still count)
filter() {
	f=$1
	shift
	echo > $tr/$f
	for p in "$@"; do
		echo "$p" >> $tr/$f 2> /dev/null || true
	done
}

# traced TRACER FIRST COUNT: create COUNT files from fFIRST under TRACER,
# the trace left in /tmp/trace
traced() {
	echo 0 > $tr/tracing_on
	echo "$1" > $tr/current_tracer
	echo 32768 > $tr/buffer_size_kb
	echo > $tr/trace
	echo 1 > $tr/tracing_on
	fs-bench create $mnt/p "$3" "$2" > /tmp/create.out
	echo 0 > $tr/tracing_on
	cp $tr/trace /tmp/trace
	echo "lost events: $(awk '/overrun/ { s += $2 } END { print s + 0 }' \
		$tr/per_cpu/cpu*/stats)" >> /tmp/trace
	echo nop > $tr/current_tracer
}

phase_times() {
	out=$res/create-times.$LAB_STACK.txt
	echo 1 > $tr/max_graph_depth
	filter set_ftrace_filter
	filter set_graph_function __x64_sys_openat __x64_sys_close \
		__x64_sys_syncfs
	traced function_graph "$PRE" "$N"
	echo "$LAB_STACK: $N creates ($(cat /tmp/create.out)), per call (us):" > $out
	# function graph lines: "cpu) [mark] duration us | func();"
	awk -F'|' '/\(\);/ && match($1, /[0-9]+\.[0-9]+ us/) {
			d = substr($1, RSTART, RLENGTH - 3)
			f = $2; gsub(/[ ();]/, "", f)
			n[f]++; t[f] += d
		}
		END { for (f in n) printf "  %-20s calls %5d  total %10.0f  mean %8.1f\n", f, n[f], t[f], t[f] / n[f] }' \
		/tmp/trace >> $out
	grep 'lost events' /tmp/trace >> $out
}

phase_calls() {
	out=$res/create-calls.$LAB_STACK.txt
	filter set_graph_function
	filter set_ftrace_filter '*:mod:ocfs2' 'jbd2_*' '__bread_gfp' \
		'__getblk_gfp' 'bdev_getblk' '__find_get_block' 'submit_bh' \
		'mark_buffer_dirty' 'sync_dirty_buffer' 'write_dirty_buffer' \
		'__brelse' '__wait_on_buffer'
	# an empty filter would trace every function of the kernel
	if grep -q 'all functions' $tr/set_ftrace_filter; then
		echo "$LAB_STACK: no function of the filter exists" > $out
		return
	fi
	traced function $((PRE + N)) "$N"
	filter set_ftrace_filter
	echo "$LAB_STACK: calls per create over $N creates and their syncfs ($(cat /tmp/create.out))" > $out
	# function lines: "task-pid [cpu] flags stamp: func <-caller"
	awk -v n="$N" '/<-/ {
			f = $0; sub(/^.*: /, "", f); sub(/ <-.*$/, "", f)
			c[f]++; all++
		}
		END {
			printf "  %-40s %8.2f\n", "ALL_traced_calls", all / n
			for (f in c) printf "  %-40s %8.2f\n", f, c[f] / n
		}' /tmp/trace | sort -k2,2nr >> $out
	grep 'lost events' /tmp/trace >> $out
}

phase_graph() {
	echo 4 > $tr/max_graph_depth
	filter set_graph_function ocfs2_lookup ocfs2_create ocfs2_mknod \
		ocfs2_file_open ocfs2_file_release ocfs2_dentry_revalidate
	traced function_graph $((PRE + 2 * N)) 5
	filter set_graph_function
	cp /tmp/trace $res/create-graph.$LAB_STACK.txt
}

turn() {
	mount -t ocfs2 $dev $mnt
	mkdir $mnt/p
	fs-bench create $mnt/p "$PRE" > /dev/null
	umount $mnt
	sync
	echo 3 > /proc/sys/vm/drop_caches
	mount -t ocfs2 $dev $mnt
	phase_times
	phase_calls
	phase_graph
	rm -rf $mnt/p
	umount $mnt
	cat $res/create-times.$LAB_STACK.txt
	head -40 $res/create-calls.$LAB_STACK.txt
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L prof $dev
	turn
fi
lab-barrier stock
[ "$NODE" != 1 ] || turn
lab-barrier ours
