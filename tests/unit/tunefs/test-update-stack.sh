#!/bin/bash
# tunefs.ocfs2 --update-cluster-stack stamps the running cluster, in a
# private mount namespace where tmpfs stands in for /sys/fs/ocfs2 and
# configfs (o2cb cluster/<name>, dlm cluster/cluster_name): no stack
# running, a user stack without dlm_controld, pcmk (answer n, then y),
# again (nothing to do), a too-long cluster name, o2cb in global then in
# local heartbeat mode (classic: nothing stamped), a local volume, a dirty
# journal, and other stack options with it.  Each stamp is read back by
# stock debugfs.ocfs2 and left stock fsck.ocfs2 -fn clean; a refusal
# leaves the image byte for byte as it was.
set -u
[ -x "$STOCK_SBIN/debugfs.ocfs2" ] && [ -x "$STOCK_SBIN/fsck.ocfs2" ] || exit 77
[ "$(id -u)" = 0 ] && command -v unshare > /dev/null || exit 77
tmp=$(mktemp -d /tmp/ocfs2-upstack.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/inside.sh" <<'INSIDE'
#!/bin/bash
# inside.sh TMP TOOLS SBIN: every case, one "ok"/"FAIL" line each
tmp=$1 T=$2 SBIN=$3
IMG=$tmp/v.img
mount -t tmpfs none /sys/kernel && mount -t tmpfs none /sys/fs || exit 1
fail=0
fresh() { rm -f "$IMG"; truncate -s 512M "$IMG"; "$T/mkfs/mkfs.ocfs2" -q -F -N 2 "$@" "$IMG" || exit 1; }
sum() { md5sum < "$IMG"; }
stats() { "$SBIN/debugfs.ocfs2" -R stats "$IMG" 2>/dev/null; }
# upd ANSWER: run the update with ANSWER on stdin; output in $tmp/out
upd() { echo "$1" | "$T/tunefs/tunefs.ocfs2" --update-cluster-stack "$IMG" > "$tmp/out" 2>&1; }
ok() { echo "ok $*"; }
bad() { echo "FAIL $*"; cat "$tmp/out"; fail=1; }
# refused WHAT TEXT: exit 1, TEXT in the output, image unchanged
refused() {
	local before
	before=$(sum)
	if upd y; then bad "$1: accepted"; return; fi
	grep -q "$2" "$tmp/out" || { bad "$1: no '$2' in the message"; return; }
	[ "$(sum)" = "$before" ] || { bad "$1: image changed"; return; }
	ok "$1 refused: $(grep -m1 "$2" "$tmp/out")"
}
clean() { "$SBIN/fsck.ocfs2" -fn "$IMG" > "$tmp/fsck" 2>&1 || { cat "$tmp/fsck" > "$tmp/out"; bad "fsck after $1"; }; }
user_stack() { mkdir -p /sys/fs/ocfs2; echo "$1" > /sys/fs/ocfs2/cluster_stack; }
dlm_name() { mkdir -p /sys/kernel/config/dlm/cluster; echo "$1" > /sys/kernel/config/dlm/cluster/cluster_name; }

fresh
refused "no stack loaded" "stack glue is not loaded"
user_stack pcmk
refused "user stack, no dlm_controld" "dlm_controld"
dlm_name lab
before=$(sum)
if upd n && [ "$(sum)" = "$before" ] && grep -q "Update the on-disk cluster information?" "$tmp/out"; then
	ok "answer n: asked, nothing written"
else
	bad "answer n"
fi
if upd y && stats | grep -q "Cluster stack: pcmk" && stats | grep -q "Cluster name: lab"; then
	ok "pcmk/lab stamped: $(grep -- '->' "$tmp/out")"
	clean pcmk
else
	bad "pcmk stamp"
fi
if upd y && grep -q "already configured for the running cluster; nothing to do" "$tmp/out"; then
	ok "again: nothing to do"
else
	bad "again"
fi
dlm_name averyveryverylongname
refused "17-character cluster name" "longer than the 16"

# o2cb: global mode stamps o2cb + name + flag; local mode is classic
echo o2cb > /sys/fs/ocfs2/cluster_stack
mkdir -p /sys/kernel/config/cluster/blue/heartbeat
echo global > /sys/kernel/config/cluster/blue/heartbeat/mode
if upd y && stats | grep -q "Cluster stack: o2cb" && stats | grep -q "Cluster name: blue" &&
	stats | grep -q "Globalheartbeat"; then
	ok "o2cb global stamped"
	clean o2cb-global
else
	bad "o2cb global"
fi
echo local > /sys/kernel/config/cluster/blue/heartbeat/mode
if upd y && ! stats | grep -q "Cluster stack: o2cb" && ! stats | grep -qi "clusterinfo\|usrstack"; then
	ok "o2cb local: classic, nothing stamped"
	clean o2cb-local
else
	bad "o2cb local"; stats | grep -i cluster
fi
rmdir /sys/kernel/config/cluster/blue/heartbeat 2>/dev/null
rm -rf /sys/kernel/config/cluster/blue
refused "o2cb, no cluster registered" "no o2cb cluster is registered"

# a dirty journal (slot 0's flag set by hand) is refused
user_stack pcmk
dlm_name lab
bs=$("$T/tunefs/tunefs.ocfs2" -Q %B "$IMG")
ino=$("$SBIN/debugfs.ocfs2" -R "stat //journal:0000" "$IMG" 2>/dev/null | sed -n 's/.*Inode: \([0-9]*\).*/\1/p')
printf '\001' | dd of="$IMG" bs=1 seek=$((ino * bs + 0xB8)) conv=notrunc status=none
refused "dirty journal" "journal of slot 0 is dirty"

fresh -M local
refused "local volume" "local (single-node) volume"
fresh
if echo y | "$T/tunefs/tunefs.ocfs2" --update-cluster-stack --cluster-stack=pcmk "$IMG" > "$tmp/out" 2>&1; then
	bad "with --cluster-stack: accepted"
else
	ok "with --cluster-stack: $(head -1 "$tmp/out")"
fi
exit $fail
INSIDE
chmod +x "$tmp/inside.sh"
unshare -m "$tmp/inside.sh" "$tmp" "$TOOLS" "$STOCK_SBIN"
