#!/bin/sh
# Rename, then a stress run, on a volume stock made; stock checks both.
#  node0 (stock): mkfs -M local, a few files and directories, an indexed
#    directory of 600 entries;
#  node1 (ours): renames within and across directories, over existing
#    files and empty directories (a non-empty one is refused), directories
#    across parents (".." and link counts follow), RENAME_NOREPLACE and
#    RENAME_EXCHANGE (ocfs2-stress rename2); remounts ro and rw (writes
#    refused while ro); then ocfs2-stress for
#    STRESS_SECONDS (default 60) with 4 processes (namespace operations,
#    writes at random offsets up to 1 MiB, fsyncs, truncates), syncs and
#    records a manifest, then stresses on (STRESS_TAIL seconds, default 10,
#    after which it saves its kernel log) until node0 kills it;
#  node0 (stock): kills node1 (lab-ctl kill), mounts (replaying our
#    journal), sees the synced manifest outside stress/ (which the kill
#    interrupted), fsck.ocfs2 -fn is clean, and node1's kernel log from
#    just before the kill is clean (the lab does not judge killed nodes).
#   tests/lab/run --nodes 2 --stack stock,ours --disk 1G \
#       --add tests/lab/scenarios/fs/lib.sh --add tests/stress/ocfs2-stress \
#       tests/lab/scenarios/fs/07-rename-stress.sh \
#       [STRESS_SECONDS [STOCK OURS [PROCS [MOUNT_OPTION [heavy]]]]]
#   (STOCK and OURS, default 0 and 1, name the two nodes playing the parts;
#   PROCS, default 4, the stress's processes; MOUNT_OPTION one option for
#   our mount, e.g. localalloc=1 for a one-megabyte window, or "-" for
#   none; heavy: the stress's data-heavy mix, ocfs2-stress -F).  With
#   tests/lab/scenarios/fs/hangwatch.sh added, our node runs it through the
#   stress: a hang leaves results/hang.nodeN (blocked tasks' stacks, the
#   block layer's state) before the run's timeout.
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
secs=${1:-60}
# which node is stock and which ours (other nodes only pass the barriers)
snode=${2:-0}
onode=${3:-1}
procs=${4:-4}
opts=
[ "${5:--}" = - ] || opts="-o $5"
heavy=
[ "${6:-}" != heavy ] || heavy=-F

links() {
	stat -c %h "$1"
}

expect_links() {
	[ "$(links "$1")" = "$2" ] || fail "$1 has $(links "$1") links, expected $2"
}

# rename2 OLD NEW FLAG EXPECTED
rename2() {
	got=$(ocfs2-stress rename2 "$1" "$2" "$3" || true)
	[ "$got" = "$4" ] || fail "renameat2 $1 $2 $3: $got, expected $4"
}

if [ "$NODE" = "$snode" ]; then
	echo y | stock-mkfs.ocfs2 -q -F -M local -L rename $dev
	mount -t ocfs2 $dev $mnt
	echo one > $mnt/one
	echo two > $mnt/two
	mkdir -p $mnt/src/sub $mnt/dst
	echo deep > $mnt/src/sub/deep
	mkdir $mnt/big
	i=0
	while [ $i -lt 600 ]; do
		: > $mnt/big/entry_$i
		i=$((i + 1))
	done
	umount $mnt
fi
lab-barrier formatted

if [ "$NODE" = "$onode" ]; then
	# block and indexed directory changes are off by default until proven
	modprobe ocfs2 2>/dev/null || true
	echo 1 > /sys/module/ocfs2/parameters/block_dir_changes 2>/dev/null || true
	# shellcheck disable=SC2086 # opts is "-o OPTION" or nothing
	mount -t ocfs2 $opts $dev $mnt
	cd $mnt
	mv one uno
	[ "$(cat uno)" = one ] && [ ! -e one ] || fail "rename in one directory"
	mv uno dst/uno
	[ "$(cat dst/uno)" = one ] || fail "rename across directories"
	: > victim
	ln victim victim_link
	mv two victim
	[ "$(cat victim)" = two ] || fail "rename over a file"
	expect_links victim_link 1
	: > lonely
	mv victim_link lonely
	[ ! -e victim_link ] || fail "old name stayed"
	expect_links src 3
	mv src/sub dst/sub
	expect_links src 2
	expect_links dst 3
	[ "$(cat dst/sub/deep)" = deep ] || fail "moved directory content"
	[ "$(stat -c %i dst/sub/..)" = "$(stat -c %i dst)" ] || fail ".. of moved dir"
	mkdir empty_target
	mkdir -p full_target/x
	rename2 dst full_target none ENOTEMPTY
	rename2 src empty_target none ok
	[ ! -e src ] && [ -d empty_target ] || fail "directory over empty directory"
	: > a
	: > b
	rename2 a b noreplace EEXIST
	rename2 a c noreplace ok
	ib=$(stat -c %i b) ic=$(stat -c %i c)
	rename2 c b exchange ok
	[ "$(stat -c %i b)" = "$ic" ] && [ "$(stat -c %i c)" = "$ib" ] ||
		fail "exchange of two files"
	rename2 dst empty_target exchange ok
	[ -f empty_target/sub/deep ] && [ -d dst ] && [ ! -e dst/sub ] ||
		fail "exchange of two directories"
	rename2 lonely dst exchange ok
	[ -d lonely ] && [ -f dst ] || fail "file and directory exchange"
	rename2 lonely dst exchange ok
	mkdir -p xa/d xb
	: > xb/f
	rename2 xa/d xb/f exchange ok
	[ -f xa/d ] && [ -d xb/f ] || fail "exchange across directories"
	expect_links xa 2
	expect_links xb 3
	mv xb/f xa/back
	expect_links xa 3
	expect_links xb 2
	echo "renames: all cases passed"
	mount -o remount,ro $mnt
	if touch ro_probe 2>/dev/null; then fail "created a file after remount,ro"; fi
	mount -o remount,rw $mnt
	touch after_remount
	mount -o remount,ro $mnt
	mount -o remount,rw $mnt
	[ -e after_remount ] || fail "file lost across remounts"
	echo "remount ro/rw: ok"
	# growth: an inline directory fills up, becomes a block directory
	# and gains blocks; a 255-byte name needs more than the room left
	# in the block the inline entries moved to
	mkdir grow
	i=0
	while [ $i -lt 400 ]; do
		: > grow/file_with_a_fairly_long_name_$i
		i=$((i + 1))
	done
	: > "grow/$(repeat x 255)"
	mv grow/file_with_a_fairly_long_name_0 grow/renamed_0
	mkdir grow/sub
	mv grow/sub dst/from_grown
	i=1
	while [ $i -lt 400 ]; do
		rm grow/file_with_a_fairly_long_name_$i
		i=$((i + 7))
	done
	n=$(ls grow | wc -l)
	[ "$n" = 344 ] || fail "grow/ has $n names, expected 344"
	[ "$(stat -c %s grow)" -gt 16384 ] || fail "grow/ is $(stat -c %s grow) bytes"
	[ -e "grow/$(repeat x 255)" ] && [ -e grow/renamed_0 ] || fail "names in grow/"
	echo "growth: inline directory became $(stat -c %s grow) bytes of blocks"
	# the indexed directory stock made (600 names in blocks): names
	# renamed in and out, added (blocks on its free list), removed
	# (index entries closed up, blocks back on the free list), re-added
	mv big/entry_7 big/entry_7_renamed
	mv big/entry_8 moved_out_of_big
	mv xa/back big/dir_moved_in
	[ "$(stat -c %i big/dir_moved_in/..)" = "$(stat -c %i big)" ] || fail ".. into big"
	i=0
	while [ $i -lt 20 ]; do
		touch big/new_$i
		i=$((i + 1))
	done
	i=1
	while [ $i -lt 100 ]; do
		rm -f big/entry_$i
		i=$((i + 1))
	done
	i=0
	while [ $i -lt 40 ]; do
		: > big/again_with_a_longer_name_$i
		i=$((i + 1))
	done
	ln big/new_0 big/hard_new
	mkdir big/subdir
	rmdir big/subdir
	n=$(ls big | wc -l)
	[ "$n" = 564 ] || fail "big/ has $n names, expected 564"
	[ -e big/entry_7_renamed ] && [ -e big/again_with_a_longer_name_39 ] &&
		[ ! -e big/entry_50 ] && [ -e big/entry_100 ] || fail "names in big/"
	echo "indexed directory: renames, 61 adds, 97 removes ok"
	mkdir stress
	if command -v hangwatch.sh > /dev/null; then
		hangwatch.sh "$LAB_RESULTS/hang.node$NODE" &
	fi
	# shellcheck disable=SC2086 # heavy is -F or nothing
	ocfs2-stress run $mnt/stress -p "$procs" -t "$secs" -s 42 -w $heavy
	cd /
	sync
	manifest $mnt stress > $LAB_RESULTS/manifest.ours
	echo "ours: synced $(wc -l < $LAB_RESULTS/manifest.ours) paths; stressing on until killed"
	ocfs2-stress run $mnt/stress -p 3 -t 600 -s 7 -w > $LAB_RESULTS/stress2.log 2>&1 &
	sleep "${STRESS_TAIL:-10}"
	klog_check ours
	dmesg | grep "ocfs2 (" | tail -20
fi
lab-barrier synced

if [ "$NODE" = "$snode" ]; then
	lab-ctl kill "$onode"
	mount -t ocfs2 $dev $mnt
	manifest $mnt stress > $LAB_RESULTS/manifest.stock
	umount $mnt
	grep -v '^\./stress' $LAB_RESULTS/manifest.ours |
		diff - $LAB_RESULTS/manifest.stock ||
		fail "stock sees a different tree after replaying our journal"
	fsck_clean "after our renames and stress"
	echo "stock: replayed our journal, agrees on $(wc -l < $LAB_RESULTS/manifest.stock) paths, fsck clean"
	klog_verdict ours
fi
if [ "$NODE" = "$onode" ]; then
	sleep 900
fi
