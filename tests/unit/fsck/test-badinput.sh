#!/bin/bash
# Bad input: truncated images, zeroed/garbage/absurd superblocks, loops in
# chains and extent trees, broken directories.  Every tool must end with a
# clear error (or a clean report), never a crash (signal) or a hang
# (60 s timeout), and never "succeed" silently on a volume it cannot read.
set -u
T=${TOOLS:-tools}
MKFS=$T/mkfs/mkfs.ocfs2
CORRUPT=$(dirname "$0")/corrupt
WORK=$(mktemp -d /tmp/ocfs2-bad.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0

# run LABEL CMD...: fail on signal or timeout; print the first error line
run() {
	local label=$1 rc; shift
	timeout 60 "$@" >"$WORK/out" 2>&1; rc=$?
	if [ $rc -eq 124 ] || [ $rc -ge 128 ]; then
		echo "FAIL $label: $* -> exit $rc (hang or crash)"; fail=1
		tail -3 "$WORK/out"
		return
	fi
	printf 'ok %-28s exit %-2s %s\n' "$label" "$rc" \
		"$(grep -i -m1 -E 'error|corrupt|not |bad|no |invalid|loop|trunc|smaller|refus|fail|found|\[' "$WORK/out" | cut -c1-90)"
}

tools_on() {	# image label
	local img=$1 l=$2
	run "$l debugfs stats" "$T/debugfs/debugfs.ocfs2" -R stats "$img"
	run "$l debugfs ls" "$T/debugfs/debugfs.ocfs2" -R "ls -l /" "$img"
	run "$l debugfs ls //" "$T/debugfs/debugfs.ocfs2" -R "ls -l //" "$img"
	run "$l debugfs stat bitmap" "$T/debugfs/debugfs.ocfs2" -R "stat //global_bitmap" "$img"
	run "$l debugfs stat hb" "$T/debugfs/debugfs.ocfs2" -R "stat //heartbeat" "$img"
	run "$l debugfs cat hb" "$T/debugfs/debugfs.ocfs2" -R "cat //heartbeat" "$img"
	run "$l debugfs logdump" "$T/debugfs/debugfs.ocfs2" -R "logdump 0" "$img"
	run "$l debugfs slotmap" "$T/debugfs/debugfs.ocfs2" -R slotmap "$img"
	run "$l mounted" "$T/mounted/mounted.ocfs2" -f "$img"
	run "$l tunefs -Q" "$T/tunefs/tunefs.ocfs2" -Q "%B %N\n" "$img"
	run "$l fsck -fn" "$T/fsck/fsck.ocfs2" -fn "$img"
	cp --sparse=always "$img" "$WORK/y.img"
	run "$l fsck -fy" "$T/fsck/fsck.ocfs2" -fy "$WORK/y.img"
}

truncate -s 1G "$WORK/base.img"
"$MKFS" -q -F -N 2 -J size=16M "$WORK/base.img"

for size in 0 4096 100K 1M 50M 600M; do
	img=$WORK/t.img
	cp --sparse=always "$WORK/base.img" "$img"
	truncate -s "$size" "$img"
	tools_on "$img" "trunc-$size"
done
head -c 8M /dev/urandom >"$WORK/g.img"
tools_on "$WORK/g.img" garbage
for kind in $("$CORRUPT" -H); do
	cp --sparse=always "$WORK/base.img" "$WORK/h.img"
	"$CORRUPT" "$WORK/h.img" "$kind" || { echo "FAIL corruptor $kind"; fail=1; continue; }
	tools_on "$WORK/h.img" "$kind"
done
# fsck must not call these volumes clean
for kind in sb-zero sb-bbits chain-loop extent-loop dirent-reclen-zero; do
	cp --sparse=always "$WORK/base.img" "$WORK/h.img"
	"$CORRUPT" "$WORK/h.img" "$kind"
	if timeout 60 "$T/fsck/fsck.ocfs2" -fn "$WORK/h.img" >/dev/null 2>&1; then
		echo "FAIL fsck -fn called $kind clean"; fail=1
	fi
done
exit $fail
