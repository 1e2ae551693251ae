#!/bin/sh
# A node killed during copy on write of reflinked clusters; the journal
# replayed by stock and by ours.
#  node0 (stock): mkfs -M local; 4 MiB files reflinked (f1..f4 durable
#    targets, n1..n3 noise targets);
#  node1 (ours, ocfs2.refcount_writes=1): writes with fsync into f1..f4
#    (copies of shared clusters), records their hashes, then keeps
#    writing into n1..n3 (a copy per 4 KiB write), punching and
#    truncating them, until node2 kills it (lab-ctl restart 1);
#  node2 (ours): mounts (replays node1's journal), f1..f4 as fsynced,
#    every other file readable, unmounts; stock fsck -fn clean; then the
#    same workload on fresh reflinks of f1, killed by node3;
#  node3 (stock): mounts (replays ours' journal), the fsynced files
#    intact; stock fsck -fn clean.
#   tests/lab/run --nodes 4 --stack stock,ours,ours,stock --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/cp \
#       --add tests/stress/fs-rcio tests/lab/scenarios/fs/27-refcount-crash.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
cp=/usr/local/bin/cp
R=$LAB_RESULTS
MB=1048576

if [ "${LAB_GEN:-0}" -gt 0 ]; then
	# node1 owes the barriers after its kill; node2 was killed after all
	if [ "$NODE" = 1 ]; then
		lab-barrier fs27c-replayed
		lab-barrier fs27c-relinked
		lab-barrier fs27c-written2
	fi
	lab-barrier fs27c-end
	echo "node$NODE: restarted after its kill; its part is done"
	exit 0
fi

# durable PREFIX: fsynced copy-on-write writes into PREFIX1..4, hashed
durable() {
	: > /tmp/junk
	for i in 1 2 3 4; do
		f=$mnt/$1$i
		fs-rcio buf $f /tmp/junk $((i * 40960)) 12288 $i
		fs-rcio direct $f /tmp/junk $((i * 409600)) 16384 $((i + 10))
		fs-rcio buf $f /tmp/junk $((4 * MB - 3000)) 6000 $((i + 20))
	done
	(cd $mnt && sha256sum $1[1-4]) > $R/fs27c-expect.$1
	sync
}

# noise PREFIX: copies, punches and truncates that nothing waits for
noise() {
	i=0
	while :; do
		for n in 1 2 3; do
			fs-rcio buf $mnt/$1$n /tmp/junk $(((i * 7919 % 1024) * 4096)) 4096 $i ||
				true
		done
		if [ $((i % 50)) = 49 ]; then
			fs-rcio punch $mnt/${1}1 /tmp/junk $(((i % 900) * 4096)) 65536 0 || true
			fs-rcio trunc $mnt/${1}2 /tmp/junk $((4 * MB - i * 4096)) 0 0 || true
		fi
		i=$((i + 1))
	done
}

# check PREFIX: the fsynced files as hashed, every file readable
check() {
	(cd $mnt && sha256sum -c $R/fs27c-expect.$1) || fail "fsynced $1 files differ after replay"
	find $mnt -type f | while read -r f; do
		cat "$f" > /dev/null || fail "$f unreadable after replay"
	done
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rccrash $dev
	mount -t ocfs2 $dev $mnt
	head -c $((4 * MB)) /dev/urandom > $mnt/base
	for f in f1 f2 f3 f4 n1 n2 n3 keep; do $cp --reflink=always $mnt/base $mnt/$f; done
	umount $mnt
	echo "stock: reflinks made"
fi
lab-barrier fs27c-made

if [ "$NODE" = 1 ]; then
	rc_on
	mount -t ocfs2 $dev $mnt
	durable f
	echo "ours: fsynced copy-on-write into f1..f4; copying until killed"
	noise n &
	sleep 3
	lab-barrier fs27c-written
	sleep 600
fi

if [ "$NODE" = 2 ]; then
	lab-barrier fs27c-written
	lab-ctl restart 1
	rc_on
	mount -t ocfs2 $dev $mnt
	dmesg | grep -i "ocfs2.*\(recover\|replay\)" || true
	check f
	umount $mnt
	fsck_clean "after ours replayed ours killed during copy on write"
	echo "ours: replayed, fsynced files intact, fsck clean"
	mount -t ocfs2 $dev $mnt
	rm $mnt/n1 $mnt/n2 $mnt/n3
	for f in g1 g2 g3 g4 m1 m2 m3; do : > $mnt/$f; done
	rm $mnt/g* $mnt/m*
	umount $mnt
	fsck_clean "after ours removed the noise files"
	lab-barrier fs27c-replayed
	echo "ours: stock's reflinks again for the second kill"
	lab-barrier fs27c-relinked
	mount -t ocfs2 $dev $mnt
	durable g
	noise m &
	sleep 3
	lab-barrier fs27c-written2
	sleep 600
fi

if [ "$NODE" = 0 ]; then
	lab-barrier fs27c-written
	lab-barrier fs27c-replayed
	mount -t ocfs2 $dev $mnt
	for f in g1 g2 g3 g4 m1 m2 m3; do $cp --reflink=always $mnt/keep $mnt/$f; done
	umount $mnt
	lab-barrier fs27c-relinked
	lab-barrier fs27c-written2
fi

if [ "$NODE" = 3 ]; then
	lab-barrier fs27c-written
	lab-barrier fs27c-replayed
	lab-barrier fs27c-relinked
	lab-barrier fs27c-written2
	lab-ctl restart 2
	mount -t ocfs2 $dev $mnt
	dmesg | grep -i "ocfs2.*\(recover\|replay\)" || true
	check g
	check f
	umount $mnt
	fsck_clean "after stock replayed ours killed during copy on write"
	echo "stock: replayed ours' journal, fsynced files intact, fsck clean"
fi

# Everyone waits for node2's new generation: booted alone, a node of a
# user-stack boot (corosync) never became quorate (6.12 run
# 20261127-105905-rc-set-ZBXk) and the run failed after every check passed.
lab-barrier fs27c-end
