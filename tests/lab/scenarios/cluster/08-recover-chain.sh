#!/bin/sh
# A chain of node deaths while mounted, one kill point per round, the
# killed node brought back (lab-ctl restart) to be killed again later.
# Node 0 mounts a pcmk volume once and keeps creating small files in its
# own directory throughout; it kills and checks.  The other nodes take
# the rounds in turn: round r belongs to node 1 + r % (NODES - 1), in
# its generation r / (NODES - 1), so one victim boots again while the
# next round runs.  Round r (kill point = argument r + 1):
#   the victim waits for round r-1's checks, mounts (taking a slot again:
#   the dead one was freed), writes and fsyncs v<r> (files of varied
#   sizes, a directory, a rename), records its content hashes, then works
#   at its kill point, recording each file it fsyncs there only once the
#   fsync returned, until node 0 restarts it (a crash) after 1-3.9 s;
#   node 0 waits for the survivors' node-down event, for the dead slot to
#   be freed (stock debugfs), for its journal to be clean; checks that it
#   was replayed at most once here, that v<r> and every file fsynced at the
#   kill point read back intact, and that its writer went on.
# After the last round each victim's last generation mounts, reads every
# round's files and unmounts; node 0 unmounts; every slot's local alloc,
# truncate log and orphan dir are empty and stock fsck -fn is clean.  The
# lab judges every killed generation's kernel log (nodeN.genG.serial).
# Kill points:
#   data      writing file data, syncing now and then
#   rename    a rename and unlink storm (create, mkdir, mv, rm -r)
#   trunc     truncating and appending, an unlinked file held open
#   dirs      filling one directory (indexed) and removing trees
#   links     hard links and symlinks, chmod/chown/touch
#   falloc    fallocate (unwritten extents), O_DIRECT writes, truncates
#   unlink    an unlink storm: directories of 40 files removed whole,
#             files unlinked while held open (orphans)
#   append    appending to logs, fsyncing one now and then
#   overwrite rewriting blocks inside a file in place
#   deep      deep directory chains made, moved between parents, removed
#   extents   sparse writes (one extent per block), then truncated to 0
#   mixed     data, rename and unlink at once
#   quiet     files written and synced, then nothing; node 0 reads them
#             first, so the victim checkpoints and dies with an empty log:
#             a stock victim after a round node 0 recovered in the same
#             slot (e.g. data,unlink,trunc,quiet on 5 nodes: node4 stock)
#             has its window read from disk, not from node 0's cache
# Only node 0 is mounted while a victim dies (the other victims wait
# for the round's checks before mounting again), so node 0 recovers every
# slot: --stack stock,ours,ours has the stock module recover ours,
# --stack ours,stock,ours ours recover stock and ours in turn.
# A restarted node needs ~90 s on TCG before it can mount again (boot,
# corosync, joining the lockspace), so 5 nodes (4 victims in turn) keep
# a round at ~30 s; the volume has 8 slots, as all mount at the end.
# node 0 also notes whether the slot's log needed a replay here (a log
# a checkpoint emptied before the kill needs none).
# Run: tests/lab/run --cluster user --stack ours --nodes 5 --disk 1G
#      --timeout 720 THIS [POINT...]   (default: all twelve)
# or before cluster/03 (which kills for good) in one boot, a stock victim
# (node4) among ours, e.g.:
#      tests/lab/run --cluster user --stack ours,ours,ours,ours,stock
#      --nodes 5 --disk 1G --timeout 960 --add THIS --add .../03-...sh
#      set.sh --stop 08-recover-chain.sh=data,rename,trunc,append,dirs,
#      links,falloc,overwrite,unlink,deep,extents,rename,mixed
#      03-recover-at-mount.sh=2,4 03-recover-at-mount.sh=1+3+4,0
set -e
lab-cluster-mounts
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
gen=${LAB_GEN:-0}
say() { echo "node$NODE gen$gen ($LAB_STACK): $*"; }
fail() { echo "node$NODE gen$gen: FAIL: $*"; dmesg | tail -40; exit 1; }
. lab-slot-lib
rand() { head -c 2 /dev/urandom | od -An -tu2 | tr -d ' '; }

# sums DIR: one line per entry under DIR, with content hashes
sums() {
	(cd "$1" && find . | sort | while read -r f; do
		if [ -f "$f" ]; then echo "$f $(md5sum < "$f")"
		elif [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
		else echo "$f dir"; fi
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
	ln -s f1 "$1/link"
	sync
}

# kept FILE: copy FILE to a name nothing touches again, fsync the copy,
# then record its hash (a promise made only once the fsync returned)
kept() {
	kn=$((kn + 1))
	cp "$1" "$1.k$kn"
	sync "$1.k$kn"
	echo "$(md5sum < "$1.k$kn" | cut -c1-32) $1.k$kn" >> $R/ch.kept.$round
}

# the work a victim is killed in the middle of ($d: its directory)
point_data() {
	i=0
	while :; do
		dd if=/dev/urandom of=$d/data$((i % 8)) bs=64k count=8 2>/dev/null
		[ $((i % 4)) != 3 ] || kept $d/data$((i % 8))
		i=$((i + 1))
	done
}
point_rename() {
	i=0
	while :; do
		echo $i > $d/a$i
		mkdir $d/dir$i
		mv $d/a$i $d/dir$i/b
		[ $i -lt 3 ] || rm -r $d/dir$((i - 3))
		i=$((i + 1))
	done
}
point_trunc() {
	echo held > $d/held
	sleep 100000 < $d/held &
	rm $d/held
	i=0
	while :; do
		head -c 200000 /dev/urandom >> $d/grow
		truncate -s $((i % 5 * 30000)) $d/grow
		i=$((i + 1))
	done
}
point_dirs() {
	mkdir $d/big
	i=0
	while :; do
		touch $d/big/entry-with-a-long-name-$((i % 150))
		[ $((i % 150)) != 149 ] || rm $d/big/*
		mkdir -p $d/t$((i % 4))/a/b/c$i
		[ $((i % 50)) != 49 ] || rm -r $d/t$(((i + 1) % 4))
		i=$((i + 1))
	done
}
point_links() {
	echo base > $d/base
	i=0
	while :; do
		ln $d/base $d/h$((i % 30)) 2>/dev/null || rm -f $d/h$((i % 30))
		ln -sf base $d/s$i
		[ $i -lt 10 ] || rm $d/s$((i - 10))
		chmod 6$((i % 8))$((i % 5)) $d/base
		chown $((i % 5)):$((i % 3)) $d/base
		touch -d @$((1700000000 + i)) $d/base
		i=$((i + 1))
	done
}
point_falloc() {
	i=0
	while :; do
		f=$d/fa$((i % 4))
		fallocate -o $((i % 8 * 65536)) -l 1048576 $f
		dd if=/dev/urandom of=$f bs=4k count=4 seek=$((i % 8 * 16)) \
			oflag=direct conv=notrunc 2>/dev/null ||
			dd if=/dev/urandom of=$f bs=4k count=4 \
				seek=$((i % 8 * 16)) conv=notrunc 2>/dev/null
		truncate -s $((i % 3 * 200000)) $f
		i=$((i + 1))
	done
}
point_unlink() {
	i=0
	while :; do
		mkdir $d/u$i
		j=0
		while [ $j -lt 40 ]; do
			echo $j > $d/u$i/f$j
			j=$((j + 1))
		done
		sleep 100000 < $d/u$i/f7 &
		[ $i -lt 1 ] || rm -r $d/u$((i - 1))
		i=$((i + 1))
	done
}
point_append() {
	i=0
	while :; do
		echo "line $i of a log that grows" >> $d/log$((i % 4))
		[ $((i % 64)) != 63 ] || kept $d/log$((i % 4))
		i=$((i + 1))
	done
}
point_overwrite() {
	dd if=/dev/urandom of=$d/over bs=64k count=16 2>/dev/null
	kept $d/over
	i=0
	while :; do
		dd if=/dev/urandom of=$d/over bs=4k count=2 \
			seek=$(($(rand) % 255)) conv=notrunc 2>/dev/null
		[ $((i % 8)) != 7 ] || kept $d/over
		i=$((i + 1))
	done
}
point_deep() {
	i=0
	while :; do
		mkdir -p $d/p$((i % 2))/c$i/1/2/3/4/5/6
		echo $i > $d/p$((i % 2))/c$i/1/2/3/4/5/6/leaf
		mkdir -p $d/p$(((i + 1) % 2))
		mv $d/p$((i % 2))/c$i $d/p$(((i + 1) % 2))/m$i
		[ $i -lt 2 ] || rm -r $d/p$(((i - 1) % 2))/m$((i - 2))
		i=$((i + 1))
	done
}
point_extents() {
	i=0
	while :; do
		f=$d/sparse$((i % 2))
		j=0
		while [ $j -lt 24 ]; do
			dd if=/dev/urandom of=$f bs=4k count=1 seek=$((j * 2)) \
				conv=notrunc 2>/dev/null
			j=$((j + 1))
		done
		[ $((i % 2)) = 0 ] && kept $f || truncate -s 0 $f
		i=$((i + 1))
	done
}
# files written and synced, then nothing: node 0's reads make the victim
# checkpoint its journal (its locks go down), so it dies with an empty
# log and its local alloc window exists only on disk
point_quiet() {
	dd if=/dev/urandom of=$d/q1 bs=64k count=16 2>/dev/null
	dd if=/dev/urandom of=$d/q2 bs=64k count=8 2>/dev/null
	kept $d/q1
	rm $d/q2
	sync
	sleep 5		# the truncate log's flush, 2 s after the last free
	: > $R/ch.quiet.$round
	sleep 100000
}
point_mixed() {
	base=$d
	d=$base/m1; mkdir -p $d; point_data &
	d=$base/m2; mkdir -p $d; point_rename &
	d=$base/m3; mkdir -p $d; point_unlink
}

# wait_for FILE NODE: FILE appears (fail if NODE's scenario ended first)
wait_for() {
	i=0
	while [ ! -e "$1" ]; do
		[ ! -e $R/.lab/status/$2 ] || fail "node$2 ended before $1"
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "no $1 after 600 s"
		sleep 0.5
	done
}

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$NODES" -ge 2 ] || fail "needs 2 or more nodes"
[ -n "$*" ] || set -- data rename trunc dirs links falloc unlink append \
	overwrite deep extents mixed
K=$#
V=$((NODES - 1))
mkdir -p $M

# ---- a victim: one round per generation, then the final read
if [ "$NODE" != 0 ]; then
	round=$((gen * V + NODE - 1))
	if [ $round -ge $K ]; then
		wait_for $R/ch.final 0
		mount -t ocfs2 $dev $M || fail "final mount"
		r=0
		while [ $r -lt $K ]; do
			sums $M/v$r | diff $R/ch.$r.sums - || fail "v$r differs"
			if [ -s $R/ch.kept.$r ]; then
				while read -r sum path; do
					[ ${#sum} = 32 ] && [ -n "$path" ] || continue
					[ "$(md5sum < $path | cut -c1-32)" = "$sum" ] ||
						fail "$path (kept in round $r) lost its content"
				done < $R/ch.kept.$r
			fi
			r=$((r + 1))
		done
		umount $M || fail "final umount"
		say "read every round's files back; unmounted"
		: > $R/ch.unmounted.$NODE
		exit 0
	fi
	if [ $round = 0 ]; then
		wait_for $R/ch.formatted 0
	else
		wait_for $R/ch.checked.$((round - 1)) 0
	fi
	mount -t ocfs2 $dev $M || fail "round $round: mount"
	durable $M/v$round
	sums $M/v$round > $R/ch.$round.sums
	sdebugfs slotmap > $R/ch.$round.slotmap
	eval "point=\${$((round + 1))}"
	d=$M/w$round
	mkdir $d
	: > $R/ch.kept.$round
	kn=0
	say "round $round: fsynced $(wc -l < $R/ch.$round.sums) entries; at kill point $point; $(new_locks)"
	: > $R/ch.ready.$round
	point_$point
	fail "kill point $point ended"
fi

# ---- node 0: formats, writes throughout, kills and checks
echo y | stock-mkfs.ocfs2 -q -F -N 8 --cluster-stack=pcmk --cluster-name=lab $dev
mount -t ocfs2 $dev $M || fail "mount"
mkdir $M/n0
# 100 names a directory: an indexed directory's inline index fills at
# ~190 five-digit names and splitting it is not done yet (ENOSPC)
( set +e; i=0; while :; do
	[ $((i % 100)) != 0 ] || mkdir $M/n0/d$((i / 100))
	echo "$i" > $M/n0/d$((i / 100))/s$i 2>> $R/ch.writer.err ||
		echo "create s$i failed at $(date +%s)" >> $R/ch.writer.err
	i=$((i + 1))
done ) &
writer=$!
: > $R/ch.formatted
files() { ls -R $M/n0 | grep -c "^s"; }
# downs N: fs/dlm's removals of (corosync/fs/dlm) node N seen here, on
# either module.  Ours logs "node N left the cluster" only when fs/dlm
# calls it a failure; a victim the lab restarted may refuse fs/dlm's
# reconnects before its death is seen (6.12 run 20261127-204529-set-cbxe:
# removal 7 s after the kill, its connection unchanged), and fs/dlm then
# reports a plain leave: ours scans for dead slots all the same (see
# how_down)
downs() {
	dmesg | grep -c "dlm: .*remove member $1$" || true
}
# how_down N: what our module made of node N's last removal
how_down() {
	[ "$LAB_STACK" = ours ] || { echo "stock"; return 0; }
	if [ "$(dmesg | grep -c "node $1 left the cluster")" -gt "$2" ]; then
		echo "a failure (node-down)"
	else
		echo "a leave (dead-slot scan)"
	fi
}
# replays S: replays of journal S by this node's module
replays() {
	if [ "$LAB_STACK" = stock ]; then
		dmesg | grep -c "Begin replay journal (node [0-9]*, slot $1)" || true
	else
		dmesg | grep -c "replaying $(slot_file journal $1)" || true
	fi
}
t0=$(date +%s)
r=0
while [ $r -lt $K ]; do
	v=$((1 + r % V))
	vnode=$((v + 1))
	eval "point=\${$((r + 1))}"
	wait_for $R/ch.ready.$r $v
	if [ "$point" = quiet ]; then
		wait_for $R/ch.quiet.$r $v
		sums $M/w$r > /dev/null
		sleep 3
	fi
	down0=$(downs $vnode)
	left0=$(dmesg | grep -c "node $vnode left the cluster" || true)
	delay=$(rand)
	sleep "$((1 + delay % 3)).$((delay % 10))"
	before=$(files)
	lab-ctl restart $v
	tk=$(date +%s)
	i=0
	until [ "$(downs $vnode)" -gt "$down0" ]; do
		i=$((i + 1))
		[ $i -lt 60 ] || fail "round $r: no node-down event for node $vnode"
		sleep 1
	done
	i=0
	while sdebugfs slotmap | awk -v n=$vnode '$2 == n { f = 1 } END { exit !f }'; do
		i=$((i + 1))
		[ $i -lt 120 ] || fail "round $r: node$v's slot not recovered after 120 s"
		sleep 1
	done
	vslot=$(awk -v n=$vnode '$2 == n { print $1 }' $R/ch.$r.slotmap)
	[ -n "$vslot" ] || fail "round $r: node$v not in $(cat $R/ch.$r.slotmap)"
	slot_dirty $vslot &&
		fail "round $r: $(slot_file journal $vslot) still dirty"
	# the next node to take the slot (stock: without a lock) reads
	# these from disk; stock debugfs reads with O_DIRECT
	slot_allocs_empty $vslot || fail "round $r: slot $vslot freed with its allocators not empty on disk: $(slot_allocs $vslot)"
	c=$(replays $vslot)
	c0=$(cat $R/ch.replays.$vslot 2>/dev/null || echo 0)
	[ "$c" -le $((c0 + 1)) ] || fail "round $r: $(slot_file journal $vslot) replayed twice"
	echo "$c" > $R/ch.replays.$vslot
	replayed=no
	[ "$c" = "$c0" ] || replayed=yes
	sums $M/v$r | diff $R/ch.$r.sums - || fail "round $r: node$v's fsynced files differ"
	n=0
	while read -r sum path; do
		[ ${#sum} = 32 ] && [ -n "$path" ] || continue
		[ "$(md5sum < $path | cut -c1-32)" = "$sum" ] ||
			fail "round $r: $path (fsynced at the kill point) lost its content"
		n=$((n + 1))
	done < $R/ch.kept.$r
	sleep 1
	after=$(files)
	[ "$after" -gt "$before" ] || fail "round $r: node 0's writer stopped ($before -> $after)"
	say "round $r ($point, node$v slot $vslot): fs/dlm's removal taken as $(how_down $vnode "$left0"); freed $(($(date +%s) - tk)) s after the kill, replayed here: $replayed, v$r and $n kept files intact, writer $before -> $after"
	echo "$point" >> $R/ch.passed
	: > $R/ch.checked.$r
	r=$((r + 1))
done
: > $R/ch.final
kill $writer
wait $writer 2>/dev/null || true
v=1
while [ $v -le $V ]; do
	wait_for $R/ch.unmounted.$v $v
	v=$((v + 1))
done
say "$(files) files in n0; $(new_locks)"
umount $M || fail "umount"
sdebugfs slotmap
s=0
while [ $s -lt 8 ]; do
	slot_allocs_empty $s ||
		fail "slot $s: allocators not empty: $(slot_allocs $s)"
	[ "$(slot_orphans $s)" = 0 ] ||
		fail "$(slot_file orphan_dir $s) not empty: $(sdebugfs "ls //$(slot_file orphan_dir $s)")"
	s=$((s + 1))
done
stock-fsck.ocfs2 -fn $dev > $R/ch.fsck 2>&1 || { cat $R/ch.fsck; fail "stock fsck"; }
[ ! -s $R/ch.writer.err ] ||
	fail "node 0's writer: $(grep -c failed $R/ch.writer.err) creates failed: $(head -3 $R/ch.writer.err)"
say "$K kill points recovered in $(($(date +%s) - t0)) s ($(tr '\n' ' ' < $R/ch.passed)); all slots empty; stock fsck clean"
