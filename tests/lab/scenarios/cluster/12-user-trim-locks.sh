#!/bin/sh
# FITRIM and the NFS sync lock (any stacks, 2+ nodes, --cluster user,
# fstrim added: --add /usr/sbin/fstrim).
#  a. local mount (each node alone, its own tmpfs-backed loop device, which
#     really punches what is discarded): 24 files of 1 MiB, 12 deleted,
#     fstrim; the backing file must shrink by at least the deleted MiB (our
#     nodes; a stock node's figure is shown), the
#     kept files read back (after a remount) exactly, stock fsck -fn clean.
#     A second fstrim trims again what is free (no error).  A bad range
#     (start past the end) is refused with EINVAL.
#  b. cluster volume on vda, every node mounted: files made and deleted on
#     each node, then every node runs fstrim at once, 6 times: the trim
#     lock ('I') lets one node trim at a time, a node that waited may
#     return the other's result (its value block, stock's layout): the
#     kernel lines saying so are counted and shown.  Data intact, stock
#     fsck -fn clean.
#  c. our nodes: after deleting, the locking_state file lists the NFS sync
#     lock ('Y'), which every delete holds shared as stock's do.
set -e
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
L=/mnt/trimlocal
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)
trim=/usr/local/bin/fstrim
[ -x $trim ] || trim=$(command -v fstrim) || fail "no fstrim (--add /usr/sbin/fstrim)"
grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
lab-cluster-mounts
# our FITRIM is off by default until this scenario has passed
p=/sys/module/ocfs2/parameters/fitrim
if [ -w $p ]; then echo 1 > $p; fi
kb() { du -k "$1" | awk '{ print $1 }'; }
# trimmed MOUNT: fstrim -v's byte count (util-linux or busybox wording)
trimmed() {
	tout=$($trim -v "$1") || return 1
	echo "$tout" | sed -n 's/.*[( ]\([0-9][0-9]*\) bytes.*/\1/p'
}

# a. local mount on a loop device over tmpfs
mkdir -p /tmp/tt $L
mount -t tmpfs -o size=400m tmpfs /tmp/tt
dd if=/dev/zero of=/tmp/tt/img bs=1M count=0 seek=256 2>/dev/null
modprobe loop 2>/dev/null || true
loop=$(losetup -f --show /tmp/tt/img) || fail "no loop device"

[ "$(cat /sys/block/${loop#/dev/}/queue/discard_max_bytes)" != 0 ] ||
	fail "the loop device takes no discards"
echo y | $mkfs -q -F -M local -b 4096 -C 4096 $loop
mount -t ocfs2 $loop $L || fail "local mount"
i=0
while [ $i -lt 24 ]; do
	dd if=/dev/urandom of=$L/f$i bs=1M count=1 2>/dev/null
	i=$((i + 1))
done
sync
(cd $L && md5sum f1 f3 f5 f7 f9 f11 f13 f15 f17 f19 f21 f23) > /tmp/tt.md5
i=0
while [ $i -lt 24 ]; do
	rm -f $L/f$i
	i=$((i + 2))
done
sync
sleep 3		# stock frees through its truncate log, flushed by a timer
sync
before=$(kb /tmp/tt/img)
got=$(trimmed $L) || fail "fstrim of the local mount"
after=$(kb /tmp/tt/img)
say "a. local fstrim: $got bytes trimmed; backing file ${before} KiB -> ${after} KiB"
if [ "$LAB_STACK" = ours ] && [ $((before - after)) -lt $((12 * 1024)) ]; then
	fail "the backing file shrank by $((before - after)) KiB, want >= 12288"
fi
got2=$(trimmed $L) || fail "second fstrim"
say "a. second fstrim: $got2 bytes"
if $trim -o 1T $L 2>/tmp/tt.err; then
	fail "fstrim from offset 1T past the end succeeded"
fi
say "a. fstrim -o 1T refused: $(cat /tmp/tt.err)"
umount $L
echo 3 > /proc/sys/vm/drop_caches
mount -t ocfs2 $loop $L || fail "local remount"
(cd $L && md5sum -c /tmp/tt.md5 > /dev/null) || fail "kept files differ after the trim"
umount $L
$fsck -fn $loop > /tmp/fsck.out 2>&1 </dev/null || { cat /tmp/fsck.out; fail "stock fsck -fn of the local volume"; }
losetup -d $loop
umount /tmp/tt
say "a. kept files intact after remount, stock fsck -fn clean"

# b. the cluster volume
if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
fi
lab-barrier tl-formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "cluster mount"
lab-barrier tl-mounted
mkdir $M/n$NODE
i=0
while [ $i -lt 16 ]; do
	dd if=/dev/urandom of=$M/n$NODE/f$i bs=256k count=1 2>/dev/null
	i=$((i + 1))
done
sync
rm -f $M/n$NODE/f1 $M/n$NODE/f3 $M/n$NODE/f5 $M/n$NODE/f7
(cd $M/n$NODE && md5sum f0 f2 f4 f6 f8 f9 f10 f11 f12 f13 f14 f15) > $R/tl.md5.$NODE
sync
k0=$(dmesg | wc -l)
lab-barrier tl-made
round=1
while [ $round -le 6 ]; do
	lab-barrier tl-trim$round
	t=$(trimmed $M) || fail "cluster fstrim round $round"
	echo "$round $t" >> /tmp/tl.trims
	round=$((round + 1))
done
lab-barrier tl-trimmed
dmesg | tail -n +$((k0 + 1)) > /tmp/tl.dmesg
waits=$(grep -ci 'trimming this volume; waiting\|wait for trim' /tmp/tl.dmesg || true)
dups=$(grep -ci 'just trimmed the same range\|same trim on device' /tmp/tl.dmesg || true)
say "b. 6 concurrent cluster fstrims: bytes $(awk '{ print $2 }' /tmp/tl.trims | tr '\n' ' '); waited for another node $waits time(s), returned another node's result $dups time(s)"
grep -i 'trim' /tmp/tl.dmesg | sed 's/^/    /' | head -8
n=0
for f in $R/tl.md5.*; do
	(cd $M/n${f##*.} && md5sum -c $f > /dev/null) || fail "node ${f##*.}'s files differ after the trims"
	n=$((n + 1))
done
say "b. all $n nodes' kept files read back exactly"

# c. the NFS sync lock on our nodes, after deletes
if [ "$LAB_STACK" = ours ]; then
	grep -q ' debugfs ' /proc/mounts || mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
	y=$(grep -h "	$(printf 'Y%030d' 0)	" /sys/kernel/debug/ocfs2/*/locking_state | head -1 || true)
	[ -n "$y" ] || fail "no NFS sync lock (Y) in locking_state after deletes"
	say "c. NFS sync lock held after deletes: level $(echo "$y" | cut -f3)"
fi
lab-barrier tl-checked
umount $M || fail "umount"
lab-barrier tl-unmounted
if [ "$NODE" = 0 ]; then
	$fsck -fn $dev > /tmp/fsck.out 2>&1 </dev/null || { cat /tmp/fsck.out; fail "stock fsck -fn"; }
	say "stock fsck -fn of the cluster volume clean"
fi
say done
