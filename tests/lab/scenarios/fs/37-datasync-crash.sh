#!/bin/sh
# fdatasync with ocfs2.datasync_tid on, across crashes: fdatasync of a
# regular file then waits only for the last transaction that changed what
# its data needs (inode block other than the times, extent tree), and
# skips one of times only.  A change it missed would be lost at a kill,
# when its transaction had not been committed yet.
#  The ours node (the others have no part) formats /dev/vda (4 KiB blocks
#  and clusters, local mount) in its first generation, then in each round
#  sets the parameter (a restart reloads the module), mounts and runs
#  noise: every pass writes new files (small/inline, empty, one block,
#  many clusters, sparse), overwrites a synced file in place (O_DIRECT where
#  the buffer allows), appends to and truncates files, and with fallocate
#  (--add /usr/bin/fallocate) preallocates, writes into the unwritten
#  extent and punches holes; each file is fdatasynced (busybox sync -d)
#  and its content hash recorded only once that returned, a "pending"
#  line first for a file changed after it was recorded.  Between 2 and 6
#  s into the noise the node restarts itself (a kill).
#  The next generation mounts (replaying the journal), checks every file
#  whose last record is a hash, unmounts, runs stock fsck -fn (clean), and
#  starts the next round; ROUNDS kill points (first argument, default 5).
#  Further arguments:
#   node=N    only ours node N runs the rounds (default: every ours node,
#             each on /dev/vda: give it when more than one node is ours);
#   replay=M  node M (stock, say) kills node N instead (lab-ctl restart,
#             once N says it is ready), mounts the volume first, so that
#             its module replays the journal, and checks every record and
#             runs stock fsck before N's next generation mounts it again
#             and checks it too;
#   P=V       also set ocfs2.P to V on node N in every generation (e.g.
#             create_async_locks=1: the creates then use read_new_inode).
#  Must come last in a set.sh run (it kills its node).
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M --timeout 900 \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/fallocate \
#       tests/lab/scenarios/fs/37-datasync-crash.sh 5 node=1 replay=0
set -e
. /usr/local/bin/lib.sh
ROUNDS=${1:-5}
[ $# = 0 ] || shift
dev=/dev/vda
mnt=/mnt/ocfs2
R=$LAB_RESULTS
runner= replayer= params=
for a in "$@"; do
	case $a in
	node=*) runner=${a#node=} ;;
	replay=*) replayer=${a#replay=} ;;
	?*=*) params="$params $a" ;;
	*) fail "argument '$a': node=N, replay=M or PARAMETER=VALUE" ;;
	esac
done
[ -z "$replayer" ] || [ -n "$runner" ] ||
	fail "replay=$replayer needs node=N (the node it kills)"
[ "$runner" != "$replayer" ] || [ -z "$runner" ] ||
	fail "node$runner cannot replay its own kills"
round=0

say() {
	echo "round $round (node$NODE gen ${LAB_GEN:-0}, $LAB_STACK): $*"
}

rand() {
	head -c 2 /dev/urandom | od -An -tu2 | tr -d ' '
}

# nfail MSG: the noise runs in the background, where fail() would end
# only itself; the next generation reports it
nfail() {
	echo "round $round: $*" >> $R/37-noise-failed
	exit 1
}

# synced PATH: its data was fdatasynced; record its hash
synced() {
	sync -d "$1" || nfail "fdatasync $1"
	echo "$(sha256sum < "$1" | cut -c1-64) $1" >> $R/37-records
}

# pending PATH: it is about to change; its record no longer holds
pending() {
	echo "pending $1" >> $R/37-records
}

# whole_records: the records but a last line the kill cut short (no
# newline), which was never a promise
whole_records() {
	if [ -s $R/37-records ] && [ -n "$(tail -c 1 $R/37-records)" ]; then
		sed '$d' $R/37-records
	else
		cat $R/37-records
	fi
}

# verify: every path whose last record is a hash has that content
verify() {
	[ -s $R/37-records ] || return 0
	whole_records |
		awk '{ last[$2] = $1 } END { for (p in last) print last[p], p }' \
		> /tmp/37-last
	n=0 skipped=0
	while read -r sum path; do
		if [ ${#sum} != 64 ]; then
			skipped=$((skipped + 1))
			continue
		fi
		[ -f "$path" ] || fail "$path (fdatasynced) is missing"
		[ "$(sha256sum < "$path" | cut -c1-64)" = "$sum" ] ||
			fail "$path (fdatasynced) lost its content"
		n=$((n + 1))
	done < /tmp/37-last
	say "$n fdatasynced files intact ($skipped changing at the kill, not checked)"
	echo "$n" >> $R/37-checked.$NODE
}

# noise DIR: until the node is killed
noise() {
	set +e
	d=$1
	mkdir -p $d || nfail "mkdir $d"
	sync
	i=0
	while :; do
		head -c $((i * 5077 % 200000 + 1)) /dev/urandom > $d/a$i ||
			nfail "write a$i"
		synced $d/a$i
		head -c $((i % 7 * 40 + 10)) /dev/urandom > $d/i$i
		synced $d/i$i
		# made and fdatasynced with no data: only the create's
		# transaction holds it
		: > $d/e$i
		synced $d/e$i
		dd if=/dev/urandom of=$d/s$i bs=4096 seek=$((i * 37 % 300)) \
			count=$((i % 3 + 1)) 2> /dev/null
		synced $d/s$i
		if [ $i -gt 0 ] && [ -f $d/a$((i - 1)) ] &&
		   [ "$(stat -c %s $d/a$((i - 1)))" -ge 8192 ]; then
			pending $d/a$((i - 1))
			# busybox's buffer may not be aligned for O_DIRECT: the
			# write then goes through the page cache, as the VFS does
			dd if=/dev/urandom of=$d/a$((i - 1)) bs=4096 count=1 \
				seek=1 conv=notrunc oflag=direct 2> /dev/null ||
				nfail "overwrite (O_DIRECT) of a$((i - 1))"
			synced $d/a$((i - 1))
		fi
		pending $d/g$((i % 3))
		head -c $((i * 911 % 9000 + 1)) /dev/urandom >> $d/g$((i % 3))
		synced $d/g$((i % 3))
		if [ $((i % 4)) = 3 ]; then
			pending $d/g$((i % 3))
			truncate -s $((i * 313 % 20000)) $d/g$((i % 3))
			synced $d/g$((i % 3))
		fi
		if command -v fallocate > /dev/null; then
			fallocate -l $((i % 5 * 65536 + 65536)) $d/u$i ||
				nfail "fallocate u$i"
			dd if=/dev/urandom of=$d/u$i bs=4096 count=2 \
				seek=$((i % 9)) conv=notrunc 2> /dev/null
			synced $d/u$i
			if [ $i -gt 1 ] && [ -f $d/a$((i - 2)) ]; then
				pending $d/a$((i - 2))
				fallocate -p -o 4096 -l 8192 $d/a$((i - 2)) ||
					nfail "punch a$((i - 2))"
				synced $d/a$((i - 2))
			fi
		fi
		# namespace changes and freed clusters keep transactions busy
		touch $d/x$((i % 13))
		mv $d/x$((i % 13)) $d/y$((i % 11)) 2> /dev/null || true
		head -c 30000 /dev/urandom > $d/t
		rm -f $d/t
		i=$((i + 1))
	done
}

# check_replayed WHAT: the volume mounted (a dirty journal replayed by
# this node's module), every record checked, stock fsck clean
check_replayed() {
	t0=$(date +%s)
	mount -t ocfs2 $dev $mnt
	dmesg | grep -i "ocfs2.*\(replay\|recover\)" | tail -2 || true
	verify
	umount $mnt
	fsck_clean "$1"
	say "mount, checks and stock fsck -fn clean in $(($(date +%s) - t0)) s"
}

# replay_rounds: node M's part: each kill point's kill and first replay
replay_rounds() {
	while [ $round -lt "$ROUNDS" ]; do
		until [ -e $R/37-kill.$round ]; do
			[ ! -e $R/.37-failed ] || fail "node$runner failed"
			[ ! -e $R/.lab/status/$runner ] ||
				fail "node$runner ended before kill point $round"
			sleep 0.2
		done
		lab-ctl restart "$runner"
		say "killed node$runner during its noise; $LAB_STACK replays"
		check_replayed "after $LAB_STACK's replay of round $round"
		: > $R/37-replayed.$round
		round=$((round + 1))
	done
	say "$ROUNDS journals of node$runner replayed here, fdatasynced files intact after each:" \
		"$(tr '\n' ' ' < $R/37-checked.$NODE)"
}

# wait_replayed: node M replayed the last kill point's journal
wait_replayed() {
	r=$((round - 1))
	until [ -e $R/37-replayed.$r ]; do
		[ ! -e $R/.37-failed ] || fail "node$replayer failed"
		[ ! -e $R/.lab/status/$replayer ] ||
			fail "node$replayer ended before it replayed round $r"
		sleep 0.2
	done
}

if [ -n "$replayer" ] && [ "$NODE" = "$replayer" ]; then
	bail_mark "$R/.37-failed"
	mkdir -p $mnt
	replay_rounds
	exit 0
fi
if [ "$LAB_STACK" != ours ] ||
   { [ -n "$runner" ] && [ "$NODE" != "$runner" ]; }; then
	[ "$NODE" != "$runner" ] || fail "node$runner runs $LAB_STACK, not ours"
	echo "node$NODE ($LAB_STACK): no part in the rounds"
	exit 0
fi
mkdir -p $mnt
[ -e $R/37-gen.$NODE ] || echo "${LAB_GEN:-0}" > $R/37-gen.$NODE
round=$((${LAB_GEN:-0} - $(cat $R/37-gen.$NODE)))
bail_mark "$R/.37-failed"
ours_param_again
param=/sys/module/ocfs2/parameters/datasync_tid
modprobe ocfs2
[ -w $param ] || fail "our module has no parameter datasync_tid"
echo 1 > $param
for a in $params; do
	p=/sys/module/ocfs2/parameters/${a%%=*}
	[ -w "$p" ] || fail "our module has no parameter ${a%%=*}"
	echo "${a#*=}" > "$p"
done

if [ $round = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -b 4K -C 4K -L dsync $dev
	: > $R/37-records
else
	[ -z "$replayer" ] || wait_replayed
	[ ! -s $R/37-noise-failed ] || {
		cat $R/37-noise-failed
		fail "the noise of round $((round - 1)) failed"
	}
	# appends go on after a whole line
	whole_records > /tmp/37-records
	cat /tmp/37-records > $R/37-records
	check_replayed "after the replay of round $((round - 1))"
	if [ $round = "$ROUNDS" ]; then
		s=0
		while [ $s -lt "$ROUNDS" ]; do
			klog_verdict 37-round$s
			s=$((s + 1))
		done
		say "$ROUNDS kill points, fdatasynced files intact after each:" \
			"$(tr '\n' ' ' < $R/37-checked.$NODE)"
		exit 0
	fi
fi
mount -t ocfs2 $dev $mnt
delay=$(($(rand) % 40 + 20))
say "ocfs2.datasync_tid=$(cat $param)$(for a in $params; do
	printf ', %s=%s' "${a%%=*}" "$(cat /sys/module/ocfs2/parameters/${a%%=*})"
	done); noise, killed after $((delay / 10)).$((delay % 10)) s"
noise $mnt/r$round &
sleep "$((delay / 10)).$((delay % 10))"
klog_check 37-round$round
if [ -n "$replayer" ]; then
	# node M kills this node, then replays its journal first
	: > $R/37-kill.$round
else
	lab-ctl restart "$NODE"
fi
sleep 900
