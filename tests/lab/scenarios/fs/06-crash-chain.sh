#!/bin/sh
# Crash and journal replay, a chain of kill points on one local-mount
# volume, alternating stock and our module.  Node k in turn:
#   mounts (replaying the journal node k-1 left dirty when it was
#   killed), checks that every tree synced before each kill is intact,
#   unmounts and runs stock fsck.ocfs2 -fn (must be clean), mounts again,
#   builds its own tree step_k (names and fsynced file contents), syncs
#   it, records its manifest, then keeps changing names and rewriting
#   files in noise_k (never synced) until node k+1 kills it (lab-ctl kill)
#   after a random delay.  The last node only checks, also that each
#   killed node's kernel log was clean when it started its noise (the lab
#   does not judge killed nodes).  With --nodes N that is N-1 kill points,
#   each one replayed by the other module.
#   tests/lab/run --nodes 4 --stack stock,ours,stock,ours --mem 512 \
#       --disk 1G --add tests/lab/scenarios/fs/lib.sh --timeout 400 \
#       tests/lab/scenarios/fs/06-crash-chain.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS

rand() {
	head -c 2 /dev/urandom | od -An -tu2 | tr -d ' '
}

# names: the namespace operations both modules can do
names() {
	d=$1
	mkdir -p $d/a/b $d/c $d/gone
	: > $d/empty
	touch $d/a/b/leaf $d/c/other $d/tmp
	ln -s ../step_0 $d/c/sym
	ln $d/empty $d/a/hard
	rmdir $d/gone
	rm $d/tmp
	mv $d/c/other $d/a/moved
	mv $d/a/b $d/c/b_moved
	: > $d/c/victim
	mv $d/a/moved $d/c/victim
	i=0
	while [ $i -lt 30 ]; do
		touch $d/c/n$i
		i=$((i + 1))
	done
}

# contents DIR: files of varied sizes, each fsynced
contents() {
	i=0
	while [ $i -lt 10 ]; do
		head -c $((i * 4099 + $(rand) % 3000 + 1)) /dev/urandom > $1/f$i
		sync $1/f$i
		i=$((i + 1))
	done
}

# noise DIR: changes nothing waits for, until this node is killed
noise() {
	mkdir -p $1
	i=0
	while :; do
		touch $1/x$((i % 40)) 2>/dev/null || true
		mv $1/x$((i % 40)) $1/y$((i % 37)) 2>/dev/null || true
		rm -f $1/y$((i % 23)) 2>/dev/null || true
		mkdir $1/d$((i % 11)) 2>/dev/null || rmdir $1/d$((i % 11)) 2>/dev/null || true
		head -c $((i % 9000)) /dev/urandom > $1/w$((i % 5))
		i=$((i + 1))
	done
}

verify() {
	s=0
	while [ $s -lt "$NODE" ]; do
		manifest $mnt/step_$s | diff $R/expect.$s - ||
			fail "step_$s differs after replaying node $((NODE - 1))'s journal"
		s=$((s + 1))
	done
	echo "node$NODE ($LAB_STACK): the $NODE synced trees are intact"
}

s=0
while [ $s -lt "$NODE" ]; do
	lab-barrier synced_$s
	s=$((s + 1))
done

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L chain $dev
else
	delay=$(rand)
	sleep "$((delay % 3)).$((delay % 10))"
	lab-ctl kill $((NODE - 1))
	echo "node$NODE: killed node$((NODE - 1)) after $((delay % 3)).$((delay % 10)) s"
	mount -t ocfs2 $dev $mnt
	dmesg | grep -i "ocfs2.*\(replay\|recover\)" | tail -3 || true
	verify
	umount $mnt
	stock-fsck.ocfs2 -fn $dev || fail "stock fsck after node$NODE replayed"
	if [ "$NODE" = $((NODES - 1)) ]; then
		s=0
		while [ $s -lt "$NODE" ]; do
			klog_verdict node$s
			s=$((s + 1))
		done
		echo "node$NODE: $NODE kill points replayed, kernel logs clean before each kill"
		exit 0
	fi
fi

mount -t ocfs2 $dev $mnt
names $mnt/step_$NODE
contents $mnt/step_$NODE
sync
manifest $mnt/step_$NODE > $R/expect.$NODE
echo "node$NODE ($LAB_STACK): synced $(wc -l < $R/expect.$NODE) paths"
klog_check node$NODE
noise $mnt/noise_$NODE &
lab-barrier synced_$NODE
sleep 900
