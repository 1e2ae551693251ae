#!/bin/bash
# Journal replay: craft JBD2 transactions in slot 0's journal of a volume
# made by our mkfs and mark the journal dirty (as a node that died):
#   T1 (seq 5, committed): blocks B1 (escaped: starts with the JBD2 magic)
#      and B2; T2 (seq 6, committed): revokes B2; T3 (seq 7): B3, no commit.
# Our fsck -n must report it and write nothing; our fsck -y must replay B1
# only (B2 revoked, T3 uncommitted) and leave a clean journal; stock
# fsck.ocfs2 -fn must then be clean.
set -u
T=${TOOLS:-tools}
SBIN=${STOCK_SBIN:-/sbin}
command -v python3 >/dev/null || exit 77
WORK=$(mktemp -d /tmp/ocfs2-journal.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
IMG=$WORK/v.img
truncate -s 1G "$IMG"
"$T/mkfs/mkfs.ocfs2" -q -F -N 2 -J size=16M "$IMG" || exit 1
JINO=$("$T/debugfs/debugfs.ocfs2" -R "ls -l //" "$IMG" | awk '$NF == "journal:0000" {print $1}')
JBLK=$("$T/debugfs/debugfs.ocfs2" -R "stat //journal:0000" "$IMG" | awk '/^\t0 /{print $4}')
BLOCKS=$(( $(stat -c %s "$IMG") / 4096 ))
B1=$((BLOCKS - 10)) B2=$((BLOCKS - 9)) B3=$((BLOCKS - 8))
python3 - "$IMG" "$JINO" "$JBLK" "$B1" "$B2" "$B3" <<'PY'
import struct, sys
img, jino, jblk, b1, b2, b3 = sys.argv[1], *map(int, sys.argv[2:])
BS, MAGIC = 4096, 0xc03b3998
f = open(img, 'r+b')
def put(blk, data):
    f.seek(blk * BS); f.write(data.ljust(BS, b'\0'))
def hdr(t, seq):
    return struct.pack('>III', MAGIC, t, seq)
# T1: descriptor with two tags, then the data, then commit
tags = struct.pack('>IHH', b1, 0, 1) + b'U' * 16        # escaped, uuid follows
tags += struct.pack('>IHH', b2, 0, 2 | 8)               # same uuid, last tag
put(jblk + 1, hdr(1, 5) + tags)
put(jblk + 2, b'\0\0\0\0' + b'ESCAPED-B1' * 100)       # magic stripped
put(jblk + 3, b'B2-SHOULD-BE-REVOKED' * 100)
put(jblk + 4, hdr(2, 5))
# T2: revoke B2, commit
put(jblk + 5, hdr(5, 6) + struct.pack('>I', 16 + 4) + struct.pack('>I', b2))
put(jblk + 6, hdr(2, 6))
# T3: never committed
put(jblk + 7, hdr(1, 7) + struct.pack('>IHH', b3, 0, 8) + b'U' * 16)
put(jblk + 8, b'B3-UNCOMMITTED' * 100)
# journal superblock: log starts at 1 with sequence 5
f.seek(jblk * BS + 24); f.write(struct.pack('>II', 5, 1))
# journal inode: ij_flags = dirty
f.seek(jino * BS + 0xB8); f.write(struct.pack('<I', 1))
f.close()
PY
fail=0
sum=$(md5sum <"$IMG")
"$T/fsck/fsck.ocfs2" -n "$IMG" >"$WORK/n" 2>&1; rc=$?
# as stock: the skipped replay is announced, exit 0 (compared with stock's own run)
grep -q "^\*\* Skipping journal replay because -n was given" "$WORK/n" && [ $rc -eq 0 ] ||
	{ echo "FAIL -n: exit $rc"; cat "$WORK/n"; fail=1; }
if [ -x "$SBIN/fsck.ocfs2" ]; then
	for f in -n -fn; do
		"$T/fsck/fsck.ocfs2" $f "$IMG" 2>&1 | grep -v '^Pass ' > "$WORK/o"; orc=${PIPESTATUS[0]}
		"$SBIN/fsck.ocfs2" $f "$IMG" 2>&1 | grep -v '^Pass ' > "$WORK/s"; src=${PIPESTATUS[0]}
		[ $orc -eq $src ] && cmp -s "$WORK/o" "$WORK/s" ||
			{ echo "FAIL $f on a dirty journal differs from stock (ours $orc, stock $src)"; diff "$WORK/s" "$WORK/o"; fail=1; }
	done
fi
[ "$(md5sum <"$IMG")" = "$sum" ] || { echo "FAIL -n wrote to the image"; fail=1; }
"$T/fsck/fsck.ocfs2" -fy "$IMG" >"$WORK/y" 2>&1 || true
grep -q "replayed: 1 blocks" "$WORK/y" || { echo "FAIL replay count"; cat "$WORK/y"; fail=1; }
head -c 14 <(dd if="$IMG" bs=4096 skip="$B1" count=1 2>/dev/null) | od -An -tx1 | grep -q "c0 3b 39 98 45 53 43 41 50 45 44" ||
	{ echo "FAIL B1 not replayed with its magic restored"; fail=1; }
dd if="$IMG" bs=4096 skip="$B2" count=1 2>/dev/null | grep -q REVOKED && { echo "FAIL revoked B2 replayed"; fail=1; }
dd if="$IMG" bs=4096 skip="$B3" count=1 2>/dev/null | grep -q UNCOMMITTED && { echo "FAIL uncommitted B3 replayed"; fail=1; }
"$T/debugfs/debugfs.ocfs2" -R "stat //journal:0000" "$IMG" | grep -q "Journal Flags: $" ||
	{ echo "FAIL journal still dirty"; fail=1; }
"$T/debugfs/debugfs.ocfs2" -R "logdump 0" "$IMG" | grep -q "Start Log Blknum: 0" ||
	{ echo "FAIL journal not marked empty"; fail=1; }
if [ -x "$SBIN/fsck.ocfs2" ]; then
	"$SBIN/fsck.ocfs2" -fn "$IMG" >"$WORK/s" 2>&1 || { echo "FAIL stock fsck after replay"; cat "$WORK/s"; fail=1; }
fi
[ $fail -eq 0 ] && echo "ok replayed T1 (escaped block restored), honoured T2's revoke, ignored uncommitted T3"
exit $fail
