#!/bin/sh
# Freed metadata clusters reused for data, then a crash before any
# checkpoint: journal replay must not write the old metadata over the
# new, fsynced data.
#  node1 (ours) makes two local volumes (A and B) and on each: journals
#    metadata that lives in clusters of the global bitmap (a big
#    directory's blocks and index leaves, long symlink targets,
#    out-of-line xattr values), frees all of it (rm), then fills the
#    volume with fsynced data (dd until ENOSPC), so every freed cluster
#    is reused; node0 then kills it (lab-ctl restart) with the journal
#    still holding the old metadata (nothing forced a checkpoint).
#  node0 (stock) replays A: the fill file must read back as written;
#    stock fsck -fn clean.
#  node1 again (ours, generation 1) replays B: the same checks; then
#    stock reads B's fill file too.
#  A module that returns freed clusters to the bitmap at once (no
#  truncate log flushed after a journal checkpoint) lets replay overwrite
#  the fill file where the directory blocks and symlink targets were.
#  Arguments: the two disks (default vda vdb), so that a set can run it
#  on small extra disks; it kills node1, so in a set only scenarios that
#  do not care about LAB_GEN may follow (fs/07 may).
#   tests/lab/run --nodes 2 --stack stock,ours --disk 160M --disk 160M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/setfattr \
#       --timeout 360 tests/lab/scenarios/fs/18-free-reuse-crash.sh
set -e
. /usr/local/bin/lib.sh
R=$LAB_RESULTS
if [ -n "$*" ]; then
	set -- $*
	A=/dev/$1 B=/dev/$2
else
	A=/dev/vda B=/dev/vdb
fi

# metadata D: clusters of journaled metadata under D
metadata() {
	mkdir "$1/big" "$1/links" "$1/attrs"
	long=$(repeat n 180)
	i=0
	while [ $i -lt 300 ]; do
		: > "$1/big/$long$i"
		i=$((i + 1))
	done
	target=$(repeat t 2000)
	i=0
	while [ $i -lt 40 ]; do
		ln -s "$target$i" "$1/links/l$i"
		i=$((i + 1))
	done
	value=$(repeat v 3000)
	i=0
	while [ $i -lt 30 ]; do
		: > "$1/attrs/f$i"
		setfattr -n user.big -v "$value$i" "$1/attrs/f$i"
		i=$((i + 1))
	done
}

# fill D: one file of random data up to ENOSPC, fsynced; its hash in $R
fill() {
	dd if=/dev/urandom of="$1/fill" bs=1M 2>/dev/null || true
	sync "$1/fill"
	sync
	sha256sum < "$1/fill" | cut -c1-64 > "$R/fill.$2"
	echo "ours: $2 filled with $(stat -c %s "$1/fill") bytes, fsynced"
}

# check D NAME WHO: the fill file reads back as written after replay;
# a difference is noted in $R/fs18.bad (the end of each part fails on
# it), so the other volume's replay is still checked
check() {
	if [ "$(sha256sum < "$1/fill" | cut -c1-64)" != "$(cat "$R/fill.$2")" ]; then
		echo "$3: the fsynced fill file of $2 changed after replay (old metadata written over reused clusters)" |
			tee -a "$R/fs18.bad"
	else
		echo "$3: $2's fsynced fill file intact after replay"
	fi
	[ -e "$1/keep" ] || fail "$3: keep/ of $2 lost"
}

# tl_records DEV: "Total Records: N   Used: M" of slot 0's truncate log
tl_records() {
	stock-debugfs.ocfs2 -R "stat //truncate_log:0000" "$1" 2>/dev/null |
		grep -i "total records" | tr -s ' \t' ' '
}

if [ "$NODE" = 1 ] && [ "${LAB_GEN:-0}" -gt 0 ]; then
	mkdir -p /mnt/b
	mount -t ocfs2 $B /mnt/b
	dmesg | grep -q "journal:0000 replayed" ||
		fail "ours: no replay message for B"
	check /mnt/b B ours
	umount /mnt/b
	tl_records $B | grep -Eqi "used: 0( |$)" ||
		fail "ours: truncate_log:0000 of B not empty after umount: $(tl_records $B)"
	fsck_clean "after our replay of B" $B
	echo "ours: B fsck clean"
	lab-barrier replayed
	lab-barrier checked
	[ ! -e "$R/fs18.bad" ] || fail "$(cat "$R/fs18.bad")"
	exit 0
fi

if [ "$NODE" = 1 ]; then
	for v in a b; do
		d=$A
		[ $v = a ] || d=$B
		# stock mkfs asks before overwriting a volume even with -F (an
		# earlier scenario of a set may have left one on this disk)
		echo y | stock-mkfs.ocfs2 -q -F -M local -b 4K -C 4K \
			-J size=24M -L reuse$v $d
		mkdir -p /mnt/$v
		mount -t ocfs2 $d /mnt/$v
		mkdir /mnt/$v/keep
		metadata /mnt/$v
	done
	sync
	echo "ours: metadata made and committed on A and B"
	for v in a b; do
		rm -rf /mnt/$v/big /mnt/$v/links /mnt/$v/attrs
	done
	# A: syncfs (stock flushes the truncate log there); B: only jbd2's
	# commit timer (5 s) commits the frees
	sync -f /mnt/a
	sleep 6
	echo "ours: freed it all"
	fill /mnt/a A
	fill /mnt/b B
	df /mnt/a /mnt/b
	klog_check node1-before-kill
	klog_verdict node1-before-kill
	lab-barrier written
	sleep 600
fi

if [ "$NODE" = 0 ]; then
	lab-barrier written
	lab-ctl restart 1
	echo "journal:0000 of A holds $(stock-debugfs.ocfs2 -R 'logdump 0' $A 2>/dev/null | grep -c Block) logged blocks"
	echo "truncate_log:0000 of A before replay: $(tl_records $A)"
	mkdir -p /mnt/a
	mount -t ocfs2 $A /mnt/a
	check /mnt/a A stock
	umount /mnt/a
	fsck_clean "after stock replayed A" $A
	echo "stock: A fsck clean"
	lab-barrier replayed
	mount -t ocfs2 $B /mnt/a
	check /mnt/a B "stock after ours"
	umount /mnt/a
	lab-barrier checked
	[ ! -e "$R/fs18.bad" ] || fail "$(cat "$R/fs18.bad")"
fi
