#!/bin/sh
# Crash and journal replay, a chain of KILLS kill points on one local-mount
# volume, alternating between nodes A and B (arguments KILLS A B, default
# 10 0 1; other nodes have no part).  Round r runs on A when r is even and
# on B when odd, in its generation r/2 of this chain (lab-ctl restart boots
# a killed node again on the same disk; the chain counts generations from
# the one the node entered it with, so it may follow other scenarios in a
# set.sh run); with A stock and B ours every round replays the other
# module's journal.  Round r:
#   waits for round r-1 to have synced, lets it run its noise for a random
#   0-2.9 s, restarts its node (a kill: QEMU dies at once), mounts
#   (replaying the dirty journal), checks every tree and every file synced in
#   rounds 0..r-1 (names, modes, sizes, times, contents), unmounts and runs
#   stock fsck.ocfs2 -fn (fsck_clean: exit 0 and no repair question); then
#   mounts with the round's options, builds step_r (namespace operations
#   and fsynced files), syncs it, records its manifest, and keeps changing
#   names and writing files in noise_r, fsyncing some of them (each
#   recorded only once its fsync returned), until round r+1 kills it.
#   Before the noise it writes and syncs three files of 1-3 MiB, deletes
#   them and fsyncs a marker in the deleting transaction, so the kill finds
#   their clusters in the slot's truncate log (stock flushes the log 2 s
#   after an append, ours 2 s after the last one, and the noise frees a
#   file's clusters on every pass); each mount records our recovery's
#   "truncate_log:NNNN: freed N clusters from M records" line, and the
#   last round fails unless our module recovered such a log at least once
#   (when it mounted in the chain at all).
#   Round KILLS only checks.  The lab judges the kernel log of every killed
#   generation (nodeN.genG.serial).
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --timeout 360 \
#       tests/lab/scenarios/fs/06-crash-chain.sh 12
set -e
. /usr/local/bin/lib.sh
ours_param_again
KILLS=${1:-10}
A=${2:-0}
B=${3:-1}
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS
if [ "$NODE" != "$A" ] && [ "$NODE" != "$B" ]; then
	echo "node$NODE: no part in the chain (nodes $A and $B)"
	exit 0
fi
[ -e $R/chain-gen.$NODE ] || echo "${LAB_GEN:-0}" > $R/chain-gen.$NODE
gen=$((${LAB_GEN:-0} - $(cat $R/chain-gen.$NODE)))
if [ "$NODE" = "$A" ]; then
	round=$((gen * 2)) prev=$B
else
	round=$((gen * 2 + 1)) prev=$A
fi

say() {
	echo "round $round, node$NODE gen${LAB_GEN:-0} ($LAB_STACK): $*"
}

rand() {
	head -c 2 /dev/urandom | od -An -tu2 | tr -d ' '
}

# options R: the mount options of round R (what each module journals with)
options() {
	case $(($1 % 4)) in
	0) echo defaults ;;
	1) echo data=writeback ;;
	2) echo commit=2,noatime ;;
	3) echo barrier=0,relatime ;;
	esac
}

# names DIR: the namespace operations both modules can do
names() {
	d=$1
	mkdir -p $d/a/b $d/c $d/gone
	: > $d/empty
	touch $d/a/b/leaf $d/c/other $d/tmp
	ln -s ../step_0 $d/c/sym
	ln $d/empty $d/a/hard
	rmdir $d/gone
	rm $d/tmp
	mv $d/c/other $d/a/moved
	mv $d/a/b $d/c/b_moved
	: > $d/c/victim
	mv $d/a/moved $d/c/victim
	chmod 0750 $d/c
	i=0
	while [ $i -lt 30 ]; do
		touch $d/c/n$i
		i=$((i + 1))
	done
}

# contents DIR: files of varied sizes (inline, one block, many extents),
# each fsynced
contents() {
	i=0
	while [ $i -lt 10 ]; do
		head -c $((i * i * 4099 + $(rand) % 3000 + 1)) /dev/urandom > $1/f$i
		sync $1/f$i
		i=$((i + 1))
	done
}

# tree DIR: one line per path (raw mode, owner, size, links, mtime),
# then the content hash of each file and the target of each symlink;
# a few commands per tree, where manifest forks per path
tree() {
	(
	cd "$1" || exit 1
	find . | sort | xargs stat -c '%n %f %u:%g %s %h %Y'
	find . -type f | sort | xargs -r sha256sum
	find . -type l | sort | while read -r p; do echo "$p -> $(readlink "$p")"; done
	)
}

# noise DIR: changes nothing waits for, until this node is killed; every
# 8th pass writes a file, fsyncs it and only then records its hash
noise() {
	mkdir -p $1
	i=0
	while :; do
		touch $1/x$((i % 40)) 2>/dev/null || true
		mv $1/x$((i % 40)) $1/y$((i % 37)) 2>/dev/null || true
		rm -f $1/y$((i % 23)) 2>/dev/null || true
		mkdir $1/d$((i % 11)) 2>/dev/null || rmdir $1/d$((i % 11)) 2>/dev/null || true
		head -c $((i % 9000)) /dev/urandom > $1/w$((i % 5))
		if [ $((i % 8)) = 0 ]; then
			head -c $((i * 613 % 300000 + 1)) /dev/urandom > $1/s$i
			sync $1/s$i
			echo "$(sha256sum < $1/s$i | cut -c1-64) $1/s$i" >> $R/fsynced.$round
		fi
		# clusters allocated and freed on every pass: records keep
		# coming to the truncate log
		head -c 20000 /dev/urandom > $1/t$((i % 3))
		rm -f $1/t$(((i + 1) % 3))
		if [ $((i % 16)) = 5 ]; then
			dd if=/dev/urandom of=$1/big bs=64k count=$((i % 24 + 1)) 2>/dev/null
		fi
		i=$((i + 1))
	done
}

verify() {
	s=0
	n=0
	while [ $s -lt $round ]; do
		tree $mnt/step_$s | diff $R/expect.$s - ||
			fail "step_$s differs after replaying round $((round - 1))'s journal"
		if [ -s $R/fsynced.$s ]; then
			while read -r sum path; do
				# a line the kill cut short was never a promise
				[ ${#sum} = 64 ] && [ -n "$path" ] || continue
				[ "$(sha256sum < $path | cut -c1-64)" = "$sum" ] ||
					fail "$path (fsynced in round $s) lost its content"
				n=$((n + 1))
			done < $R/fsynced.$s
		fi
		s=$((s + 1))
	done
	say "the $round synced trees and $n files fsynced during noise are intact"
}

# doomed DIR: three files of 1-3 MiB, synced, then deleted and a marker
# fsynced in the transaction that freed them: their clusters sit in the
# truncate log, committed, when the noise starts
doomed() {
	mkdir -p $1
	for m in 1 2 3; do
		head -c $((m * 1048576)) /dev/urandom > $1/doomed$m
	done
	sync
	rm $1/doomed1 $1/doomed2 $1/doomed3
	echo "round $round" > $1/marker
	sync $1/marker
}

# tl_records: "Total Records: N Used: M" of truncate_log:0000 on disk
# (before replay: what the last checkpoint left, not the journal's copy)
tl_records() {
	stock-debugfs.ocfs2 -R "stat //truncate_log:0000" $dev 2>/dev/null |
		grep -i "total records" | tr -s ' \t' ' '
}

# tl_recovered: our recovery's truncate log line of this boot, if any,
# kept in $R/tl-recovered with the round
tl_recovered() {
	line=$(dmesg | grep -o 'truncate_log:[0-9]*: freed .*' | tail -1)
	[ -n "$line" ] || return 0
	echo "round $round ($LAB_STACK): $line" >> $R/tl-recovered
	say "recovery: $line"
}

# wait_synced: round r-1 has synced its tree (or its node ended: a failure)
wait_synced() {
	while [ ! -e $R/synced.$((round - 1)) ]; do
		[ ! -e $R/.lab/status/$prev ] || fail "round $((round - 1)) ended without syncing"
		sleep 0.2
	done
}

if [ $round -gt "$KILLS" ]; then
	say "the chain of $KILLS kill points is complete; nothing to do"
	exit 0
fi

if [ $round = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L chain $dev
else
	wait_synced
	delay=$(rand)
	sleep "$((delay % 3)).$((delay % 10))"
	lab-ctl restart $prev
	say "killed round $((round - 1)) (node$prev) after $((delay % 3)).$((delay % 10)) s of noise"
	t0=$(date +%s)
	say "on disk before replay: truncate_log:0000 $(tl_records)"
	mount -t ocfs2 $dev $mnt
	dmesg | grep -i "ocfs2.*\(replay\|recover\)" | tail -2 || true
	tl_recovered
	verify
	umount $mnt
	fsck_clean "after round $round replayed"
	say "stock fsck -fn clean; replay, checks and fsck took $(($(date +%s) - t0)) s"
	if [ $round = "$KILLS" ]; then
		s=0
		while [ $s -lt $round ]; do
			klog_verdict round$s
			s=$((s + 1))
		done
		if grep -q '(ours)' $R/chain-stacks 2>/dev/null; then
			[ -s $R/tl-recovered ] ||
				fail "our module never recovered a truncate log with records"
			say "our recoveries of a truncate log with records: $(wc -l < $R/tl-recovered)"
		fi
		say "$KILLS kill points replayed, each by the other module, all intact"
		exit 0
	fi
fi

opts=$(options $round)
echo "round $round ($LAB_STACK)" >> $R/chain-stacks
mount -t ocfs2 -o $opts $dev $mnt
names $mnt/step_$round
contents $mnt/step_$round
sync
tree $mnt/step_$round > $R/expect.$round
say "mounted -o $opts, synced $(grep -c '^\./' $R/expect.$round) paths"
klog_check round$round
doomed $mnt/doomed_$round
say "deleted three synced files of 1-3 MiB, the deletion fsynced"
: > $R/fsynced.$round
noise $mnt/noise_$round &
: > $R/synced.$round
sleep 900
