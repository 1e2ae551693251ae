#!/bin/sh
# Reflinked files on a cluster volume mounted by stock and ours at once
# (issue 10: stock nodes make reflinks; ours must write them).  Ours has
# ocfs2.refcount_writes=1: its changes to a refcount tree hold the tree's
# cluster lock ('T', as stock's) and checkpoint before letting it go.
#  node0 (stock): a 2 MiB file reflinked three times;
#  node1 (ours): copy on write into r1 (buffered and O_DIRECT), r2 cut
#    down, r3 removed (its last name); hashes of what it wrote;
#  node0 (stock): reads ours' results as hashed, writes into r1 and
#    reflinks r1 (stock changes the tree ours changed);
#  node1 (ours): reads stock's results, writes into stock's new reflink;
#    FICLONE (cp --reflink=always) of r1 into o1 (stock's tree, under
#    its 'T' lock) and of a new file p into o2 (a new tree);
#  node0 (stock): reads them, writes into o2 and p, reflinks o2 to o3;
#  node1 (ours): reads stock's results; both unmount; stock fsck -fn
#    clean.
# Run: tests/lab/run --cluster user --stack stock,ours --nodes 2 \
#      --disk 1G --timeout 400 --add /usr/bin/cp --add tests/stress/fs-rcio THIS
set -e
lab-cluster-mounts
# ours' writes into reflinks and FICLONE on cluster mounts are on by
# default: checked, never set
for p in refcount_writes cluster_reflink; do
	p=/sys/module/ocfs2/parameters/$p
	if [ -e $p ] && [ "$(cat $p)" != Y ]; then
		echo "node$NODE: FAIL: ocfs2.${p##*/} is not on by default"
		exit 1
	fi
done
dev=/dev/vda
M=/mnt/ocfs2
R=$LAB_RESULTS
cp=/usr/local/bin/cp
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)
grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"

# hashes FILE...: one line per file
hashes() {
	(cd $M && sha256sum "$@")
}

if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
fi
lab-barrier rc-formatted
# nodes past the first two (a bigger boot of set.sh) only keep step
if [ "$NODE" -ge 2 ]; then
	for b in rc-mounted rc-made rc-ours rc-stock rc-ours2 rc-stock3 \
		rc-checked rc-unmounted; do
		lab-barrier $b
	done
	say "not part of this scenario"
	exit 0
fi
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
lab-barrier rc-mounted
if [ "$NODE" = 0 ]; then
	head -c 2097152 /dev/urandom > $M/base
	for f in r1 r2 r3; do $cp --reflink=always $M/base $M/$f; done
	hashes base r1 r2 r3 > $R/rc.stock
	say "reflinks made"
fi
lab-barrier rc-made
if [ "$NODE" = 1 ]; then
	hashes base r1 r2 r3 > /tmp/h; cmp -s /tmp/h $R/rc.stock || fail "stock's reflinks read differently"
	: > /tmp/m
	fs-rcio buf $M/r1 /tmp/m 5000 20000 1 || fail "buffered write into r1"
	fs-rcio direct $M/r1 /tmp/m 1048576 65536 2 || fail "O_DIRECT write into r1"
	fs-rcio trunc $M/r2 /tmp/m 700000 0 0 || fail "truncate of r2"
	rm $M/r3 || fail "removing r3"
	hashes base r1 r2 > $R/rc.ours
	say "wrote into reflinked r1, cut r2, removed r3"
fi
lab-barrier rc-ours
if [ "$NODE" = 0 ]; then
	hashes base r1 r2 > /tmp/h; cmp -s /tmp/h $R/rc.ours || fail "ours' results read differently"
	[ ! -e $M/r3 ] || fail "r3 still there"
	head -c 4096 /dev/urandom | dd of=$M/r1 bs=4096 seek=100 conv=notrunc 2>/dev/null
	$cp --reflink=always $M/r1 $M/r4
	hashes base r1 r2 r4 > $R/rc.stock2
	say "read ours' results, wrote r1, reflinked it to r4"
fi
lab-barrier rc-stock
if [ "$NODE" = 1 ]; then
	hashes base r1 r2 r4 > /tmp/h; cmp -s /tmp/h $R/rc.stock2 || fail "stock's changes read differently"
	fs-rcio buf $M/r4 /tmp/m 409600 8192 3 || fail "write into stock's reflink"
	$cp --reflink=always $M/r1 $M/o1 || fail "FICLONE of r1 (stock's tree)"
	cmp $M/r1 $M/o1 || fail "o1 differs from r1"
	head -c 1500000 /dev/urandom > $M/p
	$cp --reflink=always $M/p $M/o2 || fail "FICLONE of p (a new tree)"
	cmp $M/p $M/o2 || fail "o2 differs from p"
	hashes r4 o1 o2 p > $R/rc.ours2
	say "wrote into stock's new reflink; reflinked r1 to o1 and p to o2"
fi
lab-barrier rc-ours2
if [ "$NODE" = 0 ]; then
	hashes r4 o1 o2 p > /tmp/h; cmp -s /tmp/h $R/rc.ours2 || fail "ours' write into r4 and reflinks read differently"
	head -c 8192 /dev/urandom | dd of=$M/o2 bs=4096 seek=10 conv=notrunc 2>/dev/null
	head -c 4096 /dev/urandom | dd of=$M/p bs=4096 seek=3 conv=notrunc 2>/dev/null
	$cp --reflink=always $M/o2 $M/o3
	cmp -s $M/o2 $M/o3 || fail "stock: its reflink of ours' o2 differs"
	hashes o1 o2 o3 p > $R/rc.stock3
	say "read ours' reflinks, wrote o2 and p, reflinked o2 to o3"
fi
lab-barrier rc-stock3
if [ "$NODE" = 1 ]; then
	hashes o1 o2 o3 p > /tmp/h; cmp -s /tmp/h $R/rc.stock3 || fail "stock's writes into ours' reflinks read differently"
	say "read stock's writes into ours' reflinks"
fi
lab-barrier rc-checked
umount $M || fail "umount"
lab-barrier rc-unmounted
if [ "$NODE" = 0 ]; then
	$fsck -fn $dev > /tmp/fsck.out 2>&1 || { cat /tmp/fsck.out; fail "fsck"; }
	if grep -q '? n$' /tmp/fsck.out; then
		cat /tmp/fsck.out
		fail "stock fsck wants repairs"
	fi
fi
say "all checks passed"
