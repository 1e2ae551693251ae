#!/bin/sh
# Journal replay after a crash, both ways, on one local-mount volume.
#  node0 (stock) writes and fsyncs files, leaves an open-unlinked file,
#    and is killed (lab-ctl kill) while still writing;
#  node1 (ours) mounts: replays journal:0000, recovers the orphan, every
#    fsynced file has its content, stock fsck -fn is clean; then it makes
#    names (mkdir, create, symlink, link, unlink, renames of files and
#    directories within and across directories, over files and empty
#    directories), remounts ro and rw, churns names with three writers,
#    syncs, and is killed while still making names;
#  node2 (stock) mounts: replays what ours journaled, sees exactly the
#    synced tree, and stock fsck -fn is clean.
#  The kills are lab-ctl restart: the killed node boots again (LAB_GEN 1),
#  passes the barrier it still owes and ends, so the lab judges its kernel
#  logs, and in a set (set.sh) it goes on with the next scenario.
#   tests/lab/run --nodes 3 --stack stock,ours,stock --disk 1G \
#       --add tests/lab/scenarios/fs/lib.sh tests/lab/scenarios/fs/05-crash-replay.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS

# durable DIR N: N files of varied sizes, each written with fsync
durable() {
	mkdir -p "$1"
	i=0
	while [ $i -lt "$2" ]; do
		head -c $((i * 997 + 1)) /dev/urandom > "$1/f$i.tmp"
		dd if="$1/f$i.tmp" of="$1/f$i" conv=fsync 2>/dev/null
		rm "$1/f$i.tmp"
		i=$((i + 1))
	done
}

# noise DIR: writes nothing waits for, until the node dies
noise() {
	mkdir -p "$1"
	i=0
	while :; do
		head -c 20000 /dev/urandom > "$1/n$((i % 50))"
		i=$((i + 1))
	done
}

# journal_records: how many blocks the log of slot 0 holds
journal_records() {
	stock-debugfs.ocfs2 -R "logdump 0" $dev 2>/dev/null | grep -c 'Block' || true
}

replayed_in_dmesg() {
	dmesg | grep -q "journal:0000 replayed" || fail "no replay message from our module"
}

# slot_allocs: slot 0's local alloc window and truncate log, as stock sees them
slot_allocs() {
	stock-debugfs.ocfs2 -R "stat //local_alloc:0000" $dev 2>/dev/null |
		grep -i "bitmap total\|local bitmap offset" | tr -s ' \t' ' '
	stock-debugfs.ocfs2 -R "stat //truncate_log:0000" $dev 2>/dev/null |
		grep -i "total records" | tr -s ' \t' ' '
}

# allocs_empty: the window and the truncate log were given back
allocs_empty() {
	slot_allocs > $R/allocs.after
	grep -qi "bitmap total: 0 used: 0" $R/allocs.after &&
	grep -qi "local bitmap offset: 0 " $R/allocs.after ||
		fail "local_alloc:0000 still holds a window: $(cat $R/allocs.after)"
	grep -qi "total records: [0-9]* used: 0" $R/allocs.after ||
		fail "truncate_log:0000 still holds records: $(cat $R/allocs.after)"
}

links() {
	stat -c %h "$1"
}

expect_links() {
	[ "$(links "$1")" = "$2" ] || fail "$1 has $(links "$1") links, expected $2"
}

# renames D: rename cases, checked by name, content and link counts
renames() {
	d=$1
	mv $d/c/other $d/c/other2
	mv $d/c/other2 $d/a/moved
	[ -e $d/a/moved ] && [ ! -e $d/c/other2 ] || fail "rename across directories"
	: > $d/victim
	ln $d/victim $d/victim_link
	mv $d/a/moved $d/victim
	expect_links $d/victim_link 1
	: > $d/lonely
	mv $d/victim_link $d/lonely
	[ ! -e $d/victim_link ] || fail "old name stayed"
	expect_links $d/a 3
	mv $d/a/b $d/c/b_moved
	expect_links $d/a 2
	expect_links $d/c 3
	[ -e $d/c/b_moved/leaf ] || fail "moved directory content"
	[ "$(stat -c %i $d/c/b_moved/..)" = "$(stat -c %i $d/c)" ] || fail ".. of moved dir"
	mkdir $d/empty_target $d/full_target $d/full_target/x
	if mv -T $d/c $d/full_target 2>/dev/null; then fail "rename over a non-empty directory"; fi
	mv -T $d/c/b_moved $d/empty_target
	[ -e $d/empty_target/leaf ] && [ ! -e $d/c/b_moved ] || fail "directory over empty directory"
	expect_links $d/c 2
	mv -T $d/empty_target $d/a/back_home
	expect_links $d/a 3
	echo "ours: rename cases passed"
}

# churn D SECONDS: three writers of random names (namespace operations)
churn() {
	mkdir -p $1
	end=$(( $(date +%s) + $2 ))
	for w in 1 2 3; do
		(
			i=$w
			while [ "$(date +%s)" -lt $end ]; do
				n=$((i * 7 % 31)) m=$((i * 13 % 29))
				case $((i % 6)) in
				0) touch $1/f$n ;;
				1) mkdir $1/d$m ;;
				2) mv $1/f$n $1/d$m/ ;;
				3) rm -f $1/f$m $1/d$n/f$m ;;
				4) ln $1/f$n $1/l$m ;;
				5) rmdir $1/d$n ;;
				esac 2>/dev/null || true
				i=$((i + 3))
			done
		) &
	done
	wait
	echo "ours: churned $1 for $2 s"
}

if [ "${LAB_GEN:-0}" -gt 0 ]; then
	[ "$NODE" != 0 ] || lab-barrier ours_written
	echo "node$NODE: restarted after its kill; its part is done"
	exit 0
fi

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L crash $dev
	mount -t ocfs2 $dev $mnt
	durable $mnt/before 20
	sync
	durable $mnt/d 30
	mkdir $mnt/d/sub
	echo "still open" > $mnt/d/sub/open_unlinked
	sync $mnt/d/sub/open_unlinked
	exec 3< $mnt/d/sub/open_unlinked
	rm $mnt/d/sub/open_unlinked
	sync $mnt/d/sub
	sync $mnt/d/f0
	manifest $mnt/before > $R/expect.before
	manifest $mnt/d > $R/expect.d
	echo "stock: wrote and fsynced 50 files; killing myself while writing"
	noise $mnt/noise &
	sleep 1
	lab-barrier stock_written
	sleep 600
fi

if [ "$NODE" = 1 ]; then
	lab-barrier stock_written
	lab-ctl restart 0
	echo "journal:0000 holds $(journal_records) logged blocks before mount"
	echo "slot 0 allocators left by stock: $(slot_allocs | tr '\n' ';')"
	mount -t ocfs2 $dev $mnt
	replayed_in_dmesg
	dmesg | grep "local_alloc:0000\|truncate_log:0000" || true
	manifest $mnt/before | diff $R/expect.before - || fail "before/ differs"
	manifest $mnt/d | diff $R/expect.d - || fail "d/ differs after replay"
	[ ! -e $mnt/d/sub/open_unlinked ] || fail "open-unlinked file came back"
	echo "ours: stock's 50 fsynced files intact after replay"
	umount $mnt
	allocs_empty
	echo "ours: slot 0's window and truncate log given back: $(tr '\n' ';' < $R/allocs.after)"
	stock-fsck.ocfs2 -fn $dev || fail "stock fsck after our replay"
	mount -t ocfs2 $dev $mnt
	cd $mnt
	mkdir -p ours/a/b ours/c
	: > ours/empty
	touch ours/a/b/leaf ours/c/other
	ln -s ../before/f1 ours/c/sym
	ln ours/empty ours/a/hard
	mkdir ours/gone
	rmdir ours/gone
	: > ours/tmp
	rm ours/tmp
	renames ours
	mount -o remount,ro $mnt
	if touch ours/ro_probe 2>/dev/null; then fail "created a file after remount,ro"; fi
	mount -o remount,rw $mnt
	touch ours/after_remount
	echo "ours: remount ro and back to rw"
	churn ours/churn 20
	cd /
	sync
	manifest $mnt/ours > $R/expect.ours
	echo "ours: synced $(wc -l < $R/expect.ours) paths; killing myself while making names"
	mkdir $mnt/noise_ours
	(
		i=0
		while :; do
			mkdir $mnt/noise_ours/d$((i % 50)) 2>/dev/null || true
			touch $mnt/noise_ours/n_$((i % 100)) 2>/dev/null || true
			mv $mnt/noise_ours/n_$((i % 100)) $mnt/noise_ours/d$((i % 50))/ 2>/dev/null || true
			i=$((i + 1))
		done
	) &
	sleep 1
	lab-barrier ours_written
	sleep 600
fi

if [ "$NODE" = 2 ]; then
	lab-barrier stock_written
	lab-barrier ours_written
	lab-ctl restart 1
	mount -t ocfs2 $dev $mnt
	dmesg | grep -i "ocfs2.*\(recover\|replay\)" || true
	manifest $mnt/ours | diff $R/expect.ours - || fail "ours/ differs after stock replay"
	manifest $mnt/before | diff $R/expect.before - || fail "before/ differs"
	umount $mnt
	stock-fsck.ocfs2 -fn $dev || fail "stock fsck after stock replayed ours"
	echo "stock: replayed our journal, tree intact, fsck clean"
fi
