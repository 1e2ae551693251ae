#!/bin/sh
# Creating names read-write: node0 (stock) makes a local-mount volume;
# node1 (ours) mounts it read-write and creates directories, empty files,
# device nodes, fifos, fast symlinks and hard links in inline directories,
# fills one directory past its inline capacity (it grows into a block
# and then an index; ocfs2.block_dir_changes, on by default), removes names (unlink, rmdir, an
# open-unlinked file) and records a manifest; node0 (stock) runs
# fsck.ocfs2 -fn, mounts the volume and must see the same manifest.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G --add tests/lab/scenarios/fs/lib.sh \
#       tests/lab/scenarios/fs/04-rw-create.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L create $dev
	mount -t ocfs2 $dev $mnt
	echo "made by stock" > $mnt/stock_file
	head -c 100000 /dev/urandom > $mnt/stock_big
	mkdir $mnt/stock_dir
	umount $mnt
fi
lab-barrier formatted

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	cd $mnt
	mkdir -p a/b/c
	mkdir -m 0700 private
	: > empty
	touch a/b/c/deep_file stock_dir/from_ours
	mknod chardev c 1 3
	mknod blockdev b 7 0
	mkfifo fifo
	ln -s stock_file link_to_file
	ln -s "$(repeat q 1000)" link_long
	ln stock_file hard_to_stock
	ln empty a/hard_to_empty
	chown 1234:5678 empty
	mkdir full
	i=0 made=0
	while [ $i -lt 400 ]; do
		if touch full/entry_$i 2>/dev/null; then made=$((made + 1)); fi
		i=$((i + 1))
	done
	echo "full/: $made of 400 created"
	[ $made = 400 ] || fail "directory growth: $made of 400"
	[ "$(cat hard_to_stock)" = "made by stock" ] || fail "hard link content"
	# removal: through the orphan directory, freed at the last close
	rm empty a/hard_to_empty a/b/c/deep_file fifo chardev link_to_file
	rm hard_to_stock
	rmdir a/b/c
	rm -r full
	[ ! -e full ] || fail "rm -r left full/"
	: > open_unlinked
	exec 3< open_unlinked
	rm open_unlinked
	exec 3<&-
	# a file with clusters: they go back to the global bitmap
	rm stock_big
	[ ! -e stock_big ] || fail "rm left stock_big"
	mkdir again
	touch again/x
	cd /
	manifest $mnt > $LAB_RESULTS/manifest.ours
	umount $mnt
	mount -t ocfs2 -o ro $dev $mnt
	manifest $mnt > $LAB_RESULTS/manifest.ours.remount
	umount $mnt
	diff $LAB_RESULTS/manifest.ours $LAB_RESULTS/manifest.ours.remount ||
		fail "manifest changed across remount"
	wc -l < $LAB_RESULTS/manifest.ours
fi
lab-barrier created

if [ "$NODE" = 0 ]; then
	blockdev --flushbufs $dev
	echo 3 > /proc/sys/vm/drop_caches
	stock-fsck.ocfs2 -fn $dev
	mount -t ocfs2 -o ro $dev $mnt
	manifest $mnt > $LAB_RESULTS/manifest.stock
	umount $mnt
	diff $LAB_RESULTS/manifest.ours $LAB_RESULTS/manifest.stock ||
		fail "stock sees a different tree"
	echo "stock agrees on $(wc -l < $LAB_RESULTS/manifest.stock) paths"
fi
