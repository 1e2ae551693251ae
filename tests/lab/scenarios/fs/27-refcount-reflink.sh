#!/bin/sh
# Reflinks made by ours (FICLONE through cp --reflink=always, with
# ocfs2.refcount_writes=1), checked against a tmpfs model, read and
# changed by stock.
#  node0 (stock): mkfs -M local; a 4 MiB file and a sparse one;
#  node1 (ours): reflinks of both (a new tree), a reflink of a reflink,
#    a reflink of an inline file refused (not done yet); copy on
#    write into the source and a reflink, a truncate; every file equals
#    its model, again after a remount; a manifest;
#  node0 (stock): fsck.ocfs2 -fn clean, the same manifest; stock writes
#    into ours' reflink and reflinks it again; fsck clean;
#  node1 (ours): every file removed; node0 (stock): fsck clean.
# With the argument "full" (set.sh 27-refcount-reflink.sh=full), bad
# input instead: a write into ours' reflink on a full 128 MiB volume
# fails with ENOSPC, changes nothing and leaves the volume read-write;
# once space is freed the same write copies; stock fsck clean.
# With "meta": the extent allocator runs dry instead (a 128 MiB volume
# filled, then xattr blocks taken until none is left): a write cutting an
# extent of a reflink whose extent list is full needs a new extent block
# and fails with ENOSPC (the blocks are claimed before anything changes;
# the journal used to be aborted), the volume stays read-write and the
# file unchanged; once the blocks are freed the same write copies.
# With "xattr": refcounted inodes with xattrs removed by ours: stock's
# OCFS2_IOC_REFLINK shares the xattr values (inline area and xattr
# block) of a file and its reflink; ours removes the source (a reference
# less), then the reflink (clusters freed), and its own FICLONE source
# with xattrs; stock fsck clean after each (it asks about lost clusters).
# With "split": a refcount split on a dry extent allocator.  Stock makes
# a root block of refcount records exactly full (247 records, lab-fsops
# interleave), and files whose truncate, punch or delete frees clusters
# from inside a record (the record splits: the full root needs two new
# blocks); ours dries the extent allocator (as "meta") and then: the
# truncate and the punch fail with ENOSPC and change nothing, the delete
# is deferred (the inode stays in the orphan directory, or the unlink
# itself fails with ENOSPC), never a journal abort; once blocks are
# freed the truncate and punch go through, and a remount finishes the
# delete (the orphan directory empty); stock fsck clean.
# Each needs --add tests/lab/scenarios/tools/lab-fsops.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/cp \
#       --add tests/stress/fs-rcio tests/lab/scenarios/fs/27-refcount-reflink.sh
set -e
. /usr/local/bin/lib.sh
bail_mark "$LAB_RESULTS/.fs27r-failed"
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
cp=/usr/local/bin/cp
R=$LAB_RESULTS
MB=1048576

# fill: fallocate the free space away, in smaller pieces at the end
fill() {
	avail=$(df -k $mnt | tail -1 | awk '{print $4}')
	fallocate -l "${avail}K" $mnt/fill 2>/dev/null || true
	for size in 1048576 65536 4096; do
		i=0
		while [ $i -lt 400 ] && fallocate -l $size $mnt/fill.$size.$i 2>/dev/null; do
			i=$((i + 1))
		done
	done
	echo "ours: volume filled ($(df -k $mnt | tail -1 | awk '{print $4}') KiB free by df)"
}

# enospc WHAT CMD...: CMD must fail with ENOSPC ("No space") and leave
# the volume read-write; says so with the error's first such line
enospc() {
	what=$1
	shift
	if "$@" 2> /tmp/err; then
		fail "ours: $what went through"
	fi
	grep -q "No space" /tmp/err || { cat /tmp/err; fail "ours: $what: not ENOSPC"; }
	grep -q " $mnt ocfs2 rw" /proc/mounts ||
		fail "ours: the volume is not read-write after ENOSPC in $what"
	echo "ours: $what: $(grep "No space" /tmp/err | head -1)"
}

# dry_meta: the volume filled, then xattr blocks taken until the extent
# allocator is dry (1200 empty files in x/ hold them)
dry_meta() {
	mkdir $mnt/x
	i=0
	while [ $i -lt 1200 ]; do
		: > $mnt/x/$i
		i=$((i + 1))
	done
	fill
	i=0
	while [ $i -lt 1200 ] && lab-fsops xattrs $mnt/x/$i user.p 12 2> /tmp/err; do
		i=$((i + 1))
	done
	[ $i -lt 1200 ] || fail "ours: 1200 xattr blocks and no ENOSPC"
	grep -q "No space" /tmp/err || { cat /tmp/err; fail "ours: xattr block not refused with ENOSPC"; }
	echo "ours: extent allocator dry after $i xattr blocks"
}

# full: the bad-input variant (see the header)
full() {
	if [ "$NODE" = 0 ]; then
		echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rlfull $dev 32768
		mount -t ocfs2 $dev $mnt
		head -c $((4 * MB)) /dev/urandom > $mnt/base
		umount $mnt
	fi
	bar fs27f-made
	if [ "$NODE" = 1 ]; then
		rc_ours 16
		mount -t ocfs2 $dev $mnt
		$cp --reflink=always $mnt/base $mnt/c || fail "ours: FICLONE of base"
		cat $mnt/base > /model/base
		cat $mnt/c > /model/c
		fill
		enospc "a write into a reflink on a full volume" \
			dd if=/dev/urandom of=$mnt/c bs=4096 seek=2 count=1 conv=notrunc
		rm -f $mnt/fill*
		rc_same "after ENOSPC"
		rcw buf c 8192 4096 1
		rc_same "after space was freed"
		umount $mnt
		rc_ours_end
	fi
	bar fs27f-ours
	if [ "$NODE" = 0 ]; then
		fsck_clean "after ours' ENOSPC on a full volume"
		echo "stock: fsck clean after ours hit ENOSPC in a copy on write"
	fi
}

# param_on NAME: ocfs2.NAME set to 1 (whatever its default), said
param_on() {
	echo 1 > /sys/module/ocfs2/parameters/$1 ||
		fail "ours: no parameter ocfs2.$1"
	echo "ours: ocfs2.$1=$(cat /sys/module/ocfs2/parameters/$1)"
}

# free_k: free KiB by df
free_k() {
	df -k $mnt | tail -1 | awk '{print $4}'
}

# list_count FILE: stock debugfs's "Count" and "Next Free Rec" of FILE's
# extent list in its inode (and the tree depth)
list_count() {
	stock-debugfs.ocfs2 -R "stat /$1" $dev 2>/dev/null |
		sed -n 's/.*Tree Depth: *\([0-9]*\) *Count: *\([0-9]*\) *Next Free Rec: *\([0-9]*\).*/\1 \2 \3/p' | head -1
}

# rc_counts FILE: the distinct reference counts in FILE's refcount tree
# (stock debugfs's records: physical cluster, clusters, count)
rc_counts() {
	rb=$(stock-debugfs.ocfs2 -R "stat /$1" $dev 2>/dev/null |
		sed -n 's/.*Refcount Block: *\([0-9]*\).*/\1/p')
	[ -n "$rb" ] || { echo none; return 0; }
	stock-debugfs.ocfs2 -R "refcount -e <$rb>" $dev 2>/dev/null |
		awk 'NF == 4 && $1 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ {print $4}' |
		sort -u | tr '\n' ' '
}

# meta: the bad-input variant with the extent allocator dry (header)
meta() {
	if [ "$NODE" = 0 ]; then
		echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rlmeta $dev 32768
		mount -t ocfs2 $dev $mnt
		head -c 8192 /dev/urandom > $mnt/probe
		umount $mnt
		set -- $(list_count probe)
		[ -n "${2:-}" ] || fail "stock: no extent list count for probe"
		mount -t ocfs2 $dev $mnt
		rm $mnt/probe
		# as many 2-cluster pieces as the inode's list holds records
		lab-fsops fragment $mnt/frag 8192 "$2"
		head -c 8192 /dev/urandom > $mnt/plain
		# freed before the write: clusters for its copy, not a group
		head -c 65536 /dev/urandom > $mnt/spare
		umount $mnt
		set -- $(list_count frag) x x x
		[ "$1" = 0 ] && [ "$2" = "$3" ] ||
			fail "stock: frag's list is not full in its inode (depth $1, $3 of $2)"
		echo "stock: frag has $3 extents, its inode's list full"
	fi
	bar fs27m-made
	if [ "$NODE" = 1 ]; then
		rc_ours 16
		param_on meta_ahead
		mount -t ocfs2 $dev $mnt
		$cp --reflink=always $mnt/frag $mnt/fc || fail "ours: FICLONE of frag"
		cat $mnt/frag > /model/frag
		dry_meta
		rm $mnt/spare
		sync
		[ "$(free_k)" -gt 0 ] || fail "ours: no cluster free for the copy"
		echo "ours: $(free_k) KiB free by df for the copy"
		enospc "a write cutting an extent with no extent block left" \
			dd if=/dev/urandom of=$mnt/frag bs=4096 count=1 conv=notrunc
		cmp $mnt/frag /model/frag || fail "ours: frag changed by the failed write"
		cmp $mnt/fc /model/frag || fail "ours: fc changed by the failed write"
		# a first reflink needs a refcount block for its new tree
		enospc "a FICLONE needing a new tree" \
			$cp --reflink=always $mnt/plain $mnt/pc
		rm -f $mnt/pc
		rm -rf $mnt/x $mnt/fill*
		fs-rcio buf $mnt/frag /model/frag 0 4096 7 || fail "ours: the write after freeing"
		cmp $mnt/frag /model/frag || fail "ours: frag differs from its model"
		cmp -s $mnt/fc /model/frag && fail "ours: fc changed with frag"
		umount $mnt
		mount -t ocfs2 $dev $mnt
		cmp $mnt/frag /model/frag || fail "ours: frag differs from its model after a remount"
		umount $mnt
		rc_ours_end
		echo "ours: after freeing blocks the same write copies"
	fi
	bar fs27m-ours
	if [ "$NODE" = 0 ]; then
		fsck_clean "after ours' ENOSPC with the extent allocator dry"
		echo "stock: frag's tree now (depth count used): $(list_count frag)"
		echo "stock: fsck clean after ours hit ENOSPC for an extent block in a copy on write"
	fi
}

# xattr: refcounted inodes with xattrs removed by ours (header)
xattr() {
	if [ "$NODE" = 0 ]; then
		echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rlxattr $dev
		mount -t ocfs2 $dev $mnt
		free_k > $R/fs27x.free0
		for f in a b c; do
			head -c $((MB + 5000)) /dev/urandom > $mnt/$f
		done
		# a: one value out of line, in the inode's area
		lab-fsops xattr $mnt/a user.big 9000
		# b: an xattr block with small values and two out of line
		lab-fsops xattrs $mnt/b user.p 12
		lab-fsops xattr $mnt/b user.big 9000
		lab-fsops xattr $mnt/b user.big2 20000
		# c: for ours' FICLONE
		lab-fsops xattr $mnt/c user.big 9000
		lab-fsops ioc-reflink $mnt/a $mnt/a2 || fail "stock: OCFS2_IOC_REFLINK of a"
		lab-fsops ioc-reflink $mnt/b $mnt/b2 || fail "stock: OCFS2_IOC_REFLINK of b"
		umount $mnt
		fsck_clean "after stock's reflinks with xattrs"
		stock-debugfs.ocfs2 -R "stat /b2" $dev 2>/dev/null | grep -E "Dynamic Features|Refcount Block|Extended Attributes" | head -4
		echo "stock: reference counts in a2's tree: $(rc_counts a2), b2's: $(rc_counts b2)"
		echo "stock: a, b with xattr values, reflinked with OCFS2_IOC_REFLINK"
	fi
	bar fs27x-made
	if [ "$NODE" = 1 ]; then
		rc_ours 16
		param_on refcount_xattr_delete
		mount -t ocfs2 $dev $mnt
		$cp --reflink=always $mnt/c $mnt/c2 || fail "ours: FICLONE of c"
		for f in a2 b2 c2; do cat $mnt/$f > /model/$f; done
		dmesg -c > /dev/null
		rm $mnt/a $mnt/b $mnt/c || fail "ours: removing refcounted files with xattrs"
		sync
		for f in a2 b2 c2; do cmp $mnt/$f /model/$f || fail "ours: $f changed"; done
		if dmesg | grep -E "orphan directory|does not free"; then
			fail "ours: an inode was left in the orphan directory"
		fi
		umount $mnt
		echo "ours: removed a, b (xattr values shared with a2, b2) and c (xattrs, reflinked by ours)"
	fi
	bar fs27x-ours1
	if [ "$NODE" = 0 ]; then
		fsck_clean "after ours removed a, b, c"
		# data and xattr values alike: one reference left
		for f in a2 b2; do
			n=$(rc_counts $f)
			case " $n" in
			*" 2 "*) fail "stock: reference counts in $f's tree after ours removed its source: $n" ;;
			esac
			echo "stock: reference counts in $f's tree after ours removed its source: $n"
		done
		mount -t ocfs2 $dev $mnt
		cat $mnt/a2 $mnt/b2 $mnt/c2 > /dev/null
		lab-fsops xattr $mnt/b2 user.big2 30000 || fail "stock: changing b2's value"
		umount $mnt
		fsck_clean "after stock changed b2's xattr"
		echo "stock: fsck clean; reads a2, b2, c2 and changes b2's shared value"
	fi
	bar fs27x-stock
	if [ "$NODE" = 1 ]; then
		mount -t ocfs2 $dev $mnt
		dmesg -c > /dev/null
		rm $mnt/a2 $mnt/b2 $mnt/c2 || fail "ours: removing the reflinks"
		sync
		if dmesg | grep -E "orphan directory|does not free"; then
			fail "ours: an inode was left in the orphan directory"
		fi
		umount $mnt
		rc_ours_end
		echo "ours: removed a2, b2, c2 (last references)"
	fi
	bar fs27x-ours2
	if [ "$NODE" = 0 ]; then
		fsck_clean "after ours removed the last references"
		mount -t ocfs2 $dev $mnt
		[ -z "$(ls $mnt | grep -v lost+found)" ] || { ls -la $mnt; fail "stock: files left"; }
		free=$(free_k)
		umount $mnt
		# (a lost cluster is what fsck asks about; df is for the record)
		echo "stock: fsck clean, $free KiB free by df, $(cat $R/fs27x.free0) after mkfs"
	fi
}

# rc_records FILE: records in FILE's refcount tree, and "tree" when its
# root indexes leaves (stock debugfs)
rc_records() {
	rb=$(stock-debugfs.ocfs2 -R "stat /$1" $dev 2>/dev/null |
		sed -n 's/.*Refcount Block: *\([0-9]*\).*/\1/p')
	[ -n "$rb" ] || { echo none; return 0; }
	stock-debugfs.ocfs2 -R "refcount -e <$rb>" $dev > /tmp/rc.out 2>/dev/null
	n=$(awk 'NF == 4 && $1 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/' /tmp/rc.out | wc -l)
	if grep -q "Tree Depth" /tmp/rc.out; then echo "$n tree"; else echo "$n"; fi
}

# split: a refcount split on a dry extent allocator (header)
split() {
	P=8192
	if [ "$NODE" = 0 ]; then
		echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rlsplit $dev 32768
		mount -t ocfs2 -o resv_level=0 $dev $mnt
		cd $mnt
		# 246 two-cluster pieces, one record each, three references
		lab-fsops interleave base other $P 246
		lab-fsops reflink base t
		lab-fsops reflink base u
		# t ends one cluster into its last piece's record (+1 record) ...
		truncate -s $((246 * P - 4096)) t
		# ... which base's punch merges again: t ends inside a record
		: > /tmp/m
		fs-rcio punch base /tmp/m $((245 * P)) 4096 0
		cd /
		umount $mnt
		set -- $(rc_records u)
		echo "stock: u's tree has $1 records ${2:-(root block only)}"
		[ -z "${2:-}" ] || fail "stock: u's tree has leaves already"
		mount -t ocfs2 -o resv_level=0 $dev $mnt
		# a punch of the first cluster of u's pieces 0, 1, ... adds a
		# record each (stock's copy on write may take a whole piece)
		k=0
		while [ $((${1} + k)) -lt 247 ]; do
			fs-rcio punch $mnt/u /tmp/m $((k * P)) 4096 0
			k=$((k + 1))
		done
		umount $mnt
		set -- $(rc_records u)
		[ "$1" = 247 ] && [ -z "${2:-}" ] ||
			fail "stock: u's root block is not exactly full ($*)"
		echo "stock: u's root block holds 247 records (full) after $k punches"
	fi
	bar fs27s-made
	if [ "$NODE" = 1 ]; then
		rc_ours 16
		mount -t ocfs2 $dev $mnt
		for f in base other t u; do cat $mnt/$f > /model/$f; done
		dry_meta
		dmesg -c > /dev/null
		# the truncate frees u's last cluster out of its record
		enospc "a truncate needing a refcount split" \
			fs-rcio trunc $mnt/u /model/u $((246 * P - 4096)) 0 0
		[ "$(stat -c %s $mnt/u)" = $((246 * P)) ] || fail "ours: u's size changed by the failed truncate"
		# the punch frees the first cluster of piece 100's record
		enospc "a punch needing a refcount split" \
			fs-rcio punch $mnt/u /model/u $((100 * P)) 4096 0
		for f in base other t u; do
			cmp $mnt/$f /model/$f || fail "ours: $f changed by the failed truncate or punch"
		done
		# t's delete frees its last cluster out of a record
		if rm $mnt/t 2> /tmp/err; then
			rm /model/t
			sync
			dmesg | grep -q "stays in the orphan directory (error -28)" ||
				{ dmesg | tail; fail "ours: t's delete was not deferred with ENOSPC"; }
			echo "ours: t's delete deferred: $(dmesg | grep "orphan directory" | head -1)"
		else
			grep -q "No space" /tmp/err || { cat /tmp/err; fail "ours: unlink of t not ENOSPC"; }
			echo "ours: unlink of t refused: $(head -1 /tmp/err)"
		fi
		grep -q " $mnt ocfs2 rw" /proc/mounts || fail "ours: the volume is not read-write after the delete's ENOSPC"
		if dmesg | grep -i "abort"; then
			fail "ours: the journal was aborted"
		fi
		for f in base other u; do
			cmp $mnt/$f /model/$f || fail "ours: $f changed by t's failed delete"
		done
		rm -rf $mnt/x $mnt/fill*
		rm -f $mnt/t /model/t
		rcw trunc u $((246 * P - 4096)) 0 0
		rcw punch u $((100 * P)) 4096 0
		rc_same "after blocks were freed"
		umount $mnt
		mount -t ocfs2 $dev $mnt
		rc_same "after a remount"
		umount $mnt
		stock-debugfs.ocfs2 -R "ls -l //orphan_dir:0000" $dev 2>/dev/null |
			awk 'NF && $NF != "." && $NF != ".."' > /tmp/orphans
		[ ! -s /tmp/orphans ] || { cat /tmp/orphans; fail "ours: the orphan directory is not empty after the remount"; }
		set -- $(rc_records u)
		echo "ours: u's tree now: $* (records, leaves)"
		rc_ours_end
		echo "ours: truncate and punch went through once blocks were freed; t's delete finished"
	fi
	bar fs27s-ours
	if [ "$NODE" = 0 ]; then
		fsck_clean "after ours' ENOSPC in a refcount split"
		echo "stock: fsck clean after ours hit ENOSPC in refcount splits"
	fi
}

case "${1:-}" in
full|meta|xattr|split)
	$1
	exit 0
	;;
esac

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L rlours $dev
	mount -t ocfs2 $dev $mnt
	head -c $((4 * MB)) /dev/urandom > $mnt/base
	for o in 0 1 3; do
		head -c 100000 /dev/urandom |
			dd of=$mnt/sp bs=$MB seek=$o conv=notrunc 2>/dev/null
	done
	head -c 100 /dev/urandom > $mnt/small
	umount $mnt
	echo "stock: files made"
fi
bar fs27r-made

if [ "$NODE" = 1 ]; then
	rc_ours 64
	mount -t ocfs2 $dev $mnt
	$cp --reflink=always $mnt/base $mnt/c1 || fail "ours: FICLONE of base"
	$cp --reflink=always $mnt/c1 $mnt/c2 || fail "ours: FICLONE of a reflink"
	$cp --reflink=always $mnt/sp $mnt/spc || fail "ours: FICLONE of a sparse file"
	if $cp --reflink=always $mnt/small $mnt/smallc 2> /tmp/err; then
		fail "ours: a reflink of an inline file went through"
	fi
	echo "ours: reflink of an inline file refused (not done yet): $(head -1 /tmp/err)"
	rm -f $mnt/smallc
	for f in base sp small c1 c2 spc; do cat $mnt/$f > /model/$f; done
	cmp -s /model/c1 /model/base || fail "ours: c1 is no copy of base"
	cmp -s /model/spc /model/sp || fail "ours: spc is no copy of sp"
	rcw buf c1 4096 8192 1
	rcw buf base 100000 50000 2
	rcw direct c2 $((2 * MB)) 65536 3
	rcw trunc c2 3000000 0 0
	rcw buf spc $((3 * MB + 5)) 10 4
	rcw mmap sp 8192 4096 5
	rc_same "after reflinks and changes"
	umount $mnt
	mount -t ocfs2 $dev $mnt
	rc_same "after a remount"
	manifest $mnt > $R/fs27r-ours.manifest
	umount $mnt
fi
bar fs27r-ours

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours made reflinks"
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/stock.manifest
	cmp -s /tmp/stock.manifest $R/fs27r-ours.manifest || {
		diff $R/fs27r-ours.manifest /tmp/stock.manifest | head
		fail "stock reads ours' reflinks differently"
	}
	head -c 4096 /dev/urandom | dd of=$mnt/c1 bs=4096 seek=9 conv=notrunc 2>/dev/null
	$cp --reflink=always $mnt/c1 $mnt/c3
	cmp -s $mnt/c1 $mnt/c3 || fail "stock: its reflink of ours' differs"
	umount $mnt
	fsck_clean "after stock changed ours' reflinks"
	echo "stock: reads ours' reflinks, writes and reflinks them, fsck clean"
fi
bar fs27r-stock

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	rm $mnt/base $mnt/sp $mnt/small $mnt/c1 $mnt/c2 $mnt/c3 $mnt/spc
	umount $mnt
	rc_ours_end
	echo "ours: every file removed"
fi
bar fs27r-removed

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours removed every reflink"
	echo "stock: fsck clean after ours removed every file"
fi
