#!/bin/sh
# A peer leaves a corrupt lock value block on an inode's meta lock; the
# mounted node must not trust it, say so in its log, and go on with what
# the disk says.  The peer is real: node 1 does not mount the volume but
# joins its lock domain through ocfs2_dlmfs (a dlmfs domain is a DLM
# lockspace named like any other; the volume's is its UUID in upper-case
# hex), takes the inode's meta lock ("M", 6 zeros, the block number in
# hex, 8 zeros: stock names it with generation 0) exclusive and writes
# 64 bytes a stock node would
# trust: version 5 and the right generation, but a 16 TiB size, mode
# 0100777 and 7 links.  The checker then stats and reads the file.  The
# checker is the first node running our stack, the peer the last other
# one (stock's dlmfs cannot join under dlm_controld alone); any others
# (stock ones too) idle.
# Then the lock state file (debugfs.ocfs2 -R fs_locks) is checked.
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G
#      --timeout 240 THIS      (or --stack stock,ours,ours --nodes 3)
set -e
lab-cluster-mounts
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; exit 1; }
mkfs=$(command -v stock-mkfs.ocfs2 || command -v mkfs.ocfs2)
fsck=$(command -v stock-fsck.ocfs2 || command -v fsck.ocfs2)
dbg=$(command -v debugfs.ocfs2)

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
echo "$LAB_STACK" > $R/lvb.stack.$NODE
[ "$NODE" = 0 ] &&
	echo y | $mkfs -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
lab-barrier l-formatted
# the checker: the first node with our stack; the peer: the last other
chk=
peer=
n=0
while [ $n -lt "$NODES" ]; do
	if [ "$(cat $R/lvb.stack.$n)" = ours ]; then
		[ -z "$chk" ] && chk=$n || peer=$n
	fi
	n=$((n + 1))
done
[ -n "$peer" ] || { say "fewer than two nodes run our stack: skipped"; exit 77; }
if [ "$NODE" = "$chk" ]; then
	mkdir -p $M
	mount -t ocfs2 $dev $M || fail "mount"
	dd if=/dev/urandom of=$M/f bs=1000 count=5 2>/dev/null
	chmod 640 $M/f
	md5sum < $M/f > $R/lvb.md5
	ino=$(stat -c %i $M/f)
	# the new inode is only in the journal until a checkpoint writes it
	# home, and debugfs reads the home block: a clean unmount writes it
	umount $M || fail "umount before reading the generation"
	$dbg -R "stat <$ino>" $dev > /tmp/lvb.stat 2>&1 || true
	gen=$(sed -n 's/.*[^S] Generation: \([0-9]*\) .*/\1/p' /tmp/lvb.stat | head -1)
	uuid=$($dbg -R stats $dev | sed -n 's/^[[:space:]]*UUID: \([0-9A-Fa-f]*\)$/\1/p' | tr a-f A-F)
	[ -n "$gen" ] && [ ${#uuid} = 32 ] ||
		fail "generation '$gen' or uuid '$uuid': $(head -5 /tmp/lvb.stat)"
	mount -t ocfs2 $dev $M || fail "mount again"
	echo "$uuid" > $R/lvb.domain
	# stock names an inode's meta lock with generation 0
	printf 'M000000%016x%08x\n' "$ino" 0 > $R/lvb.name
	printf '%08x\n' "$gen" > $R/lvb.gen
	say "inode $ino generation $gen in domain $uuid: lock $(cat $R/lvb.name)"
	stat $M/f > /dev/null
fi
lab-barrier l-named

if [ "$NODE" = $peer ]; then
	d=/dlm/$(cat $R/lvb.domain)
	mkdir $d || fail "dlmfs cannot join the volume's lock domain"
	g=$(cat $R/lvb.gen)
	o() { printf "\\$(printf %03o "0x$1")"; }
	{
		printf '\005\000\000\000'			# version 5, dyn 0
		printf '\000\020\000\000'			# 1 Mi clusters
		printf '\000\000\000\000\000\000\000\000'	# uid, gid 0
		printf '\000\000\000\000\000\000\000\000'	# atime
		printf '\000\000\000\000\000\000\000\000'	# ctime
		printf '\000\000\000\000\000\000\000\000'	# mtime
		printf '\000\000\020\000\000\000\000\000'	# size 16 TiB
		printf '\201\377\000\007\000\000\000\000'	# 0100777, 7 links
		o "${g%??????}"; g2=${g#??}; o "${g2%????}"
		g3=${g#????}; o "${g3%??}"; o "${g#??????}"	# generation
		printf '\000\000\000\000'
	} > /tmp/bad.lvb
	[ "$(wc -c < /tmp/bad.lvb)" = 64 ] || fail "LVB is $(wc -c < /tmp/bad.lvb) bytes"
	lab-dlmlock -w -S /tmp/bad.lvb "$d/$(cat $R/lvb.name)" || fail "EX on the meta lock"
	say "wrote a corrupt value block on $(cat $R/lvb.name) through dlmfs"
	say "what the DLM keeps now: $(od -An -tx1 -N 64 "$d/$(cat $R/lvb.name)" 2>/dev/null | tr -d '\n' || true)"
fi
lab-barrier l-written

if [ "$NODE" = "$chk" ]; then
	got=$(stat -c '%s %a %h' $M/f)
	[ "$got" = "5000 640 1" ] || fail "stat after the bad LVB: $got"
	[ "$(md5sum < $M/f)" = "$(cat $R/lvb.md5)" ] || fail "content differs"
	dmesg | grep 'lock value block another node left disagrees' ||
		fail "no log line about the bad value block"
	echo more >> $M/f
	[ "$(stat -c %s $M/f)" = 5005 ] || fail "append after the bad LVB"
	say "bad value block ignored with a log line; size, mode, links and data from disk"
	# the lock state file debugfs.ocfs2 -R fs_locks reads, in stock's
	# format version 4 (see cluster/01): the file's meta lock and the
	# superblock lock listed.  Debian's ocfs2-tools reads only version 3
	# (it refuses stock 6.1's own file alike): its answer is shown.
	grep -q ' debugfs ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	name=$(cat $R/lvb.name)
	ls_file=$(grep -l "$name" /sys/kernel/debug/ocfs2/*/locking_state 2>/dev/null | head -1) ||
		true
	[ -n "$ls_file" ] || fail "no locking_state file lists $name"
	ls_form=$(grep "	$name	" "$ls_file" | awk -F'\t' '{ print $1, NF }')
	[ "$ls_form" = "0x4 87" ] || fail "locking_state line of $name: '$ls_form'"
	grep -q "	S000000" "$ls_file" || fail "locking_state: no superblock lock"
	say "locking_state: $(wc -l < "$ls_file") locks, $name in version 4; stock debugfs.ocfs2 fs_locks says: $(stock-debugfs.ocfs2 -R fs_locks $dev 2>&1 | head -1)"
fi
lab-barrier l-checked
if [ "$NODE" = $peer ]; then
	rm -f /dlm/"$(cat $R/lvb.domain)"/*
	rmdir /dlm/"$(cat $R/lvb.domain)"
fi
lab-barrier l-left
if [ "$NODE" = "$chk" ]; then
	umount $M || fail "umount"
	$fsck -fn $dev || fail "fsck"
fi
say "all checks passed"
exit 0
