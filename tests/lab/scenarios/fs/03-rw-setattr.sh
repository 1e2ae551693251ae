#!/bin/sh
# Read-write mount and journaled attribute changes: node0 (stock) makes
# and fills a local-mount volume (one file immutable); node1 (ours) checks
# the mount options (accepted, shown, bad ones refused) and when reads
# store atime (relatime, noatime, atime_quantum), mounts it read-write,
# honours the immutable flag stock set, clears it, changes modes, owners
# and times, sets chattr flags (append-only, nodump,
# noatime, dirsync) and checks append-only is enforced, makes new names
# whose times carry nanoseconds, unmounts; node0 (stock) reads the result
# back and checks it (flags and nanoseconds too), and stock fsck.ocfs2
# -fn must be clean.  Flags through lab-fsflags (tests/lab/tools).
# The option, atime, chattr and nanosecond checks run with the argument
# "full" (make check's line has none until they passed on both kernels).
# With the argument "metaecc" the volume has metadata checksums: ours
# also grows a directory over many blocks, writes a file of 300 extents
# (an extent block), a long symlink (a target block that must get no
# checksum) and deletes half of it all; stock checks every checksum
# (fsck, then a read-write mount that adds names), and ours reads what
# stock wrote.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G --add tests/lab/scenarios/fs/lib.sh \
#       tests/lab/scenarios/fs/03-rw-setattr.sh [full] [metaecc]
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
full= ecc=
for a in "$@"; do
	case $a in
	full) full=1 ;;
	metaecc) ecc=--fs-features=metaecc ;;
	esac
done

attrs() {
	for p in inline_file extent_file dir dir/inner symlink fifo; do
		stat -c '%n %f %u:%g %X %Y' $1/$p | sed "s|$1/||"
	done
}

# flags_and_ns MNT: chattr flags, and times to the nanosecond
flags_and_ns() {
	[ -n "$full" ] || return 0
	for p in frozen flagged dir; do
		echo "$p $(lab-fsflags $1/$p)"
	done
	for p in fresh freshdir; do
		stat -c '%n %x %y %z' $1/$p | sed "s|$1/||"
	done
}

# options_checks MNT (ours): the stock option set is accepted and shown,
# bad options and values are refused with a message naming them
options_checks() {
	[ -n "$full" ] || return 0
	m=$1
	for set in errors=continue,intr,localalloc=16,data=writeback,commit=9,barrier=0,atime_quantum=0,noatime,nodiratime,user_xattr,acl \
		errors=panic,nointr,data=ordered,barrier=1,relatime errors=remount-ro; do
		mount -t ocfs2 -o $set $dev $m || fail "options $set refused"
		shown=$(grep " $m " /proc/mounts)
		for o in $(echo $set | tr ',' ' '); do
			case $o in
			errors=continue | errors=panic | localalloc=* | data=writeback | commit=* | barrier=0 | atime_quantum=* | noatime | nodiratime | relatime)
				echo "$shown" | grep -q "[ ,]$o[, ]" || fail "option $o not shown: $shown" ;;
			esac
		done
		umount $m
	done
	for o in bogus_option data=nonsense commit=abc errors=maybe barrier=x; do
		if mount -t ocfs2 -o $o $dev $m 2>/dev/null; then
			umount $m
			fail "option $o accepted"
		fi
	done
	dmesg | grep -q bogus_option || fail "no kernel message naming the unknown option"
	echo "ours: mount options accepted, shown and refused as stock"
}

# atime_checks MNT (ours): when a read stores the access time on disk
atime_checks() {
	[ -n "$full" ] || return 0
	m=$1
	old=978307200
	mount -t ocfs2 $dev $m
	echo data > $m/at_file
	touch -a -d '2001-01-01 00:00:00' $m/at_file
	cat $m/at_file > /dev/null
	umount $m
	mount -t ocfs2 $dev $m
	[ "$(stat -c %X $m/at_file)" -gt $old ] ||
		fail "relatime: a read after a write did not store the atime"
	touch -a -d '2001-01-01 00:00:00' $m/at_file
	umount $m
	mount -t ocfs2 -o noatime $dev $m
	cat $m/at_file > /dev/null
	umount $m
	mount -t ocfs2 -o strictatime,atime_quantum=600 $dev $m
	[ "$(stat -c %X $m/at_file)" = $old ] || fail "noatime: a read stored the atime"
	young=$(($(date +%s) - 300))
	aged=$(($(date +%s) - 1200))
	touch -a -d "@$young" $m/at_file
	echo data > $m/at_old
	touch -a -d "@$aged" $m/at_old
	cat $m/at_file $m/at_old > /dev/null
	umount $m
	mount -t ocfs2 $dev $m
	[ "$(stat -c %X $m/at_file)" = $young ] ||
		fail "atime_quantum=600: an atime 300 s old was renewed"
	[ "$(stat -c %X $m/at_old)" -gt $aged ] ||
		fail "atime_quantum=600: an atime 1200 s old was kept"
	umount $m
	echo "ours: atime stored per relatime, noatime and atime_quantum"
}

# chattr_checks MNT (ours): the flag stock set is honoured, ours are kept
chattr_checks() {
	[ -n "$full" ] || return 0
	m=$1
	[ "$(lab-fsflags $m/frozen)" = 0x00000010 ] || fail "immutable flag not read: $(lab-fsflags $m/frozen)"
	if (echo x >> $m/frozen) 2>/dev/null; then fail "wrote to an immutable file"; fi
	if rm -f $m/frozen 2>/dev/null; then fail "removed an immutable file"; fi
	if chmod 0600 $m/frozen 2>/dev/null; then fail "chmod of an immutable file"; fi
	lab-fsflags $m/frozen 0
	echo thawed >> $m/frozen
	: > $m/flagged
	lab-fsflags $m/flagged e0
	if (echo x > $m/flagged) 2>/dev/null; then fail "truncating write to an append-only file"; fi
	echo appended >> $m/flagged
	if rm -f $m/flagged 2>/dev/null; then fail "removed an append-only file"; fi
	lab-fsflags $m/dir 10080
	lab-fsflags $m/flagged 800000e0
	[ "$(lab-fsflags $m/flagged)" = 0x000000e0 ] || fail "a flag ocfs2 does not have was kept"
	echo fresh > $m/fresh
	mkdir $m/freshdir
	stat -c '%y' $m/fresh | grep -qv '\.000000000 ' || fail "new file's mtime has no nanoseconds"
	echo "ours: immutable honoured and cleared, append-only enforced, flags set"
}

# metaecc_writes MNT (ours): metadata of every kind ours writes
metaecc_writes() {
	[ -n "$ecc" ] || return 0
	m=$1
	mkdir $m/many
	i=0
	while [ $i -lt 400 ]; do
		: > $m/many/name_with_some_length_$i
		i=$((i + 1))
	done
	head -c 409600 /dev/urandom > /tmp/chunk
	i=0
	while [ $i -lt 300 ]; do
		dd if=/tmp/chunk of=$m/strided bs=4k count=1 skip=$((i % 100)) \
			seek=$((i * 2)) conv=notrunc status=none
		i=$((i + 1))
	done
	ln -s "/$(repeat a 1000)/INODE01" $m/longlink
	i=0
	while [ $i -lt 400 ]; do
		rm $m/many/name_with_some_length_$i
		i=$((i + 2))
	done
	truncate -s 300000 $m/strided
	echo "ours: metaecc: 200 of 400 names left, 300-extent file cut, long symlink"
}

# metaecc_stock MNT (stock, after fsck): a read-write mount checks every
# block it reads and adds names of its own; then ours reads it all back
metaecc_stock() {
	[ -n "$ecc" ] || return 0
	mount -t ocfs2 -o ro $dev $1
	manifest $1 > $LAB_RESULTS/ecc.before
	umount $1
	mount -t ocfs2 $dev $1
	manifest $1 > $LAB_RESULTS/ecc.stock
	diff $LAB_RESULTS/ecc.before $LAB_RESULTS/ecc.stock ||
		fail "stock reads the metaecc volume differently read-write"
	mkdir $1/by_stock
	i=0
	while [ $i -lt 50 ]; do
		echo $i > $1/many/stock_$i
		i=$((i + 1))
	done
	manifest $1 > $LAB_RESULTS/ecc.stock2
	umount $1
	fsck_clean "after stock wrote to the metaecc volume"
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L setattr $ecc $dev
	stock-debugfs.ocfs2 -R stats $dev | grep -i "feature"
	mount -t ocfs2 $dev $mnt
	echo small > $mnt/inline_file
	head -c 300000 /dev/urandom > $mnt/extent_file
	mkdir -p $mnt/dir
	echo x > $mnt/dir/inner
	ln -s extent_file $mnt/symlink
	mkfifo $mnt/fifo
	if [ -n "$full" ]; then
		echo ice > $mnt/frozen
		lab-fsflags $mnt/frozen 10
	fi
	umount $mnt
fi
lab-barrier filled

if [ "$NODE" = 1 ]; then
	options_checks $mnt
	atime_checks $mnt
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
	chattr_checks $mnt
	metaecc_writes $mnt
	attrs $mnt > $LAB_RESULTS/attrs.ours
	flags_and_ns $mnt > $LAB_RESULTS/flags.ours
	sync
	umount $mnt
	# again, from a fresh mount: what reached the disk
	mount -t ocfs2 -o ro $dev $mnt
	attrs $mnt > $LAB_RESULTS/attrs.ours.remount
	flags_and_ns $mnt > $LAB_RESULTS/flags.ours.remount
	umount $mnt
	cmp $LAB_RESULTS/attrs.ours $LAB_RESULTS/attrs.ours.remount ||
		fail "attributes changed across remount"
	diff $LAB_RESULTS/flags.ours $LAB_RESULTS/flags.ours.remount ||
		fail "flags or nanoseconds changed across remount"
fi
lab-barrier changed

if [ "$NODE" = 0 ]; then
	blockdev --flushbufs $dev
	echo 3 > /proc/sys/vm/drop_caches
	fsck_clean "after ours changed the volume"
	mount -t ocfs2 -o ro $dev $mnt
	attrs $mnt > $LAB_RESULTS/attrs.stock
	flags_and_ns $mnt > $LAB_RESULTS/flags.stock
	umount $mnt
	metaecc_stock $mnt
	diff $LAB_RESULTS/flags.ours $LAB_RESULTS/flags.stock ||
		fail "stock reads different flags or times"
	cat $LAB_RESULTS/flags.stock
	diff $LAB_RESULTS/attrs.ours $LAB_RESULTS/attrs.stock ||
		fail "stock reads different attributes"
	cat $LAB_RESULTS/attrs.stock
	grep -q "^extent_file 89c9 0:0 .* 1049522828" $LAB_RESULTS/attrs.stock ||
		fail "extent_file mode/mtime not as set"
fi
if [ -n "$ecc" ]; then
	lab-barrier stock-wrote
	if [ "$NODE" = 1 ]; then
		mount -t ocfs2 -o ro $dev $mnt
		manifest $mnt > $LAB_RESULTS/ecc.ours2
		umount $mnt
		diff $LAB_RESULTS/ecc.stock2 $LAB_RESULTS/ecc.ours2 ||
			fail "ours reads stock's metaecc changes differently"
		echo "ours: read back stock's changes, $(grep -c . $LAB_RESULTS/ecc.ours2) paths"
	fi
fi
echo "setattr: done on node$NODE"
