#!/bin/sh
# Pacemaker lab nodes (--rootfs pcmk, 3 nodes): the README's recipe - STONITH
# through the lab fence agent, no-quorum-policy=freeze, the dlm
# (ocf:pacemaker:controld) and ocfs2_controld (ocf:ocfs2:o2cb) as one
# cloned group - configured with crmsh or pcs (first argument), and every
# clone started on every node.  Then one fault (second argument):
#   kill: node2 holds a dlmfs master lock and is in an ocfs2_controld
#         volume group; its QEMU is killed.  Pacemaker fences it through
#         fence_lab, fs/dlm recovers on the survivors once the fencing is
#         recorded, the master lock moves to exactly one survivor, and the
#         daemon reports the node down only after pacemaker's fencing
#         history has it (with OCFS2_CONTROLD_SEND_DOWN=1, which the lab
#         sets for our stack, as a DOWN that our ocfs2_stack_user takes).
#   cut:  node2's network link is cut: node2 loses quorum (its daemon
#         refuses mounts, its resources freeze), the quorate side fences
#         it, keeps its clones and its lock service, and still mounts.
#   none: stop after the start.
# Third argument "fs" (needs --disk 1G): node0 formats /dev/vda for pcmk
# and the group gets a third member, ocf:heartbeat:Filesystem mounting it
# on /srv/ocfs2 (in the pacemaker root: /pcmk/srv/ocfs2 here) on every
# node; each node's file is read by the others; on a fault node2 is
# writing, a survivor replays its journal and both go on writing.  With
# the stock modules (--stack stock) the dlmfs lock service is left out
# (stock dlmfs cannot join a domain under dlm_controld: EBADR); with ours
# the filesystem needs ocfs2.cluster_mounts on (its default, checked).
# Run: tests/lab/run --kernel K --cluster user --rootfs pcmk --stack ours \
#        --nodes 3 --mem 1024 --add ocfs2_controld/ocfs2_controld \
#        --add ocfs2_controld/o2cb.ocf --timeout 720 THIS crm|pcs kill|cut|none [fs]
set -e
TOOL=${1:-crm}
FAULT=${2:-none}
FS=${3:-}
MNT=/pcmk/srv/ocfs2
# dlmfs lock service: with our modules only (see above)
LOCKS=no
[ "$LAB_STACK" = ours ] && LOCKS=yes
R=$LAB_RESULTS
U=0CF5C0DE0CF5C0DE0CF5C0DE0CF5C0DE
D=/dlm/$U
LOG=$R/node$NODE.syslog
say() { echo "node$NODE: $*"; }
fail() { echo "node$NODE: FAIL: $*"; exit 1; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.0f", b - a }'; }

grep -q '^pcmk ' /run/lab-stack || { echo "not a pacemaker node (--rootfs pcmk)"; exit 77; }
[ "$NODES" -eq 3 ] || { echo "wants 3 nodes"; exit 77; }
case "$TOOL/$FAULT/$FS" in
crm/*/ | pcs/*/ | crm/*/fs | pcs/*/fs) ;;
*) fail "usage: THIS crm|pcs kill|cut|none [fs]" ;;
esac
[ "$LOCKS" = yes ] || [ "$FS" = fs ] || { echo "--stack stock wants the fs argument"; exit 77; }

# wait_for SECONDS INTERVAL CMD...: until CMD succeeds.  crm_mon runs the
# scheduler, which is costly on a TCG node: poll it gently.
wait_for() {
	t=$1 iv=$2
	shift 2
	s=0
	until "$@" > /dev/null 2>&1; do
		s=$((s + iv))
		[ $s -le "$t" ] || { echo "timed out after ${t}s: $*"; return 1; }
		sleep "$iv"
	done
}

# when this node's dlm_controld logged node2 (id 3) fenced: its clock
# (CLOCK_MONOTONIC s, = uptime)
fenced_at() {
	sed -n 's/.*dlm_controld\[[0-9]*\]: \([0-9]*\) fence status 3 receive 0 .*/\1/p' "$LOG" | head -1
}

all_online() { lab-pcmk crm_mon -1 | grep -q 'Online: \[ node0 node1 node2 \]'; }
# started_on "node0 node1 node2": both clones started exactly there, and
# nothing stopped or failed
started_on() {
	out=$(lab-pcmk crm_mon -1 -r) || return 1
	[ "$(echo "$out" | grep -c "Started: \[ $1 \]")" -ge 1 ] &&
		! echo "$out" | grep -qE 'FAILED|Failed|not running'
}

configure_crm() {
	lab-pcmk crm configure <<CRM
property stonith-enabled=true no-quorum-policy=freeze
primitive fence-lab stonith:fence_lab params pcmk_host_list="node0 node1 node2" op monitor interval=120s
primitive dlm ocf:pacemaker:controld op start timeout=90s op stop timeout=100s op monitor interval=60s timeout=60s
primitive o2cb ocf:ocfs2:o2cb params stack=pcmk op start timeout=90s op stop timeout=100s op monitor interval=60s timeout=60s
$(fs_crm)
group base-group dlm o2cb $([ "$FS" = fs ] && echo fs)
clone base-clone base-group meta interleave=true
commit
CRM
}

# The Filesystem's monitor gets 120 s: a TCG node starved by the
# scheduler once ran it past 60 s (run 202743), failing a mounted clone
FS_OPS="op start timeout=90s op stop timeout=100s op monitor interval=60s timeout=120s"
fs_crm() {
	[ "$FS" = fs ] || return 0
	echo "primitive fs ocf:heartbeat:Filesystem params device=/dev/vda directory=/srv/ocfs2" \
		"fstype=ocfs2 $FS_OPS"
}

# pcs applies each command to the live cluster, and a TCG node takes
# minutes per probe round: with the Filesystem (fs), where that overran
# 720 s (run 134952), the recipe's commands go to a copy of the CIB
# (pcs -f), pushed once (an admin's way to apply several changes at
# once); without it the live form, which passed kill and cut, stays.
# Each pcs command costs a TCG node tens of seconds (run
# 20261126-235058: 4 min were not enough), so node0 writes the copy
# while the other nodes are still joining and pushes it once all are in.
CIB=/root/base-cib.xml
pcsf() {
	if [ "$FS" = fs ]; then lab-pcmk pcs -f $CIB "$@"; else lab-pcmk pcs "$@"; fi
}
pcs_commands() {
	pcsf property set stonith-enabled=true no-quorum-policy=freeze
	# fence_lab is the lab's own agent: if pcs does not like its
	# metadata, say so and go on with --force (a site's agent needs none)
	pcsf stonith create fence-lab fence_lab pcmk_host_list="node0 node1 node2" \
		op monitor interval=120s ||
		{ say "pcs refused fence_lab's metadata; retrying with --force"
		  pcsf stonith create fence-lab fence_lab pcmk_host_list="node0 node1 node2" \
			op monitor interval=120s --force; }
	pcsf resource create dlm ocf:pacemaker:controld \
		op start timeout=90s op stop timeout=100s op monitor interval=60s timeout=60s \
		--group base-group
	pcsf resource create o2cb ocf:ocfs2:o2cb stack=pcmk \
		op start timeout=90s op stop timeout=100s op monitor interval=60s timeout=60s \
		--group base-group
	[ "$FS" != fs ] || pcsf resource create fs ocf:heartbeat:Filesystem device=/dev/vda \
		directory=/srv/ocfs2 fstype=ocfs2 $FS_OPS --group base-group
	pcsf resource clone base-group interleave=true
}
# the copy, from node0's CIB once it has a DC (so the cluster's own
# properties are in it); the lab's load-threshold (see below) goes in too
prepare_pcs_file() {
	wait_for 300 5 sh -c 'lab-pcmk crm_mon -1 | grep -q "Current DC: node"' || return 1
	lab-pcmk pcs cluster cib $CIB || return 1
	CIB_file=$CIB lab-pcmk crm_attribute --type crm_config --name load-threshold \
		--update 1000% || say "could not raise load-threshold in the copy"
	pcs_commands
}
configure_pcs() {
	if [ "$FS" = fs ]; then
		lab-pcmk pcs cluster cib-push $CIB --config
	else
		pcs_commands
	fi
}

# ---- 1. the recipe ----
t0=$(uptime_s)
if [ "$FS" = fs ]; then
	# ours takes cluster mounts by default (checked, never set)
	lab-cluster-mounts || fail "ocfs2.cluster_mounts is not on by default"
	# ours holds plock grants until fs/dlm recovered (on by default)
	pw=/sys/module/ocfs2_stack_user/parameters/plock_fence_wait
	[ "$LAB_STACK" = stock ] || [ "$(cat $pw)" = Y ] || fail "ocfs2_stack_user.plock_fence_wait is not on"
	[ "$NODE" != 0 ] || echo y | mkfs.ocfs2 -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab /dev/vda ||
		fail "mkfs.ocfs2 --cluster-stack=pcmk"
fi
if [ "$NODE" = 0 ]; then
	if [ "$TOOL" = pcs ] && [ "$FS" = fs ]; then
		prepare_pcs_file || fail "pcs -f $CIB refused"
		say "pcs commands written to $CIB $(since "$t0") s after the scenario began"
	fi
	wait_for 300 5 all_online || { lab-pcmk crm_mon -1; fail "not all nodes online"; }
	say "pacemaker online on 3 nodes"
	# Lab only, not part of the recipe: a TCG node always reads as
	# overloaded, and the DC then throttles the whole cluster to one
	# action at a time (run 202743: 9 probes and 3 nodes' starts one
	# after another, 7 min).  Raise the threshold so nodes work in parallel.
	lab-pcmk crm_attribute --type crm_config --name load-threshold --update 1000% ||
		say "could not raise load-threshold (starts stay serialized)"
	configure_$TOOL || fail "$TOOL configuration refused"
	say "configured with $TOOL"
	wait_for 420 5 started_on "node0 node1 node2" ||
		{ lab-pcmk crm_mon -1 -r -f; fail "clones not started on every node"; }
	if [ "$TOOL" = pcs ]; then lab-pcmk pcs status || true; else lab-pcmk crm status || true; fi
	say "all started $(since "$t0") s after the scenario began"
fi
lab-barrier started
lab-pcmk pidof /usr/sbin/ocfs2_controld.pcmk > /dev/null || fail "ocfs2_controld.pcmk not running"
pidof dlm_controld > /dev/null || fail "dlm_controld not running"
[ "$(cat /sys/fs/ocfs2/cluster_stack)" = pcmk ] || fail "cluster_stack is not pcmk"
grep -q 'ocfs2_controld.*started (pacemaker fencing' "$LOG" ||
	fail "ocfs2_controld did not start with pacemaker fencing"
say "dlm_controld and ocfs2_controld.pcmk run; $(grep -o 'ocfs2_controld.*started (.*' "$LOG" | head -1)"
if [ "$FS" = fs ]; then
	grep -q " $MNT ocfs2 " /proc/mounts || fail "Filesystem did not mount $MNT"
	echo "written by node$NODE" > $MNT/from-node$NODE
	sync
	lab-barrier fs-written
	for n in 0 1 2; do
		[ "$(cat $MNT/from-node$n)" = "written by node$n" ] || fail "node$n's file reads wrong here"
	done
	say "Filesystem clone: $(grep " $MNT " /proc/mounts | cut -d' ' -f1-3); all three files read back"
fi
[ "$FAULT" = none ] && exit 0

# ---- 2. a lock service and a volume group on every node ----
if [ "$LOCKS" = yes ]; then
	grep -q '^dlmfs /dlm' /run/lab-stack || fail "dlmfs is not mounted on /dlm"
	mkdir $D || fail "cannot join dlmfs domain $U"
fi
out=$(controld-client "MOUNT ocfs2 $U lab /dev/vdz /mnt/$U" "MRESULT ocfs2 $U 0 /mnt/$U") ||
	fail "controld-client: $out"
echo "$out" | grep -q "STATUS 0" || fail "the daemon refused the volume group: $out"
lab-barrier grouped
[ "$NODE" = 2 ] && [ "$LOCKS" = yes ] && lab-takeover hold $D
# node2 writes to the filesystem until it dies (its journal is live) and
# holds a POSIX lock on it, which node1 waits for
if [ "$NODE" = 2 ] && [ "$FS" = fs ]; then
	# its count also goes to the results share, which node0 watches
	( i=0; while :; do echo "$i" >> $MNT/busy; echo "$i" > $R/busy.n; i=$((i + 1)); sleep 0.2; done ) &
	lab-plock $MNT/plock pid w:0:10 touch:$R/pl.held wait:$R/never > $R/pl.out &
	sleep 2
fi
if [ "$NODE" = 1 ] && [ "$FS" = fs ]; then
	wait_for 60 1 test -e $R/pl.held || fail "node2 never held its POSIX lock"
	pl=$(lab-plock $MNT/plock gw:0:1)
	# another node's pid (fs/dlm may negate it to mark it remote)
	[ "$(echo "$pl" | sed 's/ pid -/ pid /')" = "held w pid $(sed -n 's/^pid //p' $R/pl.out) start 0 len 10" ] ||
		fail "F_GETLK here: '$pl', not node2's lock"
	say "node2's POSIX lock seen here: $pl"
	( lab-plock $MNT/plock w:0:10 > $R/pl.waiter 2>&1 && uptime_s > $R/pl.granted-at ) &
	sleep 1
	[ ! -e $R/pl.granted-at ] || fail "POSIX lock granted here while node2 holds it"
fi
lab-barrier held

# ---- 3. the fault: node2 dies (kill) or is cut off (cut) ----
if [ "$NODE" = 2 ]; then
	[ "$LOCKS" = yes ] && lab-takeover victim
	if [ "$FAULT" = cut ]; then
		# alone: no quorum; the daemon refuses mounts; resources freeze
		wait_for 120 2 sh -c '! lab-pcmk corosync-quorumtool -s | grep -q "Quorate: *Yes"' ||
			fail "still quorate after the cut"
		say "inquorate after the cut"
		out=$(controld-client "MOUNT ocfs2 0123456789ABCDEF0123456789ABCDEF lab /dev/vdz /mnt/x") || true
		say "daemon without quorum: $out"
		if echo "$out" | grep -q "no quorum"; then : > "$R/inquorate-refused"; fi
		lab-pcmk pidof /usr/sbin/ocfs2_controld.pcmk > "$R/inquorate-daemon" || true
	fi
	# until fenced; node0 may ask for the blocked tasks first (a stalled
	# writer's stack, in this node's serial log)
	i=0
	while [ $i -lt 900 ]; do
		[ ! -e $R/dump-blocked ] || { echo w > /proc/sysrq-trigger; rm -f $R/dump-blocked; }
		sleep 1
		i=$((i + 1))
	done
	exit 1
fi
[ "$LOCKS" = yes ] && lab-takeover wait $D
if [ "$NODE" = 0 ]; then
	lab-takeover mark
	# node2's writer must still be writing when the fault comes (a stall
	# would hide behind the kill; what it wrote in the last commit
	# interval before the kill is lost, as on stock)
	if [ "$FS" = fs ]; then
		n1=$(cat $R/busy.n 2> /dev/null || echo none)
		n2=$n1 i=0
		while [ "$n2" = "$n1" ] && [ $i -lt 10 ]; do
			sleep 1
			i=$((i + 1))
			n2=$(cat $R/busy.n 2> /dev/null || echo none)
		done
		if [ "$n2" = "$n1" ]; then
			say "node2's writer made no progress in 10 s (line $n1): its blocked tasks go to node2.serial"
			: > $R/writer-stalled
			: > $R/dump-blocked
			sleep 5
		else
			say "node2's writer is at line $n2 (line $n1 ${i} s before)"
		fi
	fi
	if [ "$FAULT" = kill ]; then
		lab-ctl kill 2
		say "killed node2's QEMU"
	else
		lab-ctl link 2 off
		say "cut node2's link"
	fi
fi

# ---- 4. survivors: fencing, DLM recovery, master lock, daemon ----
[ "$LOCKS" = yes ] && lab-takeover finish
lab-barrier moved
# node2 is dead by now (barriers wait for the living); without the lock
# service nothing above waited for its fencing: give it time (run 211234
# looked at once and found "0 events")
fenced_ok() {
	lab-pcmk stonith_admin --history node2 2>&1 |
		grep -qiE '(reboot|off) of node2 .*successful|node2.*(was|been) (fenced|turned off)|successful'
}
wait_for 180 3 fenced_ok || true
hist=$(lab-pcmk stonith_admin --history node2 2>&1) || true
echo "$hist" | sed 's/^/  fence history: /'
fenced_ok || fail "no successful fencing of node2 in pacemaker's history"
if [ "$LOCKS" = yes ]; then
	[ "$NODE" = 0 ] && say "$FAULT: $(lab-takeover time)"
	# fs/dlm may recover only once node2 is fenced: this node's
	# dlm_controld logs the fencing result with its clock (CLOCK_MONOTONIC
	# s, = uptime); the first grant seen here must not precede it
	f=$(fenced_at)
	[ -n "$f" ] || fail "dlm_controld logged no successful fencing of node 3"
	g=$(lab-takeover granted-at)
	awk -v f="$f" -v g="$g" 'BEGIN { exit !(g >= f) }' ||
		fail "master lock granted at ${g} s, before dlm_controld had node2 fenced (${f} s)"
	say "master lock seen granted at ${g} s uptime, after dlm_controld had node2 fenced (${f} s)"
fi
if [ "$NODE" = 1 ] && [ "$FS" = fs ]; then
	# node2's POSIX lock: dlm_controld drops a failed node's plocks and
	# grants their waiters at the membership change, before fencing (its
	# design: every node purges at the same point of the message stream).
	# Our ocfs2_stack_user (plock_fence_wait=Y) hands such a grant to the
	# caller only once fs/dlm has recovered, i.e. after the fencing; stock's hands it at
	# once, which is only reported here (README: POSIX locks and fencing).
	wait_for 60 1 test -e $R/pl.granted-at || fail "node2's POSIX lock never released"
	f=$(fenced_at) g=$(cat $R/pl.granted-at)
	[ -n "$f" ] || fail "dlm_controld logged no successful fencing of node 3"
	if [ "$LAB_STACK" = ours ]; then
		awk -v f="$f" -v g="$g" 'BEGIN { exit !(g >= f) }' ||
			fail "node2's POSIX lock granted here at ${g} s, before dlm_controld had node2 fenced (${f} s)"
		say "node2's POSIX lock granted to the waiter here at ${g} s uptime, after the fencing (${f} s): held until fs/dlm recovered"
	else
		awk -v f="$f" -v g="$g" 'BEGIN { exit !(g < f) }' && w=before || w="not before"
		say "stock module: node2's POSIX lock granted to the waiter here at ${g} s uptime, $w the fencing (${f} s) (dlm_controld purges at the membership change)"
	fi
fi
if [ "$NODE" = 0 ]; then
	grep -h 'fence_lab' "$R"/node[01].syslog | sed 's/^/  /' || true
fi
# The daemon held node 3 (node2) until pacemaker had fenced it.
wait_for 60 2 grep -q "volume $U: node 3 known fenced (pacemaker fenced it)" "$LOG" ||
	{ grep ocfs2_controld "$LOG" | tail -20; fail "the daemon never reported node 3 known fenced"; }
grep "ocfs2_controld.*volume $U" "$LOG" | sed 's/^/  /'
grep -q "volume $U: node 3 is gone; node-down held until it is known fenced (pacemaker fencing)" "$LOG" ||
	fail "the daemon did not hold the node-down for fencing"
if grep -q "node 3 known fenced (pacemaker fenced it): DOWN sent" "$LOG"; then
	dmesg | grep -q "group $U: node 3 reported down by the control daemon" ||
		fail "DOWN sent but our stack_user did not take it"
	say "DOWN for node 3 delivered to ocfs2_stack_user: $(dmesg | grep "group $U: node 3 reported down" | head -1)"
fi
# survivors keep the service: quorate, clones on node0 and node1, mounts go
lab-pcmk corosync-quorumtool -s | grep -q "Quorate: *Yes" || fail "survivors not quorate"
wait_for 180 5 started_on "node0 node1" || { lab-pcmk crm_mon -1 -r -f; fail "clones not running on the survivors"; }
lab-pcmk dlm_tool ls | sed 's/^/  /'
out=$(controld-client "MOUNT ocfs2 0123456789ABCDEF0123456789ABCDEF lab /dev/vdy /mnt/y$NODE" \
	"MRESULT ocfs2 0123456789ABCDEF0123456789ABCDEF 0 /mnt/y$NODE") || true
echo "$out" | grep -q "STATUS 0" || fail "the quorate side refused a mount: $out"
say "survivors quorate, clones running, a new volume group joined"
if [ "$FS" = fs ]; then
	# node2 (node id 3) died mounted: one survivor replays its journal
	i=0
	until ls "$R"/replayed.? > /dev/null 2>&1; do
		# stock: "End replay journal (node 3, ...)"; ours: "recovering slot S
		# of dead node 3: replaying ..." or, when its log was empty (all
		# checkpointed), "slot S of node 3 recovered"
		dmesg | grep -qE 'End replay journal \(node 3|of dead node 3:|slot [0-9]+ of node 3 recovered' &&
			: > "$R/replayed.$NODE"
		i=$((i + 1))
		[ $i -le 60 ] || { dmesg | grep -i ocfs2 | tail; fail "no survivor recovered node2's slot"; }
		sleep 2
	done
	dmesg | grep -E 'replay journal \(node 3|of dead node 3:|of node 3 recovered' | sed 's/^/  /' || true
	echo "after node2 by node$NODE" > $MNT/after-node$NODE
	sync
	lab-barrier fs-after
	for n in 0 1; do
		[ "$(cat $MNT/after-node$n)" = "after node2 by node$n" ] || fail "node$n's file after the fault reads wrong"
	done
	say "filesystem after the fault: node2's file has $(wc -l < $MNT/busy) lines (its writer reached line $(cat $R/busy.n)); both survivors write and read"
	[ ! -e $R/writer-stalled ] || fail "node2's writer had stalled before the fault (see node2.serial)"
fi
if [ "$FAULT" = cut ] && [ "$NODE" = 0 ]; then
	[ -e "$R/inquorate-refused" ] && say "node2 (inquorate) had refused a mount"
	[ -s "$R/inquorate-daemon" ] && say "node2 (inquorate) kept its daemon (frozen, not stopped)"
fi
lab-barrier done
exit 0
