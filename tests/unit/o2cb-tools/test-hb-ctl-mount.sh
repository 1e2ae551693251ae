#!/bin/bash
# ocfs2_hb_ctl and mount.ocfs2 against the stock ones on the host, where
# no cluster runs: usage, bad options, bad devices, no cluster.  Output
# (first line of each message: ours may add a second line saying what to
# do) and exit codes must match.  Nothing here reaches mount(2): every
# case fails before it.  The lab scenario o2cb-tools/02-hb-ctl-mount.sh
# covers the working paths.
[ -x "$STOCK_SBIN/ocfs2_hb_ctl" ] && [ -x "$STOCK_SBIN/mount.ocfs2" ] || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

truncate -s 64M "$tmp/junk.img"
truncate -s 200M "$tmp/cvol.img"
"$STOCK_SBIN/mkfs.ocfs2" -q -F -N 2 --cluster-stack=o2cb --cluster-name=lab \
	"$tmp/cvol.img" > /dev/null 2>&1 || exit 77
mkdir "$tmp/mnt"

# compare NAME TOOL ARGS...: first lines of output and the exit code.
compare() {
	local tool=$1 s o; shift
	s=$("$STOCK_SBIN/$tool" "$@" 2>&1); s="${s%%$'\n'*}"$'\n'"rc=$?"
	o=$("$TOOLS/$dir/$tool" "$@" 2>&1); o="${o%%$'\n'*}"$'\n'"rc=$?"
	s=${s//$STOCK_SBIN\//}
	o=${o//$TOOLS\/$dir\//}
	if [ "$s" = "$o" ]; then
		echo "same: $tool $*: ${s//$'\n'/ | }"
	else
		echo "DIFF: $tool $*"; echo "  stock: $s"; echo "  ours:  $o"
		fail=1
	fi
}

dir=hb_ctl
compare ocfs2_hb_ctl -h
compare ocfs2_hb_ctl
compare ocfs2_hb_ctl -x
compare ocfs2_hb_ctl -S -d "$tmp/cvol.img"
compare ocfs2_hb_ctl -I -d a -u b
compare ocfs2_hb_ctl -K -d "$tmp/cvol.img" -u 0123
compare ocfs2_hb_ctl -S -K -d "$tmp/cvol.img" svc
compare ocfs2_hb_ctl -I -u 0123456789ABCDEF0123456789ABCDEF
compare ocfs2_hb_ctl -P -d "$tmp/cvol.img" -n 3
# usage goes to stdout with -h, stderr otherwise
[ -n "$("$TOOLS/hb_ctl/ocfs2_hb_ctl" -h 2>/dev/null)" ] || { echo "-h not on stdout"; fail=1; }
[ -z "$("$TOOLS/hb_ctl/ocfs2_hb_ctl" 2>/dev/null)" ] || { echo "usage error on stdout"; fail=1; }

if [ ! -x "$TOOLS/mount/mount.ocfs2" ]; then
	echo "mount.ocfs2 not built (make -C tools mount/mount.ocfs2): its cases skipped"
	exit $fail
fi
dir=mount
compare mount.ocfs2
compare mount.ocfs2 -x
compare mount.ocfs2 "$tmp/cvol.img"
compare mount.ocfs2 /nonexistent "$tmp/mnt"
compare mount.ocfs2 /dev/null "$tmp/mnt"
compare mount.ocfs2 "$tmp/junk.img" "$tmp/mnt"
compare mount.ocfs2 -o ro,noatime "$tmp/junk.img" "$tmp/mnt"
# a clustered volume with no cluster running here
compare mount.ocfs2 "$tmp/cvol.img" "$tmp/mnt"
compare mount.ocfs2 -o _netdev "$tmp/cvol.img" "$tmp/nonexistent"
# ours says what to do next
"$TOOLS/mount/mount.ocfs2" "$tmp/cvol.img" "$tmp/mnt" 2>&1 | grep -q "Cluster not online" ||
	{ echo "no 'Cluster not online' hint"; fail=1; }
exit $fail
