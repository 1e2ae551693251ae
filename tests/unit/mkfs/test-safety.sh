#!/bin/bash
# mkfs.ocfs2 safety: without -F it refuses an OCFS2 volume whose heartbeat
# blocks are changing (a node is using it), and (with no terminal to ask)
# any existing filesystem; with -F it formats.  Bad options get a clear
# error and exit 1, never a crash.
set -u
T=${TOOLS:-tools}
MKFS=$T/mkfs/mkfs.ocfs2
WORK=$(mktemp -d /tmp/ocfs2-safety.XXXXXX)
IMG=$WORK/v.img
HB=
trap '[ -n "$HB" ] && kill "$HB" 2>/dev/null; rm -rf "$WORK"' EXIT
fail=0
truncate -s 1G "$IMG"
"$MKFS" -q -F -N 2 -J size=8M "$IMG"
hb_blk=$("$T/debugfs/debugfs.ocfs2" -R "stat //heartbeat" "$IMG" | awk '/^\t0 /{print $4}')

# a "node" heartbeating: rewrite its sector every half second
( i=0; while :; do
	printf '%016x' "$i" | dd of="$IMG" bs=1 seek=$((hb_blk * 4096 + 512)) conv=notrunc status=none
	i=$((i + 1)); sleep 0.5
done ) &
HB=$!
sleep 1
if "$MKFS" -q "$IMG" </dev/null >"$WORK/out" 2>&1; then
	echo "FAIL mkfs formatted a volume with live heartbeat"; fail=1
else
	grep -q "live heartbeat" "$WORK/out" && echo "ok refused: $(cat "$WORK/out")" ||
		{ echo "FAIL wrong refusal: $(cat "$WORK/out")"; fail=1; }
fi
kill "$HB"; wait "$HB" 2>/dev/null; HB=
if "$MKFS" -q "$IMG" </dev/null >"$WORK/out" 2>&1; then
	echo "FAIL overwrote an existing volume without -F or a terminal"; fail=1
else
	echo "ok refused without a terminal: $(cat "$WORK/out")"
fi
"$MKFS" -q -F "$IMG" </dev/null && echo "ok -F formats" || { echo "FAIL -F"; fail=1; }
for bad in "-b 3000" "-C 2K" "-N 0" "-N 256" "-J size=abc" "-T cheese" "--fs-features=frob" \
	   "--fs-feature-level=max" "--cluster-stack=toolong --cluster-name=x" \
	   "--global-heartbeat" "-M local --cluster-stack=o2cb --cluster-name=x" "-L $(printf 'x%.0s' {1..70})"; do
	"$MKFS" -q -F $bad "$IMG" >"$WORK/out" 2>&1; rc=$?
	if [ $rc -ne 1 ]; then echo "FAIL '$bad' exit $rc"; fail=1
	else echo "ok rejected '${bad:0:40}': $(head -1 "$WORK/out" | cut -c1-80)"; fi
done
rm -f "$IMG"; truncate -s 200M "$IMG"
"$MKFS" -q -F -N 32 -J size=64M "$IMG" >"$WORK/out" 2>&1 && { echo "FAIL fitted 32 x 64M journals in 200M"; fail=1; } ||
	echo "ok too small: $(head -1 "$WORK/out")"
exit $fail
