#!/bin/sh
# Volumes made by OUR mkfs.ocfs2, mounted by the STOCK kernel: six geometries
# get a file workload (2x100 files on the cluster volume, 100 more per other
# volume; inline and indexed directories,
# sparse, unwritten and fragmented files, xattrs, reflinks, hard and soft
# links, deletes and renames), read back after a remount (and, for the
# cluster volume, by the other node), and stock fsck.ocfs2 -fn must find
# every volume clean afterwards (on the host: host-compare.bash runs stock
# and our fsck there, much faster than in a TCG guest).  The images stay on
# the host for our fsck/debugfs/mounted to check (host-populated.bash).
# A seventh volume (vdg) proves OUR tunefs.ocfs2 (tunefs-part.sh).
#   vda default (cluster, both nodes)   vdb -b 512 -C 4K   vdc -b 4K -C 1M
#   vdd -T mail   vde -M local   vdf --fs-feature-level=max-features
# Needs: --stack stock --nodes 2, seven --disk, --add our-mkfs.ocfs2,
# our-tunefs.ocfs2, lab-fsops and tunefs-part.sh.
set -e
OUR_MKFS=/usr/local/bin/our-mkfs.ocfs2
BIG=${BIG:-100}
. /usr/local/bin/tunefs-part.sh

fail() { echo "FAIL: $*"; exit 1; }

# manifest DIR [SUBDIR...]: every path (under the SUBDIRs, default all)
# with mode, links, owner and size (one ls), then the content hash of every
# regular file (one md5sum): few processes, as forks are dear in TCG guests
manifest() {
	d=$1
	shift
	[ $# -gt 0 ] || set -- .
	(cd "$d" && ls -lnRa --full-time "$@" | grep -v '^total' &&
	 find "$@" -type f | sort | xargs md5sum)
}

# what the other node checks of a cluster tree: all but the big directory,
# whose every stat would pull a lock across (slow in TCG); its listing only
shared_view() {
	(cd "$1" && ls -ln . inline_dir medium_dir deep | grep -v '^total' &&
	 find . -path ./big_dir -prune -o -type f -print | sort | xargs md5sum &&
	 ls big_dir | wc -l)
}

populate() {	# DIR [XATTRS]
	d=$1
	nx=${2:-120}
	mkdir -p "$d" && cd "$d"
	cs=$(stat -f -c %S .)
	mkdir inline_dir medium_dir big_dir deep
	for n in a b c; do echo "$n" > inline_dir/$n; done
	i=0
	while [ $i -lt 150 ]; do echo $i > medium_dir/entry_$i; i=$((i + 1)); done
	i=0
	while [ $i -lt "$BIG" ]; do : > big_dir/a_file_with_a_longer_name_$i; i=$((i + 1)); done
	# holes in the indexed directory and freed inodes
	i=0
	while [ $i -lt "$BIG" ]; do rm big_dir/a_file_with_a_longer_name_$i; i=$((i + 7)); done
	mv big_dir/a_file_with_a_longer_name_1 big_dir/renamed_one
	i=0 p=deep
	while [ $i -lt 12 ]; do p=$p/l$i; mkdir $p; i=$((i + 1)); done
	echo bottom > $p/leaf
	printf x > one_byte
	head -c 200 /dev/urandom > inline_200
	head -c 6000 /dev/urandom > small_6000
	dd if=/dev/urandom of=large_16m bs=1M count=4 2>/dev/null
	dd if=/dev/urandom of=shrunk bs=1M count=4 2>/dev/null
	truncate -s 100000 shrunk
	truncate -s 200M sparse
	printf start | dd of=sparse conv=notrunc 2>/dev/null
	printf middle | dd of=sparse bs=1M seek=100 conv=notrunc 2>/dev/null
	printf end | dd of=sparse bs=1 seek=209715197 conv=notrunc 2>/dev/null
	fallocate -l 3M unwritten
	printf inside | dd of=unwritten bs=4096 seek=300 conv=notrunc 2>/dev/null
	lab-fsops fragment fragmented "$cs" 300
	ln large_16m hard_a
	ln large_16m inline_dir/hard_b
	ln -s one_byte link_short
	ln -s "$(head -c 400 /dev/zero | tr '\0' s)" link_400
	ln -s "$(head -c 3000 /dev/zero | tr '\0' t)" link_3000
	mkfifo fifo
	mknod chardev c 1 3
	chown 1234:5678 small_6000
	chown 2000:2000 large_16m
	lab-fsops xattr one_byte user.small 10
	lab-fsops xattr one_byte trusted.t 20
	lab-fsops xattr small_6000 user.outside 3000
	lab-fsops xattr inline_dir user.dir 40
	for i in 0 1 2 3 4 5 6 7 8 9; do
		lab-fsops xattr medium_dir/entry_$i user.e 30
	done
	# enough names and bytes to need an xattr block, then buckets
	lab-fsops xattrs large_16m user.many_ "$nx"
	lab-fsops xattrs inline_dir/a user.few_ 6
	if lab-fsops reflink large_16m reflinked 2>/dev/null; then
		printf changed | dd of=reflinked bs=4096 seek=10 conv=notrunc 2>/dev/null
	fi
	rm -f reflinked.none
	cd /
}

mkfs_one() {	# DEV LABEL OPTIONS...
	dev=$1 label=$2
	shift 2
	$OUR_MKFS -q -F -L "$label" "$@" "$dev" || fail "our mkfs $* $dev"
	echo "$dev: our mkfs.ocfs2 $*"
}

# local volumes: populate, remount, compare, unmount; a volume that fails
# says so and the others go on (the barriers must still be met).  A
# volume done cleanly gets LAB_RESULTS/<disk>.ok, which the host driver
# turns into a cached image fit for our tools' checks.
local_volume() {	# DEV [XATTRS]
	m=/mnt/$(basename "$1")
	mkdir -p "$m"
	mount -t ocfs2 "$1" "$m" || { echo "FAIL: stock mount of $1"; return 1; }
	if ! (populate "$m/work" "${2:-}"); then
		echo "FAIL: workload on $1"
		umount "$m"
		return 1
	fi
	manifest "$m" > /tmp/before
	umount "$m"
	mount -t ocfs2 "$1" "$m" || { echo "FAIL: stock remount of $1"; return 1; }
	manifest "$m" > /tmp/after
	umount "$m"
	cmp -s /tmp/before /tmp/after || { echo "FAIL: $1 differs after remount"; return 1; }
	echo "$1: $(wc -l < /tmp/after) paths survive a remount"
	touch "$LAB_RESULTS/$(basename "$1").ok"
}

if [ "$NODE" = 0 ]; then
	mkfs_one /dev/vda ours-default -N 2
	mkfs_one /dev/vdb ours-b512 -b 512 -C 4K -N 2
	mkfs_one /dev/vdd ours-mail -T mail -N 2
	mkfs_one /dev/vdg ours-tunefs -M local -N 1 \
		--fs-features=noxattr,norefcount,nounwritten,noextended-slotmap
else
	mkfs_one /dev/vdc ours-c1m -b 4K -C 1M -N 2
	mkfs_one /dev/vde ours-local -M local
	mkfs_one /dev/vdf ours-max --fs-feature-level=max-features -N 2
fi
lab-barrier formatted

# the cluster volume: both nodes at once, each reads the other's tree
mkdir -p /mnt/vda
mount -t ocfs2 /dev/vda /mnt/vda || fail "stock mount of vda"
lab-barrier mounted
BIG=100 populate /mnt/vda/node$NODE
shared_view /mnt/vda/node$NODE > "$LAB_RESULTS/vda-node$NODE"
sync
lab-barrier written
other=$((1 - NODE))
shared_view /mnt/vda/node$other > /tmp/other
cmp -s /tmp/other "$LAB_RESULTS/vda-node$other" || fail "node$other's tree reads differently here"
echo "vda: node$other's tree ($(tail -n 1 /tmp/other) names in big_dir) reads the same on node$NODE"
mounted.ocfs2 -f /dev/vda
lab-barrier checked
# Stock o2dlm on 6.1 fails lock migration (-22) when the node it migrates
# to is leaving or dropping its references at that moment: drop the cached
# inodes (their locks) first, give the purge time, then leave one by one.
leave_one_by_one /mnt/vda
[ "$NODE" = 0 ] && touch "$LAB_RESULTS/vda.ok"

# Stock 6.12.117 (not 6.1) rejects its own xattr buckets holding more
# entries than (blocksize - 32) / 16 (a bounds check added upstream), so
# 512-byte blocks get fewer xattrs per file: 24 stay in one block.
rc=0
if [ "$NODE" = 0 ]; then
	local_volume /dev/vdb 24 || rc=1
	local_volume /dev/vdd || rc=1
	tunefs_prepare /dev/vdg || rc=1
else
	for d in /dev/vdc /dev/vde /dev/vdf; do local_volume $d || rc=1; done
fi
lab-barrier populated
tunefs_cluster /dev/vdg || rc=1
exit $rc
