#!/bin/sh
# The local alloc window, both ways with stock, and the volume running dry.
#  1. ours writes A (buffered, fsynced), node0 copies A to B while A is
#     mounted (a crash image: journal dirty, window in use); ours unmounts
#     A: the window is returned (debugfs: Total 0), stock fsck -fn clean.
#     Ours mounts the copy's twin A2: replays, returns its own window
#     (the kernel log names a window of more than 0 clusters); stock
#     mounts B: replays and recovers our window; both read the files as
#     written; stock fsck -fn clean on both.
#  2. stock writes C, node1 copies C to D while stock has it mounted;
#     ours mounts D: replays and recovers stock's window (logged), reads
#     the files; stock fsck -fn clean.
#  3. ours on E with localalloc=8: a small write takes an 8 MB window,
#     then fallocate (from the bitmap) fills the volume: when the bitmap
#     runs dry the window must be given back (logged) and used, so the
#     volume ends with (almost) nothing free; then everything is removed
#     and at once (no sync: the freed clusters wait in the truncate log)
#     a buffered fill must reach about as far (the low-space flush and
#     the ENOSPC retry); stock fsck -fn clean.
#  4. localalloc=0 takes no window, localalloc=-3 is refused, a size past
#     what the block can map is capped; stock fsck -fn clean.
#  Arguments: A A2 B C D E (default vda vdb vdc vdd vde vdf), A, A2 and B
#  of one size, C and D of one size.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 200M --disk 200M \
#       --disk 200M --disk 200M --disk 200M --disk 96M \
#       --add tests/lab/scenarios/fs/lib.sh --timeout 600 \
#       tests/lab/scenarios/fs/22-local-alloc.sh
set -e
. /usr/local/bin/lib.sh
R=$LAB_RESULTS
modprobe ocfs2 2>/dev/null || true
p=/sys/module/ocfs2/parameters/local_alloc
if [ -w $p ]; then echo 1 > $p; fi
[ -n "$*" ] || set -- vda vdb vdc vdd vde vdf
A=/dev/$1 A2=/dev/$2 B=/dev/$3 C=/dev/$4 D=/dev/$5 E=/dev/$6

# write DIR TAG: files of several sizes, fsynced; hashes in $R/la.TAG
write_files() {
	mkdir -p "$1/w"
	for n in 1 2 3 4 5 6; do
		dd if=/dev/urandom of="$1/w/big$n" bs=1M count=$((n * 3)) \
			conv=fsync 2>/dev/null
	done
	i=0
	while [ $i -lt 200 ]; do
		head -c $((i * 97 + 1)) /dev/urandom > "$1/w/s$i"
		i=$((i + 1))
	done
	sync
	(cd "$1/w" && sha256sum big* s*) > "$R/la.$2"
}

# same DIR TAG WHO
same() {
	(cd "$1/w" && sha256sum -c "$R/la.$2" > /dev/null) ||
		fail "$3: files of $2 differ after replay"
	echo "$3: $2's files read back as written"
}

# la_stat DEV: the local alloc's "Total/Used" line
la_stat() {
	stock-debugfs.ocfs2 -R "stat //local_alloc:0000" "$1" 2>/dev/null |
		grep -iE "total:|bitmap offset" | tr -s ' \t' ' ' | tr '\n' ' '
}

# la_total DEV: the window's length in clusters as stock's debugfs shows
# it ("" when its output has no "Total: N")
la_total() {
	la_stat "$1" | grep -oiE "total: [0-9]+" | head -1 | grep -oE "[0-9]+" ||
		true
}

# copy SRC DST: the disk as it is now, read past any cache
copy() {
	dd if="$1" of="$2" bs=1M iflag=direct oflag=direct 2>/dev/null
}

# returned_window: the last window returned since the last mark_log
mark_log() {
	mark=$(dmesg | wc -l)
}
returned_window() {
	dmesg | tail -n +$((mark + 1)) | grep "local_alloc:0000: returned" |
		tail -1
}

if [ "$NODE" = 1 ]; then
	stock-mkfs.ocfs2 -q -F -M local -b 4K -C 4K -J size=16M -L la-a $A \
		< /dev/null
	mkdir -p /mnt/a
	mount -t ocfs2 $A /mnt/a
	write_files /mnt/a A
	sleep 3
	echo "ours: A written; window on disk now: $(la_stat $A)"
	lab-barrier a-written
	lab-barrier a-copied
	umount /mnt/a
	t=$(la_total $A)
	[ "${t:-0}" = 0 ] ||
		fail "ours: window of A not returned at umount: $(la_stat $A)"
	echo "ours: window of A after umount: $(la_stat $A)"
	fsck_clean "after our umount of A" $A
	echo "ours: A unmounted, window empty, fsck clean"
	mark_log
	mount -t ocfs2 $A2 /mnt/a
	w=$(returned_window)
	echo "ours on A2 (crash image): $w"
	echo "$w" | grep -Eq "of its [1-9][0-9]*-cluster window" ||
		fail "ours: no window of ours recovered from the crash image"
	same /mnt/a A "ours on A2"
	umount /mnt/a
	fsck_clean "after our replay of A2" $A2
	lab-barrier a-checked

	# 2: stock's window
	lab-barrier c-written
	copy $C $D
	lab-barrier c-copied
	mark_log
	mount -t ocfs2 $D /mnt/a
	w=$(returned_window)
	echo "ours on D (stock's crash image): $w"
	echo "$w" | grep -Eq "of its [1-9][0-9]*-cluster window" ||
		fail "ours: stock's window not recovered"
	same /mnt/a C "ours on D"
	umount /mnt/a
	fsck_clean "after our replay of stock's D" $D
	echo "ours: stock's window recovered, D fsck clean"

	# 3: the volume running dry
	stock-mkfs.ocfs2 -q -F -M local -b 4K -C 4K -J size=8M -L la-e $E \
		< /dev/null
	mount -t ocfs2 -o localalloc=8 $E /mnt/a
	grep " /mnt/a " /proc/mounts
	mark_log
	head -c 65536 /dev/urandom > /mnt/a/small
	sync
	avail=$(df -k /mnt/a | awk 'NR==2 {print $4}')
	echo "ours: E has $avail KiB free with the window taken"
	# one file grown in steps (no new inodes): 1M, then 64K, then 4K
	off=0
	for step in 1048576 65536 4096; do
		while fallocate -o $off -l $step /mnt/a/f 2>/dev/null; do
			off=$((off + step))
		done
	done
	got=$(($(stat -c %b /mnt/a/f) / 2))
	left=$(df -k /mnt/a | awk 'NR==2 {print $4}')
	echo "ours: fallocated $got KiB, $left KiB left"
	dmesg | tail -n +$((mark + 1)) | grep "local_alloc:0000" || true
	returned_window | grep -q returned ||
		fail "ours: the window was not given back when the bitmap ran dry"
	[ $got -ge $((avail - 2048)) ] ||
		fail "ours: only $got of $avail KiB allocated (the window kept the rest)"
	rm -f /mnt/a/f
	dd if=/dev/zero of=/mnt/a/fill bs=64K 2>/dev/null || true
	sync
	again=$(($(stat -c %s /mnt/a/fill) / 1024))
	echo "ours: the fill after the removal wrote $again KiB"
	[ $again -ge $((got - 1024)) ] ||
		fail "ours: the fill reached $again KiB of $got (freed clusters not flushed for it)"
	rm -f /mnt/a/fill
	umount /mnt/a
	fsck_clean "after E ran dry" $E
	echo "ours: E fsck clean"

	# 4: localalloc=0 (no window), a bad value, one past the maximum
	mark_log
	mount -t ocfs2 -o localalloc=0 $E /mnt/a
	head -c 4194304 /dev/urandom > /mnt/a/nowin
	sync
	t=$(la_total $E)
	[ "${t:-0}" = 0 ] ||
		fail "ours: localalloc=0 still took a window: $(la_stat $E)"
	umount /mnt/a
	[ -z "$(returned_window)" ] ||
		fail "ours: localalloc=0 returned a window: $(returned_window)"
	if mount -t ocfs2 -o localalloc=-3 $E /mnt/a 2>"$R/la.err"; then
		umount /mnt/a
		fail "ours: localalloc=-3 accepted"
	fi
	echo "ours: localalloc=-3 refused: $(cat "$R/la.err")"
	mount -t ocfs2 -o localalloc=100000 $E /mnt/a
	head -c 4194304 /dev/urandom > /mnt/a/bigwin
	sync
	umount /mnt/a
	returned_window | grep -q "cluster window" ||
		fail "ours: localalloc=100000 (past the maximum) took no window"
	echo "ours: localalloc=100000: $(returned_window)"
	fsck_clean "after the localalloc= mounts" $E
	klog_check node1-la
	klog_verdict node1-la
fi

if [ "$NODE" = 0 ]; then
	lab-barrier a-written
	copy $A $B
	copy $A $A2
	lab-barrier a-copied
	lab-barrier a-checked
	mkdir -p /mnt/b
	mount -t ocfs2 $B /mnt/b
	same /mnt/b A "stock on B"
	umount /mnt/b
	fsck_clean "after stock replayed our B" $B
	echo "stock: our window recovered, B fsck clean"

	stock-mkfs.ocfs2 -q -F -M local -b 4K -C 4K -J size=16M -L la-c $C \
		< /dev/null
	mount -t ocfs2 $C /mnt/b
	write_files /mnt/b C
	sleep 3
	echo "stock: C written; window on disk: $(la_stat $C)"
	lab-barrier c-written
	lab-barrier c-copied
	umount /mnt/b
fi
