#!/bin/bash
# debugfs.ocfs2 fs_locks [-f file] [-l] [-B] must print what stock prints,
# byte for byte (stdout and stderr), for locking_state files stock's tool
# reads (format versions 1 and 3: value blocks of both old meta layouts
# and of today's, a dentry lock name, busy and blocked locks, signed LVB
# bytes as the kernel writes them); for version 4 (what stock's 6.x module
# and ours write, which stock's tool refuses) the same text as the same
# records in version 3; a version past 4, a missing file, a garbage file
# and a bad option answered as stock answers.  Skips (77) without stock.
set -u
T=${TOOLS:-tools}
SBIN=${STOCK_SBIN:-/sbin}
[ -x "$SBIN/mkfs.ocfs2" ] && [ -x "$SBIN/debugfs.ocfs2" ] || exit 77
WORK=$(mktemp -d /tmp/ocfs2-fslocks.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0
img=$WORK/vol.img
truncate -s 64M "$img"
"$SBIN/mkfs.ocfs2" -q -F -M local "$img" > /dev/null 2>&1 || { echo "stock mkfs failed"; exit 1; }

# lvb KIND: 64 bytes as the kernel prints them (a signed char through %x)
lvb() {
	python3 - "$1" <<'PY'
import struct, sys
k = sys.argv[1]
b = bytearray(64)
if k == "v1":
    struct.pack_into(">IIIIIHHQQQQ", b, 0, 0, 1, 7, 1000, 100, 0o100644, 2,
                     0x1234, 0x5678, 0x9abc, 40960)
elif k == "v2":
    struct.pack_into(">IIIIQQQQHH", b, 0, 2, 9, 0, 0, 0x11, 0x22, 0x33,
                     123456789, 0o40755, 3)
elif k == "now":
    b[0] = 6
    struct.pack_into(">I", b, 4, 0x80ff7f01)
print("\t".join("0x%x" % (x if x < 128 else 0xffffff00 | x) for x in b))
PY
}

# rec VERSION NAME LEVEL FLAGS ACTION UNLOCK RO EX REQ BLOCK LVBKIND NSTATS
rec() {
	local stats="" i
	for ((i = 0; i < ${12}; i++)); do stats+="$(( (i + 1) * 1733 ))	"; done
	printf '0x%x\t%s\t%s\t0x%x\t0x%x\t0x%x\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" \
		"$4" "$5" "$6" "$7" "$8" "$9" "${10}" "$(lvb "${11}")" "${stats%	}"
}

records() {	# VERSION NSTATS
	rec "$1" M000000000000000000020d00000000 3 0x41 0 0 1 0 -1 0 v2 "$2"
	rec "$1" M0000000000000000000a0100000000 5 0x45 0 0 0 1 -1 5 v1 "$2"
	rec "$1" M0000000000000000001ff200000000 0 0x143 2 0 0 0 5 3 now "$2"
	rec "$1" O000000000000000000020d00000000 0 0x43 1 0 0 0 3 0 now "$2"
	rec "$1" N000000000000000012ab34cd 3 0x141 0 1 2 0 -1 0 now "$2"
	rec "$1" W000000000000000000020d2f01c3a4 5 0x1c1 3 2 0 1 0 5 now "$2"
	rec "$1" S000000000ocfs2super 3 0x41 0 0 0 0 -1 0 now "$2"
}
records 1 0 > "$WORK/v1"
records 3 9 > "$WORK/v3"
records 4 12 > "$WORK/v4"
records 5 12 > "$WORK/v5"
printf 'not a record\n' > "$WORK/bad"

same() {	# ARGS (both tools, compared)
	if ! diff -u <("$SBIN/debugfs.ocfs2" -R "$1" "$img" 2>&1) \
		<("$T/debugfs/debugfs.ocfs2" -R "$1" "$img" 2>&1) > "$WORK/diff"; then
		echo "differs from stock: $1"; head -20 "$WORK/diff"; fail=1
	else
		echo "same as stock: $1"
	fi
}
for f in v1 v3 bad; do
	for o in "" -l -B "-l -B"; do same "fs_locks $o -f $WORK/$f"; done
done
same "fs_locks -f $WORK/missing"
same "fs_locks -l -f $WORK/v3 -B"

# version 4: ours reads it as version 3 (stock refuses it)
for o in "" -l -B; do
	if diff <("$SBIN/debugfs.ocfs2" -R "fs_locks $o -f $WORK/v3" "$img" 2>&1) \
		<("$T/debugfs/debugfs.ocfs2" -R "fs_locks $o -f $WORK/v4" "$img" 2>&1) > /dev/null; then
		echo "version 4 read as stock reads version 3: $o"
	else
		echo "version 4 ($o) not shown as version 3 is"; fail=1
	fi
done
n=$("$T/debugfs/debugfs.ocfs2" -R "fs_locks -f $WORK/v4" "$img" 2>&1 | grep -c '^Lockres: ')
[ "$n" = 7 ] || { echo "version 4: $n of 7 locks shown"; fail=1; }
# past version 4: refused as stock refuses what is past its 3
out=$("$T/debugfs/debugfs.ocfs2" -R "fs_locks -f $WORK/v5" "$img" 2>&1)
[ "$out" = "Debug string proto 5 found, but 4 is the highest I understand." ] ||
	{ echo "version 5: $out"; fail=1; }
# the volume's own file: without a mounted volume both say so the same way
out=$("$T/debugfs/debugfs.ocfs2" -R "fs_locks" "$img" 2>&1)
case $out in
"Could not"*) echo "no live state: $out" | head -2 ;;
*) echo "fs_locks without a mount printed: $out"; fail=1 ;;
esac
"$T/debugfs/debugfs.ocfs2" -R "fs_locks -x" "$img" > "$WORK/opt" 2>&1
grep -q 'usage: fs_locks' "$WORK/opt" || { echo "bad option not refused: $(cat "$WORK/opt")"; fail=1; }
exit $fail
