#!/bin/sh
# Cluster-mode bench (lab scenario, --cluster user, four nodes
# --stack stock,stock,ours,ours, fs-bench and clu-pingpong added),
# arguments [ROUNDS [META_N [LS_N [CREATE_N [PP_N]]]]]:
# one corosync/fs/dlm cluster; the stock pair (nodes 0-1) mounts a
# cluster volume on vda, our pair (nodes 2-3) one on vdb: the same DLM,
# a lockspace each.  Six TCG nodes (two trios) did not even finish
# booting in 600 s on the 2-core lab host, so the creators metric runs
# on two nodes per stack, not three.  In each round the pairs take turns
# (the order alternates) while the other idles:
#  - meta: the pair's first node alone, on the cluster volume (mounted on
#    both) and then on a local-mount volume (vdc stock, vdd ours):
#    fs-bench create/stat/readdir/unlink of META_N files.  Lock caching
#    is what keeps cluster/local near 1.  Ours' cold stat once more with
#    lookup_ahead_names 0 (cluster-stat-noahead/s), and its cold stat
#    and unlink once more with kept_locks 0 (cluster-stat-nokeep/s,
#    cluster-unlink-nokeep/s: the locks go with the evicted inodes);
#  - ping-pong: the two nodes of the pair alternate 4 KiB writes to one
#    file (clu-pingpong, PP_N turns each): writes/s of both, and per turn
#    (one write) both nodes' disk reads, writes, cache flushes (with
#    their milliseconds) and journal commits; a short traced ping-pong
#    (pptrace.*: DLM, jbd2 and disk events); again with the other
#    barrier setting (ours barrier=0, stock barrier=1: stock's default
#    is 0, ours 1) and, ours, with lock parameters changed;
#  - ls -l: the first node creates LS_N files in a new directory (then
#    syncfs), the second runs `ls -l` of it at once: seconds; ours once
#    more with lock_ahead off (ls-l-noahead-s);
#  - creators: both create CREATE_N files at once, each in a
#    directory of its own: 2 * CREATE_N / the slower node's seconds;
#    ours once more with create_async_locks off (creates-2-nodes-sync/s).
# Lines "<stack> <metric> <value>" go to $LAB_RESULTS/bench.<node>;
# tests/bench/cluster/run.sh prints medians and ratios.  Stock fsck -fn of
# both cluster volumes at the end.
set -e
R=$LAB_RESULTS
ROUNDS=${1:-1}
META_N=${2:-1000}
LS_N=${3:-10000}
CREATE_N=${4:-1000}
PP_N=${5:-200}
C=/mnt/c
L=/mnt/l
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)

[ "$NODES" = 4 ] || fail "wants 4 nodes (--stack stock,stock,ours,ours)"
grep -q '^user pcmk' /run/lab-stack || fail "user stack not online (--cluster user)"
case $NODE in
0 | 1) want=stock me=$NODE dev=/dev/vda ldev=/dev/vdc ;;
*) want=ours me=$((NODE - 2)) dev=/dev/vdb ldev=/dev/vdd ;;
esac
[ "$LAB_STACK" = $want ] || fail "node$NODE runs $LAB_STACK, wants $want"
lab-cluster-mounts || fail "ocfs2.cluster_mounts is not on by default"
# ours: the lock speed-ups on whatever their default (kept for later
# scenarios of the same boot: they run with them); the defaults found
# are logged first
for q in cluster_meta_cache=1 attach_direct=1 upconvert_direct=1 lock_ahead=1 \
	create_async_locks=1 lookup_ahead_names=32 kept_locks=4096; do
	p=/sys/module/ocfs2/parameters/${q%%=*}
	if [ -w $p ]; then
		say "default ${q%%=*}=$(cat $p)"
		echo "${q#*=}" > $p
	fi
done

if [ "$me" = 0 ]; then
	echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
	echo y | $mkfs -q -F -M local -L local-$want $ldev
fi
lab-barrier formatted
mkdir -p $C $L
mount -t ocfs2 $dev $C || fail "cluster mount of $dev"
lab-barrier mounted
say "mounted $dev"

out() { echo "$want $1 $2" >> "$R/bench.$NODE"; }
cold() { sync; echo 3 > /proc/sys/vm/drop_caches; }
rate() { fs-bench "$@" | awk '{ print $3 }'; }
secs() { awk '{ print $1 }' /proc/uptime; }

# meta KIND DIR: single-node metadata rates in a new DIR
meta() {
	mkdir "$2"
	sync
	out "$1-create/s" "$(rate create "$2" "$META_N")"
	cold
	out "$1-stat/s" "$(rate stat "$2" "$META_N")"
	cold
	out "$1-readdir/s" "$(rate readdir "$2")"
	out "$1-unlink/s" "$(rate unlink "$2" "$META_N")"
	rmdir "$2"
}

# ours: cold stat once more, lookup_ahead_names 0 (cluster-stat-noahead/s)
stat_variant() {
	vp=/sys/module/ocfs2/parameters/lookup_ahead_names
	[ -w "$vp" ] || return 0
	mkdir "$C/s$1"
	fs-bench create "$C/s$1" "$META_N" > /dev/null
	cold
	vold=$(cat "$vp")
	echo 0 > "$vp"
	out cluster-stat-noahead/s "$(rate stat "$C/s$1" "$META_N")"
	echo "$vold" > "$vp"
	rm -rf "$C/s$1"
}

# ours: cold stat and unlink once more with kept_locks 0, new files
# (cluster-stat-nokeep/s, cluster-unlink-nokeep/s)
keep_variant() {
	vp=/sys/module/ocfs2/parameters/kept_locks
	[ -w "$vp" ] || return 0
	vold=$(cat "$vp")
	echo 0 > "$vp"
	mkdir "$C/k$1"
	sync
	fs-bench create "$C/k$1" "$META_N" > /dev/null
	cold
	out cluster-stat-nokeep/s "$(rate stat "$C/k$1" "$META_N")"
	cold
	out cluster-unlink-nokeep/s "$(rate unlink "$C/k$1" "$META_N")"
	rmdir "$C/k$1"
	echo "$vold" > "$vp"
}

phase_meta() {
	meta cluster $C/m$1
	stat_variant "$1"
	keep_variant "$1"
	mount -t ocfs2 $ldev $L || fail "local mount of $ldev"
	meta local $L/m$1
	umount $L
}

# Ours only: the cluster lock domain's counters (DLM requests and their
# waits, downconverts, checkpoint parks, refreshes, metadata read from
# disk: fs/locks/lock_debug.c) after each phase, to lockstats.<node>.
lstats() {
	[ "$want" = ours ] || return 0
	for f in /sys/kernel/debug/ocfs2/*/lock_stats; do
		[ -r "$f" ] || continue
		echo "== $1"
		tr '\n' ' ' < "$f"
		echo
	done >> "$R/lockstats.$NODE"
}

# The phases below run on the measuring pair only; every node, idle or
# not, meets every barrier (lab-barrier waits for all live nodes).

# pp_sample: this node's counters for the cluster volume: its disk's
# requests and their milliseconds (reads, writes, cache flushes:
# /sys/block/*/stat fields 1 4 5 8 16 17) and jbd2's commit count
pp_sample() {
	set -- $(cat "/sys/block/${dev#/dev/}/stat")
	c=$(cat /proc/fs/jbd2/"${dev#/dev/}"-*/info 2>/dev/null | awk 'NR == 1 { print $1 }')
	echo "$1 $4 $5 $8 ${16:-0} ${17:-0} ${c:-0}"
}

# pp_counted FILE: one ping-pong, this node's counters around it (their
# differences to $R/ppc.$NODE); prints clu-pingpong's line
pp_counted() {
	s0=$(pp_sample)
	pp=$(clu-pingpong "$1" "$me" "$PP_N") || return 1
	s1=$(pp_sample)
	echo "$s0 $s1" | awk '{ for (i = 1; i <= 7; i++) printf "%d ", $(i + 7) - $i; print "" }' \
		> "$R/ppc.$NODE"
	echo "$pp"
}

# pp_sum TAG (the pair's first node, after both counted): both nodes'
# counters per turn (one write; the pair made 2 * PP_N), as metrics
# pp[TAG]-<counter>/turn
pp_sum() {
	set -- $(cat "$R/ppc.$NODE" "$R/ppc.$((NODE + 1))" | awk -v t=$((2 * PP_N)) '
		{ for (i = 1; i <= 7; i++) s[i] += $i }
		END { for (i = 1; i <= 7; i++) printf "%.2f ", s[i] / t }')
	out "pp$TAG-reads/turn" "$1"
	out "pp$TAG-read-ms/turn" "$2"
	out "pp$TAG-writes/turn" "$3"
	out "pp$TAG-write-ms/turn" "$4"
	out "pp$TAG-flushes/turn" "$5"
	out "pp$TAG-flush-ms/turn" "$6"
	out "pp$TAG-commits/turn" "$7"
}

pp_run() {
	pp=$(pp_counted "$C/pp$1") || fail "ping-pong"
	say "ping-pong: $pp ($(cat "$R/ppc.$NODE"))"
	[ "$me" = 0 ] && out pingpong-writes/s "$(echo "$pp" | awk '{ print $3 }')"
	return 0
}

# pp_mount OPTIONS (the measuring pair): the cluster volume mounted again
# with OPTIONS ("" = the defaults)
pp_mount() {
	umount $C || fail "umount for the ping-pong variant"
	mount -t ocfs2 ${1:+-o "$1"} $dev $C || fail "mount -o '$1' for the ping-pong variant"
}

# pp_barrier ROUND OPTION METRIC TAG (every node; the measuring pair
# remounts): the ping-pong again on a volume mounted with OPTION
# (barrier=0 on ours, barrier=1 on stock: each stack's default is the
# other's variant), counted as pp<TAG>-*/turn, then mounted as before
pp_barrier() {
	[ -n "$a" ] && pp_mount "$2"
	lab-barrier "pp-$1-$2-mounted"
	[ -n "$a" ] && [ "$me" = 0 ] && : > "$C/pp$1-$2"
	lab-barrier "pp-$1-$2-ready"
	if [ -n "$a" ]; then
		pp=$(pp_counted "$C/pp$1-$2") || fail "ping-pong with $2"
		say "ping-pong with $2: $pp ($(cat "$R/ppc.$NODE"))"
		[ "$me" = 0 ] && out "$3" "$(echo "$pp" | awk '{ print $3 }')"
	fi
	lab-barrier "pp-$1-$2-done"
	[ -n "$a" ] && [ "$me" = 0 ] && TAG=$4 pp_sum
	[ -n "$a" ] && pp_mount ""
	lab-barrier "pp-$1-$2-remounted"
	return 0
}

# Tracing (tracefs events) for one short ping-pong of PP_T turns each:
# DLM requests, blocking ASTs and grants, jbd2 commits, checkpoints and
# journal superblock writes, disk requests issued and completed.  The
# trace goes to $R/pptrace.<node>.<stack>.<round>; run.sh counts it.
TR=/sys/kernel/tracing
PP_T=25
PP_EVENTS="dlm/dlm_lock_start dlm/dlm_ast dlm/dlm_bast jbd2/jbd2_start_commit
	jbd2/jbd2_end_commit jbd2/jbd2_checkpoint jbd2/jbd2_write_superblock
	block/block_rq_issue block/block_rq_complete"

pp_trace_on() {
	[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null || return 1
	echo 0 > $TR/tracing_on
	echo 4096 > $TR/buffer_size_kb
	echo > $TR/trace
	for e in $PP_EVENTS; do
		echo 1 > "$TR/events/$e/enable" 2>/dev/null || say "no trace event $e"
	done
	echo 1 > $TR/tracing_on
}

pp_trace_off() {
	echo 0 > $TR/tracing_on
	cp $TR/trace "$1"
	echo 0 > $TR/events/enable
	echo > $TR/trace
}

# pp_traced STACK ROUND (every node; the measuring pair traces)
pp_traced() {
	t=
	[ -n "$a" ] && pp_trace_on && t=1
	[ -n "$a" ] && [ "$me" = 0 ] && : > "$C/ppt$2" &&
		echo $((2 * PP_T)) > "$R/pptrace.turns"
	lab-barrier "$1-$2-pp-trace-ready"
	if [ -n "$a" ]; then
		# the other node plays its turns whether or not this one traces
		pp=$(clu-pingpong "$C/ppt$2" "$me" "$PP_T") || fail "traced ping-pong"
		if [ -n "$t" ]; then
			pp_trace_off "$R/pptrace.$NODE.$1.$2"
			say "traced ping-pong: $pp"
		else
			say "ping-pong not traced (no tracefs): $pp"
		fi
	fi
	lab-barrier "$1-$2-pp-traced"
	return 0
}

# pp_variant ROUND PARAM VALUE METRIC (every node; ours measure): the
# ping-pong again with one of our lock parameters changed, then restored,
# to compare within one boot (fair_locks on -> off, upconvert_direct on
# -> off: the cached PR goes through NL before EX, the old way).
pp_variant() {
	vp=/sys/module/ocfs2/parameters/$2
	[ -n "$a" ] && [ "$me" = 0 ] && : > "$C/pp$1-$2"
	[ -n "$a" ] && vold=$(cat "$vp") && echo "$3" > "$vp"
	lab-barrier "ours-$1-$2-set"
	if [ -n "$a" ]; then
		pp=$(clu-pingpong "$C/pp$1-$2" "$me" "$PP_N") || fail "ping-pong with $2=$3"
		echo "$vold" > "$vp"
		say "ping-pong with $2=$3: $pp"
		[ "$me" = 0 ] && out "$4" "$(echo "$pp" | awk '{ print $3 }')"
	fi
	lab-barrier "ours-$1-$2-done"
	return 0
}

# ls_run DIR METRIC
ls_run() {
	t0=$(secs)
	n=$(ls -l "$1" | grep -c ' f[0-9]')
	t1=$(secs)
	[ "$n" = "$LS_N" ] || fail "ls -l saw $n of $LS_N"
	out "$2" "$(echo "$t0 $t1" | awk '{ print $2 - $1 }')"
}

# ls_variant ROUND PARAM VALUE METRIC (every node; ours measure): the
# ls -l phase again in a new directory with one of our lock parameters
# changed on both our nodes, then restored (lock_ahead on -> off).
ls_variant() {
	vp=/sys/module/ocfs2/parameters/$2
	d=$C/ls$1-$2
	if [ -n "$a" ] && [ -w "$vp" ]; then
		vold=$(cat "$vp")
		echo "$3" > "$vp"
	fi
	lab-barrier "ours-$1-ls-$2-set"
	[ -n "$a" ] && [ "$me" = 0 ] && mkdir "$d" &&
		fs-bench create "$d" "$LS_N" > /dev/null
	lab-barrier "ours-$1-ls-$2-created"
	[ -n "$a" ] && [ "$me" = 1 ] && ls_run "$d" "$4"
	lab-barrier "ours-$1-ls-$2-done"
	if [ -n "$a" ] && [ -w "$vp" ]; then echo "$vold" > "$vp"; fi
	return 0
}

# cr_sum [METRIC]: both nodes' creates over the slower one's seconds
cr_sum() {
	cat "$R/cr.$NODE" "$R/cr.$((NODE + 1))" |
		awk '{ n += $1; if ($2 > t) t = $2 } END { printf "%.1f\n", n / t }' > "$R/cr.sum"
	out "${1:-creates-2-nodes/s}" "$(cat "$R/cr.sum")"
}

# cr_variant ROUND PARAM VALUE METRIC (every node; ours measure): the
# creators phase again with one of our lock parameters changed on both
# our nodes, then restored (create_async_locks on -> off).
cr_variant() {
	vp=/sys/module/ocfs2/parameters/$2
	if [ -n "$a" ] && [ -w "$vp" ]; then
		vold=$(cat "$vp")
		echo "$3" > "$vp"
	fi
	[ -n "$a" ] && mkdir "$C/c$1-$2-$me"
	lab-barrier "ours-$1-cr-$2-ready"
	[ -n "$a" ] && fs-bench create "$C/c$1-$2-$me" "$CREATE_N" > "$R/cr.$NODE"
	lab-barrier "ours-$1-cr-$2-done"
	[ -n "$a" ] && [ "$me" = 0 ] && cr_sum "$4"
	if [ -n "$a" ] && [ -w "$vp" ]; then echo "$vold" > "$vp"; fi
	return 0
}

# pair STACK ROUND: the pair running STACK measures, the other waits
pair() {
	a=
	[ "$1" = $want ] && a=1
	[ -n "$a" ] && [ "$me" = 0 ] && phase_meta "$2"
	lab-barrier "$1-$2-meta"
	lstats "$1-$2-meta"
	[ -n "$a" ] && [ "$me" = 0 ] && : > "$C/pp$2"
	lab-barrier "$1-$2-pp-ready"
	[ -n "$a" ] && pp_run "$2"
	lab-barrier "$1-$2-pp"
	[ -n "$a" ] && [ "$me" = 0 ] && TAG= pp_sum
	lstats "$1-$2-pingpong"
	pp_traced "$1" "$2"
	if [ "$1" = ours ]; then
		pp_barrier "$2" barrier=0 pingpong-barrier0-writes/s -barrier0
		lstats "$1-$2-pingpong-barrier0"
		pp_variant "$2" downconvert_overlap 0 pingpong-serial-wb-writes/s
		pp_variant "$2" fair_locks 0 pingpong-nofair-writes/s
		pp_variant "$2" upconvert_direct 0 pingpong-via-nl-writes/s
		lstats "$1-$2-pingpong-variants"
	else
		pp_barrier "$2" barrier=1 pingpong-barrier1-writes/s -barrier1
	fi
	[ -n "$a" ] && [ "$me" = 0 ] && mkdir "$C/ls$2" &&
		fs-bench create "$C/ls$2" "$LS_N" > /dev/null
	lab-barrier "$1-$2-ls-created"
	[ -n "$a" ] && [ "$me" = 1 ] && ls_run "$C/ls$2" ls-l-s
	lab-barrier "$1-$2-ls"
	lstats "$1-$2-ls-l"
	if [ "$1" = ours ]; then
		ls_variant "$2" lock_ahead 0 ls-l-noahead-s
		lstats "$1-$2-ls-l-noahead"
	fi
	[ -n "$a" ] && mkdir "$C/c$2-$me"
	lab-barrier "$1-$2-cr-ready"
	[ -n "$a" ] && fs-bench create "$C/c$2-$me" "$CREATE_N" > "$R/cr.$NODE"
	lab-barrier "$1-$2-cr-done"
	lstats "$1-$2-creators"
	[ -n "$a" ] && [ "$me" = 0 ] && cr_sum
	if [ "$1" = ours ]; then
		cr_variant "$2" create_async_locks 0 creates-2-nodes-sync/s
		lstats "$1-$2-creators-sync"
	fi
	lab-barrier "$1-$2-done"
	say "$1 round $2 done"
}

round=1
while [ "$round" -le "$ROUNDS" ]; do
	if [ $((round % 2)) = 1 ]; then
		pair stock $round
		pair ours $round
	else
		pair ours $round
		pair stock $round
	fi
	round=$((round + 1))
done
umount $C || fail "umount"
lab-barrier unmounted
if [ "$me" = 0 ]; then
	$fsck -fn $dev > /tmp/fsck.out 2>&1 </dev/null || { cat /tmp/fsck.out; fail "fsck of $dev"; }
	say "stock fsck -fn of $dev clean"
fi
say done
