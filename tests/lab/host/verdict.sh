# The verdict of a run: each node's scenario status, its kernel log, and
# what went wrong said with the node's name.  Sourced by run.

# Kernel log lines that make a run fail even when every scenario passed.
LAB_BAD_LOG='WARNING: CPU|------------\[ cut here \]|BUG: |kernel BUG|Oops|Kernel panic|blocked for more than|general protection fault|possible circular locking|inconsistent lock state|possible recursive locking|UBSAN:|KASAN:|soft lockup|hard LOCKUP|rcu_sched self-detected stall|rcu: INFO|Call Trace:'

# The serial log with warning blocks of known Debian-kernel warnings taken
# out (tests/lab/known-kernel-warnings); each one taken out is reported.
lab_judged_log() {
	local serial=$1
	awk -v known="$LAB/known-kernel-warnings" '
		BEGIN { while ((getline l < known) > 0) if (l !~ /^#/ && l != "") pat[n++] = l }
		function flush(   i, hit) {
			hit = 0
			for (i = 0; i < n; i++) if (blk ~ pat[i]) hit = 1
			if (hit) print "lab-known-warning: " first > "/dev/stderr"
			else printf "%s", blk
			blk = ""; inblk = 0
		}
		/------------\[ cut here \]------------/ { if (inblk) flush(); inblk = 1; first = "" }
		inblk { blk = blk $0 "\n"; if (first == "" && /WARNING|BUG/) first = $0; if (/---\[ end trace/) flush(); next }
		{ print }
		END { if (inblk) flush() }
	' "$serial"
}

# How a node that fences itself (o2cb quorum or heartbeat write timeout,
# ours or stock, fence_method reset or panic) says so last.
LAB_FENCE_LINE='o2hb: fencing this node|ocfs2 is very sorry to be fencing this system'

# A node a scenario declared fenced (lab-ctl fenced N, once its QEMU had
# ended): it must have printed a fence line, and its kernel log is judged
# up to that line; the panic that follows it (fence_method panic) is the
# expected end, so only this node, and only after that line, may have one.
lab_fenced_problems() {
	local i=$1 serial=$RUN/node$1.serial n bad
	if [ -f "$RESULTS/.lab/status/$i" ]; then
		echo "node$i: declared fenced but finished its scenario"
		return 1
	fi
	n=$(grep -anE -m1 "$LAB_FENCE_LINE" "$serial" 2> /dev/null | cut -d: -f1)
	if [ -z "$n" ]; then
		echo "node$i: declared fenced but its console has no fence line"
		return 1
	fi
	bad=$(lab_judged_log <(head -n $((n - 1)) "$serial") 2> /dev/null |
		grep -aE "$LAB_BAD_LOG" | head -1 | tr -d '\r')
	if [ -n "$bad" ]; then
		echo "node$i: kernel log before its fence not clean: $bad"
		return 1
	fi
	return 0
}

lab_tail() {
	local f=$1 what=$2
	[ -s "$f" ] || return 0
	echo "---- $what (last 25 lines of $f)"
	tail -n 25 "$f" | sed 's/^/  | /'
}

# The serial logs a node's earlier generations left (lab-ctl restart):
# killed on purpose, so only their kernel log is judged.
lab_earlier_generations() {
	local i=$1 f bad rc=0
	for f in "$RUN/node$i".gen*.serial; do
		[ -e "$f" ] || continue
		bad=$(lab_judged_log "$f" 2> /dev/null | grep -aE "$LAB_BAD_LOG" | head -1 | tr -d '\r')
		[ -z "$bad" ] && continue
		echo "node$i: kernel log of ${f##*/} not clean: $bad"
		rc=1
	done
	return $rc
}

# Prints one problem per line for node $1 and returns non-zero if any.
lab_node_problems() {
	local i=$1 st bad rc=0
	local serial=$RUN/node$i.serial
	lab_earlier_generations "$i" || rc=1
	if [ -n "${KILLED[$i]:-}" ]; then
		return $rc
	fi
	if [ -n "${FENCED[$i]:-}" ]; then
		lab_fenced_problems "$i" || rc=1
		return $rc
	fi
	if [ -f "$RESULTS/.lab/status/$i" ]; then
		st=$(cat "$RESULTS/.lab/status/$i")
		case "$st" in
		0) ;;
		97) echo "node$i: the cluster stack did not come online (see node$i.setup.log)"; rc=1 ;;
		96) echo "node$i: the NFS export or mount failed (see node$i.nfs.log)"; rc=1 ;;
		77) SKIPPED=1 ;;
		*) echo "node$i: scenario exited with status $st"; rc=1 ;;
		esac
	elif grep -q 'Kernel panic' "$serial" 2>/dev/null; then
		echo "node$i: kernel crashed: $(grep -m1 -oE 'Kernel panic.*' "$serial")"
		rc=1
	elif [[ " $TIMEOUT_NODES " == *" node$i "* ]]; then
		echo "node$i: timed out after ${TIMEOUT}s (scenario still running or hung)"
		rc=1
	elif [ ! -e "$RESULTS/.lab/boot/$i" ]; then
		echo "node$i: never reached the scenario (boot failed; see node$i.serial, node$i.qemu)"
		rc=1
	else
		echo "node$i: QEMU exited before the scenario finished"
		rc=1
	fi
	bad=$(lab_judged_log "$serial" 2> "$RUN/node$i.known" | grep -aE "$LAB_BAD_LOG" | head -3)
	[ -s "$RUN/node$i.known" ] &&
		sed "s/^lab-known-warning: /lab: note: node$i: known Debian kernel warning (not ours): /" "$RUN/node$i.known" >&2
	if [ -n "$bad" ]; then
		echo "node$i: kernel log not clean: $(echo "$bad" | head -1 | tr -d '\r')"
		rc=1
	fi
	return $rc
}

# Seconds from the start of the run until the last node reached its scenario.
lab_boot_time() {
	local last=0 f t
	for f in "$RESULTS"/.lab/boot/*; do
		[ -e "$f" ] || continue
		t=$(stat -c %Y "$f")
		((t > last)) && last=$t
	done
	echo $((last - START))
}

lab_verdict() {
	local i failed=0 problems
	TIMEOUT_NODES=${TIMEOUT_NODES:-}
	for ((i = 0; i < NODES; i++)); do
		problems=$(lab_node_problems "$i") && continue
		failed=1
		echo "$problems" | sed 's/^/lab: FAIL: /' >&2
		lab_tail "$RESULTS/node$i.log" "node$i scenario output" >&2
		lab_tail "$RESULTS/node$i.setup.log" "node$i stack setup" >&2
		lab_tail "$RESULTS/node$i.nfs.log" "node$i NFS setup" >&2
		lab_tail "$RUN/node$i.serial" "node$i serial console" >&2
	done
	# Say plainly what the project's stack could not bring up.
	cat "$RESULTS"/node*.setup.log 2>/dev/null | grep -h 'is not available yet' |
		sed -E 's/ on node[0-9]+//' | sort -u | sed 's/^/lab: note: /' >&2
	for i in "${!KILLED[@]}"; do echo "lab: node$i was killed on purpose; not judged" >&2; done
	for i in "${!FENCED[@]}"; do
		echo "lab: node$i fenced itself: $(grep -aoE -m1 "$LAB_FENCE_LINE.*" "$RUN/node$i.serial" | tr -d '\r')" >&2
	done
	if ((failed)); then
		echo "lab: FAILED $NAME ($NODES nodes, $KVER, stack $STACK) in ${ELAPSED}s; run dir $RUN" >&2
		exit 1
	fi
	if ((${SKIPPED:-0})); then
		echo "lab: SKIPPED $NAME (a node's scenario exited 77) in ${ELAPSED}s; run dir $RUN" >&2
		exit 77
	fi
	echo "lab: all nodes booted (results share mounted) $(lab_boot_time)s after start" >&2
	echo "lab: PASSED $NAME ($NODES nodes, $KVER, stack $STACK) in ${ELAPSED}s; run dir $RUN" >&2
	exit 0
}
