#!/bin/bash
# o2cb's cluster commands (cluster-status, start-heartbeat, stop-heartbeat)
# against stock on the host, in a private mount namespace where a tmpfs
# stands in for configfs (fakestatfs.so makes the stock tool accept it):
# registered or not, local node or not, local or global mode, regions or
# not.  Output and exit codes must match; ours may add lines on stderr
# saying what is wrong and what to run (filtered out here by their text).
[ -x "$STOCK_SBIN/o2cb" ] || exit 77
[ "$(id -u)" = 0 ] && command -v unshare > /dev/null && command -v gcc > /dev/null || exit 77
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -shared -fPIC -O2 -o "$tmp/fakestatfs.so" "$here/fakestatfs.c" -ldl || exit 77
HINTS='is the one registered|no region beats|is marked local|no cluster is registered'
cat > "$tmp/inside.sh" <<'INSIDE'
#!/bin/sh
tmp=$1 B=$2
mount -t tmpfs none /sys/kernel && mount -t tmpfs none /sys/fs || exit 1
mkdir -p /sys/kernel/config/cluster /sys/fs/o2cb /sys/fs/ocfs2 "$tmp/etc"
echo 5 > /sys/fs/o2cb/interface_revision
echo o2cb > /sys/fs/ocfs2/cluster_stack
mount --bind "$tmp/etc" /etc/ocfs2 || exit 1
printf 'cluster:\n\tname = lab\n\theartbeat_mode = global\n\tnode_count = 1\n\ncluster:\n\tname = other\n\theartbeat_mode = local\n\tnode_count = 0\n\nheartbeat:\n\tcluster = lab\n\tregion = 0123456789ABCDEF0123456789ABCDEF\n\nnode:\n\tcluster = lab\n\tnumber = 0\n\tip_port = 7777\n\tip_address = 10.77.0.10\n\tname = node0\n' > /etc/ocfs2/cluster.conf
H=/sys/kernel/config/cluster/lab
o() { echo "\$ o2cb $*"; LD_PRELOAD=$tmp/fakestatfs.so $B "$@" 2>&1; echo "rc=$?"; }
step() { echo "# $*"; }
o cluster-status; o cluster-status lab; o start-heartbeat lab
step "registered, no local node, local mode"
mkdir -p $H/node/node0 $H/heartbeat; echo local > $H/heartbeat/mode
o cluster-status; o cluster-status lab; o start-heartbeat lab
step "local node"
echo 1 > $H/node/node0/local
o cluster-status; o cluster-status lab; o cluster-status other; o cluster-status a b
o start-heartbeat lab; o start-heartbeat other; o start-heartbeat nosuch; o start-heartbeat
o stop-heartbeat lab; o stop-heartbeat other; o stop-heartbeat nosuch; o stop-heartbeat
o -v start-heartbeat lab; o -v stop-heartbeat lab
step "a region in local mode is left alone"
mkdir $H/heartbeat/AAAA0000000000000000000000000000
o stop-heartbeat lab; ls $H/heartbeat
step "global mode"
echo global > $H/heartbeat/mode
o cluster-status lab; o start-heartbeat lab; o -v start-heartbeat lab
o stop-heartbeat lab; ls $H/heartbeat; o cluster-status lab
mkdir $H/heartbeat/BBBB0000000000000000000000000000
o cluster-status lab; o -v stop-heartbeat lab; ls $H/heartbeat
INSIDE
chmod +x "$tmp/inside.sh"
unshare -m "$tmp/inside.sh" "$tmp" "$STOCK_SBIN/o2cb" > "$tmp/stock.out" 2>&1 || exit 77
grep -q "is online" "$tmp/stock.out" || { echo "stock o2cb did not run"; exit 77; }
unshare -m "$tmp/inside.sh" "$tmp" "$TOOLS/o2cb/o2cb" 2>&1 | grep -Ev "$HINTS" > "$tmp/ours.out"
diff -u "$tmp/stock.out" "$tmp/ours.out" || exit 1
echo "same: $(grep -c '^\$' "$tmp/stock.out") o2cb cluster commands"
# Stock crashes (SIGSEGV) on stop-heartbeat with no cluster registered;
# ours says so and exits 1.
cat > "$tmp/none.sh" <<'NONE'
#!/bin/sh
mount -t tmpfs none /sys/kernel && mkdir -p /sys/kernel/config/cluster || exit 1
printf 'cluster:\n\tname = lab\n\theartbeat_mode = local\n\tnode_count = 0\n' > "$1/c.conf"
"$2" --config-file="$1/c.conf" stop-heartbeat lab
NONE
chmod +x "$tmp/none.sh"
out=$(unshare -m "$tmp/none.sh" "$tmp" "$TOOLS/o2cb/o2cb" 2>&1)
[ $? = 1 ] && [ "$out" = "o2cb: Cluster 'lab' is not active" ] || { echo "stop with none registered: $out"; exit 1; }
