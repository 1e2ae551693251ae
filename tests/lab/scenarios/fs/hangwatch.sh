#!/bin/sh
# hangwatch.sh OUT [PERIOD [again]]: a hang's evidence, taken while it lasts.
# Every PERIOD seconds (default 15) list the tasks in D state; once the
# same task stays in D without running for 6 looks in a row (90 s by
# default, past the kernel's 60 s hung-task report), write OUT with each
# blocked task's kernel stack, the block layer's view of every virtio
# disk (requests in flight, write-back throttling state from debugfs, the
# hardware queue's dispatch lists), the page cache's dirty and writeback
# counts, and a sysrq-w dump into the kernel log; the host writes the
# device side of the same queues (QEMU's view: lab-ctl virtio) to
# results/virtio.nodeN.*.
# Then it reads three blocks at random places of each disk: a request
# whose completion never arrived stays in flight for ever once write-back
# throttling holds every writer back, and a new request makes the device
# look at its queue and interrupt again.  OUT.verdict says whether the
# blocked tasks moved on after it ("io-kick-cleared") or not ("stuck").
# Then the in-flight counts again every PERIOD seconds (OUT.later), to
# show whether I/O still moves.
# With "again" (to count such stalls in a long run) it goes on watching
# after an io-kick-cleared stall: the N-th stall (from 1) writes OUT.N,
# one verdict line more in OUT.verdict, and no sysrq-w past the first.
# Alongside, every 2 s, a flush watch: a cache FLUSH the hardware queue
# holds while the disk's count of completed flushes stands still for 20 s
# or more is a stalled flush; OUT.flush gets a line when one passes 20 s
# and one when it ends (other I/O's completions may end it long before the
# 90 s above, so this counts the stalls the 90 s watch never sees).
# Reads /proc, /sys and debugfs only, so it keeps running while the
# filesystem hangs.  Run it in the background; it never exits by itself.
#   hangwatch.sh $LAB_RESULTS/hang.node$NODE &
out=${1:?usage: hangwatch.sh OUT [PERIOD [again]]}
period=${2:-15}
again=${3:-}
dbg=/sys/kernel/debug
[ -d $dbg/block ] || mount -t debugfs none $dbg 2>/dev/null

# "pid comm switches" of every task in D state, one a line: a task that
# ran between two looks (its count of context switches moved) is not the
# same line, so a streak means a task that never woke up, not one that
# keeps waiting for new I/O on a slow, loaded node (run 20261127-102930:
# fsync-heavy stress held the same tasks in D for 60 s while thousands of
# requests and flushes completed)
blocked() {
	for s in /proc/[0-9]*/stat; do
		{ read -r pid comm state _ < "$s"; } 2> /dev/null || continue
		[ "$state" = D ] || continue
		sw=$(awk '/ctxt_switches/ { n += $2 } END { print n }' \
			"${s%stat}status" 2> /dev/null)
		echo "$pid $comm $sw"
	done
}

show() {
	for f in "$@"; do
		[ -r "$f" ] || continue
		echo "--- $f"
		cat "$f" 2>&1
	done
}

disks() {
	for q in /sys/block/vd*; do
		d=${q##*/}
		show $q/inflight $q/stat $q/queue/scheduler \
			$q/queue/wbt_lat_usec $q/queue/nr_requests \
			$q/queue/write_cache
		show $dbg/block/$d/rqos/wbt/* $dbg/block/$d/state
		for h in $dbg/block/$d/hctx*; do
			show $h/state $h/busy $h/dispatch $h/dispatch_busy \
				$h/tags $h/sched_tags $h/ctx_map
		done
		show $dbg/block/$d/sched/*
	done
}

dump() {
	echo "=== $(date -u +%T) uptime $(cut -d' ' -f1 /proc/uptime): tasks in D for $((period * 6)) s"
	blocked | while read -r pid comm _; do
		echo "--- task $pid $comm wchan $(cat /proc/$pid/wchan 2>/dev/null)"
		cat /proc/$pid/stack 2>&1
	done
	disks
	grep -E '^(Dirty|Writeback|MemFree|MemAvailable)' /proc/meminfo
	show /proc/pressure/io /proc/pressure/memory
	[ "$1" -gt 1 ] || echo w > /proc/sysrq-trigger 2>/dev/null
}

# read three blocks at random places of each disk
kick() {
	for d in /dev/vd?; do
		blocks=$(($(cat /sys/block/${d#/dev/}/size) / 8))
		[ "$blocks" -gt 0 ] || continue
		for i in 1 2 3; do
			dd if="$d" of=/dev/null bs=4096 count=1 2>/dev/null \
				skip=$(($(od -An -tu2 -N2 /dev/urandom) * 4 % blocks)) &
		done
	done
}

# the device side, from the host (QEMU's monitor), when the lab offers it
device_side() {
	[ -n "${NODE:-}" ] && command -v lab-ctl > /dev/null || return 0
	lab-ctl virtio "$NODE" 2> /dev/null || true
}

later() {
	while sleep "$period"; do
		{
			echo "=== $(date -u +%T)"
			cat /sys/block/vd*/inflight
			show $dbg/block/vd*/rqos/wbt/inflight
			grep -E '^(Dirty|Writeback):' /proc/meminfo
		} >> "$out.later" 2>&1
	done
}

# flush_watch: the stalled flushes of every disk into $out.flush
flush_watch() {
	while sleep 2; do
		t=$(cut -d. -f1 /proc/uptime)
		for q in /sys/block/vd*; do
			d=${q##*/}
			# field 16: flush requests completed
			done_now=$(awk '{ print $16 }' $q/stat)
			eval "since=\${since_$d:-} seen=\${seen_$d:-} noted=\${noted_$d:-}"
			if grep -qs 'op=FLUSH' $dbg/block/$d/hctx*/busy &&
			    [ "$done_now" = "$seen" ]; then
				[ -n "$since" ] || since=$t
				if [ $((t - since)) -ge 20 ] && [ -z "$noted" ]; then
					echo "$(date -u +%T) $d: a flush in flight for $((t - since)) s, $done_now flushes done" >> "$out.flush"
					noted=1
				fi
			else
				[ -z "$noted" ] ||
					echo "$(date -u +%T) $d: the stalled flush ended after $((t - since)) s" >> "$out.flush"
				since=
				noted=
			fi
			eval "since_$d=\$since seen_$d=\$done_now noted_$d=\$noted"
		done
	done
}

flush_watch &

# tasks in D at every look of the streak (others may join meanwhile)
stuck=
streak=0
n=0
while sleep "$period"; do
	now=$(blocked | sort)
	both=
	[ -z "$stuck" ] || both=$(echo "$now" | grep -Fx "$stuck")
	if [ -n "$both" ]; then
		stuck=$both
		streak=$((streak + 1))
	else
		stuck=$now
		streak=0
	fi
	[ $streak -ge 5 ] || continue
	n=$((n + 1))
	file=$out
	[ -z "$again" ] || file=$out.$n
	dump $n > "$file" 2>&1
	device_side
	kick
	sleep 30
	if [ -n "$(blocked | grep -Fx "$stuck")" ]; then
		echo stuck >> "$out.verdict"
		device_side
		break
	fi
	echo io-kick-cleared >> "$out.verdict"
	[ -n "$again" ] || break
	stuck=
	streak=0
done
later
