#!/bin/bash
# The reverse direction: volumes made by the stock mkfs.ocfs2 (and one
# whose directories stock tunefs.ocfs2 indexed) must read the same through
# our debugfs as through stock debugfs.ocfs2 (stats, ls -l, stat of every
# system file, slotmap, logdump), match stock mounted.ocfs2 -d/-f, and be
# clean for our fsck -fn.  Skips (77) without the stock tools.
set -u
T=${TOOLS:-tools}
SBIN=${STOCK_SBIN:-/sbin}
[ -x "$SBIN/mkfs.ocfs2" ] && [ -x "$SBIN/debugfs.ocfs2" ] || exit 77
WORK=$(mktemp -d /tmp/ocfs2-stockvol.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
IMG=$WORK/v.img
fail=0

same() {	# label, then the command for both debugfs
	local label=$1; shift
	"$T/debugfs/debugfs.ocfs2" "$@" >"$WORK/ours" 2>&1
	"$SBIN/debugfs.ocfs2" "$@" >"$WORK/stock" 2>&1
	if ! diff -q "$WORK/ours" "$WORK/stock" >/dev/null; then
		echo "FAIL $label: our debugfs $* differs from stock"
		diff "$WORK/ours" "$WORK/stock" | head -10
		fail=1
	fi
}

check_volume() {
	local label=$1 f
	same "$label" -R stats "$IMG"
	same "$label" -R "ls -l /" "$IMG"
	same "$label" -R "ls -l //" "$IMG"
	same "$label" -R "ls //" "$IMG"
	same "$label" -R slotmap "$IMG"
	same "$label" -R "logdump 0" "$IMG"
	for f in $("$SBIN/debugfs.ocfs2" -R "ls //" "$IMG" 2>/dev/null | awk '{print $NF}'); do
		[ "$f" = . ] || [ "$f" = .. ] || same "$label" -R "stat //$f" "$IMG"
	done
	same "$label" -R "stat /lost+found" "$IMG"
	for m in -d -f; do
		diff <("$T/mounted/mounted.ocfs2" $m "$IMG" 2>&1) \
		     <("$SBIN/mounted.ocfs2" $m "$IMG" 2>&1) >/dev/null ||
			{ echo "FAIL $label: mounted $m differs"; fail=1; }
	done
	if ! "$T/fsck/fsck.ocfs2" -fn "$IMG" >"$WORK/fsck" 2>&1; then
		echo "FAIL $label: our fsck -fn on a stock volume"; cat "$WORK/fsck"; fail=1
	fi
	echo "ok $label"
}

stock_mkfs() {	# size, mkfs args
	local size=$1; shift
	rm -f "$IMG"; truncate -s "$size" "$IMG"
	"$SBIN/mkfs.ocfs2" -q -F "$@" "$IMG" </dev/null >/dev/null 2>&1
}

stock_mkfs 2G -N 2 && check_volume "default 2G"
stock_mkfs 1G -b 512 -N 3 --fs-feature-level=max-features && check_volume "512-byte blocks, max-features"
stock_mkfs 5G -C 1M -N 8 --cluster-stack=pcmk --cluster-name=lab && check_volume "1M clusters, pcmk"
stock_mkfs 3G -N 4 --cluster-stack=o2cb --cluster-name=lab --global-heartbeat && check_volume "global heartbeat"
stock_mkfs 2G --fs-feature-level=max-compat -N 2 && check_volume "max-compat"
stock_mkfs 1G -M local --fs-features=noinline-data,noindexed-dirs &&
	"$SBIN/tunefs.ocfs2" --fs-features=indexed-dirs "$IMG" </dev/null >/dev/null 2>&1 &&
	check_volume "indexed dirs built by stock tunefs"
exit $fail
