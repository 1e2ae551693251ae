# Helpers for the ocfs2_controld scenarios (sourced).  The daemon comes in
# with --add ocfs2_controld/ocfs2_controld (in /usr/local/bin); its -D log
# goes to $LAB_RESULTS/controld-node$NODE.log so every node's is kept.
CTLOG=$LAB_RESULTS/controld-node$NODE.log

controld_start() {
	ocfs2_controld -D >> "$CTLOG" 2>&1 &
	CTPID=$!
	wait_log "locking protocol" 60 || { echo "ocfs2_controld did not start"; cat "$CTLOG"; exit 1; }
	kill -0 $CTPID || { echo "ocfs2_controld died at start"; exit 1; }
}

# wait_log PATTERN SECONDS: the daemon's log shows PATTERN (fixed string)
wait_log() {
	i=0
	while ! grep -qF -- "$1" "$CTLOG"; do
		i=$((i + 1))
		[ $i -le $(($2 * 5)) ] || { echo "no \"$1\" in the daemon log after $2 s"; return 1; }
		sleep 0.2
	done
	echo "log: $(grep -F -- "$1" "$CTLOG" | head -1)"
}

alive() {
	kill -0 $CTPID || { echo "ocfs2_controld is gone"; tail -20 "$CTLOG"; exit 1; }
}

# expect_reply "PATTERN" MSG...: controld-client's output has PATTERN
expect_reply() {
	want=$1; shift
	out=$(controld-client "$@") || { echo "controld-client failed: $out"; exit 1; }
	echo "$out" | sed 's/^/  reply: /'
	echo "$out" | grep -qF -- "$want" || { echo "expected \"$want\""; exit 1; }
}
