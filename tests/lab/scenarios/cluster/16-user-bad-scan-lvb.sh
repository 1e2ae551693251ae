#!/bin/sh
# A peer leaves a corrupt value block on the orphan-scan lock ('P'); our
# mounted node must not trust it, say so in its log, and go on scanning
# with its own sequence number.  The peer is real, as in cluster/07: it
# does not mount but joins the volume's lock domain through ocfs2_dlmfs
# (the volume UUID in upper-case hex), takes the 'P' lock exclusive and
# writes 8 bytes of version 7 with a sequence number.  The checker (node
# 0, ours, orphan_scan_secs=5) must log "version 7 ... ignored" on its
# next turn, and its own later turns put a version-1 value back (seen in
# its locking_state copy).  Then the peer leaves, the checker unmounts,
# stock fsck -fn.  The scan period found is restored at the end.
# Run: tests/lab/run --cluster user --stack ours --nodes 2 --disk 1G
#      --timeout 240 THIS
set -e
lab-cluster-mounts
os_param=/sys/module/ocfs2/parameters/orphan_scan_secs
os_default=$(cat $os_param 2>/dev/null || true)
R=$LAB_RESULTS
dev=/dev/vda
M=/mnt/ocfs2
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; dmesg | tail -30; exit 1; }
restore() { [ -z "$os_default" ] || echo "$os_default" > $os_param; }
dbg=$(command -v stock-debugfs.ocfs2 || command -v debugfs.ocfs2)
PNAME=P000000000000000000000000000000

# version byte and sequence number of the 'P' lock in this node's copy
pval() {
	awk -v n=$PNAME '$2 == n { print $11, $15, $16, $17, $18 }' \
		/sys/kernel/debug/ocfs2/*/locking_state 2>/dev/null | {
		read -r v a b c d || { echo "- -1"; return; }
		echo $((v & 255)) $(((a & 255) << 24 | (b & 255) << 16 | (c & 255) << 8 | (d & 255)))
	}
}

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
[ "$LAB_STACK" = ours ] || { say "our stack only: skipped"; exit 77; }
grep -q ' debugfs ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
	echo 5 > $os_param || fail "orphan_scan_secs cannot be set"
	mkdir -p $M
	mount -t ocfs2 $dev $M || fail "mount"
	$dbg -R stats $dev | sed -n 's/^[[:space:]]*UUID: \([0-9A-Fa-f]*\)$/\1/p' |
		tr a-f A-F > $R/pl.domain
	[ "$(wc -c < $R/pl.domain)" = 33 ] || fail "uuid '$(cat $R/pl.domain)'"
	# the lock exists once the first turn took it (5-10 s)
	i=0
	until [ "$(pval | cut -d' ' -f2)" -ge 0 ]; do
		i=$((i + 1))
		[ $i -lt 60 ] || fail "no orphan-scan lock after 60 s"
		sleep 1
	done
	say "scan running: 'P' value $(pval)"
fi
lab-barrier pl-mounted

if [ "$NODE" = 1 ]; then
	d=/dlm/$(cat $R/pl.domain)
	mkdir $d || fail "dlmfs cannot join the volume's lock domain"
	# version 7, 3 reserved bytes, sequence number 0x00010000
	printf '\007\000\000\000\000\001\000\000' > /tmp/bad.lvb
	lab-dlmlock -w -S /tmp/bad.lvb "$d/$PNAME" || fail "EX on the orphan-scan lock"
	say "wrote version 7 into $PNAME's value block through dlmfs"
fi
lab-barrier pl-written

if [ "$NODE" = 0 ]; then
	i=0
	until dmesg | grep -q "orphan scan lock's value block has version 7"; do
		i=$((i + 1))
		[ $i -lt 60 ] || { restore; fail "no log line about the bad value block in 60 s"; }
		sleep 1
	done
	say "logged: $(dmesg | grep "value block has version 7" | tail -1)"
	# our own turns put a readable value back (version 1)
	i=0
	until [ "$(pval | cut -d' ' -f1)" = 1 ]; do
		i=$((i + 1))
		[ $i -lt 60 ] || { restore; fail "no version-1 value after 60 s: $(pval)"; }
		sleep 1
	done
	dmesg | grep -q "orphan scan: deleted" && { restore; fail "the scan deleted something"; }
	say "scanning goes on: 'P' value $(pval)"
fi
lab-barrier pl-checked
if [ "$NODE" = 1 ]; then
	rm -f /dlm/"$(cat $R/pl.domain)"/*
	rmdir /dlm/"$(cat $R/pl.domain)"
fi
lab-barrier pl-left
if [ "$NODE" = 0 ]; then
	restore
	umount $M || fail "umount"
	stock-fsck.ocfs2 -fn $dev > /tmp/fsck.out 2>&1 </dev/null || { cat /tmp/fsck.out; fail "stock fsck -fn"; }
fi
say "all checks passed"
exit 0
