#!/bin/bash
# mkfs matrix: volumes made by our mkfs.ocfs2 across block sizes, cluster
# sizes, slot counts, sizes (sparse images up to 1 TiB), feature levels,
# -T types, -M local and cluster stacks must be clean for stock
# `fsck.ocfs2 -fn`, and stock `debugfs.ocfs2 -R stats` must show the
# geometry we asked for.  Skips (77) without the stock tools.
set -u
MKFS=${TOOLS:-tools}/mkfs/mkfs.ocfs2
SBIN=${STOCK_SBIN:-/sbin}
[ -x "$SBIN/fsck.ocfs2" ] && [ -x "$SBIN/debugfs.ocfs2" ] || exit 77
[ -x "$MKFS" ] || { echo "build tools first: $MKFS missing"; exit 1; }
WORK=$(mktemp -d /tmp/ocfs2-matrix.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
IMG=$WORK/vol.img
fail=0

# expect: "bbits cbits slots" or "-" to skip the geometry check
check() {
	local size=$1 expect=$2; shift 2
	local stats

	rm -f "$IMG"; truncate -s "$size" "$IMG"
	if ! "$MKFS" -q -F "$@" "$IMG" >"$WORK/mkfs.out" 2>&1; then
		echo "FAIL mkfs $size $*"; cat "$WORK/mkfs.out"; fail=1; return
	fi
	if ! "$SBIN/fsck.ocfs2" -fn "$IMG" >"$WORK/fsck.out" 2>&1; then
		echo "FAIL fsck $size $*"; cat "$WORK/fsck.out"; fail=1; return
	fi
	stats=$("$SBIN/debugfs.ocfs2" -R stats "$IMG" 2>&1)
	if [ "$expect" != - ]; then
		set -- $expect
		if ! grep -q "Block Size Bits: $1   Cluster Size Bits: $2" <<<"$stats" ||
		   ! grep -q "Max Node Slots: $3\$" <<<"$stats"; then
			echo "FAIL stats $size $expect"; echo "$stats"; fail=1; return
		fi
	fi
	echo "ok $size $expect"
}

check 600M "9 12 1" -b 512 -C 4K -N 1
check 1G "10 13 4" -b 1K -C 8K -N 4
check 3G "11 16 8" -b 2K -C 64K -N 8
check 10G "12 20 32" -b 4K -C 1M -N 32
check 1T "12 12 16" -b 4K -C 4K -N 16
check 1T "12 20 8" -C 1M -N 8
check 600M - 
check 2G "12 12 2" -N 2 --fs-feature-level=max-compat
check 2G "12 12 2" -N 2 --fs-feature-level=default
check 2G "12 12 2" -N 2 --fs-feature-level=max-features
check 1G "9 12 3" -b 512 -N 3 --fs-feature-level=max-features
check 3G - -N 4 --fs-features=usrquota,noinline-data
check 3G - -T mail
check 4G "12 17 4" -T datafiles
check 4G "12 17 4" -T vmstore
check 1G "12 12 1" -M local
check 2G "12 12 4" -N 4 --cluster-stack=o2cb --cluster-name=lab --global-heartbeat
check 2G "12 12 4" -N 4 --cluster-stack=o2cb --cluster-name=lab
check 2G "12 12 2" -N 2 --cluster-stack=pcmk --cluster-name=lab
check 2G - -N 2 --fs-features=noinline-data
check 2G - -N 2 --fs-features=metaecc
check 2G - -N 2 --fs-features=noinline-data,metaecc -b 512
check 5G - --no-backup-super
check 2G - -J size=16M,block64 -L matrix-label
check 4G "12 12 255" -N 255 -J size=4M
check 8G "9 20 16" -b 512 -C 1M -N 16

# the geometry asked for must show in stock debugfs
rm -f "$IMG"; truncate -s 2G "$IMG"
"$MKFS" -q -F -L hello -N 3 --cluster-stack=pcmk --cluster-name=mylab "$IMG"
stats=$("$SBIN/debugfs.ocfs2" -R stats "$IMG")
for want in "Label: hello" "Cluster stack: pcmk" "Cluster name: mylab" "Max Node Slots: 3"; do
	grep -q "$want" <<<"$stats" || { echo "FAIL stats lacks '$want'"; fail=1; }
done
exit $fail
