#!/bin/sh
# ocfs2_stackglue's userspace interface on one node: /sys/fs/ocfs2 files
# and the fs.ocfs2.nm.hb_ctl_path sysctl, their defaults, and refusal of
# bad labels.  Runs on either stack; ours and stock must agree.
set -eu
S=/sys/fs/ocfs2
fail() { echo "FAIL: $*"; exit 1; }
expect_err() { # ERRTEXT FILE VALUE
	out=$( (/lab/bb/echo "$3" > "$2") 2>&1 ) && fail "write '$3' to $2 succeeded"
	case "$out" in *"$1"*) echo "ok: '$3' > ${2#$S/} -> $1" ;;
	*) fail "write '$3' to $2: expected '$1', got '$out'" ;; esac
}
modprobe ocfs2_stackglue
for f in cluster_stack loaded_cluster_plugins active_cluster_plugin \
	 max_locking_protocol dlm_recover_callback_support; do
	test -e $S/$f || fail "missing $S/$f"
	echo "$f: '$(cat $S/$f | tr '\n' ' ')'"
done
[ "$(cat $S/cluster_stack)" = o2cb ] || fail "default stack is not o2cb"
[ "$(cat $S/dlm_recover_callback_support)" = 1 ] || fail "recover callback support"
[ -z "$(cat $S/active_cluster_plugin)" ] || fail "a plugin is active with no mount"
p=$(cat /proc/sys/fs/ocfs2/nm/hb_ctl_path)
[ "$p" = /sbin/ocfs2_hb_ctl ] || fail "hb_ctl_path is '$p'"
echo "ok: hb_ctl_path $p"
echo /usr/local/sbin/hb > /proc/sys/fs/ocfs2/nm/hb_ctl_path
[ "$(cat /proc/sys/fs/ocfs2/nm/hb_ctl_path)" = /usr/local/sbin/hb ] || fail "hb_ctl_path not written"
echo "$p" > /proc/sys/fs/ocfs2/nm/hb_ctl_path

expect_err "Invalid argument" $S/cluster_stack pcmkx
expect_err "Invalid argument" $S/cluster_stack pcm
echo pcmk > $S/cluster_stack
[ "$(cat $S/cluster_stack)" = pcmk ] || fail "label not taken"
echo o2cb > $S/cluster_stack
echo "ok: cluster_stack labels"
