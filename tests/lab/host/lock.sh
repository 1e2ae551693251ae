# One lab run at a time on this machine (the nodes need both cores), taken
# in arrival order.  flock alone wakes waiters in no particular order, so a
# run could wait behind many later ones; each waiter therefore files a
# ticket named by its arrival time and takes the lock only when its ticket
# is the oldest one whose owner is still alive.

LAB_QUEUE=${LAB_QUEUE:-$LAB_CACHE/lab.queue}

lab_prune_tickets() {
	local t pid
	for t in "$LAB_QUEUE"/*; do
		[[ -e $t ]] || continue
		pid=${t##*.}
		kill -0 "$pid" 2>/dev/null || rm -f "$t"
	done
}

lab_take_lock() {
	local ticket first said=
	mkdir -p "$LAB_QUEUE"
	exec 9> "$LAB_CACHE/lab.lock"
	ticket=$LAB_QUEUE/$(date +%s%N).$$
	: > "$ticket"
	while :; do
		lab_prune_tickets
		first=$(ls "$LAB_QUEUE" | sort | head -n 1)
		if [[ $LAB_QUEUE/$first == "$ticket" ]] && flock -n 9; then
			break
		fi
		if [[ -z $said ]]; then
			echo "lab: another lab run is in progress; waiting in line ($(ls "$LAB_QUEUE" | wc -l) queued)" >&2
			said=1
		fi
		sleep 1
	done
	rm -f "$ticket"
}
