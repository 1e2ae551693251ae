#!/bin/sh
# Cache flushes per fsync, ours against stock in one boot: every node
# formats its own disk (node N: the (N+1)th, /dev/vda for node0), mounts
# it with barrier=1 and runs COUNT rounds (argument, default 100) of each
# fs-fsync mode (append, over-fsync, over-fdata, direct, idle, idle-busy:
# an unchanged file fsynced after a chmod of another one, dir), counting
# the flush requests the disk completed (its stat's field 16).
# Each sync must be followed by at least one flush (the data is in the
# disk's volatile cache until then: a commit's flush or one of its own).
# Stock sends no flush of its own when the commit it waits for sends one;
# the ours node fails where it sends more than stock plus COUNT/10 (a
# periodic commit may fall into a mode), or in mode direct more than one
# commit's flushes per sync (2: the disk has no FUA; stock's fdatasync
# skips a commit of times only, ours only with ocfs2.datasync_tid on,
# and then mode direct is held to stock's count too; stock's fsync of a
# file whose changes are committed commits nothing, ours only with
# ocfs2.sync_tid on, and otherwise mode idle-busy may commit the other
# file's change, again at most one commit per sync).  Also, as stock:
# fsync on a read-only mount answers EROFS.  Stock fsck -fn clean at the
# end.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M --disk 512M \
#       --add tests/stress/fs-fsync --add tests/lab/scenarios/fs/lib.sh \
#       --timeout 600 tests/lab/scenarios/fs/35-fsync-flushes.sh 100
set -e
. /usr/local/bin/lib.sh
COUNT=${1:-100}
disk=vd$(echo abcdefgh | cut -c$((NODE + 1)))
dev=/dev/$disk
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS
out=$R/flushes.$LAB_STACK
# each ours node against the stock one (a cluster set may have two)
[ "$LAB_STACK" = stock ] || out=$out.$NODE
bail_mark "$R/35.failed"

# ours: the commit's flush serves fsync with ocfs2.fsync_commit_flush (on
# by default; absent in older modules = always)
fcf=/sys/module/ocfs2/parameters/fsync_commit_flush
dstid=
if [ "$LAB_STACK" = ours ]; then
	modprobe ocfs2
	if [ -w $fcf ]; then
		echo "ours: ocfs2.fsync_commit_flush was $(cat $fcf), set to 1"
		echo 1 > $fcf
	fi
	# ocfs2.datasync_tid (on by default; ours-param.sh may set it): with it
	# mode direct must match stock as every other mode does
	dstid=$(cat /sys/module/ocfs2/parameters/datasync_tid 2>/dev/null || true)
	echo "ours: ocfs2.datasync_tid = ${dstid:-absent}"
	# ocfs2.sync_tid (off by default): the same for fsync, mode idle-busy
	stid=$(cat /sys/module/ocfs2/parameters/sync_tid 2>/dev/null || true)
	echo "ours: ocfs2.sync_tid = ${stid:-absent}"
fi
echo y | stock-mkfs.ocfs2 -q -F -M local -b 4K -C 4K -L flush$NODE $dev
mount -t ocfs2 -o barrier=1 $dev $mnt
: > "$out.tmp"
for mode in append over-fsync over-fdata direct idle idle-busy dir; do
	res=$(fs-fsync $mode $mnt/$mode "$COUNT" $disk) ||
		fail "$LAB_STACK: fs-fsync $mode"
	echo "$LAB_STACK: $res"
	echo "$res" >> "$out.tmp"
done
umount $mnt
mount -t ocfs2 -o ro $dev $mnt
ro=$(fs-fsync ro $mnt/idle)
umount $mnt
echo "$LAB_STACK: $ro"
echo "read-only $ro" >> "$out.tmp"
stock-fsck.ocfs2 -fn $dev > $R/fsck.35.node$NODE 2>&1 &&
	! grep -q '? n$' $R/fsck.35.node$NODE || {
	cat $R/fsck.35.node$NODE
	fail "$LAB_STACK: stock fsck not clean"
}
echo "$LAB_STACK: stock fsck clean"
# every sync followed by a flush
while read -r mode n _ f _; do
	[ "$mode" = read-only ] && continue
	[ "$f" -ge "$n" ] || fail "$LAB_STACK $mode: $f flushes for $n syncs"
done < "$out.tmp"
mv "$out.tmp" "$out"

bar flushes-counted
[ "$LAB_STACK" = ours ] && [ -e $R/flushes.stock ] || exit 0
bad=
while read -r mode n _ f _; do
	[ "$mode" = read-only ] && continue
	s=$(awk -v m="$mode" '$1 == m { print $4 }' $R/flushes.stock)
	echo "$mode: $n syncs, flushes ours $f, stock $s"
	max=$((s + COUNT / 10))
	if [ "$mode" = direct ] && [ "$dstid" != Y ]; then
		# stock's fdatasync skips a commit holding only the file's new
		# times (its per-inode datasync tid); ours does so only with
		# ocfs2.datasync_tid on, and otherwise commits them: at most
		# one commit per sync (its record's flush, and with no FUA on
		# the disk the flush after it), no flush of its own
		max=$((2 * n + COUNT / 10))
		[ "$f" -le "$s" ] ||
			echo "  known gap: ours commits the time update stock's fdatasync leaves"
	fi
	if [ "$mode" = idle-busy ] && [ "$stid" != Y ]; then
		# as above: the other file's change committed by each fsync
		max=$((2 * n + COUNT / 10))
		[ "$f" -le "$s" ] ||
			echo "  known gap: ours commits the other file's change stock's fsync leaves"
	fi
	[ "$f" -le $max ] || bad="$bad $mode"
done < "$out"
sro=$(sed -n 's/^read-only //p' $R/flushes.stock)
echo "fsync on a read-only mount: ours '$ro', stock '$sro'"
[ "$ro" = "$sro" ] || fail "fsync on a read-only mount differs from stock"
[ -z "$bad" ] || fail "ours sends more flushes than stock:$bad"
echo "ours: no more flushes per sync than stock"
