#!/bin/sh
# Readdir positions while a directory changes (tests/stress/fs-readdir):
# node0 (stock) makes a local-mount volume; node1 (ours) walks an inline
# directory (20 names), a block directory (400) and an indexed one (3000)
# while removing names already returned and making new ones: no name
# twice, every kept name once, seekdir() back to a kept entry's position
# finds it again, rewinddir() lists exactly what exists; records the
# listing; node0 (stock): fsck.ocfs2 -fn clean and the same listing.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G --add tests/lab/scenarios/fs/lib.sh \
#       --add tests/stress/fs-readdir --timeout 300 tests/lab/scenarios/fs/12-readdir-positions.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
R=$LAB_RESULTS

listing() {
	for d in inline block indexed; do
		ls -a $mnt/$d | sort | sed "s|^|$d/|"
	done
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L readdir $dev
fi
lab-barrier formatted

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	mkdir $mnt/inline $mnt/block $mnt/indexed
	fs-readdir $mnt/inline 20 || fail "inline directory"
	fs-readdir $mnt/block 400 || fail "block directory"
	fs-readdir $mnt/indexed 3000 || fail "indexed directory"
	stock-debugfs.ocfs2 -R "stat /indexed" $dev 2>/dev/null | grep -qi 'indexed' ||
		echo "note: /indexed is not an indexed directory on this volume"
	listing > $R/readdir.ours
	umount $mnt
	echo "ours: readdir positions held in inline, block and indexed directories"
fi
lab-barrier walked

if [ "$NODE" = 0 ]; then
	fsck_clean "after our directory changes"
	mount -t ocfs2 -o ro $dev $mnt
	listing > $R/readdir.stock
	umount $mnt
	diff $R/readdir.ours $R/readdir.stock || fail "stock lists other names"
	echo "stock: fsck clean, $(wc -l < $R/readdir.stock) names as ours left them"
fi
