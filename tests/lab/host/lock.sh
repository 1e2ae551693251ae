# Lab runs share this machine's two cores, so they are admitted in arrival
# order through a fixed number of slots: one by default (the nodes need both
# cores; timing-sensitive scenarios such as heartbeat expect it), more only
# where the machine's owner says so in $LAB_CACHE/slots or LAB_SLOTS.
# flock alone wakes waiters in no particular order, so a run could wait
# behind many later ones; each waiter therefore files a ticket named by its
# arrival time and takes a slot only when its ticket is the oldest one whose
# owner is still alive.

LAB_QUEUE=${LAB_QUEUE:-$LAB_CACHE/lab.queue}

lab_slots() {
	local n=${LAB_SLOTS:-}
	[[ -z $n && -r $LAB_CACHE/slots ]] && n=$(< "$LAB_CACHE/slots")
	[[ $n =~ ^[1-8]$ ]] || n=1
	echo "$n"
}

lab_prune_tickets() {
	local t pid
	for t in "$LAB_QUEUE"/*; do
		[[ -e $t ]] || continue
		pid=${t##*.}
		kill -0 "$pid" 2>/dev/null || rm -f "$t"
	done
}

# Take any free slot; the slot lock stays held on fd 9 until the run exits.
# A run with LAB_EXCLUSIVE=1 (the benches) takes every slot instead, so its
# figures come from a machine running nothing else; being at the head of the
# queue, it only waits for the runs already going to finish.
lab_try_slot() {
	local i n
	n=$(lab_slots)
	[[ ${LAB_EXCLUSIVE:-0} == 1 ]] && { lab_try_all_slots "$n"; return; }
	for ((i = 0; i < n; i++)); do
		exec 9> "$LAB_CACHE/lab.lock$( ((i)) && echo ".$i")"
		if flock -n 9; then
			LAB_SLOT=$i
			return 0
		fi
		exec 9>&-
	done
	return 1
}

# All slots or none: slot i is held on fd 9 (i = 0) or 20 + i.
lab_try_all_slots() {
	local i j fd n=$1
	for ((i = 0; i < n; i++)); do
		fd=$(( i ? 20 + i : 9 ))
		eval "exec $fd> \"\$LAB_CACHE/lab.lock$( ((i)) && echo ".$i")\""
		flock -n "$fd" && continue
		for ((j = 0; j <= i; j++)); do
			eval "exec $(( j ? 20 + j : 9 ))>&-"
		done
		return 1
	done
	LAB_SLOT=0
	return 0
}

# Waiting costs no forks but one sleep per round: with many runs queued on
# two cores, polling with pipelines slowed the runs everyone waits for.
lab_take_lock() {
	local ticket tickets said=
	mkdir -p "$LAB_QUEUE"
	# LAB_AHEAD_S=N files the ticket N seconds in the past: the machine's
	# owner uses it to put a verify run ahead of runs already waiting.
	ticket=$LAB_QUEUE/$(( $(date +%s%N) - ${LAB_AHEAD_S:-0} * 1000000000 )).$$
	: > "$ticket"
	while :; do
		lab_prune_tickets
		tickets=("$LAB_QUEUE"/*)
		if [[ ${tickets[0]} == "$ticket" ]] && lab_try_slot; then
			break
		fi
		if [[ -z $said ]]; then
			echo "lab: other lab runs are in progress; waiting in line (${#tickets[@]} queued)" >&2
			said=1
		fi
		sleep 2
	done
	rm -f "$ticket"
}
