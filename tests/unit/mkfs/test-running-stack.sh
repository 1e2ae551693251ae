#!/bin/bash
# mkfs.ocfs2 without --cluster-stack stamps the running user stack, as
# stock 1.8 does, in a private mount namespace where tmpfs stands in for
# /sys/fs/ocfs2 and configfs (fs/dlm's cluster/cluster_name, o2cb's
# cluster/<name>): nothing loaded and o2cb running leave the classic
# stack; pcmk with dlm_controld's name stamps pcmk/lab (read back by
# stock debugfs.ocfs2, stock fsck.ocfs2 -fn clean); a user stack without
# a cluster name, a 17-character name, and a requested stack or name that
# is not the running one are refused (nothing written) unless -F; -M
# local takes no stack.  Stock reads the name through corosync's cmap,
# which the host does not run: no side-by-side here; the lab's user/40
# runs our mkfs on a live pacemaker cluster.
set -u
[ -x "$STOCK_SBIN/debugfs.ocfs2" ] && [ -x "$STOCK_SBIN/fsck.ocfs2" ] || exit 77
[ "$(id -u)" = 0 ] && command -v unshare > /dev/null || exit 77
tmp=$(mktemp -d /tmp/ocfs2-mkstack.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/inside.sh" <<'INSIDE'
#!/bin/bash
# inside.sh TMP TOOLS SBIN: every case, one "ok"/"FAIL" line each
tmp=$1 T=$2 SBIN=$3
IMG=$tmp/v.img
mount -t tmpfs none /sys/kernel && mount -t tmpfs none /sys/fs || exit 1
fail=0
ok() { echo "ok $*"; }
bad() { echo "FAIL $*"; cat "$tmp/out"; fail=1; }
# mk ARGS: a fresh (blank) image formatted with ARGS, output in $tmp/out
mk() {
	rm -f "$IMG"
	truncate -s 256M "$IMG"
	"$T/mkfs/mkfs.ocfs2" -N 2 "$@" "$IMG" < /dev/null > "$tmp/out" 2>&1
}
# stamp: "STACK/NAME" as stock debugfs reads it, "classic" or "local"
stamp() {
	local s
	s=$("$SBIN/debugfs.ocfs2" -R stats "$IMG" 2>/dev/null)
	if echo "$s" | grep -q "Feature Incompat:.*local"; then
		echo local
	elif echo "$s" | grep -q "Cluster stack: classic o2cb" ||
		! echo "$s" | grep -q "Cluster stack:"; then
		echo classic
	else
		echo "$(echo "$s" | sed -n 's/.*Cluster stack: *//p')/$(echo "$s" | sed -n 's/.*Cluster name: *//p')"
	fi
}
# want WHAT STAMP ARGS: formatted with ARGS, stamped STAMP, stock fsck clean
want() {
	local what=$1 st=$2 got
	shift 2
	if ! mk "$@"; then bad "$what: mkfs failed"; return; fi
	got=$(stamp)
	[ "$got" = "$st" ] || { bad "$what: stamped '$got', not '$st'"; return; }
	"$SBIN/fsck.ocfs2" -fn "$IMG" > "$tmp/fsck" 2>&1 ||
		{ cat "$tmp/fsck" > "$tmp/out"; bad "$what: stock fsck"; return; }
	ok "$what: $st"
}
# refused WHAT TEXT ARGS: exit 1 with TEXT, nothing written to the image
refused() {
	local what=$1 text=$2
	shift 2
	if mk "$@"; then bad "$what: accepted"; return; fi
	grep -q "$text" "$tmp/out" || { bad "$what: no '$text' in the message"; return; }
	[ -z "$(tr -d '\0' < "$IMG" | head -c 1)" ] || { bad "$what: image written"; return; }
	ok "$what refused: $(grep -m1 "$text" "$tmp/out")"
}

want "nothing loaded" classic
mkdir -p /sys/fs/ocfs2 /sys/kernel/config
echo pcmk > /sys/fs/ocfs2/cluster_stack
refused "pcmk, no dlm_controld" "its cluster is unknown"
want "pcmk, no dlm_controld, -F" classic -F
mkdir -p /sys/kernel/config/dlm/cluster
echo lab > /sys/kernel/config/dlm/cluster/cluster_name
want "pcmk/lab running" pcmk/lab
grep -q "Cluster stack: pcmk" "$tmp/out" || bad "pcmk/lab: the summary does not name the stack"
want "pcmk/lab running, asked for it" pcmk/lab --cluster-stack=pcmk --cluster-name=lab
refused "asked for cluster other" 'cluster name "other" was requested, but "lab" is running' \
	--cluster-stack=pcmk --cluster-name=other
want "asked for cluster other, -F" pcmk/other -F --cluster-stack=pcmk --cluster-name=other
refused "asked for o2cb" 'cluster stack "o2cb" was requested, but "pcmk" is running' \
	--cluster-stack=o2cb --cluster-name=lab
want "-M local" local -M local
echo averyveryverylongname > /sys/kernel/config/dlm/cluster/cluster_name
refused "17-character running name" "longer than the 16"

# o2cb (local heartbeat) running: the classic stack, as stock
echo o2cb > /sys/fs/ocfs2/cluster_stack
mkdir -p /sys/kernel/config/cluster/blue/heartbeat
echo local > /sys/kernel/config/cluster/blue/heartbeat/mode
want "o2cb running" classic
refused "o2cb running, asked for pcmk" 'cluster stack "pcmk" was requested, but "o2cb" is running' \
	--cluster-stack=pcmk --cluster-name=blue
exit $fail
INSIDE
chmod +x "$tmp/inside.sh"
unshare -m "$tmp/inside.sh" "$tmp" "$TOOLS" "$STOCK_SBIN"
