#!/bin/sh
# Stock writes, ours reads: a local-mount volume made and populated by the
# stock kernel and tools is read back by our module, read-only, and every
# path's metadata and content must match what stock recorded.
#
# Two runs over two kept images (--disk PATH): the volume (vda) and a carrier
# (vdb, a raw tar of the reference listing, so the volume stays untouched):
#   tests/lab/run --stack stock --nodes 1 --disk IMG --disk CARRIER \
#       --add tests/lab/scenarios/fs/lib.sh \
#       tests/lab/scenarios/fs/01-read-stock-volume.sh populate [MKFS OPTIONS]
#   tests/lab/run --stack ours ... (same disks and --add) ... verify
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
carrier=/dev/vdb
mnt=/mnt/ocfs2
# the lab stages ARGS in /lab/etc/args but does not pass them on (yet)
if [ $# -eq 0 ] && [ -s /lab/etc/args ]; then
	eval "set -- $(cat /lab/etc/args)"
fi
phase=${1:-populate}
shift || true
mkdir -p $mnt

populate_files() {
	: > empty
	printf x > one_byte
	repeat a 100 > inline_100
	repeat b 3000 > inline_3000
	repeat c 3897 > just_over_inline
	head -c 4096 /dev/urandom > block_4096
	head -c 5000 /dev/urandom > bytes_5000
	head -c 1048576 /dev/urandom > random_1m
	dd if=/dev/urandom of=random_24m bs=1M count=24 2>/dev/null
	# sparse: data at the start, in the middle and at the end, holes between
	truncate -s 100M sparse
	printf start | dd of=sparse conv=notrunc 2>/dev/null
	head -c 70000 /dev/urandom | dd of=sparse bs=1k seek=51200 conv=notrunc 2>/dev/null
	printf end | dd of=sparse bs=1 seek=104857597 conv=notrunc 2>/dev/null
	# unwritten extents read as zeros, with written blocks inside
	fallocate -l 2M unwritten
	printf middle | dd of=unwritten bs=4096 seek=100 conv=notrunc 2>/dev/null
	# more than one inode's worth of extent records: a tree of depth 1
	i=0
	while [ $i -lt 640 ]; do
		printf "%08d" $i | dd of=fragmented bs=8192 seek=$i conv=notrunc 2>/dev/null
		i=$((i + 2))
	done
}

populate_names() {
	mkdir small_dir medium_dir big_dir deep private
	for n in a b c; do echo "$n" > small_dir/$n; done
	i=0
	while [ $i -lt 120 ]; do echo $i > medium_dir/entry_$i; i=$((i + 1)); done
	i=0
	while [ $i -lt 3000 ]; do : > big_dir/file_with_a_longish_name_$i; i=$((i + 1)); done
	echo long > "$(repeat n 255)"
	d=deep
	i=0
	while [ $i -lt 20 ]; do d=$d/level$i; mkdir $d; i=$((i + 1)); done
	echo bottom > $d/leaf
	ln -s inline_100 link_short
	ln -s "$(repeat s 200)" link_200
	ln -s "$(repeat t 3000)" link_3000
	ln -s "$(repeat u 4000)" link_4000
	ln random_1m hard_a
	ln random_1m small_dir/hard_b
	mkfifo fifo
	mknod chardev c 1 3
	mknod blockdev b 7 0
	chmod 0700 private
	echo secret > private/file
	chown 1234:5678 private/file
	chmod 04755 inline_3000
	touch -d '2001-02-03 04:05:06' one_byte
	command -v fs-xattr > /dev/null && populate_xattrs
	return 0
}

# inline (small), out-of-line values (over 80 bytes) and an xattr block
populate_xattrs() {
	fs-xattr set one_byte user.small 10 a
	fs-xattr set one_byte trusted.t 20 b
	fs-xattr set one_byte security.s 30 c
	fs-xattr set bytes_5000 user.big 3000 d
	fs-xattr set small_dir user.dir 40 e
	i=0
	while [ $i -lt 40 ]; do
		fs-xattr set random_1m user.many_$i $((i * 7 + 1)) f
		i=$((i + 1))
	done
	fs-xattr set link_short user.onlink 5 g 2>/dev/null || true
}

xattr_listing() {
	command -v fs-xattr > /dev/null || return 0
	for p in one_byte bytes_5000 small_dir random_1m link_short; do
		fs-xattr dump $1/$p
	done
}

case $phase in
populate)
	echo y | stock-mkfs.ocfs2 -q -F -M local -L fsread "$@" $dev
	mount -t ocfs2 $dev $mnt
	(cd $mnt && populate_files && populate_names)
	umount $mnt
	# stock read-only mount: the reference listing and statfs
	mount -t ocfs2 -o ro $dev $mnt
	manifest $mnt > $LAB_RESULTS/manifest
	xattr_listing $mnt | sed "s|$mnt/||" > $LAB_RESULTS/xattrs
	stat -f -c '%b %f %a %c %d %S %l' $mnt > $LAB_RESULTS/statfs
	umount $mnt
	tar cf $carrier -C $LAB_RESULTS manifest statfs xattrs
	wc -l < $LAB_RESULTS/manifest
	stock-fsck.ocfs2 -fn $dev
	;;
verify)
	mkdir -p /tmp/ref
	tar xf $carrier -C /tmp/ref
	mount -t ocfs2 -o ro $dev $mnt
	manifest $mnt > $LAB_RESULTS/manifest.ours
	cp /tmp/ref/manifest $LAB_RESULTS/manifest.stock
	stat -f -c '%b %f %a %c %d %S %l' $mnt > $LAB_RESULTS/statfs.ours
	cmp /tmp/ref/statfs $LAB_RESULTS/statfs.ours || fail "statfs differs"
	diff $LAB_RESULTS/manifest.stock $LAB_RESULTS/manifest.ours || fail "manifest differs"
	echo "manifest: $(wc -l < $LAB_RESULTS/manifest.ours) paths match"
	xattr_listing $mnt | sed "s|$mnt/||" > $LAB_RESULTS/xattrs.ours
	diff /tmp/ref/xattrs $LAB_RESULTS/xattrs.ours || fail "xattrs differ"
	echo "xattrs: $(wc -l < $LAB_RESULTS/xattrs.ours) match"
	# readdir of the indexed directory, and lookups of names not present
	n=$(ls $mnt/big_dir | wc -l)
	[ "$n" = 3000 ] || fail "big_dir lists $n entries"
	[ ! -e $mnt/big_dir/nosuchname ] || fail "lookup found a missing name"
	[ ! -e $mnt/small_dir/nosuchname ] || fail "lookup found a missing name"
	umount $mnt
	# stock fsck -fn runs on the host afterwards (host-read-interop.bash):
	# under --stack ours the lab's stock-fsck.ocfs2 is not the stock one
	;;
esac
echo "phase $phase done"
