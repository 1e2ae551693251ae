#!/bin/sh
# Where an EX hand-off's time goes (o2dlm bench's ex-handoff-ms), stock and
# ours in one boot: the bench's pairs (--stack stock,stock,ours,ours, each
# pair in a dlmfs domain of its own) pass a token N times (default 60)
# while kprobes count, per node, the o2net messages sent (by type), their
# round trip, and every msleep with its caller.  The same probes fit both
# stacks: the o2net entry points and msleep have the same names.  Prints
# per pair: hand-offs, ms per hand-off, messages and sleeps per hand-off;
# the raw traces stay in results/trace.N.
set -e
R=$LAB_RESULTS
N=${1:-60}
[ -n "$*" ] || N=60
T=/sys/kernel/tracing
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; exit 1; }

[ "$NODES" = 4 ] || fail "wants 4 nodes (--stack stock,stock,ours,ours)"
case $NODE in
0 | 1) want=stock me=$NODE ;;
*) want=ours me=$((NODE - 2)) ;;
esac
[ "$LAB_STACK" = $want ] || fail "node$NODE runs $LAB_STACK, wants $want"
[ -d $T/events ] || mount -t tracefs nodev $T

if [ "$NODE" = 0 ]; then
	echo y | mkfs.ocfs2 -q -F -N 4 --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
lab-barrier formatted
ocfs2_hb_ctl -S -d /dev/vda o2trace
D=/dlm/trace-$want
mkdir $D
lab-barrier joined

# x86-64: msg_type in di, target node in r8; msleep's ms in di
probes() {
	echo 'p:o2snd o2net_send_message_vec type=%di:u32 node=%r8:u8'
	echo 'r:o2sndret o2net_send_message_vec ret=$retval:s32'
	echo 'p:o2sleep msleep ms=%di:u32'
}
probes > $T/kprobe_events || fail "kprobe_events refused"
# the dlmfs callbacks and the master's handlers, by each stack's names
if [ $want = ours ]; then
	set -- dlmfs_bast dlmfs_ast dlmfs_unblock o2dlm_proxy_ast_handler \
		o2dlm_convert_lock_handler o2dlm_ast_work
else
	set -- user_bast user_ast user_dlm_unblock_lock dlm_proxy_ast_handler \
		dlm_convert_lock_handler dlm_thread
fi
for f; do
	echo "p:f_$f $f" >> $T/kprobe_events 2>/dev/null || say "no probe on $f"
done
echo 1 > $T/events/kprobes/enable
echo 'stacktrace if ms >= 50' > $T/events/kprobes/o2sleep/trigger ||
	say "no stacktrace trigger"
echo > $T/trace
lab-barrier traced

run() {
	if [ "$1" = $want ]; then
		echo 1 > $T/tracing_on
		lab-dlmbench pingpong $D/token $me 2 "$N" > "$R/tp.$NODE"
		echo 0 > $T/tracing_on
		cp $T/trace "$R/trace.$NODE"
	fi
	lab-barrier "$1-done"
}
echo 0 > $T/tracing_on
run stock
run ours

sends=$(grep -c 'o2snd:' "$R/trace.$NODE" || true)
sleeps=$(grep -c 'o2sleep:' "$R/trace.$NODE" || true)
types=$(grep -o 'o2snd:.*type=[0-9]*' "$R/trace.$NODE" |
	sed 's/.*type=//' | sort | uniq -c | tr '\n' ' ')
asts=$(grep -cE 'f_(dlmfs|user)_ast:' "$R/trace.$NODE" || true)
say "sends $sends sleeps $sleeps asts $asts types: $types"
if [ "$me" = 0 ]; then
	say "pingpong: $(cat "$R/tp.$NODE")"
fi
lab-barrier counted
# the probes stay defined (a triggered event refuses removal); off is enough
echo 0 > $T/events/kprobes/enable
rm -f $D/*
rmdir $D
ocfs2_hb_ctl -K -d /dev/vda o2trace
say "done"
