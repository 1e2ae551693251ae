#!/bin/bash
# o2cb cluster-status on a user stack (pcmk), in a private mount namespace
# where tmpfs stands in for /sys/fs/ocfs2 and fs/dlm's configfs: online
# with the name dlm_controld set, the name asked for or not, offline
# (exit 1, a reason on stderr) without dlm_controld.  Stock asks corosync
# (cmap), which the host does not run: no comparison here; the lab's
# user/40 runs it on a live cluster.
[ "$(id -u)" = 0 ] && command -v unshare > /dev/null || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/inside.sh" <<'INSIDE'
#!/bin/sh
B=$1
mount -t tmpfs none /sys/kernel && mount -t tmpfs none /sys/fs || exit 1
mkdir -p /sys/fs/ocfs2 /sys/kernel/config
echo pcmk > /sys/fs/ocfs2/cluster_stack
o() { echo "\$ o2cb $*"; $B "$@" 2>&1; echo "rc=$?"; }
o cluster-status
mkdir -p /sys/kernel/config/dlm/cluster
echo lab > /sys/kernel/config/dlm/cluster/cluster_name
o cluster-status; o cluster-status lab; o cluster-status other; o -v cluster-status
INSIDE
chmod +x "$tmp/inside.sh"
unshare -m "$tmp/inside.sh" "$TOOLS/o2cb/o2cb" > "$tmp/out" 2>&1 || exit 1
cat > "$tmp/want" <<'WANT'
$ o2cb cluster-status
o2cb: Unable to access cluster service: fs/dlm has no cluster name: is dlm_controld running (the dlm clone, or 'systemctl start dlm')?
offline
rc=1
$ o2cb cluster-status
Cluster 'lab' is online
rc=0
$ o2cb cluster-status lab
Cluster 'lab' is online
rc=0
$ o2cb cluster-status other
o2cb: the running pcmk cluster is 'lab'
Cluster 'other' is offline
rc=1
$ o2cb -v cluster-status
Cluster 'lab' is online
  stack pcmk (fs/dlm with dlm_controld)
rc=0
WANT
diff -u "$tmp/want" "$tmp/out"
