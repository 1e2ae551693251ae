#!/bin/sh
# Extent-based (long) symlinks, both ways with stock.
#  node0 (stock): mkfs -M local, long symlinks of 1000 and 4095 bytes;
#  node1 (ours): reads stock's; makes links at the fast limit - 1 (inode
#    block), at it and past it (a data extent), 4095 bytes (PATH_MAX - 1),
#    a 4096-byte target is refused (ENAMETOOLONG), renames one, removes
#    one (its cluster goes back: free space checked), remounts and reads
#    all again from disk;
#  node0 (stock): reads every link, fsck.ocfs2 -fn is clean.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh \
#       tests/lab/scenarios/fs/14-long-symlinks.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt

# the fast symlink limit of a 4 KiB block: bytes after the inode header
fast=$((4096 - 192))

# target N C: a symlink target of N bytes, "/"-separated runs of C
target() {
	repeat "$2" "$1" | sed 's/\(.\{200\}\)./\1\//g'
}

# check LINK N C: LINK reads back as target N C
check() {
	want=$(target "$2" "$3")
	got=$(readlink "$1") || fail "readlink $1"
	[ "$got" = "$want" ] || fail "$1 reads back ${#got} bytes, not the $2 written"
	[ "$(stat -c %s "$1")" = "$2" ] || fail "$1 size $(stat -c %s "$1"), expected $2"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L symlinks $dev
	mount -t ocfs2 $dev $mnt
	ln -s "$(target 1000 s)" $mnt/stock_1000
	ln -s "$(target 4095 t)" $mnt/stock_4095
	umount $mnt
fi
lab-barrier formatted

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	cd $mnt
	check stock_1000 1000 s
	check stock_4095 4095 t
	echo "ours: read stock's long symlinks"
	for n in 100 $((fast - 1)) $fast $((fast + 1)) 4000 4095; do
		ln -s "$(target $n o)" ours_$n || fail "ln -s of $n bytes"
		check ours_$n $n o
	done
	if ln -s "$(target 4096 o)" too_long 2>/dev/null; then
		fail "a 4096-byte target was accepted"
	fi
	[ ! -e too_long ] && [ ! -L too_long ] || fail "too_long exists"
	mv ours_4000 renamed_4000
	check renamed_4000 4000 o
	sync
	free0=$(stat -f -c %f $mnt)
	ln -s "$(target 3999 x)" doomed
	sync
	free1=$(stat -f -c %f $mnt)
	rm doomed
	sync
	free2=$(stat -f -c %f $mnt)
	[ "$free1" -lt "$free0" ] && [ "$free2" = "$free0" ] ||
		fail "free blocks $free0 -> $free1 (long link) -> $free2 (removed)"
	echo "ours: long links made, renamed, one removed (free $free0 -> $free1 -> $free2)"
	cd /
	umount $mnt
	mount -t ocfs2 $dev $mnt
	cd $mnt
	for n in 100 $((fast - 1)) $fast $((fast + 1)) 4095; do
		check ours_$n $n o
	done
	check renamed_4000 4000 o
	cd /
	umount $mnt
	echo "ours: all read back after a remount"
fi
lab-barrier ours-wrote

if [ "$NODE" = 0 ]; then
	mount -t ocfs2 $dev $mnt
	cd $mnt
	for n in 100 $((fast - 1)) $fast $((fast + 1)) 4095; do
		check ours_$n $n o
	done
	check renamed_4000 4000 o
	[ ! -L doomed ] || fail "removed link is back"
	cd /
	umount $mnt
	fsck_clean "after our long symlinks"
	echo "stock: reads every link we made; fsck clean"
fi
