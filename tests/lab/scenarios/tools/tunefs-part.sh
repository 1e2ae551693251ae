# Sourced by 01-stock-mounts-ours.sh (dash): OUR tunefs.ocfs2 on a volume
# the STOCK kernel filled.  Node0 makes it local, one slot, without xattr,
# refcount, unwritten and the extended slot map, and fills it; our tunefs
# then turns it into a two-slot cluster volume with a new label and UUID,
# journals grown from 64M to 96M and those four features on; stock fsck -fn must be clean, both nodes
# mount it (node1 in the new slot), use the new features (xattrs, a
# reflink, an unwritten extent) and read each other's files; after a
# second tunefs (extended slot map off, label and UUID again) stock fsck
# is clean and node0 reads everything once more.
OUR_TUNEFS=/usr/local/bin/our-tunefs.ocfs2
TUNED_FEATURES=xattr,refcount,unwritten,extended-slotmap

# leave_one_by_one MNT: both nodes call it (mounted or not, for the
# barriers); node1 unmounts, then node0
leave_one_by_one() {
	tag=$(basename "$1")
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 10
	lab-barrier "quiet-$tag"
	[ "$NODE" = 1 ] && unmount_if_mounted "$1"
	lab-barrier "left-$tag"
	[ "$NODE" = 0 ] && unmount_if_mounted "$1"
	lab-barrier "unmounted-$tag"
}

unmount_if_mounted() {
	grep -q " $1 " /proc/mounts || return 0
	umount "$1" || echo "FAIL: umount $1 on node$NODE"
}

stock_fsck_clean() {	# DEV WHEN
	if fsck.ocfs2 -fn "$1" > /tmp/fsck.tune 2>&1; then
		echo "$1: stock fsck.ocfs2 -fn clean $2"
		return 0
	fi
	cat /tmp/fsck.tune
	echo "FAIL: stock fsck.ocfs2 -fn $1 $2"
	return 1
}

# stats_show DEV WHAT...: stock debugfs stats must contain every line
stats_show() {
	dev=$1
	shift
	debugfs.ocfs2 -R stats "$dev" > /tmp/stats.tune 2>&1
	for w in "$@"; do
		grep -q -- "$w" /tmp/stats.tune || {
			cat /tmp/stats.tune
			echo "FAIL: stock debugfs stats of $dev lacks '$w'"
			return 1
		}
	done
}

fill_tree() {	# DIR COUNT
	mkdir -p "$1"
	i=0
	while [ $i -lt "$2" ]; do echo "$1 $i" > "$1/f$i"; i=$((i + 1)); done
	dd if=/dev/urandom of="$1/big" bs=64k count=32 2>/dev/null
	md5sum "$1/big" | cut -d' ' -f1 > "$LAB_RESULTS/tune-$(basename "$1").md5"
}

trees_read() {	# MNT TREE...
	m=$1
	shift
	for t in "$@"; do
		[ "$(md5sum "$m/$t/big" | cut -d' ' -f1)" = "$(cat "$LAB_RESULTS/tune-$t.md5")" ] ||
			{ echo "FAIL: $t/big reads differently on node$NODE"; return 1; }
		[ "$(cat "$m/$t/f7")" = "$m/$t 7" ] ||
			{ echo "FAIL: $t/f7 on node$NODE"; return 1; }
	done
}

tunefs_prepare() {	# DEV (node0)
	m=/mnt/tune
	mkdir -p $m
	mount -t ocfs2 "$1" $m || { echo "FAIL: stock mount of $1 (local)"; return 1; }
	fill_tree $m/before0 200
	umount $m
	uuid_before=$(debugfs.ocfs2 -R stats "$1" | sed -n 's/.*UUID: //p')
	$OUR_TUNEFS -M cluster -N 2 -L ours-tuned -U -J size=96M \
		--fs-features=$TUNED_FEATURES "$1" ||
		{ echo "FAIL: our tunefs -M cluster -N 2 -L -U -J --fs-features"; return 1; }
	stats_show "$1" "Max Node Slots: 2" "Label: ours-tuned" \
		"extended-slotmap" "xattr" "refcount" "unwritten" || return 1
	for j in journal:0000 journal:0001; do
		debugfs.ocfs2 -R "stat //$j" "$1" | grep -q "Size: 100663296" ||
			{ echo "FAIL: //$j is not 96M after our tunefs -J"; return 1; }
		debugfs.ocfs2 -R "logdump ${j#journal:000}" "$1" | grep -q "Total Blocks: 24576" ||
			{ echo "FAIL: //$j's JBD2 superblock is not 96M"; return 1; }
	done
	stats_show "$1" "UUID:" && ! grep -q "UUID: $uuid_before" /tmp/stats.tune ||
		{ echo "FAIL: UUID unchanged by our tunefs -U"; return 1; }
	grep -q "Feature Incompat:.*local" /tmp/stats.tune &&
		{ echo "FAIL: still a local volume after -M cluster"; return 1; }
	echo "$1: our tunefs -M cluster -N 2 -L -U -J size=96M --fs-features=$TUNED_FEATURES done"
	stock_fsck_clean "$1" "after our tunefs" || return 1
	touch "$LAB_RESULTS/tuned"
}

use_new_features() {	# DIR
	lab-fsops xattr "$1/big" user.tuned 100 || return 1
	lab-fsops xattrs "$1/f1" user.many_ 40 || return 1
	lab-fsops reflink "$1/big" "$1/big.reflink" || return 1
	cmp "$1/big" "$1/big.reflink" || return 1
	fallocate -l 1M "$1/unwritten" || return 1
}

tunefs_cluster() {	# DEV (both nodes)
	[ -e "$LAB_RESULTS/tuned" ] || return 1
	m=/mnt/tune
	mkdir -p $m
	ok=1
	mount -t ocfs2 "$1" $m || { echo "FAIL: stock mount of $1 after our tunefs"; ok=0; }
	lab-barrier tune-mounted
	if [ $ok = 1 ]; then
		fill_tree $m/after$NODE 100
		use_new_features $m/after$NODE || { echo "FAIL: new features on node$NODE"; ok=0; }
		sync
	fi
	lab-barrier tune-written
	if [ $ok = 1 ]; then
		trees_read $m before0 after0 after1 || ok=0
		[ $ok = 1 ] && echo "$1: node$NODE reads before0, after0, after1"
		mounted.ocfs2 -f "$1"
	fi
	lab-barrier tune-read
	leave_one_by_one $m
	[ $ok = 1 ] || return 1
	[ "$NODE" = 0 ] || return 0
	stock_fsck_clean "$1" "after both nodes used the tuned volume" || return 1
	$OUR_TUNEFS --fs-features=noextended-slotmap -L ours-tuned2 -U "$1" ||
		{ echo "FAIL: our tunefs --fs-features=noextended-slotmap"; return 1; }
	stats_show "$1" "Label: ours-tuned2" || return 1
	grep -q extended-slotmap /tmp/stats.tune &&
		{ echo "FAIL: extended-slotmap still on"; return 1; }
	stock_fsck_clean "$1" "after our second tunefs" || return 1
	mount -t ocfs2 "$1" $m || { echo "FAIL: stock mount after second tunefs"; return 1; }
	trees_read $m before0 after0 after1 || return 1
	cmp $m/after1/big $m/after1/big.reflink || return 1
	umount $m
	stock_fsck_clean "$1" "at the end" || return 1
	echo "$1: our tunefs proven (cluster, slots, label, uuid, journal size, features on and off)"
	touch "$LAB_RESULTS/vdg.ok"
}
