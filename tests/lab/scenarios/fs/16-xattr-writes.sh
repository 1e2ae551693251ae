#!/bin/sh
# Extended attribute writes, both ways with stock (setfattr/getfattr added
# from the host's attr package).
#  node0 (stock): mkfs -M local; xattrs inline, in a block, out of line;
#  node1 (ours): reads them; replaces, removes and adds on stock's files;
#    writes its own: inline (area made in an inline-data file that then
#    grows to extents, and in an extent file), in a block, out-of-line
#    values of 81 bytes to 64 KiB, user./trusted./security. names, a
#    directory and a symlink; fills a block to ENOSPC; bad names and sizes
#    refused; a file with a block and big values deleted (space back);
#    remount, every value checked, a dump left for stock;
#  node0 (stock): same dump, stock debugfs reads our block, fsck clean;
#    stock changes our attributes and leaves its dump;
#  node1 (ours): reads stock's changes, removes them all, deletes; fsck
#    clean (stock); then a zeroed xattr block: a clear error, no crash.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/setfattr \
#       --add /usr/bin/getfattr tests/lab/scenarios/fs/16-xattr-writes.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
# the block-only behaviour (a full block is ENOSPC): bucket tree writes
# off, whatever a scenario before this one in the boot set (fs/20, fs/21)
modprobe ocfs2 2>/dev/null || true
xtw=/sys/module/ocfs2/parameters/xattr_tree_writes
if [ -w $xtw ]; then echo 0 > $xtw; fi

# setx FILE NAME LEN CHAR: NAME becomes LEN bytes of CHAR
setx() {
	setfattr -h -n "$2" -v "$(repeat "$4" "$3")" "$1" ||
		fail "setfattr $2 ($3 bytes) on $1"
}

# getx FILE NAME LEN CHAR: NAME reads back as LEN bytes of CHAR
getx() {
	got=$(getfattr -h --only-values -n "$2" "$1" | md5sum) ||
		fail "getfattr $2 on $1"
	want=$(repeat "$4" "$3" | md5sum)
	[ "$got" = "$want" ] || fail "$1: $2 is not $3 bytes of $4"
}

# gone FILE NAME: NAME is not there
gone() {
	if getfattr -h -n "$2" "$1" > /dev/null 2>&1; then
		fail "$1: $2 is still there"
	fi
}

# refused FILE ERRTEXT SETFATTR-ARGS...: setfattr fails saying ERRTEXT
refused() {
	f=$1
	e=$2
	shift 2
	if setfattr -h "$@" "$f" 2> /tmp/err; then
		fail "setfattr $* on $f was accepted (wanted: $e)"
	fi
	grep -q "$e" /tmp/err || {
		cat /tmp/err
		fail "setfattr $* on $f: not \"$e\""
	}
}

# dumpx FILE...: every attribute, hex values, sorted per file
dumpx() {
	for f in "$@"; do
		echo "## $f"
		getfattr -h -d -m - -e hex "$f" 2>&1 | grep -v '^#' | grep . | sort
	done
}

FILES="s_inline s_block s_dir o_inline o_ext o_many o_dir o_link"

# check_ours: what node1 wrote, value by value
check_ours() {
	getx o_inline user.a 10 a
	getx o_inline trusted.t 30 t
	getx o_inline security.s 40 s
	getx o_inline user.tree 200 r
	getx o_ext user.big 65536 b
	getx o_ext user.mid 4000 m
	getx o_ext user.x81 81 x
	getx o_ext user.x80 80 y
	gone o_ext user.gone
	getx o_dir user.d 50 d
	getx o_link trusted.l 12 l
	getx o_many user.$(repeat n 250) 7 z
	i=1
	while [ $i -le "$many" ]; do
		getx o_many user.n$i $((i % 40 + 1)) q
		i=$((i + 1))
	done
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L xattrs $dev
	mount -t ocfs2 $dev $mnt
	cd $mnt
	echo small > s_inline
	setx s_inline user.one 10 o
	setx s_inline trusted.two 20 w
	head -c 20000 /dev/zero > s_block
	i=1
	while [ $i -le 30 ]; do
		setx s_block user.stock$i 30 k
		i=$((i + 1))
	done
	setx s_block user.big 5000 g
	mkdir s_dir
	setx s_dir user.sd 33 e
	stock-debugfs.ocfs2 -R "xattr /s_block" $dev 2>&1 | head -3 || true
	cd /
	umount $mnt
	echo "stock: wrote xattrs inline, in a block, out of line"
fi
lab-barrier formatted

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	cd $mnt
	getx s_inline user.one 10 o
	getx s_inline trusted.two 20 w
	getx s_block user.stock30 30 k
	getx s_block user.big 5000 g
	getx s_dir user.sd 33 e
	echo "ours: read stock's"
	# stock's: replace (bigger, smaller, local <-> out of line), remove, add
	setx s_inline user.one 300 O
	setfattr -x trusted.two s_inline
	setx s_inline user.new 5 n
	setx s_block user.big 7 G
	setx s_block user.stock1 1000 K
	setfattr -x user.stock2 s_block
	setx s_dir user.sd2 70 E
	getx s_inline user.one 300 O
	gone s_inline trusted.two
	getx s_block user.big 7 G
	getx s_block user.stock1 1000 K
	gone s_block user.stock2
	echo "ours: replaced, removed and added on stock's files"

	# inline area in an inline-data file, which then grows to extents
	echo hello > o_inline
	setx o_inline user.a 10 a
	setx o_inline trusted.t 30 t
	setx o_inline security.s 40 s
	setx o_inline user.tree 200 r
	head -c 9000 /dev/urandom > /tmp/data
	cat /tmp/data > o_inline
	cmp /tmp/data o_inline || fail "o_inline data after promotion"
	getx o_inline user.a 10 a
	getx o_inline user.tree 200 r
	# an extent file: values local (80) and out of line (81 .. 64 KiB)
	head -c 50000 /dev/urandom > o_ext
	setx o_ext user.gone 20 g
	setx o_ext user.big 65536 b
	setx o_ext user.mid 4000 m
	setx o_ext user.x81 81 x
	setx o_ext user.x80 80 y
	setfattr -x user.gone o_ext
	setx o_ext user.mid 3000 M
	setx o_ext user.mid 4000 m
	mkdir o_dir
	setx o_dir user.d 50 d
	i=0
	while [ $i -lt 150 ]; do
		: > o_dir/f$i
		i=$((i + 1))
	done
	ln -s o_ext o_link
	setx o_link trusted.l 12 l
	echo "ours: inline, block and out-of-line values written"

	# many names: the block fills, then ENOSPC, nothing lost
	: > o_many
	setx o_many user.$(repeat n 250) 7 z
	i=1
	while setfattr -n user.n$i -v "$(repeat q $((i % 40 + 1)))" o_many 2> /tmp/err; do
		i=$((i + 1))
		[ $i -le 400 ] || fail "400 names and no ENOSPC"
	done
	grep -q "No space left" /tmp/err || {
		cat /tmp/err
		fail "the full block: not ENOSPC"
	}
	many=$((i - 1))
	echo "$many" > "$LAB_RESULTS/many"
	echo "ours: $many names fit, then ENOSPC (no bucket trees)"

	# bad names and sizes
	refused o_ext "Numerical result out of range" -n user.$(repeat n 251) -v x
	refused o_ext "Argument list too long" -n user.huge -v "$(repeat h 65537)"
	refused o_ext "No such attribute" -x user.never
	refused o_ext "Operation not supported" -n bogus.ns -v x
	refused o_ext "Invalid argument" -n user. -v x
	refused o_link "Operation not permitted" -n user.onlink -v x
	refused o_many "No space left" -n user.n$i -v "$(repeat q $((i % 40 + 1)))"
	getx o_many user.n1 2 q
	echo "ours: bad names and sizes refused"

	# a deleted file gives back its block and its values' clusters
	sync
	free0=$(stat -f -c %f $mnt)
	: > doomed
	i=0
	while [ $i -lt 60 ]; do
		setx doomed user.d$i 20 d
		i=$((i + 1))
	done
	setx doomed user.huge 65536 h
	setx doomed trusted.mid 5000 m
	sync
	free1=$(stat -f -c %f $mnt)
	rm -f doomed
	sync
	free2=$(stat -f -c %f $mnt)
	[ "$free1" -lt "$free0" ] && [ "$free2" = "$free0" ] ||
		fail "free blocks $free0 -> $free1 (doomed) -> $free2 (deleted)"
	echo "ours: a deleted file's xattrs freed (free $free0 -> $free1 -> $free2)"

	cd /
	umount $mnt
	mount -t ocfs2 $dev $mnt
	cd $mnt
	check_ours
	getx s_inline user.one 300 O
	dumpx $FILES > "$LAB_RESULTS/ours.dump"
	cd /
	umount $mnt
	echo "ours: all read back after a remount"
fi
lab-barrier ours-wrote

if [ "$NODE" = 0 ]; then
	many=$(cat "$LAB_RESULTS/many")
	mount -t ocfs2 $dev $mnt
	cd $mnt
	dumpx $FILES > /tmp/stock.dump
	if ! cmp -s /tmp/stock.dump "$LAB_RESULTS/ours.dump"; then
		diff "$LAB_RESULTS/ours.dump" /tmp/stock.dump | head -20
		fail "stock reads other xattrs than ours wrote"
	fi
	check_ours
	[ ! -e doomed ] || fail "doomed is back"
	stock-debugfs.ocfs2 -R "xattr /o_many" $dev 2>&1 | head -3 || true
	# stock changes ours
	setx o_ext user.big 10 B
	setfattr -x user.x81 o_ext
	setx o_ext user.stock 6000 S
	setfattr -x user.n3 o_many
	setx o_inline user.a 90 A
	dumpx $FILES > "$LAB_RESULTS/stock.dump"
	cd /
	umount $mnt
	fsck_clean "after our xattr writes"
	echo "stock: reads every value we wrote, changed some; fsck clean"
fi
lab-barrier stock-changed

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	cd $mnt
	dumpx $FILES > /tmp/ours2.dump
	if ! cmp -s /tmp/ours2.dump "$LAB_RESULTS/stock.dump"; then
		diff "$LAB_RESULTS/stock.dump" /tmp/ours2.dump | head -20
		fail "ours reads other xattrs than stock wrote"
	fi
	getx o_ext user.stock 6000 S
	# remove everything from one file, delete others
	for n in user.big user.mid user.x80 user.stock; do
		setfattr -x $n o_ext
	done
	[ -z "$(getfattr -h -d -m - o_ext 2>/dev/null)" ] || fail "o_ext keeps xattrs"
	rm -f o_many s_block
	rm -rf o_dir
	: > o_corrupt
	i=0
	while [ $i -lt 20 ]; do
		setx o_corrupt user.c$i 30 c
		i=$((i + 1))
	done
	cd /
	umount $mnt
	echo "ours: read stock's changes, removed, deleted"
fi
lab-barrier ours-removed

if [ "$NODE" = 0 ]; then
	fsck_clean "after our removals"
	mount -t ocfs2 $dev $mnt
	getx $mnt/o_corrupt user.c19 30 c
	umount $mnt
	blk=$(stock-debugfs.ocfs2 -R "xattr /o_corrupt" $dev 2>&1 |
		sed -n 's/.*in block #\([0-9]*\).*/\1/p' | head -1)
	[ -n "$blk" ] || fail "no xattr block found for o_corrupt"
	dd if=/dev/zero of=$dev bs=4096 seek="$blk" count=1 conv=notrunc 2>/dev/null
	echo "stock: fsck clean; zeroed o_corrupt's xattr block $blk"
fi
lab-barrier corrupted

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	# the first names are in the inode's inline area; the last in the block
	getx $mnt/o_corrupt user.c0 30 c
	if getfattr -h -n user.c19 $mnt/o_corrupt > /dev/null 2>&1; then
		fail "a zeroed xattr block was read"
	fi
	if setfattr -h -n user.c0 -v x $mnt/o_corrupt 2>/dev/null; then
		fail "a change with a zeroed xattr block went through"
	fi
	getx $mnt/o_inline user.tree 200 r
	dmesg | grep -i ocfs2 | grep -i "xattr\|signature\|read-only" | tail -3
	umount $mnt
	echo "ours: the zeroed block refused, other files still read"
fi
