#!/bin/sh
# Refcount trees (reflinked files) made by stock, read by ours; with
# ocfs2.refcount_writes=0 (on by default: fs/27-* prove the writes)
# changes to shared clusters are refused clearly.
#  node0 (stock): mkfs -M local; a 2 MiB file reflinked three times
#    (coreutils cp --reflink=always, i.e. FICLONE), copy on write into two
#    of the copies, one truncated, a reflink of a reflink; a manifest;
#  node1 (ours): the same manifest (every byte of every file), again after
#    a remount; a write, a truncate, removing the last name and a new
#    reflink are refused with an error and change nothing; a second name
#    made and removed;
#  node0 (stock): the same manifest, fsck.ocfs2 -fn clean.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/cp \
#       tests/lab/scenarios/fs/17-refcount-read.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
cp=/usr/local/bin/cp

# poke FILE BLOCK: 4 KiB of new bytes at 4 KiB block BLOCK (copy on write)
poke() {
	head -c 4096 /dev/urandom |
		dd of="$1" bs=4096 seek="$2" conv=notrunc 2>/dev/null
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L reflinks $dev
	mount -t ocfs2 $dev $mnt
	cd $mnt
	head -c 2097152 /dev/urandom > base
	$cp --reflink=always base r1
	$cp --reflink=always base r2
	$cp --reflink=always base r3
	poke r1 0
	poke r1 100
	poke r1 511
	poke r2 7
	truncate -s 1000000 r3
	mkdir sub
	$cp --reflink=always r1 sub/r1b
	stock-debugfs.ocfs2 -R "stat /r1" $dev 2>/dev/null | grep -i "refcount\|dynamic" || true
	cd /
	manifest $mnt > "$LAB_RESULTS/stock.manifest"
	umount $mnt
	echo "stock: reflinked files made ($(wc -l < "$LAB_RESULTS/stock.manifest") paths)"
fi
lab-barrier formatted

# refused WHAT CMD...: CMD fails (it must not change a shared file)
refused() {
	what=$1
	shift
	if "$@" 2> /tmp/err; then
		fail "$what went through"
	fi
	echo "ours: $what refused: $(head -1 /tmp/err)"
}

if [ "$NODE" = 1 ]; then
	# on by default (fs/27-*); the refusals of the parameter off here
	rc_on
	echo N > $RC_PARAM
	mount -t ocfs2 $dev $mnt
	manifest $mnt > /tmp/ours.manifest
	cmp -s /tmp/ours.manifest "$LAB_RESULTS/stock.manifest" || {
		diff "$LAB_RESULTS/stock.manifest" /tmp/ours.manifest | head
		fail "ours reads the reflinked files differently"
	}
	echo "ours: every reflinked file reads as stock wrote it"
	cd $mnt
	refused "an append to a reflinked file" sh -c 'echo x >> r2'
	refused "a write into a reflinked file" \
		dd if=/dev/zero of=r2 bs=4096 seek=3 count=1 conv=notrunc
	refused "a truncate of a reflinked file" truncate -s 4096 r2
	refused "removing the last name of a reflinked file" rm -f r2
	refused "a new reflink" $cp --reflink=always base r9
	rm -f r9
	ln r2 r2.link
	rm -f r2.link
	cd /
	umount $mnt
	mount -t ocfs2 $dev $mnt
	# the root's own line changes: names were made and removed in it
	manifest $mnt | grep -v '^\. ' > /tmp/ours.manifest
	grep -v '^\. ' "$LAB_RESULTS/stock.manifest" > /tmp/want.manifest
	cmp -s /tmp/ours.manifest /tmp/want.manifest || {
		diff /tmp/want.manifest /tmp/ours.manifest | head
		fail "the refused changes changed something"
	}
	umount $mnt
	echo Y > $RC_PARAM
	echo "ours: nothing changed after the refusals and a remount"
fi
lab-barrier ours-read

if [ "$NODE" = 0 ]; then
	fsck_clean "after ours read the reflinks"
	mount -t ocfs2 $dev $mnt
	manifest $mnt | grep -v '^\. ' > /tmp/stock2.manifest
	umount $mnt
	grep -v '^\. ' "$LAB_RESULTS/stock.manifest" > /tmp/want.manifest
	cmp -s /tmp/stock2.manifest /tmp/want.manifest ||
		fail "stock reads something else after our mount"
	echo "stock: same files after ours; fsck clean"
fi
