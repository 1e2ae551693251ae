#!/bin/sh
# Node-death recovery while mounted: every live node mounts a pcmk
# volume; node 0 keeps creating small files in its own directory
# throughout.  Nodes 1..V are killed in turn (lab-ctl kill), each at its
# own kill point, named by the V arguments in order (default: data rename
# trunc); live nodes past V stay mounted as survivors and unmount before
# node 0's last checks (so a set can run it after cluster/08 and before
# scenarios that kill the survivors; nodes a set killed before it must
# be past V):
#   data    writing file data
#   rename  a rename and unlink storm (create, mkdir, mv, rm -r)
#   trunc   truncating and appending, an unlinked file held open
#   dirs    filling one directory (indexed, growing) and removing trees
#   links   hard links and symlinks made and removed, chmod/chown/touch
#   falloc  fallocate (unwritten extents), O_DIRECT writes into them,
#           truncates
# Before its kill point each victim writes and fsyncs a set of files.
# After each kill the survivors' node-down callbacks queue recovery; one
# of them replays the dead slot's journal and frees the slot (stock
# debugfs must show it); node 0's writer went on; the victim's fsynced
# files read back intact on node 0; every survivor logged the node-down.
# After the last kill node 0 unmounts: each dead slot's local alloc,
# truncate log and orphan dir are empty (the trunc point's open unlinked
# file is reclaimed) and stock fsck -fn is clean.  When a kill leaves the
# survivors without quorum, node 0 sets corosync's expected votes to
# theirs (as an admin shrinking a cluster would).
# Stock nodes may mount too, as victims or survivors (node 0, which
# checks, must be ours).
# Run: tests/lab/run --cluster user --stack ours --nodes 4 --disk 1G
#      --timeout 420 THIS [POINT...]   (tests/lab/scenarios/set.sh:
#      THIS=dirs,links,falloc)
set -e
lab-cluster-mounts
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -40; exit 1; }
# the kernel's lines since this scenario began (a marker line): in a set,
# cluster/08 before it logged node-downs and replays of the same slots
mark="lab-cluster-04-begins-$$"
echo "$mark" > /dev/kmsg
kmsg() { dmesg | sed -n "/$mark/,\$p"; }
sdebugfs() { stock-debugfs.ocfs2 -R "$1" $dev 2>&1; }
# slot_allocs SLOT: the slot's local alloc window and truncate log on disk
slot_allocs() {
	sdebugfs "stat //local_alloc:000$1" | grep -o "Bitmap Total: [0-9]*"
	sdebugfs "stat //truncate_log:000$1" | grep -oE "(Total Records|Used): [0-9]*"
}
slot_allocs_empty() {
	sdebugfs "stat //local_alloc:000$1" | grep -q "Bitmap Total: 0 " &&
		sdebugfs "stat //truncate_log:000$1" | grep -q "Used: 0"
}

# sums DIR: one line per entry under DIR, with content hashes
sums() {
	(cd "$1" && find . | sort | while read -r f; do
		if [ -f "$f" ]; then echo "$f $(md5sum < "$f")"
		else echo "$f"; fi
	done)
}

# durable DIR: files of varied sizes, each fsynced, a directory, a rename
durable() {
	mkdir -p "$1/sub"
	i=0
	while [ $i -lt 12 ]; do
		head -c $((i * 13001 + 5)) /dev/urandom > /tmp/f
		dd if=/tmp/f of="$1/f$i" conv=fsync 2>/dev/null
		i=$((i + 1))
	done
	mv "$1/f0" "$1/sub/moved"
	echo inner > "$1/sub/inner"
	sync
}

# the work a victim is killed in the middle of
churn() {
	d=$M/churn$NODE
	mkdir -p $d
	i=0
	case $1 in
	data) while :; do
		dd if=/dev/urandom of=$d/data$((i % 8)) bs=64k count=8 2>/dev/null
		# committed, never checkpointed (nothing evicted, nobody asks
		# for these locks): the dead journal's log holds transactions
		[ $((i % 4)) != 3 ] || sync
		i=$((i + 1))
	   done ;;
	rename) while :; do
		echo $i > $d/a$i
		mkdir $d/dir$i
		mv $d/a$i $d/dir$i/b
		[ $i -lt 3 ] || rm -r $d/dir$((i - 3))
		i=$((i + 1))
	   done ;;
	trunc) echo held > $d/held
	   sleep 100000 < $d/held &
	   rm $d/held
	   while :; do
		head -c 200000 /dev/urandom >> $d/grow
		truncate -s $((i % 5 * 30000)) $d/grow
		i=$((i + 1))
	   done ;;
	dirs) mkdir $d/big
	   while :; do
		touch $d/big/entry-with-a-long-name-$((i % 150))
		[ $((i % 150)) != 149 ] || rm $d/big/*
		mkdir -p $d/t$((i % 4))/a/b/c$i
		[ $((i % 50)) != 49 ] || rm -r $d/t$(((i + 1) % 4))
		i=$((i + 1))
	   done ;;
	links) echo base > $d/base
	   while :; do
		ln $d/base $d/h$((i % 30)) 2>/dev/null || rm -f $d/h$((i % 30))
		ln -sf base $d/s$i
		[ $i -lt 10 ] || rm $d/s$((i - 10))
		chmod 6$((i % 8))$((i % 5)) $d/base
		chown $((i % 5)):$((i % 3)) $d/base
		touch -d @$((1700000000 + i)) $d/base
		i=$((i + 1))
	   done ;;
	falloc) while :; do
		f=$d/fa$((i % 4))
		fallocate -o $((i % 8 * 65536)) -l 1048576 $f
		dd if=/dev/urandom of=$f bs=4k count=4 seek=$((i % 8 * 16)) \
			oflag=direct conv=notrunc 2>/dev/null ||
			dd if=/dev/urandom of=$f bs=4k count=4 \
				seek=$((i % 8 * 16)) conv=notrunc 2>/dev/null
		truncate -s $((i % 3 * 200000)) $f
		i=$((i + 1))
	   done ;;
	*) fail "unknown kill point $1" ;;
	esac
}

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$NODES" -ge 2 ] || fail "needs 2 or more nodes"
# no arguments reach a lab scenario as one empty one
[ -n "$*" ] || set -- data rename trunc
V=$#
[ "$V" -lt "$NODES" ] || fail "$V kill points for $((NODES - 1)) other nodes"
if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -N $((NODES > 4 ? 8 : 4)) --cluster-stack=pcmk --cluster-name=lab $dev
fi
lab-barrier on-formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
lab-barrier on-mounted
# corosync's members now (a set may have killed nodes before)
[ "$NODE" != 0 ] ||
	alive=$(corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ ')

if [ "$NODE" = 0 ]; then
	mkdir $M/n0
	# a failed create is recorded (and fails the run at the end) but the
	# writer goes on, so every kill point is still tried
	# 200 names a directory: an indexed directory's inline index holds
	# ~240 and splitting it is not done yet (ENOSPC)
	( set +e; i=0; while :; do
		[ $((i % 200)) != 0 ] || mkdir $M/n0/d$((i / 200))
		echo "$i" > $M/n0/d$((i / 200))/s$i 2>> $R/on.writer.err ||
			echo "create s$i failed at $(date +%s)" >> $R/on.writer.err
		i=$((i + 1))
	done ) &
	writer=$!
fi

k=1
while [ $k -le "$V" ]; do
	if [ "$NODE" = $k ]; then
		durable $M/v$k
		sums $M/v$k > $R/on.v$k.sums
		sdebugfs slotmap > $R/on.v$k.slotmap
		say "fsynced $(wc -l < $R/on.v$k.sums) entries; churning until killed"
		lab-barrier on-written$k
		eval "churn \${$k}"
	fi
	lab-barrier on-written$k
	if [ "$NODE" = 0 ]; then
		sleep $((k + 1))
		before=$(ls -R $M/n0 | grep -c "^s")
		lab-ctl kill $k
		say "killed node$k ($before files in n0)"
		vnode=$((k + 1))
		i=0
		until [ "$(corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ ')" = $((alive - k)) ]; do
			i=$((i + 1))
			[ $i -lt 60 ] || fail "corosync still lists node$k"
			sleep 1
		done
		# survivors without quorum: expect only their votes
		if ! corosync-quorumtool -s 2>/dev/null | grep -Eq '^Quorate: +Yes'; then
			corosync-quorumtool -e $((alive - k)) > /dev/null ||
				fail "cannot set expected votes to $((alive - k))"
		fi
		i=0
		while sdebugfs slotmap | awk -v n=$vnode '$2 == n { f = 1 } END { exit !f }'; do
			i=$((i + 1))
			[ $i -lt 120 ] || fail "node$k's slot not recovered after 120 s"
			sleep 1
		done
		say "node$k's slot freed after ~${i} s"
		kmsg | grep -E "ocfs2.*(left the cluster|recover)" | tail -4
		kmsg | grep -q "node $vnode left the cluster" ||
			fail "no node-down event for node $vnode"
		vslot=$(awk -v n=$vnode '$2 == n { print $1 }' $R/on.v$k.slotmap)
		sdebugfs "stat //journal:000$vslot" | grep -q "Journal Flags:.*Dirty" &&
			fail "journal:000$vslot still dirty"
		# the next node to take the slot (stock: without a lock) reads
		# these from disk; stock debugfs reads with O_DIRECT
		slot_allocs_empty $vslot || fail "slot $vslot freed with its allocators not empty on disk: $(slot_allocs $vslot)"
		echo $vslot >> $R/on.vslots
		c=$(kmsg | grep -c "replaying journal:000$vslot" || true)
		[ "$c" -le 1 ] || fail "journal:000$vslot replayed $c times here"
		sums $M/v$k > $R/on.v$k.after
		diff $R/on.v$k.sums $R/on.v$k.after || fail "node$k's fsynced files differ"
		sleep 2
		after=$(ls -R $M/n0 | grep -c "^s")
		[ "$after" -gt "$before" ] || fail "node 0's writer stopped ($before -> $after)"
		eval "point=\${$k}"
		say "kill point $k ($point): recovered, fsynced files intact, writer went on ($before -> $after)"
	fi
	lab-barrier on-checked$k
	# every survivor of ours saw the death (corosync and fs/dlm number
	# from 1; stock logs nothing of the kind)
	[ "$LAB_STACK" = stock ] ||
		kmsg | grep -q "node $((k + 1)) left the cluster" ||
		fail "no node-down event for node $((k + 1)) here"
	kmsg | grep "ocfs2 (vda): .*replaying journal" |
		sed "s/^/node$NODE after kill $k: /" >> $R/on.replays.$NODE.$k || true
	k=$((k + 1))
done
# the survivors leave first: node 0 then checks a volume nobody else has
[ "$NODE" = 0 ] || umount $M || fail "umount"
lab-barrier on-left

if [ "$NODE" = 0 ]; then
	kill $writer
	wait $writer 2>/dev/null || true
	ls -R $M/n0 | grep -c "^s"
	umount $M || fail "umount"
	sdebugfs slotmap
	# again with every node gone
	for vslot in $(cat $R/on.vslots); do
		sdebugfs "stat //local_alloc:000$vslot" | grep -q "Bitmap Total: 0 " ||
			fail "local_alloc:000$vslot not empty"
		sdebugfs "stat //truncate_log:000$vslot" | grep -q "Used: 0" ||
			fail "truncate_log:000$vslot not empty"
		# kill point 3 held an unlinked file open: its orphan is gone
		[ "$(sdebugfs "ls //orphan_dir:000$vslot" | grep -vcE ' \.\.?$')" = 0 ] ||
			fail "orphan_dir:000$vslot not empty: $(sdebugfs "ls //orphan_dir:000$vslot")"
	done
	echo "journal replays seen (a log emptied by a checkpoint before the kill needs none):"
	sort -u $R/on.replays.* 2>/dev/null || true
	say "dead slots $(cat $R/on.vslots | tr '\n' ' '): local alloc, truncate log, orphan dir empty"
	stock-fsck.ocfs2 -fn $dev > $R/on.fsck 2>&1 || { cat $R/on.fsck; fail "stock fsck"; }
	if [ -s $R/on.writer.err ]; then
		head -5 $R/on.writer.err
		for f in global_bitmap inode_alloc:0000 inode_alloc:0001 \
			inode_alloc:0002 inode_alloc:0003 extent_alloc:0001; do
			sdebugfs "stat //$f" | grep -E "Bitmap Total|Clusters"
		done
		fail "node 0's writer: $(grep -c failed $R/on.writer.err) creates failed"
	fi
	say "$V kill points recovered; stock fsck clean"
fi
