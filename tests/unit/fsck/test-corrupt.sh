#!/bin/bash
# fsck corruption matrix: for every kind the corruptor knows, on a fresh
# volume made by our mkfs:
#   our fsck -fn reports it (exit 4) and leaves the image unchanged,
#   our fsck -fy repairs it (exit 1), a second -fn is clean (exit 0),
#   stock fsck.ocfs2 -fn is clean afterwards.
# Also records, for information, whether stock fsck -fy alone repairs the
# same damage (stock needs -F and a "y" to skip its cluster check).
# Skips (77) without the stock tools.
set -u
T=${TOOLS:-tools}
SBIN=${STOCK_SBIN:-/sbin}
MKFS=$T/mkfs/mkfs.ocfs2 FSCK=$T/fsck/fsck.ocfs2
CORRUPT=$(dirname "$0")/corrupt
[ -x "$SBIN/fsck.ocfs2" ] || exit 77
for x in "$MKFS" "$FSCK" "$CORRUPT"; do
	[ -x "$x" ] || { echo "build first: $x missing"; exit 1; }
done
WORK=$(mktemp -d /tmp/ocfs2-corrupt.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0 n=0 stock_fixed=0

make_base() {	# $1 image, extra mkfs args follow
	local img=$1; shift
	truncate -s 1G "$img"
	"$MKFS" -q -F -N 2 -J size=16M "$@" "$img"
}
make_base "$WORK/base.img"
make_base "$WORK/ecc.img" --fs-features=metaecc

for kind in $("$CORRUPT" -l); do
	n=$((n + 1))
	img=$WORK/c.img
	base=$WORK/base.img
	[ "$kind" = bad-crc ] && base=$WORK/ecc.img
	cp --sparse=always "$base" "$img"
	"$CORRUPT" "$img" "$kind" || { echo "FAIL $kind: corruptor"; fail=1; continue; }
	cp --sparse=always "$img" "$WORK/stock.img"
	sum=$(md5sum <"$img")
	"$FSCK" -fn "$img" >"$WORK/n1" 2>&1; r1=$?
	[ "$(md5sum <"$img")" = "$sum" ] || { echo "FAIL $kind: -n wrote to the image"; fail=1; }
	"$FSCK" -fy "$img" >"$WORK/y" 2>&1; r2=$?
	"$FSCK" -fn "$img" >"$WORK/n2" 2>&1; r3=$?
	"$SBIN/fsck.ocfs2" -fn "$img" >"$WORK/s" 2>&1; r4=$?
	codes=$(grep -o '^\[[A-Z0-9_]*\]' "$WORK/n1" | sort -u | tr '\n' ' ')
	echo y | "$SBIN/fsck.ocfs2" -fy -F "$WORK/stock.img" >/dev/null 2>&1
	if "$SBIN/fsck.ocfs2" -fn "$WORK/stock.img" >/dev/null 2>&1; then
		stock="stock-fy repairs"; stock_fixed=$((stock_fixed + 1))
	else
		stock="stock-fy does NOT repair"
	fi
	if [ $r1 -eq 4 ] && [ $r2 -eq 1 ] && [ $r3 -eq 0 ] && [ $r4 -eq 0 ]; then
		echo "ok $kind: $codes($stock)"
	else
		echo "FAIL $kind: -fn=$r1 -fy=$r2 -fn=$r3 stock-fn=$r4 $codes"
		sed 's/^/    /' "$WORK/y" "$WORK/n2" "$WORK/s" | grep -v '^    Pass\|^     ' | head -30
		fail=1
	fi
done
echo "$n corruption kinds; stock fsck -fy repairs $stock_fixed of them"
exit $fail
