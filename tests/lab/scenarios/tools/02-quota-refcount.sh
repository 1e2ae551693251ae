#!/bin/sh
# Quota and deep refcount volumes filled by the STOCK kernel, for our fsck
# and debugfs to check on the host (host-quota-refcount.bash):
#   vda stock mkfs, usrquota,grpquota     vdb our mkfs -b 1K, usrquota,grpquota
#   vdc stock mkfs -b 4K -C 4K            vdd our mkfs -b 512 -C 4K
# Quota volumes: mounted with usrquota,grpquota, files owned by a dozen
# users in four groups, limits set for some ids (one with no files),
# deletes (the host compares the usage with what the files add up to).
# Then vda's user quota usage is damaged (corrupt quota-usage), OUR fsck
# must report it under -n and rewrite the quota files under -y, stock fsck
# must find the result clean, and the stock kernel must mount it with
# quota on, still enforce a limit kept through the rewrite (user 1005,
# 6000 KiB hard) and account new files on top of it.
# Refcount volumes: mounted with resv_level=0 and two files written a
# cluster each in turn, so every cluster of one is its own extent; three
# reflinks of it, copy-on-write in every 3rd/5th/7th cluster, one deleted:
# thousands of refcount records, a tree of many leaves (with 512-byte
# blocks, more than the root can index: a second level).
# Needs: --stack stock --nodes 1, four --disk, --add our-mkfs.ocfs2,
# our-fsck.ocfs2, corrupt and lab-fsops.  A volume done cleanly gets LAB_RESULTS/<disk>.ok.
set -u
OUR_MKFS=/usr/local/bin/our-mkfs.ocfs2
OUR_FSCK=/usr/local/bin/our-fsck.ocfs2
rc=0

fail() { echo "FAIL: $*"; rc=1; }

manifest() {	# DIR
	(cd "$1" && ls -lnRa --full-time . | grep -v '^total' &&
	 find . -type f | sort | xargs md5sum)
}

populate_quota() {	# MNT
	m=$1
	mkdir "$m/home" || return 1
	u=1000
	while [ $u -lt 1012 ]; do
		g=$((2000 + u % 4))
		d=$m/home/u$u
		mkdir "$d" && chown $u:$g "$d" || return 1
		i=0
		while [ $i -lt $((u % 5 + 2)) ]; do
			head -c $(((u - 999) * 9000 + i * 70000)) /dev/zero > "$d/f$i"
			chown $u:$g "$d/f$i"
			i=$((i + 1))
		done
		printf small > "$d/inline"
		chown $u:$g "$d/inline"
		u=$((u + 1))
	done
	# usage that comes and goes
	rm "$m/home/u1003/f0" "$m/home/u1007/f1"
	chown 1010:2001 "$m/home/u1004/f0"
	lab-fsops setquota "$DEV" "$m" user 1001 100000 200000 50 100 &&
	lab-fsops setquota "$DEV" "$m" user 1005 5000 6000 0 0 &&
	lab-fsops setquota "$DEV" "$m" user 3000 1000 2000 10 20 &&
	lab-fsops setquota "$DEV" "$m" group 2002 400000 800000 0 0
}

quota_volume() {	# DEV
	DEV=$1 MNT=/mnt/$(basename "$1")
	mkdir -p "$MNT"
	mount -t ocfs2 -o usrquota,grpquota "$DEV" "$MNT" || { fail "mount $DEV with quota"; return 1; }
	populate_quota "$MNT" || fail "$DEV: quota workload"
	manifest "$MNT" > /tmp/before
	umount "$MNT" || { fail "umount $DEV"; return 1; }
	mount -t ocfs2 -o usrquota,grpquota "$DEV" "$MNT" || { fail "remount $DEV"; return 1; }
	manifest "$MNT" > /tmp/after
	umount "$MNT" || { fail "umount $DEV"; return 1; }
	cmp -s /tmp/before /tmp/after || { fail "$DEV differs after a remount"; return 1; }
	echo "$DEV: quota volume, $(wc -l < /tmp/after) lines survive a remount"
	touch "$LAB_RESULTS/$(basename "$DEV").ok"
}

quota_repair() {	# DEV
	DEV=$1 MNT=/mnt/$(basename "$1")
	corrupt "$DEV" quota-usage || { fail "corrupt $DEV"; return 1; }
	$OUR_FSCK -fn "$DEV" > /tmp/n1 2>&1
	r=$?
	grep '^\[' /tmp/n1
	[ $r = 4 ] && grep -q QUOTA_USAGE /tmp/n1 || fail "our fsck -fn: exit $r, no QUOTA_USAGE"
	$OUR_FSCK -fy "$DEV" > /tmp/y 2>&1
	r=$?
	[ $r = 1 ] || { cat /tmp/y; fail "our fsck -fy: exit $r"; }
	fsck.ocfs2 -fn "$DEV" > /tmp/s 2>&1 || { cat /tmp/s; fail "stock fsck -fn after our quota repair"; }
	mount -t ocfs2 -o usrquota,grpquota "$DEV" "$MNT" || { fail "mount $DEV after repair"; return 1; }
	lab-fsops quotaon "$DEV" user || fail "quotaon $DEV"
	lab-fsops writeas 1005 2001 "$MNT/home/u1005/big" 8000000
	r=$?
	[ $r = 3 ] && echo "$DEV: user 1005's 6000 KiB limit holds after our repair" ||
		fail "user 1005 wrote 8 MB past its limit after our repair (exit $r)"
	rm -f "$MNT/home/u1005/big"
	lab-fsops writeas 1001 2001 "$MNT/home/u1001/after" 300000 || fail "user 1001 write after repair"
	umount "$MNT" || fail "umount $DEV after repair"
	fsck.ocfs2 -fn "$DEV" > /tmp/s 2>&1 || { cat /tmp/s; fail "stock fsck -fn after use"; }
	$OUR_FSCK -fn "$DEV" > /tmp/n2 2>&1 || { grep '^\[' /tmp/n2; fail "our fsck -fn after use"; }
	echo "$DEV: our quota repair taken by the stock kernel; both fscks clean after"
}

populate_refcount() {	# MNT CLUSTERS
	cd "$1" || return 1
	lab-fsops interleave base other 4096 "$2" &&
	lab-fsops reflink base r3 && lab-fsops reflink base r5 &&
	lab-fsops reflink base r7 && lab-fsops reflink other o1 &&
	lab-fsops poke r3 4096 3 $(($2 / 3)) &&
	lab-fsops poke r5 4096 5 $(($2 / 5)) &&
	lab-fsops poke r7 4096 7 $(($2 / 7)) &&
	lab-fsops reflink r3 r3b && rm r7 &&
	mkdir sub && lab-fsops reflink r5 sub/r5c
	st=$?
	cd /
	return $st
}

refcount_volume() {	# DEV CLUSTERS
	DEV=$1 MNT=/mnt/$(basename "$1")
	mkdir -p "$MNT"
	mount -t ocfs2 -o resv_level=0 "$DEV" "$MNT" || { fail "mount $DEV"; return 1; }
	populate_refcount "$MNT" "$2" || fail "$DEV: reflink workload"
	manifest "$MNT" > /tmp/before
	umount "$MNT" || { fail "umount $DEV"; return 1; }
	mount -t ocfs2 "$DEV" "$MNT" || { fail "remount $DEV"; return 1; }
	manifest "$MNT" > /tmp/after
	umount "$MNT" || { fail "umount $DEV"; return 1; }
	cmp -s /tmp/before /tmp/after || { fail "$DEV differs after a remount"; return 1; }
	echo "$DEV: refcount volume, $(wc -l < /tmp/after) lines survive a remount"
	touch "$LAB_RESULTS/$(basename "$DEV").ok"
}

mkfs.ocfs2 -q -F -N 2 -L stock-quota --fs-features=usrquota,grpquota /dev/vda < /dev/null ||
	fail "stock mkfs vda"
$OUR_MKFS -q -F -N 2 -b 1024 -L ours-quota --fs-features=usrquota,grpquota /dev/vdb ||
	fail "our mkfs vdb"
mkfs.ocfs2 -q -F -N 2 -b 4K -C 4K -L stock-refcount /dev/vdc < /dev/null ||
	fail "stock mkfs vdc"
$OUR_MKFS -q -F -N 2 -b 512 -C 4K -L ours-refcount /dev/vdd || fail "our mkfs vdd"

quota_volume /dev/vda && quota_repair /dev/vda
quota_volume /dev/vdb
refcount_volume /dev/vdc 1500
refcount_volume /dev/vdd 1000
exit $rc
