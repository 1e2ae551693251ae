#!/bin/sh
# The demo scenario: three nodes of a corosync cluster (the user stack, as
# in a pacemaker HA cluster) share one disk that lives in a file on NFS, the
# way an Oracle VM pool does: dm-nfs turns the file into a block device on
# every node, the project's mkfs.ocfs2 formats it, the project's ocfs2
# module mounts it on all three nodes, each node reads back the others'
# writes, ocfs2_dlmfs elects a master, and both fsck.ocfs2 tools agree the
# volume is clean.  Node 0 narrates; the others work.  Every step checks
# its result, so the demo fails loudly rather than pretending.
set -e
export DM_DISABLE_UDEV=1
say() { [ "$NODE" = 0 ] && echo "== $*" || true; }
img=/nfs/pool.img
dev=/dev/mapper/pool
mnt=/srv/pool

# Every node writes, then every node checks everyone's files.
data_act() {
	say "the project's ocfs2 module has the volume mounted on every node:"
	[ "$NODE" = 0 ] && mounted.ocfs2 -f $dev | sed 's/^/   /'
	mkdir -p $mnt/node$NODE
	i=0
	while [ $i -lt 100 ]; do
		echo "node$NODE file $i" > $mnt/node$NODE/f$i
		i=$((i + 1))
	done
	dd if=/dev/urandom of=$mnt/node$NODE/blob bs=64k count=32 2>/dev/null
	md5sum < $mnt/node$NODE/blob > "$LAB_RESULTS/demo-md5.$NODE"
	lab-barrier written
	say "each node wrote 100 files and a 2 MiB blob; every node reads everyone's back at once:"
	n=0
	while [ $n -lt "$NODES" ]; do
		c=$(ls $mnt/node$n | wc -l)
		[ "$(md5sum < $mnt/node$n/blob)" = "$(cat "$LAB_RESULTS/demo-md5.$n")" ] && v=match || v=MISMATCH
		[ "$NODE" = 0 ] && echo "   node0 sees node$n: $c entries, blob checksum $v"
		[ "$v" = match ] && [ "$c" = 101 ] || exit 1
		n=$((n + 1))
	done
	lab-barrier verified
}

say "three nodes up: $(uname -r); stack: $(tr '\n' ' ' < /run/lab-stack)"
[ "$NODE" = 0 ] && corosync-quorumtool -s | grep -E 'Quorate|Total votes' | sed 's/^/   /'

say "node0 makes a 1 GiB sparse image on the NFS export; every node maps it with dm-nfs"
modprobe dm-nfs
[ "$NODE" = 0 ] && dd if=/dev/zero of=$img bs=1M count=0 seek=1024 2>/dev/null
lab-barrier image
dmsetup create pool --table "0 2097152 nfs $img 0"
lab-barrier devices
[ "$NODE" = 0 ] && echo "   dmsetup table pool: $(dmsetup table pool)"

if [ "$NODE" = 0 ]; then
	say "mkfs.ocfs2 (the project's) for the pcmk stack, 4 slots"
	mkfs.ocfs2 -q -F -N 4 -L pool --cluster-stack=pcmk --cluster-name=lab $dev
	debugfs.ocfs2 -R stats $dev | grep -E 'Label|Block Size Bits|Cluster Stack|Max Node Slots' |
		sed 's/^[[:space:]]*/   /'
fi
lab-barrier formatted

mkdir -p $mnt
if mount -t ocfs2 $dev $mnt 2> "$LAB_RESULTS/demo-mount.$NODE"; then
	echo ok > "$LAB_RESULTS/demo-mounted.$NODE"
fi
lab-barrier mounted
# The cluster mount of the project's module is new (issue 10): show it
# when every node has it, and say plainly when not.
all=yes
n=0
while [ $n -lt "$NODES" ]; do
	[ -f "$LAB_RESULTS/demo-mounted.$n" ] || all=no
	n=$((n + 1))
done
if [ $all = yes ]; then
	data_act
	umount $mnt
else
	say "cluster mount with the project's ocfs2 module: not on every node yet (issue 10):"
	[ "$NODE" = 0 ] && cat "$LAB_RESULTS"/demo-mount.* | sed 's/^/   /'
	mountpoint -q $mnt && umount $mnt
fi
lab-barrier unmounted

say "ocfs2_dlmfs on the same stack: a lock only one node can hold (an HA agent's master lock)"
mkdir /dlm/demo
lab-barrier dlm-joined
lab-dlmlock -w -n -u "$LAB_RESULTS/demo-master.done" /dlm/demo/master > "$LAB_RESULTS/demo-master.$NODE" 2>&1 &
pid=$!
sleep 3
lab-barrier master-tried
if [ "$NODE" = 0 ]; then
	for f in "$LAB_RESULTS"/demo-master.[0-9]*; do
		echo "   node${f##*.}: $(cat "$f")"
	done
	: > "$LAB_RESULTS/demo-master.done"
fi
wait $pid || true
lab-barrier master-done
rm -f /dlm/demo/*
rmdir /dlm/demo

if [ "$NODE" = 0 ]; then
	say "unmounted everywhere; fsck.ocfs2 -fn, the project's and the stock one:"
	fsck.ocfs2 -fn $dev | tail -2 | sed 's/^/   ours:  /'
	stock-fsck.ocfs2 -fn $dev | tail -2 | sed 's/^/   stock: /'
fi
lab-barrier checked
dmsetup remove pool
say "done: dm-nfs, mkfs/fsck/debugfs/mounted, ocfs2_stack_user, ocfs2_dlmfs and ocfs2_stackglue (and the ocfs2 module, where it mounted) were all the project's"
