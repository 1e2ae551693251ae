#!/bin/sh
# Locks kept past eviction (ocfs2.kept_locks) against changes made by
# other nodes.  Node 0 (ours) stats a tree and drops its caches, so the
# inodes and dentries go and, with kept_locks set, their meta, open and
# dentry locks stay cached here.  Then each other node in turn (stock
# and ours: --stack ours,stock,ours) changes the tree: unlinks files
# (one of them while it holds it open, closed only after node 0 looked),
# renames, chmods, rewrites and appends.  Node 0 must see every change
# (the same find+stat+md5 listing as the changer's), and the unlinked
# files must really be freed by the changer: a deleter takes the meta
# lock exclusive and only then tries the open lock without queueing,
# which no kept open lock may block.  Checked: node 0's lock_stats show
# locks kept and adopted (when kept_locks is set), both changers' views
# equal node 0's after each round, then with kept_locks 10 at most 10
# groups kept after a drop_caches and the tree unchanged, every orphan
# directory empty after every unmount (the disk is current only then),
# stock fsck -fn clean.  Run kept_locks on with ours-param.sh first in the set.
# Run: tests/lab/run --cluster user --stack ours,stock,ours --nodes 3
#      --disk 1G --timeout 600 set.sh ours-param.sh=kept_locks=1000 THIS
set -e
. lab-cluster-lib
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
T=$M/t
FILES=60

ours() { [ "$LAB_STACK" = ours ]; }

# one line per name: type, mode, links, size, and md5 of regular files
view() {
	(cd "$T" && find . | sort | while read -r n; do
		if [ -f "$n" ]; then
			echo "$n $(stat -c '%F %a %h %s' "$n") $(md5sum < "$n")"
		else
			echo "$n $(stat -c '%F %a %h' "$n")"
		fi
	done)
}

kstat() {
	cat /sys/kernel/debug/ocfs2/*/lock_stats 2> /dev/null |
		awk -v k="$1" '$1 == k { n += $2 } END { print n + 0 }'
}

# names in slot N's orphan directory, from the disk (stock debugfs)
orphans() {
	$dbg -R "ls //orphan_dir:000$1" $dev 2>&1 | grep -vcE ' \.\.?$' || true
}

orphans_all() {
	left=0
	for s in 0 1 2 3; do
		left=$((left + $(orphans $s)))
	done
	echo $left
}

# After every unmount (each journal checkpointed): no name may be left
# in an orphan directory.  A delete that found the open lock held on
# another node leaves its inode there for that node, which has no such
# inode open here: a kept open lock that did not go first.
no_orphans() {
	left=$(orphans_all)
	[ "$left" = 0 ] && return 0
	for s in 0 1 2 3; do
		$dbg -R "ls //orphan_dir:000$s" $dev 2>&1 | tail -5
	done
	fail "$left names left in orphan directories ($1)"
}

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$NODES" -ge 2 ] || fail "needs 2+ nodes"
[ "$NODE" != 0 ] || ours || fail "node 0 must be ours"
if ours; then
	grep -q ' /sys/kernel/debug ' /proc/mounts ||
		mount -t debugfs none /sys/kernel/debug
	say "kept_locks=$(cat /sys/module/ocfs2/parameters/kept_locks)"
fi
if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 4 $stack $dev
fi
lab-barrier formatted
mkdir -p $M
mount -t ocfs2 $dev $M
if [ "$NODE" = 0 ]; then
	mkdir $T $T/d0 $T/d1
	i=0
	while [ $i -lt $FILES ]; do
		echo "file $i" > $T/f$i
		echo "sub $i" > $T/d$((i % 2))/g$i
		i=$((i + 1))
	done
	sync
	keep=$(cat /sys/module/ocfs2/parameters/kept_locks)
fi
lab-barrier made

c=1
while [ $c -lt "$NODES" ]; do
	# node 0 reads everything, then lets the VFS drop it all
	if [ "$NODE" = 0 ]; then
		view > /tmp/28.before
		sync
		echo 3 > /proc/sys/vm/drop_caches
		k=$(kstat kept_now)
		say "round $c: kept_now $k after drop_caches (keeps $(kstat keeps), adopted $(kstat adopted))"
		[ "$keep" = 0 ] || [ "$k" -gt 0 ] ||
			fail "kept_locks=$keep but nothing kept after drop_caches"
	fi
	lab-barrier "dropped$c"
	if [ "$NODE" = $c ]; then
		view > /dev/null	# cached here too: the changes take locks
		exec 3< $T/f$c
		rm $T/f$c $T/f$((c + 10)) $T/d0/g$((c * 2))
		mv $T/f$((c + 20)) $T/d1/moved$c
		mv $T/d1/g$((c * 2 + 1)) $T/renamed$c
		chmod 600 $T/f$((c + 30))
		chmod 700 $T/d0
		echo "rewritten by node$c" > $T/f$((c + 40))
		echo "appended by node$c" >> $T/f$((c + 41))
		mkdir $T/new$c
		echo "new by node$c" > $T/new$c/n
		sync
		view > $R/28.view.$c
	fi
	lab-barrier "changed$c"
	if [ "$NODE" = 0 ]; then
		view > /tmp/28.after
		if ! diff $R/28.view.$c /tmp/28.after; then
			fail "round $c: node0 does not see node$c's changes"
		fi
		if diff /tmp/28.before /tmp/28.after > /dev/null; then
			fail "round $c: nothing changed"
		fi
		say "round $c: node0 sees node$c's changes (adopted $(kstat adopted), kept_released $(kstat kept_released))"
	fi
	lab-barrier "seen$c"
	if [ "$NODE" = $c ]; then
		exec 3<&-
		sync
	fi
	lab-barrier "closed$c"
	c=$((c + 1))
done

# The bound: with kept_locks 10 a drop_caches keeps at most 10 groups,
# the oldest given back at once by the evicting task; nothing changes.
if [ "$NODE" = 0 ] && [ "$keep" != 0 ]; then
	kp=/sys/module/ocfs2/parameters/kept_locks
	echo 10 > $kp
	view > /tmp/28.b1
	echo 3 > /proc/sys/vm/drop_caches
	k=$(kstat kept_now)
	[ "$k" -le 10 ] || fail "kept_locks=10 but $k groups kept"
	view > /tmp/28.b2
	diff /tmp/28.b1 /tmp/28.b2 || fail "the tree changed under the bound"
	echo "$keep" > $kp
	say "bound 10: kept_now $k after drop_caches, kept_released $(kstat kept_released); the same tree"
fi
if ours; then
	say "lock_stats: kept_now $(kstat kept_now) keeps $(kstat keeps) adopted $(kstat adopted) kept_released $(kstat kept_released)"
fi
if [ "$NODE" = 0 ] && [ "$keep" != 0 ] && [ "$(kstat adopted)" = 0 ]; then
	fail "kept_locks=$keep but no kept lock was adopted"
fi
[ "$NODE" = 0 ] || umount $M
lab-barrier left
if [ "$NODE" = 0 ]; then
	umount $M
	no_orphans "after every unmount"
	$fsck -fn $dev > $R/28.fsck 2>&1 || { cat $R/28.fsck; fail "stock fsck -fn"; }
	say "$((NODES - 1)) changers seen through kept locks; orphans freed; stock fsck -fn clean"
fi
