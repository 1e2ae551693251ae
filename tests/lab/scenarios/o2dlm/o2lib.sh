# Helpers shared by the o2dlm and o2cb scenarios; sourced, never run:
#   --add tests/lab/scenarios/o2dlm/o2lib.sh   and in the scenario
#   . /usr/local/bin/o2lib.sh
# (not lib.sh: fs/lib.sh lands in /usr/local/bin under that name, and a
# set may mix both areas).

say() { echo "node$NODE: $*"; }

# the stock tool where the project ships its own under the same name
tool() { if command -v "stock-$1" > /dev/null; then echo "stock-$1"; else echo "$1"; fi; }

# until CMD... succeeds, at most $T half-seconds (default 60 s); a
# loaded TCG node may take seconds for what takes milliseconds elsewhere
waitfor() {
	_i=0
	until "$@"; do
		_i=$((_i + 1))
		[ $_i -lt "${T:-120}" ] || return 1
		sleep 0.5
	done
}

# wait until FILE has PATTERN; the scenario fails after 60 s
until_in() {
	waitfor grep -q "$2" "$1" 2> /dev/null ||
		{ say "no '$2' in $1 after 60 s"; exit 1; }
}

# the o2cb cluster "lab" again from cluster.conf, with the lab's timeouts
# (C: the cluster's configfs directory)
register() {
	o2cb unregister-cluster lab
	o2cb register-cluster lab
	echo "$LAB_HB_THRESHOLD" > "$C/heartbeat/dead_threshold"
	echo "$LAB_IDLE_TIMEOUT_MS" > "$C/idle_timeout_ms"
	echo "$LAB_KEEPALIVE_DELAY_MS" > "$C/keepalive_delay_ms"
	echo "$LAB_RECONNECT_DELAY_MS" > "$C/reconnect_delay_ms"
}

# 2-node scenarios (03, 04) on 2 or 4 nodes: with 4, nodes 0+1 and 2+3
# are two independent 2-node clusters in one boot (each pair heartbeats
# only on its own disk, vda or vdb, so neither pair sees the other), e.g.
# --stack stock,ours,ours,stock runs both stack orders at once.
# Sets PAIR (0 or 1), LOW (the pair's lower node), ME (0 or 1 within the
# pair), DISK and SUFFIX (for the pair's domain and result files).
pair_setup() {
	case $NODES in
	2 | 4) ;;
	*) echo "needs 2 nodes (or 4: two pairs), not $NODES"; exit 2 ;;
	esac
	PAIR=$((NODE / 2))
	LOW=$((PAIR * 2))
	ME=$((NODE - LOW))
	if [ "$PAIR" = 0 ]; then DISK=/dev/vda; else DISK=/dev/vdb; fi
	SUFFIX=
	[ "$NODES" = 2 ] || SUFFIX=$PAIR
}
