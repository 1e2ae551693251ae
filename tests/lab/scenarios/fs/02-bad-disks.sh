#!/bin/sh
# Bad disks: each disk is a populated volume with one thing damaged
# (corrupt-fs.py); /usr/local/bin/bad-disks.expect says per disk (DEV
# KIND EXPECT [STACK [BACKING START SECTORS]]) what a mount must do, and
# which stack's node takes the disk (ours when no STACK is given); with
# BACKING, DEV (mapper/NAME) is made here as a dm-linear device of
# SECTORS sectors from START of /dev/BACKING (host-bad-disks.bash packs
# the damaged images into one disk):
#   mount-fail  the mount is refused;
#   read-error  the mount works and some read of the damaged thing fails;
#   replay      (the DIRTY flag over a clean journal) with the device set
#               read-only the mount is refused (the journal needs
#               recovery, which would write); writable, the read-only mount
#               replays the journal and every read works; afterwards the
#               journal is no longer DIRTY and stock fsck -fn is clean.
# Whatever the damage, the kernel must not crash, warn or hang, and the
# volume must unmount.  A stock node (--stack ours,stock) takes its own
# copies of some kinds; each node writes KIND OUTCOME lines, and node0
# fails where ours' outcome differs from stock's on the same kind.
# Driven by host-bad-disks.bash.
set -e
. /usr/local/bin/lib.sh
mnt=/mnt/ocfs2
mkdir -p $mnt
bad=0
me=${LAB_STACK:-ours}
out=$LAB_RESULTS/bad-outcome.$me
: > "$out"
# a node that ends early releases the other from the last barrier
bail_mark "$LAB_RESULTS/bad-disks.failed"

# walk: read every name, inode, link and byte; print how many reads failed
# (a name that does not exist must not be found: that counts as a failure)
walk() {
	errs=0
	ls -laR $1 > /dev/null 2>&1 || errs=$((errs + 1))
	# every inode is stat'ed by ls; files are read outside the big directory
	for p in $(find $1 ! -path '*/big_dir/*' 2>/dev/null); do
		if [ -L "$p" ]; then
			readlink "$p" > /dev/null 2>&1 || errs=$((errs + 1))
		elif [ -f "$p" ]; then
			cat "$p" > /dev/null 2>&1 || errs=$((errs + 1))
		fi
	done
	# _5, _6, _7, _9: the entries corrupt-fs.py damages in big_dir
	for p in big_dir/file_with_a_longish_name_1234 medium_dir/entry_5 \
		 medium_dir/entry_6 small_dir/a big_dir/file_with_a_longish_name_5 \
		 big_dir/file_with_a_longish_name_6 \
		 big_dir/file_with_a_longish_name_7 \
		 big_dir/file_with_a_longish_name_9; do
		stat $1/$p > /dev/null 2>&1 || errs=$((errs + 1))
	done
	# readdir skips a damaged block (with an error in the kernel log, as
	# stock does): a short listing of the 3000 entries counts as a failure
	n=$(ls $1/big_dir 2> /dev/null | wc -l)
	[ "$n" = 3000 ] || errs=$((errs + 1))
	! stat $1/nosuch > /dev/null 2>&1 || errs=$((errs + 1))
	echo $errs
}

# mount_ro DISK: -i, no mount.ocfs2 helper, so the module judges the disk
mount_ro() {
	mount -i -t ocfs2 -o ro /dev/$1 $mnt 2> /tmp/mount.err
}

# last_msg DEV: the module's last line about DEV (dm devices are dm-N:
# without udev /dev/mapper/NAME is a node of its own, not a link), else
# the module's last line at all (stock names some devices MAJ,MIN), else
# what mount said
last_msg() {
	case $1 in
	mapper/*) d=dm-$(dmsetup info -c --noheadings -o minor "${1#mapper/}" | tr -d ' ') ;;
	*) d=$(basename "$(readlink -f /dev/$1)") ;;
	esac
	m=$(dmesg | grep -i "ocfs2.*($d)" | tail -1)
	[ -n "$m" ] || m=$(dmesg | grep -i "ocfs2" | tail -1)
	[ -n "$m" ] || m=$(tail -1 /tmp/mount.err 2> /dev/null)
	echo "$m"
}

# map DEV BACKING START SECTORS: DEV (mapper/NAME) as a dm-linear device
map() {
	modprobe dm-mod 2> /dev/null || true
	dmsetup create "${1#mapper/}" --table "0 $4 linear /dev/$2 $3" < /dev/null
}

# ours: "journal:0000 was not closed cleanly; replaying it",
# stock: "File system on device (MAJ,MIN) was not unmounted cleanly, ..."
REPLAYED='not (closed|unmounted) cleanly'
replays() {
	dmesg | grep -cE "$REPLAYED" || true
}

# journal_flags DISK: stock debugfs's "Journal Flags:" of journal:0000
journal_flags() {
	stock-debugfs.ocfs2 -R 'stat //journal:0000' /dev/$1 2>/dev/null |
		sed -n 's/.*Journal Flags: *//p'
}

# replay DISK KIND: the checks of a DIRTY journal (see the header)
replay() {
	echo "$1 $2: journal flags before: $(journal_flags $1)"
	blockdev --setro /dev/$1
	if mount_ro $1; then
		umount $mnt
		blockdev --setrw /dev/$1
		echo "$1 $2: mounted from a read-only device with a DIRTY journal"
		return 1
	fi
	blockdev --setrw /dev/$1
	echo "$1 $2: read-only device: mount refused: $(last_msg $1)"
	# stock names the device by its numbers: count the replay lines
	before=$(replays)
	mount_ro $1 || {
		echo "$1 $2: writable: mount refused: $(last_msg $1)"
		return 1
	}
	[ "$(replays)" -gt "$before" ] || {
		echo "$1 $2: mounted without a replay"
		return 1
	}
	dmesg | grep -E "$REPLAYED" | tail -1
	errs=$(walk $mnt)
	umount $mnt
	flags=$(journal_flags $1)
	echo "$1 $2: replayed and mounted, $errs failed reads, journal flags after: $flags"
	[ "$errs" = 0 ] || return 1
	case $flags in *Dirty*) return 1 ;; esac
	# fsck_clean would end the scenario; the other node waits for this one
	if ! stock-fsck.ocfs2 -fn /dev/$1 > /tmp/fsck.out 2>&1 ||
	   grep -q '? n$' /tmp/fsck.out; then
		cat /tmp/fsck.out
		return 1
	fi
	echo "$1 $2: stock fsck clean"
}

exec 3< /usr/local/bin/bad-disks.expect
while read -r disk kind expect stack backing start sectors <&3; do
	[ "${stack:-ours}" = "$me" ] || continue
	if [ -n "$backing" ] && ! map $disk $backing $start $sectors; then
		echo "$disk $kind: cannot map it from $backing"
		bad=1
		continue
	fi
	if [ "$expect" = replay ]; then
		if replay $disk $kind; then
			echo "$kind replay" >> "$out"
		else
			echo "  UNEXPECTED (wanted replay)"
			echo "$kind not-replay" >> "$out"
			bad=1
		fi
		continue
	fi
	if ! mount_ro $disk; then
		echo "$disk $kind: mount refused: $(last_msg $disk)"
		echo "$kind mount-fail" >> "$out"
		[ "$expect" = mount-fail ] || { echo "  UNEXPECTED"; bad=1; }
		continue
	fi
	errs=$(walk $mnt)
	umount $mnt
	echo "$disk $kind: mounted, $errs failed reads"
	if [ "$errs" = 0 ]; then
		echo "$kind mount-clean" >> "$out"
	else
		echo "$kind read-error" >> "$out"
	fi
	if [ "$expect" = mount-fail ] || [ "$errs" = 0 ]; then
		echo "  UNEXPECTED (wanted $expect)"
		bad=1
	fi
done
exec 3<&-
dmesg | grep -c "ocfs2 (" || true

# ours against stock on the kinds both took, once every node is done
if [ "${NODES:-1}" -gt 1 ]; then
	bar bad-disks-done
	if [ "$me" = ours ] && [ -e "$LAB_RESULTS/bad-outcome.stock" ]; then
		while read -r kind what; do
			ours=$(awk -v k="$kind" '$1 == k { print $2 }' "$out")
			[ -n "$ours" ] || continue
			if [ "$ours" = "$what" ]; then
				echo "$kind: ours $ours, stock $what: same"
			else
				echo "$kind: ours $ours, stock $what: DIFFERENT"
				bad=1
			fi
		done < "$LAB_RESULTS/bad-outcome.stock"
	fi
fi
exit $bad
