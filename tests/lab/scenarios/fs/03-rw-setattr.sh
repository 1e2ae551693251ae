#!/bin/sh
# Read-write mount and journaled attribute changes: node0 (stock) makes
# and fills a local-mount volume; node1 (ours) mounts it read-write,
# changes modes, owners and times, unmounts; node0 (stock) reads the
# result back and checks it, and stock fsck.ocfs2 -fn must be clean.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G --add tests/lab/scenarios/fs/lib.sh \
#       tests/lab/scenarios/fs/03-rw-setattr.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt

attrs() {
	for p in inline_file extent_file dir dir/inner symlink fifo; do
		stat -c '%n %f %u:%g %X %Y' $1/$p | sed "s|$1/||"
	done
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L setattr $dev
	mount -t ocfs2 $dev $mnt
	echo small > $mnt/inline_file
	head -c 300000 /dev/urandom > $mnt/extent_file
	mkdir -p $mnt/dir
	echo x > $mnt/dir/inner
	ln -s extent_file $mnt/symlink
	mkfifo $mnt/fifo
	umount $mnt
fi
lab-barrier filled

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	grep " $mnt " /proc/mounts
	chmod 0600 $mnt/inline_file
	chmod 04711 $mnt/extent_file
	chmod 0700 $mnt/dir
	chown 1001:2002 $mnt/inline_file $mnt/dir/inner
	chown -h 33:44 $mnt/symlink
	chown 7:8 $mnt/fifo
	touch -d '2003-04-05 06:07:08' $mnt/extent_file
	touch -m -d '1999-12-31 23:59:59' $mnt/dir/inner
	attrs $mnt > $LAB_RESULTS/attrs.ours
	sync
	umount $mnt
	# again, from a fresh mount: what reached the disk
	mount -t ocfs2 -o ro $dev $mnt
	attrs $mnt > $LAB_RESULTS/attrs.ours.remount
	umount $mnt
	cmp $LAB_RESULTS/attrs.ours $LAB_RESULTS/attrs.ours.remount ||
		fail "attributes changed across remount"
fi
lab-barrier changed

if [ "$NODE" = 0 ]; then
	blockdev --flushbufs $dev
	echo 3 > /proc/sys/vm/drop_caches
	stock-fsck.ocfs2 -fn $dev
	mount -t ocfs2 -o ro $dev $mnt
	attrs $mnt > $LAB_RESULTS/attrs.stock
	umount $mnt
	diff $LAB_RESULTS/attrs.ours $LAB_RESULTS/attrs.stock ||
		fail "stock reads different attributes"
	cat $LAB_RESULTS/attrs.stock
	grep -q "^extent_file 89c9 0:0 .* 1049522828" $LAB_RESULTS/attrs.stock ||
		fail "extent_file mode/mtime not as set"
fi
echo "setattr: done on node$NODE"
