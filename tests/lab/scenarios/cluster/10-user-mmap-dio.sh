#!/bin/sh
# mmap and O_DIRECT coherence across nodes on one cluster volume (pcmk in
# a --cluster user run, else o2cb; 2 or more
# nodes, any mix of stacks; node 0 formats with stock mkfs).  Each node in
# turn writes, and every other node at once reads back through the page
# cache, O_DIRECT and a fresh shared mapping:
#  a. an O_DIRECT write inside the file;
#  b. a shared writable mapping's write, never msynced (the readers' lock
#     requests must make the writer flush it);
#  c. a buffered write (read back with O_DIRECT: the writer's dirty pages
#     must reach the disk before another node reads it directly);
#  d. an O_DIRECT write past the end of the file (size and data seen);
#  e. a mapping every node made at the start and keeps (lab-mmapio hold):
#     after each writer's buffered write to that range, pages mapped
#     before must show the new bytes.
# Then a clean unmount and stock fsck -fn.  Arguments: the node numbers
# taking part (default all; the first formats, the others leave it at
# once), so one boot can run it on several subsets (set.sh NAME=0,2).
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G
#      --timeout 180 THIS      (3 nodes, and stock,ours / ours,stock mixes)
set -e
. lab-cluster-lib
dev=/dev/vda
M=/mnt/ocfs2
F=$M/mmdio
K=65536
cl_group "$@"
count=$nodes
say "taking part with nodes $group"
if [ "$NODE" = "$first" ]; then
	echo y | $mkfs -q -F -N 4 $stack $dev
fi
lab-barrier md-formatted
mkdir -p $M
mount -t ocfs2 $dev $M || fail "mount"
# 1 MiB of zeros: a at 0, b at 256K, c at 512K, e at 768K; d past 1 MiB
[ "$NODE" = "$first" ] && dd if=/dev/zero of=$F bs=$K count=16 2>/dev/null && sync
lab-barrier md-made

# e's long-lived mapping: checks fed through a fifo, answers in a file
rm -f /tmp/md-hold /tmp/md-held
mkfifo /tmp/md-hold
lab-mmapio hold $F $((12 * K)) 4096 < /tmp/md-hold > /tmp/md-held &
holder=$!
exec 3> /tmp/md-hold
echo 0 >&3
# held_answers N: wait for the holder's Nth answer
held_answers() {
	i=0
	until [ "$(wc -l < /tmp/md-held)" -ge "$1" ]; do
		sleep 1
		i=$((i + 1))
		[ $i -lt 30 ] || fail "e long-lived mapping: no answer $1 after 30 s"
	done
}
held_answers 1
lab-barrier md-mapped

# check HOW OFF LEN BYTE WHAT: one read-back, failing with what it saw
check() {
	out=$(lab-mmapio "$1" $F "$2" "$3" "$4") || fail "$5: $1 after node$w's write: $out"
}

# readers OFF LEN BYTE WHAT: every way of reading, on every other node
readers() {
	check bcheck "$@"
	check dcheck "$@"
	check mcheck "$@"
}

# each writer's append goes where the previous one ended (turn k)
k=0
for w in $group; do
	b=$((0x41 + w))
	oa=$((w * 4096)) ob=$((4 * K + w * 4096)) oc=$((8 * K + w * 4096))
	od=$((16 * K + k * K))
	k=$((k + 1))
	if [ "$NODE" = $w ]; then
		lab-mmapio dwrite $F $oa 4096 $b || fail "O_DIRECT write"
		lab-mmapio mwrite $F $ob 4096 $b || fail "mmap write"
		lab-mmapio bwrite $F $oc 4096 $b || fail "buffered write"
		lab-mmapio dwrite $F $od $K $b || fail "O_DIRECT write past the end"
		lab-mmapio bwrite $F $((12 * K)) 4096 $b || fail "write to the held range"
	fi
	lab-barrier md-w$w
	if [ "$NODE" != $w ]; then
		readers $oa 4096 $b "a O_DIRECT write"
		readers $ob 4096 $b "b mmap write"
		readers $oc 4096 $b "c buffered write"
		size=$(stat -c %s $F)
		[ "$size" = $((od + K)) ] || fail "d size $size after node$w's O_DIRECT append, want $((od + K))"
		readers $od $K $b "d O_DIRECT append"
	fi
	echo $b >&3
	# its answer before the next writer writes there
	held_answers $((k + 1))
	lab-barrier md-r$w
done
exec 3>&-
wait $holder || true
# the holder's first answer is for the zeros; one per writer after it
want=$((count + 1))
got=$(grep -c '^ok' /tmp/md-held || true)
[ "$got" = $want ] || fail "e long-lived mapping: $(tr '\n' ' ' < /tmp/md-held)"
say "a-e: O_DIRECT, mmap, buffered and O_DIRECT-append writes of nodes $group read back at once by buffered, O_DIRECT and mmap reads; a mapping kept since the start saw all $count writes"
lab-barrier md-checked
umount $M || fail "umount"
lab-barrier md-unmounted
if [ "$NODE" = "$first" ]; then
	$fsck -fn $dev > /tmp/fsck.out 2>&1 </dev/null || { cat /tmp/fsck.out; fail "stock fsck -fn"; }
	say "stock fsck -fn clean"
fi
