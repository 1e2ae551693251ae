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
#   orphans 1000 open unlinked files (a long orphan directory for the
#           recoverer), then the rename storm; node 0 also kills node V+1
#           (a survivor of ours) as soon as it sees the victim's
#           node-down: a second death while the first is being finished.
#           With a stock survivor past V+1 (5 nodes: ours x4 + stock,
#           THIS=orphans) this is the mixed cluster's old deadlock: a
#           stock recoverer holds the superblock lock waiting for the dead
#           journal's lock, which our finish held while it deleted the
#           orphans, and the second death's scan needs the superblock lock
#           before our finish may go on.  Node 0 says who recovered the
#           victim's slot and whether the second node-down came between
#           our scan of it and the end of our finish (the old window).
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
. lab-slot-lib

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
	orphans) lab-orphans $d 1000 16 > $R/on.orphans.$NODE 2>&1 &
	   o=$!
	   until grep -q holding $R/on.orphans.$NODE 2>/dev/null; do
		kill -0 $o 2>/dev/null ||
			fail "lab-orphans: $(cat $R/on.orphans.$NODE)"
		sleep 0.5
	   done
	   churn rename ;;
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

# node 0's view of a death (lab node N is corosync and fs/dlm node N + 1)
members() {
	corosync-quorumtool -l 2>/dev/null | grep -cE '^ +[0-9]+ +[0-9]+ '
}
# wait_members N: corosync no longer lists the $gone dead nodes (node N
# the last); survivors without quorum expect only their votes
wait_members() {
	i=0
	until [ "$(members)" = $((alive - gone)) ]; do
		i=$((i + 1))
		[ $i -lt 60 ] || fail "corosync still lists node$1"
		sleep 1
	done
	if ! corosync-quorumtool -s 2>/dev/null | grep -Eq '^Quorate: +Yes'; then
		corosync-quorumtool -e $((alive - gone)) > /dev/null ||
			fail "cannot set expected votes to $((alive - gone))"
	fi
}
# wait_file_has FILE WORD WHAT: FILE holds WORD within 300 s
wait_file_has() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || fail "no $3 after 300 s"
		sleep 0.5
	done
}
# slot_recovered N SLOT: node N's slot freed, its journal clean, its
# allocators empty on disk, its journal replayed once at most here
slot_recovered() {
	i=0
	while sdebugfs slotmap | awk -v n=$(($1 + 1)) '$2 == n { f = 1 } END { exit !f }'; do
		i=$((i + 1))
		[ $i -lt 120 ] || fail "node$1's slot not recovered after 120 s"
		sleep 1
	done
	say "node$1's slot freed after ~${i} s"
	kmsg | grep -E "ocfs2.*(left the cluster|recover)" | tail -4
	kmsg | grep -q "node $(($1 + 1)) left the cluster" ||
		fail "no node-down event for node $(($1 + 1))"
	slot_dirty $2 &&
		fail "$(slot_file journal $2) still dirty"
	# the next node to take the slot (stock: without a lock) reads
	# these from disk; stock debugfs reads with O_DIRECT
	slot_allocs_empty $2 || fail "slot $2 freed with its allocators not empty on disk: $(slot_allocs $2)"
	echo $2 >> $R/on.vslots
	c=$(kmsg | grep -c "replaying $(slot_file journal $2)" || true)
	[ "$c" -le 1 ] || fail "$(slot_file journal $2) replayed $c times here"
}
# second_death N: once node N's node-down is seen here, kill node V+1 too
second_death() {
	s2=$((V + 1))
	[ $s2 -lt "$NODES" ] || fail "orphans: no node past the victims to kill"
	s2slot=$(sdebugfs slotmap | awk -v n=$((s2 + 1)) '$2 == n { print $1 }')
	[ -n "$s2slot" ] || fail "orphans: node$s2 holds no slot"
	i=0
	until kmsg | grep -q "node $(($1 + 1)) left the cluster"; do
		i=$((i + 1))
		[ $i -lt 600 ] || fail "no node-down event for node $(($1 + 1))"
		sleep 0.2
	done
	lab-ctl kill $s2
	gone=$((gone + 1))
	say "killed node$s2 (slot $s2slot) too, right after node$1's node-down"
	wait_members $s2
	slot_recovered $s2 $s2slot
}
# kmsg_time PATTERN: the kernel time stamp (s) of PATTERN's first line
kmsg_time() {
	kmsg | grep -m1 -e "$1" | sed -n 's/^\[ *\([0-9]*\)\..*/\1/p'
}
# second_report N SLOT: who recovered node N's SLOT, and whether node
# V+1's node-down came while our scan or finish of it ran (the old code
# held the dead journal's lock from the scan to the end of the finish)
second_report() {
	down2=$(kmsg_time "node $((s2 + 1)) left the cluster")
	scan=$(kmsg_time "slot $2 of dead node $(($1 + 1))")
	fin=$(kmsg_time "slot $2 of node $(($1 + 1)) recovered")
	if [ -z "$fin" ]; then
		say "orphans: slot $2 recovered by another node (no finish of it here); node$s2's node-down here at ${down2}s"
	elif [ -z "$scan" ]; then
		say "orphans: slot $2 recovered here (finish ended at ${fin}s, its journal clean: no scan line); node$s2's node-down at ${down2}s"
	elif [ "$down2" -lt "$scan" ]; then
		say "orphans: node$s2's node-down at ${down2}s came before our scan of slot $2 at ${scan}s (one scan took both; finish ended at ${fin}s): not the old deadlock's window"
	elif [ "$down2" -le "$fin" ]; then
		say "orphans: node$s2's node-down at ${down2}s came between our scan of slot $2 at ${scan}s and the end of its finish at ${fin}s: the old deadlock's window"
	else
		say "orphans: our finish of slot $2 (scan ${scan}s) ended at ${fin}s, before node$s2's node-down at ${down2}s"
	fi
}

gone=0
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
		eval "point=\${$k}"
		[ "$point" != orphans ] ||
			wait_file_has $R/on.orphans.$k holding "node$k's orphans"
		before=$(ls -R $M/n0 | grep -c "^s")
		lab-ctl kill $k
		say "killed node$k ($before files in n0)"
		gone=$((gone + 1))
		vslot=$(awk -v n=$((k + 1)) '$2 == n { print $1 }' $R/on.v$k.slotmap)
		[ -n "$vslot" ] || fail "node$k not in $(cat $R/on.v$k.slotmap)"
		[ "$point" != orphans ] || second_death $k
		wait_members $k
		slot_recovered $k $vslot
		[ "$point" != orphans ] || second_report $k $vslot
		sums $M/v$k > $R/on.v$k.after
		diff $R/on.v$k.sums $R/on.v$k.after || fail "node$k's fsynced files differ"
		sleep 2
		after=$(ls -R $M/n0 | grep -c "^s")
		[ "$after" -gt "$before" ] || fail "node 0's writer stopped ($before -> $after)"
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
	say "$(new_locks)"
	umount $M || fail "umount"
	sdebugfs slotmap
	# again with every node gone
	for vslot in $(cat $R/on.vslots); do
		slot_allocs_empty $vslot ||
			fail "slot $vslot: allocators not empty: $(slot_allocs $vslot)"
		# kill point 3 held an unlinked file open: its orphan is gone
		[ "$(slot_orphans $vslot)" = 0 ] ||
			fail "$(slot_file orphan_dir $vslot) not empty: $(sdebugfs "ls //$(slot_file orphan_dir $vslot)")"
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
