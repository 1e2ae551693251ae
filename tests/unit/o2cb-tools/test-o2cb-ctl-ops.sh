#!/bin/bash
# o2cb_ctl's operations against stock on the host: -I/-C/-D/-H, good and
# bad, on a scratch /etc/ocfs2 and a stand-in configfs (a tmpfs, in a
# private mount namespace; fakestatfs.so makes the stock tool accept it).
# Output, exit codes, the resulting cluster.conf and what the tools
# created in "configfs" must all be identical.  In the stand-in, writes
# to attribute files fail (nothing creates them), so -i and online=yes
# are compared on their error paths here; their working paths run in the
# lab (o2cb-tools/04-o2cb-ctl.sh).
[ -x "$STOCK_SBIN/o2cb_ctl" ] || exit 77
[ "$(id -u)" = 0 ] && command -v unshare > /dev/null && command -v gcc > /dev/null || exit 77
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -shared -fPIC -O2 -o "$tmp/fakestatfs.so" "$here/fakestatfs.c" -ldl || exit 77
printf 'cluster:\n\tnode_count = 1\n\theartbeat_mode = local\n\tname = lab\n\nnode:\n\tip_port = 7777\n\tip_address = 10.77.0.10\n\tnumber = 0\n\tname = node0\n\tcluster = lab\n' > "$tmp/lab.conf"
cat > "$tmp/cmds" <<'CMDS'
-I
-I -o
-I -z
-I -t cluster
-I -t node -o
-I -n lab
-I -n node0
-I -n node0 -o
-I -n 0
-I -n lab -t cluster -o
-I -n node0 -a ip_address
-I -t node -a name
-I -n nosuch
-C -n lab2 -t cluster
-C -n lab -t cluster
-C -n node9 -t node -a number=9 -a ip_address=10.77.0.99 -a ip_port=7777 -a cluster=lab
-C -n node8 -t node -a number=9 -a ip_address=10.77.0.98 -a ip_port=7777 -a cluster=lab
-C -n node7 -t node -a number=300 -a ip_address=10.77.0.97 -a ip_port=7777 -a cluster=lab
-C -n node6 -t node -a number=6 -a ip_address=10.77.0 -a ip_port=7777 -a cluster=lab
-C -n node5 -t node -a number=5 -a ip_address=10.77.0.95 -a cluster=lab
-C -n node4 -t node -a number=4 -a ip_address=10.77.0.94 -a ip_port=99999 -a cluster=lab
-C -n node3 -t node -a number=3 -a ip_address=10.77.0.93 -a ip_port=7777 -a cluster=nocl
-C -n node9 -t node -a number=10 -a ip_address=10.77.0.99 -a ip_port=7777 -a cluster=lab
-C -n node1 -t node -a ip_address=10.77.0.91 -a ip_port=7777 -a cluster=lab2
-C -n node2 -t node -a number=2 -a ip_address=10.77.0.92 -a ip_port=7777 -a cluster=lab -i
-C -n lab5 -t cluster -i
-C -n a -n b -t node -a cluster=lab
-C -n x -t node -a bogus=1 -a cluster=lab
-C -n x -t node
-C -n x
-I -t node -o
-I -t cluster -o
-H -n lab -t cluster -a online=yes
-H -n lab -t cluster -a online=maybe
-H -n lab -a online=yes
-H -n node0 -t node -a ip_port=7778
-H -n lab2 -t cluster -a name=lab3
-H -n nosuch -t cluster -a online=no
-H -t cluster
-D -n node9
-D -n node2 -u
-D
-I -o
CMDS
cat > "$tmp/inside.sh" <<'INSIDE'
#!/bin/sh
# private namespace: stand-in configfs and /sys/fs, scratch /etc/ocfs2
tmp=$1 bin=$2
mount -t tmpfs none /sys/kernel && mount -t tmpfs none /sys/fs || exit 1
mkdir -p /sys/kernel/config/cluster/lab/node/node0 /sys/kernel/config/cluster/lab/heartbeat \
	/sys/fs/o2cb /sys/fs/ocfs2 "$tmp/etc"
echo 5 > /sys/fs/o2cb/interface_revision
echo o2cb > /sys/fs/ocfs2/cluster_stack
mount --bind "$tmp/etc" /etc/ocfs2 || exit 1
cp "$tmp/lab.conf" /etc/ocfs2/cluster.conf
while IFS= read -r c; do
	echo "\$ o2cb_ctl $c"
	eval "LD_PRELOAD=$tmp/fakestatfs.so $bin $c" 2>&1
	echo "rc=$?"
done < "$tmp/cmds" | sed "s|$bin|o2cb_ctl|g"
echo "--- file"; cat /etc/ocfs2/cluster.conf
echo "--- configfs"; (cd /sys/kernel/config && find . | sort)
INSIDE
chmod +x "$tmp/inside.sh"
unshare -m "$tmp/inside.sh" "$tmp" "$STOCK_SBIN/o2cb_ctl" > "$tmp/stock.out" 2>&1 || exit 77
unshare -m "$tmp/inside.sh" "$tmp" "$TOOLS/o2cb_ctl/o2cb_ctl" > "$tmp/ours.out" 2>&1
grep -q '^node:' "$tmp/stock.out" || { echo "stock o2cb_ctl did not run"; exit 77; }
diff -u "$tmp/stock.out" "$tmp/ours.out" && echo "same: $(wc -l < "$tmp/cmds") o2cb_ctl commands"
