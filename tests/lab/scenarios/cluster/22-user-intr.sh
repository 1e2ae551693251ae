#!/bin/sh
# intr and nointr: a signal and a cluster lock wait.  Node 0 holds a
# file's meta lock exclusive for a whole long O_DIRECT write (one write
# call of WRITE_MB MiB; node 0 says when dd's read is done and its write
# began).  Node 1 (our module) then starts a reader (its
# lock request goes out and waits for node 0) and a second task on the
# same file (stat), which waits behind the reader's request on node 1
# itself, and sends the stat SIGTERM (a background job of a script
# ignores SIGINT):
#  a. mounted intr (/proc/mounts shows no nointr, as stock): the stat
#     ends within 1 s while node 0's write still runs;
#  b. mounted nointr (the default, shown): the stat is still there 1 s
#     later and ends only after node 0's write, as stock's
#     uninterruptible waits do;
# both times the reader gets its 64 KiB once the write ended.  The
# request already sent is never cancelled (stock's rule).  If node 0's
# write ends before the check, the step is inconclusive: fail and say
# so (raise WRITE_MB).  Then a clean unmount and stock fsck -fn.
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G
#      --mem 1024 --timeout 500 THIS [WRITE_MB]   (default 512)
set -e
. lab-cluster-lib
cl_group 0 1
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
F=$M/big
MB=${1:-512}
[ "$cs" = pcmk ] || fail "needs --cluster user"

if [ "$NODE" = 0 ]; then
	echo y | $mkfs -q -F -N 4 $stack $dev
fi
lab-barrier in-formatted
mkdir -p $M

# step NAME OPTS: node 1 mounted with OPTS; INTR=yes when it is intr
step() {
	name=$1
	if [ "$NODE" = 0 ]; then
		mount -t ocfs2 $dev $M || fail "$name: mount"
		# a new file each step: the long write allocates (an overwrite
		# of allocated blocks took 0.5 s, run 20261127-175552)
		rm -f $F
		dd if=/dev/zero of=$F bs=1M count=8 2>/dev/null
		sync
	else
		lab-barrier in-$name-file
		mount -t ocfs2 -o "$2" $dev $M || fail "$name: mount -o $2"
		shown=$(grep " $M " /proc/mounts | cut -d' ' -f4)
		case "$INTR,$shown" in
		yes,*nointr*) fail "$name: intr mount shows nointr: $shown" ;;
		no,*nointr*) ;;
		no,*) fail "$name: nointr mount does not show it: $shown" ;;
		esac
		head -c 65536 $F > /dev/null	# its locks cached here first
	fi
	[ "$NODE" != 0 ] || lab-barrier in-$name-file
	lab-barrier in-$name-mounted
	if [ "$NODE" = 0 ]; then
		rm -f $R/in.$name.written $R/in.$name.writing
		dd if=/dev/zero of=$F bs=${MB}M count=1 oflag=direct \
			conv=notrunc 2> $R/in.$name.dd &
		p=$!
		# its one read of MB MiB done, dd is in its write (the lock)
		while running $p && [ "$(sed -n 's/^rchar: //p' /proc/$p/io)" -lt $((MB * 1048576)) ]; do
			sleep 0.05
		done
		: > $R/in.$name.writing
		wait $p || fail "$name: dd"
		: > $R/in.$name.written
		say "$name: wrote $MB MiB in one O_DIRECT call: $(tail -1 $R/in.$name.dd)"
	else
		node1_step
	fi
	lab-barrier in-$name-done
	umount $M || fail "$name: umount"
	lab-barrier in-$name-unmounted
}

# running PID: not ended (a zombie has ended)
running() {
	st=$(awk '{ print $3 }' /proc/$1/stat 2>/dev/null || true)
	[ -n "$st" ] && [ "$st" != Z ]
}

# node 1: reader A, then B waiting behind A's request here, SIGTERM to B
node1_step() {
	i=0
	until [ -e $R/in.$name.writing ]; do
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "$name: node 0's write did not start in 120 s"
		sleep 0.1
	done
	[ ! -e $R/in.$name.written ] || fail "$name: node 0's write already ended: inconclusive (raise WRITE_MB)"
	head -c 65536 $F > $R/in.$name.read &
	a=$!
	sleep 0.5
	stat $F > /dev/null 2>&1 &
	b=$!
	sleep 0.5
	kill -TERM $b 2> /dev/null || true	# it may have ended: see below
	sleep 1
	[ ! -e $R/in.$name.written ] || fail "$name: node 0's write ended during the check: inconclusive (raise WRITE_MB)"
	if running $b; then
		[ "$INTR" = no ] || fail "$name: the stat behind a lock wait ignored SIGTERM on an intr mount"
		say "$name: the stat still waits 1 s after SIGTERM (nointr)"
	else
		[ "$INTR" = yes ] || fail "$name: the stat ended at SIGTERM on a nointr mount"
		say "$name: the stat ended at SIGTERM while node 0 still wrote (intr)"
	fi
	wait $a || fail "$name: the reader failed"
	wait $b 2>/dev/null || true
	[ "$(stat -c %s $R/in.$name.read)" = 65536 ] ||
		fail "$name: the reader got $(stat -c %s $R/in.$name.read) bytes, not 65536"
	rm -f $R/in.$name.read
	say "$name: the reader got its 64 KiB once the write ended"
}

INTR=yes step a intr
INTR=no step b nointr
if [ "$NODE" = 0 ]; then
	$fsck -fn $dev > $R/in.fsck 2>&1 || { cat $R/in.fsck; fail "stock fsck"; }
	say "intr and nointr lock waits as stock's; stock fsck clean"
fi
