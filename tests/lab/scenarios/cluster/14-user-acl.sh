#!/bin/sh
# POSIX ACLs across nodes: a permission check on one node sees the ACL
# another node just set or removed (ours takes the inode's meta lock in
# ->permission, which reloads the inode and forgets cached ACLs when
# another node changed it).  Node 0 makes a file only root may read;
# node 1 is refused as user 1001 (its ACL now cached), node 0 grants
# 1001 read with setfacl, node 1 may read; node 0 removes the grant,
# node 1 is refused again; the same for a directory's search bit.  Stock
# fsck -fn at the end.  Arguments: the setting node and the checking
# node (default 0 1; others only mount and pass the barriers), so a
# four-node mixed boot can run it both ways (set.sh 14-user-acl.sh=0,2).
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G \
#      --timeout 300 --add /usr/bin/setfacl --add /usr/bin/getfacl \
#      --add /usr/bin/setpriv THIS     (and --stack stock,ours)
set -e
lab-cluster-mounts
dev=/dev/vda
M=/mnt/ocfs2
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)
grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
W=${1:-0}
R=${2:-1}
[ "$W" != "$R" ] && [ "$W" -lt "$NODES" ] && [ "$R" -lt "$NODES" ] ||
	fail "setting node $W and checking node $R: two of the $NODES nodes"

# as1001 CMD...: CMD as user 1001 (group 1001, no others)
as1001() {
	setpriv --reuid 1001 --regid 1001 --clear-groups "$@"
}

# reads WHAT yes|no: can user 1001 read $M/d/f here?
reads() {
	if as1001 cat $M/d/f > /dev/null 2> /tmp/err; then
		[ "$2" = yes ] || fail "$1: user 1001 read the file"
	else
		[ "$2" = no ] || fail "$1: user 1001 refused: $(cat /tmp/err)"
		grep -q "Permission denied" /tmp/err || fail "$1: $(cat /tmp/err)"
	fi
	say "$1: user 1001 reads: $2"
}

if [ "$NODE" = "$W" ]; then
	echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
fi
lab-barrier acl-formatted
mkdir -p $M
mount -t ocfs2 -o acl $dev $M || fail "mount"
lab-barrier acl-mounted
if [ "$NODE" = "$W" ]; then
	mkdir $M/d
	chmod 755 $M/d
	echo secret > $M/d/f
	chmod 600 $M/d/f
fi
lab-barrier acl-made
[ "$NODE" = "$R" ] && reads "mode 600, no ACL" no
lab-barrier acl-1
if [ "$NODE" = "$W" ]; then
	setfacl -m u:1001:r $M/d/f || fail "setfacl on node $W"
fi
lab-barrier acl-2
[ "$NODE" = "$R" ] && reads "after node $W granted read" yes
lab-barrier acl-3
if [ "$NODE" = "$W" ]; then
	setfacl -x u:1001 $M/d/f || fail "setfacl -x on node $W"
fi
lab-barrier acl-4
[ "$NODE" = "$R" ] && reads "after node $W removed the grant" no
lab-barrier acl-5
# the directory: search taken from user 1001 by an ACL entry
if [ "$NODE" = "$W" ]; then
	setfacl -m u:1001:r $M/d/f
	setfacl -m u:1001:- $M/d || fail "setfacl on d"
fi
lab-barrier acl-6
[ "$NODE" = "$R" ] && reads "after node $W denied search on d" no
lab-barrier acl-7
[ "$NODE" = "$W" ] && setfacl -b $M/d
lab-barrier acl-8
[ "$NODE" = "$R" ] && reads "after node $W removed d's ACL" yes
lab-barrier acl-9
umount $M || fail "umount"
lab-barrier acl-unmounted
if [ "$NODE" = "$W" ]; then
	$fsck -fn $dev || fail "fsck"
fi
say "all checks passed"
