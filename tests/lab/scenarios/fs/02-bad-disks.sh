#!/bin/sh
# Bad disks: each disk is a populated volume with one thing damaged
# (corrupt-fs.py); /usr/local/bin/bad-disks.expect says per disk whether
# the mount must be refused or some read must fail.  Whatever the damage,
# the kernel must not crash, warn or hang, and the volume must unmount.
# Driven by host-bad-disks.bash.
set -e
. /usr/local/bin/lib.sh
mnt=/mnt/ocfs2
mkdir -p $mnt
bad=0

# walk: read every name, inode, link and byte; print how many reads failed
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
	for p in big_dir/file_with_a_longish_name_1234 medium_dir/entry_5 \
		 medium_dir/entry_6 small_dir/a nosuch; do
		stat $1/$p > /dev/null 2>&1 || errs=$((errs + 1))
	done
	echo $errs
}

while read -r disk kind expect; do
	# -i: no mount.ocfs2 helper, so the module itself judges the disk
	if ! mount -i -t ocfs2 -o ro /dev/$disk $mnt 2> /tmp/mount.err; then
		msg=$(dmesg | grep "ocfs2 ($disk)" | tail -1)
		echo "$disk $kind: mount refused: $msg"
		[ "$expect" = mount-fail ] || { echo "  UNEXPECTED"; bad=1; }
		continue
	fi
	errs=$(walk $mnt)
	umount $mnt
	echo "$disk $kind: mounted, $errs failed reads"
	if [ "$expect" = mount-fail ] || [ "$errs" = 0 ]; then
		echo "  UNEXPECTED (wanted $expect)"
		bad=1
	fi
done < /usr/local/bin/bad-disks.expect
dmesg | grep -c "ocfs2 (vd" || true
exit $bad
