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
fail=0

# Small volumes keep the stock runs short (its time grows with the size);
# 300M still has three cluster groups and both slots' system files.
make_base() {	# $1 image, extra mkfs args follow
	local img=$1; shift
	truncate -s 300M "$img"
	"$MKFS" -q -F -N 2 -J size=4M "$@" "$img"
}
make_base "$WORK/base.img" || { echo "FAIL: mkfs of the base image"; exit 1; }
make_base "$WORK/ecc.img" --fs-features=metaecc || { echo "FAIL: mkfs of the ecc image"; exit 1; }
make_base "$WORK/quota.img" --fs-features=usrquota,grpquota || { echo "FAIL: mkfs of the quota image"; exit 1; }
make_base "$WORK/qecc.img" --fs-features=usrquota,grpquota,metaecc || { echo "FAIL: mkfs of the quota+ecc image"; exit 1; }

# one kind in its own directory; the verdict line goes to $dir/result
run_case() {	# KIND [BASE IMAGE]
	local kind=$1 dir=$WORK/$1 base=${2:-$WORK/base.img} img sum r1 r2 r3 r4 codes stock
	mkdir "$dir" && img=$dir/c.img
	case $kind in
	bad-crc) base=$WORK/ecc.img ;;
	quota-*-crc) base=$WORK/qecc.img ;;
	quota-*) base=$WORK/quota.img ;;
	esac
	cp --sparse=always "$base" "$img"
	if ! "$CORRUPT" "$img" "$kind"; then
		echo "FAIL $kind: corruptor" > "$dir/result"; return
	fi
	cp --sparse=always "$img" "$dir/stock.img"
	sum=$(md5sum <"$img")
	"$FSCK" -fn "$img" >"$dir/n1" 2>&1; r1=$?
	[ "$(md5sum <"$img")" = "$sum" ] || echo "FAIL $kind: -n wrote to the image" > "$dir/wrote"
	"$FSCK" -fy "$img" >"$dir/y" 2>&1; r2=$?
	"$FSCK" -fn "$img" >"$dir/n2" 2>&1; r3=$?
	"$SBIN/fsck.ocfs2" -fn "$img" >"$dir/s" 2>&1; r4=$?
	codes=$(grep -o '^\[[A-Z0-9_]*\]' "$dir/n1" | sort -u | tr '\n' ' ')
	echo y | "$SBIN/fsck.ocfs2" -fy -F "$dir/stock.img" >/dev/null 2>&1
	if "$SBIN/fsck.ocfs2" -fn "$dir/stock.img" >/dev/null 2>&1; then
		stock="stock-fy repairs"
	else
		stock="stock-fy does NOT repair"
	fi
	if [ -e "$dir/wrote" ]; then
		cat "$dir/wrote" > "$dir/result"
	elif [ $r1 -eq 4 ] && [ $r2 -eq 1 ] && [ $r3 -eq 0 ] && [ $r4 -eq 0 ]; then
		echo "ok $kind: $codes($stock)" > "$dir/result"
	else
		{
			echo "FAIL $kind: -fn=$r1 -fy=$r2 -fn=$r3 stock-fn=$r4 $codes"
			sed 's/^/    /' "$dir/y" "$dir/n2" "$dir/s" | grep -v '^    Pass\|^     ' | head -30
		} > "$dir/result"
	fi
	rm -f "$img" "$dir/stock.img"
}

# two cases at a time: the stock fsck runs mostly wait on I/O
kinds="$("$CORRUPT" -l) $("$CORRUPT" -Q)"
running=0
for kind in $kinds; do
	if [ $running -ge 2 ]; then wait -n; running=$((running - 1)); fi
	run_case "$kind" &
	running=$((running + 1))
done
wait
running=0

# Kinds that need indexed directories and xattrs the kernel wrote: on a
# copy of a volume the stock kernel populated in the lab
# (tests/lab/scenarios/tools/host-populated.bash), when one is cached.
# (vde: the local-mount volume; its .ok says the guest finished it cleanly)
POPULATED=${OCFS2_POPULATED:-}
for k in 6.1 6.12; do
	c=${LAB_CACHE:-/var/cache/ocfs2-lab}/populated/$k
	[ -z "$POPULATED" ] && [ -e "$c/vde.ok" ] && POPULATED=$c/vde.img
done
if [ -n "$POPULATED" ] && [ -s "$POPULATED" ]; then
	for kind in $("$CORRUPT" -P); do
		if [ $running -ge 2 ]; then wait -n; running=$((running - 1)); fi
		run_case "$kind" "$POPULATED" &
		running=$((running + 1))
		kinds="$kinds $kind"
	done
	wait
else
	echo "note: no populated volume cached (tests/lab/scenarios/tools/host-populated.bash): skipping $("$CORRUPT" -P | tr '\n' ' ')"
fi

# Deep refcount trees (more than one leaf): on a copy of a volume of
# tests/lab/scenarios/tools/host-quota-refcount.bash, when one is cached.
DEEP=${OCFS2_DEEP_REFCOUNT:-}
for k in 6.1 6.12; do
	c=${LAB_CACHE:-/var/cache/ocfs2-lab}/populated/$k-qr
	[ -z "$DEEP" ] && [ -e "$c/vdd.ok" ] && DEEP=$c/vdd.img
done
if [ -n "$DEEP" ] && [ -s "$DEEP" ]; then
	for kind in $("$CORRUPT" -D); do
		run_case "$kind" "$DEEP"
		kinds="$kinds $kind"
	done
else
	echo "note: no deep refcount volume cached (tests/lab/scenarios/tools/host-quota-refcount.bash): skipping $("$CORRUPT" -D | tr '\n' ' ')"
fi

n=0 stock_fixed=0
for kind in $kinds; do
	n=$((n + 1))
	if [ -s "$WORK/$kind/result" ]; then
		cat "$WORK/$kind/result"
	else
		echo "FAIL $kind: no verdict"
	fi
	grep -q '^ok' "$WORK/$kind/result" 2>/dev/null || fail=1
	grep -q 'stock-fy repairs' "$WORK/$kind/result" 2>/dev/null && stock_fixed=$((stock_fixed + 1))
done
echo "$n corruption kinds; stock fsck -fy repairs $stock_fixed of them"
exit $fail
